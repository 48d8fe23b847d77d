"""Lookup tables: ``nn.Embedding`` / ``nn.F.embedding`` (rows of a weight matrix picked by
integer indices) and ``nn.F.one_hot``, as PyTorch's."""

from __future__ import annotations

from typing import Any

import numpy as np

from .. import init
from .._dtype import get_default_dtype
from .._graph import node_type
from ..device import check_device
from ..parameter import Parameter
from ..random import resolve_generator
from ..rules import Grads
from ..tensor import Tensor
from .module import Module

EmbeddingBackward0 = node_type("EmbeddingBackward0")


def _indices(input: Any, what: str) -> np.ndarray:
    data = input._data if isinstance(input, Tensor) else np.asarray(input)
    if data.dtype.kind not in "iu":
        kind = {"f": "Float", "b": "Bool"}.get(data.dtype.kind, str(data.dtype))
        raise RuntimeError(
            f"Expected tensor for argument #1 '{what}' to have one of the following scalar "
            f"types: Long, Int; but got torch.{kind}Tensor instead (while checking arguments "
            "for embedding)"
        )
    return data


def embedding(
    input: Any,
    weight: Tensor,
    padding_idx: int | None = None,
    max_norm: float | None = None,
    norm_type: float = 2.0,
    scale_grad_by_freq: bool = False,
    sparse: bool = False,
) -> Tensor:
    """``weight[input]``: one row per index. Backward adds each index's gradient into its
    row (none into ``padding_idx``'s; divided by the index's count in the batch when
    ``scale_grad_by_freq``). With ``max_norm``, rows it looks up whose ``norm_type`` norm
    exceeds it are scaled down in place first, as PyTorch.

    Examples
    --------
    >>> import nn
    >>> w = nn.Parameter(nn.arange(6.0).reshape(3, 2))
    >>> nn.F.embedding(nn.tensor([2, 0]), w)
    tensor([[4., 5.],
            [0., 1.]], grad_fn=<EmbeddingBackward0>)
    """
    if sparse:
        raise NotImplementedError("descend has no sparse gradients: use sparse=False")
    idx = _indices(input, "indices")
    rows = weight.shape[0]
    if idx.size and (idx.min() < 0 or idx.max() >= rows):  # a negative index too, as PyTorch
        raise IndexError("index out of range in self")
    idx = idx.astype(np.int64, copy=False)
    if padding_idx is not None and padding_idx < 0:
        padding_idx += rows
    if max_norm is not None:
        _renormalize(weight, idx, max_norm, norm_type)
    W = weight._data
    out = W[idx]

    def backward(g: np.ndarray) -> Grads:
        flat, grads = idx.reshape(-1), g.reshape(-1, W.shape[1])
        if scale_grad_by_freq:
            counts = np.bincount(flat, minlength=rows)
            grads = grads / counts[flat, None]
        grad = np.zeros_like(W)
        np.add.at(grad, flat, grads)
        if padding_idx is not None:
            grad[padding_idx] = 0
        return (grad,)

    return Tensor._record(out, (weight,), backward, EmbeddingBackward0)


def _renormalize(weight: Tensor, idx: np.ndarray, max_norm: float, norm_type: float) -> None:
    W = weight._data
    used = np.unique(idx)
    norms = np.linalg.norm(W[used], ord=norm_type, axis=1)
    over = norms > max_norm
    if over.any():
        W[used[over]] *= (max_norm / (norms[over] + 1e-7))[:, None]
        weight._vc[0] += 1


def one_hot(tensor: Any, num_classes: int = -1) -> Tensor:
    """An int64 Tensor with a trailing axis of ``num_classes`` (the largest value + 1 by
    default), 1 at each value's position.

    Examples
    --------
    >>> import nn
    >>> nn.F.one_hot(nn.tensor([0, 2]))
    tensor([[1, 0, 0],
            [0, 0, 1]])
    """
    data = tensor._data if isinstance(tensor, Tensor) else np.asarray(tensor)
    if data.dtype != np.int64:
        raise RuntimeError("one_hot is only applicable to index tensor of type LongTensor.")
    if num_classes == -1:
        if not data.size:
            raise RuntimeError("Can not infer total number of classes from empty tensor.")
        num_classes = int(data.max()) + 1
    if data.size and data.min() < 0:
        raise RuntimeError("Class values must be non-negative.")
    if data.size and data.max() >= num_classes:
        raise RuntimeError("Class values must be smaller than num_classes.")
    return Tensor._make((data[..., None] == np.arange(num_classes)).astype(np.int64))


class Embedding(Module):
    """A table of ``num_embeddings`` vectors of ``embedding_dim``, looked up by index, as
    ``torch.nn.Embedding``; initialised N(0, 1), the ``padding_idx`` row zero.

    Examples
    --------
    >>> import nn
    >>> nn.Embedding(10, 3)(nn.tensor([[1, 2], [4, 9]])).shape
    (2, 2, 3)
    """

    def __init__(
        self,
        num_embeddings: int,
        embedding_dim: int,
        padding_idx: int | None = None,
        max_norm: float | None = None,
        norm_type: float = 2.0,
        scale_grad_by_freq: bool = False,
        sparse: bool = False,
        _weight: Any = None,
        _freeze: bool = False,
        device: Any = None,
        dtype: Any = None,
        generator: Any = None,
    ) -> None:
        super().__init__()
        check_device(device)
        if padding_idx is not None:
            if not -num_embeddings <= padding_idx < num_embeddings:
                raise AssertionError("Padding_idx must be within num_embeddings")
            padding_idx %= num_embeddings
        self.num_embeddings, self.embedding_dim = num_embeddings, embedding_dim
        self.padding_idx, self.max_norm, self.norm_type = padding_idx, max_norm, norm_type
        self.scale_grad_by_freq, self.sparse = scale_grad_by_freq, sparse
        dtype = np.dtype(dtype) if dtype is not None else get_default_dtype()
        if _weight is None:
            self.weight = Parameter(np.empty((num_embeddings, embedding_dim), dtype=dtype))
            self.reset_parameters(generator)
        else:
            data = _weight._data if isinstance(_weight, Tensor) else np.asarray(_weight)
            if data.shape != (num_embeddings, embedding_dim):
                raise AssertionError(
                    "Shape of weight does not match num_embeddings and embedding_dim"
                )
            self.weight = Parameter(np.array(data), requires_grad=not _freeze)

    def reset_parameters(self, generator: Any = None) -> None:
        init.normal_(self.weight, generator=resolve_generator(generator))
        if self.padding_idx is not None:
            self.weight._data[self.padding_idx] = 0

    @classmethod
    def from_pretrained(
        cls,
        embeddings: Any,
        freeze: bool = True,
        padding_idx: int | None = None,
        max_norm: float | None = None,
        norm_type: float = 2.0,
        scale_grad_by_freq: bool = False,
        sparse: bool = False,
    ) -> Embedding:
        """An Embedding holding ``embeddings`` (2-D), frozen unless ``freeze=False``."""
        if len(embeddings.shape) != 2:
            raise AssertionError("Embeddings parameter is expected to be 2-dimensional")
        rows, dim = embeddings.shape
        return cls(
            rows,
            dim,
            padding_idx,
            max_norm,
            norm_type,
            scale_grad_by_freq,
            sparse,
            _weight=embeddings,
            _freeze=freeze,
        )

    def forward(self, input: Any) -> Tensor:
        return embedding(
            input,
            self.weight,
            self.padding_idx,
            self.max_norm,
            self.norm_type,
            self.scale_grad_by_freq,
            self.sparse,
        )

    def extra_repr(self) -> str:
        text = f"{self.num_embeddings}, {self.embedding_dim}"
        if self.padding_idx is not None:
            text += f", padding_idx={self.padding_idx}"
        if self.max_norm is not None:
            text += f", max_norm={self.max_norm}"
        return text
