"""Regression and divergence loss rules (one node each), PyTorch's formulas, d = x - y:

    l1          |d|                                          d/dx = sign(d)
    smooth_l1   0.5 d^2 / beta if |d| < beta else |d| - 0.5 beta     d/dx = clamp(d / beta, -1, 1)
    huber       0.5 d^2 if |d| < delta else delta (|d| - 0.5 delta)  d/dx = clamp(d, -delta, delta)
    kl_div      y (log y - x)  (xlogy: 0 where y = 0), or exp(y) (y - x) for log-space targets

Inputs broadcast (the caller warns, as PyTorch); gradients are summed back to each shape.
"""

from __future__ import annotations

import numpy as np

from . import Array, Grads, Rule, sign, unbroadcast
from ._quiet import quiet
from .loss import reduce


def _pointwise(
    loss: Array, slope: Array, x: Array, y: Array, reduction: str, need: tuple[bool, bool]
) -> Rule:
    """A loss of d = x - y with dloss/dd = ``slope``: reduced, with its backward."""
    out, scale = reduce(loss, reduction)

    def backward(g: Array) -> Grads:
        grad = slope * (g if scale == 1.0 else g * scale)
        return (
            unbroadcast(grad, x.shape) if need[0] else None,
            unbroadcast(-grad, y.shape) if need[1] else None,
        )

    return out, backward


def l1(x: Array, y: Array, reduction: str, need: tuple[bool, bool]) -> Rule:
    d = x - y
    return _pointwise(np.abs(d), sign(d), x, y, reduction, need)


def smooth_l1(x: Array, y: Array, reduction: str, beta: float, need: tuple[bool, bool]) -> Rule:
    d = x - y
    if beta == 0.0:  # PyTorch: plain L1 (no division by zero)
        return l1(x, y, reduction, need)
    z = np.abs(d)
    quadratic = z < beta
    loss = np.where(quadratic, 0.5 * d * d / beta, z - 0.5 * beta)
    slope = np.clip(d / beta, -1.0, 1.0)  # (NaN stays NaN, as PyTorch's)
    return _pointwise(loss.astype(x.dtype, copy=False), slope, x, y, reduction, need)


def huber(x: Array, y: Array, reduction: str, delta: float, need: tuple[bool, bool]) -> Rule:
    d = x - y
    z = np.abs(d)
    quadratic = z < delta
    loss = np.where(quadratic, 0.5 * d * d, delta * (z - 0.5 * delta))
    slope = np.clip(d, -delta, delta)
    return _pointwise(loss.astype(x.dtype, copy=False), slope, x, y, reduction, need)


def kl_div(x: Array, y: Array, reduction: str, log_target: bool, need: tuple[bool, bool]) -> Rule:
    """KL(y || exp(x)) pointwise, x holding log-probabilities. 'batchmean' divides the sum
    by x's first size.

    Target gradients are PyTorch's, NaN where it has them: log y + y / y - x (y = 0 gives
    0/0), or exp(y) (y - x + 1) for log-space targets."""
    if log_target:  # (the backward reads only what the forward made, as PyTorch's)
        p = np.exp(y)
        diff = y - x
        loss = p * diff
    else:
        positive = y != 0
        with quiet():
            log_y = np.where(positive, np.log(np.where(positive, y, 1.0)), 0.0)
        loss = y * log_y - y * x
    loss = np.asarray(loss, dtype=x.dtype)
    if reduction == "batchmean":
        total, _ = reduce(loss, "sum")
        batch = x.shape[0] if x.ndim else 1
        with quiet():  # (an empty batch: 0 / 0, NaN as PyTorch's)
            out, scale = np.asarray(np.divide(total, batch), dtype=x.dtype), np.divide(1.0, batch)
    else:
        out, scale = reduce(loss, reduction)
    shape = loss.shape  # (a reduced g is one number: spread it over the broadcast shape)

    def backward(g: Array) -> Grads:
        gs = g if scale == 1.0 else g * scale
        grad_x = grad_y = None
        if need[0]:
            grad_x = unbroadcast(np.broadcast_to(-(p if log_target else y) * gs, shape), x.shape)
        if need[1] and log_target:
            grad_y = unbroadcast(np.broadcast_to(p * (diff + 1.0) * gs, shape), y.shape)
        elif need[1]:  # xlogy(y, y) in y's own shape, as PyTorch, and - y x broadcast
            summed = unbroadcast(np.broadcast_to(gs, shape), y.shape)
            with quiet():  # (of an empty input, PyTorch's log y term gives 0, its y / y not)
                own = summed * (y / y if 0 in shape else log_y + y / y)
            grad_y = own + unbroadcast(np.broadcast_to(-x * gs, shape), y.shape)
        return (grad_x, grad_y)

    return out, backward
