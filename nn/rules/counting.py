"""Counting: histograms, bincount and unique. None of them is differentiable (PyTorch's
aren't either): each returns arrays only."""

from __future__ import annotations

import numpy as np

from . import Array


def bin_positions(values: Array, left: Array, right: Array, bins: int) -> Array:
    """Which of ``bins`` equal bins over [left, right] each value falls in, computed in the
    values' dtype as PyTorch's kernel: floor((x - left) / (right - left) * bins), the right
    edge belonging to the last bin."""
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        position = ((values - left) / (right - left) * values.dtype.type(bins)).astype(np.int64)
    return np.asarray(np.clip(position, 0, bins - 1))  # (0 / 0 where the edges coincide)


def histogram(x: Array, edges: Array, uniform: bool, weight: Array | None, density: bool) -> Array:
    """Counts (or summed weights) of ``x``'s elements in the bins between ``edges``; an
    element outside [first edge, last edge] (or NaN) is not counted; the last bin includes
    its right edge. With ``density``, counts divided by their total and each bin's width."""
    flat = x.reshape(-1)
    bins = edges.size - 1
    inside = (flat >= edges[0]) & (flat <= edges[-1])
    values = flat[inside]
    if uniform:  # (PyTorch interpolates, then corrects by one against the edges)
        position = bin_positions(values, edges[0], edges[-1], bins)
        position -= (position > 0) & (values < edges[position])
        position += (position < bins - 1) & (values >= edges[np.minimum(position + 1, bins)])
    else:
        position = np.minimum(np.searchsorted(edges, values, side="right") - 1, bins - 1)
    weights = None if weight is None else weight.reshape(-1)[inside]
    counts = np.bincount(position, weights=weights, minlength=bins).astype(x.dtype)
    if density:
        with np.errstate(invalid="ignore", divide="ignore"):
            counts = counts / counts.sum() / np.diff(edges)
    return counts.astype(x.dtype)


def histc(x: Array, bins: int, low: float, high: float) -> Array:
    """``bins`` equal bins over [low, high] (the data's own range when low == high, widened
    by 1 each side when that is one value), counted as PyTorch's ``histc``."""
    left, right = x.dtype.type(low), x.dtype.type(high)
    if left == right and x.size:
        left, right = x.min(), x.max()
    if left == right:
        left, right = left - 1, right + 1
    if not (np.isfinite(left) and np.isfinite(right)):
        raise RuntimeError(f"torch.histc: range of [{left}, {right}] is not finite")
    flat = x.reshape(-1)
    values = flat[(flat >= left) & (flat <= right)]
    position = bin_positions(values, left, right, bins)
    return np.bincount(position, minlength=bins).astype(x.dtype)


def unique(x: Array, axis: int | None) -> tuple[Array, Array, Array]:
    """Sorted distinct values (or slices along ``axis``), the index of each element's value
    among them, and their counts; each NaN is distinct, as in PyTorch."""
    if axis is None:
        flat = x.reshape(-1)
        order = np.argsort(flat, kind="stable")
        ordered = flat[order]
        with np.errstate(invalid="ignore"):
            starts = (
                np.concatenate(([True], ordered[1:] != ordered[:-1]))
                if flat.size
                else np.zeros(0, bool)
            )
        group = np.cumsum(starts) - 1
        inverse = np.empty(flat.size, dtype=np.int64)
        inverse[order] = group
        counts = np.diff(np.append(np.flatnonzero(starts), flat.size)).astype(np.int64)
        return ordered[starts], inverse.reshape(x.shape), counts
    if not x.size:
        empty = np.zeros(0, dtype=np.int64)
        return x.copy(), empty, empty.copy()
    values, inverse, counts = np.unique(x, axis=axis, return_inverse=True, return_counts=True)
    return values, inverse.reshape(-1).astype(np.int64), counts.astype(np.int64)
