"""The embedding lookup on arrays (``nn.functional.embedding``)."""

from __future__ import annotations

import numpy as np

from . import Array, Grads, Rule


def rows_checked(indices: Array, rows: int) -> Array:
    """``indices`` as int64, each a row of ``rows``, else PyTorch's ``IndexError`` (a
    negative index too: NumPy would wrap it)."""
    if indices.size and (indices.min() < 0 or indices.max() >= rows):
        raise IndexError("index out of range in self")
    return indices.astype(np.int64, copy=False)


def embedding(
    weight: Array, indices: Array, padding_idx: int | None, scale_grad_by_freq: bool
) -> Rule:
    """The rows of ``weight`` at ``indices``; d/d(weight) adds each row's gradients into
    the row it came from (divided by how often the row was used with
    ``scale_grad_by_freq``), 0 for ``padding_idx``. An index outside the rows (a negative
    one too: NumPy would wrap it) raises PyTorch's ``IndexError``, here in the rule, so a
    replayed lookup (``nn.compile``) checks each new batch."""
    rows = weight.shape[0]
    indices = rows_checked(indices, rows)

    def backward(g: Array) -> Grads:
        flat, grads = indices.reshape(-1), g.reshape(-1, weight.shape[1])
        if scale_grad_by_freq:
            counts = np.bincount(flat, minlength=rows)
            grads = grads / counts[flat, None]
        grad = np.zeros_like(weight)
        np.add.at(grad, flat, grads)
        if padding_idx is not None:
            grad[padding_idx] = 0
        return (grad,)

    return weight[indices], backward
