"""``nn.finfo`` and ``nn.iinfo``: the limits of a dtype, as ``torch.finfo`` / ``torch.iinfo``
give them (Python numbers; ``finfo()`` is the default float dtype's). NumPy only."""

from __future__ import annotations

from typing import NamedTuple, cast

import numpy as np

from . import _dtype
from .types import DTypeLike


class FloatInfo(NamedTuple):
    """The limits of a floating dtype: ``nn.finfo(nn.float32).eps``."""

    bits: int
    eps: float
    max: float
    min: float
    tiny: float
    smallest_normal: float
    resolution: float
    dtype: str

    @classmethod
    def of(cls, dtype: DTypeLike | None = None) -> FloatInfo:
        if cast(object, dtype) is _dtype.bfloat16:  # (NumPy has no bfloat16: its limits)
            largest = 3.3895313892515355e38
            return cls(16, 0.0078125, largest, -largest, 2.0**-126, 2.0**-126, 0.01, "bfloat16")
        resolved = _dtype.get_default_dtype() if dtype is None else _dtype.to_dtype(dtype)
        if resolved.kind not in "fc":
            raise TypeError(f"torch.finfo() requires a floating point input type, got {resolved}")
        info = np.finfo(resolved)
        return cls(
            int(info.bits),
            float(info.eps),
            float(info.max),
            float(info.min),
            float(info.tiny),
            float(info.smallest_normal),
            float(info.resolution),
            str(info.dtype),
        )


class IntInfo(NamedTuple):
    """The limits of an integer dtype: ``nn.iinfo(nn.int64).max``."""

    bits: int
    max: int
    min: int
    dtype: str

    @classmethod
    def of(cls, dtype: DTypeLike) -> IntInfo:
        resolved = _dtype.to_dtype(dtype)
        if resolved.kind not in "iub":
            raise TypeError(f"torch.iinfo() requires an integer input type, got {resolved}")
        if resolved.kind == "b":
            return cls(8, 1, 0, "bool")
        info = np.iinfo(resolved)
        return cls(int(info.bits), int(info.max), int(info.min), str(resolved))


def finfo(dtype: DTypeLike | None = None) -> FloatInfo:
    """``torch.finfo(dtype)``: the limits of a floating dtype (the default one if None).

    Examples
    --------
    >>> import nn
    >>> nn.finfo(nn.float32).eps
    1.1920928955078125e-07
    """
    return FloatInfo.of(dtype)


def iinfo(dtype: DTypeLike) -> IntInfo:
    """``torch.iinfo(dtype)``: the limits of an integer dtype.

    Examples
    --------
    >>> import nn
    >>> nn.iinfo(nn.int8).max
    127
    """
    return IntInfo.of(dtype)
