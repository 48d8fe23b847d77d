"""Tensor orderings along a dimension (a part of ``Tensor``): sort, argsort, msort, topk;
the order statistics median, nanmedian, kthvalue; the running sums, products, differences
and extremes cumsum, cumprod, diff, cummax, cummin. The positions order statistics pick are
computed in ``nn/rules/ordering.py``."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, cast

import numpy as np

from .. import _dtype
from ..autograd.graph import Node, node_type
from ..rules import Grads, reduction
from ..rules import ordering as ordering_rules
from ..rules._quiet import quiet
from ..types import DTypeLike
from .core import TensorCore
from .reduction import MaxResult

if TYPE_CHECKING:
    from ..tensor import Tensor

SortBackward0 = node_type("SortBackward0")
TopkBackward0 = node_type("TopkBackward0")
CumsumBackward0 = node_type("CumsumBackward0")
CumprodBackward0 = node_type("CumprodBackward0")
LogcumsumexpBackward0 = node_type("LogcumsumexpBackward0")
CummaxBackward0 = node_type("CummaxBackward0")
CumminBackward0 = node_type("CumminBackward0")
MedianBackward0 = node_type("MedianBackward0")
MedianBackward1 = node_type("MedianBackward1")
NanmedianBackward0 = node_type("NanmedianBackward0")
NanmedianBackward1 = node_type("NanmedianBackward1")
KthvalueBackward0 = node_type("KthvalueBackward0")


class TensorOrdering(TensorCore):
    """Ordering methods of ``Tensor``."""

    __slots__ = ()

    def diff(
        self,
        n: int = 1,
        dim: int = -1,
        prepend: Any = None,
        append: Any = None,
    ) -> Tensor:
        """Differences of neighbours along ``dim``, x[i + 1] - x[i] (``n`` times; of bools,
        whether they differ), after joining ``prepend`` and ``append`` on that dim.

        >>> import nn
        >>> nn.tensor([1, 4, 9]).diff()
        tensor([3, 5])
        """
        from .._namespace.joining import cat  # (joining builds on Tensor: imported late)

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

    def cumprod(self, dim: int, *, dtype: DTypeLike | None = None) -> Tensor:
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
        out, backward = ordering_rules.cumprod(line, axis)
        shape = x._data.shape

        def reshaped(g: np.ndarray) -> Grads:
            return (backward(g.reshape(line.shape))[0].reshape(shape),)

        return x._record(out.reshape(shape), (x,), reshaped, CumprodBackward0, (x,), result=True)

    def cumsum(self, dim: int, *, dtype: DTypeLike | None = None) -> Tensor:
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
        out, backward = ordering_rules.cumsum(x._data, axis)
        return x._record(out, (x,), backward, CumsumBackward0)

    def logcumsumexp(self, dim: int) -> Tensor:
        """log(cumsum(exp(x))) along ``dim``, each step a stable logaddexp (no overflow for
        large x, no -inf for very negative x); floats only, as PyTorch's kernel.

        >>> import nn
        >>> nn.tensor([0.0, 0.0, 0.0]).logcumsumexp(0)
        tensor([0.0000, 0.6931, 1.0986])
        """
        if self._data.dtype.kind not in "fc":  # (PyTorch's kernel takes floats only)
            name = _dtype.torch_name(self._data.dtype)
            raise NotImplementedError(f"\"logcumsumexp_out_cpu\" not implemented for '{name}'")
        x = cast("Tensor", self)
        axis = x._axis(dim)
        line = x._data.reshape(x._data.shape or (1,))
        out, backward = ordering_rules.logcumsumexp(line, axis)
        shape = x._data.shape

        def reshaped(g: np.ndarray) -> Grads:
            if not shape:  # (PyTorch's: a 0-d input passes the gradient through)
                return (g.copy(),)
            return (backward(g.reshape(line.shape))[0].reshape(shape),)

        kind = LogcumsumexpBackward0
        return x._record(out.reshape(shape), (x,), reshaped, kind, (x,), result=True)

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
            axis, ordering_rules.sort_order(self._data, axis, descending), SortBackward0
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
        order = ordering_rules.sort_order(self._data, axis, largest)
        return self._take_sorted(axis, np.take(order, np.arange(k), axis=axis), TopkBackward0)

    def _take_sorted(self, axis: int, order: np.ndarray, kind: type[Node]) -> MaxResult:
        values, backward = ordering_rules.sorted_values(self._data, axis, order)
        me: Tensor = self  # type: ignore[assignment]
        index = self._make(order)  # saved: its backward reads where each value came from
        return MaxResult(self._record(values, (me,), backward, kind, (index,)), index)

    def msort(self) -> Tensor:
        """The values sorted along the first dimension (``sort(0).values``)."""
        values: Tensor = self.sort(0).values
        return values

    # ------------------------------------------------------------ order statistics
    def _picked(
        self,
        positions: np.ndarray,
        axis: int,
        keepdim: bool,
        kind: type[Node],
        reads_self: bool = False,
    ) -> MaxResult:
        """``(values, indices)`` of the elements at ``positions`` (axis kept) along ``axis``;
        the node saves the indices (and this Tensor, with ``reads_self``, as PyTorch's)."""
        values, indices, backward = reduction.picked(self._data, positions, axis, keepdim)
        index = self._make(indices.astype(np.int64))
        saved = (self, index) if reads_self else (index,)
        return MaxResult(self._record(values, (self,), backward, kind, saved), index)

    def _statistic(
        self,
        name: str,
        dim: int | None,
        keepdim: bool,
        positions: Callable[[np.ndarray, int], np.ndarray],
        kinds: tuple[type[Node], type[Node]],
    ) -> Tensor | MaxResult:
        if self._data.dtype.kind == "b":
            raise NotImplementedError(f"\"{name}_out\" not implemented for 'Bool'")
        if dim is None:  # (one value; its gradient shared by the elements equal to it)
            flat = self._data.reshape(-1)
            if flat.size:
                value = flat[positions(flat, 0)].reshape(())
            else:  # (NaN; in an integer dtype, what NaN becomes: its minimum)
                with quiet():
                    value = np.asarray(np.nan).astype(self._data.dtype)
            backward = reduction.shared_by_equals(self._data, value)
            return self._record(value.copy(), (self,), backward, kinds[0], (self,), result=True)
        axis = self._axis(dim)
        if not self._data.ndim:
            return self._picked(np.zeros((), dtype=np.int64), 0, keepdim, kinds[1])
        if not self._data.shape[axis]:
            raise IndexError(f"{name}(): Expected reduction dim {dim} to have non-zero size.")
        return self._picked(positions(self._data, axis), axis, keepdim, kinds[1])

    def median(self, dim: int | None = None, keepdim: bool = False) -> Tensor | MaxResult:
        """The lower median (the ((n - 1) // 2)-th smallest), NaN if any element is; along
        ``dim``, ``(values, indices)``. Among equal elements the index may be another one
        than PyTorch's (PyTorch: "not necessarily the first occurrence").

        >>> import nn
        >>> nn.tensor([3.0, 1.0, 4.0, 2.0]).median()
        tensor(2.)
        """
        positions = lambda x, axis: ordering_rules.median_positions(x, axis, False)  # noqa: E731
        kinds = (MedianBackward0, MedianBackward1)
        return self._statistic("median", dim, keepdim, positions, kinds)

    def nanmedian(self, dim: int | None = None, keepdim: bool = False) -> Tensor | MaxResult:
        """``median`` ignoring NaN (NaN only where every element is)."""
        positions = lambda x, axis: ordering_rules.median_positions(x, axis, True)  # noqa: E731
        kinds = (NanmedianBackward0, NanmedianBackward1)
        return self._statistic("nanmedian", dim, keepdim, positions, kinds)

    def kthvalue(self, k: int, dim: int = -1, keepdim: bool = False) -> MaxResult:
        """``(values, indices)`` of the k-th smallest element along ``dim`` (k from 1; NaN
        the largest)."""
        size = self._data.shape[self._axis(dim)] if self._data.ndim else 1
        if not size:
            raise IndexError(f"kthvalue(): Expected reduction dim {dim} to have non-zero size.")
        if not 1 <= k <= size:
            raise RuntimeError(f"kthvalue(): selected number k out of range for dimension {dim}")
        positions = lambda x, axis: ordering_rules.kth_positions(x, axis, k - 1)  # noqa: E731
        kinds = (KthvalueBackward0, KthvalueBackward0)
        return cast(MaxResult, self._statistic("kthvalue", dim, keepdim, positions, kinds))

    def cummax(self, dim: int) -> MaxResult:
        """``(values, indices)`` of the running maximum along ``dim``: each index is the
        latest element equal to it (NaN, once met, stays the maximum).

        >>> import nn
        >>> nn.tensor([1.0, 3.0, 2.0, 3.0]).cummax(0).indices
        tensor([0, 1, 1, 3])
        """
        return self._running_extreme(dim, True, CummaxBackward0)

    def cummin(self, dim: int) -> MaxResult:
        """``(values, indices)`` of the running minimum along ``dim``."""
        return self._running_extreme(dim, False, CumminBackward0)

    def _running_extreme(self, dim: int, largest: bool, kind: type[Node]) -> MaxResult:
        axis = self._axis(dim)
        if not self._data.ndim:
            return self._picked(np.zeros((), dtype=np.int64), 0, True, kind, reads_self=True)
        positions = ordering_rules.running_extreme_positions(self._data, axis, largest)
        return self._picked(positions, axis, True, kind, reads_self=True)

    # ------------------------------------------------------------ quantiles
    def quantile(
        self,
        q: float | Tensor,
        dim: int | None = None,
        keepdim: bool = False,
        *,
        interpolation: str = "linear",
    ) -> Tensor:
        """The q-th quantiles along ``dim`` (of all elements when None), as
        ``torch.quantile``: sort, then between the sorted values at ranks floor and ceil of
        q (n - 1), by ``interpolation`` ("linear", "lower", "higher", "midpoint",
        "nearest"); NaN if the slice holds one. A 1-D ``q`` puts its dimension first. Made
        of sort, gather and lerp: the gradient goes to the two values each quantile reads.

        >>> import nn
        >>> nn.tensor([1.0, 2.0, 3.0, 4.0]).quantile(0.5)
        tensor(2.5000)
        """
        return self._quantile(q, dim, keepdim, interpolation, "quantile")

    def nanquantile(
        self,
        q: float | Tensor,
        dim: int | None = None,
        keepdim: bool = False,
        *,
        interpolation: str = "linear",
    ) -> Tensor:
        """``quantile`` of the elements that are not NaN (NaN where all are)."""
        return self._quantile(q, dim, keepdim, interpolation, "nanquantile")

    def _quantile(
        self, q: float | Tensor, dim: int | None, keepdim: bool, interpolation: str, name: str
    ) -> Tensor:
        me = cast("Tensor", self)
        if me._data.dtype.kind != "f":
            raise RuntimeError(f"{name}() input tensor must be either float or double dtype")
        if not me._data.size:
            raise RuntimeError(f"{name}() input tensor must be non-empty")
        if interpolation not in ("linear", "lower", "higher", "midpoint", "nearest"):
            raise ValueError(
                f"{name}() interpolation must be one of linear, lower, higher, midpoint or "
                f"nearest. Got {interpolation}"
            )
        if isinstance(q, TensorCore):
            if q._data.dtype != me._data.dtype:
                raise RuntimeError(f"{name}() q tensor must be same dtype as the input tensor")
            if q._data.ndim > 1:
                raise RuntimeError(f"{name}() q must be a scalar or 1D tensor")
            levels = q._data.astype(me._data.dtype)
        else:
            levels = np.asarray(q, dtype=me._data.dtype)
        outside = (levels < 0) | (levels > 1)
        if outside.any():
            raise RuntimeError(
                f"{name}() q must be in the range [0, 1] but got {levels[outside].flat[0]}"
            )
        lines = me.reshape(-1) if dim is None else me.movedim(me._axis(dim), -1)
        ordered = lines.sort(-1).values  # (NaN last)
        size = ordered.shape[-1] if ordered.dim() else 1
        if ordered.dim() == 0:
            ordered = ordered.reshape(1)
        nans = np.isnan(ordered._data).sum(axis=-1, keepdims=True)
        if name == "nanquantile":
            last = np.maximum(size - nans - 1, 0)  # (the last value that is not NaN)
        else:
            last = np.full_like(nans, size - 1)
        ranks = levels.reshape(-1) * last.astype(me._data.dtype)  # (batch..., len(q))
        if name == "quantile":
            ranks = np.where(nans > 0, size - 1, ranks)  # (NaN: the NaN at the end)
        below = np.floor(ranks)
        above = np.ceil(ranks)
        if interpolation == "lower":
            above = below
        elif interpolation == "higher":
            below = above
        elif interpolation == "nearest":
            below = above = np.round(ranks)
        low = ordered.gather(-1, me._make(below.astype(np.int64)))
        high = ordered.gather(-1, me._make(above.astype(np.int64)))
        if interpolation == "midpoint":
            weight = np.full(ranks.shape, 0.5, me._data.dtype)
        else:
            weight = (ranks - below).astype(me._data.dtype)
        out = low.lerp(high, me._make(weight)) if interpolation in ("linear", "midpoint") else low
        out = out.movedim(-1, 0)  # (len(q), batch...)
        if keepdim:
            at = 1 + (me._axis(dim) if dim is not None else 0)
            if dim is None:
                out = out.reshape(out.shape[0], *([1] * me.dim()))
            else:
                out = out.unsqueeze(at)
        return out if levels.ndim else out.squeeze(0)
