"""Tensor functions of one variable and elementwise selections (a mixin of ``Tensor``):
exp, log, sqrt, tanh, sigmoid, relu, clamp, maximum, where, rounding, tests for NaN."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

import numpy as np

from .. import _dtype
from ..autograd.graph import node_type
from ..rules import elementwise as elementwise_rules
from ..rules import sign
from ..rules._quiet import quiet
from ..types import InputLike
from .arithmetic import TensorMath, _broadcast_error, _not_for_bool
from .core import TensorCore
from .reads import reads_both

if TYPE_CHECKING:
    from ..tensor import Tensor

MaximumBackward0 = node_type("MaximumBackward0")
MinimumBackward0 = node_type("MinimumBackward0")
WhereBackward0 = node_type("WhereBackward0")
Atan2Backward0 = node_type("Atan2Backward0")
LogitBackward0 = node_type("LogitBackward0")
_UNARY = {
    name: node_type(f"{name.capitalize()}Backward0")
    for name in (
        "exp",
        "log",
        "log10",
        "log2",
        "log1p",
        "expm1",
        "sqrt",
        "rsqrt",
        "sin",
        "cos",
        "sinh",
        "cosh",
        "asin",
        "acos",
        "atan",
        "tanh",
        "sigmoid",
        "abs",
        "erf",
    )
}
_UNARY["reciprocal"] = node_type("ReciprocalBackward0")
# the rules whose backward reads the result (the others read the input)
_UNARY_SAVES_RESULT = {"exp", "expm1", "sqrt", "rsqrt", "tanh", "sigmoid", "reciprocal"}
ReluBackward0 = node_type("ReluBackward0")
ClampBackward1 = node_type("ClampBackward1")
ClampBackward0 = node_type("ClampBackward0")
ZeroBackward0 = node_type("ZeroBackward0")
SgnBackward0 = node_type("SgnBackward0")
ConjBackward0 = node_type("ConjBackward0")
RealBackward0 = node_type("RealBackward0")
ImagBackward0 = node_type("ImagBackward0")


class TensorFunctions(TensorCore):
    """Elementwise functions of ``Tensor``."""

    __slots__ = ()

    def _floating(self) -> Tensor:
        """This Tensor, cast to the default float dtype if it holds integers or bools."""
        me = cast("Tensor", self)
        return me if self._data.dtype.kind in "fc" else me._cast(_dtype.get_default_dtype())

    def _unary(self, name: str) -> Tensor:
        x = self._floating()
        with quiet():
            out, backward = getattr(elementwise_rules, name)(x._data)
        if name in _UNARY_SAVES_RESULT:
            return self._record(out, (x,), backward, _UNARY[name], result=True)
        return self._record(out, (x,), backward, _UNARY[name], (x,))

    def exp(self) -> Tensor:
        """e**x, elementwise; its gradient is the result itself.

        >>> import nn
        >>> nn.tensor([0.0]).exp()
        tensor([1.])
        """
        return self._unary("exp")

    def erf(self) -> Tensor:
        """The error function, elementwise.

        >>> import nn
        >>> nn.tensor([0.0, 1.0]).erf()
        tensor([0.0000, 0.8427])
        """
        return self._unary("erf")

    def log(self) -> Tensor:
        """Natural log; gradient 1 / x."""
        return self._unary("log")

    def log10(self) -> Tensor:
        """Base-10 log; gradient 1 / (x ln 10)."""
        return self._unary("log10")

    def log2(self) -> Tensor:
        """Base-2 log; gradient 1 / (x ln 2)."""
        return self._unary("log2")

    def log1p(self) -> Tensor:
        """log(1 + x), accurate near 0."""
        return self._unary("log1p")

    def expm1(self) -> Tensor:
        """exp(x) - 1, accurate near 0; gradient exp(x) (the result + 1)."""
        return self._unary("expm1")

    def sqrt(self) -> Tensor:
        """Square root; gradient 1 / (2 sqrt(x))."""
        return self._unary("sqrt")

    def rsqrt(self) -> Tensor:
        """1 / sqrt(x)."""
        return self._unary("rsqrt")

    def sin(self) -> Tensor:
        return self._unary("sin")

    def cos(self) -> Tensor:
        return self._unary("cos")

    def sinh(self) -> Tensor:
        return self._unary("sinh")

    def cosh(self) -> Tensor:
        return self._unary("cosh")

    def asin(self) -> Tensor:
        """arcsin(x); gradient 1 / sqrt(1 - x**2)."""
        return self._unary("asin")

    def acos(self) -> Tensor:
        """arccos(x); gradient -1 / sqrt(1 - x**2)."""
        return self._unary("acos")

    def atan(self) -> Tensor:
        """arctan(x); gradient 1 / (1 + x**2)."""
        return self._unary("atan")

    arcsin, arccos, arctan = asin, acos, atan

    def tanh(self) -> Tensor:
        """tanh(x); gradient 1 - tanh(x)**2."""
        return self._unary("tanh")

    def sigmoid(self) -> Tensor:
        """1 / (1 + exp(-x)), overflow-free; gradient s (1 - s).

        >>> import nn
        >>> nn.tensor([0.0]).sigmoid()
        tensor([0.5000])
        """
        return self._unary("sigmoid")

    def abs(self) -> Tensor:
        """|x|; gradient sign(x), 0 at 0 and at NaN."""
        _not_for_bool("abs_cpu", self._data.dtype)
        if self._data.dtype.kind in "biu":
            return self._make(np.abs(self._data))
        return self._unary("abs")

    absolute = abs

    def __abs__(self) -> Tensor:
        return self.abs()

    def relu(self) -> Tensor:
        """max(0, x); the gradient passes where the result is positive (or NaN).

        >>> import nn
        >>> nn.tensor([-1.0, 1.0]).relu()
        tensor([0., 1.])
        """
        if self._data.dtype.kind == "b":
            raise RuntimeError("Boolean inputs not supported for relu")
        x = cast("Tensor", self)
        out, backward = elementwise_rules.relu(x._data)
        return self._record(out, (x,), backward, ReluBackward0, result=True)

    def clamp(
        self, min: InputLike | None = None, max: InputLike | None = None, out: object = None
    ) -> Tensor:
        """x limited to [min, max]; the gradient passes where min <= x <= max.

        >>> import nn
        >>> nn.tensor([-2.0, 0.5, 2.0]).clamp(-1.0, 1.0)
        tensor([-1.0000,  0.5000,  1.0000])
        """
        min, max, tensors = _clamp_bounds(min, max)
        if tensors:
            return self._clamp_tensors(min, max)
        x = cast("Tensor", self)
        dtype = _dtype.result_dtype(
            [x._data.dtype] if x._data.ndim else [],
            [] if x._data.ndim else [x._data.dtype],
            [_dtype.scalar_dtype(b) for b in (min, max) if b is not None],
        )
        if dtype.kind == "b":
            raise NotImplementedError("\"clamp_cpu\" not implemented for 'Bool'")
        x = x._cast(dtype)
        low, high = (None if b is None else np.asarray(b).astype(dtype) for b in (min, max))
        out_array, backward = elementwise_rules.clamp(x._data, low, high)
        return self._record(out_array, (x,), backward, ClampBackward1, (x,))

    def _clamp_tensors(self, min: InputLike | None, max: InputLike | None) -> Tensor:
        """``clamp`` with Tensor bounds: one node, PyTorch's gradients (ties to the input)."""
        me = cast("Tensor", self)
        parts = [me] + [me._lift(b) for b in (min, max) if b is not None]
        dimensioned = [t._data.dtype for t in parts if t._data.ndim]
        zero_dim = [t._data.dtype for t in parts if not t._data.ndim]
        dtype = _dtype.result_dtype(dimensioned, zero_dim, [])
        if dtype.kind == "b" and min is not None and max is not None:
            raise NotImplementedError("\"clamp_cpu\" not implemented for 'Bool'")
        parts = [t._cast(dtype) for t in parts]
        x = parts[0]
        low = parts[1] if min is not None else None
        high = parts[-1] if max is not None else None
        needs = (x._rg, low is not None and low._rg, high is not None and high._rg)
        try:
            out, backward = elementwise_rules.clamp_tensors(
                x._data,
                None if low is None else low._data,
                None if high is None else high._data,
                needs,
            )
        except ValueError:
            raise _broadcast_error("clamp", x._data, parts[1]._data) from None
        inputs = [x, *(t for t in (low, high) if t is not None)]
        return self._record(out, inputs, backward, ClampBackward0, tuple(inputs))

    clip = clamp

    def clamp_min(self, min: InputLike) -> Tensor:
        """max(x, min); a Tensor bound (0-d included) is differentiated, as PyTorch's."""
        if isinstance(min, TensorMath | np.ndarray):
            return self._clamp_tensors(min, None)
        return self.clamp(min=min)

    def clamp_max(self, max: InputLike) -> Tensor:
        """min(x, max); a Tensor bound (0-d included) is differentiated, as PyTorch's."""
        if isinstance(max, TensorMath | np.ndarray):
            return self._clamp_tensors(None, max)
        return self.clamp(max=max)

    def maximum(self, other: InputLike) -> Tensor:
        """Elementwise maximum (NaN if either is); ties share the gradient."""
        _tensor_only("maximum", other)
        rule = elementwise_rules.maximum
        return cast("Tensor", self)._binary(
            rule, other, MaximumBackward0, "maximum", reads=reads_both
        )

    def minimum(self, other: InputLike) -> Tensor:
        """Elementwise minimum (NaN if either is); ties share the gradient."""
        _tensor_only("minimum", other)
        rule = elementwise_rules.minimum
        return cast("Tensor", self)._binary(
            rule, other, MinimumBackward0, "minimum", reads=reads_both
        )

    def atan2(self, other: Any) -> Tensor:
        """The angle of the point (other, self) in radians, in (-pi, pi]: elementwise
        atan(self / other) in the right quadrant (integers give floats).

        >>> import nn
        >>> nn.tensor([1.0]).atan2(nn.tensor([-1.0]))
        tensor([2.3562])
        """
        _tensor_only("atan2", other)
        a, b = cast("Tensor", self)._pair(other, "atan2")
        if a._data.dtype.kind not in "fc":  # each integer to float from its own dtype
            a, b = self._floating(), other._floating()
        try:
            out, backward = elementwise_rules.atan2(a._data, b._data, need_a=a._rg, need_b=b._rg)
        except ValueError:
            raise _broadcast_error("atan2", a._data, b._data) from None
        return self._record(out, (a, b), backward, Atan2Backward0, (self, other))

    arctan2 = atan2

    def logit(self, eps: float | None = None) -> Tensor:
        """log(p / (1 - p)), the inverse of sigmoid; with ``eps``, p is first clamped to
        [eps, 1 - eps] (and its gradient is 0 outside).

        >>> import nn
        >>> nn.tensor([0.5, 0.75]).logit()
        tensor([0.0000, 1.0986])
        """
        x = self._floating()
        out, backward = elementwise_rules.logit(x._data, eps)
        return self._record(out, (x,), backward, LogitBackward0, (x,))

    def where(self, condition: Any, other: Any) -> Tensor:
        """This Tensor where ``condition`` holds, else ``other`` (``torch.where(c, self, o)``)."""
        cond = np.asarray(getattr(condition, "_data", condition), dtype=bool)
        a, b = cast("Tensor", self)._pair(other, "where")
        try:
            out, backward = elementwise_rules.where(
                cond, a._data, b._data, need_a=a._rg, need_b=b._rg
            )
        except ValueError:
            raise _broadcast_error("where", a._data, b._data) from None
        saved = (condition,) if isinstance(condition, TensorMath) else ()
        return self._record(out, (a, b), backward, WhereBackward0, saved)

    # ------------------------------------------------------------ complex parts
    def conj(self) -> Tensor:
        """The complex conjugate (a real Tensor itself, as PyTorch's)."""
        if self._data.dtype.kind != "c":
            return cast("Tensor", self)
        out, backward = elementwise_rules.conj(self._data)
        return self._record(out, (self,), backward, ConjBackward0)

    conj_physical = conj

    def resolve_conj(self) -> Tensor:
        """Itself: descend's conjugates are always computed (never lazy)."""
        return cast("Tensor", self)

    resolve_neg = resolve_conj

    def is_conj(self) -> bool:
        return False

    def is_neg(self) -> bool:
        return False

    @property
    def real(self) -> Tensor:
        """The real parts, a view (a real Tensor itself, as PyTorch's)."""
        if self._data.dtype.kind != "c":
            return cast("Tensor", self)
        out, backward = elementwise_rules.real_part(self._data)
        return self._record_view(out, self, backward, RealBackward0, lambda a: a.real)

    @property
    def imag(self) -> Tensor:
        """The imaginary parts, a view; a real Tensor has none (``RuntimeError``)."""
        if self._data.dtype.kind != "c":
            raise RuntimeError("imag is not implemented for tensors with non-complex dtypes.")
        out, backward = elementwise_rules.imag_part(self._data)
        return self._record_view(out, self, backward, ImagBackward0, lambda a: a.imag)

    def square(self) -> Tensor:
        return cast("Tensor", self).pow(2)

    def reciprocal(self) -> Tensor:
        """1 / x; gradient -1 / x**2."""
        return self._unary("reciprocal")

    def _zero_grad_op(self, out: np.ndarray) -> Tensor:
        """An op whose gradient is zero everywhere (floor, round, sign...)."""
        out, backward = elementwise_rules.constant(out)
        return self._record(out, (self,), backward, ZeroBackward0)

    def sign(self) -> Tensor:
        """sign(x) (0 at 0; of a bool, itself); its gradient is 0."""
        if self._data.dtype.kind == "b":
            return self._make(self._data.copy())
        return self._zero_grad_op(sign(self._data))

    def sgn(self) -> Tensor:
        """sign(x) for real numbers (PyTorch's ``sgn`` extends it to complex ones, and saves
        its input and result for that: their in-place changes are refused at backward)."""
        if self._data.dtype.kind == "b":
            return self._make(self._data.copy())
        out, backward = elementwise_rules.constant(sign(self._data))
        return self._record(out, (self,), backward, SgnBackward0, (self,), result=True)

    def floor(self) -> Tensor:
        _not_for_bool("floor_vml_cpu", self._data.dtype)
        return self._zero_grad_op(np.floor(self._data))

    def ceil(self) -> Tensor:
        _not_for_bool("ceil_vml_cpu", self._data.dtype)
        return self._zero_grad_op(np.ceil(self._data))

    def trunc(self) -> Tensor:
        _not_for_bool("trunc_vml_cpu", self._data.dtype)
        return self._zero_grad_op(np.trunc(self._data))

    fix = trunc

    def round(self, decimals: int = 0, out: object = None) -> Tensor:
        """Round to ``decimals`` places (half to even, as PyTorch); its gradient is 0."""
        _not_for_bool("round_vml_cpu", self._data.dtype)
        return self._zero_grad_op(np.round(self._data, decimals))

    def isnan(self) -> Tensor:
        return self._make(np.isnan(self._data))

    def isinf(self) -> Tensor:
        return self._make(np.isinf(self._data))

    def isfinite(self) -> Tensor:
        return self._make(np.isfinite(self._data))

    def logical_not(self) -> Tensor:
        return self._make(np.logical_not(self._data))

    def logical_and(self, other: InputLike) -> Tensor:
        _tensor_only("logical_and", other)
        return self._logical(np.logical_and, other, "logical_and")

    def logical_or(self, other: InputLike) -> Tensor:
        _tensor_only("logical_or", other)
        return self._logical(np.logical_or, other, "logical_or")

    def logical_xor(self, other: InputLike) -> Tensor:
        _tensor_only("logical_xor", other)
        return self._logical(np.logical_xor, other, "logical_xor")

    def _logical(self, ufunc: np.ufunc, other: InputLike, name: str) -> Tensor:
        theirs = other._data if isinstance(other, TensorMath) else np.asarray(other)
        try:
            return self._make(np.asarray(ufunc(self._data, theirs)))
        except ValueError:
            raise _broadcast_error(name, self._data, theirs) from None


def _tensor_only(name: str, other: InputLike, argument: str = "other") -> None:
    """PyTorch's ``TypeError`` where an op takes a Tensor and a number came."""
    if not isinstance(other, TensorMath | np.ndarray):
        raise TypeError(
            f"{name}(): argument '{argument}' (position 1) must be Tensor, not "
            f"{type(other).__name__}"
        )


def _clamp_bounds(min: InputLike | None, max: InputLike | None) -> tuple[Any, Any, bool]:
    """``(min, max, both Tensors)`` as PyTorch's parser reads them: numbers, or Tensors; a
    0-d Tensor that does not require grad may stand for a number beside one."""
    if min is None and max is None:
        raise RuntimeError("torch.clamp: At least one of 'min' or 'max' must not be None")
    given = [b for b in (min, max) if b is not None]
    tensors = [isinstance(b, TensorMath | np.ndarray) for b in given]
    # (PyTorch's parser tries the number overload first: 0-d Tensors that do not require
    # grad pass as numbers; any other Tensor needs the other bound a Tensor too)
    as_numbers = not all(tensors) and not any(
        np.ndim(getattr(b, "_data", b)) or getattr(b, "_rg", False) for b in given
    )
    if any(tensors) and not all(tensors) and not as_numbers:
        raise TypeError(
            "clamp() received an invalid combination of arguments: a number and a Tensor "
            "(of more than 0 dimensions, or that requires grad) as bounds"
        )
    if any(tensors) and as_numbers:
        low, high = (
            b if b is None else np.asarray(getattr(b, "_data", b)).item() for b in (min, max)
        )
        return low, high, False
    return min, max, any(tensors)
