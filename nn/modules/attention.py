"""``nn.MultiheadAttention``: queries, keys and values projected, split into heads, each
head softmax(q k^T / sqrt(d) + mask) v, the heads joined and projected out, as
``torch.nn.MultiheadAttention`` computes it (its weights path), made of Tensor ops."""

from __future__ import annotations

import math

import numpy as np

from .. import init
from .._dtype import get_default_dtype
from ..device import check_device
from ..functional.dropout import dropout
from ..functional.linear import linear
from ..parameter import Parameter
from ..tensor import Tensor
from ..types import DeviceLike, DTypeLike
from .layers import Linear
from .module import Module


class NonDynamicallyQuantizableLinear(Linear):
    """PyTorch's name for MultiheadAttention's output projection: a Linear."""


class MultiheadAttention(Module):
    """Attention over ``num_heads`` heads of ``embed_dim / num_heads`` features each, as
    ``torch.nn.MultiheadAttention``: ``in_proj_weight`` (3E, E) and ``in_proj_bias``
    project q, k, v (or ``q_proj_weight``, ``k_proj_weight``, ``v_proj_weight`` when
    ``kdim``/``vdim`` differ from E), ``out_proj`` joins the heads. Initialised as PyTorch
    (out_proj as a Linear, then in_proj_weight Xavier-uniform, the biases 0), drawing in its
    order. ``forward`` returns (output, weights averaged over heads, or per head, or None).

    Examples
    --------
    >>> import nn
    >>> attention = nn.MultiheadAttention(4, 2, batch_first=True)
    >>> out, weights = attention(nn.ones(1, 3, 4), nn.ones(1, 3, 4), nn.ones(1, 3, 4))
    >>> out.shape, weights.shape
    ((1, 3, 4), (1, 3, 3))
    """

    def __init__(
        self,
        embed_dim: int,
        num_heads: int,
        dropout: float = 0.0,
        bias: bool = True,
        add_bias_kv: bool = False,
        add_zero_attn: bool = False,
        kdim: int | None = None,
        vdim: int | None = None,
        batch_first: bool = False,
        device: DeviceLike | None = None,
        dtype: DTypeLike | None = None,
    ) -> None:
        super().__init__()
        check_device(device)
        if embed_dim <= 0 or num_heads <= 0:
            raise ValueError(
                f"embed_dim and num_heads must be greater than 0, got embed_dim={embed_dim} "
                f"and num_heads={num_heads} instead"
            )
        if embed_dim % num_heads:
            raise AssertionError("embed_dim must be divisible by num_heads")
        self.embed_dim, self.num_heads, self.dropout = embed_dim, num_heads, dropout
        self.kdim = embed_dim if kdim is None else kdim
        self.vdim = embed_dim if vdim is None else vdim
        self._qkv_same_embed_dim = self.kdim == embed_dim and self.vdim == embed_dim
        self.head_dim = embed_dim // num_heads
        self.batch_first, self.add_zero_attn = batch_first, add_zero_attn
        kind = np.dtype(dtype) if dtype is not None else get_default_dtype()

        def empty(*shape: int) -> Parameter:
            return Parameter(np.zeros(shape, dtype=kind))

        if self._qkv_same_embed_dim:
            self.in_proj_weight: Parameter | None = empty(3 * embed_dim, embed_dim)
            self.q_proj_weight = self.k_proj_weight = self.v_proj_weight = None
        else:
            self.q_proj_weight = empty(embed_dim, embed_dim)
            self.k_proj_weight = empty(embed_dim, self.kdim)
            self.v_proj_weight = empty(embed_dim, self.vdim)
            self.in_proj_weight = None
        self.in_proj_bias = empty(3 * embed_dim) if bias else None
        self.out_proj = NonDynamicallyQuantizableLinear(embed_dim, embed_dim, bias=bias, dtype=kind)
        if add_bias_kv:
            self.bias_k: Parameter | None = empty(1, 1, embed_dim)
            self.bias_v: Parameter | None = empty(1, 1, embed_dim)
        else:
            self.bias_k = self.bias_v = None
        self._reset_parameters()

    def _reset_parameters(self) -> None:
        """PyTorch's order: the projections Xavier-uniform, the biases 0, bias_k and bias_v
        Xavier-normal."""
        if self.in_proj_weight is not None:
            init.xavier_uniform_(self.in_proj_weight)
        else:
            for weight in (self.q_proj_weight, self.k_proj_weight, self.v_proj_weight):
                assert weight is not None
                init.xavier_uniform_(weight)
        if self.in_proj_bias is not None:
            init.constant_(self.in_proj_bias, 0.0)
            assert self.out_proj.bias is not None
            init.constant_(self.out_proj.bias, 0.0)
        for extra in (self.bias_k, self.bias_v):
            if extra is not None:
                init.xavier_normal_(extra)

    def _projected(self, query: Tensor, key: Tensor, value: Tensor) -> tuple[Tensor, ...]:
        """q, k, v projected: one product when they are one Tensor (PyTorch's packed path),
        else one per input with the matching rows of the weight."""
        e = self.embed_dim
        biases: list[Tensor | None] = [None, None, None]
        if self.in_proj_bias is not None:
            biases = [self.in_proj_bias[i * e : (i + 1) * e] for i in range(3)]
        if self.in_proj_weight is not None:
            if query is key and key is value:
                packed = linear(query, self.in_proj_weight, self.in_proj_bias)
                return tuple(packed.unflatten(-1, (3, e)).unbind(-2))
            weights = [self.in_proj_weight[i * e : (i + 1) * e] for i in range(3)]
        else:
            weights = [self.q_proj_weight, self.k_proj_weight, self.v_proj_weight]  # type: ignore[list-item]
        return tuple(
            linear(x, w, b) for x, w, b in zip((query, key, value), weights, biases, strict=True)
        )

    def forward(
        self,
        query: Tensor,
        key: Tensor,
        value: Tensor,
        key_padding_mask: Tensor | None = None,
        need_weights: bool = True,
        attn_mask: Tensor | None = None,
        average_attn_weights: bool = True,
        is_causal: bool = False,
    ) -> tuple[Tensor, Tensor | None]:
        batched = query.dim() == 3
        if not batched:
            query, key, value = query.unsqueeze(1), key.unsqueeze(1), value.unsqueeze(1)
            if key_padding_mask is not None:
                key_padding_mask = key_padding_mask.unsqueeze(0)
        elif self.batch_first:
            same_kv = key is value
            same_qk = query is key
            query = query.transpose(0, 1)
            key = query if same_qk else key.transpose(0, 1)
            value = key if same_kv else value.transpose(0, 1)
        if is_causal and attn_mask is None:
            raise RuntimeError(
                "Need attn_mask if specifying the is_causal hint. You may use the Transformer "
                "module method `generate_square_subsequent_mask` to create this mask."
            )
        length, batch, e = query.shape
        heads, head_dim = self.num_heads, self.head_dim
        q, k, v = self._projected(query, key, value)
        bias = _as_bias(attn_mask, q.dtype)
        if self.bias_k is not None and self.bias_v is not None:
            k = _cat(k, self.bias_k.expand(1, batch, e))
            v = _cat(v, self.bias_v.expand(1, batch, e))
            bias = None if bias is None else _pad_last(bias)
            if key_padding_mask is not None:
                key_padding_mask = _pad_last(key_padding_mask)
        q = q.reshape(length, batch * heads, head_dim).transpose(0, 1)
        k = k.reshape(k.shape[0], batch * heads, head_dim).transpose(0, 1)
        v = v.reshape(v.shape[0], batch * heads, head_dim).transpose(0, 1)
        if self.add_zero_attn:
            zeros = Tensor._make(np.zeros((batch * heads, 1, head_dim), dtype=q.dtype))
            k, v = _cat(k, zeros, 1), _cat(v, zeros, 1)
            bias = None if bias is None else _pad_last(bias)
            if key_padding_mask is not None:
                key_padding_mask = _pad_last(key_padding_mask)
        source = k.shape[1]
        if key_padding_mask is not None:
            padding = _as_bias(key_padding_mask, q.dtype)
            assert padding is not None
            padding = padding.reshape(batch, 1, 1, source).expand(batch, heads, 1, source)
            padding = padding.reshape(batch * heads, 1, source)
            bias = padding if bias is None else bias + padding
        scores = (q * math.sqrt(1.0 / head_dim)).bmm(k.transpose(-2, -1))
        if bias is not None:
            scores = scores + bias
        weights = scores.softmax(-1)
        if self.dropout > 0.0 and self.training:
            weights = dropout(weights, self.dropout)
        out = weights.bmm(v).transpose(0, 1).contiguous().reshape(length * batch, e)
        out = self.out_proj(out).reshape(length, batch, e)
        if self.batch_first and batched:
            out = out.transpose(0, 1)
        if not batched:
            out = out.squeeze(1)
        if not need_weights:
            return out, None
        per_head = weights.reshape(batch, heads, length, source)
        result = per_head.mean(1) if average_attn_weights else per_head
        return out, result if batched else result.squeeze(0)


def _as_bias(mask: Tensor | None, dtype: np.dtype) -> Tensor | None:
    """A mask as an additive bias: a bool mask's True is -inf (masked out), a float mask is
    added as it is."""
    if mask is None:
        return None
    if mask.dtype == np.bool_:
        return Tensor._make(np.where(mask._data, -np.inf, 0.0).astype(dtype))
    return mask.to(dtype)


def _cat(a: Tensor, b: Tensor, dim: int = 0) -> Tensor:
    from .._namespace.joining import cat

    return cat([a, b], dim)


def _pad_last(mask: Tensor) -> Tensor:
    """The mask with one more (unmasked) key position at the end."""
    from ..functional.padding import pad

    return pad(mask, (0, 1))
