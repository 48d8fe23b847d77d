"""Joining Tensors: ``cat`` (also ``concat``, ``concatenate``) and ``stack``, as PyTorch's.

Both promote their inputs to one dtype (PyTorch's ``result_type``), check shapes with
PyTorch's messages, and are one node whose backward hands each input its slice of the
gradient.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .. import _dtype
from .._args.out import into
from ..autograd.graph import node_type
from ..rules import shape as shape_rules
from ..tensor import Tensor
from ..tensor.core import _axis

CatBackward0 = node_type("CatBackward0")
StackBackward0 = node_type("StackBackward0")


def _tensors(tensors: object, name: str) -> list[Tensor]:
    if isinstance(tensors, Tensor | np.ndarray) or not isinstance(tensors, Sequence):
        raise TypeError(
            f"{name}(): argument 'tensors' (position 1) must be tuple of Tensors, not "
            f"{type(tensors).__name__}"
        )
    if not tensors:
        raise RuntimeError(f"{name}(): expected a non-empty list of Tensors")
    result = []
    for i, t in enumerate(tensors):
        if isinstance(t, np.ndarray):
            t = Tensor._make(t)
        if not isinstance(t, Tensor):
            raise TypeError(
                f"{name}(): argument 'tensors' (position 1) must be tuple of Tensors, but found "
                f"element of type {type(t).__name__} at pos {i}"
            )
        result.append(t)
    dtype = _dtype.result_dtype([t._data.dtype for t in result], [], [])
    return [t if t._data.dtype == dtype else t._cast(dtype) for t in result]


def cat(tensors: Sequence[Tensor], dim: int = 0, *, out: Tensor | None = None) -> Tensor:
    """The Tensors joined along an existing ``dim``; all other sizes must match.

    As PyTorch, a 1-D Tensor with no elements is skipped (a legacy rule), and the inputs
    are promoted to a common dtype.

    Examples
    --------
    >>> import nn
    >>> nn.cat([nn.zeros(1, 2), nn.ones(2, 2)]).shape
    (3, 2)
    """
    joined = _tensors(tensors, "cat")
    places = [i for i, t in enumerate(joined) if t._data.shape != (0,)] or [0]
    kept = [joined[i] for i in places]
    first = kept[0]._data
    for i, t in enumerate(joined):
        if t._data.ndim == 0:
            raise RuntimeError(f"zero-dimensional tensor (at position {i}) cannot be concatenated")
    axis = _axis(dim, first.ndim)
    for number, t in enumerate(joined):
        shape = t._data.shape
        if shape == (0,) and t is not kept[0]:
            continue
        if len(shape) != first.ndim:
            raise RuntimeError(
                f"Tensors must have same number of dimensions: got {first.ndim} and {len(shape)}"
            )
        for d, (n, m) in enumerate(zip(first.shape, shape, strict=True)):
            if d != axis and n != m:
                raise RuntimeError(
                    f"Sizes of tensors must match except in dimension {axis}. Expected size {n} "
                    f"but got size {m} for tensor number {number} in the list."
                )
    data, backward = shape_rules.cat_of([t._data for t in joined], places, axis)
    return into(out, Tensor._record(data, joined, backward, CatBackward0), "cat")


concat = concatenate = cat


def stack(tensors: Sequence[Tensor], dim: int = 0, *, out: Tensor | None = None) -> Tensor:
    """The Tensors, all of one shape, joined along a new ``dim``.

    Examples
    --------
    >>> import nn
    >>> nn.stack([nn.zeros(2), nn.ones(2)], dim=1)
    tensor([[0., 1.],
            [0., 1.]])
    """
    joined = _tensors(tensors, "stack")
    shape = joined[0]._data.shape
    for i, t in enumerate(joined):
        if t._data.shape != shape:
            raise RuntimeError(
                f"stack expects each tensor to be equal size, but got {list(shape)} at entry 0 "
                f"and {list(t._data.shape)} at entry {i}"
            )
    axis = _axis(dim, len(shape) + 1)
    data, backward = shape_rules.stack([t._data for t in joined], axis)
    return into(out, Tensor._record(data, joined, backward, StackBackward0), "stack")


def hstack(tensors: Sequence[Tensor], *, out: Tensor | None = None) -> Tensor:
    """The Tensors joined column-wise, as ``torch.hstack``: along dim 1, or dim 0 for 1-D
    ones (0-d ones count as 1-D)."""
    joined = [t.reshape(1) if not t._data.ndim else t for t in _tensors(tensors, "hstack")]
    return cat(joined, 0 if joined[0]._data.ndim == 1 else 1, out=out)


def vstack(tensors: Sequence[Tensor], *, out: Tensor | None = None) -> Tensor:
    """The Tensors joined row-wise, as ``torch.vstack``: 0-d and 1-D ones as rows first."""
    rows = [t.reshape(1, -1) if t._data.ndim < 2 else t for t in _tensors(tensors, "vstack")]
    return cat(rows, 0, out=out)


row_stack = vstack


def column_stack(tensors: Sequence[Tensor], *, out: Tensor | None = None) -> Tensor:
    """The Tensors side by side as columns, as ``torch.column_stack``: 0-d and 1-D ones
    become columns (n, 1) first, then all are joined along dim 1."""
    columns = [
        t.reshape(-1, 1) if t._data.ndim < 2 else t for t in _tensors(tensors, "column_stack")
    ]
    return cat(columns, 1, out=out)
