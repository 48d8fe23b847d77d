"""``torch.linalg``: the norms optimizers and clipping code call (``vector_norm``,
``matrix_norm``, ``norm``), as PyTorch defines them, over ``Tensor.norm`` (one
implementation of each norm); and what teaching code of second-order methods and
conditioning calls: ``inv``, ``det``, ``solve``, ``eigvalsh`` (rules in
``nn/rules/linalg.py``, LAPACK through NumPy)."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .. import _dtype
from .._args.out import into
from .._memory_format import memory_order
from .._namespace.core import _operand
from ..autograd.graph import Node, node_type
from ..rules import Backward
from ..rules import linalg as linalg_rules
from ..tensor import Tensor
from ..types import Dim, DTypeLike, InputLike, Number, TensorLike

LinalgInvExBackward0 = node_type("LinalgInvExBackward0")
LinalgDetBackward0 = node_type("LinalgDetBackward0")
LinalgSolveExBackward0 = node_type("LinalgSolveExBackward0")
LinalgEighBackward0 = node_type("LinalgEighBackward0")


class LinAlgError(RuntimeError):
    """A matrix the operation cannot handle (singular, not positive definite), as
    ``torch.linalg.LinAlgError`` (a ``RuntimeError``)."""


def _matrices(A: object, op: str, name: str = "A", square: bool = True) -> Tensor:
    """``A`` checked as PyTorch checks it: a float Tensor of (square) matrices."""
    t = _operand(A, f"linalg_{op}", name)
    if t.ndim < 2:
        raise RuntimeError(f"linalg.{op}: The input tensor {name} must have at least 2 dimensions.")
    if t.dtype.kind not in "fc":
        raise RuntimeError(
            f"linalg.{op}: Expected a floating point or complex tensor as input. Got "
            f"{_dtype.torch_name(t.dtype).capitalize()}"
        )
    if square and t.shape[-1] != t.shape[-2]:
        raise RuntimeError(
            f"linalg.{op}: {name} must be batches of square matrices, but they are "
            f"{t.shape[-2]} by {t.shape[-1]} matrices"
        )
    return t


def _recorded(
    result: np.ndarray,
    inputs: tuple[Tensor, ...],
    backward: Backward,
    kind: type[Node],
    saved: tuple[Tensor, ...],
    out: Tensor | None,
    name: str,
) -> Tensor:
    """A decomposition's result in its first input's dtype, recorded (its backward reads the
    result and ``saved``), and written into ``out`` when given."""
    dtype = inputs[0]._data.dtype
    recorded = Tensor._record(
        result.astype(dtype, copy=False), inputs, backward, kind, saved, result=True
    )
    return into(out, recorded, name)


def inv(A: object, *, out: Tensor | None = None) -> Tensor:
    """The inverse of each square matrix of ``A``; a singular one raises ``LinAlgError``.

    >>> import nn
    >>> nn.linalg.inv(nn.tensor([[2.0, 0.0], [0.0, 4.0]]))
    tensor([[0.5000, 0.0000],
            [0.0000, 0.2500]])
    """
    t = _matrices(A, "inv")
    try:
        result, backward = linalg_rules.inv(t._data)
    except np.linalg.LinAlgError:
        raise LinAlgError(
            "linalg.inv: the input matrix is singular, the inversion could not be completed"
        ) from None
    return _recorded(result, (t,), backward, LinalgInvExBackward0, (), out, "linalg_inv")


def det(A: object, *, out: Tensor | None = None) -> Tensor:
    """The determinant of each square matrix of ``A``; its gradient is the cofactor matrix
    (for singular matrices too).

    >>> import nn
    >>> nn.linalg.det(nn.tensor([[2.0, 1.0], [1.0, 3.0]]))
    tensor(5.)
    """
    t = _matrices(A, "det")
    result, backward = linalg_rules.det(t._data)
    return _recorded(result, (t,), backward, LinalgDetBackward0, (t,), out, "linalg_det")


def solve(A: object, B: Any, *, left: bool = True, out: Tensor | None = None) -> Tensor:
    """X with A X = B for each square matrix of ``A`` (``B`` a vector per matrix when it
    has one dimension fewer than ``A`` and its shape is A's without the last side, or is
    1-D); a singular ``A`` raises ``LinAlgError``.

    >>> import nn
    >>> nn.linalg.solve(nn.tensor([[2.0, 0.0], [0.0, 4.0]]), nn.tensor([1.0, 1.0]))
    tensor([0.5000, 0.2500])
    """
    if not left:
        raise NotImplementedError("linalg.solve(left=False) is not implemented in descend")
    a = _matrices(A, "solve")
    b = _operand(B, "linalg_solve", "B")
    if a.dtype != b.dtype:
        raise RuntimeError(
            f"linalg.solve: Expected A and B to have the same dtype, but found A of type "
            f"{_dtype.torch_name(a.dtype).capitalize()} and B of type "
            f"{_dtype.torch_name(b.dtype).capitalize()} instead"
        )
    vector = b.ndim == 1 or (b.ndim == a.ndim - 1 and tuple(b.shape) == tuple(a.shape[:-1]))
    rows = b.shape[0] if b.ndim == 1 else (b.shape[-1] if vector else b.shape[-2])
    if b.ndim == 0 or rows != a.shape[-1]:
        columns = 1 if vector or b.ndim == 0 else b.shape[-1]
        raise RuntimeError(
            "linalg.solve: Incompatible shapes of A and B for the equation AX = B "
            f"({a.shape[-2]}x{a.shape[-1]} and {rows if b.ndim else 0}x{columns})"
        )
    try:
        result, backward = linalg_rules.solve(
            a._data, b._data, vector, a.requires_grad, b.requires_grad
        )
    except np.linalg.LinAlgError:
        raise LinAlgError(
            "torch.linalg.solve: The solver failed because the input matrix is singular."
        ) from None
    kind = LinalgSolveExBackward0
    return _recorded(result, (a, b), backward, kind, (a,), out, "linalg_solve")


def eigvalsh(A: Any, UPLO: str = "L", *, out: Tensor | None = None) -> Tensor:
    """The eigenvalues, ascending, of each symmetric matrix of ``A``, read from its lower
    (``UPLO="L"``) or upper triangle.

    >>> import nn
    >>> nn.linalg.eigvalsh(nn.tensor([[2.0, 1.0], [1.0, 2.0]]))
    tensor([1., 3.])
    """
    if UPLO not in ("L", "U"):
        raise RuntimeError(f"Expected UPLO argument to be 'L' or 'U', but got {UPLO}")
    t = _operand(A, "linalg_eigvalsh", "A")
    if t.ndim >= 2 and t.shape[-1] == t.shape[-2] and t.dtype.kind not in "fc":
        if not t.numel():  # (PyTorch's kernel refuses integers, when it runs)
            return into(out, Tensor._make(np.zeros(t.shape[:-1], dtype=t.dtype)), "linalg_eigvalsh")
        name = _dtype.torch_name(t.dtype).capitalize()
        raise NotImplementedError(f"\"linalg_eigh_cpu\" not implemented for '{name}'")
    t = _matrices(t, "eigh")
    result, backward = linalg_rules.eigvalsh(t._data, UPLO == "L")
    kind = LinalgEighBackward0
    return _recorded(result, (t,), backward, kind, (), out, "linalg_eigvalsh")


def vector_norm(
    x: Any,
    ord: object = 2,
    dim: Dim | None = None,
    keepdim: bool = False,
    *,
    dtype: DTypeLike | None = None,
) -> Tensor:
    """The ``ord``-norm of ``x``'s elements (all of them, or along ``dim``), as a vector's.

    Examples
    --------
    >>> import nn
    >>> nn.linalg.vector_norm(nn.tensor([[3.0], [4.0]]))
    tensor(5.)
    """
    t = _operand(x, "linalg_vector_norm", "x")
    if isinstance(ord, str) or ord is None:
        raise TypeError(
            f"linalg_vector_norm(): argument 'ord' must be Number, not {type(ord).__name__}"
        )
    if dtype is not None:
        t = t.to(dtype)
    if dim is None:
        # (flattened in memory order: a view where one exists, so that backward checks the
        # version of t itself, as PyTorch's, not of a private copy)
        in_memory = t.permute(memory_order(t.shape, t._data.strides))
        result = (in_memory if in_memory.is_contiguous() else t).reshape(-1).norm(ord)
        return result.reshape((1,) * t.ndim) if keepdim else result
    return t.norm(ord, dim, keepdim)


def matrix_norm(
    A: Any,
    ord: object = "fro",
    dim: Dim = (-2, -1),
    keepdim: bool = False,
    *,
    dtype: DTypeLike | None = None,
) -> Tensor:
    """A norm of each matrix of ``A`` over the two dims ``dim``: "fro" (the root of the sum
    of squares), 1 / -1 (the largest / smallest column sum of |a_ij|), inf / -inf (the same
    of row sums), 2 / -2 (the largest / smallest singular value), "nuc" (their sum), as
    ``torch.linalg.matrix_norm``.

    Examples
    --------
    >>> import nn
    >>> nn.linalg.matrix_norm(nn.tensor([[1.0, 2.0], [3.0, 4.0]]), ord=1)
    tensor(6.)
    """
    t = _operand(A, "linalg_matrix_norm", "A")
    if dtype is not None:
        t = t.to(dtype)
    if t.ndim < 2:
        raise RuntimeError(
            "linalg.matrix_norm: The input tensor A must have at least 2 dimensions."
        )
    if not isinstance(dim, tuple | list) or len(dim) != 2:
        raise RuntimeError(f"linalg.matrix_norm: dim must be a 2-tuple. Got {dim}")
    first, second = (int(d) % t.ndim for d in dim)
    if first == second:
        raise RuntimeError(f"linalg.matrix_norm: dims must be different. Got ({dim[0]}, {dim[1]})")
    if ord == "fro":
        return t.norm(2, (first, second), keepdim)
    if ord in ("nuc", 2, -2):  # (from the singular values, as PyTorch)
        from .decompositions import svdvals  # (they build on this module: imported late)

        values = svdvals(t.movedim((first, second), (-2, -1)))
        if ord == 2 and not values.shape[-1]:  # (of no values: 0, outside the graph)
            reduced = Tensor._make(np.zeros(values.shape[:-1], dtype=t.dtype))
        elif ord == "nuc":
            reduced = values.sum(-1)
        else:
            reduced = values.amax(-1) if ord == 2 else values.amin(-1)
        return (
            reduced.unsqueeze(min(first, second)).unsqueeze(max(first, second))
            if keepdim
            else reduced
        )
    if ord not in (1, -1, math.inf, -math.inf):
        raise RuntimeError(f"linalg.matrix_norm: Order {ord} not supported.")
    summed, extreme = (first, second) if abs(ord) == 1 else (second, first)
    sums = t.norm(1, summed, keepdim=True)  # (PyTorch's: a 1-norm, then the max or min)
    if sums.shape[extreme] == 0:  # (the largest of no sums is 0; the smallest, undefined)
        if ord < 0:
            raise IndexError(f"amin(): Expected reduction dim {extreme} to have non-zero size.")
        shape = list(sums.shape)
        shape[extreme] = 1
        result = Tensor._make(np.zeros(shape, dtype=t.dtype))
    else:
        result = sums.amax(extreme, keepdim=True) if ord > 0 else sums.amin(extreme, keepdim=True)
    return result if keepdim else result.squeeze((first, second))


def cross(
    input: InputLike, other: TensorLike | Number, *, dim: int = -1, out: Tensor | None = None
) -> Tensor:
    """The cross product of the 3-vectors along ``dim`` (the last by default), as
    ``torch.linalg.cross`` (``Tensor.cross`` takes the first dimension of size 3)."""
    first = _operand(input, "linalg_cross")
    return into(out, first.cross(_operand(other, "linalg_cross", "other", 2), dim), "linalg_cross")


def norm(
    A: Any,
    ord: object = None,
    dim: Dim | None = None,
    keepdim: bool = False,
    *,
    dtype: DTypeLike | None = None,
) -> Tensor:
    """``torch.linalg.norm``: with ``dim`` None, the 2-norm of every element when ``ord`` is
    None, else a vector norm of a 1-D Tensor or a matrix norm of a 2-D one; with one dim, a
    vector norm; with two, a matrix norm (see ``matrix_norm``).

    Examples
    --------
    >>> import nn
    >>> nn.linalg.norm(nn.tensor([[1.0, 2.0], [3.0, 4.0]]), ord=float("inf"))
    tensor(7.)
    """
    t = _operand(A, "linalg_norm", "A")
    if dtype is not None:
        t = t.to(dtype)
    if dim is None:
        if ord is None:
            return vector_norm(t, 2, None, keepdim)
        if t.ndim not in (1, 2):
            raise RuntimeError(
                "linalg.norm: If dim is not specified but ord is, the input must be 1D or 2D. "
                f"Got {t.ndim}D."
            )
        dim = tuple(range(t.ndim))
    dims = (dim,) if isinstance(dim, int) else tuple(dim)
    if len(dims) == 2:
        return matrix_norm(t, "fro" if ord is None else ord, dims, keepdim)
    if isinstance(ord, str):
        raise RuntimeError(f"linalg.vector_norm: Order {ord} not supported.")
    return vector_norm(t, 2 if ord is None else ord, dims, keepdim)
