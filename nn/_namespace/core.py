"""The argument handling every torch-style function shares: a Tensor operand (or torch's
``TypeError``), ``out=``, and a function that forwards to the Tensor method of its name."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from .._args.out import into
from ..tensor import Tensor
from ..types import InputLike


def _operand(value: Any, function: str, argument: str = "input", position: int = 1) -> Tensor:
    """``value`` if it is a Tensor (an ndarray is wrapped without a copy), else torch's
    ``TypeError``."""
    if isinstance(value, Tensor):
        return value
    if isinstance(value, np.ndarray):
        return Tensor._make(value)
    raise TypeError(
        f"{function}(): argument '{argument}' (position {position}) must be Tensor, not "
        f"{type(value).__name__}"
    )


def _written(out: Any, result: Any, name: str) -> Any:
    if out is None:
        return result
    if isinstance(result, tuple):  # (values, indices): out is a pair of Tensors
        return type(result)(*(into(o, r, name) for o, r in zip(out, result, strict=True)))
    return into(out, result, name)


def _function(name: str) -> Callable[..., Any]:
    """torch.<name>(input, *args, out=None, **kwargs) as input.<name>(*args, **kwargs)."""

    def function(
        input: InputLike, *args: object, out: Tensor | None = None, **kwargs: object
    ) -> Any:
        return _written(out, getattr(_operand(input, name), name)(*args, **kwargs), name)

    function.__name__ = function.__qualname__ = name
    function.__doc__ = f"``torch.{name}(input, ...)``: ``input.{name}(...)``."
    return function
