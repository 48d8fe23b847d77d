"""Loss rules, each one node with PyTorch's formulas (so NaN and inf land where PyTorch's do).

``reduce`` turns the per-element loss into 'mean' (over elements, or over the targets'
total weight for the classification losses), 'sum' or 'none'; the backward closures get
``g`` (a scalar or the per-element shape) and return one gradient per input (None where
not needed).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from . import Array, Fresh, Grads, Rule, unbroadcast
from ._quiet import quiet
from .linalg import log_softmax_array, sum_kept

LOG_CLAMP = -100.0  # PyTorch clamps BCELoss's logs at -100 so that p = 0 or 1 stays finite
BCE_EPS = float(np.float32(1e-12))  # and (1 - p) p at 1e-12, a float32 constant in PyTorch
REDUCTIONS = ("mean", "sum", "none")


def reduce(loss: Array, reduction: str, count: float | None = None) -> tuple[Array, float]:
    """The reduced loss and the scale of its gradient (1 / count for 'mean')."""
    if reduction == "none":
        return loss, 1.0
    total = np.add.reduce(loss, axis=None) + 0.0 if loss.size else loss.dtype.type(0)
    if reduction == "sum":
        return np.asarray(total, dtype=loss.dtype), 1.0
    n = loss.size if count is None else count
    with quiet():
        return np.asarray(np.divide(total, n), dtype=loss.dtype), (1.0 / n if n else np.inf)


def _scaled(g: Array, scale: float) -> Array:
    return g if scale == 1.0 else g * scale


def mse(x: Array, y: Array, reduction: str, need_x: bool = True, need_y: bool = False) -> Rule:
    """(x - y)**2 (broadcast); d/dx = 2 (x - y), d/dy = -2 (x - y), summed back."""
    diff = x - y
    out, scale = reduce(diff * diff, reduction)

    def backward(g: Array) -> Grads:
        grad = _scaled(g, scale) * (2.0 * diff)
        return (
            unbroadcast(grad, x.shape) if need_x else None,
            unbroadcast(-grad, y.shape) if need_y else None,
        )

    return out, backward


def binary_cross_entropy(
    p: Array, y: Array, w: Array | None, reduction: str, need_p: bool = True, need_y: bool = False
) -> Rule:
    """-w [y log p + (1 - y) log(1 - p)], logs clamped at -100;
    d/dp = w (p - y) / max((1 - p) p, 1e-12), d/dy = -w logit(p)."""
    with quiet():
        log_p = np.maximum(np.log(p), LOG_CLAMP)
        log_q = np.maximum(np.log1p(-p), LOG_CLAMP)
    loss = -(y * log_p + (1.0 - y) * log_q)
    if w is not None:
        loss = loss * w
    out, scale = reduce(np.asarray(loss, dtype=p.dtype), reduction)

    def backward(g: Array) -> Grads:
        gs = _scaled(g, scale)
        if w is not None:
            gs = gs * w
        grad_p = grad_y = None
        if need_p:
            grad_p = gs * (p - y) / np.maximum((1.0 - p) * p, BCE_EPS)
        if need_y:  # -logit(p) = -log(p / (1 - p)), computed as PyTorch's logit
            grad_y = -np.log(p / (1.0 - p)) * gs
        return (grad_p, grad_y)

    return out, backward


def log_sigmoid(z: Array) -> Array:
    """log(sigmoid(z)) = min(z, 0) - log(1 + exp(-|z|)), without overflow."""
    result: Array = np.minimum(z, 0.0) - np.log1p(np.exp(-np.abs(z)))
    return result


def sigmoid(z: Array) -> Array:
    """1 / (1 + exp(-z)), as PyTorch computes it."""
    with quiet():
        result: Array = 1.0 / (1.0 + np.exp(-z))
    return result


def bce_with_logits(
    z: Array,
    y: Array,
    w: Array | None,
    pos_weight: Array | None,
    reduction: str,
    need_z: bool = True,
    need_y: bool = False,
) -> Rule:
    """(1 - y) z - l log(sigmoid(z)) with l = 1 + (pos_weight - 1) y (1 without it), as
    PyTorch computes it; d/dz = (pw y + 1 - y) sigmoid(z) - pw y (sigmoid(z) - y without
    pos_weight), d/dy = log(sigmoid(-z)) - pw log(sigmoid(z)) (-z without it)."""
    if w is None and pos_weight is None and reduction == "mean" and not need_y:
        return _bce_with_logits_mean(z, y)
    with quiet():  # (an infinite logit gives inf or NaN, as PyTorch's, without a warning)
        ls = log_sigmoid(z)
        if pos_weight is not None:
            ls = ls * ((pos_weight - 1.0) * y + 1.0)
        loss = (1.0 - y) * z - ls
        if w is not None:
            loss = loss * w
        out, scale = reduce(np.asarray(loss, dtype=z.dtype), reduction)

    def backward(g: Array) -> Grads:
        gs = _scaled(g, scale)
        if w is not None:
            gs = gs * w
        grad_z = grad_y = None
        if need_z:
            if pos_weight is None:
                grad_z = (sigmoid(z) - y) * gs
            else:
                t = pos_weight * y
                grad_z = ((t + 1.0 - y) * sigmoid(z) - t) * gs
        if need_y:
            if pos_weight is None:
                grad_y = -z * gs
            else:
                grad_y = (log_sigmoid(-z) - log_sigmoid(z) * pos_weight) * gs
        return (grad_z, grad_y)

    return out, backward


def _bce_with_logits_mean(z: Array, y: Array) -> Rule:
    """The common case (no weights, mean, the target a constant) with few array passes:
    loss = mean((1 - y) z - (min(z, 0) - log(1 + e))), e = exp(-|z|);
    d/dz = (sigmoid(z) - y) / n."""
    e = np.asarray(np.abs(z))  # (a 0-d z gives a NumPy scalar, which out= cannot take)
    np.negative(e, out=e)
    np.exp(e, out=e)
    loss = 1.0 - y
    loss *= z
    log_sigmoid = np.minimum(z, 0.0)
    log_sigmoid -= np.log1p(e)
    loss -= log_sigmoid
    count = z.size
    total = np.add.reduce(loss, axis=None) + 0.0
    out = np.asarray(total / count if count else np.nan, dtype=z.dtype)

    def backward(g: Array) -> Grads:
        s = np.asarray(np.exp(-z))
        s += 1.0
        np.divide(1.0, s, out=s)  # sigmoid(z), as PyTorch computes it
        s -= y
        s *= g / count
        return Fresh((s, None))

    return out, backward


def class_rows(x: Array, axis: int) -> Array:
    """The values of x as rows of C: its class ``axis`` last, the other dimensions
    flattened ((N, C) is already rows)."""
    if x.ndim == 2 and axis == 1:
        return x
    count = int(np.prod(x.shape[:axis] + x.shape[axis + 1 :]))  # (-1 fails for 0 classes)
    return np.moveaxis(x, axis, -1).reshape(count, x.shape[axis])


def _class_axis_back(grad: Array, shape: tuple[int, ...], axis: int) -> Array:
    """A gradient of the class rows in the input's own ``shape`` (class axis at ``axis``)."""
    moved = shape[:axis] + shape[axis + 1 :] + (shape[axis],)
    return np.moveaxis(grad.reshape(moved), -1, axis)


def nll_over_classes(
    logp: Array, axis: int, labels: Array, weight: Array | None, ignore_index: int, reduction: str
) -> Rule:
    """``nll`` of log-probabilities whose classes lie along ``axis`` (any layout)."""
    out, backward = nll(class_rows(logp, axis), labels, weight, ignore_index, reduction)
    shape = logp.shape
    return out, lambda g: (_class_axis_back(backward(g), shape, axis),)


def cross_entropy_over_classes(
    z: Array, axis: int, labels: Array, weight: Array | None, ignore_index: int, reduction: str
) -> Rule:
    """``cross_entropy`` of logits whose classes lie along ``axis``; the labels get no
    gradient."""
    out, backward = cross_entropy(class_rows(z, axis), labels, weight, ignore_index, reduction)
    shape = z.shape

    def backward_over_classes(g: Array) -> Grads:
        return Fresh((_class_axis_back(backward(g)[0], shape, axis), None))

    return out, backward_over_classes


def nll(
    logp: Array,
    labels: Array,
    w: Array | None,
    ignore_index: int,
    reduction: str,
) -> tuple[Array, Callable[[Array], Array]]:
    """-w[y] logp[y] per row of ``logp`` (rows, C), 0 for ignored rows; 'mean' divides by
    the targets' total weight. Returns the loss and ``backward(g) -> dL/d(logp)``."""
    rows = np.arange(labels.size)
    valid = labels != ignore_index
    if w is None and valid.all():  # the common case: every row counts, with weight 1
        return _nll_unweighted(logp, rows, labels, reduction)
    sample_w = valid.astype(logp.dtype)
    if w is not None:
        sample_w[valid] = w[labels[valid]]
    loss = np.zeros(labels.size, dtype=logp.dtype)
    loss[valid] = -logp[rows[valid], labels[valid]] * sample_w[valid]
    total = float(sample_w.sum())
    out, scale = reduce(loss, reduction, total)

    def backward(g: Array) -> Array:
        grad = np.zeros_like(logp)
        upstream = np.reshape(g, -1) if reduction == "none" else g * scale
        values = np.broadcast_to(-sample_w * upstream, loss.shape)
        grad[rows[valid], labels[valid]] = values[valid]
        return grad

    return out, backward


def _nll_unweighted(
    logp: Array, rows: Array, labels: Array, reduction: str
) -> tuple[Array, Callable[[Array], Array]]:
    """``nll`` without class weights or ignored rows (the same numbers, fewer passes)."""
    loss = -logp[rows, labels]
    out, scale = reduce(loss, reduction, float(labels.size))

    def backward(g: Array) -> Array:
        grad = np.zeros_like(logp)
        upstream = np.reshape(g, -1) if reduction == "none" else g * scale
        grad[rows, labels] = -upstream
        return grad

    return out, backward


def cross_entropy(
    logits: Array, labels: Array, w: Array | None, ignore_index: int, reduction: str
) -> Rule:
    """log_softmax then nll, as one node: d/dz = g_nll - softmax(z) sum(g_nll).

    g_nll has at most one nonzero per row: its row sums are exact in any order."""
    logp = log_softmax_array(logits, -1)
    out, nll_backward = nll(logp, labels, w, ignore_index, reduction)

    def backward(g: Array) -> Grads:
        g_nll = nll_backward(g)
        return Fresh((g_nll - np.exp(logp) * sum_kept(g_nll, -1), None))

    return out, backward
