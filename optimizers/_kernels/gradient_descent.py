"""``BatchGD.update`` (optimizers/sgd.py) as a numba loop for ``fused=True``, and ``fused``,
which calls it with ``update``'s signature (the package's docstring says how it stays the
rule)."""

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


KERNELS = RuleKernels(copies="f40f12b1b0fdb001", fused=fused)
