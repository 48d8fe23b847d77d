"""The scatter rule (``scatter``, ``scatter_add`` and their reductions), for
``nn/tensor/scatter.py``."""

from __future__ import annotations

from typing import Any

import numpy as np

from . import Array, Grads, Rule


def scatter(
    x: Array, axis: int, index: Array, src: Array, add: bool, need_x: bool, need_src: bool
) -> Rule:
    """``out = x`` with ``out[i][index[i][j]] = src[i][j]`` along ``axis`` (added instead
    when ``add``); ``src`` is read on ``index``'s shape from its start (a 0-d ``src`` is one
    value). d/dx = g, 0 where written over unless ``add``; d/dsrc = g at the positions."""
    idx: list[Any] = list(np.indices(index.shape, sparse=True))
    idx[axis] = index
    positions = tuple(idx)
    read = tuple(slice(0, n) for n in index.shape)
    values = src[read] if src.ndim else np.broadcast_to(src, index.shape)
    out = x.copy()
    if add:
        np.add.at(out, positions, values)
    else:
        out[positions] = values

    def backward(g: Array) -> Grads:
        grad_x = grad_src = None
        if need_x:
            grad_x = g.copy()
            if not add:
                grad_x[positions] = 0
        if need_src:
            grad_src = np.zeros(src.shape, dtype=g.dtype)
            grad_src[read] = g[positions]
        return grad_x, grad_src

    return out, backward
