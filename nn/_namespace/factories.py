"""Tensor factories, as ``torch``'s: ``zeros``, ``ones``, ``full``, ``arange``, ``eye``...

Sizes come as varargs or one tuple (``zeros(2, 3)`` or ``zeros((2, 3))``). Floating results
take ``dtype`` or the default dtype (float32). The random ones: ``random_factories.py``.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .. import _dtype, _memory_format
from .._args.dims import shape_args
from ..device import check_device
from ..rules import fused_multiply_add
from ..tensor import Tensor
from ..types import DeviceLike, DTypeLike, InputLike

__all__ = [
    "arange",
    "as_tensor",
    "empty",
    "empty_like",
    "eye",
    "from_numpy",
    "full",
    "full_like",
    "linspace",
    "logspace",
    "ones",
    "ones_like",
    "zeros",
    "zeros_like",
]


def _finish(array: np.ndarray, requires_grad: bool, device: Any, out: Any = None) -> Tensor:
    check_device(device)
    if out is not None:
        out.data = array
        return out  # type: ignore[no-any-return]
    t = Tensor._make(array)
    return t.requires_grad_(True) if requires_grad else t


def _float(dtype: DTypeLike | None) -> np.dtype:
    return _dtype.get_default_dtype() if dtype is None else _dtype.to_dtype(dtype)


def as_tensor(
    data: InputLike, dtype: DTypeLike | None = None, device: DeviceLike | None = None
) -> Tensor:
    """``data`` as a Tensor, sharing memory with an ndarray (or Tensor) when the dtype allows.

    Examples
    --------
    >>> import numpy as np, nn
    >>> a = np.zeros(2); nn.as_tensor(a).numpy() is a
    True
    """
    check_device(device)
    if isinstance(data, Tensor):
        return data if dtype is None else data.to(dtype)
    return Tensor._make(_dtype.as_array(data, dtype, copy=False))


def from_numpy(array: np.ndarray) -> Tensor:
    """A Tensor sharing ``array``'s memory (changes show through both), as ``torch.from_numpy``.

    Examples
    --------
    >>> import numpy as np, nn
    >>> a = np.zeros(2); t = nn.from_numpy(a); a[0] = 5; t
    tensor([5., 0.], dtype=float64)
    """
    if not isinstance(array, np.ndarray):
        raise TypeError(f"expected np.ndarray (got {type(array).__name__})")
    return Tensor._make(array)


def zeros(
    *sizes: object,
    size: object = None,
    dtype: DTypeLike | None = None,
    device: DeviceLike | None = None,
    requires_grad: bool = False,
    out: object = None,
) -> Tensor:
    """A Tensor of zeros.

    Examples
    --------
    >>> import nn
    >>> nn.zeros(2, 3).shape, nn.zeros((2,)).dtype
    ((2, 3), dtype('float32'))
    """
    return _finish(np.zeros(shape_args(sizes, size), _float(dtype)), requires_grad, device, out)


def ones(
    *sizes: object,
    size: object = None,
    dtype: DTypeLike | None = None,
    device: DeviceLike | None = None,
    requires_grad: bool = False,
    out: object = None,
) -> Tensor:
    """A Tensor of ones."""
    return _finish(np.ones(shape_args(sizes, size), _float(dtype)), requires_grad, device, out)


def empty(
    *sizes: object,
    size: object = None,
    dtype: DTypeLike | None = None,
    device: DeviceLike | None = None,
    requires_grad: bool = False,
    out: object = None,
    memory_format: object = None,
    pin_memory: bool = False,
) -> Tensor:
    """An uninitialised Tensor (here: zeros, so nothing random leaks in), in
    ``memory_format``'s layout (row-major by default)."""
    made = zeros(
        *sizes, size=size, dtype=dtype, device=device, requires_grad=requires_grad, out=out
    )
    if memory_format is None:
        return made
    fmt = _memory_format.checked(memory_format, made.ndim)
    if fmt is _memory_format.preserve_format:
        raise RuntimeError("preserve memory format is unsupported by empty()")
    made._data = _memory_format.laid_out(made._data, fmt)
    return made


def full(
    size: object,
    fill_value: InputLike,
    *,
    dtype: DTypeLike | None = None,
    device: DeviceLike | None = None,
    requires_grad: bool = False,
    out: object = None,
) -> Tensor:
    """A Tensor filled with ``fill_value`` (its dtype inferred from it, as PyTorch)."""
    target = _dtype.to_dtype(dtype) if dtype is not None else _dtype.as_array(fill_value).dtype
    return _finish(np.full(shape_args((size,)), fill_value, target), requires_grad, device, out)


def eye(
    n: int,
    m: int | None = None,
    *,
    out: Any = None,
    dtype: DTypeLike | None = None,
    device: DeviceLike | None = None,
    requires_grad: bool = False,
) -> Tensor:
    """The identity matrix (n x m); with ``out``, written into that Tensor (its dtype)."""
    if out is not None and dtype is None:
        dtype = out.dtype
    return _finish(np.eye(n, m, dtype=_float(dtype)), requires_grad, device, out)


def arange(
    start: Any,
    end: Any = None,
    step: Any = 1,
    *,
    dtype: DTypeLike | None = None,
    device: DeviceLike | None = None,
    requires_grad: bool = False,
) -> Tensor:
    """start, start + step, ... below end (int64 from integers, else the default float).

    Examples
    --------
    >>> import nn
    >>> nn.arange(3), nn.arange(0, 1, 0.5)
    (tensor([0, 1, 2]), tensor([0.0000, 0.5000]))
    """
    if end is None:
        start, end = 0, start
    values = [float(v) if isinstance(v, Tensor) else v for v in (start, end, step)]
    floating = any(isinstance(v, float) for v in values)
    target = (
        _dtype.to_dtype(dtype)
        if dtype is not None
        else (_dtype.get_default_dtype() if floating else _dtype.int64)
    )
    first, last, step = values
    if step == 0:
        raise RuntimeError("step must be nonzero")
    if (last - first) * step < 0:
        raise RuntimeError("upper bound and lower bound inconsistent with step sign")
    count = max(math.ceil((last - first) / step), 0)
    array = (values[0] + np.arange(count, dtype=np.float64) * values[2]).astype(target)
    return _finish(array, requires_grad, device)


def _evenly_spaced(start: float, end: float, steps: int, dtype: np.dtype) -> np.ndarray:
    """PyTorch's linspace arithmetic, to the last bit: step = (end - start) / (steps - 1) in
    the output's float type (double for integer outputs); the first half counts up from
    ``start``, the second down from ``end``, each value one fused multiply-add."""
    if steps < 0:
        raise RuntimeError("number of steps must be non-negative")
    integral = dtype.kind in "iub"
    work = np.dtype(np.float64) if integral else dtype
    if integral:  # the ends are cast to the integer type first
        start, end = math.trunc(start), math.trunc(end)
    first, last = work.type(start), work.type(end)
    if steps <= 1:
        return np.full(steps, first, dtype=work)
    step = (last - first) / work.type(steps - 1)
    index = np.arange(steps)
    up = index < steps // 2
    count = np.where(up, index, steps - 1 - index).astype(work)
    slope = np.where(up, step, -step).astype(work)
    origin = np.where(up, first, last).astype(work)
    return fused_multiply_add(count, slope, origin)


def linspace(
    start: float,
    end: float,
    steps: int,
    *,
    dtype: DTypeLike | None = None,
    device: DeviceLike | None = None,
    requires_grad: bool = False,
) -> Tensor:
    """``steps`` evenly spaced values from start to end (inclusive), as PyTorch computes them.

    Examples
    --------
    >>> import nn
    >>> nn.linspace(0, 1, 5)
    tensor([0.0000, 0.2500, 0.5000, 0.7500, 1.0000])
    """
    target = _float(dtype)
    values = _evenly_spaced(start, end, steps, target).astype(target, copy=False)
    return _finish(values, requires_grad, device)


def logspace(
    start: float,
    end: float,
    steps: int,
    base: float = 10.0,
    *,
    dtype: DTypeLike | None = None,
    device: DeviceLike | None = None,
    requires_grad: bool = False,
) -> Tensor:
    """base ** e for ``steps`` evenly spaced exponents e from start to end.

    As PyTorch computes float64 (bit for bit): exponents start + i step in double (the
    second half end - (steps - 1 - i) step), each power by the C library's ``pow``. Other
    dtypes are that, cast (PyTorch's float32 values can differ in the last bits).
    """
    target = _float(dtype)
    if steps < 0:
        raise RuntimeError("number of steps must be non-negative")
    if steps <= 1:
        values = np.full(steps, math.pow(base, start))
    else:
        step = (end - start) / (steps - 1)
        index = np.arange(steps)
        up = index < steps // 2
        exponents = np.where(up, start + step * index, end - step * (steps - 1 - index))
        values = np.array([math.pow(base, float(e)) for e in exponents])
    return _finish(values.astype(target), requires_grad, device)


def _like(t: object, dtype: DTypeLike | None) -> tuple[tuple[int, ...], np.dtype]:
    data = getattr(t, "_data", None)
    data = np.asarray(t) if data is None else data
    return data.shape, _dtype.to_dtype(dtype) if dtype is not None else data.dtype


def _laid_out_like(t: object, values: np.ndarray, memory_format: object) -> np.ndarray:
    """``values`` in ``memory_format``'s layout; ``preserve_format`` (the default) keeps
    the layout of ``t``'s array, as PyTorch's ``*_like`` factories do."""
    data = getattr(t, "_data", None)
    data = np.asarray(t) if data is None else data
    fmt = _memory_format.checked(memory_format, data.ndim)
    if fmt is not _memory_format.preserve_format:
        return _memory_format.laid_out(values, fmt)
    if data.flags.c_contiguous or not data.size:
        return values
    out = np.empty_like(data, dtype=values.dtype)
    out[...] = values
    return out


def zeros_like(
    input: InputLike,
    *,
    dtype: DTypeLike | None = None,
    device: DeviceLike | None = None,
    requires_grad: bool = False,
    memory_format: object = None,
) -> Tensor:
    shape, target = _like(input, dtype)
    array = _laid_out_like(input, np.zeros(shape, target), memory_format)
    return _finish(array, requires_grad, device)


def ones_like(
    input: InputLike,
    *,
    dtype: DTypeLike | None = None,
    device: DeviceLike | None = None,
    requires_grad: bool = False,
    memory_format: object = None,
) -> Tensor:
    shape, target = _like(input, dtype)
    array = _laid_out_like(input, np.ones(shape, target), memory_format)
    return _finish(array, requires_grad, device)


def empty_like(
    input: InputLike,
    *,
    dtype: DTypeLike | None = None,
    device: DeviceLike | None = None,
    requires_grad: bool = False,
    memory_format: object = None,
) -> Tensor:
    return zeros_like(
        input, dtype=dtype, device=device, requires_grad=requires_grad, memory_format=memory_format
    )


def full_like(
    input: InputLike,
    fill_value: InputLike,
    *,
    dtype: DTypeLike | None = None,
    device: DeviceLike | None = None,
    requires_grad: bool = False,
    memory_format: object = None,
) -> Tensor:
    shape, target = _like(input, dtype)
    array = _laid_out_like(input, np.full(shape, fill_value, target), memory_format)
    return _finish(array, requires_grad, device)
