"""Indexing rules: ``x[index]`` (views for basic indices, copies for advanced ones),
``x[index] = value``, ``take`` along an axis and ``gather``, for
``nn/tensor/indexing.py``. The gradient of a read is the output's gradient added back at
the positions read (repeats summed)."""

from __future__ import annotations

from typing import Any

import numpy as np

from . import Array, Grads, Rule, unbroadcast


def is_basic_index(index: object) -> bool:
    """Whether ``index`` selects a view (ints, slices, None, Ellipsis only)."""
    parts = index if isinstance(index, tuple) else (index,)
    return all(
        (isinstance(i, int | slice | np.integer) and not isinstance(i, bool | np.bool_))
        or i is None
        or i is Ellipsis
        for i in parts
    )


def view_index(index: object) -> tuple[Any, ...]:
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


def masked_select(x: Array, mask: Array) -> Rule:
    """The elements of x where ``mask`` (both broadcast together) is True, in order; the
    gradient is scattered back to those places, summed over the broadcast."""
    shape = np.broadcast_shapes(x.shape, mask.shape)
    where = np.broadcast_to(mask, shape).copy()

    def backward(g: Array) -> Grads:
        grad = np.zeros(shape, dtype=g.dtype)
        grad[where] = g
        return (unbroadcast(grad, x.shape),)

    return np.broadcast_to(x, shape)[where], backward


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
