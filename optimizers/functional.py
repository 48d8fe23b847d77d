"""The update rules as pure functions on arrays, updating parameters and state in place.

Each function takes the parameter array ``W``, its gradient ``dW`` (never modified) and the
state arrays, and changes ``W`` and the state in place. Hyperparameters are Python floats, so
NumPy 2 never promotes a float32 array to float64 (NEP 50); every array keeps its dtype.
Preconditions (shapes equal, hyperparameters valid) are the caller's: the optimizer classes
check them once, in ``__init__``.
"""

from __future__ import annotations

import math

import numpy as np

Array = np.ndarray

__all__ = ["adagrad", "adam", "gradient_descent", "momentum", "rmsprop", "sgd"]


def _direction(W: Array, dW: Array, weight_decay: float, maximize: bool) -> Array:
    """dW, negated when maximizing, plus weight_decay * W (L2 penalty); a new array if changed."""
    if maximize:
        dW = -dW
    if weight_decay != 0.0:
        dW = dW + weight_decay * W
    return dW


def gradient_descent(W: Array, dW: Array, *, lr: float) -> None:
    """W = W - alpha * dW (the course's batch, stochastic and mini-batch gradient descent).

    >>> import numpy as np
    >>> W = np.array([1.0, 2.0]); gradient_descent(W, np.array([1.0, -1.0]), lr=0.1); W
    array([0.9, 2.1])
    """
    W -= lr * dW


def sgd(
    W: Array,
    dW: Array,
    momentum_buffer: Array | None,
    *,
    lr: float,
    momentum: float,
    dampening: float,
    weight_decay: float,
    nesterov: bool,
    maximize: bool,
) -> Array | None:
    """PyTorch's SGD; returns the momentum buffer (created from the first gradient).

        g = dW (+ weight_decay * W)
        b = g                                     on the first step
        b = momentum * b + (1 - dampening) * g    afterwards
        d = g + momentum * b if nesterov else b
        W = W - lr * d

    With momentum = 0 it is ``W = W - lr * g``.
    """
    g = _direction(W, dW, weight_decay, maximize)
    if momentum == 0.0:
        W -= lr * g
        return momentum_buffer
    if momentum_buffer is None:
        momentum_buffer = np.array(g, copy=True)
    else:
        momentum_buffer *= momentum
        momentum_buffer += (1.0 - dampening) * g
    step = g + momentum * momentum_buffer if nesterov else momentum_buffer
    W -= lr * step
    return momentum_buffer


def momentum(W: Array, dW: Array, v: Array, *, lr: float, beta: float) -> None:
    """The course's momentum, an exponentially weighted average of the gradients:

    v = beta * v + (1 - beta) * dW        (v starts at zeros)
    W = W - alpha * v
    """
    v *= beta
    v += (1.0 - beta) * dW
    W -= lr * v


def adam(
    W: Array,
    dW: Array,
    v: Array,
    s: Array,
    t: int,
    *,
    lr: float,
    beta1: float,
    beta2: float,
    eps: float,
    weight_decay: float = 0.0,
    maximize: bool = False,
    s_max: Array | None = None,
    decoupled_weight_decay: bool = False,
) -> None:
    """Adam (course notation; t is the step number, already incremented):

        v = beta1 * v + (1 - beta1) * dW          s = beta2 * s + (1 - beta2) * dW**2
        v_corrected = v / (1 - beta1**t)          s_corrected = s / (1 - beta2**t)
        W = W - alpha * v_corrected / (sqrt(s_corrected) + epsilon)

    ``s_max`` (AMSGrad) keeps the running maximum of s and uses it in place of s.
    ``weight_decay`` adds weight_decay * W to dW (Adam) or, when ``decoupled_weight_decay``,
    first shrinks W by (1 - lr * weight_decay) (AdamW).
    """
    if decoupled_weight_decay:
        if weight_decay != 0.0:
            W *= 1.0 - lr * weight_decay
        g = -dW if maximize else dW
    else:
        g = _direction(W, dW, weight_decay, maximize)
    v *= beta1
    v += (1.0 - beta1) * g
    s *= beta2
    s += (1.0 - beta2) * (g * g)
    if s_max is not None:
        np.maximum(s_max, s, out=s_max)
        s = s_max
    step_size = lr / (1.0 - beta1**t)
    denom = np.sqrt(s)
    denom /= math.sqrt(1.0 - beta2**t)
    denom += eps
    W -= step_size * (v / denom)


def rmsprop(
    W: Array,
    dW: Array,
    square_avg: Array,
    *,
    lr: float,
    alpha: float,
    eps: float,
    weight_decay: float = 0.0,
    momentum: float = 0.0,
    momentum_buffer: Array | None = None,
    grad_avg: Array | None = None,
    maximize: bool = False,
) -> None:
    """PyTorch's RMSprop (course: s = beta * s + (1 - beta) * dW**2, W = W - alpha dW / sqrt(s)):

    s = alpha * s + (1 - alpha) * g**2
    centered: m = alpha * m + (1 - alpha) * g,  avg = sqrt(max(s - m**2, 0)) + eps
    otherwise: avg = sqrt(s) + eps
    with momentum: b = momentum * b + g / avg,  W = W - lr * b
    otherwise:     W = W - lr * g / avg
    """
    g = _direction(W, dW, weight_decay, maximize)
    square_avg *= alpha
    square_avg += (1.0 - alpha) * (g * g)
    if grad_avg is not None:
        grad_avg *= alpha
        grad_avg += (1.0 - alpha) * g
        # s - m**2 >= 0 in exact arithmetic; rounding can make it -0.0000001, where PyTorch
        # returns NaN. Clamping at 0 changes nothing else.
        avg = np.sqrt(np.maximum(square_avg - grad_avg * grad_avg, 0.0))
    else:
        avg = np.sqrt(square_avg)
    avg += eps
    if momentum_buffer is not None and momentum > 0.0:
        momentum_buffer *= momentum
        momentum_buffer += g / avg
        W -= lr * momentum_buffer
    else:
        W -= lr * (g / avg)


def adagrad(
    W: Array,
    dW: Array,
    state_sum: Array,
    t: int,
    *,
    lr: float,
    lr_decay: float,
    eps: float,
    weight_decay: float = 0.0,
    maximize: bool = False,
) -> None:
    """PyTorch's Adagrad: G = G + g**2; W = W - lr_t * g / (sqrt(G) + eps),
    with lr_t = lr / (1 + (t - 1) * lr_decay)."""
    g = _direction(W, dW, weight_decay, maximize)
    clr = lr / (1.0 + (t - 1) * lr_decay)
    state_sum += g * g
    std = np.sqrt(state_sum)
    std += eps
    W -= clr * (g / std)
