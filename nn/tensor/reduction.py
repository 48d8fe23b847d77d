"""Tensor reductions and softmax (a mixin of ``Tensor``), with PyTorch's ``dim`` /
``keepdim`` (NumPy's ``axis`` / ``keepdims`` are accepted too, so ``np.sum(t)`` and
``np.mean(t)`` call these)."""

from __future__ import annotations

import math
import warnings
from typing import TYPE_CHECKING, Any, NamedTuple, cast

import numpy as np

from .. import _dtype
from .._args.dims import axes_of, refuse_numpy_keywords
from ..autograd.graph import node_type
from ..rules import reduction as reduction_rules
from ..rules._quiet import quiet
from ..types import Dim, DTypeLike, Number, TensorLike
from .arithmetic import _broadcast_error
from .core import TensorCore

if TYPE_CHECKING:
    from ..tensor import Tensor

SumBackward0 = node_type("SumBackward0")
SumBackward1 = node_type("SumBackward1")
NansumBackward0 = node_type("NansumBackward0")
DistBackward0 = node_type("DistBackward0")
MeanBackward0 = node_type("MeanBackward0")
MeanBackward1 = node_type("MeanBackward1")
VarBackward0 = node_type("VarBackward0")
StdBackward0 = node_type("StdBackward0")
ProdBackward0 = node_type("ProdBackward0")
MaxBackward1 = node_type("MaxBackward1")
AmaxBackward0 = node_type("AmaxBackward0")
AminBackward0 = node_type("AminBackward0")
MaxBackward0 = node_type("MaxBackward0")
MinBackward1 = node_type("MinBackward1")
MinBackward0 = node_type("MinBackward0")
LogsumexpBackward0 = node_type("LogsumexpBackward0")
NormBackward1 = node_type("NormBackward1")


class MaxResult(NamedTuple):
    """``(values, indices)`` along a dimension, as ``torch.max(x, dim)``, ``sort``, ``topk``.

    Examples
    --------
    >>> import nn
    >>> nn.tensor([[1.0, 5.0], [7.0, 2.0]]).max(dim=1).indices
    tensor([1, 0])
    """

    values: Tensor
    indices: Tensor


def _dim(dim: Dim | None, axis: Dim | None) -> Dim | None:
    return axis if dim is None else dim


def _no_out(out: object) -> None:
    if out is not None:
        raise TypeError("descend's reductions do not take out=; assign the result instead")


class TensorReduce(TensorCore):
    """Reduction methods of ``Tensor``."""

    __slots__ = ()

    def _reduce_axes(self, dim: Dim | None) -> tuple[int, ...] | None:
        axes = axes_of(dim, self._data.ndim)
        if axes is not None and (len(axes) == 0 or self._data.ndim == 0):
            return None  # dim=() reduces everything, as PyTorch
        return axes

    def sum(
        self,
        dim: Dim | None = None,
        keepdim: bool = False,
        *,
        dtype: DTypeLike | None = None,
        axis: Dim | None = None,
        out: Tensor | None = None,
        keepdims: bool | None = None,
    ) -> Tensor:
        """Sum over ``dim`` (every element when None or ()); bool and integer Tensors sum to
        int64.

        Examples
        --------
        >>> import nn
        >>> nn.tensor([[1.0, 2.0], [3.0, 4.0]]).sum(dim=0)
        tensor([4., 6.])
        """
        _no_out(out)
        keep = keepdim if keepdims is None else keepdims
        axes = self._reduce_axes(_dim(dim, axis))
        target = (
            _dtype.to_dtype(dtype)
            if dtype is not None
            else (_dtype.int64 if self._data.dtype.kind in "biu" else None)
        )
        with quiet():  # (inf - inf is NaN, silently, as PyTorch)
            result, backward = reduction_rules.sum(self._data, axes, keep, target)
        kind = SumBackward0 if axes is None else SumBackward1
        return self._record(result, (self,), backward, kind)

    def nansum(
        self, dim: Dim | None = None, keepdim: bool = False, *, dtype: DTypeLike | None = None
    ) -> Tensor:
        """Sum over ``dim`` counting NaNs as 0 (their gradient is 0).

        >>> import nn
        >>> nn.tensor([1.0, float("nan"), 2.0]).nansum()
        tensor(3.)
        """
        axes = self._reduce_axes(dim)
        target = (
            _dtype.to_dtype(dtype)
            if dtype is not None
            else (_dtype.int64 if self._data.dtype.kind in "biu" else None)
        )
        with quiet():
            result, backward = reduction_rules.nansum(self._data, axes, keepdim, target)
        return self._record(result, (self,), backward, NansumBackward0, (self,))

    def nanmean(
        self, dim: Dim | None = None, keepdim: bool = False, *, dtype: DTypeLike | None = None
    ) -> Tensor:
        """The mean of the elements that are not NaN: ``nansum / count`` (NaN when all are).

        >>> import nn
        >>> nn.tensor([1.0, float("nan"), 2.0]).nanmean()
        tensor(1.5000)
        """
        if self._data.dtype.kind != "f":
            raise RuntimeError(
                "nanmean(): expected input to have floating point or complex dtype but got "
                f"{_dtype.torch_name(self._data.dtype)}"
            )
        me = cast("Tensor", self)
        counted = me.isnan().logical_not().sum(dim, keepdim)
        return me.nansum(dim, keepdim, dtype=dtype) / counted

    def dist(self, other: TensorLike | Number, p: float = 2) -> Tensor:
        """The ``p``-norm of ``self - other`` (broadcast), a 0-d Tensor; its backward reads
        both inputs and the result (as PyTorch's ``DistBackward0``).

        >>> import nn
        >>> nn.tensor([3.0, 0.0]).dist(nn.tensor([0.0, 4.0]))
        tensor(5.)
        """
        if not isinstance(other, TensorReduce):
            raise TypeError(
                f"dist(): argument 'other' (position 1) must be Tensor, not {type(other).__name__}"
            )
        a, b = cast("Tensor", self)._pair(other, "dist")
        if a._data.dtype.kind not in "fc":
            raise RuntimeError(
                "linalg.vector_norm: Expected a floating point or complex tensor as input. Got "
                + _dtype.torch_name(a._data.dtype)
            )
        try:
            shape = np.broadcast_shapes(a._data.shape, b._data.shape)
        except ValueError:
            raise _broadcast_error("dist", a._data, b._data) from None
        reduction_rules.refuse_empty_norm(np.broadcast_to(a._data, shape), float(p), None)
        with quiet():  # (overflow to inf is silent, as PyTorch's)
            result, backward = reduction_rules.dist(a._data, b._data, float(p))
        return self._record(result, (a, b), backward, DistBackward0, (self, other), result=True)

    def mean(
        self,
        dim: Dim | None = None,
        keepdim: bool = False,
        *,
        dtype: DTypeLike | None = None,
        axis: Dim | None = None,
        out: Tensor | None = None,
        keepdims: bool | None = None,
    ) -> Tensor:
        """Mean over ``dim`` (every element when None or ()); needs a float Tensor."""
        _no_out(out)
        x = cast("Tensor", self) if dtype is None else cast("Tensor", self).to(dtype)
        if x._data.dtype.kind not in "fc":
            raise RuntimeError(
                "mean(): could not infer output dtype. Input dtype must be either a floating "
                f"point or complex dtype. Got: {_dtype.torch_name(x._data.dtype)}"
            )
        keep = keepdim if keepdims is None else keepdims
        axes = self._reduce_axes(_dim(dim, axis))
        with quiet():
            result, backward = reduction_rules.mean(x._data, axes, keep)
        kind = MeanBackward0 if axes is None else MeanBackward1
        return self._record(result, (x,), backward, kind)

    def var(
        self,
        dim: Dim | None = None,
        unbiased: bool | None = None,
        keepdim: bool = False,
        *,
        correction: float | None = None,
        axis: Dim | None = None,
        ddof: int | None = None,
        out: Tensor | None = None,
        dtype: DTypeLike | None = None,
    ) -> Tensor:
        """Variance over ``dim`` with Bessel's correction (``correction=1``) by default."""
        return self._moment(
            reduction_rules.var, VarBackward0, dim, axis, unbiased, correction, ddof, keepdim
        )

    def std(
        self,
        dim: Dim | None = None,
        unbiased: bool | None = None,
        keepdim: bool = False,
        *,
        correction: float | None = None,
        axis: Dim | None = None,
        ddof: int | None = None,
        out: Tensor | None = None,
        dtype: DTypeLike | None = None,
    ) -> Tensor:
        """Standard deviation over ``dim`` (``correction=1`` by default)."""
        return self._moment(
            reduction_rules.std, StdBackward0, dim, axis, unbiased, correction, ddof, keepdim
        )

    def _moment(
        self,
        rule: Any,
        kind: Any,
        dim: Any,
        axis: Any,
        unbiased: Any,
        correction: Any,
        ddof: Any,
        keepdim: bool,
    ) -> Tensor:
        if isinstance(dim, bool):  # var(False): the old positional `unbiased`
            unbiased, dim = dim, None
        c = (
            correction
            if correction is not None
            else ddof
            if ddof is not None
            else (0 if unbiased is False else 1)
        )
        if self._data.dtype.kind not in "fc":
            raise RuntimeError("std and var only support floating point and complex dtypes")
        x = cast("Tensor", self)
        axes = self._reduce_axes(_dim(dim, axis))
        shape = x._data.shape
        reduced = x._data.size if axes is None else math.prod(shape[a] for a in axes)
        if reduced - c <= 0:  # (PyTorch's warning; the result is NaN or inf, as its)
            warnings.warn(
                f"{rule.__name__}(): degrees of freedom is <= 0. Correction should be strictly "
                "less than the reduction factor (input numel divided by output numel).",
                UserWarning,
                stacklevel=3,
            )
        with quiet():
            result, backward = rule(x._data, axes, float(c), keepdim)
        return self._record(result, (x,), backward, kind, (x,), result=rule is reduction_rules.std)

    def prod(
        self, dim: Dim | None = None, keepdim: bool = False, *, dtype: DTypeLike | None = None
    ) -> Tensor:
        """Product over one ``dim`` (or of every element); exact gradients with zeros; bool
        and integer Tensors multiply in int64, as PyTorch's."""
        if dtype is None and self._data.dtype.kind in "biu":
            dtype = _dtype.int64
        x = cast("Tensor", self) if dtype is None else cast("Tensor", self).to(dtype)
        axis = None if dim is None else self._reduce_axes(dim)
        result, backward = reduction_rules.prod(x._data, None if axis is None else axis[0], keepdim)
        return self._record(result, (x,), backward, ProdBackward0, (x,), result=True)

    def max(
        self,
        dim: Dim | None = None,
        keepdim: bool = False,
        *,
        axis: Dim | None = None,
        out: Tensor | None = None,
        keepdims: bool | None = None,
        initial: object = None,
        where: object = None,
    ) -> Any:
        """The largest element (NaN if any is), or ``(values, indices)`` along ``dim``, as
        ``torch.max``; with a Tensor argument, the elementwise maximum.

        Examples
        --------
        >>> import nn
        >>> x = nn.tensor([[1.0, 5.0], [7.0, 2.0]])
        >>> x.max(), x.max(dim=0).values
        (tensor(7.), tensor([7., 5.]))
        """
        refuse_numpy_keywords("max", out=out, initial=initial, where=where)
        if dim is not None and not isinstance(dim, int | np.integer):
            return cast("Tensor", self).maximum(dim)
        return self._extremum(_dim(dim, axis), keepdim if keepdims is None else keepdims, True)

    def min(
        self,
        dim: Dim | None = None,
        keepdim: bool = False,
        *,
        axis: Dim | None = None,
        out: Tensor | None = None,
        keepdims: bool | None = None,
        initial: object = None,
        where: object = None,
    ) -> Any:
        """The smallest element, or ``(values, indices)`` along ``dim``, as ``torch.min``."""
        refuse_numpy_keywords("min", out=out, initial=initial, where=where)
        if dim is not None and not isinstance(dim, int | np.integer):
            return cast("Tensor", self).minimum(dim)
        return self._extremum(_dim(dim, axis), keepdim if keepdims is None else keepdims, False)

    def _extremum(self, dim: Dim | None, keepdim: bool, largest: bool) -> Tensor | MaxResult:
        me: Tensor = self  # type: ignore[assignment]
        name = "max" if largest else "min"
        if dim is None:
            self._nonempty(name, None, period=True, error=RuntimeError)
            result, backward = reduction_rules.max_all(self._data, largest)
            kind = MaxBackward1 if largest else MinBackward1
            return self._record(result, (me,), backward, kind, (me,), result=True)
        axis = self._reduce_axes(dim)
        self._nonempty(name, axis)
        values, indices, backward = reduction_rules.max_dim(
            self._data, 0 if axis is None else axis[0], keepdim, largest
        )
        kind = MaxBackward0 if largest else MinBackward0
        index = self._make(indices)  # saved: its backward reads where each value came from
        return MaxResult(self._record(values, (me,), backward, kind, (index,)), index)

    def _nonempty(
        self, name: str, axes: Any, period: bool = False, error: type = IndexError
    ) -> None:
        """PyTorch's errors for a reduction that needs an element: over an empty Tensor with
        no dim given (``RuntimeError``; ``IndexError`` for argmax), or over a dim of size 0."""
        if not self._data.size:
            if axes is None:
                raise error(
                    f"{name}(): Expected reduction dim to be specified for input.numel() == 0."
                    + (" Specify the reduction dim with the 'dim' argument." if period else "")
                )
            for axis in axes:
                if self._data.ndim and self._data.shape[axis] == 0:
                    raise IndexError(
                        f"{name}(): Expected reduction dim {axis} to have non-zero size."
                    )

    def amax(self, dim: Dim = (), keepdim: bool = False) -> Tensor:
        """The largest elements over ``dim`` (every dim by default); ties share the
        gradient equally, as ``torch.amax`` (``max(dim)`` gives it to one index)."""
        return self._amax(dim, keepdim, True)

    def amin(self, dim: Dim = (), keepdim: bool = False) -> Tensor:
        """The smallest elements over ``dim``, as ``torch.amin``."""
        return self._amax(dim, keepdim, False)

    def _amax(self, dim: Dim, keepdim: bool, largest: bool) -> Tensor:
        me: Tensor = self  # type: ignore[assignment]
        name = "amax" if largest else "amin"
        if not self._data.size and isinstance(dim, int | tuple | list) and dim != ():
            for d in (dim,) if isinstance(dim, int) else dim:  # (before repeated dims)
                self._nonempty(name, axes_of(d, self._data.ndim))
        axes = self._reduce_axes(dim)
        if axes is None:
            self._nonempty(name, None, period=True, error=RuntimeError)
        self._nonempty(name, axes)
        axes = tuple(range(self._data.ndim)) if axes is None else tuple(axes)
        result, backward = reduction_rules.amax(self._data, axes, keepdim, largest)
        kind = AmaxBackward0 if largest else AminBackward0
        return self._record(result, (me,), backward, kind, (me,), result=True)

    def argmax(
        self,
        dim: Dim | None = None,
        keepdim: bool = False,
        *,
        axis: Dim | None = None,
        out: Tensor | None = None,
    ) -> Tensor:
        """The index of the largest element (flattened), or along ``dim``."""
        return self._arg(np.argmax, _dim(dim, axis), keepdim)

    def argmin(
        self,
        dim: Dim | None = None,
        keepdim: bool = False,
        *,
        axis: Dim | None = None,
        out: Tensor | None = None,
    ) -> Tensor:
        return self._arg(np.argmin, _dim(dim, axis), keepdim)

    def _arg(self, fn: Any, dim: Any, keepdim: bool) -> Tensor:
        name = "argmax" if fn is np.argmax else "argmin"
        if self._data.dtype.kind == "b":
            raise RuntimeError(f"{name}(): does not support bool input")
        self._nonempty(name, None if dim is None else self._reduce_axes(dim))
        if dim is None:
            index = np.asarray(fn(self._data), dtype=np.int64)
            return self._make(index.reshape((1,) * self._data.ndim) if keepdim else index)
        axes = self._reduce_axes(dim)
        if axes is None:
            return self._make(np.zeros((), dtype=np.int64))
        result = fn(self._data, axis=axes[0])
        if keepdim:
            result = np.expand_dims(result, axes[0])
        return self._make(np.asarray(result, dtype=np.int64))

    def all(
        self,
        dim: Dim | None = None,
        keepdim: bool = False,
        *,
        axis: Dim | None = None,
        out: Tensor | None = None,
        keepdims: bool | None = None,
        where: object = None,
    ) -> Tensor:
        """Whether every element (along ``dim``) is true; a uint8 Tensor gives uint8, as
        PyTorch's (and ``dim=()`` reduces nothing, as PyTorch's ``all``)."""
        refuse_numpy_keywords("all", out=out, where=where)
        return self._truth(np.all, _dim(dim, axis), keepdim if keepdims is None else keepdims)

    def _truth(self, fn: Any, dim: Any, keep: bool) -> Tensor:
        data = self._data
        if dim == () or (isinstance(dim, list | tuple) and not dim):
            result = data != 0
        else:
            result = np.asarray(fn(data, axis=self._reduce_axes(dim), keepdims=keep))
        return self._make(result.astype(np.uint8) if data.dtype == np.uint8 else result)

    def any(
        self,
        dim: Dim | None = None,
        keepdim: bool = False,
        *,
        axis: Dim | None = None,
        out: Tensor | None = None,
        keepdims: bool | None = None,
        where: object = None,
    ) -> Tensor:
        """Whether any element (along ``dim``) is true (as ``all``)."""
        refuse_numpy_keywords("any", out=out, where=where)
        return self._truth(np.any, _dim(dim, axis), keepdim if keepdims is None else keepdims)

    def logsumexp(self, dim: Dim, keepdim: bool = False) -> Tensor:
        """log(sum(exp(x))) over ``dim``, computed stably."""
        x = cast("Tensor", self)._floating()
        axes = self._reduce_axes(dim) or tuple(range(self._data.ndim))
        result, backward = reduction_rules.logsumexp(x._data, axes, keepdim)
        return self._record(result, (x,), backward, LogsumexpBackward0, (x,), result=True)

    def norm(
        self,
        p: Any = "fro",
        dim: Dim | None = None,
        keepdim: bool = False,
        dtype: DTypeLike | None = None,
    ) -> Tensor:
        """The p-norm (2 by default; "fro" is 2) over ``dim`` or every element.

        Examples
        --------
        >>> import nn
        >>> nn.tensor([3.0, 4.0]).norm()
        tensor(5.)
        """
        order = 2.0 if p in ("fro", None) else float(p)
        if p == "nuc":
            raise NotImplementedError("the nuclear norm is not supported")
        if isinstance(dim, tuple | list) and len(dim) > 2:
            raise RuntimeError(
                f"linalg.matrix_norm: dim must be a 2-tuple. Got {' '.join(map(str, dim))}"
            )
        if dtype is None and self._data.dtype.kind not in "fc":
            raise RuntimeError(
                "linalg.vector_norm: Expected a floating point or complex tensor as input. Got "
                + _dtype.torch_name(self._data.dtype)
            )
        x = cast("Tensor", self) if dtype is None else cast("Tensor", self).to(dtype)
        axes = self._reduce_axes(dim)
        reduction_rules.refuse_empty_norm(x._data, order, axes)
        with quiet():  # (overflow to inf is silent, as PyTorch's)
            result, backward = reduction_rules.norm(x._data, order, axes, keepdim)
        return self._record(result, (x,), backward, NormBackward1, (x,), result=True)
