"""Where order statistics sit, on arrays: the positions that cummax/cummin, median,
nanmedian and kthvalue pick along an axis, and searchsorted's insertion points. The values
and gradients of the picked elements are ``reduction.picked``'s (the gradient goes to each
picked element) and ``reduction.shared_by_equals``'s (a median of all elements).

NaN counts as the largest value, as in PyTorch's sort.
"""

from __future__ import annotations

from typing import Literal

import numpy as np

from . import Array


def running_extreme_positions(x: Array, axis: int, largest: bool) -> Array:
    """For each j, the position of the running maximum (minimum) of x_0..x_j: the latest
    element equal to it (ties go to the later one, as PyTorch's ``x >= best``), or the
    latest NaN once one is met (NaN then stays the result)."""
    best = (np.maximum if largest else np.minimum).accumulate(x, axis=axis)
    here = x == best
    if x.dtype.kind == "f":
        here |= np.isnan(x)
    steps = np.arange(x.shape[axis]).reshape([-1 if d == axis else 1 for d in range(x.ndim)])
    return np.asarray(np.maximum.accumulate(np.where(here, steps, 0), axis=axis), np.int64)


def kth_positions(x: Array, axis: int, kth: Array | int) -> Array:
    """The position (with the axis kept, of size 1) of the k-th smallest element (k from
    0), equal elements in their order: ``kth`` one number, or one per slice."""
    order = np.argsort(x, axis=axis, kind="stable")
    k = np.broadcast_to(np.asarray(kth), order.shape[:axis] + (1,) + order.shape[axis + 1 :])
    return np.take_along_axis(order, k, axis)


def median_positions(x: Array, axis: int, skip_nan: bool) -> Array:
    """The position of the lower median along ``axis`` (the ((n - 1) // 2)-th smallest); a
    slice holding NaN gives its first NaN, unless ``skip_nan`` (``nanmedian``: the median
    of the others; the first NaN when all are)."""
    n = x.shape[axis]
    nans = (
        np.isnan(x).sum(axis=axis, keepdims=True)
        if x.dtype.kind == "f"
        else np.zeros(x.shape[:axis] + (1,) + x.shape[axis + 1 :], dtype=np.int64)
    )
    if skip_nan:
        kth = np.maximum((n - nans - 1) // 2, 0)
    else:
        kth = np.where(nans > 0, n - nans, (n - 1) // 2)
    return kth_positions(x, axis, kth)


def insertion_points(sorted_rows: Array, values: Array, right: bool) -> Array:
    """For each value, the index in its row of ``sorted_rows`` (the last axis; one row for
    every value when 1-D) where it would be inserted to keep the row sorted: before the
    equal elements, or after them with ``right``."""
    side: Literal["left", "right"] = "right" if right else "left"
    if sorted_rows.ndim == 1:
        return np.searchsorted(sorted_rows, values, side=side).astype(np.int64)
    if not values.size:
        return np.zeros(values.shape, dtype=np.int64)
    rows = sorted_rows.reshape(int(np.prod(sorted_rows.shape[:-1])), sorted_rows.shape[-1])
    wanted = values.reshape(rows.shape[0], -1)
    out = np.stack([np.searchsorted(r, v, side=side) for r, v in zip(rows, wanted, strict=True)])
    return out.reshape(values.shape).astype(np.int64)
