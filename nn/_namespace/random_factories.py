"""Random Tensor factories, as ``torch``'s: ``rand``, ``randn``, ``randint``, ``randperm``,
``normal`` and their ``*_like`` forms. Draws come from ``generator`` (an ``nn.Generator``, an
``np.random.Generator`` or an int seed) or the default generator (``nn.manual_seed``), in
PyTorch's stream (``nn/random.py``).
"""

from __future__ import annotations

import operator
from typing import Any, SupportsIndex, TypeGuard

import numpy as np

from .. import _dtype
from .._args.dims import shape_args
from ..random import draw_integers, draw_normal, draw_permutation, draw_uniform
from ..tensor import Tensor
from ..types import DeviceLike, DTypeLike, GeneratorLike, InputLike
from .factories import _finish, _float, _laid_out_like, _like

__all__ = [
    "normal",
    "rand",
    "rand_like",
    "randint",
    "randint_like",
    "randn",
    "randn_like",
    "randperm",
]


def rand(
    *sizes: object,
    size: object = None,
    generator: GeneratorLike | None = None,
    dtype: DTypeLike | None = None,
    device: DeviceLike | None = None,
    requires_grad: bool = False,
) -> Tensor:
    """Uniform draws from [0, 1)."""
    array = draw_uniform(generator, shape_args(sizes, size), _float(dtype))
    return _finish(array, requires_grad, device)


def randn(
    *sizes: object,
    size: object = None,
    generator: GeneratorLike | None = None,
    dtype: DTypeLike | None = None,
    device: DeviceLike | None = None,
    requires_grad: bool = False,
) -> Tensor:
    """Standard normal draws.

    Examples
    --------
    >>> import nn
    >>> nn.randn(2, 3, generator=0).shape
    (2, 3)
    """
    array = draw_normal(generator, shape_args(sizes, size), _float(dtype))
    return _finish(array, requires_grad, device)


def _whole(bound: object) -> TypeGuard[SupportsIndex]:
    """An int, or what stands for one (a NumPy integer, a one-element integer Tensor)."""
    return isinstance(bound, SupportsIndex) and not isinstance(bound, bool | float)


def randint(
    low: object = None,
    high: object = None,
    size: object = None,
    *,
    generator: GeneratorLike | None = None,
    dtype: DTypeLike | None = None,
    device: DeviceLike | None = None,
    requires_grad: bool = False,
) -> Tensor:
    """Integers drawn uniformly from [low, high) (``randint(high, size)`` too); int64."""
    if size is None:  # randint(high, size)
        low, high, size = 0, low, high
    elif high is None:  # randint(high, size=size)
        low, high = 0, low
    elif low is None:  # randint(high=high, size=size)
        low = 0
    if not (_whole(low) and _whole(high)) or not isinstance(size, tuple | list):
        raise TypeError(
            "randint() received an invalid combination of arguments: expected "
            f"(low=0, high, size: tuple of ints), got high={high!r}, size={size!r}"
        )
    target = _dtype.to_dtype(dtype) if dtype is not None else _dtype.int64
    array = draw_integers(
        generator, operator.index(low or 0), operator.index(high), shape_args((size,)), target
    )
    return _finish(array, requires_grad, device)


def randperm(
    n: int,
    *,
    generator: GeneratorLike | None = None,
    dtype: DTypeLike | None = None,
    device: DeviceLike | None = None,
    requires_grad: bool = False,
) -> Tensor:
    """A random permutation of 0..n-1 (int64)."""
    target = _dtype.to_dtype(dtype) if dtype is not None else _dtype.int64
    return _finish(draw_permutation(generator, n).astype(target), requires_grad, device)


def normal(
    mean: Any = 0.0,
    std: Any = 1.0,
    size: Any = None,
    *,
    generator: GeneratorLike | None = None,
    dtype: DTypeLike | None = None,
    device: DeviceLike | None = None,
    requires_grad: bool = False,
) -> Tensor:
    """Normal draws with the given mean and std (numbers with ``size``, or Tensors)."""
    m = getattr(mean, "_data", mean)
    s = getattr(std, "_data", std)
    shape = (
        shape_args((size,)) if size is not None else np.broadcast_shapes(np.shape(m), np.shape(s))
    )
    like = m if isinstance(m, np.ndarray) else s if isinstance(s, np.ndarray) else None
    target = like.dtype if like is not None and dtype is None else _float(dtype)
    if like is None:  # (numbers: PyTorch's normal_(mean, std))
        return _finish(draw_normal(generator, shape, target, m, s), requires_grad, device)
    # (Tensors: standard draws, then times std plus mean, each rounded, as PyTorch)
    draws = draw_normal(generator, shape, target)
    array = (draws * np.asarray(s, target) + np.asarray(m, target)).astype(target)
    return _finish(np.asarray(array), requires_grad, device)


def rand_like(
    input: InputLike,
    *,
    generator: GeneratorLike | None = None,
    dtype: DTypeLike | None = None,
    device: DeviceLike | None = None,
    requires_grad: bool = False,
    memory_format: object = None,
) -> Tensor:
    shape, target = _like(input, dtype)
    drawn = rand(shape, generator=generator, dtype=target, device=device)._data
    return _finish(_laid_out_like(input, drawn, memory_format), requires_grad, device)


def randn_like(
    input: InputLike,
    *,
    generator: GeneratorLike | None = None,
    dtype: DTypeLike | None = None,
    device: DeviceLike | None = None,
    requires_grad: bool = False,
    memory_format: object = None,
) -> Tensor:
    shape, target = _like(input, dtype)
    drawn = randn(shape, generator=generator, dtype=target, device=device)._data
    return _finish(_laid_out_like(input, drawn, memory_format), requires_grad, device)


def randint_like(
    input: InputLike,
    low: int,
    high: int | None = None,
    *,
    generator: GeneratorLike | None = None,
    dtype: DTypeLike | None = None,
    device: DeviceLike | None = None,
    requires_grad: bool = False,
    memory_format: object = None,
) -> Tensor:
    shape, target = _like(input, dtype)
    if high is None:
        low, high = 0, low
    drawn = randint(low, high, shape, generator=generator, dtype=target, device=device)._data
    return _finish(_laid_out_like(input, drawn, memory_format), requires_grad, device)
