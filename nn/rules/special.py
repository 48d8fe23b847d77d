"""The rest of PyTorch's elementwise math on arrays: tan and the inverse hyperbolic
functions, exp2, the gamma family (lgamma, digamma), erfc and erfinv, sinc, angle units,
and the binary ones (hypot, logaddexp, xlogy, copysign, fmod, fmax/fmin, heaviside).

Each rule returns ``(out, backward)`` like every rule in ``nn/rules``; each gradient is
PyTorch's formula (``tools/autograd/derivatives.yaml``), computed in the same order. The
special functions NumPy lacks (lgamma, digamma, trigamma, erfinv) are computed in float64
and rounded to the input's dtype.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ..types import InputLike
from . import Array, Grads, Rule, unbroadcast
from ._quiet import quiet
from .activation import erf

_TWO_OVER_ROOT_PI = 2.0 / math.sqrt(math.pi)


def _in(dtype: np.dtype, values: InputLike) -> Array:
    return np.asarray(values, dtype=np.float64).astype(dtype, copy=False)


def tan(x: Array) -> Rule:
    """tan x; d/dx = 1 + tan(x)**2 (of the result, as PyTorch)."""
    out = np.tan(x)
    return out, lambda g: (g * (1 + out * out),)


def asinh(x: Array) -> Rule:
    """asinh x; d/dx = 1 / sqrt(x**2 + 1)."""
    return np.arcsinh(x), lambda g: (g * (1 / np.sqrt(x * x + 1)),)


def acosh(x: Array) -> Rule:
    """acosh x (NaN below 1); d/dx = 1 / sqrt(x**2 - 1)."""
    return np.arccosh(x), lambda g: (g * (1 / np.sqrt(x * x - 1)),)


def atanh(x: Array) -> Rule:
    """atanh x (NaN outside [-1, 1]); d/dx = 1 / (1 - x**2)."""
    return np.arctanh(x), lambda g: (g * (1 / (1 - x * x)),)


def exp2(x: Array) -> Rule:
    """2**x; d/dx = 2**x ln 2."""
    out = np.exp2(x)
    ln2 = x.dtype.type(math.log(2.0))
    return out, lambda g: (g * out * ln2,)


def deg2rad(x: Array) -> Rule:
    """x pi / 180; d/dx = pi / 180."""
    factor = x.dtype.type(math.pi / 180.0)
    return x * factor, lambda g: (g * factor,)


def rad2deg(x: Array) -> Rule:
    """x 180 / pi; d/dx = 180 / pi."""
    factor = x.dtype.type(180.0 / math.pi)
    return x * factor, lambda g: (g * factor,)


def frac(x: Array) -> Rule:
    """x - trunc(x), with the sign of x; d/dx = 1."""
    return x - np.trunc(x), lambda g: (g,)


def sinc(x: Array) -> Rule:
    """sin(pi x) / (pi x), 1 at 0; d/dx = (pi x cos(pi x) - sin(pi x)) / (pi x**2), 0 where
    pi x**2 is 0 in the input's dtype (at 0, and where x**2 underflows), as PyTorch's."""
    pi = x.dtype.type(math.pi)
    product = pi * x
    out = np.where(x == 0, x.dtype.type(1), np.sin(product) / np.where(x == 0, 1, product))

    def backward(g: Array) -> tuple[Array]:
        squared = x * x * pi
        with quiet():
            grad = g * (product * np.cos(product) - np.sin(product)) / squared
        return (np.where(squared == 0, 0, grad).astype(g.dtype, copy=False),)

    return out.astype(x.dtype, copy=False), backward


def erfc(x: Array) -> Rule:
    """1 - erf(x), without the cancellation for large x; d/dx = -2 / sqrt(pi) exp(-x**2)."""
    out = _in(x.dtype, _ERFC(np.asarray(x, dtype=np.float64)))
    return out, lambda g: (g * x.dtype.type(-_TWO_OVER_ROOT_PI) * np.exp(-(x * x)),)


def erfinv(x: Array) -> Rule:
    """The y with erf(y) = x (+-inf at +-1, NaN outside); d/dx = sqrt(pi) / 2 exp(y**2)."""
    out = _in(x.dtype, _erfinv64(np.asarray(x, dtype=np.float64)))
    half_root_pi = x.dtype.type(math.sqrt(math.pi) / 2)

    def backward(g: Array) -> tuple[Array]:
        y = _in(x.dtype, _erfinv64(np.asarray(x, dtype=np.float64)))  # (from x, as PyTorch)
        return (half_root_pi * np.exp(y * y) * g,)

    return out, backward


def lgamma(x: Array) -> Rule:
    """log |Gamma(x)| (inf at the poles 0, -1, -2...); d/dx = digamma(x)."""
    out = _in(x.dtype, _LGAMMA(np.asarray(x, dtype=np.float64)))
    return out, lambda g: (g * digamma_of(x),)


def digamma(x: Array) -> Rule:
    """Gamma'(x) / Gamma(x) (-inf at +0, NaN at the negative integers); d/dx = trigamma."""
    out = digamma_of(x)
    return out, lambda g: (g * _in(x.dtype, _trigamma64(x)),)


def digamma_of(x: Array) -> Array:
    """digamma in x's own dtype, as PyTorch's (Cephes's psi): reflection below 0,
    psi(x) = psi(1 - x) - pi / tan(pi frac(x)); the recurrence psi(x) = psi(x + 1) - 1 / x up
    to 10 (psi(10) exactly); then log x - 1 / (2x) - sum_k B_2k / (2k x**2k)."""
    kind = x.dtype.type
    with quiet():
        reflected = x < 0
        y = np.where(reflected, kind(1) - x, x)
        shift = np.zeros_like(y)
        small = y < 10
        while small.any():
            shift = np.where(small, shift - kind(1) / np.where(small, y, kind(1)), shift)
            y = np.where(small, y + kind(1), y)
            small = y < 10
        z = kind(1) / (y * y)
        series = np.where(y < 1e17, z * np.polyval(np.asarray(_PSI_SERIES, x.dtype), z), 0)
        out = shift + np.log(y) - kind(0.5) / y - series
        out = np.where(y == 10, shift + kind(_PSI_10), out)
        fraction = np.asarray(x - np.trunc(x), dtype=np.float64)
        cotangent = (math.pi / np.tan(math.pi * fraction)).astype(x.dtype)
        out = np.where(reflected, out - cotangent, out)
        out = np.where(x == 0, np.copysign(np.inf, -x), out)
        return np.where(reflected & (fraction == 0), np.nan, out).astype(x.dtype, copy=False)


_PSI_10 = 2.25175258906672110764  # digamma(10)
_PSI_SERIES = [  # B_2k / 2k for k = 7..1 (Cephes's A)
    8.33333333333333333333e-2,
    -2.10927960927960927961e-2,
    7.57575757575757575758e-3,
    -4.16666666666666666667e-3,
    3.96825396825396825397e-3,
    -8.33333333333333333333e-3,
    8.33333333333333333333e-2,
]


def _trigamma64(x: Array) -> Array:
    """psi'(x) in float64: reflection below 1/2 (psi'(x) = pi**2 / sin(pi x)**2 - psi'(1 -
    x)), the recurrence psi'(x) = psi'(x + 1) + 1 / x**2 up to 10, then the series."""
    # (sin(pi x) in x's own dtype, as PyTorch's: float32 poles give its finite values)
    sin_pi_x = np.sin(x.dtype.type(math.pi) * x).astype(np.float64)
    x = np.asarray(x, dtype=np.float64)
    with quiet():
        reflected = x < 0.5
        y = np.where(reflected, 1 - x, x)
        total = np.zeros_like(y)
        small = y < 10
        while small.any():
            total += np.where(small, 1 / np.where(small, y * y, 1), 0)
            y = np.where(small, y + 1, y)
            small = y < 10
        inverse_square = 1 / (y * y)
        series = (
            1
            + 1 / (2 * y)
            + inverse_square * (1 / 6 - inverse_square * (1 / 30 - inverse_square / 42))
        ) / y
        out = total + series
        reflection = math.pi**2 / sin_pi_x**2
        return np.where(reflected, reflection - out, out)


def _lgamma_scalar(value: float) -> float:
    try:
        return math.lgamma(value)
    except ValueError:  # (a pole: 0, -1, -2...)
        return math.inf


_LGAMMA = np.frompyfunc(_lgamma_scalar, 1, 1)
_ERFC = np.frompyfunc(math.erfc, 1, 1)


def _erfinv64(y: Array) -> Array:
    """erf's inverse: Giles's approximation, then two Newton steps on erf."""
    with quiet():
        w = -np.log((1 - y) * (1 + y))
        central = w < 5
        w_central = w - 2.5
        p_central = np.polyval(_GILES_CENTRAL, w_central)
        w_tail = np.sqrt(w) - 3
        p_tail = np.polyval(_GILES_TAIL, w_tail)
        x = np.where(central, p_central, p_tail) * y
        for _ in range(2):
            step = (erf(x) - y) / (_TWO_OVER_ROOT_PI * np.exp(-x * x))
            x = np.where(np.isfinite(step), x - step, x)
        x = np.where(np.abs(y) == 1, np.copysign(np.inf, y), x)
        return np.where(np.abs(y) > 1, np.nan, x)


# (Giles, "Approximating the erfinv function", 2010: coefficients, highest power first)
_GILES_CENTRAL = [
    2.81022636e-08,
    3.43273939e-07,
    -3.5233877e-06,
    -4.39150654e-06,
    0.00021858087,
    -0.00125372503,
    -0.00417768164,
    0.246640727,
    1.50140941,
]
_GILES_TAIL = [
    -0.000200214257,
    0.000100950558,
    0.00134934322,
    -0.00367342844,
    0.00573950773,
    -0.0076224613,
    0.00943887047,
    1.00167406,
    2.83297682,
]


# ---------------------------------------------------------------- functions of two arrays
def hypot(a: Array, b: Array, need_a: bool = True, need_b: bool = True) -> Rule:
    """sqrt(a**2 + b**2) without overflow; d/da = a / out, d/db = b / out."""
    out = np.hypot(a, b)

    def backward(g: Array) -> Grads:
        with quiet():
            return (
                unbroadcast(g * a / out, a.shape) if need_a else None,
                unbroadcast(g * b / out, b.shape) if need_b else None,
            )

    return out, backward


def logaddexp(a: Array, b: Array, need_a: bool = True, need_b: bool = True) -> Rule:
    """log(exp(a) + exp(b)), stable; d/da = 1 / (1 + exp(b - a)), d/db likewise."""
    return np.logaddexp(a, b), _logaddexp_backward(a, b, np.exp, need_a, need_b)


def logaddexp2(a: Array, b: Array, need_a: bool = True, need_b: bool = True) -> Rule:
    """log2(2**a + 2**b), stable; d/da = 1 / (1 + 2**(b - a)), d/db likewise."""
    return np.logaddexp2(a, b), _logaddexp_backward(a, b, np.exp2, need_a, need_b)


def _logaddexp_backward(a: Array, b: Array, power: Any, need_a: bool, need_b: bool) -> Any:
    def backward(g: Array) -> Grads:
        with quiet():
            return (
                unbroadcast(g / (1 + power(b - a)), a.shape) if need_a else None,
                unbroadcast(g / (1 + power(a - b)), b.shape) if need_b else None,
            )

    return backward


def xlogy(a: Array, b: Array, need_a: bool = True, need_b: bool = True) -> Rule:
    """a log b, 0 where a is 0 (unless b is NaN); d/da = xlogy(g, b) (0 where a is 0 and b
    <= 0), d/db = a / b."""

    def product(x: Array, y: Array) -> Array:
        with quiet():
            return np.where((x == 0) & ~np.isnan(y), 0, x * np.log(y)).astype(a.dtype)

    def backward(g: Array) -> Grads:
        with quiet():
            grad_a = np.where((a == 0) & (b <= 0), 0, product(g, b)).astype(g.dtype)
            return (
                unbroadcast(grad_a, a.shape) if need_a else None,
                unbroadcast(g * a / b, b.shape) if need_b else None,
            )

    return product(a, b), backward


def copysign(a: Array, b: Array, need_a: bool = True, need_b: bool = True) -> Rule:
    """|a| with the sign of b; d/da = out / a (0 where a is 0), d/db = 0."""
    out = np.copysign(a, b)

    def backward(g: Array) -> Grads:
        with quiet():
            ratio = np.where(a == 0, 0, out / np.where(a == 0, 1, a)).astype(out.dtype)
        return (
            unbroadcast(g * ratio, a.shape) if need_a else None,
            np.zeros(b.shape, dtype=b.dtype) if need_b else None,
        )

    return out, backward


def fmod(a: Array, b: Array, need_a: bool = True, need_b: bool = True) -> Rule:
    """a - trunc(a / b) b, with the sign of a (C's fmod); d/da = 1, d/db = -trunc(a / b)."""
    with quiet():
        out = np.fmod(a, b)

    def backward(g: Array) -> Grads:
        with quiet():
            return (
                unbroadcast(g, a.shape) if need_a else None,
                unbroadcast(-g * np.trunc(a / b), b.shape) if need_b else None,
            )

    return out, backward


def fmax(a: Array, b: Array, need_a: bool = True, need_b: bool = True) -> Rule:
    """The larger, ignoring a NaN; the gradient goes to a where a >= b or b is NaN, else b."""
    return np.fmax(a, b), _choice_backward(a, b, (a >= b) | np.isnan(b), need_a, need_b)


def fmin(a: Array, b: Array, need_a: bool = True, need_b: bool = True) -> Rule:
    """The smaller, ignoring a NaN; the gradient goes to a where a <= b or b is NaN, else b."""
    return np.fmin(a, b), _choice_backward(a, b, (a <= b) | np.isnan(b), need_a, need_b)


def _choice_backward(a: Array, b: Array, first: Array, need_a: bool, need_b: bool) -> Any:
    def backward(g: Array) -> Grads:
        return (
            unbroadcast(np.where(first, g, 0).astype(g.dtype), a.shape) if need_a else None,
            unbroadcast(np.where(first, 0, g).astype(g.dtype), b.shape) if need_b else None,
        )

    return backward


def heaviside(x: Array, values: Array) -> Array:
    """0 where x < 0 (or NaN), ``values`` where x == 0, 1 where x > 0 (not differentiable)."""
    return np.where(x == 0, values, x > 0).astype(x.dtype)
