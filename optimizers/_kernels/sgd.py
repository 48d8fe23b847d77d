"""``SGD.update`` (optimizers/sgd.py) as a numba loop for ``fused=True``, and ``fused``, which
calls it with ``update``'s signature (the package's docstring says how it stays the rule)."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ..types import ParamGroup, State
from . import RuleKernels, Scalar, compile_loop


def make_loop(with_momentum: bool) -> Callable[..., None]:
    def loop(
        W: np.ndarray,
        dW: np.ndarray,
        b: np.ndarray,
        alpha: Scalar,
        momentum: Scalar,
        undamped: Scalar,
        weight_decay: Scalar,
        nesterov: bool,
        maximize: bool,
        first: bool,
        decay: bool,
    ) -> None:
        for i in range(W.size):
            g = -dW[i] if maximize else dW[i]
            if decay:
                g = g + weight_decay * W[i]
            if with_momentum:
                if first:
                    b[i] = g
                else:
                    b[i] = momentum * b[i] + undamped * g
                g = g + momentum * b[i] if nesterov else b[i]
            W[i] -= alpha * g

    return loop


def fused(W: np.ndarray, dW: np.ndarray, state: State, group: ParamGroup) -> None:
    c = W.dtype.type
    with_momentum = group["momentum"] != 0
    b: np.ndarray = W[:0]
    first = False
    if with_momentum:
        first = "momentum_buffer" not in state
        if first:
            state["momentum_buffer"] = np.empty_like(W)
        b = state["momentum_buffer"]
    compile_loop(make_loop, with_momentum)(
        W,
        dW,
        b,
        c(group["lr"]),
        c(group["momentum"]),
        c(1 - group["dampening"]),
        c(group["weight_decay"]),
        group["nesterov"],
        group["maximize"],
        first,
        group["weight_decay"] != 0,
    )


KERNELS = RuleKernels(copies="62f2ea7c57c2fc7b", fused=fused)
