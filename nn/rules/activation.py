"""Smooth activation rules, PyTorch's formulas (forward and backward):

    softplus  log(1 + exp(beta x)) / beta, or x where beta x > threshold
              d/dx = sigmoid(beta x) (1 past the threshold)
    elu       x if x > 0 else alpha (exp(x) - 1);       d/dx = 1 or alpha exp(x)
    gelu      x Phi(x) = x (1 + erf(x / sqrt 2)) / 2;   d/dx = Phi(x) + x phi(x)
    gelu_tanh x (1 + tanh(k (x + 0.044715 x^3))) / 2, k = sqrt(2 / pi)
    silu      x s, s = sigmoid(x) = 1 / (1 + exp(-x));  d/dx = s (1 + x (1 - s))

NumPy has no erf: ``erf`` applies the C library's (Python's ``math.erf``) elementwise, in
float64, which is exact to double precision and about 100 ns per element.
"""

from __future__ import annotations

import math

import numpy as np

from . import Array, Grads, Rule, nan_gradient_by_position
from ._quiet import quiet

_ERF = np.frompyfunc(math.erf, 1, 1)
_SQRT_2_OVER_PI = math.sqrt(2.0 / math.pi)
_KAPPA = 0.044715


def erf(x: Array) -> Array:
    """The error function, elementwise, in ``x``'s dtype."""
    wide = np.asarray(x, dtype=np.float64)
    return np.asarray(_ERF(wide), dtype=np.float64).astype(x.dtype, copy=False)


def softplus(x: Array, beta: float, threshold: float) -> Rule:
    scaled = x * beta
    linear = scaled > threshold
    with quiet():
        out = np.where(linear, x, np.log1p(np.exp(scaled)) / beta).astype(x.dtype, copy=False)

    def backward(g: Array) -> Grads:
        z = np.exp(np.where(linear, 0.0, scaled))
        return (np.where(linear, g, g * z / (z + 1.0)).astype(g.dtype, copy=False),)

    return out, backward


def elu(x: Array, alpha: float) -> Rule:
    negative = x <= 0
    grown = alpha * np.expm1(np.where(negative, x, 0.0))
    out = np.where(negative, grown, x).astype(x.dtype, copy=False)

    def backward(g: Array) -> Grads:
        negative_slope = alpha * np.exp(np.where(negative, x, 0.0))
        grad = np.where(negative, g * negative_slope, g)
        grad = np.where(np.isnan(x), np.nan, grad).astype(g.dtype, copy=False)
        return (nan_gradient_by_position(x, g, grad, 16),)

    return out, backward


def gelu(x: Array) -> Rule:
    cdf = 0.5 * (1.0 + erf(x * x.dtype.type(1.0 / math.sqrt(2.0))))
    out = (x * cdf).astype(x.dtype, copy=False)

    def backward(g: Array) -> Grads:
        pdf = np.exp(-0.5 * x * x) * (1.0 / math.sqrt(2.0 * math.pi))
        return ((g * (cdf + x * pdf)).astype(g.dtype, copy=False),)

    return out, backward


def gelu_tanh(x: Array) -> Rule:
    inner = _SQRT_2_OVER_PI * (x + _KAPPA * x * x * x)
    t = np.tanh(inner)
    out = (0.5 * x * (1.0 + t)).astype(x.dtype, copy=False)

    def backward(g: Array) -> Grads:
        slope = 0.5 * (1.0 + t) + 0.5 * x * (1.0 - t * t) * _SQRT_2_OVER_PI * (
            1.0 + 3.0 * _KAPPA * x * x
        )
        return ((g * slope).astype(g.dtype, copy=False),)

    return out, backward


def silu(x: Array) -> Rule:
    with quiet():  # exp(-x) overflows to inf for very negative x: s = 0, as PyTorch
        out = (x / (1.0 + np.exp(-x))).astype(x.dtype, copy=False)

    def backward(g: Array) -> Grads:
        s = 1.0 / (1.0 + np.exp(-x))
        return ((g * s * (1.0 + x * (1.0 - s))).astype(g.dtype, copy=False),)

    return out, backward
