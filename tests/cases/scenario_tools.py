"""What the PyTorch-idiom scenarios (tests/cases/semantics_scenarios.py) return: arrays, and the
builtin type of an exception raised."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np


def array(t: Any) -> np.ndarray:
    return np.array(t.detach().numpy(), dtype=np.float64)


def error(action: Callable[[], Any]) -> str:
    """ "error:<the builtin exception type raised>" (descend's own error types derive from
    PyTorch's builtin ones), or "no error"."""
    try:
        action()
    except Exception as error:  # the type is what is compared
        builtin = next(c for c in type(error).__mro__ if c.__module__ == "builtins")
        return f"error:{builtin.__name__}"
    return "no error"


def assert_same(name: str, ours: object, theirs: np.ndarray) -> None:
    mine = np.asarray(ours)
    assert mine.shape == theirs.shape, f"{name}: shape {mine.shape} != PyTorch's {theirs.shape}"
    if theirs.dtype.kind in "USb":
        np.testing.assert_array_equal(mine, theirs, err_msg=name)
    else:
        np.testing.assert_allclose(mine, theirs, rtol=1e-12, atol=1e-300, err_msg=name)
