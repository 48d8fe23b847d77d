"""Order statistics on arrays, for ``nn/tensor/ordering.py``: the running sums and
products (cumsum, cumprod, logcumsumexp), the order ``sort`` and ``topk`` take, the
positions that cummax/cummin, median, nanmedian and kthvalue pick along an axis, and
searchsorted's insertion points. The values and gradients of the picked elements are
``reduction.picked``'s (the gradient goes to each picked element) and
``reduction.shared_by_equals``'s (a median of all elements).

NaN counts as the largest value, as in PyTorch's sort.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

import numpy as np

from . import Array, Grads, Rule
from ._quiet import quiet
from .indexing import gather


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


def cumsum(x: Array, axis: int) -> Rule:
    """out_j = x_0 + ... + x_j along ``axis``; d/dx_i = sum over j >= i of g_j (the running
    sum from the other end)."""

    def backward(g: Array) -> Grads:
        return (np.flip(running(np.cumsum, np.flip(g, axis), axis), axis),)

    return running(np.cumsum, x, axis), backward


def logcumsumexp(x: Array, axis: int) -> Rule:
    """out_j = log(exp(x_0) + ... + exp(x_j)), each step a stable logaddexp. d/dx_i = sum
    over j >= i of g_j exp(x_i - out_j), summed in log space for the positive and the
    negative g apart (PyTorch's way: no overflow, no cancellation of huge terms)."""
    with quiet():
        out = np.logaddexp.accumulate(x, axis=axis) if x.size else x.copy()

    def backward(g: Array) -> Grads:
        if not x.size:
            return (np.zeros_like(x),)
        with quiet():
            sums = []
            for part in (np.maximum(g, 0), np.maximum(-g, 0)):
                terms = np.log(part) - out  # (log 0 = -inf: no term)
                later = np.flip(np.logaddexp.accumulate(np.flip(terms, axis), axis=axis), axis)
                sums.append(np.exp(x + later))
            return ((sums[0] - sums[1]).astype(x.dtype, copy=False),)

    return out, backward


def cumprod(x: Array, axis: int) -> Rule:
    """out_j = x_0 x_1 ... x_j along ``axis``. Backward: dL/dx_i = sum over j >= i of
    g_j out_j / x_i where no x up to j is 0; along a line with a first zero at z, the
    elements before z take that sum over j < z, x_z takes sum over j >= z of g_j times the
    product of every x_k (k <= j) but x_z, and those after z take 0."""
    out = running(np.cumprod, x, axis)

    def backward(g: Array) -> tuple[Array]:
        if not x.size or x.shape[axis] == 1:  # (one element a line: its own product)
            return (g.astype(x.dtype, copy=True),)
        lines = np.moveaxis(x, axis, -1).reshape(-1, x.shape[axis])
        products = np.moveaxis(out, axis, -1).reshape(lines.shape)
        upstream = np.moveaxis(g, axis, -1).reshape(lines.shape)
        grad = np.zeros(lines.shape, dtype=np.result_type(g, x))
        for row, (line, made, up) in enumerate(zip(lines, products, upstream, strict=True)):
            zeros = np.flatnonzero(line == 0)
            first = zeros[0] if zeros.size else line.size
            with quiet():
                tail = np.flip(running(np.cumsum, np.flip(up[:first] * made[:first]), 0))
                grad[row, :first] = tail / line[:first]
            if first < line.size:
                before = made[first - 1] if first else np.ones((), dtype=line.dtype)
                after = np.cumprod(np.concatenate(([before], line[first + 1 :])))
                grad[row, first] = np.sum(up[first:] * after)
        moved_shape = np.moveaxis(x, axis, -1).shape
        return (np.moveaxis(grad.reshape(moved_shape), -1, axis).astype(x.dtype, copy=False),)

    return out, backward


def sort_order(x: Array, axis: int, descending: bool) -> Array:
    """Indices that sort ``x`` along ``axis``, stably, NaN counted as the largest value (as
    PyTorch's sort: last when ascending, first when descending).

    Descending sorts the negation (``~x`` for integers and bools, which cannot overflow)
    with NaN moved ahead by a second key, so that equal values keep their order."""
    if not descending:
        return np.argsort(x, axis=axis, kind="stable")
    moved = np.moveaxis(x, axis, -1)
    if x.dtype.kind == "f":
        order = np.lexsort((-moved, ~np.isnan(moved)), axis=-1)
    else:
        order = np.argsort(~moved, axis=-1, kind="stable")
    return np.moveaxis(order, -1, axis)


def sorted_values(x: Array, axis: int, order: Array) -> Rule:
    """The elements of x in ``order`` along ``axis`` (sort's and topk's values): a gather,
    whose gradient goes back to each element's position (a 0-d x: itself, copied)."""
    if not order.ndim:
        return x.copy(), lambda g: (g,)
    return gather(x, axis, order)


def running(op: Callable[..., Array], x: Array, axis: int) -> Array:
    """``op`` (``np.cumsum`` or ``np.cumprod``) along ``axis``, float32 accumulated in
    float64 as PyTorch's CPU kernels do (so each partial result is PyTorch's, bit for bit)."""
    if x.dtype.kind == "f" and x.dtype.itemsize < 8:
        return np.asarray(op(x, axis=axis, dtype=np.float64).astype(x.dtype))
    return np.asarray(op(x, axis=axis))
