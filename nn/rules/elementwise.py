"""Elementwise rules: the usual functions of one variable, clamps, maximum and minimum,
where, casts, atan2 and logit (the operators' rules are in ``arithmetic.py``).

Binary rules take ``need_a`` / ``need_b`` (whether each input's gradient is wanted) and
undo broadcasting in the gradients. Constants inside the closures are Python floats, so a
float32 array stays float32 under NumPy 2's promotion rules.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from . import (
    Array,
    Grads,
    Rule,
    activation,
    sign,
    unbroadcast,
    zeroed_where,
)
from ._quiet import quiet


# ------------------------------------------------------------------------ one variable
def exp(x: Array) -> Rule:
    out = np.exp(x)
    return out, lambda g: (g * out,)


def log(x: Array) -> Rule:
    return np.log(x), lambda g: (g / x,)


def log10(x: Array) -> Rule:
    return np.log10(x), lambda g: (g / (x * 2.3025850929940456),)  # (PyTorch's ln 10)


def log2(x: Array) -> Rule:
    return np.log2(x), lambda g: (g / (x * 0.6931471805599453),)  # (PyTorch's ln 2)


def log1p(x: Array) -> Rule:
    return np.log1p(x), lambda g: (g / (x + 1.0),)


def expm1(x: Array) -> Rule:
    out = np.expm1(x)
    return out, lambda g: (g * (out + 1.0),)


def sqrt(x: Array) -> Rule:
    out = np.sqrt(x)
    return out, lambda g: (g / (2.0 * out),)


def rsqrt(x: Array) -> Rule:
    """1 / sqrt(x); d/dx = -0.5 y**3 (y**3 first, as PyTorch, which decides under/overflow)."""
    out = 1.0 / np.sqrt(x)
    return out, lambda g: (-0.5 * g * (out * out * out),)


def reciprocal(x: Array) -> Rule:
    """1 / x; d/dx = -y**2."""
    out = 1.0 / x
    return out, lambda g: (-g * (out * out),)


def sin(x: Array) -> Rule:
    return np.sin(x), lambda g: (g * np.cos(x),)


def cos(x: Array) -> Rule:
    return np.cos(x), lambda g: (g * -np.sin(x),)


def sinh(x: Array) -> Rule:
    return np.sinh(x), lambda g: (g * np.cosh(x),)


def cosh(x: Array) -> Rule:
    return np.cosh(x), lambda g: (g * np.sinh(x),)


def asin(x: Array) -> Rule:  # (PyTorch's gradient: g * rsqrt(1 - x**2), computed as such)
    return np.arcsin(x), lambda g: (g * (1.0 / np.sqrt(-x * x + 1.0)),)


def acos(x: Array) -> Rule:
    return np.arccos(x), lambda g: (g * -(1.0 / np.sqrt(-x * x + 1.0)),)


def atan(x: Array) -> Rule:
    return np.arctan(x), lambda g: (g / (x * x + 1.0),)


def tanh(x: Array) -> Rule:
    """tanh x; d/dx = 1 - tanh(x)^2, with 1 - t^2 rounded once: PyTorch's kernel computes it
    as a fused multiply-add, which NumPy has not, so it is worked in a wider float (exact
    for float32; float64 through long double, which matches all but about 1 in 1000)."""
    out = np.tanh(x)
    wider = np.longdouble if out.dtype.itemsize >= 8 else np.float64
    return out, lambda g: (g * (1.0 - out.astype(wider) ** 2).astype(out.dtype),)


def sigmoid(x: Array) -> Rule:
    """1 / (1 + exp(-x)), exactly as PyTorch computes it (exp(-x) = inf gives 0, no NaN);
    d/dx = (1 - s) s."""
    out = 1.0 / (1.0 + np.exp(-x))
    return out, lambda g: (g * (1.0 - out) * out,)


def erf(x: Array) -> Rule:
    """The error function; d/dx = 2 / sqrt(pi) exp(-x**2)."""
    return activation.erf(x), lambda g: (g * (2.0 / np.sqrt(np.pi)) * np.exp(-(x * x)),)


def abs(x: Array) -> Rule:
    """|x|; d/dx = sign(x), with sign(0) = sign(NaN) = 0."""
    return np.abs(x), lambda g: (g * sign(x),)


def relu(x: Array) -> Rule:
    """max(x, 0) (NaN stays NaN), in x's dtype; the gradient is selected where the result is
    > 0 (or NaN)."""
    zero = 0.0 if x.dtype.kind == "f" else x.dtype.type(0)
    out = np.maximum(zero, x)  # NaN passes, and a tie keeps x (-0.0 stays -0.0), as PyTorch
    return out, lambda g: (zeroed_where(g, out <= 0),)


def leaky_relu(x: Array, slope: float) -> Rule:
    """x if x > 0 else slope * x; d/dx = 1 or slope (selected, as PyTorch)."""
    out = np.where(x > 0, x, x * slope).astype(x.dtype, copy=False)
    return out, lambda g: (np.where(x > 0, g, g * slope).astype(g.dtype, copy=False),)


def constant(out: Array) -> Rule:
    """An op whose result does not change with x (floor, round, sign...): d/dx = 0."""
    return out, lambda g: (np.zeros_like(g),)


def conj(x: Array) -> Rule:
    """The complex conjugate; the gradient is conjugated back."""
    return np.conj(x), lambda g: (np.conj(g),)


def real_part(x: Array) -> Rule:
    """The real parts of a complex array, a view; the gradient is a complex array."""
    return x.real, lambda g: (g.astype(x.dtype),)


def imag_part(x: Array) -> Rule:
    """The imaginary parts of a complex array, a view; the gradient is i g."""
    return x.imag, lambda g: (1j * g,)


def clamp(x: Array, low: Any, high: Any) -> Rule:
    """min(max(x, low), high) (NaN stays NaN); the gradient is selected where
    low <= x <= high, so an infinite upstream gradient is not turned into NaN."""
    out = x
    if low is not None:
        out = np.where(out < low, low, out)
    if high is not None:
        out = np.where(out > high, high, out)
    out = np.asarray(out, dtype=x.dtype)
    inside = np.ones(x.shape, dtype=bool)
    if low is not None:
        inside &= x >= low
    if high is not None:
        inside &= x <= high
    return out, lambda g: (np.where(inside, g, 0.0).astype(g.dtype, copy=False),)


def clamp_tensors(x: Array, low: Array | None, high: Array | None, needs: tuple[bool, ...]) -> Rule:
    """min(max(x, low), high) with Tensor bounds (NaN in any operand gives NaN), as
    PyTorch's: the gradient goes to x where low <= x <= high (ties to x), to low where
    x < low < high, to high where x > high or low > high."""
    out = x if low is None else np.maximum(x, low)
    out = out if high is None else np.minimum(out, high)
    with quiet():
        inside = np.ones(np.shape(out), dtype=bool)
        if low is not None:
            inside &= x >= low
        if high is not None:
            inside &= x <= high
        # (with both bounds and low >= high, the result is high: low gets nothing)
        to_low: Any = None if low is None else (x < low) & (True if high is None else low < high)
        to_high: Any = None if high is None else (x > high) | (False if low is None else low > high)

    def backward(g: Array) -> Grads:
        """Gradients of x and of each bound given (an absent bound has none)."""
        zero = g.dtype.type(0)
        grads = [unbroadcast(np.where(inside, g, zero), x.shape) if needs[0] else None]
        for bound, chosen, need in ((low, to_low, needs[1]), (high, to_high, needs[2])):
            if bound is not None:
                grads.append(unbroadcast(np.where(chosen, g, zero), bound.shape) if need else None)
        return tuple(grads)

    return np.asarray(out), backward


def maximum(a: Array, b: Array, need_a: bool = True, need_b: bool = True) -> Rule:
    """max(a, b) elementwise (NaN if either is; a on ties, so max(-0.0, 0.0) is -0.0, as
    PyTorch); ties share the gradient equally."""
    return _extremum(np.less, a, b, need_a, need_b, np.less, np.greater)


def minimum(a: Array, b: Array, need_a: bool = True, need_b: bool = True) -> Rule:
    """min(a, b) elementwise (NaN if either is; a on ties); ties share the gradient."""
    return _extremum(np.greater, a, b, need_a, need_b, np.greater, np.less)


def _extremum(
    beaten: np.ufunc,
    a: Array,
    b: Array,
    need_a: bool,
    need_b: bool,
    loses: np.ufunc,
    wins: np.ufunc,
) -> Rule:
    def backward(g: Array) -> Grads:
        shared = np.where(a == b, g / 2.0, g)
        return (
            unbroadcast(np.where(loses(a, b), 0.0, shared), a.shape) if need_a else None,
            unbroadcast(np.where(wins(a, b), 0.0, shared), b.shape) if need_b else None,
        )

    return np.where(beaten(a, b) | np.isnan(b), b, a), backward


def where(condition: Array, a: Array, b: Array, need_a: bool = True, need_b: bool = True) -> Rule:
    """a where condition else b; each gradient is selected by the condition."""

    def backward(g: Array) -> Grads:
        return (
            unbroadcast(np.where(condition, g, 0.0), a.shape) if need_a else None,
            unbroadcast(np.where(condition, 0.0, g), b.shape) if need_b else None,
        )

    return np.where(condition, a, b), backward


# ------------------------------------------------------------------------------ blends
def atan2(a: Array, b: Array, need_a: bool = True, need_b: bool = True) -> Rule:
    """The angle of the point (b, a): atan(a / b) in the right quadrant. With r = 1 / (a^2 +
    b^2) (0 at the origin, as PyTorch's): d/da = b r, d/db = -a r."""
    out = np.arctan2(a, b)

    def backward(g: Array) -> Grads:
        with np.errstate(divide="ignore", invalid="ignore"):
            denominator = a * a + b * b
            recip = np.where(denominator == 0, 0, 1 / denominator)  # (0 at the origin)
            grad_a = unbroadcast(g * b * recip, a.shape) if need_a else None
            grad_b = unbroadcast(g * -a * recip, b.shape) if need_b else None
        return grad_a, grad_b

    return out, backward


def logit(x: Array, eps: float | None) -> Rule:
    """log(x / (1 - x)), x first clamped to [eps, 1 - eps] when ``eps`` is given;
    d/dx = 1 / (x (1 - x)), 0 outside the clamp (NaN outside [0, 1] without one)."""
    z = x if eps is None else np.clip(x, eps, 1 - eps)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.log(z / (1 - z))

    def backward(g: Array) -> tuple[Array]:
        with np.errstate(divide="ignore", invalid="ignore"):
            grad = g / (x * (1 - x))
            grad = np.where((x == 0) | (x == 1), g * np.inf, grad)  # (PyTorch's, -0.0 too)
            if eps is None:
                grad = np.where((x < 0) | (x > 1), np.nan, grad)
            else:
                grad = np.where((x < eps) | (x > 1 - eps), 0, grad)
        return (grad.astype(x.dtype, copy=False),)

    return out.astype(x.dtype, copy=False), backward
