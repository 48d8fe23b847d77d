"""Gradient clipping and flattening parameters to one vector, as ``torch.nn.utils``; padding
sequences into a batch (``nn.utils.rnn``); and the opt-in Linear+ReLU fusion
(``fuse_linear_relu``, in ``nn/modules/fusion.py``)."""

from __future__ import annotations

import math
import warnings
from collections.abc import Iterable
from typing import Any

import numpy as np

from .._namespace.joining import cat
from ..random import generator_state, set_generator_state
from ..rules._quiet import quiet
from ..tensor import Tensor, tensor
from ..types import InputLike
from . import rnn

__all__ = [
    "clip_grad_norm",
    "clip_grad_norm_",
    "clip_grad_value_",
    "parameters_to_vector",
    "rnn",
    "vector_to_parameters",
]


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
    foreach: bool | None = None,
) -> Tensor:
    """Scale all gradients together so that their joint norm is at most ``max_norm``.

    total = ||(||g_1||, ..., ||g_k||)||_p over the parameters with a gradient; every g is
    multiplied by min(1, max_norm / (total + 1e-6)), computed in the gradients' dtype as
    PyTorch does: a NaN or infinite total turns the gradients to NaN (or 0) rather than
    letting them through unclipped; ``error_if_nonfinite=True`` raises instead. Returns
    ``total``.

    Examples
    --------
    >>> import numpy as np, nn
    >>> p = nn.Parameter(np.zeros(2)); p.grad = nn.tensor([3.0, 4.0], dtype=nn.float64)
    >>> nn.utils.clip_grad_norm_([p], 1.0), p.grad.round(decimals=4)
    (tensor(5., dtype=float64), tensor([0.6000, 0.8000], dtype=float64))
    """
    if not max_norm >= 0:
        raise ValueError(f"max_norm must be a non-negative number, got {max_norm}")
    params = _as_list(parameters)  # once: model.parameters() is a generator
    grads = [p._grad for p in params if p._grad is not None]
    if not grads:
        return tensor(0.0)
    total = get_total_norm(grads, norm_type, error_if_nonfinite)
    clip_grads_with_norm_(params, max_norm, total)
    return total


def get_total_norm(
    tensors: Tensor | Iterable[Tensor],
    norm_type: float = 2.0,
    error_if_nonfinite: bool = False,
    foreach: bool | None = None,
) -> Tensor:
    """The ``norm_type`` norm of the norms of ``tensors`` (all their elements as one vector),
    in their dtype, as ``torch.nn.utils.get_total_norm``.

    Examples
    --------
    >>> import nn
    >>> nn.utils.get_total_norm([nn.tensor([3.0]), nn.tensor([4.0])])
    tensor(5.)
    """
    arrays = [t._data for t in _as_list(tensors)]
    norm_type = float(norm_type)
    if not arrays:
        return tensor(0.0)
    dtype = np.result_type(*arrays)
    norms = np.array([_vector_norm(a, norm_type) for a in arrays], dtype=dtype)
    total = dtype.type(_vector_norm(norms, norm_type))
    if error_if_nonfinite and not np.isfinite(total):
        raise RuntimeError(
            f"The total norm of order {norm_type} for gradients from `parameters` is non-finite, "
            "so it cannot be clipped. To disable this error and scale the gradients by the "
            "non-finite norm anyway, set `error_if_nonfinite=False`"
        )
    return Tensor._make(np.asarray(total))


def clip_grads_with_norm_(
    parameters: Tensor | Iterable[Tensor],
    max_norm: float,
    total_norm: object,
    foreach: bool | None = None,
) -> None:
    """Multiply every gradient by min(1, max_norm / (total_norm + 1e-6)), in the gradients'
    dtype, as ``torch.nn.utils.clip_grads_with_norm_`` (``total_norm`` from
    ``get_total_norm``; a NaN or infinite one turns the gradients to NaN or 0).

    Examples
    --------
    >>> import numpy as np, nn
    >>> p = nn.Parameter(np.zeros(2)); p.grad = nn.tensor([3.0, 4.0], dtype=nn.float64)
    >>> nn.utils.clip_grads_with_norm_([p], 1.0, nn.tensor(5.0, dtype=nn.float64)); p.grad
    tensor([0.6000, 0.8000], dtype=float64)
    """
    grads = [p._grad._data for p in _as_list(parameters) if p._grad is not None]
    if not grads:
        return
    total = np.asarray(getattr(total_norm, "_data", total_norm))
    dtype = total.dtype if total.dtype.kind == "f" else np.result_type(*grads)
    with quiet():
        coefficient = np.minimum(
            dtype.type(max_norm) / (total.astype(dtype) + dtype.type(1e-6)), 1.0
        )
    for g in grads:
        g *= coefficient.astype(g.dtype)


def _vector_norm(x: np.ndarray, order: float) -> Any:
    """The p-norm of all of ``x``'s elements, in its dtype (``torch.linalg.vector_norm``)."""
    a = np.abs(x.reshape(-1))
    if order == math.inf:
        return a.max() if a.size else x.dtype.type(0)
    if order == -math.inf:
        return a.min()
    if order == 0:
        return x.dtype.type(np.count_nonzero(a))
    if order == 1:
        return a.sum()
    if order == 2:
        return np.sqrt(np.dot(a, a))
    return np.sum(a**order) ** (1.0 / order)


def clip_grad_norm(
    parameters: Tensor | Iterable[Tensor],
    max_norm: float,
    norm_type: float = 2.0,
    error_if_nonfinite: bool = False,
    foreach: bool | None = None,
) -> Tensor:
    """Deprecated: ``clip_grad_norm_`` (old course code's name), with PyTorch's warning."""
    warnings.warn(
        "`torch.nn.utils.clip_grad_norm` is now deprecated in favor of "
        "`torch.nn.utils.clip_grad_norm_`.",
        FutureWarning,
        stacklevel=2,
    )
    return clip_grad_norm_(parameters, max_norm, norm_type, error_if_nonfinite, foreach)


def clip_grad_value_(
    parameters: Tensor | Iterable[Tensor], clip_value: float, foreach: bool | None = None
) -> None:
    """Clip every gradient element to [-clip_value, clip_value] in place.

    Examples
    --------
    >>> import numpy as np, nn
    >>> p = nn.Parameter(np.zeros(3)); p.grad = nn.tensor([-5.0, 0.5, 5.0], dtype=nn.float64)
    >>> nn.utils.clip_grad_value_([p], 1.0); p.grad
    tensor([-1.0000,  0.5000,  1.0000], dtype=float64)
    """
    if not clip_value >= 0:
        raise ValueError(f"clip_value must be non-negative, got {clip_value}")
    for param in _as_list(parameters):
        if param._grad is not None:
            g = param._grad._data
            np.clip(g, -clip_value, clip_value, out=g)


def parameters_to_vector(parameters: Iterable[Tensor]) -> Tensor:
    """All parameters flattened and concatenated into one 1-D Tensor (a copy that keeps
    the graph, as PyTorch's: a penalty on it reaches every parameter's gradient).

    Examples
    --------
    >>> import nn
    >>> nn.utils.parameters_to_vector(nn.Linear(3, 2).parameters()).shape
    (8,)
    """
    params = _as_list(parameters)
    if not params:
        raise ValueError("parameters_to_vector needs at least one parameter")
    return cat([p.reshape(-1) for p in params])


def vector_to_parameters(vec: InputLike, parameters: Iterable[Tensor]) -> None:
    """Copy consecutive slices of the 1-D ``vec`` into the parameters, in place.

    Examples
    --------
    >>> import numpy as np, nn
    >>> layer = nn.Linear(1, 1)
    >>> nn.utils.vector_to_parameters(nn.tensor(np.array([2.0, 3.0])), layer.parameters())
    >>> layer.weight.tolist(), layer.bias.tolist()
    ([[2.0]], [3.0])
    """
    if not isinstance(vec, Tensor):
        raise TypeError(f"expected a Tensor, but got: {type(vec).__name__}")
    params = _as_list(parameters)
    needed = sum(p._data.size for p in params)
    if vec.ndim != 1 or vec._data.size != needed:
        raise RuntimeError(
            f"vector_to_parameters: the parameters hold {needed} numbers, "
            f"got a vector of shape {vec.shape}"
        )
    offset = 0
    for param in params:
        size = param._data.size
        param._data[...] = vec._data[offset : offset + size].reshape(param.shape)
        param._vc[0] += 1
        offset += size


def generator_states(module: object) -> dict[str, dict[str, Any]]:
    """The states of the generators that ``module`` and its sub-modules own
    (``Dropout(p, generator=...)``), by module name: what a checkpoint needs beside
    ``state_dict()`` (which holds Tensors only, as PyTorch's) to resume bit-identically.
    The default generator's is ``nn.get_rng_state()``.

    Examples
    --------
    >>> import nn
    >>> model = nn.Sequential(nn.Linear(2, 2), nn.Dropout(0.5, generator=0))
    >>> list(nn.utils.generator_states(model))
    ['1']
    """
    return {name: generator_state(g) for name, g in _owned_generators(module).items()}


def load_generator_states(module: object, states: dict[str, dict[str, object]]) -> None:
    """Restore the states from ``generator_states`` (all or none: a mismatch raises
    ``ValueError`` naming the modules and changes nothing)."""
    owners = _owned_generators(module)
    if set(states) != set(owners):
        raise ValueError(
            f"generator states for modules {sorted(states)}, but the modules that own a "
            f"generator are {sorted(owners)}"
        )
    previous = {name: generator_state(g) for name, g in owners.items()}
    try:
        for name, generator in owners.items():
            set_generator_state(generator, states[name])
    except ValueError as error:
        for name, generator in owners.items():
            set_generator_state(generator, previous[name])
        raise ValueError(f"load_generator_states: {error}") from None


def _owned_generators(module: Any) -> dict[str, Any]:
    return {
        name: m._generator
        for name, m in module.named_modules()
        if getattr(m, "_generator", None) is not None
    }


def __getattr__(name: str) -> Any:
    """``fuse_linear_relu`` and ``data`` (``torch.utils.data``), found on first use (they
    build on this package's siblings)."""
    if name == "fuse_linear_relu":
        from ..modules.fusion import fuse_linear_relu

        return fuse_linear_relu
    if name == "data":  # (the data package, which imports nn: found on first use)
        import data

        return data
    raise AttributeError(f"module 'nn.utils' has no attribute '{name}'")
