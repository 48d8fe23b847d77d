"""PyTorch's legacy typed constructors: ``nn.FloatTensor([1, 2])``, ``nn.LongTensor(3)``,
``x.type(nn.DoubleTensor)`` and ``isinstance(x, nn.FloatTensor)``, as old course code writes
them. Each is ``nn.Tensor``'s legacy constructor with its dtype (integer types truncate
floats, as PyTorch's); ``isinstance`` asks the dtype.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .. import _dtype
from ..types import InputLike
from . import Tensor


class _LegacyTensorType(type):
    """The type of ``nn.FloatTensor`` and its siblings."""

    dtype: np.dtype

    def __call__(cls, *args: Any, **kwargs: Any) -> Any:
        return Tensor(*args, dtype=cls.dtype, **kwargs)

    def __instancecheck__(cls, instance: object) -> bool:
        return isinstance(instance, Tensor) and instance._data.dtype == cls.dtype

    def __repr__(cls) -> str:
        return f"<class 'torch.{cls.__name__}'>"


def _legacy(name: str, dtype: np.dtype) -> type:
    kind = _LegacyTensorType(name, (), {"dtype": dtype, "__doc__": f"``{dtype}`` Tensors."})
    kind.__module__ = "nn"
    return kind


FloatTensor = _legacy("FloatTensor", _dtype.float32)
DoubleTensor = _legacy("DoubleTensor", _dtype.float64)
HalfTensor = _legacy("HalfTensor", _dtype.float16)
ByteTensor = _legacy("ByteTensor", _dtype.uint8)
CharTensor = _legacy("CharTensor", _dtype.int8)
ShortTensor = _legacy("ShortTensor", _dtype.int16)
IntTensor = _legacy("IntTensor", _dtype.int32)
LongTensor = _legacy("LongTensor", _dtype.int64)
BoolTensor = _legacy("BoolTensor", _dtype.bool_)


def legacy_dtype(kind: object) -> np.dtype | None:
    """The dtype of a legacy type (``nn.FloatTensor``), or None for anything else."""
    return kind.dtype if isinstance(kind, _LegacyTensorType) else None


__all__ = [
    "BoolTensor",
    "ByteTensor",
    "CharTensor",
    "DoubleTensor",
    "FloatTensor",
    "HalfTensor",
    "IntTensor",
    "LongTensor",
    "ShortTensor",
]


def Variable(data: InputLike, requires_grad: bool = False, volatile: bool = False) -> Tensor:
    """``torch.autograd.Variable(t, requires_grad=...)``, the pre-0.4 wrapper: a new Tensor
    sharing ``t``'s storage, outside any graph, requiring grad when asked (Tensors and
    Variables have been one since PyTorch 0.4)."""
    if not isinstance(data, Tensor):
        raise TypeError(f"Variable data has to be a tensor, but got {type(data).__name__}")
    return data.detach().requires_grad_(requires_grad)
