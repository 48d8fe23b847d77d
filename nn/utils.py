"""Gradient clipping and flattening parameters to one vector, as ``torch.nn.utils``."""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

import numpy as np

from .tensor import Tensor

__all__ = ["clip_grad_norm_", "clip_grad_value_", "parameters_to_vector", "vector_to_parameters"]


def _as_list(parameters: Tensor | Iterable[Tensor]) -> list[Tensor]:
    if isinstance(parameters, Tensor):
        return [parameters]
    if isinstance(parameters, set):
        raise TypeError("parameters must be an ordered iterable (a list or a generator), got a set")
    params = list(parameters)
    for index, param in enumerate(params):
        if not isinstance(param, Tensor):
            raise TypeError(f"parameters[{index}] is a {type(param).__name__}, expected a Tensor")
    return params


def clip_grad_norm_(
    parameters: Tensor | Iterable[Tensor],
    max_norm: float,
    norm_type: float = 2.0,
    error_if_nonfinite: bool = False,
) -> Tensor:
    """Scale all gradients together so that their joint norm is at most ``max_norm``.

    total = ||(||g_1||, ..., ||g_k||)||_p over the parameters with a gradient;
    every g is multiplied by min(1, max_norm / (total + 1e-6)). Returns ``total``.

    Examples
    --------
    >>> import numpy as np, nn
    >>> p = nn.Parameter(np.zeros(2)); p.grad = np.array([3.0, 4.0])
    >>> float(nn.utils.clip_grad_norm_([p], 1.0)), np.round(p.grad, 3)
    (5.0, array([0.6, 0.8]))
    """
    grads = [p.grad for p in _as_list(parameters) if p.grad is not None]
    if (not math.isfinite(max_norm) and max_norm != math.inf) or max_norm < 0:
        raise ValueError(f"max_norm must be a non-negative number, got {max_norm}")
    norm_type = float(norm_type)
    if not grads:
        return Tensor(0.0)
    dtype = np.result_type(*grads)
    if norm_type == math.inf:
        norms = [np.max(np.abs(g)) if g.size else dtype.type(0) for g in grads]
        total = np.max(np.asarray(norms, dtype=dtype))
    else:
        norms = [np.linalg.norm(g.ravel(), ord=norm_type) for g in grads]
        total = np.linalg.norm(np.asarray(norms, dtype=dtype), ord=norm_type)
    total = dtype.type(total)
    if error_if_nonfinite and not np.isfinite(total):
        raise RuntimeError(
            f"The total norm of order {norm_type} for gradients from `parameters` is non-finite, "
            "so it cannot be clipped. To disable this error and scale the gradients by the "
            "non-finite norm anyway, set `error_if_nonfinite=False`"
        )
    coefficient = min(1.0, float(max_norm) / (float(total) + 1e-6))
    for g in grads:
        g *= g.dtype.type(coefficient)
    return Tensor._wrap(np.asarray(total))


def clip_grad_value_(parameters: Tensor | Iterable[Tensor], clip_value: float) -> None:
    """Clip every gradient element to [-clip_value, clip_value] in place.

    Examples
    --------
    >>> import numpy as np, nn
    >>> p = nn.Parameter(np.zeros(3)); p.grad = np.array([-5.0, 0.5, 5.0])
    >>> nn.utils.clip_grad_value_([p], 1.0); p.grad
    array([-1. ,  0.5,  1. ])
    """
    if not clip_value >= 0:
        raise ValueError(f"clip_value must be non-negative, got {clip_value}")
    for param in _as_list(parameters):
        if param.grad is not None:
            np.clip(param.grad, -clip_value, clip_value, out=param.grad)


def parameters_to_vector(parameters: Iterable[Tensor]) -> Tensor:
    """All parameters flattened and concatenated into one 1-D Tensor (a copy).

    Examples
    --------
    >>> import nn
    >>> nn.utils.parameters_to_vector(nn.Linear(3, 2).parameters()).shape
    (8,)
    """
    params = _as_list(parameters)
    if not params:
        raise ValueError("parameters_to_vector needs at least one parameter")
    return Tensor._wrap(np.concatenate([p.data.ravel() for p in params]))


def vector_to_parameters(vec: Any, parameters: Iterable[Tensor]) -> None:
    """Copy consecutive slices of the 1-D ``vec`` into the parameters, in place.

    Examples
    --------
    >>> import numpy as np, nn
    >>> layer = nn.Linear(1, 1)
    >>> nn.utils.vector_to_parameters(nn.tensor(np.array([2.0, 3.0])), layer.parameters())
    >>> layer.weight.data, layer.bias.data
    (array([[2.]], dtype=float32), array([3.], dtype=float32))
    """
    if not isinstance(vec, Tensor):
        raise TypeError(f"expected a Tensor, but got: {type(vec).__name__}")
    params = _as_list(parameters)
    needed = sum(p.data.size for p in params)
    if vec.ndim != 1 or vec.data.size != needed:
        raise RuntimeError(
            f"vector_to_parameters: the parameters hold {needed} numbers, "
            f"got a vector of shape {vec.shape}"
        )
    offset = 0
    for param in params:
        size = param.data.size
        param.data[...] = vec.data[offset : offset + size].reshape(param.shape)
        offset += size
