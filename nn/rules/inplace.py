"""The rules of the in-place writes (``nn/tensor/inplace.py``), on arrays: ``copy_``, ``fill_``
and ``masked_fill``. What they overwrite gets no gradient; what they write gets the
gradient of the places it went to."""

from __future__ import annotations

import numpy as np

from . import Array, Grads, Rule, unbroadcast


def copy(target: Array, source: Array) -> Rule:
    """``target`` replaced by ``source`` broadcast to its shape (and dtype): d/d(target) = 0,
    d/d(source) = g summed back to source's shape."""
    out = np.array(np.broadcast_to(source, target.shape), dtype=target.dtype, copy=True)
    shape = source.shape

    def backward(g: Array) -> Grads:
        return np.zeros_like(g), unbroadcast(g, shape)

    return out, backward


def fill(target: Array, value: Array) -> Rule:
    """Every element of ``target`` set to the 0-d ``value``: d/d(target) = 0, d/d(value) =
    the sum of g."""
    out = np.full(target.shape, value, dtype=target.dtype)
    return out, lambda g: (np.zeros_like(g), np.asarray(g.sum()))


def overwritten(values: Array) -> Rule:
    """``values`` written over a Tensor, independent of what it held: d/d(it) = 0."""
    return values, lambda g: (np.zeros_like(g),)


def masked_fill(x: Array, condition: Array, value: Array, value_needs_grad: bool) -> Rule:
    """``value`` where ``condition`` holds, else x: d/dx = g where not filled, d/d(value)
    (a 0-d Tensor) = the sum of g where filled."""
    out = np.asarray(np.where(condition, value, x), dtype=x.dtype)
    if not value_needs_grad:
        return out, lambda g: (np.where(condition, 0.0, g).astype(g.dtype),)
    shape = out.shape

    def backward(g: Array) -> Grads:
        filled = np.broadcast_to(condition, shape)
        return np.where(filled, 0.0, g).astype(g.dtype), np.asarray(g[filled].sum(), g.dtype)

    return out, backward
