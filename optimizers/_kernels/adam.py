"""The fast copies of ``Adam.update`` (``optimizers/adam.py``), each giving its numbers bit
for bit:

- ``numpy``: the rule's NumPy operations in its order, the temporaries written into two
  scratch arrays (``out=``), for the default executor's large parameters, where a readable
  rule pays a temporary per operation and NumPy's fixed cost per call in every 64 KB slice
  (the MLP 784-256-128-10: 549 against about 405 us a step; docs/benchmarks.md); it covers
  the common options (``numpy_applies``), the readable rule runs for the others;
- ``make_loop``: the loop over elements for ``fused=True``, compiled by numba, and
  ``fused``, which calls it with ``update``'s signature, in the parameter's dtype (each
  hyperparameter cast to it first, as NumPy casts a Python float)."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ..types import ParamGroup, State
from . import RuleKernels, Scalar, compile_loop


def make_loop(amsgrad: bool) -> Callable[..., None]:
    def loop(
        W: np.ndarray,
        dW: np.ndarray,
        v: np.ndarray,
        s: np.ndarray,
        s_max: np.ndarray,
        alpha: Scalar,
        beta1: Scalar,
        one_minus_beta1: Scalar,
        beta2: Scalar,
        one_minus_beta2: Scalar,
        epsilon: Scalar,
        weight_decay: Scalar,
        shrink: Scalar,
        decoupled: bool,
        maximize: bool,
        correction1: Scalar,
        correction2: Scalar,
        decay: bool,
    ) -> None:
        for i in range(W.size):
            g = -dW[i] if maximize else dW[i]
            if decay:
                if decoupled:
                    W[i] *= shrink
                else:
                    g = g + weight_decay * W[i]
            v[i] = beta1 * v[i] + one_minus_beta1 * g
            s[i] = beta2 * s[i] + one_minus_beta2 * (g * g)
            largest = s[i]
            if amsgrad:  # np.maximum: NaN wins
                if not s_max[i] >= largest and s_max[i] == s_max[i]:
                    s_max[i] = largest
                largest = s_max[i]
            v_corrected = v[i] / correction1
            s_corrected = largest / correction2
            W[i] -= alpha * v_corrected / (np.sqrt(s_corrected) + epsilon)

    return loop


def fused(W: np.ndarray, dW: np.ndarray, state: State, group: ParamGroup) -> None:
    c, t = W.dtype.type, state["step"]
    alpha, (beta1, beta2), weight_decay = group["lr"], group["betas"], group["weight_decay"]
    amsgrad = group["amsgrad"]
    s_max = state.setdefault("max_exp_avg_sq", np.zeros_like(W)) if amsgrad else W[:0]
    compile_loop(make_loop, amsgrad)(
        W,
        dW,
        state["exp_avg"],
        state["exp_avg_sq"],
        s_max,
        c(alpha),
        c(beta1),
        c(1 - beta1),
        c(beta2),
        c(1 - beta2),
        c(group["eps"]),
        c(weight_decay),
        c(1 - alpha * weight_decay),
        group["decoupled_weight_decay"],
        group["maximize"],
        c(1 - beta1**t),
        c(1 - beta2**t),
        weight_decay != 0,
    )


def numpy_applies(group: ParamGroup) -> bool:
    """The options ``numpy`` covers: no amsgrad, no maximize, weight decay none or
    decoupled."""
    return bool(
        not group["amsgrad"]
        and not group["maximize"]
        and (group["weight_decay"] == 0 or group["decoupled_weight_decay"])
    )


def numpy(
    W: np.ndarray, dW: np.ndarray, state: State, group: ParamGroup, a: np.ndarray, b: np.ndarray
) -> None:
    """``Adam.update``, its temporaries written into ``a`` and ``b``."""
    alpha, (beta1, beta2), epsilon = group["lr"], group["betas"], group["eps"]
    t, v, s = state["step"], state["exp_avg"], state["exp_avg_sq"]
    if group["weight_decay"] != 0:  # decoupled (AdamW): shrink W itself
        W *= 1 - alpha * group["weight_decay"]
    v *= beta1
    np.multiply(dW, 1 - beta1, out=a)  # (1 - beta1) * dW
    v += a
    s *= beta2
    np.square(dW, out=a)  # dW**2
    a *= 1 - beta2
    s += a
    np.divide(v, 1 - beta1**t, out=a)  # v_corrected
    np.divide(s, 1 - beta2**t, out=b)  # s_corrected
    np.sqrt(b, out=b)
    b += epsilon
    a *= alpha  # alpha * v_corrected
    np.divide(a, b, out=a)
    W -= a


KERNELS = RuleKernels(
    copies="08c2b8ae4b3cf575", fused=fused, numpy=numpy, numpy_applies=numpy_applies
)
