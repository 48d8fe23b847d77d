"""``torch.linalg``: the norms optimizers and clipping code call (``vector_norm``,
``matrix_norm``, ``norm``), as PyTorch defines them, over ``Tensor.norm`` (one
implementation of each norm)."""

from __future__ import annotations

from typing import Any

from ._namespace import _operand
from .tensor import Tensor


def vector_norm(
    x: Any, ord: Any = 2, dim: Any = None, keepdim: bool = False, *, dtype: Any = None
) -> Tensor:
    """The ``ord``-norm of ``x``'s elements (all of them, or along ``dim``), as a vector's.

    Examples
    --------
    >>> import nn
    >>> nn.linalg.vector_norm(nn.tensor([[3.0], [4.0]]))
    tensor(5.)
    """
    t = _operand(x, "linalg_vector_norm", "x")
    if dtype is not None:
        t = t.to(dtype)
    if dim is None:
        flat = t.reshape(-1)
        result = flat.norm(ord)
        return result.reshape((1,) * t.ndim) if keepdim else result
    return t.norm(ord, dim, keepdim)


def matrix_norm(
    A: Any, ord: Any = "fro", dim: tuple[int, int] = (-2, -1), keepdim: bool = False
) -> Tensor:
    """The Frobenius norm of each matrix of ``A`` (over ``dim``); other orders raise
    ``NotImplementedError``."""
    if ord != "fro":
        raise NotImplementedError(f"matrix_norm(ord={ord!r}) is not supported; only 'fro'")
    return _operand(A, "linalg_matrix_norm", "A").norm(2, dim, keepdim)


def norm(
    A: Any, ord: Any = None, dim: Any = None, keepdim: bool = False, *, dtype: Any = None
) -> Tensor:
    """``torch.linalg.norm``: a vector norm, or the Frobenius norm of a matrix."""
    t = _operand(A, "linalg_norm", "A")
    if ord in (None, "fro") and dim is None:
        return vector_norm(t, 2, None, keepdim, dtype=dtype)
    if isinstance(ord, str):
        return matrix_norm(t, ord, dim if dim is not None else (-2, -1), keepdim)
    return vector_norm(t, 2 if ord is None else ord, dim, keepdim, dtype=dtype)
