"""Matrix factorizations on arrays (LAPACK through NumPy), and their backwards, for
``nn.linalg``: eigh, svd, qr, cholesky, slogdet, pinv, triangular solves.

Each rule returns its outputs and a backward that takes one gradient per output (None
for an output that got none). Eigenvectors and singular vectors are unique only up to
sign: NumPy's LAPACK and PyTorch's may pick different signs (PyTorch documents this across
its own backends), so only sign-invariant uses of them agree; the gradients are exact for
the signs returned (checked against finite differences).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from . import Array, unbroadcast

Maybe = Array | None
Several = tuple[tuple[Array, ...], Callable[[Sequence[Maybe]], tuple[Maybe, ...]]]


def _mT(x: Array) -> Array:
    return np.swapaxes(x, -1, -2)


def _diagonal(values: Array) -> Array:
    """Each row of ``values`` as a diagonal matrix."""
    out = np.zeros(values.shape + values.shape[-1:], dtype=values.dtype)
    np.einsum("...ii->...i", out)[...] = values
    return out


def _gaps(values: Array) -> Array:
    """1 / (v_j - v_i) off the diagonal, 0 on it (inf where two values are equal)."""
    with np.errstate(divide="ignore"):
        gaps: Array = 1.0 / (values[..., None, :] - values[..., :, None])
    np.einsum("...ii->...i", gaps)[...] = 0
    return gaps


def eigh(a: Array, lower: bool) -> Several:
    """A = V diag(L) V^T of each symmetric matrix (read from one triangle), L ascending.
    Backward: gA = V (diag(gL) + F o (V^T gV - gV^T V) / 2) V^T, F_ij = 1 / (L_j - L_i)."""
    values, vectors = np.linalg.eigh(a, UPLO="L" if lower else "U")

    def backward(grads: Sequence[Maybe]) -> tuple[Maybe, ...]:
        g_values, g_vectors = grads
        inner = np.zeros(a.shape, dtype=a.dtype)
        if g_values is not None:
            inner = inner + _diagonal(g_values)
        if g_vectors is not None:
            product = _mT(vectors) @ g_vectors
            inner = inner + _gaps(values) * (product - _mT(product)) / 2
        return ((vectors @ inner @ _mT(vectors)).astype(a.dtype, copy=False),)

    return (values, vectors), backward


def svd(a: Array, full_matrices: bool) -> Several:
    """A = U diag(S) Vh, S descending. Backward, with k = min(m, n), J = U^T gU, K = Vh gVh^T,
    F_ij = 1 / (S_j^2 - S_i^2): gA = U [F o (J - J^T) S + S F o (K - K^T) + diag(gS)] Vh,
    plus (I - U U^T) gU S^-1 Vh when m > k and U S^-1 (gVh - gVh Vh^T Vh) when n > k (only
    the first k columns of a full U or rows of a full Vh take part, as in PyTorch)."""
    u_full, s, vh_full = np.linalg.svd(a, full_matrices=full_matrices)
    m, n = a.shape[-2:]
    k = min(m, n)

    def backward(grads: Sequence[Maybe]) -> tuple[Maybe, ...]:
        g_u, g_s, g_vh = grads
        u, vh = u_full[..., :, :k], vh_full[..., :k, :]
        g_u = None if g_u is None else g_u[..., :, :k]
        g_vh = None if g_vh is None else g_vh[..., :k, :]
        inner = np.zeros(s.shape + (k,), dtype=a.dtype)
        if g_s is not None:
            inner = inner + _diagonal(g_s)
        gaps = _gaps(s * s)
        if g_u is not None:
            j = _mT(u) @ g_u
            inner = inner + gaps * (j - _mT(j)) * s[..., None, :]
        if g_vh is not None:
            v_side = vh @ _mT(g_vh)
            inner = inner + s[..., :, None] * (gaps * (v_side - _mT(v_side)))
        grad = u @ inner @ vh
        with np.errstate(divide="ignore", invalid="ignore"):
            if g_u is not None and m > k:
                grad = grad + ((g_u - u @ (_mT(u) @ g_u)) / s[..., None, :]) @ vh
            if g_vh is not None and n > k:
                grad = grad + u @ ((g_vh - (g_vh @ _mT(vh)) @ vh) / s[..., :, None])
        return (grad.astype(a.dtype, copy=False),)

    return (u_full, s, vh_full), backward


def _qr_square_backward(q: Array, r: Array, g_q: Array, g_r: Array) -> Array:
    """gA of A = Q R with A of full column rank (m >= n): with M = R gR^T - gQ^T Q,
    gA = (gQ + Q copyltu(M)) R^-T, copyltu(M) the lower triangle of M mirrored up."""
    m_matrix = r @ _mT(g_r) - _mT(g_q) @ q
    lower = np.tril(m_matrix, -1)
    mirrored = lower + _mT(lower) + _diagonal(np.einsum("...ii->...i", m_matrix))
    rhs = g_q + q @ mirrored
    return _mT(np.linalg.solve(r, _mT(rhs)))


def qr(a: Array, mode: str) -> Several:
    """A = Q R (Householder, as PyTorch: the same signs). Backward for m >= n (not the
    complete Q of a tall A, as PyTorch), and for m < n through A = [X Y] = Q [U V]:
    gY = Q gV and gX from the square case with gQ + Y gV^T."""
    q, r = np.linalg.qr(a, mode="complete" if mode == "complete" else "reduced")
    m, n = a.shape[-2:]

    def backward(grads: Sequence[Maybe]) -> tuple[Maybe, ...]:
        if mode == "r":
            raise RuntimeError(
                "The derivative of linalg.qr depends on Q, which is not computed when "
                "mode='r'. Please use linalg.qr(A, mode='reduced') if you are going to "
                "differentiate through linalg.qr."
            )
        if mode == "complete" and m > n:
            raise RuntimeError(
                "The QR decomposition is not differentiable when mode='complete' and nrows > ncols."
            )
        g_q = np.zeros_like(q) if grads[0] is None else grads[0]
        g_r = np.zeros_like(r) if grads[1] is None else grads[1]
        if m >= n:
            grad = _qr_square_backward(q, r, g_q, g_r)
        else:
            y, g_v = q @ r[..., :, m:], g_r[..., :, m:]
            g_x = _qr_square_backward(q, r[..., :, :m], g_q + y @ _mT(g_v), g_r[..., :, :m])
            grad = np.concatenate([g_x, q @ g_v], axis=-1)
        return (grad.astype(a.dtype, copy=False),)

    if mode == "r":
        return (np.zeros((0,), dtype=a.dtype), r), backward
    return (q, r), backward


def cholesky(a: Array, upper: bool) -> Several:
    """A = L L^T (L lower, from A's lower triangle; U = L^T when ``upper``). Backward:
    phi = L^T gL with its lower triangle kept and diagonal halved, gA = L^-T phi L^-1,
    symmetrized."""
    lower = np.linalg.cholesky(a)

    def backward(grads: Sequence[Maybe]) -> tuple[Maybe, ...]:
        (g,) = grads
        assert g is not None
        g_lower = _mT(g) if upper else g
        phi = np.tril(_mT(lower) @ g_lower)
        np.einsum("...ii->...i", phi)[...] *= 0.5
        left = np.linalg.solve(_mT(lower), phi)  # L^-T phi
        grad = _mT(np.linalg.solve(_mT(lower), _mT(left)))  # (L^-T (L^-T phi)^T)^T
        return (((grad + _mT(grad)) / 2).astype(a.dtype, copy=False),)

    return ((_mT(lower) if upper else lower).copy(),), backward


def slogdet(a: Array) -> Several:
    """(sign det A, log |det A|); the gradient of log |det A| is A^-T (sign has none)."""
    sign, logabsdet = np.linalg.slogdet(a)

    def backward(grads: Sequence[Maybe]) -> tuple[Maybe, ...]:
        g = grads[1]
        if g is None:
            return (None,)
        return ((g[..., None, None] * _mT(np.linalg.inv(a))).astype(a.dtype, copy=False),)

    return (np.asarray(sign, dtype=a.dtype), np.asarray(logabsdet, dtype=a.dtype)), backward


def pinv(a: Array, atol: Array, rtol: Array, hermitian: bool) -> Several:
    """The pseudo-inverse, as PyTorch computes it: singular values (or |eigenvalues|) above
    max(atol, rtol * largest) inverted, the rest 0. Backward (constant rank), P = pinv(A):
    gA = -P^T gP P^T + (I - A P) gP^T P P^T + P^T P gP^T (I - P A)."""
    if hermitian:
        values, vectors = np.linalg.eigh(a)
        largest = np.abs(values).max(-1, keepdims=True) if values.size else values[..., :1]
        tol = np.maximum(atol[..., None], rtol[..., None] * largest)
        with np.errstate(divide="ignore"):
            inverted = np.where(np.abs(values) > tol, 1.0 / values, 0.0).astype(a.dtype)
        result = (vectors * inverted[..., None, :]) @ _mT(vectors)
    else:
        u, s, vh = np.linalg.svd(a, full_matrices=False)
        tol = np.maximum(atol[..., None], rtol[..., None] * s[..., :1])
        with np.errstate(divide="ignore"):
            inverted = np.where(s > tol, 1.0 / s, 0.0).astype(a.dtype)
        result = (_mT(vh) * inverted[..., None, :]) @ _mT(u)

    def backward(grads: Sequence[Maybe]) -> tuple[Maybe, ...]:
        (g,) = grads
        assert g is not None
        return (pinv_backward(g, result, a),)

    return (result,), backward


def pinv_backward(g: Array, p: Array, a: Array) -> Array:
    """The gradient through P = pinv(A) (see ``pinv``)."""
    p_t, g_t = _mT(p), _mT(g)
    grad = -(p_t @ g @ p_t)
    grad = grad + (g_t - a @ (p @ g_t)) @ (p @ p_t)
    grad = grad + (p_t @ p) @ (g_t - (g_t @ p) @ a)
    result: Array = grad.astype(a.dtype, copy=False)
    return result


def lstsq(a: Array, b: Array, vector: bool, rcond: float) -> Several:
    """X minimizing |A X - B| (B a vector when ``vector``), the minimum-norm solution
    (LAPACK's gelsd through NumPy), with the rank and singular values. Backward through
    X = pinv(A) B: gB = pinv(A)^T gX, gA = pinv's backward with gP = gX B^T."""
    rhs = b[..., None] if vector else b
    batch = np.broadcast_shapes(a.shape[:-2], rhs.shape[:-2])
    wide_a = np.broadcast_to(a, batch + a.shape[-2:])
    wide_b = np.broadcast_to(rhs, batch + rhs.shape[-2:])
    n = a.shape[-1]
    solution = np.empty(batch + (n, rhs.shape[-1]), dtype=a.dtype)
    ranks = np.empty(batch, dtype=np.int64)
    values = np.empty(batch + (min(a.shape[-2:]),), dtype=a.dtype)
    for index in np.ndindex(*batch):
        x, _, rank, s = np.linalg.lstsq(wide_a[index], wide_b[index], rcond=rcond)
        solution[index], ranks[index], values[index] = x, rank, s
    solution_out = solution[..., 0] if vector else solution

    def backward(grads: Sequence[Maybe]) -> tuple[Maybe, ...]:
        g = grads[0]
        if g is None:
            return None, None
        g_x = g[..., None] if vector else g
        p, _ = pinv(wide_a, np.zeros(batch, a.dtype), np.full(batch, rcond, a.dtype), False)
        pseudo = p[0]
        grad_b = _mT(pseudo) @ g_x
        grad_a = pinv_backward(g_x @ _mT(wide_b), pseudo, wide_a)
        grad_b = unbroadcast(grad_b[..., 0] if vector else grad_b, b.shape)
        return unbroadcast(grad_a, a.shape), grad_b

    return (solution_out, ranks, values), backward


def solve_triangular(a: Array, b: Array, upper: bool, left: bool, unit: bool) -> Several:
    """X with T X = B (X T = B when not ``left``), T the upper or lower triangle of A (its
    diagonal 1 when ``unit``). Backward: gB = T^-T gX (or gX T^-T), gA = -gB X^T (or
    -X^T gB) on T's triangle (off its diagonal when ``unit``), batch axes summed back."""
    triangle = np.triu(a) if upper else np.tril(a)
    if unit:
        triangle = triangle.copy()
        np.einsum("...ii->...i", triangle)[...] = 1
    if left:
        x = np.linalg.solve(triangle, b)
    else:
        x = _mT(np.linalg.solve(_mT(triangle), _mT(b)))

    def backward(grads: Sequence[Maybe]) -> tuple[Maybe, ...]:
        (g,) = grads
        assert g is not None
        if left:
            grad_b = np.linalg.solve(_mT(triangle), g)
            grad_a = -(grad_b @ _mT(x))
        else:
            grad_b = _mT(np.linalg.solve(triangle, _mT(g)))
            grad_a = -(_mT(x) @ grad_b)
        grad_a = np.triu(grad_a, 1 if unit else 0) if upper else np.tril(grad_a, -1 if unit else 0)
        return unbroadcast(grad_a, a.shape), unbroadcast(grad_b, b.shape)

    return (x.astype(np.result_type(a, b), copy=False),), backward


def lstsq_residuals(a: Array, b: Array, x: Array, vector: bool) -> Several:
    """The squared residual of each column, r = sum_rows (A X - B)^2, at the least-squares
    X. A^T (A X - B) = 0 there, so X's own change adds nothing: dr/dB = -2 (A X - B) g,
    dr/dA = 2 (A X - B) g X^T."""
    rhs = b[..., None] if vector else b
    solution = x[..., None] if vector else x
    misfit = a @ solution - rhs
    residuals = (misfit * misfit).sum(-2)

    def backward(grads: Sequence[Maybe]) -> tuple[Maybe, ...]:
        (g,) = grads
        assert g is not None
        weighted = 2 * misfit * g[..., None, :]
        grad_a = unbroadcast(weighted @ _mT(solution), a.shape)
        grad_b = -weighted
        return grad_a, unbroadcast(grad_b[..., 0] if vector else grad_b, b.shape)

    return (residuals[..., 0] if vector else residuals,), backward
