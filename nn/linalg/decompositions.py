"""``torch.linalg``'s factorizations and what is built on them: ``eigh``, ``svd``,
``svdvals``, ``qr``, ``cholesky``, ``slogdet``, ``pinv``, ``lstsq``, ``matrix_rank``,
``cond``, ``solve_triangular``; and ``matrix_power``, ``multi_dot``, ``vecdot``,
``diagonal``, ``matmul`` made of Tensor ops. Rules in ``nn/rules/decompositions.py``.

Eigenvectors and singular vectors are unique up to sign, and NumPy's LAPACK may choose
other signs than PyTorch's (as PyTorch's own backends do): values, products such as
U diag(S) Vh, and gradients of sign-invariant losses agree.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import NamedTuple

import numpy as np

from .. import _dtype
from .._namespace.core import _operand
from ..autograd.function import record_several
from ..autograd.graph import node_type
from ..rules import decompositions as rules
from ..tensor import Tensor
from .solves_and_norms import LinAlgError, _matrices, inv, matrix_norm

LinalgEighBackward0 = node_type("LinalgEighBackward0")
LinalgSvdBackward0 = node_type("LinalgSvdBackward0")
LinalgQrBackward0 = node_type("LinalgQrBackward0")
LinalgCholeskyExBackward0 = node_type("LinalgCholeskyExBackward0")
LinalgSlogdetBackward0 = node_type("LinalgSlogdetBackward0")
LinalgPinvBackward0 = node_type("LinalgPinvBackward0")
LinalgLstsqBackward0 = node_type("LinalgLstsqBackward0")
LinalgSolveTriangularBackward0 = node_type("LinalgSolveTriangularBackward0")


class EighResult(NamedTuple):
    eigenvalues: Tensor
    eigenvectors: Tensor


class SvdResult(NamedTuple):
    U: Tensor
    S: Tensor
    Vh: Tensor


class QrResult(NamedTuple):
    Q: Tensor
    R: Tensor


class SlogdetResult(NamedTuple):
    sign: Tensor
    logabsdet: Tensor


class LstsqResult(NamedTuple):
    solution: Tensor
    residuals: Tensor
    rank: Tensor
    singular_values: Tensor


def _floating(A: object, op: str, square: bool = False, name: str = "A") -> Tensor:
    """``A`` checked as PyTorch's linalg checks it (``_matrices``); complex matrices are
    refused (these rules transpose where complex ones would conjugate)."""
    t = _matrices(A, op, name, square)
    if t.dtype.kind == "c":
        raise NotImplementedError(f"linalg.{op} of complex matrices is not implemented in descend")
    return t


def eigh(A: object, UPLO: str = "L") -> EighResult:
    """Eigenvalues (ascending) and eigenvectors (columns) of each symmetric matrix, read from
    its lower (``UPLO="L"``) or upper triangle: A = V diag(L) V^T.

    >>> import nn
    >>> nn.linalg.eigh(nn.tensor([[2.0, 0.0], [0.0, 1.0]])).eigenvalues
    tensor([1., 2.])
    """
    if UPLO not in ("L", "U"):
        raise RuntimeError(f"Expected UPLO argument to be 'L' or 'U', but got {UPLO}")
    t = _operand(A, "linalg_eigh", "A")
    if t.ndim >= 2 and t.shape[-1] == t.shape[-2] and t.dtype.kind != "f":
        if not t.numel():  # (PyTorch's kernel refuses integers, when it runs)
            empty = np.zeros(t.shape[:-1], t.dtype), np.zeros(t.shape, t.dtype)
            return EighResult(Tensor._make(empty[0]), Tensor._make(empty[1]))
        name = _dtype.torch_name(t.dtype)
        raise NotImplementedError(f"\"linalg_eigh_cpu\" not implemented for '{name}'")
    t = _floating(t, "eigh", square=True)
    outputs, backward = rules.eigh(t._data, UPLO == "L")
    values = outputs[0].astype(t.dtype, copy=False)
    return EighResult(
        *record_several((values, outputs[1]), (t,), backward, LinalgEighBackward0, (True, True))
    )


def svd(A: object, full_matrices: bool = True, *, driver: str | None = None) -> SvdResult:
    """A = U diag(S) Vh, S descending; with ``full_matrices`` U and Vh are square. The
    gradient reads the first min(m, n) columns of U and rows of Vh only.

    >>> import nn
    >>> nn.linalg.svd(nn.tensor([[3.0, 0.0], [0.0, -4.0]])).S
    tensor([4., 3.])
    """
    t = _floating(A, "svd")
    outputs, backward = rules.svd(t._data, full_matrices)
    return SvdResult(*record_several(outputs, (t,), backward, LinalgSvdBackward0, (True,) * 3))


def svdvals(A: object, *, driver: str | None = None) -> Tensor:
    """The singular values of each matrix, descending (differentiable: U diag(gS) Vh)."""
    t = _floating(A, "svd")
    outputs, backward = rules.svd(t._data, False)
    wanted = (False, True, False)
    return record_several(outputs, (t,), backward, LinalgSvdBackward0, wanted)[1]


def qr(A: object, mode: str = "reduced") -> QrResult:
    """A = Q R, Q with orthonormal columns, R upper triangular (Householder reflections, as
    PyTorch: the same signs); ``mode`` "reduced", "complete" or "r" (Q empty)."""
    if mode not in ("reduced", "complete", "r"):
        raise RuntimeError(
            f"qr received unrecognized mode '{mode}' but expected one of 'reduced' "
            "(default), 'r', or 'complete'"
        )
    t = _floating(A, "qr")
    outputs, backward = rules.qr(t._data, mode)
    return QrResult(
        *record_several(outputs, (t,), backward, LinalgQrBackward0, (mode != "r", True))
    )


def cholesky(A: object, *, upper: bool = False) -> Tensor:
    """L lower triangular with A = L L^T (U = L^T when ``upper``), from A's lower triangle;
    ``LinAlgError`` naming the leading minor that is not positive-definite."""
    t = _floating(A, "cholesky", square=True)
    try:
        outputs, backward = rules.cholesky(t._data, upper)
    except np.linalg.LinAlgError:
        raise _not_positive_definite(t._data) from None
    return record_several(outputs, (t,), backward, LinalgCholeskyExBackward0, (True,))[0]


def _not_positive_definite(a: np.ndarray) -> LinAlgError:
    """PyTorch's message: which batch element, and the order of the first leading minor
    that is not positive-definite."""
    matrices = a.reshape(-1, *a.shape[-2:])
    for number, matrix in enumerate(matrices):
        for order in range(1, matrix.shape[-1] + 1):
            try:
                np.linalg.cholesky(matrix[:order, :order])
            except np.linalg.LinAlgError:
                where = f"(Batch element {number}): " if a.ndim > 2 else ""
                return LinAlgError(
                    f"linalg.cholesky: {where}The factorization could not be completed "
                    "because the input is not positive-definite (the leading minor of order "
                    f"{order} is not positive-definite)."
                )
    return LinAlgError("linalg.cholesky: the input is not positive-definite.")


def slogdet(A: object) -> SlogdetResult:
    """(sign of det A, log |det A|): the log-determinant without overflow."""
    t = _floating(A, "slogdet", square=True)
    outputs, backward = rules.slogdet(t._data)
    kind = LinalgSlogdetBackward0
    return SlogdetResult(*record_several(outputs, (t,), backward, kind, (True, True), (t,)))


def _tolerances(
    t: Tensor, atol: object, rtol: object, rcond: object = None
) -> tuple[np.ndarray, np.ndarray]:
    """PyTorch's atol and rtol: rtol defaults to eps * max(m, n) when neither is given,
    to 0 when only atol is (``rcond`` is the old name of rtol)."""
    if rcond is not None:
        rtol = rcond
    batch = t.shape[:-2]
    eps = np.finfo(t.dtype).eps

    def value(x: object, default: float) -> np.ndarray:
        data = x._data if isinstance(x, Tensor) else np.asarray(default if x is None else x)
        values: np.ndarray = np.broadcast_to(np.asarray(data, dtype=t.dtype), batch).copy()
        return values

    default_rtol = eps * max(t.shape[-2:]) if atol is None else 0.0
    return value(atol, 0.0), value(rtol, default_rtol if rtol is None else 0.0)


def pinv(
    A: object,
    *,
    atol: object = None,
    rtol: object = None,
    hermitian: bool = False,
    rcond: object = None,
) -> Tensor:
    """The Moore-Penrose pseudo-inverse: singular values above max(atol, rtol * largest)
    inverted, the rest 0 (rtol defaults to eps * max(m, n))."""
    t = _operand(A, "linalg_pinv", "A")
    if t.ndim < 2 or t.dtype.kind != "f":
        shape = ", ".join(str(n) for n in t.shape)
        raise RuntimeError(
            f"linalg.pinv({_dtype.torch_name(t.dtype)}{{[{shape}]}}): expected a tensor with 2 "
            "or more dimensions of float, double, cfloat or cdouble types"
        )
    absolute, relative = _tolerances(t, atol, rtol, rcond)
    outputs, backward = rules.pinv(t._data, absolute, relative, hermitian)
    return record_several(outputs, (t,), backward, LinalgPinvBackward0, (True,), (t,))[0]


def lstsq(
    A: object, B: object, rcond: float | None = None, *, driver: str | None = None
) -> LstsqResult:
    """The least-squares solution X of A X = B (B a vector per matrix allowed), as
    ``torch.linalg.lstsq``: for full-rank A every driver's X; for rank-deficient A the
    minimum-norm X of "gelsd" and "gelss" (PyTorch's default on the CPU, "gelsy", and
    "gels" give other solutions there, which descend refuses to imitate). ``residuals``
    (squared, per column) when m > n, full rank and not "gelsy"; ``rank`` for all but
    "gels"; ``singular_values`` for "gelsd"/"gelss"."""
    chosen = "gelsy" if driver is None else driver
    if chosen not in ("gels", "gelsy", "gelsd", "gelss"):
        raise RuntimeError(
            "torch.linalg.lstsq: parameter `driver` should be one of (gels, gelsy, gelsd, gelss)"
        )
    a = _floating(A, "lstsq")
    b = _operand(B, "linalg_lstsq", "B", 2)
    if a.dtype != b.dtype:
        raise RuntimeError(
            f"torch.linalg.lstsq: Expected input and other to have the same dtype, but got "
            f"input's dtype {_dtype.torch_name(a.dtype)} and other's dtype "
            f"{_dtype.torch_name(b.dtype)}"
        )
    vector = b.ndim == a.ndim - 1
    rows = b.shape[-1] if vector else b.shape[-2]
    if rows != a.shape[-2]:
        raise RuntimeError("torch.linalg.lstsq: input.size(-2) should match other.size(-2)")
    eps = float(np.finfo(a.dtype).eps)
    cut = eps * max(a.shape[-2:]) if rcond is None else rcond
    outputs, backward = rules.lstsq(a._data, b._data, vector, cut)
    solution, ranks, values = outputs
    full = min(a.shape[-2:])
    if chosen in ("gels", "gelsy") and np.any(ranks < full):
        raise NotImplementedError(
            f"torch.linalg.lstsq with driver '{chosen}' of a rank-deficient matrix: LAPACK's "
            f"{chosen} returns a basic solution NumPy cannot reproduce; pass driver='gelsd' "
            "for the minimum-norm solution"
        )
    kind = LinalgLstsqBackward0
    solve_back = backward
    (x,) = record_several(
        (solution,), (a, b), lambda g: solve_back([g[0], None, None]), kind, (True,), (a, b)
    )
    empty = np.zeros(0, dtype=a.dtype)
    residuals = Tensor._make(empty)
    m, n = a.shape[-2:]
    if m > n and chosen != "gelsy" and np.all(ranks == full):  # (squared, per column)
        squares, residual_back = rules.lstsq_residuals(a._data, b._data, solution, vector)
        (residuals,) = record_several(
            squares, (a, b), residual_back, kind, (True,), (a, b), outputs_saved=False
        )
    rank = Tensor._make(np.zeros(0, np.int64) if chosen == "gels" else ranks)
    singular = Tensor._make(values if chosen in ("gelsd", "gelss") else empty)
    return LstsqResult(x, residuals, rank, singular)


def matrix_rank(
    A: object,
    *,
    atol: object = None,
    rtol: object = None,
    hermitian: bool = False,
    tol: object = None,
) -> Tensor:
    """The number of singular values (|eigenvalues| when ``hermitian``) above max(atol,
    rtol * largest), an int64 Tensor per matrix."""
    t = _operand(A, "linalg_matrix_rank", "A")
    if t.dtype.kind != "f":
        raise RuntimeError("This function doesn't handle types other than float and double")
    t = _floating(t, "matrix_rank")
    if tol is not None:
        atol, rtol = tol, 0.0
    absolute, relative = _tolerances(t, atol, rtol)
    if hermitian:
        values = np.abs(np.linalg.eigvalsh(t._data))
        largest = values.max(-1, keepdims=True) if values.size else values[..., :1]
    else:
        values = np.linalg.svd(t._data, compute_uv=False)
        largest = values[..., :1]
    threshold = np.maximum(absolute[..., None], relative[..., None] * largest)
    return Tensor._make(np.asarray((values > threshold).sum(-1), dtype=np.int64))


def cond(A: object, p: object = None) -> Tensor:
    """The condition number: largest over smallest singular value for p None or 2 (their
    inverse ratio for -2), else norm(A, p) norm(A^-1, p) of square A ("fro", "nuc", inf,
    -inf, 1, -1), as ``torch.linalg.cond``."""
    t = _operand(A, "linalg_cond", "A")
    if t.ndim >= 2 and not t.numel():  # (empty matrices: 0, as PyTorch)
        return Tensor._make(np.zeros(t.shape[:-2], dtype=t.dtype))
    t = _floating(t, "cond")
    if p is None or p in (2, -2):
        values = svdvals(t)
        ratio = values[..., 0] / values[..., -1]
        return ratio if p != -2 else values[..., -1] / values[..., 0]
    if p not in ("fro", "nuc", math.inf, -math.inf, 1, -1):
        raise RuntimeError(f"linalg.cond got an invalid norm type: {p}")
    t = _floating(t, "cond", square=True)
    return matrix_norm(t, p) * matrix_norm(inv(t), p)


def solve_triangular(
    A: object, B: object, *, upper: bool, left: bool = True, unitriangular: bool = False
) -> Tensor:
    """X with T X = B (X T = B when not ``left``), T the upper or lower triangle of A (with
    a unit diagonal when ``unitriangular``), batches broadcast."""
    a = _floating(A, "solve_triangular", square=True)
    b = _operand(B, "linalg_solve_triangular", "B", 2)
    if b.ndim < 2:
        raise RuntimeError(
            "linalg.solve_triangular: The input tensor B must have at least 2 dimensions."
        )
    if a.dtype != b.dtype:
        raise RuntimeError(
            "linalg.solve_triangular: Expected A and B to have the same dtype, but found A of "
            f"type {_dtype.torch_name(a.dtype)} and B of type {_dtype.torch_name(b.dtype)} "
            "instead"
        )
    outputs, backward = rules.solve_triangular(a._data, b._data, upper, left, unitriangular)
    kind = LinalgSolveTriangularBackward0
    return record_several(outputs, (a, b), backward, kind, (True,), (a,))[0]


def matrix_power(A: object, n: int) -> Tensor:
    """A^n by repeated squaring, as PyTorch multiplies (the identity for n = 0, powers of
    A^-1 for n < 0)."""
    t = _operand(A, "linalg_matrix_power", "A")
    if t.ndim < 2 or t.shape[-1] != t.shape[-2]:
        raise RuntimeError(
            "linalg.matrix_power: A must be batches of square matrices, but they are "
            f"{t.shape[-2] if t.ndim > 1 else t.shape[-1]} by {t.shape[-1]} matrices"
        )
    if n == 0:  # (the identity, its gradient 0)
        eye = np.broadcast_to(np.eye(t.shape[-1], dtype=t.dtype), t.shape)
        return t._ignored_beside(Tensor._make(eye.copy()))
    if n == 1:
        return t.clone()
    if n < 0:
        t, n = inv(t), -n
        if n == 1:  # (the inverse itself, as PyTorch)
            return t
    if n == 2:
        return t @ t
    if n == 3:
        return (t @ t) @ t
    result: Tensor | None = None
    square: Tensor | None = None
    while n > 0:
        bit, n = n % 2, n // 2
        square = t if square is None else square @ square
        if bit:
            result = square if result is None else result @ square
    assert result is not None
    return result


def multi_dot(tensors: Sequence[Tensor]) -> Tensor:
    """The product of matrices in the order of fewest multiplications (a 1-D first or last
    Tensor is a row or column vector), as ``torch.linalg.multi_dot``."""
    if len(tensors) < 2:
        raise RuntimeError(f"multi_dot(): expected at least 2 tensors but got {len(tensors)}")
    parts = [_operand(t, "linalg_multi_dot", "tensors") for t in tensors]
    first_vector, last_vector = parts[0].ndim == 1, parts[-1].ndim == 1
    if first_vector:
        parts[0] = parts[0].unsqueeze(0)
    if last_vector:
        parts[-1] = parts[-1].unsqueeze(-1)
    for number, part in enumerate(parts):
        if part.ndim != 2:
            raise RuntimeError(f"multi_dot(): tensor {number} must be 2D but got {part.ndim}D")
    sizes = [parts[0].shape[0], *(p.shape[1] for p in parts)]
    result = _chain(parts, _order(sizes), 0, len(parts) - 1)
    if first_vector:
        result = result.squeeze(0)
    if last_vector:
        result = result.squeeze(-1)
    return result


def _order(sizes: list[int]) -> list[list[int]]:
    """The cheapest split of each chain i..j (matrix-chain dynamic programming)."""
    count = len(sizes) - 1
    cost = [[0] * count for _ in range(count)]
    split = [[0] * count for _ in range(count)]
    for length in range(1, count):
        for i in range(count - length):
            j = i + length
            cost[i][j] = -1
            for k in range(i, j):
                c = cost[i][k] + cost[k + 1][j] + sizes[i] * sizes[k + 1] * sizes[j + 1]
                if cost[i][j] == -1 or c < cost[i][j]:
                    cost[i][j], split[i][j] = c, k
    return split


def _chain(parts: list[Tensor], split: list[list[int]], i: int, j: int) -> Tensor:
    if i == j:
        return parts[i]
    k = split[i][j]
    return _chain(parts, split, i, k).mm(_chain(parts, split, k + 1, j))


def vecdot(x: object, y: object, *, dim: int = -1) -> Tensor:
    """sum(x * y) along ``dim`` (broadcast), as ``torch.linalg.vecdot`` of real Tensors."""
    a, b = _operand(x, "linalg_vecdot", "x"), _operand(y, "linalg_vecdot", "y", 2)
    if a.dtype.kind != "f":
        raise RuntimeError(
            "linalg.vecdot: Expected a floating point or complex tensor as input. Got "
            f"{_dtype.torch_name(a.dtype)}"
        )
    return (a * b).sum(dim)


def diagonal(A: object, *, offset: int = 0, dim1: int = -2, dim2: int = -1) -> Tensor:
    """The diagonal of each matrix (a view), as ``torch.linalg.diagonal``."""
    return _operand(A, "linalg_diagonal", "A").diagonal(offset, dim1, dim2)


def matmul(input: object, other: object, *, out: Tensor | None = None) -> Tensor:
    """``input @ other``, as ``torch.linalg.matmul``."""
    from .._namespace.elementwise import matmul as product

    result: Tensor = product(input, other, out=out)
    return result
