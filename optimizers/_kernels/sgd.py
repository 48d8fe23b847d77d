"""``SGD.update`` (optimizers/sgd.py) as a NumPy kernel for the default executor's large
parameters (the common options), and as a numba loop for ``fused=True`` with ``fused``,
which calls it with ``update``'s signature (the package's docstring says how they stay the
rule)."""

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


def numpy_applies(group: ParamGroup) -> bool:
    """The options ``numpy`` covers: no maximize, no weight decay, no Nesterov momentum."""
    return not group["maximize"] and group["weight_decay"] == 0 and not group["nesterov"]


def numpy(
    W: np.ndarray, dW: np.ndarray, state: State, group: ParamGroup, a: np.ndarray, b: np.ndarray
) -> None:
    """``SGD.update``, its temporaries written into ``a``."""
    momentum = group["momentum"]
    if momentum != 0:
        buffer = state.get("momentum_buffer")
        if buffer is None:  # the first step: b = dW (a copy)
            buffer = state["momentum_buffer"] = np.array(dW)
        else:
            buffer *= momentum
            np.multiply(dW, 1 - group["dampening"], out=a)  # (1 - dampening) * dW
            buffer += a
        dW = buffer
    np.multiply(dW, group["lr"], out=a)  # alpha * dW
    W -= a


KERNELS = RuleKernels(
    copies="62f2ea7c57c2fc7b", fused=fused, numpy=numpy, numpy_applies=numpy_applies
)
