"""Layer and function inputs: a Tensor, an ndarray or a list of numbers, as a float Tensor."""

from __future__ import annotations

from typing import Any

import numpy as np

from .. import _dtype
from ..tensor import Tensor
from ..types import DTypeLike


def as_input(value: Any, dtype: DTypeLike | None = None) -> Tensor:
    """``value`` as a Tensor of ``dtype`` (float default), casting differentiably."""
    kind = type(value)
    if (
        (kind is Tensor or kind is np.ndarray)
        and value.dtype.kind == "f"
        and (dtype is None or value.dtype == dtype)
    ):
        return value if kind is Tensor else Tensor._make(value)  # the common case, fast
    if isinstance(value, Tensor):
        tensor = value
    else:
        try:
            tensor = Tensor._make(_dtype.as_array(value, copy=False))
        except (TypeError, ValueError) as error:
            raise TypeError(
                f"expected a Tensor, an ndarray or a list of numbers, got {type(value).__name__}"
            ) from error
    if tensor.dtype.kind not in "fiub":
        raise TypeError(f"expected numeric data, got an array of dtype {tensor.dtype}")
    target = np.dtype(dtype) if dtype is not None else None
    if target is None and tensor.dtype.kind != "f":
        target = _dtype.get_default_dtype()
    return tensor if target is None or tensor.dtype == target else tensor._cast(target)
