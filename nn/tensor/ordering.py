"""Tensor orderings along a dimension (a part of ``Tensor``): sort, argsort, topk, and
the running sums, products and differences cumsum, cumprod, diff."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

import numpy as np

from .._graph import node_type
from ..rules import Grads, reduction
from ..rules import shape as shape_rules
from .core import TensorCore
from .reduction import MaxResult

if TYPE_CHECKING:
    from ..tensor import Tensor

SortBackward0 = node_type("SortBackward0")
TopkBackward0 = node_type("TopkBackward0")
CumsumBackward0 = node_type("CumsumBackward0")
CumprodBackward0 = node_type("CumprodBackward0")


class TensorOrdering(TensorCore):
    """Ordering methods of ``Tensor``."""

    __slots__ = ()

    def diff(self, n: int = 1, dim: int = -1, prepend: Any = None, append: Any = None) -> Tensor:
        """Differences of neighbours along ``dim``, x[i + 1] - x[i] (``n`` times; of bools,
        whether they differ), after joining ``prepend`` and ``append`` on that dim.

        >>> import nn
        >>> nn.tensor([1, 4, 9]).diff()
        tensor([3, 5])
        """
        from .._joining import cat  # (joining builds on Tensor: imported late)

        me: Tensor = self  # type: ignore[assignment]
        if not me._data.ndim:
            raise RuntimeError("diff expects input to be at least one-dimensional")
        if n < 0:
            raise RuntimeError(f"order must be non-negative but got {n}")
        axis = me._axis(dim)
        if n == 0:  # (PyTorch's: a copy of the input, prepend and append ignored)
            return me.clone()
        parts = [p for p in (prepend, me, append) if p is not None]
        x = cat(parts, axis) if len(parts) > 1 else me
        for _ in range(n):
            length = x._data.shape[axis]
            if length == 0:
                break
            later, earlier = x.narrow(axis, 1, length - 1), x.narrow(axis, 0, length - 1)
            x = later.logical_xor(earlier) if x._data.dtype == np.bool_ else later - earlier
        return x

    def cumprod(self, dim: int, *, dtype: Any = None) -> Tensor:
        """Running products along ``dim`` (bools and integers in int64); the gradient is
        exact where an element is 0.

        >>> import nn
        >>> nn.tensor([1.0, 2.0, 3.0]).cumprod(0)
        tensor([1., 2., 6.])
        """
        x: Tensor = self if dtype is None else cast("Tensor", self).to(dtype)  # type: ignore[assignment]
        if x._data.dtype.kind in "biu" and dtype is None:
            x = x.to(np.int64)
        axis = x._axis(dim)
        line = x._data.reshape(x._data.shape or (1,))
        out, backward = reduction.cumprod(line, axis)
        shape = x._data.shape

        def reshaped(g: np.ndarray) -> tuple[Any, ...]:
            return (backward(g.reshape(line.shape))[0].reshape(shape),)

        return x._record(out.reshape(shape), (x,), reshaped, CumprodBackward0, (x,), result=True)

    def cumsum(self, dim: int, *, dtype: Any = None) -> Tensor:
        """Running sums along ``dim``; the gradient is the running sum from the other end.

        >>> import nn
        >>> nn.tensor([1.0, 2.0, 3.0]).cumsum(0)
        tensor([1., 3., 6.])
        """
        x: Tensor = self if dtype is None else cast("Tensor", self).to(dtype)  # type: ignore[assignment]
        if x._data.dtype.kind in "biu" and dtype is None:
            x = x.to(np.int64)
        axis = x._axis(dim)
        if not x._data.ndim:
            return x.clone()
        out = reduction.running(np.cumsum, x._data, axis)

        def backward(g: np.ndarray) -> Grads:
            return (np.flip(reduction.running(np.cumsum, np.flip(g, axis), axis), axis),)

        return x._record(out, (x,), backward, CumsumBackward0)

    def sort(self, dim: int = -1, descending: bool = False, stable: bool = False) -> MaxResult:
        """``(values, indices)`` sorted along ``dim``, as ``torch.sort``: NaN counts as the
        largest value; equal values keep their order (always stable); the gradient goes back
        to where each value came from.

        >>> import nn
        >>> nn.tensor([3.0, 1.0, 2.0]).sort(descending=True)
        MaxResult(values=tensor([3., 2., 1.]), indices=tensor([0, 2, 1]))
        """
        axis = self._axis(dim)
        if not self._data.ndim:  # a 0-d Tensor is its own sort
            return self._take_sorted(axis, np.zeros((), dtype=np.int64), SortBackward0)
        return self._take_sorted(
            axis, shape_rules.sort_order(self._data, axis, descending), SortBackward0
        )

    def argsort(self, dim: int = -1, descending: bool = False, stable: bool = False) -> Tensor:
        """The indices of ``sort``."""
        return self.sort(dim, descending, stable).indices

    def topk(self, k: int, dim: int = -1, largest: bool = True, sorted: bool = True) -> MaxResult:
        """The ``k`` largest (or smallest) values along ``dim`` and their indices, as
        ``torch.topk``, in sorted order (``sorted=False`` allows any order: this is one).

        >>> import nn
        >>> nn.tensor([1.0, 5.0, 3.0]).topk(2)
        MaxResult(values=tensor([5., 3.]), indices=tensor([1, 2]))
        """
        if self._data.dtype.kind == "b":
            raise RuntimeError("topk does not support bool dtypes on CPU")
        axis = self._axis(dim)
        size = self._data.shape[axis] if self._data.ndim else 1
        if not 0 <= k <= size:
            raise RuntimeError(f"selected index k out of range (k={k}, size {size} along {dim})")
        if not self._data.ndim:
            return self.sort() if k else cast("Tensor", self).reshape(1)[:0].sort()
        order = shape_rules.sort_order(self._data, axis, largest)
        return self._take_sorted(axis, np.take(order, np.arange(k), axis=axis), TopkBackward0)

    def _take_sorted(self, axis: int, order: np.ndarray, kind: Any) -> MaxResult:
        if order.ndim:
            values, backward = shape_rules.gather(self._data, axis, order)
        else:
            values, backward = self._data.copy(), lambda g: (g,)
        me: Tensor = self  # type: ignore[assignment]
        index = self._make(order)  # saved: its backward reads where each value came from
        return MaxResult(self._record(values, (me,), backward, kind, (index,)), index)
