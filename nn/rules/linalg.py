"""Matrix products and softmax along a dimension."""

from __future__ import annotations

import math

import numpy as np

from . import Array, Grads, Rule, fused_multiply_add, unbroadcast
from ._quiet import quiet
from .layer import ones


def matmul(a: Array, b: Array, need_a: bool = True, need_b: bool = True) -> Rule:
    """``a @ b`` with NumPy's (and PyTorch's) rules for 1-D and batched operands:
    dL/da = g b^T, dL/db = a^T g, with broadcast batch axes summed back. A weight (k, m)
    shared by a batch gets its gradient from one product, the batch folded into rows, as
    PyTorch computes it: never B per-example products (B, k, m) summed afterwards."""
    with quiet():  # (an overflow gives inf, as PyTorch's, without a warning)
        out = np.matmul(a, b)
    a2 = a[None, :] if a.ndim == 1 else a
    b2 = b[:, None] if b.ndim == 1 else b
    shape2 = np.broadcast_shapes(a2.shape[:-2], b2.shape[:-2]) + (a2.shape[-2], b2.shape[-1])

    def backward(g: Array) -> Grads:
        g = g.reshape(shape2)
        grad_a = grad_b = None
        if need_a:
            grad_a = unbroadcast(g @ np.swapaxes(b2, -1, -2), a2.shape).reshape(a.shape)
        if need_b:
            if b2.ndim == 2 and a2.ndim > 2:  # one product, the batch folded into rows
                count = math.prod(a2.shape[:-1])  # (not -1: a side may be 0)
                rows, columns = a2.reshape(count, a.shape[-1]), g.reshape(count, shape2[-1])
                grad_b = (rows.T @ columns).reshape(b.shape)
            else:
                grad_b = unbroadcast(np.swapaxes(a2, -1, -2) @ g, b2.shape).reshape(b.shape)
        return grad_a, grad_b

    return out, backward


# Rows of (N, C) arrays, as softmax over classes sees them. NumPy reduces a short last axis
# row by row, several times slower than over the other axis (measured: docs/benchmarks.md).
# Short rows: the max over the contiguous transpose (exact in any order), up to 32 classes;
# the sum as a BLAS product with ones, up to 128 (NumPy, too, adds up to 128 elements in one
# unrolled loop: no less accurate).
SHORT_MAX_ROWS = 32
SHORT_SUM_ROWS = 128


def _last_axis_of_rows(x: Array, axis: int | None) -> bool:
    return x.ndim == 2 and axis in (1, -1)


def max_kept(x: Array, axis: int | None) -> Array:
    """``np.max(x, axis, keepdims=True)``, faster on short rows."""
    if _last_axis_of_rows(x, axis) and x.shape[1] <= SHORT_MAX_ROWS:
        return np.ascontiguousarray(x.T).max(axis=0)[:, None]  # type: ignore[no-any-return]
    return np.max(x, axis=axis, keepdims=True)  # type: ignore[no-any-return]


def sum_kept(x: Array, axis: int | None) -> Array:
    """``np.sum(x, axis, keepdims=True)``, faster on short rows."""
    if _last_axis_of_rows(x, axis) and x.shape[1] <= SHORT_SUM_ROWS:
        return (x @ ones(x.shape[1], x.dtype))[:, None]  # type: ignore[no-any-return]
    return np.sum(x, axis=axis, keepdims=True)  # type: ignore[no-any-return]


def softmax(x: Array, axis: int | None) -> Rule:
    """exp(x_i - max) / sum_j exp(x_j - max) along ``axis``; backward y (g - sum(g y))."""
    if x.size == 0:
        return x.copy(), lambda g: (g.copy(),)
    shifted = np.exp(x - max_kept(x, axis))  # NaN when the max is inf
    out = shifted / sum_kept(shifted, axis)

    def backward(g: Array) -> Grads:
        return (out * (g - sum_kept(g * out, axis)),)

    return out, backward


def log_softmax_array(x: Array, axis: int | None) -> Array:
    """x_i - log(sum_j exp(x_j)) along ``axis``, stable for any finite logits."""
    if x.size == 0:
        empty: Array = x.copy()
        return empty
    shifted = x - max_kept(x, axis)  # as PyTorch: NaN when the max is inf
    result: Array = shifted - np.log(sum_kept(np.exp(shifted), axis))
    return result


def log_softmax(x: Array, axis: int | None) -> Rule:
    """log(softmax(x)); backward g - softmax(x) sum(g)."""
    out = log_softmax_array(x, axis)

    def backward(g: Array) -> Grads:
        return (g - np.exp(out) * sum_kept(g, axis),)

    return out, backward


def triangle(x: Array, lower: bool, diagonal: int) -> Rule:
    """The lower (or upper) triangle of the last two dimensions, from ``diagonal``; the
    gradient is the same triangle of the upstream one."""
    keep = np.tril if lower else np.triu
    return keep(x, diagonal), lambda g: (keep(g, diagonal),)


def diagonal_view(x: Array, offset: int, axis1: int, axis2: int) -> Array:
    """The elements x[..., i, i + offset, ...] over ``axis1`` and ``axis2`` as the last axis
    of a view of ``x`` (writable when ``x`` is: NumPy's own ``diagonal`` is read-only)."""
    moved = np.moveaxis(x, (axis1, axis2), (-2, -1))
    rows, cols = moved.shape[-2:]
    moved = (
        moved[..., :, min(offset, cols) :] if offset >= 0 else moved[..., min(-offset, rows) :, :]
    )
    length = min(moved.shape[-2:])
    strides = moved.strides[:-2] + (moved.strides[-2] + moved.strides[-1],)
    view: Array = np.lib.stride_tricks.as_strided(moved, moved.shape[:-2] + (length,), strides)
    return view


def diagonal(x: Array, offset: int, axis1: int, axis2: int) -> Rule:
    """A diagonal of ``x`` (a view); its gradient is ``g`` on that diagonal of zeros."""
    shape = x.shape

    def backward(g: Array) -> tuple[Array]:
        grad = np.zeros(shape, dtype=g.dtype)
        diagonal_view(grad, offset, axis1, axis2)[...] = g
        return (grad,)

    return diagonal_view(x, offset, axis1, axis2), backward


def diag_embed(v: Array, offset: int, axis1: int = 0, axis2: int = 1) -> Rule:
    """Zeros with ``v``'s last dimension on diagonal ``offset`` of the new square dimensions
    ``axis1`` and ``axis2`` (non-negative, of the result), ``v``'s other dimensions in the
    rest, in order; d/dv reads that diagonal of ``g``."""
    shape = list(v.shape[:-1])
    size = v.shape[-1] + abs(offset)
    for axis in sorted((axis1, axis2)):
        shape.insert(axis, size)
    out = np.zeros(shape, dtype=v.dtype)
    diagonal_view(out, offset, axis1, axis2)[...] = v
    return out, lambda g: (diagonal_view(g, offset, axis1, axis2).copy(),)


def trace(x: Array) -> Rule:
    """The sum of a matrix's main diagonal, accumulated in float64 (integers in int64) as
    PyTorch's; d/dx is ``g`` on the diagonal, 0 elsewhere."""
    wide = np.int64 if x.dtype.kind in "biu" else np.float64  # (PyTorch's accumulator)
    out = np.asarray(
        diagonal_view(x, 0, 0, 1)
        .sum(dtype=wide)
        .astype(np.result_type(x, wide if wide is np.int64 else x.dtype))
    )
    shape, dtype = x.shape, x.dtype

    def backward(g: Array) -> tuple[Array]:
        grad = np.zeros(shape, dtype=dtype)
        diagonal_view(grad, 0, 0, 1)[...] = g
        return (grad,)

    return out + 0 if out.dtype.kind == "f" else out, backward


def _mT(x: Array) -> Array:
    return np.swapaxes(x, -1, -2)


def inv(a: Array) -> Rule:
    """A^-1 of each square matrix; d/dA = -A^-T g A^-T."""
    out = np.linalg.inv(a)
    return out, lambda g: (-(_mT(out) @ g @ _mT(out)),)


def solve(a: Array, b: Array, vector: bool, need_a: bool = True, need_b: bool = True) -> Rule:
    """X with A X = B (B a vector per matrix when ``vector``); dL/dB = A^-T g and dL/dA =
    -(dL/dB) X^T, batch axes broadcast as in the forward and summed back."""
    rhs = b[..., None] if vector else b
    x = np.linalg.solve(a, rhs)

    def backward(g: Array) -> Grads:
        g_rhs = g[..., None] if vector else g
        grad_rhs: Array = np.linalg.solve(_mT(a), g_rhs)
        grad_b = None
        if need_b:
            grad_b = unbroadcast(grad_rhs[..., 0] if vector else grad_rhs, b.shape)
        grad_a = unbroadcast(-(grad_rhs @ _mT(x)), a.shape) if need_a else None
        return grad_a, grad_b

    return (x[..., 0] if vector else x), backward


def det(a: Array) -> Rule:
    """det(A) of each square matrix; d/dA = g times the cofactor matrix, det(U) det(V) U
    diag(product of the other singular values) V^T from A = U S V^T (singular A too)."""
    out = np.linalg.det(a)

    def backward(g: Array) -> tuple[Array]:
        if a.shape[-1] == 0:
            return (np.zeros_like(a),)
        u, s, vt = np.linalg.svd(a)
        ones = np.ones(s.shape[:-1] + (1,), dtype=s.dtype)
        before = np.cumprod(np.concatenate([ones, s[..., :-1]], axis=-1), axis=-1)
        after = np.flip(
            np.cumprod(np.concatenate([ones, np.flip(s, -1)[..., :-1]], axis=-1), axis=-1), -1
        )
        signs = np.linalg.det(u) * np.linalg.det(vt)
        cofactor = (u * (before * after)[..., None, :]) @ vt * signs[..., None, None]
        return ((np.asarray(g)[..., None, None] * cofactor).astype(a.dtype, copy=False),)

    return np.asarray(out), backward


def eigvalsh(a: Array, lower: bool) -> Rule:
    """The eigenvalues (ascending) of each symmetric matrix, read from its lower (or upper)
    triangle; d/dA = V diag(g) V^T on that triangle (the other read as its mirror)."""
    values, vectors = np.linalg.eigh(a, UPLO="L" if lower else "U")

    def backward(g: Array) -> tuple[Array]:
        grad = (vectors * g[..., None, :]) @ _mT(vectors)
        return (grad.astype(a.dtype, copy=False),)

    return values, backward


def cross(a: Array, b: Array, axis: int, need_a: bool = True, need_b: bool = True) -> Rule:
    """The cross product of the 3-vectors along ``axis``: component i is a_(i+1) b_(i+2) -
    a_(i+2) b_(i+1), rounded once as PyTorch's kernel (a fused multiply-add); d/da = b x g,
    d/db = g x a."""

    def backward(g: Array) -> Grads:
        return (
            unbroadcast(cross_product(b, g, axis), a.shape) if need_a else None,
            unbroadcast(cross_product(g, a, axis), b.shape) if need_b else None,
        )

    return cross_product(a, b, axis), backward


def cross_product(a: Array, b: Array, axis: int) -> Array:
    """a x b along ``axis`` (``cross``'s forward; its backward takes two more)."""
    a, b = np.broadcast_arrays(a, b)
    a_ahead, a_behind = np.take(a, [1, 2, 0], axis), np.take(a, [2, 0, 1], axis)
    b_ahead, b_behind = np.take(b, [1, 2, 0], axis), np.take(b, [2, 0, 1], axis)
    subtracted = a_behind * b_ahead
    if a.dtype.kind != "f":
        return np.asarray(a_ahead * b_behind - subtracted)
    return fused_multiply_add(a_ahead, b_behind, -subtracted)


def euclidean_distances(a: Array, b: Array) -> Rule:
    """d_ij = sqrt(max(|a_i|^2 + |b_j|^2 - 2 a_i . b_j, 0)) for rows a_i of a (..., P, M) and
    b_j of b (..., R, M), in one product of padded rows [-2 a_i, |a_i|^2, 1] . [b_j, 1,
    |b_j|^2]: PyTorch's cdist for p = 2 past 25 rows. Memory P R, not P R M; points close
    together lose digits (cdist(x, x) is not exactly 0 off float64), as in PyTorch.
    Backward, with r = g / d (0 where d = 0): dL/da = a sum_j r - r b, dL/db = b sum_i r -
    r^T a, summed over broadcast batch axes."""
    batch = np.broadcast_shapes(a.shape[:-2], b.shape[:-2])
    wide_a = np.broadcast_to(a, batch + a.shape[-2:])
    wide_b = np.broadcast_to(b, batch + b.shape[-2:])
    norms_a = (wide_a * wide_a).sum(-1, keepdims=True)
    norms_b = (wide_b * wide_b).sum(-1, keepdims=True)
    padded_a = np.concatenate([wide_a * -2, norms_a, np.ones_like(norms_a)], -1)
    padded_b = np.concatenate([wide_b, np.ones_like(norms_b), norms_b], -1)
    out = padded_a @ _mT(padded_b)
    np.sqrt(np.maximum(out, 0, out=out), out=out)

    def backward(g: Array) -> Grads:
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = g / out
        ratio[out == 0] = 0
        grad_a = wide_a * ratio.sum(-1, keepdims=True) - ratio @ wide_b
        grad_b = wide_b * ratio.sum(-2)[..., None] - _mT(ratio) @ wide_a
        return unbroadcast(grad_a, a.shape), unbroadcast(grad_b, b.shape)

    return out, backward
