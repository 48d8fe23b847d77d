"""Layer rules, each one node: linear (optionally followed by ReLU), dropout, batch norm."""

from __future__ import annotations

import functools

import numpy as np

from . import Array, Fresh, Grads, Rule, fused_multiply_add, zeroed_where


@functools.lru_cache(maxsize=64)
def ones(count: int, dtype: np.dtype) -> Array:
    """A read-only vector of ``count`` ones (cached), for row and column sums by BLAS."""
    result = np.ones(count, dtype=dtype)
    result.flags.writeable = False
    return result


def sum_rows(g: Array) -> Array:
    """The sum of a 2-D array's rows, as a BLAS product with ones (about twice as fast as
    ``g.sum(axis=0)`` on the small and tall arrays of a bias gradient; the additions run in
    BLAS's order, so the last bits can differ from NumPy's)."""
    total: Array = ones(g.shape[0], g.dtype) @ g
    return total


def linear(
    x: Array,
    W: Array,
    b: Array | None,
    relu: bool = False,
    need_x: bool = True,
    need_w: bool = True,
    need_b: bool = True,
) -> Rule:
    """y = x W^T + b (then max(y, 0) when ``relu``), x of shape (..., in).

    Backward, with G = dL/dy (zeroed where y <= 0 after a ReLU) and X, G flattened to rows:
        dL/dX = G W      dL/dW = G^T X      dL/db = sum of G's rows
    """
    out_features, in_features = W.shape
    shape = x.shape
    rows = len(shape) != 2  # other than (N, in): computed as 2-D rows and shaped back
    x2 = x.reshape(int(np.prod(shape[:-1])), in_features) if rows else x
    out = x2 @ W.T
    if b is not None:
        out += b
    if relu:  # max(0, y): NaN passes, and a tie keeps y (-0.0 stays -0.0), as PyTorch's ReLU
        np.maximum(0.0, out, out=out)

    def backward(g: Array) -> Grads:
        if rows:
            g = g.reshape(-1, out_features)
        if relu:
            g = zeroed_where(g, out <= 0)  # where y > 0, and where y is NaN, as PyTorch's ReLU
        grad_x = None
        if need_x:
            grad_x = g @ W
            if rows:
                grad_x = grad_x.reshape(shape)
        grad_w = g.T @ x2 if need_w else None
        if b is None:
            return Fresh((grad_x, grad_w))
        return Fresh((grad_x, grad_w, sum_rows(g) if need_b else None))

    return (out.reshape(shape[:-1] + (out_features,)) if rows else out), backward


def dropout(x: Array, keep: Array | None, p: float) -> Rule:
    """x * (keep / (1 - p)): the course's ``D = rand < keep_prob; A = A * D / keep_prob``,
    rounded as PyTorch's (the mask divided in the input's dtype, then multiplied)."""
    if keep is None:  # (p = 1: everything dropped)
        mask = np.zeros(x.shape, dtype=x.dtype)
    else:
        mask = keep.astype(x.dtype) / x.dtype.type(1.0 - p)
    return x * mask, lambda g: (g * mask,)


def batch_statistics(x: Array) -> tuple[Array, Array, Array]:
    """Per channel (axis 1) of x, over the batch and any spatial axes: the mean, the biased
    variance (for normalising) and the unbiased one (for the running statistics), both from
    the centred values' sum of squares."""
    channels = x.shape[1]
    axes = (0, *range(2, x.ndim))
    count = x.size // max(channels, 1)
    mean = x.sum(axis=axes) / count
    centered = x - mean.reshape((1, channels) + (1,) * (x.ndim - 2))
    var_sum = (centered * centered).sum(axis=axes)
    return mean, var_sum / count, var_sum / (count - 1)


def update_running(
    running_mean: Array,
    running_var: Array,
    tracked: Array | None,
    mean: Array,
    unbiased: Array,
    momentum: float | None,
) -> None:
    """In place: running = (1 - f) running + f batch (the unbiased variance), with f the
    momentum, or 1 / batches counted when it is None (a cumulative average); ``tracked``
    (the batches counted) goes up by one."""
    if tracked is not None:
        tracked += 1
    factor = (
        (1.0 / float(tracked) if tracked is not None else 1.0) if momentum is None else momentum
    )
    for array, batch in ((running_mean, mean), (running_var, unbiased)):
        array *= 1.0 - factor
        array += factor * batch


def batch_norm(
    x: Array,
    mean: Array,
    var: Array,
    gamma: Array | None,
    beta: Array | None,
    eps: float,
    batch_stats: bool,
) -> Rule:
    """y = gamma (x - mean) / sqrt(var + eps) + beta over the channel axis 1, computed as
    PyTorch does: y = x a + (beta - mean a) with a = gamma / sqrt(var + eps).

    Backward (PyTorch's arrangement), with d = sum((x - mean) g), s = sum(g), n the count
    per channel and w = gamma (or 1):
        training:   dL/dx = (g - s / n - (x - mean) d / (n (var + eps))) w / sqrt(var + eps)
        evaluation: dL/dx = g w / sqrt(var + eps)
        dL/dgamma = d / sqrt(var + eps)        dL/dbeta = s
    """
    channels = x.shape[1]
    axes = (0, *range(2, x.ndim))
    shape = (1, channels) + (1,) * (x.ndim - 2)
    count = x.size // max(channels, 1)
    inv_std = (1.0 / np.sqrt(var + eps)).astype(x.dtype, copy=False).reshape(shape)
    mean_s = mean.reshape(shape).astype(x.dtype, copy=False)
    w = gamma.reshape(shape) if gamma is not None else None
    alpha = inv_std * w if w is not None else inv_std
    shift = -mean_s * alpha if beta is None else beta.reshape(shape) - mean_s * alpha
    out = fused_multiply_add(x, alpha, shift)

    def backward(g: Array) -> Grads:
        centered = x - mean_s
        dotp = (centered * g).sum(axis=axes, keepdims=True)
        total = g.sum(axis=axes, keepdims=True)
        if batch_stats:
            k = dotp * inv_std * inv_std / count
            grad_x = (g - total / count - centered * k) * inv_std
        else:
            grad_x = g * inv_std
        if w is not None:
            grad_x = grad_x * w
        grads: list[Array | None] = [grad_x]
        if gamma is not None:
            grads.append((dotp * inv_std).reshape(channels))
        if beta is not None:
            grads.append(total.reshape(channels))
        return tuple(grads)

    return out, backward


def layer_norm(x: Array, dims: int, gamma: Array | None, beta: Array | None, eps: float) -> Rule:
    """y = (x - mean) / sqrt(var + eps) * gamma + beta over the last ``dims`` axes (mean and
    biased variance of each row of those axes), as PyTorch's ``layer_norm``.

    Backward, with x_hat = (x - mean) / sqrt(var + eps), n the row size and h = g gamma:
        dL/dx = (h - mean(h) - x_hat mean(h x_hat)) / sqrt(var + eps)   (means over the row)
        dL/dgamma = sum of g x_hat over the other axes      dL/dbeta = sum of g over them
    """
    axes = tuple(range(x.ndim - dims, x.ndim))
    outer = tuple(range(x.ndim - dims))
    mean = x.mean(axis=axes, keepdims=True)
    centered = x - mean
    var = (centered * centered).mean(axis=axes, keepdims=True)
    inv_std = 1.0 / np.sqrt(var + eps)
    normalized = centered * inv_std
    out = normalized if gamma is None else normalized * gamma
    if beta is not None:
        out = out + beta
    if out is normalized:  # (the output is the caller's to change in place; backward reads this)
        out = normalized.copy()

    def backward(g: Array) -> Grads:
        h = g if gamma is None else g * gamma
        grad_x = (
            h
            - h.mean(axis=axes, keepdims=True)
            - normalized * (h * normalized).mean(axis=axes, keepdims=True)
        ) * inv_std
        grads: list[Array | None] = [grad_x]
        if gamma is not None:
            grads.append((g * normalized).sum(axis=outer))
        if beta is not None:
            grads.append(g.sum(axis=outer))
        return tuple(grads)

    return out.astype(x.dtype, copy=False), backward
