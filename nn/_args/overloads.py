"""PyTorch's deprecated positional overloads, still run by PyTorch with a warning and still
found in optimizers written for it: ``p.data.add_(-lr, grad)`` (``add(Number alpha, Tensor
other)``), ``sub``, and ``exp_avg_sq.addcmul_(1 - beta2, grad, grad)`` (``addcmul(Number
value, Tensor tensor1, Tensor tensor2)``), ``addcdiv``. Each wrapped method runs the
modern form with the same warning PyTorch gives. NumPy and the standard library only.
"""

from __future__ import annotations

import functools
import warnings
from collections.abc import Callable
from typing import Any, TypeVar

import numpy as np

Method = TypeVar("Method", bound=Callable[..., Any])


def _is_number(value: object) -> bool:
    return isinstance(value, int | float | complex | np.number) and not isinstance(value, bool)


def _is_array(value: object) -> bool:
    return hasattr(value, "_data") or isinstance(value, np.ndarray)


def _warn(name: str, old: str, new: str) -> None:
    warnings.warn(
        f"This overload of {name} is deprecated:\n\t{name}({old})\nConsider using one of the "
        f"following signatures instead:\n\t{name}({new})",
        UserWarning,
        stacklevel=3,
    )


def alpha_first(method: Method) -> Method:
    """Also accept ``method(Number alpha, Tensor other)``, PyTorch's deprecated overload."""
    name = method.__name__

    @functools.wraps(method)
    def wrapper(self: object, *args: object, **kwargs: object) -> Any:
        if len(args) == 2 and _is_number(args[0]) and _is_array(args[1]) and not kwargs:
            _warn(name, "Number alpha, Tensor other", "Tensor other, *, Number alpha = 1")
            return method(self, args[1], alpha=args[0])
        return method(self, *args, **kwargs)

    return wrapper  # type: ignore[return-value]


def value_first(method: Method) -> Method:
    """Also accept ``method(Number value, Tensor tensor1, Tensor tensor2)``, PyTorch's
    deprecated overload of ``addcmul`` and ``addcdiv``."""
    name = method.__name__

    @functools.wraps(method)
    def wrapper(self: object, *args: object, **kwargs: object) -> Any:
        if len(args) == 3 and _is_number(args[0]) and not kwargs:
            _warn(
                name,
                "Number value, Tensor tensor1, Tensor tensor2",
                "Tensor tensor1, Tensor tensor2, *, Number value = 1",
            )
            return method(self, args[1], args[2], value=args[0])
        return method(self, *args, **kwargs)

    return wrapper  # type: ignore[return-value]
