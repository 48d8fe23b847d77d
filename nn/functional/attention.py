"""Attention as a function: ``scaled_dot_product_attention`` (softmax(q k^T / sqrt(d) +
mask) v, with PyTorch's safe softmax for rows that are all masked), made of Tensor ops."""

from __future__ import annotations

import numpy as np

from ..tensor import Tensor
from .dropout import dropout


def scaled_dot_product_attention(
    query: Tensor,
    key: Tensor,
    value: Tensor,
    attn_mask: Tensor | None = None,
    dropout_p: float = 0.0,
    is_causal: bool = False,
    scale: float | None = None,
    enable_gqa: bool = False,
) -> Tensor:
    """softmax(Q K^T scale + bias) V over the last two dimensions, as PyTorch's
    reference: scale 1 / sqrt(E) unless given; the bias -inf where a bool ``attn_mask`` is
    False or above the diagonal with ``is_causal``, else a float ``attn_mask`` added; a
    query whose keys are all masked gets zeros (PyTorch's safe softmax); dropout on the
    weights when ``dropout_p`` > 0. Made of matmul, softmax and masked_fill.

    Examples
    --------
    >>> import nn
    >>> q = k = v = nn.eye(2).reshape(1, 2, 2)
    >>> nn.F.scaled_dot_product_attention(q, k, v, is_causal=True)[0, 0]
    tensor([1., 0.])
    """
    if is_causal and attn_mask is not None:
        raise RuntimeError(
            "_scaled_dot_product_attention: Explicit attn_mask should not be set "
            "when is_causal=True"
        )
    length, source = query.shape[-2], key.shape[-2]
    factor = 1 / np.sqrt(query.shape[-1]) if scale is None else scale
    if enable_gqa:
        repeats = query.shape[-3] // key.shape[-3]
        key = key.repeat_interleave(repeats, -3)
        value = value.repeat_interleave(repeats, -3)
    scores = query.matmul(key.transpose(-2, -1)) * factor
    blocked = np.zeros((length, source), dtype=bool)
    if is_causal:
        blocked = ~np.tri(length, source, dtype=bool)
    if attn_mask is not None:
        if attn_mask.dtype == np.bool_:
            blocked = blocked | ~attn_mask._data
        else:
            scores = scores + attn_mask
            blocked = blocked | np.isneginf(attn_mask._data)
    if blocked.any():
        scores = scores.masked_fill(Tensor._make(blocked), -np.inf)
    shut = Tensor._make(np.broadcast_to(blocked.all(-1, keepdims=True), blocked.shape))
    if shut._data.any():  # (all keys masked: the row's weights are 0, not NaN)
        scores = scores.masked_fill(shut, 0.0)
    weights = scores.softmax(-1)
    if shut._data.any():
        weights = weights.masked_fill(shut, 0.0)
    if dropout_p > 0.0:
        weights = dropout(weights, dropout_p)
    return weights.matmul(value)
