"""Array-level rules: each op's forward and its backward, on ndarrays, with NumPy only.

A rule takes arrays (and plain parameters) and returns ``(out, backward)``: the output array
and a closure ``backward(g)`` that maps ``g = dL/d(out)`` to one gradient per array input
(None where the caller said it is not needed); backward closures run under the engine's
``quiet()`` (``np.errstate(all="ignore")``, cheaper). The gradient formulas are PyTorch's
(``derivatives.yaml``), written so that NaN, infinities and signed zeros land where
PyTorch's do. Nothing here knows about Tensors or grad modes: ``nn/tensor/`` records a
rule's closure as a node of the graph.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from ._quiet import quiet

Array = np.ndarray
Backward = Callable[[Array], Sequence[Any]]
"""A rule's backward: ``g = dL/d(out)`` to one gradient (or None) per array input."""
Grads = tuple["Array | None", ...]
"""What a backward returns: one gradient per array input, None where none is wanted."""
Rule = tuple[Array, Backward]
"""What a rule returns: its output and its backward."""

SMALL_ELEMENTS = 2048  # below it, fewer NumPy calls beat faster ones (measured)


def unbroadcast(grad: Array, shape: tuple[int, ...]) -> Array:
    """Sum ``grad`` over the axes that broadcasting added or stretched, to get ``shape`` back.

    Examples
    --------
    >>> import numpy as np
    >>> unbroadcast(np.ones((4, 3)), (3,))
    array([4., 4., 4.])
    """
    if grad.shape == shape:
        return grad
    extra = grad.ndim - len(shape)
    if extra > 0:
        grad = grad.sum(axis=tuple(range(extra)))
    stretched = tuple(i for i, n in enumerate(shape) if n == 1 and grad.shape[i] != 1)
    if stretched:
        grad = grad.sum(axis=stretched, keepdims=True)
    return grad.reshape(shape)


def sign(x: Array) -> Array:
    """sign(x) with sign(NaN) = 0, as PyTorch's ``sgn`` on real numbers."""
    out = np.sign(x)
    if out.dtype.kind == "f":  # + 0.0: sign(-0.0) is 0.0 in PyTorch
        out = np.where(np.isnan(out), out.dtype.type(0), out) + 0.0
    return np.asarray(out)


def nan_gradient_by_position(x: Array, scalar: Array, grad: Array, lanes: int) -> Array:
    """``grad`` with PyTorch's gradient at NaN inputs of the hardtanh and elu families: its
    CPU kernel runs blocks of ``lanes`` float64 elements (twice as many float32) through
    SIMD code, whose answer is in ``grad`` already, and the rest (the last elements, in C
    order) through scalar code, whose answer (the branch a NaN's failed comparison takes)
    is ``scalar``. The loop runs over the trailing dimensions that lie contiguously in
    memory, coalesced into one (the whole Tensor when it is contiguous; the rows of an
    expanded one, or its last two dimensions when they are contiguous together), and is
    scalar throughout when even the last dimension is not (transposed, strided)."""
    nan = np.isnan(x)
    if not nan.any():
        return grad
    block = lanes * 2 if x.dtype == np.float32 else lanes
    first, run, step = x.ndim, 1, x.itemsize
    while first > 0 and (x.shape[first - 1] == 1 or x.strides[first - 1] == step):
        step *= x.shape[first - 1]
        run *= x.shape[first - 1]
        first -= 1
    if first == x.ndim and x.ndim:  # (the last dimension is not contiguous: scalar code)
        tail = np.ones(x.shape, dtype=bool)
    else:  # (blocks of each contiguous run, then its tail)
        tail = np.arange(run).reshape(x.shape[first:]) >= (run // block) * block
    return np.where(nan & tail, scalar, grad).astype(grad.dtype, copy=False)


def zeroed_where(g: Array, drop: Array) -> Array:
    """A new array: ``g``, with +0.0 where ``drop`` (PyTorch's ``where(drop, 0, g)``).

    Small arrays are copied and masked (``putmask``: fewest calls); large ones take a product
    with ``~drop`` when ``g`` is finite, 3 to 10 times faster than a masked copy or
    ``np.where`` there (inf * 0 is NaN: a gradient holding inf or NaN takes ``np.where``)."""
    if g.size <= SMALL_ELEMENTS:
        copy = np.array(g)
        np.putmask(copy, drop, 0)
        return copy
    flat = g.reshape(-1)
    if not np.isfinite(np.dot(flat, flat)):  # (an overflowing dot also takes np.where)
        return np.where(drop, g.dtype.type(0), g)
    product: Array = g * ~drop
    product += 0.0  # a negative gradient times 0 is -0.0: PyTorch's where gives +0.0
    return product


def fused_multiply_add(x: Array, a: Array, b: Array) -> Array:
    """x * a + b rounded once, as PyTorch's vectorised kernels (fmadd) compute it (batch
    norm's affine step, linspace's values).

    float32 goes through float64, where the product is exact; float64 adds the exact rounding
    errors of the product (Dekker's two-product) and of the sum (Knuth's two-sum) to the
    sum, breaking a tie by what is left below the correction's last bit (so that the
    result is the single rounding), and takes the long double sum where the split would
    overflow."""
    if x.dtype == np.float32:
        narrow: Array = (x.astype(np.float64) * a + b).astype(np.float32)
        return narrow
    with quiet():
        product = x * a
        error = _two_product_error(x, a, product)
        usable = np.isfinite(error)  # not where the product is inf or NaN, or the split overflows
        total = product + b
        sum_error = _two_sum_error(product, b, total)
        lost = np.where(usable, error, 0.0)
        correction = sum_error + lost  # x a + b == total + correction + residue, exactly:
        residue = _two_sum_error(sum_error, lost, correction)
        kept = np.isfinite(correction)
        correction = np.where(kept, correction, 0.0)
        result: Array = total + correction
        # A sum exactly between two doubles rounds to even; the residue (below the
        # correction's last bit) says to which side the true value lies (double rounding)
        midway = _two_sum_error(total, correction, result)
        toward = np.nextafter(result, np.copysign(np.inf, midway))
        tie = (midway != 0) & (toward - result == 2 * midway) & kept
        past = tie & (residue != 0) & ((residue > 0) == (midway > 0))
        result = np.where(past, toward, result)
        overflowed = np.isfinite(product) & ~usable
        if np.any(overflowed):
            wide = (x.astype(np.longdouble) * a + b).astype(x.dtype)
            result = np.where(overflowed, wide, result)
    return result


def scaled_sum(a: Array, b: Array, alpha: float) -> Array:
    """a + alpha * b as PyTorch's kernels compute it: rounded once (fused multiply-add) for
    floats, alpha taken in the operands' dtype first; exact for integers."""
    if alpha == 1:
        return np.asarray(a + b)
    if a.dtype.kind != "f" or b.dtype.kind != "f":
        return np.asarray(a + alpha * b)
    dtype = np.result_type(a, b)
    scale = np.asarray(alpha, dtype=dtype)
    return fused_multiply_add(b.astype(dtype, copy=False), scale, a.astype(dtype, copy=False))


def _two_sum_error(a: Array, b: Array, total: Array) -> Array:
    """a + b - total for total = fl(a + b), exactly (Knuth's two-sum)."""
    virtual = total - a
    error: Array = (a - (total - virtual)) + (b - virtual)
    return error


def _two_product_error(x: Array, a: Array, product: Array) -> Array:
    """x * a - fl(x * a), exactly (Dekker: the factors split into 26-bit halves)."""
    xh, xl = _split(x)
    ah, al = _split(a)
    error: Array = ((xh * ah - product) + xh * al + xl * ah) + xl * al
    return error


def _split(v: Array) -> tuple[Array, Array]:
    scaled = 134217729.0 * v  # 2**27 + 1
    high = scaled - (scaled - v)
    return high, v - high


class Fresh(tuple):  # type: ignore[type-arg]
    """Gradients a backward closure has just allocated and keeps no reference to.

    Returning them in a ``Fresh`` tuple lets a leaf adopt its array as ``.grad`` instead of
    copying it (a large layer's weight gradient is then never copied).
    """

    __slots__ = ()
