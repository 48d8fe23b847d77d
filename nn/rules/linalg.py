"""Matrix products and softmax along a dimension."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from . import Array, unbroadcast

Rule = tuple[Array, Callable[[Array], tuple[Any, ...]]]


def matmul(a: Array, b: Array, need_a: bool = True, need_b: bool = True) -> Rule:
    """``a @ b`` with NumPy's (and PyTorch's) rules for 1-D and batched operands:
    dL/da = g b^T, dL/db = a^T g, with broadcast batch axes summed back."""
    out = np.matmul(a, b)
    a2 = a[None, :] if a.ndim == 1 else a
    b2 = b[:, None] if b.ndim == 1 else b
    shape2 = np.broadcast_shapes(a2.shape[:-2], b2.shape[:-2]) + (a2.shape[-2], b2.shape[-1])

    def backward(g: Array) -> tuple[Any, ...]:
        g = g.reshape(shape2)
        grad_a = grad_b = None
        if need_a:
            grad_a = unbroadcast(g @ np.swapaxes(b2, -1, -2), a2.shape).reshape(a.shape)
        if need_b:
            grad_b = unbroadcast(np.swapaxes(a2, -1, -2) @ g, b2.shape).reshape(b.shape)
        return grad_a, grad_b

    return out, backward


def softmax(x: Array, axis: int | None) -> Rule:
    """exp(x_i - max) / sum_j exp(x_j - max) along ``axis``; backward y (g - sum(g y))."""
    if x.size == 0:
        return x.copy(), lambda g: (g.copy(),)
    shifted = np.exp(x - np.max(x, axis=axis, keepdims=True))  # NaN when the max is inf
    out = shifted / np.sum(shifted, axis=axis, keepdims=True)

    def backward(g: Array) -> tuple[Any, ...]:
        return (out * (g - np.sum(g * out, axis=axis, keepdims=True)),)

    return out, backward


def log_softmax_array(x: Array, axis: int | None) -> Array:
    """x_i - log(sum_j exp(x_j)) along ``axis``, stable for any finite logits."""
    if x.size == 0:
        empty: Array = x.copy()
        return empty
    shifted = x - np.max(x, axis=axis, keepdims=True)  # as PyTorch: NaN when the max is inf
    result: Array = shifted - np.log(np.sum(np.exp(shifted), axis=axis, keepdims=True))
    return result


def log_softmax(x: Array, axis: int | None) -> Rule:
    """log(softmax(x)); backward g - softmax(x) sum(g)."""
    out = log_softmax_array(x, axis)

    def backward(g: Array) -> tuple[Any, ...]:
        return (g - np.exp(out) * np.sum(g, axis=axis, keepdims=True),)

    return out, backward
