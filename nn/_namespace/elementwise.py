"""``torch.<name>`` for elementwise functions, arithmetic (a number first too),
comparisons, blends and the matrix products."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from .. import _dtype
from ..tensor import Tensor
from ..tensor.arithmetic import _refuse_bool_subtraction
from .core import _function, _operand, _written

# random draws from a Tensor's values
bernoulli = _function("bernoulli")
multinomial = _function("multinomial")

# elementwise functions of one Tensor
exp = _function("exp")
log = _function("log")
log1p = _function("log1p")
log10 = _function("log10")
log2 = _function("log2")
expm1 = _function("expm1")
sqrt = _function("sqrt")
erf = _function("erf")
rsqrt = _function("rsqrt")
sin = _function("sin")
cos = _function("cos")
sinh = _function("sinh")
cosh = _function("cosh")
asin = arcsin = _function("asin")
acos = arccos = _function("acos")
atan = arctan = _function("atan")
atan2 = arctan2 = _function("atan2")
tanh = _function("tanh")
sigmoid = _function("sigmoid")
relu = _function("relu")
abs = _function("abs")
absolute = abs
neg = _function("neg")
negative = neg
sign = _function("sign")
sgn = _function("sgn")
floor = _function("floor")
ceil = _function("ceil")
round = _function("round")
trunc = fix = _function("trunc")
square = _function("square")
reciprocal = _function("reciprocal")
isnan = _function("isnan")
isfinite = _function("isfinite")
isinf = _function("isinf")
logical_not = _function("logical_not")
clamp = _function("clamp")
clip = clamp
clamp_min = _function("clamp_min")
clamp_max = _function("clamp_max")

# the rest of the elementwise math (nn/tensor/special.py)
tan = _function("tan")
asinh = arcsinh = _function("asinh")
acosh = arccosh = _function("acosh")
atanh = arctanh = _function("atanh")
exp2 = _function("exp2")
lgamma = _function("lgamma")
digamma = _function("digamma")
erfc = _function("erfc")
erfinv = _function("erfinv")
sinc = _function("sinc")
deg2rad = _function("deg2rad")
rad2deg = _function("rad2deg")
frac = _function("frac")
signbit = _function("signbit")
positive = _function("positive")
isposinf = _function("isposinf")
isneginf = _function("isneginf")
isreal = _function("isreal")
hypot = _function("hypot")
logaddexp = _function("logaddexp")
logaddexp2 = _function("logaddexp2")
copysign = _function("copysign")
fmod = _function("fmod")
fmax = _function("fmax")
fmin = _function("fmin")
heaviside = _function("heaviside")


def xlogy(input: Any, other: Any, *, out: Any = None) -> Any:
    """``input * log(other)``, 0 where input is 0; either operand may be a number."""
    if isinstance(input, Tensor | np.ndarray) or not isinstance(other, Tensor):
        return _written(out, _operand(input, "xlogy").xlogy(other), "xlogy")
    base = Tensor._make(np.asarray(input, dtype=_dtype.get_default_dtype()))
    return _written(out, base.xlogy(other), "xlogy")


def float_power(input: Any, exponent: Any, *, out: Any = None) -> Any:
    """``input ** exponent`` in double precision; the base may be a number."""
    if isinstance(input, Tensor | np.ndarray) or not isinstance(exponent, Tensor):
        return _written(out, _operand(input, "float_power").float_power(exponent), "float_power")
    wide = np.complex128 if isinstance(input, complex) or exponent.is_complex() else np.float64
    return _written(out, exponent.to(wide).__rpow__(wide(input)), "float_power")


# of two operands
maximum = _function("maximum")
minimum = _function("minimum")


def _number_first(name: str) -> Callable[..., Any]:
    """torch.<name>(input, other, ...), where ``input`` may also be a Python number when
    ``other`` is a Tensor (``torch.sub(1, x)``): the number takes part as PyTorch's wrapped
    numbers do (so ``torch.div(1, x)`` divides and saves ``x``, where ``1 / x`` multiplies
    the reciprocal)."""
    method = _function(name)

    def function(
        input: object, other: object, *args: object, out: Tensor | None = None, **kwargs: object
    ) -> object:
        if _is_number(input) and isinstance(other, Tensor) and not args:
            if name == "sub":
                _refuse_bool_subtraction(input, other)
            return _written(out, other._number_first(name, input, **kwargs), name)
        return method(input, other, *args, out=out, **kwargs)

    function.__name__ = function.__qualname__ = name
    function.__doc__ = (
        f"``torch.{name}(input, other, ...)``: ``input.{name}(other, ...)``; ``input`` may be "
        "a number when ``other`` is a Tensor."
    )
    return function


def _commuting(name: str) -> Callable[..., object]:
    """torch.<name>(input, other) of an op whose operands commute: ``input`` may be a number
    when ``other`` is a Tensor (``torch.bitwise_and(3, x)`` is ``x.bitwise_and(3)``)."""
    method = _function(name)

    def function(input: object, other: object, *, out: Tensor | None = None) -> object:
        if _is_number(input) and isinstance(other, Tensor):
            input, other = other, input
        return method(input, other, out=out)

    function.__name__ = function.__qualname__ = name
    function.__doc__ = f"``torch.{name}(input, other)``: ``input.{name}(other)``, either a number."
    return function


bitwise_and = _commuting("bitwise_and")
bitwise_or = _commuting("bitwise_or")
bitwise_xor = _commuting("bitwise_xor")


def _is_number(value: object) -> bool:
    return isinstance(value, int | float | complex | np.number | np.bool_)


add = _number_first("add")
sub = _number_first("sub")
subtract = sub
mul = _number_first("mul")
multiply = mul
div = _number_first("div")
divide = div
true_divide = _number_first("true_divide")
floor_divide = _number_first("floor_divide")
remainder = _number_first("remainder")
lerp = _function("lerp")
addcmul = _function("addcmul")
addcdiv = _function("addcdiv")
nan_to_num = _function("nan_to_num")
scatter = _function("scatter")
scatter_add = _function("scatter_add")
eq = _function("eq")
ne = _function("ne")
gt = _function("gt")
lt = _function("lt")
ge = _function("ge")
le = _function("le")
not_equal = _function("not_equal")
greater = _function("greater")
greater_equal = _function("greater_equal")
less = _function("less")
less_equal = _function("less_equal")
logical_and = _function("logical_and")
logical_or = _function("logical_or")
logical_xor = _function("logical_xor")
bitwise_not = _function("bitwise_not")
matmul = _function("matmul")
mm = _function("mm")
bmm = _function("bmm")
dot = _function("dot")
outer = _function("outer")
ger = outer


__all__ = sorted(
    name
    for name, value in list(globals().items())
    if not name.startswith("_") and getattr(value, "__module__", "").startswith("nn._namespace")
)
