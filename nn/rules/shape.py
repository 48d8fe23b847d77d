"""Shape rules: reshape, permute, indexing, expand, repeat, cat and stack.

Where NumPy returns a view (reshape of contiguous data, permute, basic indexing, expand),
so does the rule: the Tensor layer then shares the version counter, as PyTorch's views do.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import Any

import numpy as np

from . import Array, Grads, Rule, unbroadcast


def reshape(x: Array, shape: tuple[int, ...]) -> Rule:
    source = x.shape
    return x.reshape(shape), lambda g: (g.reshape(source),)


def permute(x: Array, axes: tuple[int, ...]) -> Rule:
    inverse = tuple(int(i) for i in np.argsort(axes))
    return np.transpose(x, axes), lambda g: (np.transpose(g, inverse),)


def is_basic_index(index: Any) -> bool:
    """Whether ``index`` selects a view (ints, slices, None, Ellipsis only)."""
    parts = index if isinstance(index, tuple) else (index,)
    return all(
        (isinstance(i, int | slice | np.integer) and not isinstance(i, bool | np.bool_))
        or i is None
        or i is Ellipsis
        for i in parts
    )


def view_index(index: Any) -> tuple[Any, ...]:
    """A basic index that selects a view even of one element (NumPy copies ``x[0]`` of a 1-D
    array into a scalar, but ``x[0, ...]`` is a 0-d view)."""
    parts = index if isinstance(index, tuple) else (index,)
    return parts if any(part is Ellipsis for part in parts) else (*parts, Ellipsis)


def getitem(x: Array, index: Any) -> Rule:
    """``x[index]``; the gradient is scattered back (summed where an index repeats). Basic
    indexing returns a view, a 0-d one too (NumPy would give a copied scalar for ``x[0]``)."""
    basic = is_basic_index(index)
    if basic:
        index = view_index(index)
    out = x[index]

    def backward(g: Array) -> Grads:
        grad = np.zeros_like(x)
        if basic:
            grad[index] = g
        else:
            np.add.at(grad, index, g)
        return (grad,)

    return np.asarray(out), backward


def setitem(x: Array, index: Any, value: Array, need_value: bool = True, then: Any = None) -> Rule:
    """A copy of ``x`` with ``x[index] = value`` (``x[index][then] = value`` when ``then``
    is given: an advanced index applied to the basic view ``x[index]``); d/dx is g with the
    written places zeroed, d/d(value) is g at those places (summed back to value's shape)."""

    def places(a: Array) -> Array:
        region: Array = a[index] if then is None else a[index][then]
        return region

    out = x.copy()
    if then is None:
        out[index] = value
    else:
        out[index][then] = value
    value_shape = value.shape

    def backward(g: Array) -> Grads:
        grad_x = np.array(g, copy=True)
        if then is None:
            grad_x[index] = 0
        else:
            grad_x[index][then] = 0
        grad_value = None
        if need_value:
            written = np.asarray(places(g))
            missing = len(value_shape) - written.ndim  # (a value's leading 1s, dropped)
            if missing > 0:
                written = written.reshape((1,) * missing + written.shape)
            grad_value = unbroadcast(written, value_shape)
        return grad_x, grad_value

    return out, backward


def expand(x: Array, shape: tuple[int, ...]) -> Rule:
    """A read-only broadcast view; the gradient is summed back."""
    source = x.shape
    return np.broadcast_to(x, shape), lambda g: (unbroadcast(g, source),)


def unfold_view(x: Array, axis: int, size: int, step: int) -> Array:
    """The windows ``x[..., i*step : i*step + size, ...]`` along ``axis``, the window's
    elements as a new last axis: a view (read-only where windows overlap, so that no
    in-place change writes one element twice)."""
    if x.ndim == 0:
        return x.reshape(1)[:size]
    count = (x.shape[axis] - size) // step + 1
    shape = x.shape[:axis] + (count,) + x.shape[axis + 1 :] + (size,)
    strides = x.strides[:axis] + (x.strides[axis] * step,) + x.strides[axis + 1 :]
    writeable = step >= size and x.flags.writeable
    view: Array = np.lib.stride_tricks.as_strided(
        x, shape, strides + (x.strides[axis],), writeable=writeable
    )
    return view


def unfold(x: Array, axis: int, size: int, step: int) -> Rule:
    """Windows along ``axis`` (``unfold_view``); each element's gradient sums ``g`` over
    the windows it is in."""
    shape = x.shape

    def backward(g: Array) -> tuple[Array]:
        grad = np.zeros(shape, dtype=g.dtype)
        if not shape:
            grad[...] = g.sum()
            return (grad,)
        count = g.shape[axis]
        for k in range(size):
            part = (slice(None),) * axis + (slice(k, k + step * (count - 1) + 1, step),)
            grad[part] += g[..., k]
        return (grad,)

    return unfold_view(x, axis, size, step), backward


def repeat(x: Array, repeats: tuple[int, ...]) -> Rule:
    """Tile ``x`` (PyTorch's ``repeat``); the gradient sums the tiles."""
    padded = (1,) * (len(repeats) - x.ndim) + x.shape
    out = np.tile(x.reshape(padded), repeats)
    source = x.shape

    def backward(g: Array) -> Grads:
        split = []
        for count, size in zip(repeats, padded, strict=True):
            split += [count, size]
        summed = g.reshape(split).sum(axis=tuple(range(0, 2 * len(repeats), 2)))
        return (summed.reshape(source),)

    return out, backward


def cat(arrays: Sequence[Array], axis: int) -> Rule:
    """Concatenate along ``axis``; each input gets its slice of the gradient."""
    out = np.concatenate(arrays, axis=axis)
    bounds = np.cumsum([0] + [a.shape[axis] for a in arrays])

    def backward(g: Array) -> Grads:
        moved = np.moveaxis(g, axis, 0)
        return tuple(
            np.moveaxis(moved[int(lo) : int(hi)], 0, axis) for lo, hi in itertools.pairwise(bounds)
        )

    return out, backward


def stack(arrays: Sequence[Array], axis: int) -> Rule:
    """Stack on a new ``axis``; each input gets its slice of the gradient."""
    out = np.stack(arrays, axis=axis)
    count = len(arrays)
    return out, lambda g: tuple(np.take(g, i, axis=axis) for i in range(count))


def flip(x: Array, axes: tuple[int, ...]) -> Rule:
    return np.flip(x, axes), lambda g: (np.flip(g, axes),)


def roll(x: Array, shifts: tuple[int, ...], axes: tuple[int, ...] | None) -> Rule:
    back = tuple(-s for s in shifts)
    if axes is None:
        source = x.shape
        return np.roll(x, shifts), lambda g: (np.roll(g.reshape(-1), back).reshape(source),)
    return np.roll(x, shifts, axes), lambda g: (np.roll(g, back, axes),)


def take(x: Array, index: Array, axis: int) -> Rule:
    """The slices of ``x`` at ``index`` (1-D) along ``axis``; the gradient is added back
    (summed where an index repeats)."""
    out = np.take(x, index, axis=axis)

    def backward(g: Array) -> Grads:
        grad = np.zeros_like(x)
        np.add.at(np.moveaxis(grad, axis, 0), index, np.moveaxis(g, axis, 0))
        return (grad,)

    return out, backward


def gather(x: Array, axis: int, index: Array) -> Rule:
    """``out[i][j] = x[i][index[i][j]]`` along ``axis`` (``index`` no larger than ``x`` on
    the other axes, whose first positions it reads); the gradient is scatter-added."""
    idx: list[Any] = list(np.indices(index.shape, sparse=True))
    idx[axis] = index
    positions = tuple(idx)
    out = x[positions]

    def backward(g: Array) -> Grads:
        grad = np.zeros_like(x)
        np.add.at(grad, positions, g)
        return (grad,)

    return out, backward


def scatter(
    x: Array, axis: int, index: Array, src: Array, add: bool, need_x: bool, need_src: bool
) -> Rule:
    """``out = x`` with ``out[i][index[i][j]] = src[i][j]`` along ``axis`` (added instead
    when ``add``); ``src`` is read on ``index``'s shape from its start (a 0-d ``src`` is one
    value). d/dx = g, 0 where written over unless ``add``; d/dsrc = g at the positions."""
    idx: list[Any] = list(np.indices(index.shape, sparse=True))
    idx[axis] = index
    positions = tuple(idx)
    read = tuple(slice(0, n) for n in index.shape)
    values = src[read] if src.ndim else np.broadcast_to(src, index.shape)
    out = x.copy()
    if add:
        np.add.at(out, positions, values)
    else:
        out[positions] = values

    def backward(g: Array) -> Grads:
        grad_x = grad_src = None
        if need_x:
            grad_x = g.copy()
            if not add:
                grad_x[positions] = 0
        if need_src:
            grad_src = np.zeros(src.shape, dtype=g.dtype)
            grad_src[read] = g[positions]
        return grad_x, grad_src

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


def pad_constant(x: Array, pads: Sequence[int], value: float) -> Rule:
    """x with ``pads`` (before, after) pairs from the last axis backwards filled with
    ``value``; a negative amount crops. The gradient is the output's gradient cut back to
    x's window (zeros where x was cropped)."""
    widths = [(0, 0)] * x.ndim
    for k in range(len(pads) // 2):
        widths[x.ndim - 1 - k] = (pads[2 * k], pads[2 * k + 1])
    for size, (before, after) in zip(x.shape, widths, strict=True):
        if size + before + after < 0 or -before > size or -after > size:
            raise RuntimeError("narrow(): length must be non-negative.")
    kept = tuple(
        slice(max(-b, 0), n - max(-a, 0)) for n, (b, a) in zip(x.shape, widths, strict=True)
    )
    grown = [(max(b, 0), max(a, 0)) for b, a in widths]
    out = np.pad(x[kept], grown, constant_values=value)

    def backward(g: Array) -> Grads:
        inner = g[tuple(slice(b, g.shape[i] - a) for i, (b, a) in enumerate(grown))]
        grad = np.zeros_like(x)
        grad[kept] = inner
        return (grad,)

    return out, backward


def pad_indexed(x: Array, pads: Sequence[int], mode: str) -> Rule:
    """x padded by ``mode``, ``pads`` as ``pad_constant``'s (a negative amount crops).
    Output position j of a padded axis of length n reads input position i = j - before,
    mapped into [0, n): mirrored without the edge ("reflect": n - 1 - |n - 1 - |i||), the
    nearest edge ("replicate"), or wrapped ("circular": i mod n). Each output element is
    one input element: the gradient is each output gradient added back at its position."""
    index = np.arange(x.size).reshape(x.shape)
    for k in range(len(pads) // 2):
        axis, before, after = x.ndim - 1 - k, pads[2 * k], pads[2 * k + 1]
        n = x.shape[axis]
        i = np.arange(n + before + after) - before
        if mode == "reflect":
            i = (n - 1) - np.abs((n - 1) - np.abs(i))
        elif mode == "replicate":
            i = np.clip(i, 0, n - 1)
        else:
            i = np.mod(i, n)
        index = np.take(index, i, axis=axis)
    out = np.take(x, index)

    def backward(g: Array) -> Grads:
        grad = np.zeros(x.size, dtype=g.dtype)
        np.add.at(grad, index.reshape(-1), g.reshape(-1))
        return (grad.reshape(x.shape),)

    return out, backward
