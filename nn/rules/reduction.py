"""Reductions: sum, mean, var/std, prod, max/min (whole or along a dim), logsumexp, norm.

``axes`` is a tuple of non-negative axes (already checked) or None for every axis; the
backward spreads ``g`` back over the reduced axes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from . import Array

Rule = tuple[Array, Callable[[Array], tuple[Any, ...]]]


def _spread(g: Array, shape: tuple[int, ...], axes: tuple[int, ...] | None, keepdim: bool) -> Array:
    """``g`` (the reduced shape) broadcast back to ``shape``."""
    if axes is not None and not keepdim and shape:
        g = np.expand_dims(g, axes)
    return np.broadcast_to(g, shape)


def sum(x: Array, axes: tuple[int, ...] | None, keepdim: bool, dtype: Any = None) -> Rule:
    """Sum over ``axes``; d/dx = 1 everywhere."""
    out = np.asarray(np.sum(x, axis=axes if x.ndim else None, keepdims=keepdim, dtype=dtype))
    shape, source = x.shape, x.dtype
    return out, lambda g: (_spread(g, shape, axes, keepdim).astype(source, copy=False),)


def mean(x: Array, axes: tuple[int, ...] | None, keepdim: bool) -> Rule:
    """Mean over ``axes``; d/dx = 1 / n."""
    with np.errstate(invalid="ignore", divide="ignore"):
        out = np.asarray(np.mean(x, axis=axes if x.ndim else None, keepdims=keepdim))
    count = x.size // max(out.size, 1) if x.size else 0
    shape = x.shape
    return out.astype(x.dtype, copy=False), lambda g: (_spread(g / count, shape, axes, keepdim),)


def var(x: Array, axes: tuple[int, ...] | None, correction: float, keepdim: bool) -> Rule:
    """sum((x - mean)**2) / (n - correction); d/dx = 2 (x - mean) / (n - correction)."""
    kept = axes if x.ndim else None
    centered = x - np.mean(x, axis=kept, keepdims=True)
    n = x.size // max(np.mean(x, axis=kept, keepdims=keepdim).size, 1) if x.size else 0
    with np.errstate(invalid="ignore", divide="ignore"):
        out = np.asarray(
            np.sum(centered * centered, axis=kept, keepdims=keepdim) / max(n - correction, 0.0)
        )
    shape = x.shape

    def backward(g: Array) -> tuple[Any, ...]:
        with np.errstate(invalid="ignore", divide="ignore"):
            scale = 2.0 / max(n - correction, 0.0) if n - correction > 0 else np.inf
        return (_spread(g, shape, axes, keepdim) * (scale * centered),)

    return out.astype(x.dtype, copy=False), backward


def std(x: Array, axes: tuple[int, ...] | None, correction: float, keepdim: bool) -> Rule:
    """sqrt(var); d/dx = (x - mean) / ((n - correction) std)."""
    variance, var_backward = var(x, axes, correction, keepdim)
    out = np.sqrt(variance)
    return out, lambda g: var_backward(g / (2.0 * out))


def prod(x: Array, axes: int | None, keepdim: bool) -> Rule:
    """Product over one axis (or all); d/dx_i = prod of the others, exact with zeros."""
    out = np.asarray(np.prod(x, axis=axes if x.ndim else None, keepdims=keepdim))
    shape = x.shape
    ax = None if axes is None else (axes,)

    def backward(g: Array) -> tuple[Any, ...]:
        flat = x if axes is not None else x.reshape(-1)
        axis = axes if axes is not None else 0
        moved = np.moveaxis(flat, axis, -1) if flat.ndim else flat.reshape(1)
        # product of all others = exclusive cumulative products from both sides
        ones = np.ones(moved.shape[:-1] + (1,), dtype=x.dtype)
        left = np.cumprod(np.concatenate([ones, moved[..., :-1]], axis=-1), axis=-1)
        right = np.flip(
            np.cumprod(np.concatenate([ones, np.flip(moved, -1)[..., :-1]], axis=-1), axis=-1), -1
        )
        others = np.moveaxis(left * right, -1, axis) if flat.ndim else (left * right)
        others = others.reshape(shape)
        return (_spread(g, shape, ax, keepdim) * others,)

    return out.astype(x.dtype, copy=False), backward


def max_all(x: Array, largest: bool = True) -> Rule:
    """The largest (or smallest) element, NaN if any is; the gradient is shared equally by
    the elements equal to it (the NaN ones when it is NaN)."""
    if x.size == 0:
        name = "max" if largest else "min"
        raise RuntimeError(
            f"{name}(): Expected reduction dim to be specified for input.numel() == 0. "
            "Specify the reduction dim with the 'dim' argument."
        )
    out = np.asarray(np.max(x) if largest else np.min(x))

    def backward(g: Array) -> tuple[Any, ...]:
        mask = np.isnan(x) if np.isnan(out) else x == out
        grad = np.zeros_like(x)
        grad[mask] = g / np.count_nonzero(mask)
        return (grad,)

    return out, backward


def max_dim(x: Array, axis: int, keepdim: bool, largest: bool = True) -> tuple[Array, Array, Any]:
    """``(values, indices, backward)`` along ``axis``: the first largest (or smallest)
    element, NaN first; the gradient goes to that element."""
    if x.ndim == 0:
        return x.copy(), np.zeros((), dtype=np.int64), lambda g: (np.array(g, dtype=x.dtype),)
    if x.shape[axis] == 0:
        raise IndexError(
            f"{'max' if largest else 'min'}(): Expected reduction dim {axis} to have non-zero size."
        )
    index = np.expand_dims((np.argmax if largest else np.argmin)(x, axis=axis), axis)
    values = np.take_along_axis(x, index, axis)

    def backward(g: Array) -> tuple[Any, ...]:
        grad = np.zeros_like(x)
        np.put_along_axis(grad, index, g if keepdim else np.expand_dims(g, axis), axis)
        return (grad,)

    if keepdim:
        return values, index.astype(np.int64), backward
    return values.squeeze(axis), index.squeeze(axis).astype(np.int64), backward


def logsumexp(x: Array, axes: tuple[int, ...], keepdim: bool) -> Rule:
    """log(sum(exp(x))) over ``axes``, shifted by the max; d/dx = softmax(x)."""
    peak = np.max(x, axis=axes, keepdims=True) if x.size else np.zeros((1,) * x.ndim, x.dtype)
    peak = np.where(np.isfinite(peak), peak, 0.0)
    with np.errstate(divide="ignore"):
        kept = np.log(np.sum(np.exp(x - peak), axis=axes, keepdims=True)) + peak
    out = kept if keepdim else np.squeeze(kept, axis=axes)
    shape = x.shape

    def backward(g: Array) -> tuple[Any, ...]:
        return (_spread(g, shape, axes, keepdim) * np.exp(x - kept),)

    return np.asarray(out, dtype=x.dtype), backward


def norm(x: Array, p: float, axes: tuple[int, ...] | None, keepdim: bool) -> Rule:
    """The p-norm over ``axes``; gradients as PyTorch's ``norm_backward`` (0 at 0 for p=2)."""
    kept_axes = axes if x.ndim else None
    a = np.abs(x)
    if p == np.inf:
        out = np.max(a, axis=kept_axes, keepdims=True) if x.size else np.zeros((1,) * x.ndim)
    elif p == -np.inf:
        out = np.min(a, axis=kept_axes, keepdims=True)
    elif p == 0:
        out = np.sum(x != 0, axis=kept_axes, keepdims=True).astype(x.dtype)
    elif p == 1:
        out = np.sum(a, axis=kept_axes, keepdims=True)
    elif p == 2:
        out = np.sqrt(np.sum(x * x, axis=kept_axes, keepdims=True))
    else:
        out = np.sum(a**p, axis=kept_axes, keepdims=True) ** (1.0 / p)
    out = np.asarray(out, dtype=x.dtype)
    result = out if keepdim else np.asarray(np.squeeze(out, axis=kept_axes))
    shape = x.shape

    def backward(g: Array) -> tuple[Any, ...]:
        gk = _spread(g, shape, axes, keepdim)
        if p == 0:
            return (np.zeros_like(x),)
        if p == 1:
            return (gk * np.sign(x),)
        if p == 2:
            with np.errstate(invalid="ignore", divide="ignore"):
                return (np.where(out == 0, 0.0, gk * x / out),)
        if np.isinf(p):
            mask = a == out
            count = np.sum(mask, axis=kept_axes, keepdims=True)
            return (gk * np.sign(x) * mask / count,)
        with np.errstate(invalid="ignore", divide="ignore"):
            scaled = x * a ** (p - 2.0) / out ** (p - 1.0)
            return (np.where(out == 0, 0.0, gk * scaled),)

    return result, backward
