"""The rest of PyTorch's elementwise math (a part of ``Tensor``): tan, asinh, acosh, atanh,
exp2, lgamma, digamma, erfc, erfinv, sinc, deg2rad, rad2deg, frac, signbit, and the binary
hypot, logaddexp(2), xlogy, copysign, fmod, float_power, fmax, fmin, heaviside, with their
in-place forms. The rules are in ``nn/rules/special.py``."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, cast

import numpy as np

from .. import _dtype
from ..autograd.graph import Node, node_type
from ..rules import Backward, Grads, Rule
from ..rules import special as special_rules
from ..rules._quiet import quiet
from ..rules.arithmetic import not_differentiable
from ..types import Number, TensorLike
from .arithmetic import (
    TensorMath,
    _broadcast_error,
    _not_for_bool,
    _refuse_bool_subtraction,
)
from .core import TensorCore
from .elementwise import _tensor_only
from .reads import Reads, reads_both, reads_for_copysign, reads_for_hypot, reads_for_remainder

if TYPE_CHECKING:
    from ..tensor import Tensor

# name: (its node, what its backward reads: the input, the result, or nothing)
_UNARY = {
    "tan": ("TanBackward0", "result"),
    "asinh": ("AsinhBackward0", "input"),
    "acosh": ("AcoshBackward0", "input"),
    "atanh": ("AtanhBackward0", "input"),
    "exp2": ("Exp2Backward0", "result"),
    "lgamma": ("LgammaBackward0", "input"),
    "digamma": ("DigammaBackward0", "input"),
    "erfc": ("ErfcBackward0", "input"),
    "erfinv": ("ErfinvBackward0", "input"),
    "sinc": ("SincBackward0", "input"),
    "deg2rad": ("Deg2RadBackward0", ""),
    "rad2deg": ("Rad2DegBackward0", ""),
    "frac": ("FracBackward0", ""),
}
_NODES = {name: (node_type(kind), reads) for name, (kind, reads) in _UNARY.items()}
HypotBackward0 = node_type("HypotBackward0")
LogaddexpBackward0 = node_type("LogaddexpBackward0")
Logaddexp2Backward0 = node_type("Logaddexp2Backward0")
XlogyBackward0 = node_type("XlogyBackward0")
CopysignBackward0 = node_type("CopysignBackward0")
FmodBackward0 = node_type("FmodBackward0")
FmaxBackward0 = node_type("FmaxBackward0")
FminBackward0 = node_type("FminBackward0")
HeavisideBackward0 = node_type("HeavisideBackward0")
NotImplemented_ = node_type("NotImplemented")
# (their gradients read the input, which the in-place form overwrites: PyTorch records a
# node that raises)
_INPUT_LOST_IN_PLACE = {"asinh", "acosh", "atanh"}


class TensorSpecial(TensorCore):
    """Special functions and the less common elementwise ops of ``Tensor``."""

    __slots__ = ()

    def _special(self, name: str, in_place: bool = False) -> Tensor:
        x = cast("Tensor", self)._floating()
        with quiet():
            out, backward = getattr(special_rules, name)(x._data)
        kind, reads = _NODES[name]
        if in_place and name in _INPUT_LOST_IN_PLACE:
            return self._record(out, (x,), _input_lost(name), NotImplemented_)
        saved = (x,) if reads == "input" else ()
        return self._record(out, (x,), backward, kind, saved, result=reads == "result")

    def tan(self) -> Tensor:
        """tan x; its gradient 1 + tan(x)**2."""
        return self._special("tan")

    def asinh(self) -> Tensor:
        """The inverse hyperbolic sine; its gradient 1 / sqrt(x**2 + 1)."""
        return self._special("asinh")

    def acosh(self) -> Tensor:
        """The inverse hyperbolic cosine (NaN below 1); its gradient 1 / sqrt(x**2 - 1)."""
        return self._special("acosh")

    def atanh(self) -> Tensor:
        """The inverse hyperbolic tangent (NaN outside [-1, 1]); its gradient 1 / (1 - x**2).

        >>> import nn
        >>> nn.tensor([0.0, 0.5]).atanh()
        tensor([0.0000, 0.5493])
        """
        return self._special("atanh")

    arcsinh, arccosh, arctanh = asinh, acosh, atanh

    def exp2(self) -> Tensor:
        """2**x; its gradient 2**x ln 2."""
        return self._special("exp2")

    def lgamma(self) -> Tensor:
        """log |Gamma(x)| (inf at 0, -1, -2...); its gradient digamma(x).

        >>> import nn
        >>> nn.tensor([1.0, 5.0]).lgamma()
        tensor([0.0000, 3.1781])
        """
        return self._special("lgamma")

    def digamma(self) -> Tensor:
        """Gamma'(x) / Gamma(x); its gradient the trigamma function."""
        return self._special("digamma")

    def erfc(self) -> Tensor:
        """1 - erf(x), accurate where erf(x) is near 1."""
        return self._special("erfc")

    def erfinv(self) -> Tensor:
        """The inverse of erf on (-1, 1) (+-inf at +-1).

        >>> import nn
        >>> nn.tensor([0.0, 0.5]).erfinv()
        tensor([0.0000, 0.4769])
        """
        return self._special("erfinv")

    def sinc(self) -> Tensor:
        """sin(pi x) / (pi x), 1 at 0 (the normalised sinc)."""
        return self._special("sinc")

    def deg2rad(self) -> Tensor:
        """Degrees to radians: x pi / 180."""
        return self._special("deg2rad")

    def rad2deg(self) -> Tensor:
        """Radians to degrees: x 180 / pi."""
        return self._special("rad2deg")

    def frac(self) -> Tensor:
        """x - trunc(x) (floats only, as PyTorch's kernel)."""
        if self._data.dtype.kind not in "fc":
            name = _dtype.torch_name(self._data.dtype)
            raise NotImplementedError(f"\"frac_cpu\" not implemented for '{name}'")
        return self._special("frac")

    def signbit(self) -> Tensor:
        """True where the sign bit is set (-0.0 and NaNs with it included)."""
        return self._make(np.signbit(self._data))

    def positive(self) -> Tensor:
        """``+x``: this Tensor itself (bool refused, as PyTorch)."""
        if self._data.dtype.kind == "b":
            raise RuntimeError("The `+` operator, on a bool tensor is not supported.")
        return cast("Tensor", self)

    def isposinf(self) -> Tensor:
        return self._make(np.isposinf(self._data))

    def isneginf(self) -> Tensor:
        return self._make(np.isneginf(self._data))

    def isreal(self) -> Tensor:
        """True where the imaginary part is 0 (everywhere for a real Tensor)."""
        return self._make(np.isreal(self._data))

    # ------------------------------------------------------------ functions of two
    def _float_binary(
        self,
        rule: Callable[..., Rule],
        other: TensorLike | Number,
        kind: type[Node],
        name: str,
        reads: Callable[[TensorCore, TensorCore], Reads],
        numbers: bool = False,
    ) -> Tensor:
        """``rule`` on (self, other) promoted, integers and bools to the default float: with
        ``numbers``, other may be a number, else it must be a Tensor (PyTorch's TypeError)."""
        if not numbers:
            _tensor_only(name, other)
        me = cast("Tensor", self)
        a, _ = me._pair(other, name)
        if a._data.dtype.kind not in "fc":
            if not numbers:  # (hypot, logaddexp: no integer kernels in PyTorch)
                torch_name = _dtype.torch_name(a._data.dtype)
                raise NotImplementedError(f"\"{name}_cpu\" not implemented for '{torch_name}'")
            # each integer operand to float from its own dtype (-1 stays -1), as PyTorch's
            if isinstance(other, TensorMath | np.ndarray):
                theirs: Any = me._lift(other)._floating()
            else:
                theirs = float(other)
            return me._floating()._binary(rule, theirs, kind, name, reads=reads)
        return me._binary(rule, other, kind, name, reads=reads)

    def hypot(self, other: TensorLike) -> Tensor:
        """sqrt(x**2 + other**2) without overflow.

        >>> import nn
        >>> nn.tensor([3.0]).hypot(nn.tensor([4.0]))
        tensor([5.])
        """
        return self._float_binary(
            special_rules.hypot, other, HypotBackward0, "hypot", reads_for_hypot
        )

    def logaddexp(self, other: TensorLike) -> Tensor:
        """log(exp(x) + exp(other)), without overflow."""
        rule = _subtracting_as_given(special_rules.logaddexp, self, other)
        return self._float_binary(rule, other, LogaddexpBackward0, "logaddexp", reads_both)

    def logaddexp2(self, other: TensorLike) -> Tensor:
        """log2(2**x + 2**other), without overflow."""
        rule = _subtracting_as_given(special_rules.logaddexp2, self, other)
        return self._float_binary(rule, other, Logaddexp2Backward0, "logaddexp2", reads_both)

    def xlogy(self, other: TensorLike | Number) -> Tensor:
        """x log(other), 0 where x is 0 (unless other is NaN): the entropy term.

        >>> import nn
        >>> nn.tensor([0.0, 2.0]).xlogy(nn.tensor([0.0, 1.0]))
        tensor([0., 0.])
        """
        return self._float_binary(
            special_rules.xlogy, other, XlogyBackward0, "xlogy", reads_both, True
        )

    def copysign(self, other: TensorLike | Number) -> Tensor:
        """|x| with the sign of ``other`` (-0.0 counts as negative)."""
        return self._float_binary(
            special_rules.copysign, other, CopysignBackward0, "copysign", reads_for_copysign, True
        )

    def fmod(self, other: TensorLike | Number) -> Tensor:
        """The remainder of x / other with the sign of x (C's fmod; ``remainder`` takes the
        sign of the divisor). Integers stay integers; an integer division by zero raises."""
        me = cast("Tensor", self)
        a, b = me._pair(other, "fmod")
        _not_for_bool("fmod_cpu", a._data.dtype)
        if a._data.dtype.kind in "iu":
            try:
                dividend, divisor = np.broadcast_arrays(a._data, b._data)
            except ValueError:
                raise _broadcast_error("fmod", a._data, b._data) from None
            if np.any(divisor == 0):
                raise RuntimeError("ZeroDivisionError")
            return self._make(np.fmod(dividend, divisor))
        return me._binary(
            special_rules.fmod, other, FmodBackward0, "fmod", reads=reads_for_remainder
        )

    def float_power(self, exponent: TensorLike | Number) -> Tensor:
        """x ** exponent computed in double precision (complex128 for complex inputs): the
        result is float64 whatever the inputs' dtypes."""
        wide = np.complex128 if _is_complex(self, exponent) else np.float64
        base = cast("Tensor", self).to(wide)
        if isinstance(exponent, TensorMath):
            return base.pow(exponent.to(wide))
        return base.pow(wide(exponent))

    def fmax(self, other: TensorLike) -> Tensor:
        """The elementwise maximum, ignoring NaN (NaN only where both are)."""
        return self._choice(special_rules.fmax, other, FmaxBackward0, "fmax")

    def fmin(self, other: TensorLike) -> Tensor:
        """The elementwise minimum, ignoring NaN (NaN only where both are)."""
        return self._choice(special_rules.fmin, other, FminBackward0, "fmin")

    def _choice(
        self, rule: Callable[..., Rule], other: TensorLike, kind: type[Node], name: str
    ) -> Tensor:
        _tensor_only(name, other)
        a, b = cast("Tensor", self)._pair(other, name)
        if a._data.dtype.kind not in "fc":
            try:
                return self._make(rule(a._data, b._data)[0])
            except ValueError:
                raise _broadcast_error(name, a._data, b._data) from None
        return cast("Tensor", self)._binary(rule, other, kind, name, reads=reads_both)

    def heaviside(self, values: TensorLike) -> Tensor:
        """0 where x < 0, ``values`` where x == 0, 1 where x > 0 (same dtypes; no gradient:
        backward through it raises, as PyTorch's)."""
        _tensor_only("heaviside", values, "values")
        theirs = values if isinstance(values, TensorMath) else None
        data = values._data if isinstance(values, TensorMath) else values
        if data.dtype != self._data.dtype:
            raise RuntimeError(
                "heaviside is not yet implemented for tensors with different dtypes."
            )
        try:
            out = special_rules.heaviside(self._data, data)
        except ValueError:
            raise _broadcast_error("heaviside", self._data, data) from None
        inputs = (self,) if theirs is None else (self, theirs)
        backward = not_differentiable("heaviside")
        return self._record(out, inputs, backward, HeavisideBackward0)

    # ------------------------------------------------------------ in-place forms
    def tan_(self) -> Tensor:
        return cast("Tensor", self)._unary_("tan")

    def asinh_(self) -> Tensor:
        return cast("Tensor", self)._inplace(lambda x: x._special("asinh", in_place=True))

    def acosh_(self) -> Tensor:
        return cast("Tensor", self)._inplace(lambda x: x._special("acosh", in_place=True))

    def atanh_(self) -> Tensor:
        return cast("Tensor", self)._inplace(lambda x: x._special("atanh", in_place=True))

    arcsinh_, arccosh_, arctanh_ = asinh_, acosh_, atanh_

    def exp2_(self) -> Tensor:
        return cast("Tensor", self)._unary_("exp2")

    def lgamma_(self) -> Tensor:
        return cast("Tensor", self)._unary_("lgamma")

    def digamma_(self) -> Tensor:
        return cast("Tensor", self)._unary_("digamma")

    def erfc_(self) -> Tensor:
        return cast("Tensor", self)._unary_("erfc")

    def erfinv_(self) -> Tensor:
        return cast("Tensor", self)._unary_("erfinv")

    def sinc_(self) -> Tensor:
        return cast("Tensor", self)._unary_("sinc")

    def deg2rad_(self) -> Tensor:
        return cast("Tensor", self)._unary_("deg2rad")

    def rad2deg_(self) -> Tensor:
        return cast("Tensor", self)._unary_("rad2deg")

    def frac_(self) -> Tensor:
        return cast("Tensor", self)._unary_("frac")

    def hypot_(self, other: TensorLike) -> Tensor:
        _tensor_only("hypot_", other)
        return cast("Tensor", self)._unary_("hypot", other)

    def xlogy_(self, other: TensorLike | Number) -> Tensor:
        return cast("Tensor", self)._unary_("xlogy", other)

    def copysign_(self, other: TensorLike | Number) -> Tensor:
        return cast("Tensor", self)._unary_("copysign", other)

    def fmod_(self, other: TensorLike | Number) -> Tensor:
        return cast("Tensor", self)._unary_("fmod", other)

    def float_power_(self, exponent: TensorLike | Number) -> Tensor:
        """float_power in place: only a float64 (or complex128) Tensor can hold the result."""
        if self._data.dtype not in (np.float64, np.complex128):
            raise RuntimeError(
                "the base given to float_power_ has dtype "
                f"{_dtype.torch_name(self._data.dtype)} but the "
                "operation's result requires dtype Double"
            )
        return cast("Tensor", self)._unary_("float_power", exponent)

    def heaviside_(self, values: TensorLike) -> Tensor:
        _tensor_only("heaviside_", values, "values")
        return cast("Tensor", self)._unary_("heaviside", values)


def _subtracting_as_given(
    rule: Callable[..., Rule], x: TensorCore, other: object
) -> Callable[..., Rule]:
    """``rule``, whose backward raises PyTorch's error when an operand is a bool Tensor
    (PyTorch's formula subtracts the operands as given: other - self)."""

    def refused(g: np.ndarray) -> Grads:
        _refuse_bool_subtraction(x, other)
        return ()

    def with_refusal(a: np.ndarray, b: np.ndarray, **needs: bool) -> Rule:
        return rule(a, b, **needs)[0], refused

    bools = [t for t in (x, other) if isinstance(t, TensorMath) and t._data.dtype.kind == "b"]
    return with_refusal if bools else rule


def _input_lost(name: str) -> Backward:
    def backward(g: np.ndarray) -> Grads:
        raise NotImplementedError(
            f"the derivative for 'inplace version of {name}' is not implemented."
        )

    return backward


def _is_complex(x: TensorCore, other: object) -> bool:
    theirs = other._data.dtype.kind if isinstance(other, TensorMath) else ""
    return x._data.dtype.kind == "c" or theirs == "c" or isinstance(other, complex)
