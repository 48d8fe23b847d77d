"""``Momentum.update`` (optimizers/momentum.py) as a NumPy kernel for the default executor's
large parameters, and as a numba loop for ``fused=True`` with ``fused``, which calls it with
``update``'s signature (the package's docstring says how they stay the rule)."""

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


def numpy(
    W: np.ndarray, dW: np.ndarray, state: State, group: ParamGroup, a: np.ndarray, b: np.ndarray
) -> None:
    """``Momentum.update``, its temporaries written into ``a``."""
    alpha, beta, v = group["lr"], group["beta"], state["velocity"]
    v *= beta
    np.multiply(dW, 1 - beta, out=a)  # (1 - beta) * dW
    v += a
    np.multiply(v, alpha, out=a)  # alpha * v
    W -= a


def numpy_applies(group: ParamGroup) -> bool:
    """Every option (Momentum has only lr and beta)."""
    return True


KERNELS = RuleKernels(
    copies="441467eab7be502c", fused=fused, numpy=numpy, numpy_applies=numpy_applies
)
