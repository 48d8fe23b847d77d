"""The embedding lookup on arrays (``nn.functional.embedding``)."""

from __future__ import annotations

import numpy as np

from . import Array, Grads, Rule


def embedding(
    weight: Array, indices: Array, padding_idx: int | None, scale_grad_by_freq: bool
) -> Rule:
    """The rows of ``weight`` at ``indices``; d/d(weight) adds each row's gradients into
    the row it came from (divided by how often the row was used with
    ``scale_grad_by_freq``), 0 for ``padding_idx``."""
    rows = weight.shape[0]

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
