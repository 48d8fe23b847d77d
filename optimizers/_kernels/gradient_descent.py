"""``BatchGD.update`` (optimizers/sgd.py) as a NumPy kernel for the default executor's large
parameters, and as a numba loop for ``fused=True`` with ``fused``, which calls it with
``update``'s signature (the package's docstring says how they stay the rule)."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ..types import ParamGroup, State
from . import RuleKernels, Scalar, compile_loop


def make_loop() -> Callable[..., None]:
    def loop(W: np.ndarray, dW: np.ndarray, alpha: Scalar) -> None:
        for i in range(W.size):
            W[i] -= alpha * dW[i]

    return loop


def fused(W: np.ndarray, dW: np.ndarray, state: State, group: ParamGroup) -> None:
    compile_loop(make_loop)(W, dW, W.dtype.type(group["lr"]))


def numpy(
    W: np.ndarray, dW: np.ndarray, state: State, group: ParamGroup, a: np.ndarray, b: np.ndarray
) -> None:
    """``BatchGD.update``, its temporary written into ``a``."""
    np.multiply(dW, group["lr"], out=a)  # alpha * dW
    W -= a


def numpy_applies(group: ParamGroup) -> bool:
    """Every option (BatchGD has only lr)."""
    return True


KERNELS = RuleKernels(
    copies="f40f12b1b0fdb001", fused=fused, numpy=numpy, numpy_applies=numpy_applies
)
