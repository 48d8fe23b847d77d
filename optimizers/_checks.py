"""Validation of hyperparameters, done once in ``__init__`` with messages naming the value.

Comparisons are written so that NaN fails them (``not 0.0 <= lr``), and bools are refused
where a number is meant.
"""

from __future__ import annotations

from typing import Any

import numpy as np


class ParameterError(TypeError, ValueError):
    """Something that is not a parameter (or an iterable of them) was given to an optimizer.

    PyTorch raises ``TypeError`` here; the contract asks for ``ValueError``; this is both.

    Examples
    --------
    >>> import optimizers
    >>> try:
    ...     optimizers.SGD({1, 2}, lr=0.1)
    ... except ValueError as error:
    ...     print(type(error).__name__)
    ParameterError
    """


def _number(name: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float | np.floating | np.integer):
        raise ValueError(f"Invalid {name}: expected a number, got {type(value).__name__} {value!r}")
    return float(value)


def check_lr(lr: Any) -> None:
    """lr >= 0 (``Invalid learning rate: -1``)."""
    if not 0.0 <= _number("learning rate", lr):
        raise ValueError(f"Invalid learning rate: {lr}")


def check_non_negative(name: str, value: Any) -> None:
    """value >= 0 (``Invalid eps value: -1``)."""
    if not 0.0 <= _number(f"{name} value", value):
        raise ValueError(f"Invalid {name} value: {value}")


def check_unit_interval(name: str, value: Any) -> None:
    """0 <= value < 1, for the decay rates of exponentially weighted averages."""
    if not 0.0 <= _number(f"{name} value", value) < 1.0:
        raise ValueError(f"Invalid {name} value: {value} (must be in [0, 1))")


def check_betas(betas: Any) -> None:
    """A pair (beta1, beta2), each in [0, 1) (``Invalid beta parameter at index 0: 1.0``)."""
    if not isinstance(betas, tuple | list) or len(betas) != 2:
        raise ValueError(f"Invalid betas: expected a pair (beta1, beta2), got {betas!r}")
    for index, beta in enumerate(betas):
        if not 0.0 <= _number(f"beta parameter at index {index}", beta) < 1.0:
            raise ValueError(f"Invalid beta parameter at index {index}: {beta} (must be in [0, 1))")


def check_bool(name: str, value: Any) -> None:
    if not isinstance(value, bool):
        raise ValueError(f"Invalid {name}: expected True or False, got {value!r}")
