"""``RMSprop.update`` (optimizers/rmsprop.py) as a numba loop for ``fused=True``, and
``fused``, which calls it with ``update``'s signature (the package's docstring says how it
stays the rule)."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ..types import ParamGroup, State
from . import RuleKernels, Scalar, compile_loop


def make_loop(centered: bool, with_momentum: bool) -> Callable[..., None]:
    def loop(
        W: np.ndarray,
        dW: np.ndarray,
        s: np.ndarray,
        m: np.ndarray,
        b: np.ndarray,
        alpha: Scalar,
        beta: Scalar,
        one_minus_beta: Scalar,
        epsilon: Scalar,
        weight_decay: Scalar,
        momentum: Scalar,
        maximize: bool,
        decay: bool,
    ) -> None:
        for i in range(W.size):
            g = -dW[i] if maximize else dW[i]
            if decay:
                g = g + weight_decay * W[i]
            s[i] = beta * s[i] + one_minus_beta * (g * g)
            if centered:
                m[i] = beta * m[i] + one_minus_beta * g
                denominator = np.sqrt(s[i] - m[i] * m[i]) + epsilon
            else:
                denominator = np.sqrt(s[i]) + epsilon
            if with_momentum:
                b[i] = momentum * b[i] + g / denominator
                W[i] -= alpha * b[i]
            else:
                W[i] -= alpha * g / denominator

    return loop


def fused(W: np.ndarray, dW: np.ndarray, state: State, group: ParamGroup) -> None:
    c, beta = W.dtype.type, group["alpha"]
    centered, momentum = group["centered"], group["momentum"]
    m = state.setdefault("grad_avg", np.zeros_like(W)) if centered else W[:0]
    b = state.setdefault("momentum_buffer", np.zeros_like(W)) if momentum > 0 else W[:0]
    compile_loop(make_loop, centered, momentum > 0)(
        W,
        dW,
        state["square_avg"],
        m,
        b,
        c(group["lr"]),
        c(beta),
        c(1 - beta),
        c(group["eps"]),
        c(group["weight_decay"]),
        c(momentum),
        group["maximize"],
        group["weight_decay"] != 0,
    )


KERNELS = RuleKernels(copies="2a6d6bc94e195f56", fused=fused)
