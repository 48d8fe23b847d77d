"""Piecewise and bounded activation rules, PyTorch's formulas (forward and backward):

    hardtanh     min(max(x, lo), hi);        d/dx = 1 for lo < x < hi, else 0 (NaN passes)
    hardsigmoid  0 (x <= -3), 1 (x >= 3), x / 6 + 1/2 between;  d/dx = 1/6 strictly between
    hardswish    x min(max(x + 3, 0), 6) / 6;
                 d/dx = 0 (x <= -3), x / 3 + 1/2 (-3 < x < 3), 1 (x >= 3 and NaN)
    log_sigmoid  log(1 / (1 + exp(-x))) = min(x, 0) - log1p(exp(-|x|));  d/dx = sigmoid(-x)
    celu         max(0, x) + min(0, alpha expm1(x / alpha));  d/dx = 1 or exp(x / alpha)
    selu         scale * elu(x, alpha) with PyTorch's alpha and scale
    mish         x tanh(softplus(x));  d/dx = t + x sigmoid(x) (1 - t^2), t = tanh(softplus(x))
    softsign     x / (1 + |x|);  d/dx = 1 / (1 + |x|) - x sign(x) / (1 + |x|)^2, as PyTorch's
                 composition computes it (= 1 / (1 + |x|)^2; NaN at infinity)
    prelu        x (x > 0), w x otherwise;  d/dx = 1 or w, d/dw = 0 or x (summed over w's
                 broadcast)
    hardshrink   0 for -l <= x <= l, else x;  d/dx = 0 there, else 1 (NaN passes)
    softshrink   x - l (x > l), x + l (x < -l), 0 x between;  d/dx as hardshrink's
    threshold    value for x <= t, else x;  d/dx = 0 for x <= t, else 1
    rrelu        r x for x <= 0 (r drawn per element), else x;  d/dx = r or 1

Where the gradient is 0 on a region it is selected (``zeroed_where``), not multiplied, so an
infinite upstream gradient gives 0 there, as in PyTorch.
"""

from __future__ import annotations

import numpy as np

from ..types import InputLike
from . import Array, Grads, Rule, nan_gradient_by_position, unbroadcast, zeroed_where
from ._quiet import quiet

SELU_ALPHA = 1.6732632423543772848170429916717
SELU_SCALE = 1.0507009873554804934193349852946


def _typed(values: InputLike, like: Array) -> Array:
    return np.asarray(values).astype(like.dtype, copy=False)


def hardtanh(x: Array, lo: float, hi: float) -> Rule:
    out = _typed(np.clip(x, lo, hi), x)
    outside = ~((x > lo) & (x < hi))  # (NaN too, but see nan_gradient_by_position)
    return out, lambda g: (nan_gradient_by_position(x, g, zeroed_where(g, outside), 8),)


def hardsigmoid(x: Array) -> Rule:
    out = _typed(np.clip(x / 6.0 + 0.5, 0.0, 1.0), x)
    outside = ~((x > -3.0) & (x < 3.0))  # NaN too: its gradient is 0, as PyTorch's
    # (PyTorch's backward multiplies by 1/6 rounded to float32, in float64 too)
    return out, lambda g: (zeroed_where(_typed(g * float(np.float32(1.0 / 6.0)), g), outside),)


def hardswish(x: Array) -> Rule:
    out = _typed(x * np.clip(x + 3.0, 0.0, 6.0) / 6.0, x)  # (-0.0 below -3, as PyTorch's)

    def backward(g: Array) -> Grads:
        inside = (x > -3.0) & (x < 3.0)
        sloped = np.where(inside, _typed(g * (x / 3.0 + 0.5), g), g)  # g at 3 and NaN
        return (zeroed_where(sloped, x <= -3.0),)

    return out, backward


def log_sigmoid(x: Array) -> Rule:
    with quiet():
        out = _typed(np.minimum(x, 0.0) - np.log1p(np.exp(-np.abs(x))), x)

    def backward(g: Array) -> Grads:
        with quiet():
            return (_typed(g / (1.0 + np.exp(x)), g),)  # g sigmoid(-x)

    return out, backward


def celu(x: Array, alpha: float) -> Rule:
    negative = x <= 0
    with quiet():
        scaled = np.where(negative, x, 0.0) * (1.0 / alpha)  # (PyTorch's multiply by 1/alpha)
        grown = np.exp(scaled)
        out = _typed(np.where(negative, alpha * np.expm1(scaled), x), x)
    nan = np.isnan(x)  # (its gradient NaN, as PyTorch's vectorised loop gives; its tail passes)

    def backward(g: Array) -> Grads:
        grad = _typed(np.where(nan, np.nan, np.where(negative, g * grown, g)), g)
        return (nan_gradient_by_position(x, g, grad, 16),)

    return out, backward


def selu(x: Array) -> Rule:
    negative = x <= 0
    kept = np.where(negative, x, 0.0)
    grown = np.exp(kept)
    out = _typed(SELU_SCALE * np.where(negative, SELU_ALPHA * np.expm1(kept), x), x)
    slope = SELU_SCALE * np.where(negative, SELU_ALPHA * grown, 1.0)
    slope = np.where(np.isnan(x), np.nan, slope)  # (NaN's gradient NaN; its tail passes)
    return out, lambda g: (nan_gradient_by_position(x, g * SELU_SCALE, _typed(g * slope, g), 16),)


def mish(x: Array) -> Rule:
    with quiet():
        softplus = np.where(x > 20.0, x, np.log1p(np.exp(np.minimum(x, 20.0))))
        t = np.tanh(softplus)
    out = _typed(x * t, x)

    def backward(g: Array) -> Grads:
        with quiet():
            sigmoid = 1.0 / (1.0 + np.exp(-x))
        return (_typed(g * (t + x * sigmoid * (1.0 - t * t)), g),)

    return out, backward


def softsign(x: Array) -> Rule:
    denominator = 1.0 + np.abs(x)
    with quiet():  # (inf / inf: NaN, as PyTorch's)
        out = _typed(x / denominator, x)

    def backward(g: Array) -> Grads:  # (as PyTorch's x / (1 + |x|) composes it)
        with quiet():
            return (_typed(g / denominator - g * x / (denominator * denominator) * np.sign(x), g),)

    return out, backward


def prelu(x: Array, w: Array, need: tuple[bool, bool]) -> Rule:
    positive = x > 0
    out = np.where(positive, x, w * x)

    def backward(g: Array) -> Grads:
        grad_x = np.where(positive, g, w * g) if need[0] else None
        grad_w = unbroadcast(np.where(positive, 0.0, x * g), w.shape) if need[1] else None
        return (grad_x, None if grad_w is None else grad_w.astype(w.dtype, copy=False))

    return out, backward


def hardshrink(x: Array, lambd: float) -> Rule:
    inside = (x >= -lambd) & (x <= lambd)
    return _typed(np.where(inside, 0, x), x), lambda g: (zeroed_where(g, inside),)


def softshrink(x: Array, lambd: float) -> Rule:
    inside = (x >= -lambd) & (x <= lambd)
    with quiet():  # (0 x is NaN at infinity, where the other branch is taken)
        shrunk = np.where(x > lambd, x - lambd, np.where(x < -lambd, x + lambd, x * 0))
    return _typed(shrunk, x), lambda g: (zeroed_where(g, inside),)


def threshold(x: Array, threshold: Array, value: Array) -> Rule:
    below = x <= threshold
    out = np.where(below, value, x)
    return _typed(out, x), lambda g: (zeroed_where(g, below),)


def rrelu(x: Array, slopes: Array) -> Rule:
    """``x`` times the drawn ``slopes`` (one per element at or below 0, in order)."""
    below = x <= 0
    noise = np.ones_like(x)
    noise[below] = slopes.astype(x.dtype)
    return _typed(x * noise, x), lambda g: (_typed(g * noise, g),)
