"""``Momentum.update`` (optimizers/momentum.py) as a numba loop for ``fused=True``, and
``fused``, which calls it with ``update``'s signature (the package's docstring says how it
stays the rule)."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ..types import ParamGroup, State
from . import RuleKernels, Scalar, compile_loop


def make_loop() -> Callable[..., None]:
    def loop(
        W: np.ndarray,
        dW: np.ndarray,
        v: np.ndarray,
        alpha: Scalar,
        beta: Scalar,
        one_minus_beta: Scalar,
    ) -> None:
        for i in range(W.size):
            v[i] = beta * v[i] + one_minus_beta * dW[i]
            W[i] -= alpha * v[i]

    return loop


def fused(W: np.ndarray, dW: np.ndarray, state: State, group: ParamGroup) -> None:
    c, beta = W.dtype.type, group["beta"]
    loop = compile_loop(make_loop)
    loop(W, dW, state["velocity"], c(group["lr"]), c(beta), c(1 - beta))


KERNELS = RuleKernels(copies="441467eab7be502c", fused=fused)
