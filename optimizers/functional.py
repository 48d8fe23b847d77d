"""The update rules as pure functions on arrays, updating parameters and state in place.

Each function takes the parameter array ``W``, its gradient ``dW`` (never modified) and the
state arrays, and changes ``W`` and the state in place with in-place ufuncs. ``scratch`` is
an optional pair of work arrays shaped like ``W`` (allocated when left out), so that a
caller can run a rule over cache-sized chunks of a flat buffer without allocating: every
operation is elementwise, so a chunked run gives bit-identical results.

Hyperparameters are Python floats, so NumPy 2 never promotes a float32 array to float64
(NEP 50); every array keeps its dtype. Preconditions (shapes equal, hyperparameters valid)
are the caller's: the optimizer classes check them once, in ``__init__``.
"""

from __future__ import annotations

import math

import numpy as np

Array = np.ndarray
Scratch = tuple[Array, Array] | None

__all__ = ["adagrad", "adam", "gradient_descent", "momentum", "rmsprop", "sgd"]


def _work(W: Array, scratch: Scratch) -> tuple[Array, Array | None]:
    """(tmp, g_buf): the caller's work arrays, or a new tmp (g_buf is made when needed)."""
    return (np.empty_like(W), None) if scratch is None else scratch


def _direction(
    W: Array, dW: Array, weight_decay: float, maximize: bool, out: Array | None, tmp: Array
) -> Array:
    """g = (-dW if maximize else dW) + weight_decay * W, in ``out`` when it differs from dW."""
    if not maximize and weight_decay == 0.0:
        return dW
    if out is None:
        out = np.empty_like(W)
    if maximize:
        np.negative(dW, out=out)
    else:
        np.copyto(out, dW)
    if weight_decay != 0.0:
        np.multiply(W, weight_decay, out=tmp)
        out += tmp
    return out


def gradient_descent(W: Array, dW: Array, *, lr: float, scratch: Scratch = None) -> None:
    """W = W - alpha * dW (the course's batch, stochastic and mini-batch gradient descent).

    Examples
    --------
    >>> import numpy as np
    >>> W = np.array([1.0, 2.0]); gradient_descent(W, np.array([1.0, -1.0]), lr=0.1); W
    array([0.9, 2.1])
    """
    tmp = np.empty_like(W) if scratch is None else scratch[0]
    np.multiply(dW, lr, out=tmp)
    W -= tmp


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
    scratch: Scratch = None,
) -> Array | None:
    """PyTorch's SGD; returns the momentum buffer (created from the first gradient).

        g = dW (+ weight_decay * W)
        b = g                                     on the first step
        b = momentum * b + (1 - dampening) * g    afterwards
        d = g + momentum * b if nesterov else b
        W = W - lr * d

    With momentum = 0 it is ``W = W - lr * g``.
    """
    tmp, g_buf = _work(W, scratch)
    g = _direction(W, dW, weight_decay, maximize, g_buf, tmp)
    if momentum == 0.0:
        np.multiply(g, lr, out=tmp)
        W -= tmp
        return momentum_buffer
    if momentum_buffer is None:
        momentum_buffer = np.array(g, copy=True)
    else:
        momentum_buffer *= momentum
        np.multiply(g, 1.0 - dampening, out=tmp)
        momentum_buffer += tmp
    if nesterov:
        np.multiply(momentum_buffer, momentum, out=tmp)
        tmp += g
        tmp *= lr
    else:
        np.multiply(momentum_buffer, lr, out=tmp)
    W -= tmp
    return momentum_buffer


def momentum(
    W: Array, dW: Array, v: Array, *, lr: float, beta: float, scratch: Scratch = None
) -> None:
    """The course's momentum, an exponentially weighted average of the gradients:

    v = beta * v + (1 - beta) * dW        (v starts at zeros)
    W = W - alpha * v
    """
    tmp = np.empty_like(W) if scratch is None else scratch[0]
    v *= beta
    np.multiply(dW, 1.0 - beta, out=tmp)
    v += tmp
    np.multiply(v, lr, out=tmp)
    W -= tmp


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
    scratch: Scratch = None,
) -> None:
    """Adam (course notation; t is the step number, already incremented):

        v = beta1 * v + (1 - beta1) * dW          s = beta2 * s + (1 - beta2) * dW**2
        v_corrected = v / (1 - beta1**t)          s_corrected = s / (1 - beta2**t)
        W = W - alpha * v_corrected / (sqrt(s_corrected) + epsilon)

    computed as ``W -= (alpha / (1 - beta1**t)) * v / (sqrt(s) / sqrt(1 - beta2**t) + eps)``,
    PyTorch's arrangement. ``s_max`` (AMSGrad) keeps the running maximum of s and uses it in
    place of s. ``weight_decay`` adds weight_decay * W to dW (Adam) or, when
    ``decoupled_weight_decay``, first shrinks W by (1 - lr * weight_decay) (AdamW).
    """
    tmp, g_buf = _work(W, scratch)
    if decoupled_weight_decay:
        if weight_decay != 0.0:
            W *= 1.0 - lr * weight_decay
        g = _direction(W, dW, 0.0, maximize, g_buf, tmp)
    else:
        g = _direction(W, dW, weight_decay, maximize, g_buf, tmp)
    v *= beta1
    np.multiply(g, 1.0 - beta1, out=tmp)
    v += tmp
    s *= beta2
    np.multiply(g, g, out=tmp)
    tmp *= 1.0 - beta2
    s += tmp
    if s_max is not None:
        np.maximum(s_max, s, out=s_max)
        s = s_max
    step_size = lr / (1.0 - beta1**t)
    np.sqrt(s, out=tmp)
    tmp /= math.sqrt(1.0 - beta2**t)
    tmp += eps
    np.divide(v, tmp, out=tmp)
    tmp *= step_size
    W -= tmp


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
    scratch: Scratch = None,
) -> None:
    """PyTorch's RMSprop (course: s = beta * s + (1 - beta) * dW**2, W = W - alpha dW / sqrt(s)):

        s = alpha * s + (1 - alpha) * g**2
        centered: m = alpha * m + (1 - alpha) * g,  avg = sqrt(max(s - m**2, 0)) + eps
        otherwise: avg = sqrt(s) + eps
        with momentum: b = momentum * b + g / avg,  W = W - lr * b
        otherwise:     W = W - lr * g / avg

    (s - m**2 >= 0 in exact arithmetic; rounding can make it slightly negative, where
    PyTorch returns NaN; the clamp at 0 changes nothing else.)
    """
    tmp, g_buf = _work(W, scratch)
    g = _direction(W, dW, weight_decay, maximize, g_buf, tmp)
    square_avg *= alpha
    np.multiply(g, g, out=tmp)
    tmp *= 1.0 - alpha
    square_avg += tmp
    if grad_avg is not None:
        grad_avg *= alpha
        np.multiply(g, 1.0 - alpha, out=tmp)
        grad_avg += tmp
        np.multiply(grad_avg, grad_avg, out=tmp)
        np.subtract(square_avg, tmp, out=tmp)
        np.maximum(tmp, 0.0, out=tmp)
        np.sqrt(tmp, out=tmp)
    else:
        np.sqrt(square_avg, out=tmp)
    tmp += eps
    np.divide(g, tmp, out=tmp)
    if momentum_buffer is not None and momentum > 0.0:
        momentum_buffer *= momentum
        momentum_buffer += tmp
        np.multiply(momentum_buffer, lr, out=tmp)
    else:
        tmp *= lr
    W -= tmp


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
    scratch: Scratch = None,
) -> None:
    """PyTorch's Adagrad: G = G + g**2; W = W - lr_t * g / (sqrt(G) + eps),
    with lr_t = lr / (1 + (t - 1) * lr_decay)."""
    tmp, g_buf = _work(W, scratch)
    g = _direction(W, dW, weight_decay, maximize, g_buf, tmp)
    clr = lr / (1.0 + (t - 1) * lr_decay)
    np.multiply(g, g, out=tmp)
    state_sum += tmp
    np.sqrt(state_sum, out=tmp)
    tmp += eps
    np.divide(g, tmp, out=tmp)
    tmp *= clr
    W -= tmp
