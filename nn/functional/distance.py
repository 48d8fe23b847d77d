"""Distances between Tensors as functions: ``cosine_similarity`` (x . y / max(|x| |y|,
eps) along ``dim``), made of Tensor ops, so its gradient is theirs."""

from __future__ import annotations

from .._args.inputs import as_input
from ..tensor import Tensor


def cosine_similarity(x1: object, x2: object, dim: int = 1, eps: float = 1e-8) -> Tensor:
    """sum(x1 * x2) / (max(||x1||, eps) max(||x2||, eps)) along ``dim`` (broadcast), as
    PyTorch computes it: each input divided by its own clamped norm, then the products summed.

    Examples
    --------
    >>> import nn
    >>> a, b = nn.tensor([[1.0, 0.0], [1.0, 1.0]]), nn.tensor([[2.0, 0.0], [-1.0, 1.0]])
    >>> nn.F.cosine_similarity(a, b)
    tensor([1., 0.])
    """
    a, b = as_input(x1), as_input(x2)
    a_unit = a / a.norm(2, dim, keepdim=True).clamp(min=eps)
    b_unit = b / b.norm(2, dim, keepdim=True).clamp(min=eps)
    return (a_unit * b_unit).sum(dim)
