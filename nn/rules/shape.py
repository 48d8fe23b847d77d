"""Shape rules: reshape, permute, expand, unfold, repeat, cat and stack, flip and roll,
padding (indexing is in ``indexing.py``, sorting in ``ordering.py``).

Where NumPy returns a view (reshape of contiguous data, permute, basic indexing, expand),
so does the rule: the Tensor layer then shares the version counter, as PyTorch's views do.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import numpy as np

from . import Array, Grads, Rule, unbroadcast


def reshape(x: Array, shape: tuple[int, ...]) -> Rule:
    source = x.shape
    return x.reshape(shape), lambda g: (g.reshape(source),)


def permute(x: Array, axes: tuple[int, ...]) -> Rule:
    inverse = tuple(int(i) for i in np.argsort(axes))
    return np.transpose(x, axes), lambda g: (np.transpose(g, inverse),)


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


def cat_of(arrays: Sequence[Array], places: Sequence[int], axis: int) -> Rule:
    """``cat`` of the arrays at ``places`` only (PyTorch skips a legacy empty (0,) array);
    each skipped one gets a zero gradient of its own shape."""
    out, backward = cat([arrays[i] for i in places], axis)

    def placed(g: Array) -> Grads:
        grads: list[Array | None] = [np.zeros(a.shape, g.dtype) for a in arrays]
        for place, grad in zip(places, backward(g), strict=True):
            grads[place] = grad
        return tuple(grads)

    return out, placed


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
    nearest edge ("replicate"), or wrapped ("circular": i mod n); see ``take_positions``."""
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
    return take_positions(x, index)


def as_real(x: Array) -> Rule:
    """A complex array's storage seen as real numbers, a view whose last dimension of 2 is
    (real, imaginary); the gradient is that pair seen as complex again."""
    real = np.dtype(f"f{x.itemsize // 2}")
    out = x[..., None].view(real)
    return out, lambda g: (np.ascontiguousarray(g).view(x.dtype)[..., 0],)


def as_complex(x: Array) -> Rule:
    """A real array whose last dimension is (real, imaginary) seen as complex numbers, a
    view; the gradient is seen as pairs of reals again."""
    out = x.view(np.dtype(f"c{x.itemsize * 2}"))[..., 0]
    return out, lambda g: (np.ascontiguousarray(g)[..., None].view(x.dtype),)


def take_positions(x: Array, index: Array) -> Rule:
    """x's elements at the flat positions ``index`` (an array of the output's shape): each
    output element is one input element, so the gradient is each output gradient added
    back at its position (repeats summed)."""
    out = np.take(x, index)

    def backward(g: Array) -> Grads:
        grad = np.zeros(x.size, dtype=g.dtype)
        np.add.at(grad, index.reshape(-1), g.reshape(-1))
        return (grad.reshape(x.shape),)

    return out, backward
