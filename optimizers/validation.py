"""Checks of hyperparameters, with messages naming the value (PyTorch's wording), for the
built-in optimizers and yours.

Each check is ``check(name, value)`` and raises ``ValueError``; an optimizer lists its
checks once, in its class attribute ``checks`` (hyperparameter name -> check), and the base
class runs them on every param group. Comparisons are written so that NaN fails them
(``not 0.0 <= lr``), and bools are refused where a number is meant.
"""

from __future__ import annotations

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


def _number(name: str, value: object) -> float:
    if hasattr(value, "ndim") and getattr(value, "ndim", 1) == 0 and hasattr(value, "item"):
        value = value.item()  # a 0-d Tensor or array, as PyTorch accepts for lr
    if isinstance(value, bool) or not isinstance(value, int | float | np.floating | np.integer):
        raise ValueError(f"Invalid {name}: expected a number, got {type(value).__name__} {value!r}")
    return float(value)


def learning_rate(name: str, value: object) -> None:
    """lr >= 0 (``Invalid learning rate: -1``)."""
    if not 0.0 <= _number("learning rate", value):
        raise ValueError(f"Invalid learning rate: {value}")


def non_negative(name: str, value: object) -> None:
    """value >= 0 (``Invalid weight_decay value: -1``; eps is "epsilon", as in PyTorch)."""
    name = "epsilon" if name == "eps" else name
    if not 0.0 <= _number(f"{name} value", value):
        raise ValueError(f"Invalid {name} value: {value}")


def unit_interval(name: str, value: object) -> None:
    """0 <= value < 1, for the decay rate of an exponentially weighted average."""
    if not 0.0 <= _number(f"{name} value", value) < 1.0:
        raise ValueError(f"Invalid {name} value: {value} (must be in [0, 1))")


def closed_unit_interval(name: str, value: object) -> None:
    """0 <= value <= 1 (``Invalid rho value: 1.5``)."""
    if not 0.0 <= _number(f"{name} value", value) <= 1.0:
        raise ValueError(f"Invalid {name} value: {value} (must be in [0, 1])")


def betas(name: str, value: object) -> None:
    """A pair (beta1, beta2), each in [0, 1) (``Invalid beta parameter at index 0: 1.0``)."""
    if not isinstance(value, tuple | list) or len(value) != 2:
        raise ValueError(f"Invalid betas: expected a pair (beta1, beta2), got {value!r}")
    for index, beta in enumerate(value):
        if not 0.0 <= _number(f"beta parameter at index {index}", beta) < 1.0:
            raise ValueError(f"Invalid beta parameter at index {index}: {beta} (must be in [0, 1))")


def flag(name: str, value: object) -> None:
    """True or False, or what PyTorch takes for them: an int (``nesterov=1``), a NumPy bool."""
    if not isinstance(value, bool | int | np.bool_ | np.integer):
        raise ValueError(f"Invalid {name}: expected True or False, got {value!r}")


def optional_flag(name: str, value: object) -> None:
    """None, True or False (PyTorch's ``foreach`` and ``fused``: None lets it choose)."""
    if value is not None:
        flag(name, value)
