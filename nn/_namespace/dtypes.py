"""``torch.<name>`` for questions about dtypes and Tensors, answered as PyTorch's:
``promote_types``, ``result_type``, ``can_cast``, ``typename``, ``is_nonzero``,
``is_same_size``, ``is_signed``."""

from __future__ import annotations

import numpy as np

from .. import _dtype
from ..tensor import Tensor
from ..types import Number
from .core import _operand


def _dtype_argument(value: object, function: str, argument: str, position: int) -> np.dtype:
    if not isinstance(value, np.dtype):
        raise TypeError(
            f"{function}(): argument '{argument}' (position {position}) must be torch.dtype, "
            f"not {type(value).__name__}"
        )
    return value


def promote_types(type1: np.dtype, type2: np.dtype) -> np.dtype:
    """The smallest dtype both can be converted to without leaving the higher category
    (bool < integers < floats < complex): int64 with float32 is float32, as PyTorch's."""
    first = _dtype_argument(type1, "promote_types", "type1", 1)
    second = _dtype_argument(type2, "promote_types", "type2", 2)
    return _dtype.promote_types(first, second)


def result_type(tensor1: Tensor | Number, tensor2: Tensor | Number) -> np.dtype:
    """The dtype an op of the two would give: Tensors with dimensions decide first, then
    0-d Tensors, then Python numbers, each only when of a higher category."""
    groups: tuple[list[np.dtype], list[np.dtype], list[np.dtype]] = ([], [], [])
    for value in (tensor1, tensor2):
        if isinstance(value, Tensor):
            groups[0 if value._data.ndim else 1].append(value._data.dtype)
        elif isinstance(value, bool | int | float | complex):
            groups[2].append(_dtype.scalar_dtype(value))
        else:
            raise TypeError(
                "result_type() received an invalid combination of arguments - got "
                f"({type(tensor1).__name__}, {type(tensor2).__name__})"
            )
    return _dtype.result_dtype(*groups)


def can_cast(from_: np.dtype, to: np.dtype) -> bool:
    """Whether PyTorch's casting rules let an op write a ``from_`` result into a ``to``
    Tensor: never into a lower category (float into an integer, anything but bool into
    bool)."""
    source = _dtype_argument(from_, "can_cast", "from_", 1)
    return _dtype.can_cast(source, _dtype_argument(to, "can_cast", "to", 2))


def typename(obj: object) -> str:
    """A Tensor's type name ("torch.FloatTensor"), else the object's module and qualified
    name ("nn.modules.layers.Linear"; a builtin's bare name, "int")."""
    if isinstance(obj, Tensor):
        return str(obj.type())
    named = obj if hasattr(obj, "__qualname__") or hasattr(obj, "__name__") else type(obj)
    module = getattr(named, "__module__", "") or ""
    qualname = getattr(named, "__qualname__", None) or getattr(named, "__name__", "")
    return str(qualname) if module in ("", "builtins") else f"{module}.{qualname}"


def is_nonzero(input: Tensor) -> bool:
    """The truth of a one-element Tensor; PyTorch's error for any other size."""
    return bool(_operand(input, "is_nonzero"))


def is_same_size(input: Tensor, other: Tensor) -> bool:
    """Whether the two Tensors have the same shape."""
    return _operand(input, "is_same_size").shape == _operand(other, "is_same_size", "other").shape


def is_signed(input: Tensor) -> bool:
    """Whether the dtype holds negative numbers (all but bool and uint8)."""
    return _operand(input, "is_signed")._data.dtype not in (np.bool_, np.uint8)


__all__ = sorted(
    [
        "can_cast",
        "is_nonzero",
        "is_same_size",
        "is_signed",
        "promote_types",
        "result_type",
        "typename",
    ]
)
