"""Reductions: sum, mean, var/std, prod, max/min (whole or along a dim), logsumexp, norm.

``axes`` is a tuple of non-negative axes (already checked) or None for every axis; the
backward spreads ``g`` back over the reduced axes.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from typing import Any

import numpy as np

from ..types import DTypeLike
from . import Array, Backward, Grads, Rule, sign, unbroadcast
from ._quiet import quiet


def _spread(g: Array, shape: tuple[int, ...], axes: tuple[int, ...] | None, keepdim: bool) -> Array:
    """``g`` (the reduced shape) broadcast back to ``shape``."""
    if axes is not None and not keepdim and shape:
        g = np.expand_dims(g, axes)
    return np.broadcast_to(g, shape)


def sum(
    x: Array, axes: tuple[int, ...] | None, keepdim: bool, dtype: DTypeLike | None = None
) -> Rule:
    """Sum over ``axes``; d/dx = 1 everywhere. (+ 0.0: PyTorch's sums start from 0, so a
    sum of -0.0s is 0.0, where NumPy keeps -0.0.)"""
    out = np.asarray(np.sum(x, axis=axes if x.ndim else None, keepdims=keepdim, dtype=dtype))
    if out.dtype.kind == "f":
        out = out + 0.0
    shape, source = x.shape, x.dtype
    return out, lambda g: (_spread(g, shape, axes, keepdim).astype(source, copy=False),)


def _np_mean(x: Array, axis: tuple[int, ...] | None, keepdims: bool) -> Array:
    """``np.mean``; of no elements NaN without NumPy's RuntimeWarning ("Mean of empty
    slice"): PyTorch's is NaN alone."""
    if x.size:
        return np.asarray(np.mean(x, axis=axis, keepdims=keepdims))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return np.asarray(np.mean(x, axis=axis, keepdims=keepdims))


def mean(x: Array, axes: tuple[int, ...] | None, keepdim: bool) -> Rule:
    """Mean over ``axes``; d/dx = 1 / n."""
    with quiet():
        out = _np_mean(x, axes if x.ndim else None, keepdim) + 0.0
    count = x.size // max(out.size, 1) if x.size else 0
    shape = x.shape
    return out.astype(x.dtype, copy=False), lambda g: (_spread(g / count, shape, axes, keepdim),)


def var(
    x: Array, axes: tuple[int, ...] | None, correction: float, keepdim: bool, wide: bool = False
) -> Rule:
    """sum((x - mean)**2) / (n - correction); d/dx = 2 (x - mean) / (n - correction).

    Computed as PyTorch computes it on the CPU: with one output, two passes (the mean, then
    the squared deviations added in order); with several, Welford's algorithm along the
    reduced dims (exact 0 for constant data), in float64 for float32 input (returned so when
    ``wide``, for ``std``'s root). The gradient as
    PyTorch's: over every element, n <= correction gives NaN where x equals the mean and inf
    elsewhere; along dims, 2 / (n - correction) as it comes.
    """
    kept = axes if x.ndim else None
    mean = _np_mean(x, kept, True)
    centered = x - mean  # what the backward uses, as PyTorch's formula
    n = x.size // max(mean.size, 1) if x.size else 0
    dof = n - correction
    m2 = _squared_deviations(x, kept)
    out = np.asarray(m2 / max(dof, 0.0))
    if not keepdim:
        out = np.asarray(np.squeeze(out, axis=kept))
    shape = x.shape
    whole = axes is None or x.ndim == 0

    def backward(g: Array) -> Grads:
        spread = _spread(g, shape, axes, keepdim)
        if whole and dof <= 0:
            return (spread * np.where(x == mean, np.nan, np.inf),)
        scale = 2.0 / dof if dof != 0 else math.inf
        return (scale * spread * centered,)

    return (out if wide else out.astype(x.dtype, copy=False)), backward


def _squared_deviations(x: Array, kept: tuple[int, ...] | None) -> Array:
    """sum((x - mean)**2) over ``kept`` (keepdims), by PyTorch's algorithm (see ``var``)."""
    wide = x.astype(np.float64) if x.dtype == np.float32 else x
    axes = tuple(range(x.ndim)) if kept is None else kept
    others = tuple(n for d, n in enumerate(x.shape) if d not in axes)
    keep_shape = tuple(1 if d in axes else n for d, n in enumerate(x.shape))
    count = int(np.prod([x.shape[d] for d in axes]))
    reduced = np.moveaxis(wide, axes, range(len(axes))).reshape((count, *others))
    if int(np.prod(others)) == 1:  # one output: two passes, the squares added in order
        flat = reduced.reshape(-1)
        dx = flat - (flat.sum() / count if count else np.nan)
        return np.full(keep_shape, np.cumsum(dx * dx)[-1] if count else 0.0)
    if count > 4096:  # a long reduction: the corrected two-pass algorithm (close to Welford)
        mean = reduced.mean(axis=0)
        mean = mean + (reduced - mean).mean(axis=0)
        result: Array = ((reduced - mean) ** 2).sum(axis=0).reshape(keep_shape)
        return result
    mean = np.zeros(others)
    m2 = np.zeros(others)
    for number, row in enumerate(reduced, start=1):  # Welford, one element at a time
        delta = row - mean
        mean = mean + delta / number
        m2 = m2 + delta * (row - mean)
    return m2.reshape(keep_shape)


def std(x: Array, axes: tuple[int, ...] | None, correction: float, keepdim: bool) -> Rule:
    """sqrt(var), the root taken before rounding to float32 as PyTorch's (a variance past
    float32's range can have a std within it); d/dx = var's gradient of g / (2 std), taken
    as 0 where std is 0."""
    variance, var_backward = var(x, axes, correction, keepdim, wide=True)
    out = np.sqrt(variance).astype(x.dtype, copy=False)

    def backward(g: Array) -> Sequence[Any]:
        g_var = np.where(out == 0, 0.0, g / (out * 2.0)).astype(g.dtype, copy=False)
        return var_backward(g_var)

    return out, backward


def prod(x: Array, axis: int | None, keepdim: bool) -> Rule:
    """Product over one axis (or all). As PyTorch: d/dx = result / x without zeros; with
    zeros, the product of the others (exclusive products from both sides), and 0 for every
    element when a whole-Tensor product has several zeros."""
    out = np.asarray(np.prod(x, axis=axis if x.ndim else None, keepdims=keepdim))
    shape = x.shape

    def backward(g: Array) -> Grads:
        if x.ndim == 0:
            return (g,)
        zeros = np.count_nonzero(x == 0)
        result = out if keepdim or axis is None else np.expand_dims(out, axis)
        spread = _spread(g, shape, None if axis is None else (axis,), keepdim)
        if zeros == 0:
            return (spread * (result / x),)
        if axis is None:
            if zeros > 1:
                return (np.zeros_like(x),)
            return (spread * _others(x.reshape(-1), 0).reshape(shape),)
        return (spread * _others(x, axis),)

    return out.astype(x.dtype, copy=False), backward


def _others(x: Array, axis: int) -> Array:
    """For each element, the product of the others along ``axis`` (no division)."""
    if x.shape[axis] == 1:
        return np.ones_like(x)
    moved = np.moveaxis(x, axis, -1)
    ones = np.ones(moved.shape[:-1] + (1,), dtype=x.dtype)
    left = np.cumprod(np.concatenate([ones, moved[..., :-1]], axis=-1), axis=-1)
    right = np.flip(
        np.cumprod(np.concatenate([ones, np.flip(moved, -1)[..., :-1]], axis=-1), axis=-1), -1
    )
    result: Array = np.moveaxis(left * right, -1, axis)
    return result


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
    return out, shared_by_equals(x, out)


def shared_by_equals(x: Array, out: Array) -> Backward:
    """The backward of a reduction that picks one value of ``x``: the gradient is shared
    equally by the elements equal to it (the NaN ones when it is NaN), as PyTorch's
    ``evenly_distribute_backward``."""

    def backward(g: Array) -> Grads:
        mask = np.isnan(x) if np.isnan(out) else x == out
        grad = np.zeros_like(x)
        grad[mask] = g / np.count_nonzero(mask)
        return (grad,)

    return backward


def amax(x: Array, axes: tuple[int, ...], keepdim: bool, largest: bool = True) -> Rule:
    """The largest (or smallest) element over ``axes``, NaN if any is; in each slice the
    gradient is shared equally by the elements equal to it, as PyTorch's ``amax``/``amin``
    (a slice whose result is NaN, where none is equal, gets NaN: 0 * (g / 0))."""
    name = "amax" if largest else "amin"
    for axis in axes:
        if x.shape[axis] == 0:
            raise IndexError(f"{name}(): Expected reduction dim {axis} to have non-zero size.")
    kept = np.asarray((np.max if largest else np.min)(x, axis=axes, keepdims=True))
    out = kept if keepdim else kept.reshape([n for i, n in enumerate(x.shape) if i not in axes])

    def backward(g: Array) -> Grads:
        mask = x == kept
        with quiet():
            share = np.reshape(g, kept.shape) / np.sum(mask, axis=axes, keepdims=True)
            return ((mask * share).astype(x.dtype, copy=False),)

    return out, backward


def max_dim(
    x: Array, axis: int, keepdim: bool, largest: bool = True
) -> tuple[Array, Array, Backward]:
    """``(values, indices, backward)`` along ``axis``: the first largest (or smallest)
    element, NaN first; the gradient goes to that element."""
    if x.ndim == 0:
        return x.copy(), np.zeros((), dtype=np.int64), lambda g: (np.array(g, dtype=x.dtype),)
    if x.shape[axis] == 0:
        raise IndexError(
            f"{'max' if largest else 'min'}(): Expected reduction dim {axis} to have non-zero size."
        )
    index = np.expand_dims((np.argmax if largest else np.argmin)(x, axis=axis), axis)
    return picked(x, index, axis, keepdim)


def picked(x: Array, index: Array, axis: int, keepdim: bool) -> tuple[Array, Array, Backward]:
    """``(values, indices, backward)`` of the elements of ``x`` at ``index`` along ``axis``
    (``index`` has x's shape but along that axis, where it may pick any number, the same
    element more than once too); the gradient goes to each picked element, summed. A 0-d x
    is its own statistic, at index 0."""
    if not x.ndim:
        return x.copy(), np.zeros((), dtype=np.int64), lambda g: (g,)
    values = np.take_along_axis(x, index, axis)

    def backward(g: Array) -> Grads:
        grad = np.zeros_like(x)
        upstream = g if keepdim else np.expand_dims(g, axis)
        if index.shape[axis] == 1:  # (one pick a slice: no repeats)
            np.put_along_axis(grad, index, upstream, axis)
        else:
            places: list[Array] = list(np.indices(index.shape, sparse=True))
            places[axis] = index
            np.add.at(grad, tuple(places), upstream)
        return (grad,)

    if keepdim:
        return values, index.astype(np.int64), backward
    return values.squeeze(axis), index.squeeze(axis).astype(np.int64), backward


def refuse_empty_norm(data: Array, order: float, axes: tuple[int, ...] | None) -> None:
    """PyTorch's refusal of a norm with no identity (inf, -inf, negative orders) over no
    elements."""
    if order >= 0 and order != math.inf:
        return
    shown = "inf" if order == math.inf else "-inf" if order == -math.inf else f"{order:g}"
    if axes is None and data.size == 0:
        raise RuntimeError(
            f"linalg.vector_norm cannot compute the {shown} norm on an empty tensor because "
            "the operation does not have an identity"
        )
    for axis in axes or ():
        if data.shape[axis] == 0:
            raise RuntimeError(
                f"linalg.vector_norm cannot compute the {shown} norm on the dimension {axis}"
                "because this dimension is empty and the operation does not have an identity"
            )


def dist(a: Array, b: Array, p: float) -> Rule:
    """The p-norm of a - b (broadcast together); the norm's gradient, undone from the
    broadcast, goes to a and, negated, to b."""
    result, norm_backward = norm(a - b, p, None, False)

    def backward(g: Array) -> Grads:
        spread = norm_backward(g)[0]
        return unbroadcast(spread, a.shape), unbroadcast(-spread, b.shape)

    return result, backward


def logsumexp(x: Array, axes: tuple[int, ...], keepdim: bool) -> Rule:
    """log(sum(exp(x))) over ``axes``, shifted by the max; d/dx = softmax(x)."""
    peak = np.max(x, axis=axes, keepdims=True) if x.size else np.zeros((1,) * x.ndim, x.dtype)
    peak = np.where(np.isfinite(peak), peak, 0.0)
    with quiet():
        kept = np.log(np.sum(np.exp(x - peak), axis=axes, keepdims=True)) + peak
    out = kept if keepdim else np.squeeze(kept, axis=axes)
    shape = x.shape

    def backward(g: Array) -> Grads:
        return (_spread(g, shape, axes, keepdim) * np.exp(x - kept),)

    return np.asarray(out, dtype=x.dtype), backward


def norm(x: Array, p: float, axes: tuple[int, ...] | None, keepdim: bool) -> Rule:
    """The p-norm over ``axes``, rounded as PyTorch's (the whole 2-norm is sqrt of a dot
    product, so it under- and overflows where PyTorch's does), with PyTorch's gradients
    (``norm_backward``: 0 where the norm is 0)."""
    kept_axes = axes if x.ndim else None
    a = np.abs(x)
    single = x.size and x.size == np.sum(a, axis=kept_axes, keepdims=True).size
    if single and p != 0:  # as PyTorch: a norm of one element is |x| (no power and root)
        out = a.copy()
    elif p == np.inf:
        out = np.max(a, axis=kept_axes, keepdims=True, initial=0.0)  # (0 over no elements)
    elif p == -np.inf:
        out = np.min(a, axis=kept_axes, keepdims=True)
    elif p == 0:
        out = np.sum(x != 0, axis=kept_axes, keepdims=True).astype(x.dtype)
    elif p == 1:
        out = np.sum(a, axis=kept_axes, keepdims=True)
    elif p == 2:
        if kept_axes is None or len(kept_axes) == x.ndim:  # a dot product rounds as PyTorch
            flat = np.ascontiguousarray(x).reshape(-1)
            out = np.sqrt(np.dot(flat, flat)).reshape((1,) * x.ndim)
        else:
            out = np.sqrt(np.sum(x * x, axis=kept_axes, keepdims=True))
    else:
        out = np.sum(a**p, axis=kept_axes, keepdims=True) ** (1.0 / p)
    out = np.asarray(out, dtype=x.dtype)
    result = out if keepdim else np.asarray(np.squeeze(out, axis=kept_axes))
    shape = x.shape

    def backward(g: Array) -> Grads:
        gk = _spread(g, shape, axes, keepdim)
        if p == 0:  # (PyTorch's: no gradient at all, the leaf's .grad stays None)
            return (None,)
        if p == 1:
            return (sign(x) * gk,)
        if p == 2:
            return (gk * np.where(out == 0, 0.0, x / out),)
        if np.isinf(p):
            mask = (a == out) | np.isnan(a)
            count = np.sum(mask, axis=kept_axes, keepdims=True)
            return (sign(x) * ((gk / count) * mask),)
        if p < 1:
            scaled = sign(x) * np.where(x == 0, 0.0, a ** (p - 1.0))
            return (scaled * gk * out ** (1.0 - p),)
        factor = sign(x) * a ** (p - 1.0) if p < 2 else x * a ** (p - 2.0)
        return (factor * np.where(out == 0, 0.0, gk / out ** (p - 1.0)),)

    return result, backward


def nansum(
    x: Array, axes: tuple[int, ...] | None, keepdim: bool, dtype: DTypeLike | None = None
) -> Rule:
    """Sum over ``axes`` with NaNs counted as 0; d/dx = 1, and 0 at a NaN (the incoming
    gradient times 0, as PyTorch's)."""
    nan = np.isnan(x) if x.dtype.kind == "f" else np.zeros(x.shape, dtype=bool)
    out, backward = sum(np.where(nan, 0, x) if nan.any() else x, axes, keepdim, dtype)
    kept = (~nan).astype(x.dtype if x.dtype.kind == "f" else np.float64)
    return out, lambda g: (backward(g)[0] * kept,)  # (times 0, not set to 0: inf * 0 is NaN)
