"""``Adagrad.update`` (optimizers/adagrad.py) as a numba loop for ``fused=True``, and
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
        G: np.ndarray,
        alpha_t: Scalar,
        epsilon: Scalar,
        weight_decay: Scalar,
        maximize: bool,
        decay: bool,
    ) -> None:
        for i in range(W.size):
            g = -dW[i] if maximize else dW[i]
            if decay:
                g = g + weight_decay * W[i]
            G[i] += g * g
            W[i] -= alpha_t * g / (np.sqrt(G[i]) + epsilon)

    return loop


def fused(W: np.ndarray, dW: np.ndarray, state: State, group: ParamGroup) -> None:
    c = W.dtype.type
    alpha_t = group["lr"] / (1 + (state["step"] - 1) * group["lr_decay"])
    compile_loop(make_loop)(
        W,
        dW,
        state["sum"],
        c(alpha_t),
        c(group["eps"]),
        c(group["weight_decay"]),
        group["maximize"],
        group["weight_decay"] != 0,
    )


KERNELS = RuleKernels(copies="83ef12a05ded5e0a", fused=fused)
