"""Lookups as functions: ``embedding`` (rows of a weight chosen by indices; its gradient
adds into those rows) and ``one_hot``, over ``nn/rules/embedding.py`` (the layer:
``nn/modules/embedding.py``)."""

from __future__ import annotations

import numpy as np

from ..autograd.graph import node_type
from ..rules import embedding as embedding_rules
from ..tensor import Tensor
from ..types import InputLike

EmbeddingBackward0 = node_type("EmbeddingBackward0")


def _indices(input: InputLike, what: str) -> np.ndarray:
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
    input: InputLike,
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
    idx = _indices(input, "indices")  # (checked against the rows by the rule)
    rows = weight.shape[0]
    if padding_idx is not None and padding_idx < 0:
        padding_idx += rows
    if max_norm is not None:  # (rows checked first: the renormalisation writes into them)
        _renormalize(weight, embedding_rules.rows_checked(idx, rows), max_norm, norm_type)
    out, backward = embedding_rules.embedding(weight._data, idx, padding_idx, scale_grad_by_freq)
    return Tensor._record(out, (weight,), backward, EmbeddingBackward0)


def _renormalize(weight: Tensor, idx: np.ndarray, max_norm: float, norm_type: float) -> None:
    W = weight._data
    used = np.unique(idx)
    norms = np.linalg.norm(W[used], ord=norm_type, axis=1)
    over = norms > max_norm
    if over.any():
        W[used[over]] *= (max_norm / (norms[over] + 1e-7))[:, None]
        weight._vc[0] += 1


def one_hot(tensor: InputLike, num_classes: int = -1) -> Tensor:
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
