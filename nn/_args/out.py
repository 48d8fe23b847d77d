"""PyTorch's ``out=`` argument: a function's result written into a given Tensor."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from .. import _dtype
from ..autograd import is_grad_enabled
from ..tensor import Tensor


def into(out: Any, result: Tensor, name: str) -> Tensor:
    """``result``, or, when ``out`` is a Tensor, ``out`` holding ``result``'s values.

    As PyTorch: refused when autograd would have to track it (an input requires grad), and
    when the result's dtype category is higher than ``out``'s (a float result into an integer
    Tensor); an ``out`` of another shape is resized (with PyTorch's warning unless it was
    empty).
    """
    if out is None:
        return result
    if not isinstance(out, Tensor):
        raise TypeError(f"{name}(): argument 'out' must be Tensor, not {type(out).__name__}")
    if is_grad_enabled() and (result._rg or out._rg):
        raise RuntimeError(
            f"{name}(): functions with out=... arguments don't support automatic "
            "differentiation, but one of the arguments requires grad."
        )
    if not _dtype.can_cast(result._data.dtype, out._data.dtype):
        raise RuntimeError(
            f"result type {_dtype.torch_name(result._data.dtype)} can't be cast to the desired "
            f"output type {_dtype.torch_name(out._data.dtype)}"
        )
    if out._data.shape != result._data.shape:
        if out._data.size:
            warnings.warn(
                f"An output with one or more elements was resized since it had shape "
                f"{list(out._data.shape)}, which does not match the required output shape "
                f"{list(result._data.shape)}. This behavior is deprecated, and in a future "
                "PyTorch release outputs will not be resized unless they have zero elements.",
                UserWarning,
                stacklevel=3,
            )
        out._data = np.empty(result._data.shape, dtype=out._data.dtype)
    np.copyto(out._data, result._data, casting="unsafe")
    out._vc[0] += 1
    return out
