"""Arithmetic rules: the operators (add, sub, mul, div, neg, pow, remainder, rounded
quotients) on arrays, for ``nn/tensor/arithmetic.py``.

Binary rules take ``need_a`` / ``need_b`` (whether each input's gradient is wanted) and
undo broadcasting in the gradients. Constants inside the closures are Python floats, so a
float32 array stays float32 under NumPy 2's promotion rules.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from . import Array, Grads, Rule, scaled_sum, unbroadcast
from ._quiet import quiet


def add(a: Array, b: Array, alpha: float = 1.0, need_a: bool = True, need_b: bool = True) -> Rule:
    """a + alpha * b (rounded once, as PyTorch); d/da = 1, d/db = alpha."""
    out = a + b if alpha == 1 else scaled_sum(a, b, alpha)
    sa, sb = a.shape, b.shape

    def backward(g: Array) -> Grads:
        return (
            unbroadcast(g, sa) if need_a else None,
            (unbroadcast(g if alpha == 1 else g * alpha, sb)) if need_b else None,
        )

    return out, backward


def sub(a: Array, b: Array, alpha: float = 1.0, need_a: bool = True, need_b: bool = True) -> Rule:
    """a - alpha * b (rounded once, as PyTorch); d/da = 1, d/db = -alpha."""
    out = a - b if alpha == 1 else scaled_sum(a, b, -alpha)
    sa, sb = a.shape, b.shape

    def backward(g: Array) -> Grads:
        return (
            unbroadcast(g, sa) if need_a else None,
            unbroadcast(-g if alpha == 1 else g * -alpha, sb) if need_b else None,
        )

    return out, backward


def mul(a: Array, b: Array, need_a: bool = True, need_b: bool = True) -> Rule:
    """a * b; d/da = b, d/db = a."""

    def backward(g: Array) -> Grads:
        return (
            unbroadcast(g * b, a.shape) if need_a else None,
            unbroadcast(g * a, b.shape) if need_b else None,
        )

    return a * b, backward


def div(a: Array, b: Array, need_a: bool = True, need_b: bool = True) -> Rule:
    """a / b; d/da = 1 / b, d/db = -(a / b) / b (PyTorch's order: no overflow in b * b)."""
    out = np.divide(a, b)

    def backward(g: Array) -> Grads:
        return (
            unbroadcast(g / b, a.shape) if need_a else None,
            unbroadcast(-g * (a / b / b), b.shape) if need_b else None,
        )

    return out, backward


def neg(a: Array) -> Rule:
    return np.negative(a), lambda g: (-g,)


def pow_scalar(a: Array, p: float) -> Rule:
    """a ** p for a number p; d/da = p * a ** (p - 1), and exactly 0 when p == 0.

    The exponents PyTorch computes by another function (0.5: sqrt, -0.5: 1 / sqrt, 2, 3,
    -1, -2: products) are computed the same way, so signed zeros come out as PyTorch's.
    """
    if p == 0:
        return np.ones_like(a), lambda g: (np.zeros_like(g),)
    out = _power(a, p)

    def backward(g: Array) -> Grads:
        if p == 2:
            return (g * (a * 2.0),)
        if p == 1:
            return (g * np.ones_like(a),)
        return (g * (p * _power(a, p - 1.0)),)

    return out, backward


def pow_bool(a: Array, exponent: bool) -> Rule:
    """a ** True (a) or a ** False (ones); d/da = exponent * a ** (exponent - 1), by
    PyTorch's formula (NaN at 0 for False)."""
    out = a.copy() if exponent else np.ones_like(a)

    def backward(g: Array) -> Grads:
        if exponent:
            return (g * np.ones_like(a),)
        with quiet():
            return (g * (0.0 * np.power(a, -1.0)),)

    return out, backward


def _power(a: Array, p: float) -> Array:
    """a ** p, by the function PyTorch uses for this exponent."""
    special: dict[float, Callable[[], Array]] = {
        2: lambda: a * a,
        3: lambda: a * a * a,
        0.5: lambda: np.sqrt(a),
        -0.5: lambda: 1.0 / np.sqrt(a),
        -1: lambda: 1.0 / a,
        -2: lambda: 1.0 / (a * a),
    }
    result: Array = special[p]() if p in special else np.power(a, p)
    return result


def integer_power(a: Array, b: Array) -> Array:
    """a ** b for integer arrays, as PyTorch: a negative exponent truncates toward zero
    (1 for a == 1, +-1 for a == -1, 0 otherwise) where NumPy refuses it."""
    negative = b < 0
    out: Array = np.power(a, np.where(negative, 0, b))
    if negative.any():
        minus_one = np.where(b % 2 == 0, 1, -1)
        truncated = np.where(a == 1, 1, np.where(a == -1, minus_one, 0))
        out = np.where(negative, truncated, out).astype(out.dtype)
    return out


def _refuse_integer_zero(a: Array, b: Array) -> bool:
    """Whether both are integer arrays (raising PyTorch's error if ``b`` holds a zero)."""
    integers = a.dtype.kind in "biu" and b.dtype.kind in "biu"
    if integers and a.size and not np.all(b):
        raise RuntimeError("ZeroDivisionError")
    return integers


def divide_rounded(a: Array, b: Array, mode: str) -> Array:
    """a / b rounded toward -inf (``"floor"``) or toward 0 (``"trunc"``), as PyTorch: exact
    for integers, whose division by zero is an error (NumPy would give 0 and a warning)."""
    integers = _refuse_integer_zero(a, b)
    with quiet():  # inf and NaN, silently, as PyTorch
        if mode == "floor":
            return np.floor_divide(a, b)  # type: ignore[no-any-return]
        if integers:  # the floor, one up where the remainder is nonzero and the signs differ
            quotient, rest = np.divmod(a, b)
            return quotient + ((rest != 0) & ((a < 0) != (b < 0)))  # type: ignore[no-any-return]
        return np.trunc(np.divide(a, b))  # type: ignore[no-any-return]


def remainder(a: Array, b: Array, need_a: bool = True, need_b: bool = True) -> Rule:
    """a - floor(a / b) * b (the sign of b), as PyTorch; an integer zero divisor is an error.
    d/da = 1, d/db = -floor(a / b)."""
    _refuse_integer_zero(a, b)
    with quiet():
        out: Array = np.mod(a, b)

    def backward(g: Array) -> Grads:
        grad_a = unbroadcast(g, a.shape) if need_a else None
        grad_b = unbroadcast(-g * np.floor_divide(a, b), b.shape) if need_b else None
        return grad_a, grad_b

    return out, backward


def rounded_quotient(
    a: Array, b: Array, mode: str, need_a: bool = True, need_b: bool = True
) -> Rule:
    """``divide_rounded``, whose gradient is 0 almost everywhere (PyTorch's, not a cut)."""
    out = divide_rounded(a, b, mode)

    def backward(g: Array) -> Grads:
        zeros = np.zeros_like(g)
        return (
            unbroadcast(zeros, a.shape) if need_a else None,
            unbroadcast(zeros, b.shape) if need_b else None,
        )

    return out, backward


def not_differentiable(name: str) -> Callable[[Array], Grads]:
    """The backward of an op PyTorch records but cannot differentiate: it raises, as
    PyTorch's does, when a gradient reaches it."""

    def backward(g: Array) -> Grads:
        raise RuntimeError(f"derivative for aten::{name} is not implemented")

    return backward


def pow_tensor(a: Array, b: Array, need_a: bool = True, need_b: bool = True) -> Rule:
    """a ** b elementwise. d/da = b a**(b-1) (0 where b == 0); d/db = a**b log(a) (0 where
    a == 0 and b >= 0)."""
    integers = a.dtype.kind in "biu" and b.dtype.kind in "biu"
    out = integer_power(a, b) if integers else _c_power(a, b)

    def backward(g: Array) -> Grads:
        grad_a = grad_b = None
        if need_a:
            grad_a = unbroadcast(np.where(b == 0, 0.0, g * (b * np.power(a, b - 1.0))), a.shape)
        if need_b:  # the upstream gradient multiplies the selection, as in PyTorch
            selected = np.where((a == 0) & (b >= 0), 0.0, out * np.log(a))
            grad_b = unbroadcast(g * selected, b.shape)
        return _keep(grad_a, a), _keep(grad_b, b)

    return out, backward


def _c_power(a: Array, b: Array) -> Array:
    """a ** b as C's ``pow`` (PyTorch's kernel): NumPy computes an exponent of 0.5 as a square
    root, which gives NaN for -inf and -0.0 for -0.0 where ``pow`` gives inf and 0.0."""
    out = np.asarray(np.power(a, b))
    half = b == 0.5
    if np.any(half):
        fixed = half & ((a == -np.inf) | (a == 0))
        if np.any(fixed):
            out = np.where(fixed, np.abs(np.broadcast_to(a, out.shape)) ** 0.5, out)
            out = np.where(half & (a == -np.inf), np.inf, out).astype(out.dtype)
    return out


def pow_number_base(c: float, b: Array) -> Rule:
    """c ** b for a number c; d/db = c**b log(c) (0 where c == 0 and b >= 0)."""
    out = np.power(np.asarray(c, dtype=b.dtype), b)
    log_c = float(np.log(np.float64(c))) if c > 0 else (-np.inf if c == 0 else np.nan)

    def backward(g: Array) -> Grads:
        if c == 0:
            return (np.asarray(g * np.where(b >= 0, 0.0, out * log_c), dtype=b.dtype),)
        return (np.asarray(g * (out * log_c), dtype=b.dtype),)

    return out, backward


def _keep(grad: Array | None, like: Array) -> Array | None:
    return None if grad is None else np.asarray(grad, dtype=like.dtype)
