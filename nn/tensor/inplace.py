"""In-place Tensor operators and methods (a mixin of ``Tensor``): ``+=``, ``add_``,
``x[i] = v``, ``zero_``, ``normal_``...

Each changes the Tensor's own storage and bumps its version. Outside the graph (under
``no_grad``, or when nothing involved requires grad) the arithmetic runs as one NumPy ufunc
writing into the storage; otherwise the out-of-place op is recorded and its result written
back (``Tensor._inplace``), so backward stays correct.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar, cast

import numpy as np

from .. import _dtype
from .._args.overloads import alpha_first
from .._errors import read_only_error
from ..autograd.grad_mode import _Mode
from ..autograd.graph import node_type
from ..rules import inplace as inplace_rules
from ..rules import scaled_sum
from ..types import Dim, InputLike, Number, TensorLike
from . import in_place as _in_place
from .arithmetic import _refuse_bool_subtraction
from .core import TensorCore, plain_index
from .elementwise import _clamp_bounds
from .indexing import _refuse_overlap, _repeats, _warn_expanded, _writable_alias
from .shape import TensorShape

if TYPE_CHECKING:
    from ..tensor import Tensor

T = TypeVar("T", bound="TensorInplace")

CopyBackwards = node_type("CopyBackwards")
FillBackward2 = node_type("FillBackward2")  # (from a number)
FillBackward3 = node_type("FillBackward3")  # (from a 0-d Tensor)
ZeroBackward0 = node_type("ZeroBackward0")
MaskedFillBackward0 = node_type("MaskedFillBackward0")
MaskedFillBackward1 = node_type("MaskedFillBackward1")


class TensorInplace(TensorCore):
    """In-place methods of ``Tensor``."""

    __slots__ = ()

    # ------------------------------------------------------------------ in place
    def _check_inplace(self) -> None:
        """Refuse an in-place change PyTorch refuses (``nn/tensor/in_place.py``)."""
        _in_place.check(self)

    def _recording(self, *others: object) -> bool:
        """Whether an in-place op with ``others`` must be recorded (after the checks)."""
        return _in_place.recording(self, *others)

    def _inplace(self: T, op: Callable[..., Tensor], *args: object, **kwargs: object) -> T:
        """The out-of-place ``op(self, ...)`` written into this Tensor's storage."""
        return _in_place.run(self, op, *args, **kwargs)

    def _write(self, values: np.ndarray) -> None:
        """Copy ``values`` (this Tensor's shape) into the storage and bump the version."""
        _in_place.write(self, values)

    def _arith_(
        self: T, ufunc: np.ufunc, outplace: Any, other: TensorLike | Number, **params: Any
    ) -> T:
        """``self (op)= other`` in place: one ufunc into the storage outside the graph."""
        if self._recording(other):
            return self._inplace(outplace, other, **params)
        operand = other._data if isinstance(other, TensorInplace) else other
        if not isinstance(operand, np.ndarray | int | float | complex | np.generic):
            operand = _dtype.as_array(operand, copy=False)
        if type(operand) is int and self._data.dtype.kind in "iu":
            operand = np.asarray(operand).astype(self._data.dtype)  # wrapped, as PyTorch
        alpha = params.get("alpha", 1)
        data = self._data
        if alpha != 1:
            operand = np.asarray(operand)
            if data.dtype.kind == "f" and operand.dtype.kind == "f":
                sign = -1 if ufunc is np.subtract else 1  # rounded once, as PyTorch's kernels
                self._write(scaled_sum(data, operand, sign * alpha))
                return self
            operand = np.multiply(operand, alpha)
        result = _inplace_dtype(data, operand, ufunc is np.true_divide)
        if not _dtype.can_cast(result, data.dtype):
            raise RuntimeError(
                f"result type {_dtype.torch_name(result)} can't be cast to the desired output "
                f"type {_dtype.torch_name(data.dtype)}"
            )
        if isinstance(operand, np.ndarray) and operand.dtype != result:
            operand = operand.astype(result)  # (computed in PyTorch's dtype, not NumPy's)
        elif not isinstance(operand, np.ndarray) and result != data.dtype:
            operand = np.asarray(operand, dtype=result)
        if isinstance(operand, np.ndarray) and operand.ndim:
            _refuse_overlap(data, operand)
        try:
            ufunc(data, operand, out=data, casting="unsafe", dtype=result)
        except ValueError:
            shape = np.broadcast_shapes(data.shape, np.shape(operand))
            if shape == data.shape:
                raise read_only_error() from None
            raise RuntimeError(
                f"output with shape {list(data.shape)} doesn't match the broadcast shape "
                f"{list(shape)}"
            ) from None
        self._vc[0] += 1
        return self

    @alpha_first
    def add_(self: T, other: TensorLike | Number, *, alpha: float = 1) -> T:
        """``self += alpha * other`` in place.

        Examples
        --------
        >>> import nn
        >>> w = nn.tensor([1.0, 2.0], requires_grad=True)
        >>> with nn.no_grad():
        ...     w.add_(nn.tensor([1.0, 1.0]), alpha=-0.5)
        tensor([0.5000, 1.5000], requires_grad=True)
        """
        return self._arith_(np.add, _outplace("add"), other, alpha=alpha)

    @alpha_first
    def sub_(self: T, other: TensorLike | Number, *, alpha: float = 1) -> T:
        """``self -= alpha * other`` in place."""
        _refuse_bool_subtraction(self, other)
        return self._arith_(np.subtract, _outplace("sub"), other, alpha=alpha)

    subtract_ = sub_

    def mul_(self: T, other: TensorLike | Number) -> T:
        """``self *= other`` in place."""
        return self._arith_(np.multiply, _outplace("mul"), other)

    multiply_ = mul_

    def div_(self: T, other: TensorLike | Number, *, rounding_mode: str | None = None) -> T:
        """``self /= other`` in place."""
        if rounding_mode is not None:
            return self._inplace(_outplace("div"), other, rounding_mode=rounding_mode)
        return self._arith_(np.true_divide, _outplace("div"), other)

    divide_ = true_divide_ = div_

    def pow_(self: T, exponent: InputLike) -> T:
        """``self **= exponent`` in place."""
        return self._inplace(_outplace("pow"), exponent)

    def remainder_(self: T, other: TensorLike | Number) -> T:
        """``self %= other`` in place."""
        return self._inplace(_outplace("remainder"), other)

    def floor_divide_(self: T, other: TensorLike | Number) -> T:
        """``self //= other`` in place."""
        return self._inplace(_outplace("floor_divide"), other)

    __iadd__ = add_
    __isub__ = sub_
    __imul__ = mul_
    __itruediv__ = div_
    __ipow__ = pow_
    __imod__ = remainder_
    __ifloordiv__ = floor_divide_

    # ------------------------------------------------- in-place changes of shape
    def _reshaped_(self, change: Any, *args: Any) -> Tensor:
        """This Tensor made ``change(self, *args)``, a view of its own storage
        (``transpose_``...); the version counts the change, as PyTorch's does."""
        self._check_inplace()  # (a leaf that requires grad refuses, in grad mode)
        result = change(self, *args)
        self._data = result._data
        self._view = result._view if self._view is not None else None
        if result._node is not None:  # recorded: this Tensor is now that view op's output
            self._node, self._rg = result._node, True
        self._vc[0] += 1
        return self  # type: ignore[return-value]

    def transpose_(self, dim0: int, dim1: int) -> Tensor:
        """``transpose`` in place: this Tensor's dimensions swapped."""
        return self._reshaped_(TensorShape.transpose, dim0, dim1)

    swapaxes_ = swapdims_ = transpose_

    def t_(self) -> Tensor:
        """``t`` in place."""
        return self._reshaped_(TensorShape.t)

    def squeeze_(self, dim: Dim | None = None) -> Tensor:
        """``squeeze`` in place."""
        return self._reshaped_(TensorShape.squeeze, dim)

    def unsqueeze_(self, dim: int) -> Tensor:
        """``unsqueeze`` in place."""
        return self._reshaped_(TensorShape.unsqueeze, dim)

    def _unary_(self: T, name: str, *args: object, **kwargs: object) -> T:
        return self._inplace(_outplace(name), *args, **kwargs)

    def clamp_(self: T, min: InputLike | None = None, max: InputLike | None = None) -> T:
        """Limit to [min, max] in place."""
        _clamp_bounds(min, max)  # (the arguments first, as PyTorch's parser checks them)
        return self._unary_("clamp", min, max)

    clip_ = clamp_

    def clamp_min_(self: T, min: InputLike) -> T:
        return self._unary_("clamp_min", min)

    def clamp_max_(self: T, max: InputLike) -> T:
        return self._unary_("clamp_max", max)

    def neg_(self: T) -> T:
        return self._unary_("neg")

    def abs_(self: T) -> T:
        return self._unary_("abs")

    def exp_(self: T) -> T:
        return self._unary_("exp")

    def log_(self: T) -> T:
        return self._unary_("log")

    def sqrt_(self: T) -> T:
        return self._unary_("sqrt")

    def sigmoid_(self: T) -> T:
        return self._unary_("sigmoid")

    def tanh_(self: T) -> T:
        return self._unary_("tanh")

    def relu_(self: T) -> T:
        return self._unary_("relu")

    def floor_(self: T) -> T:
        return self._unary_("floor")

    def round_(self: T, decimals: int = 0) -> T:
        return self._unary_("round", decimals)

    def sign_(self: T) -> T:
        return self._unary_("sign")

    def reciprocal_(self: T) -> T:
        return self._unary_("reciprocal")

    # the in-place form of each of these out-of-place methods: ``t.rsqrt_()`` writes
    # ``t.rsqrt()`` into ``t``, with the autograd rules of every in-place op
    absolute_ = abs_
    negative_ = neg_

    def rsqrt_(self: T) -> T:
        return self._unary_("rsqrt")

    def square_(self: T) -> T:
        return self._unary_("square")

    def log1p_(self: T) -> T:
        return self._unary_("log1p")

    def log10_(self: T) -> T:
        return self._unary_("log10")

    def log2_(self: T) -> T:
        return self._unary_("log2")

    def expm1_(self: T) -> T:
        return self._unary_("expm1")

    def sin_(self: T) -> T:
        return self._unary_("sin")

    def cos_(self: T) -> T:
        return self._unary_("cos")

    def sinh_(self: T) -> T:
        return self._unary_("sinh")

    def cosh_(self: T) -> T:
        return self._unary_("cosh")

    def asin_(self: T) -> T:
        return self._unary_("asin")

    def acos_(self: T) -> T:
        return self._unary_("acos")

    def atan_(self: T) -> T:
        return self._unary_("atan")

    arcsin_, arccos_, arctan_ = asin_, acos_, atan_

    def erf_(self: T) -> T:
        return self._unary_("erf")

    def ceil_(self: T) -> T:
        return self._unary_("ceil")

    def trunc_(self: T) -> T:
        return self._unary_("trunc")

    fix_ = trunc_

    def sgn_(self: T) -> T:
        return self._unary_("sgn")

    def masked_fill_(self: T, mask: InputLike, value: InputLike) -> T:
        """Set the elements where ``mask`` is True to ``value``, in place (an expanded Tensor
        too, as PyTorch allows: its repeated elements get one value)."""
        if not self._data.flags.writeable and self._data.size and not self._recording(value):
            filled = _masked_fill(cast("Tensor", self), mask, value)._data
            if _repeats(self._data):
                _warn_expanded(masked=True, stacklevel=3)
            where = np.broadcast_to(np.asarray(plain_index(mask), dtype=bool), filled.shape)
            # (only where the mask holds: an element repeated elsewhere keeps the fill)
            np.copyto(_writable_alias(self._data), filled, where=where)
            self._vc[0] += 1
            return self
        return self._inplace(_masked_fill, mask, value)

    def masked_fill(self, mask: InputLike, value: InputLike) -> Tensor:
        """A copy with the elements where ``mask`` is True set to ``value``."""
        rg = isinstance(value, TensorInplace) and value._rg
        if rg and self._data.dtype.kind not in "fc" and _Mode.enabled:
            raise RuntimeError(f"Autograd not support dtype: {_dtype.torch_name(self._data.dtype)}")
        return _masked_fill(cast("Tensor", self), mask, value)

    # ------------------------------------------------------------------ filling
    def _fill(self: T, values: np.ndarray, kind: type = FillBackward2) -> T:
        """Write ``values`` (which do not depend on the old ones) into the storage; an
        expanded Tensor may be filled, as PyTorch's (its repeated elements get one value)."""
        if self._recording():
            out, backward = inplace_rules.overwritten(values)
            return self._inplace(lambda s: s._record(out, (s,), backward, kind))
        if not self._data.flags.writeable and self._data.size:
            _writable_alias(self._data)[...] = values
            self._vc[0] += 1
            return self
        self._write(np.asarray(values, dtype=self._data.dtype).reshape(self._data.shape))
        return self

    def fill_(self: T, value: Any) -> T:
        """Set every element to ``value`` in place.

        Examples
        --------
        >>> import nn
        >>> nn.zeros(2).fill_(3.0)
        tensor([3., 3.])
        """
        if isinstance(value, TensorInplace) and value._rg:
            return self._inplace(_fill_tensor, value)
        if isinstance(value, TensorInplace):
            if _repeats(self._data):  # (PyTorch's fill from a Tensor refuses, a number not)
                raise read_only_error()
            number = value._data
        else:
            number = _dtype.checked_scalar(value, self._data.dtype)
        kind = FillBackward3 if isinstance(value, TensorInplace) else FillBackward2
        return self._fill(np.full(self._data.shape, number, dtype=self._data.dtype), kind)

    def zero_(self: T) -> T:
        """Set every element to 0 in place.

        Examples
        --------
        >>> import nn
        >>> nn.tensor([1.0, 2.0]).zero_()
        tensor([0., 0.])
        """
        return self._fill(np.zeros(self._data.shape, dtype=self._data.dtype), ZeroBackward0)

    def copy_(self: T, src: InputLike, non_blocking: bool = False) -> T:
        """Copy ``src`` (broadcast to this shape) into this Tensor, keeping this dtype;
        differentiable with respect to ``src``."""
        source = cast("Tensor", self)._lift(src)
        try:
            shape = np.broadcast_shapes(source._data.shape, self._data.shape)
        except ValueError:
            raise RuntimeError(
                f"The size of tensor a ({self._data.shape}) must match the size of tensor b "
                f"({source._data.shape}) at non-singleton dimension"
            ) from None
        if shape != self._data.shape:
            raise RuntimeError(
                f"output with shape {list(self._data.shape)} doesn't match the broadcast shape "
                f"{list(shape)}"
            )
        _refuse_overlap(self._data, source._data)
        if self._recording(source):
            return self._inplace(_copy, source)
        values = np.broadcast_to(source._data, self._data.shape)
        try:
            np.copyto(self._data, values, casting="unsafe")
        except ValueError:
            raise read_only_error() from None
        self._vc[0] += 1
        return self

    # ----------------------------------------------------------------- indexing


def _outplace(name: str) -> Callable[..., Tensor]:
    """The out-of-place method ``name`` of Tensor, found at call time."""
    return lambda s, *args, **kwargs: getattr(s, name)(*args, **kwargs)


def _copy(source: Tensor, src: Tensor) -> Tensor:
    s = src if src._data.dtype == source._data.dtype else src._cast(source._data.dtype)
    out, backward = inplace_rules.copy(source._data, s._data)
    return source._record(out, (source, s), backward, CopyBackwards)


def _fill_tensor(source: Tensor, value: Tensor) -> Tensor:
    if value._data.ndim:
        raise RuntimeError(
            "fill_ only supports 0-dimension value tensor but got tensor with "
            f"{value._data.ndim} dimensions."
        )
    v = value if value._data.dtype == source._data.dtype else value._cast(source._data.dtype)
    out, backward = inplace_rules.fill(source._data, v._data)
    return source._record(out, (source, v), backward, FillBackward3)


def _inplace_dtype(data: np.ndarray, operand: InputLike, divide: bool) -> np.dtype:
    """The dtype PyTorch computes ``data (op) operand`` in."""
    ranks: tuple[list[np.dtype], list[np.dtype], list[np.dtype]] = ([], [], [])
    ranks[0 if data.ndim else 1].append(data.dtype)
    if isinstance(operand, np.ndarray):
        ranks[0 if operand.ndim else 1].append(operand.dtype)
    else:
        ranks[2].append(_dtype.scalar_dtype(operand))
    result = _dtype.result_dtype(*ranks)
    return _dtype.get_default_dtype() if divide and result.kind in "biu" else result


def _masked_fill(source: Tensor, mask: InputLike, value: InputLike) -> Tensor:
    condition = np.asarray(plain_index(mask), dtype=bool)
    if isinstance(value, int | float | np.number) and not isinstance(value, bool):
        _dtype.checked_scalar(value, source._data.dtype)
    elif isinstance(value, TensorCore) and not value._data.ndim and not value._rg:
        _dtype.checked_scalar(value._data.item(), source._data.dtype)  # (as a number)
    v = source._lift(value)
    if v._rg and v._data.dtype != source._data.dtype:
        v = v._cast(source._data.dtype)  # (the result keeps this Tensor's dtype)
    out, backward = inplace_rules.masked_fill(source._data, condition, v._data, v._rg)
    saved = (mask,) if isinstance(mask, TensorCore) else ()
    if not v._rg:
        return source._record(out, (source,), backward, MaskedFillBackward0, saved)
    return source._record(out, (source, v), backward, MaskedFillBackward1, saved)
