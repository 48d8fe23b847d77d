"""Compiled update kernels, for ``fused=True``: one pass over memory per chunk.

Each kernel is the loop over elements of a built-in rule's ``update`` (in its own file),
written with the same operations in the same order and in the parameter's dtype (every
hyperparameter cast to it first, as NumPy casts a Python float; the branches decided on the
Python values, as the rule decides them), so that a fused step gives the reference's
numbers: tests/optimizers/test_executors.py holds them to it, bit for bit.
They are compiled by numba, the optional ``fast`` extra (``pip install -e ".[fast]"``), at
their first use; ``fused=True`` without numba raises an ``ImportError`` naming the extra.

``kernel_for(optimizer)`` returns a function with ``update``'s signature,
``(W, dW, state, group)`` on flat arrays, which the multi-tensor executor
(``optimizers._executors``) runs chunk by chunk.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import numpy as np

from ._numpy_kernels import declared_kernel
from .types import ParamGroup, State

if TYPE_CHECKING:
    from .optimizer import Optimizer

Update = Callable[[np.ndarray, np.ndarray, State, ParamGroup], None]

__all__ = ["kernel_for"]


def kernel_for(optimizer: Optimizer) -> Update:
    """The compiled kernel of ``optimizer``'s rule (compiled at its first call).

    Raises ``ValueError`` when the rule has none (a class that writes its own ``update``,
    even a subclass of a built-in, has none: the kernel would not be its rule) and
    ``ImportError`` when numba is not installed.
    """
    name = _declared_kernel(type(optimizer))
    if name is None:
        raise ValueError(
            f"{type(optimizer).__name__} has no fused kernel (fused=True is for the built-in "
            "rules: BatchGD, SGD, Momentum, Adam, AdamW, RMSprop, Adagrad); use foreach=True "
            "for a rule of your own"
        )
    return _KERNELS[name]


def _declared_kernel(cls: type) -> str | None:
    """The ``fused_kernel`` a class's rule declares, unless ``update`` is overridden below."""
    return declared_kernel(cls, "fused_kernel")


_compiled: dict[tuple[Any, ...], Any] = {}


def _compile(factory: Callable[..., Callable[..., None]], *flags: bool) -> Any:
    """The loop ``factory(*flags)`` makes, compiled by numba (once per flags; cached on
    disk), or ImportError naming the extra.

    The flags that decide which optional state arrays a loop touches are constants of its
    closure, so that numba compiles those branches away: a loop that only names its arrays
    is vectorised (an array it might touch, even in a branch not taken, stops that)."""
    key = (factory.__name__, *flags)
    if key not in _compiled:
        try:
            import numba
        except ImportError as error:
            raise ImportError(
                "fused=True compiles its kernels with numba, which is not installed: "
                'pip install "descend[fast]" (pip install -e ".[fast]" from a clone)'
            ) from error
        # error_model="numpy": x / 0 is inf or NaN, as in the NumPy rule (numba's default
        # raises ZeroDivisionError, and its check at every division stops vectorization)
        _compiled[key] = numba.njit(cache=True, error_model="numpy")(factory(*flags))
    return _compiled[key]


def require_numba() -> None:
    """Raise the ImportError naming the ``fast`` extra when numba is missing."""
    _compile(_gradient_descent_loop)


# ------------------------------------------------------------------ the rules' loops
def _gradient_descent_loop() -> Callable[..., None]:
    def loop(W: Any, dW: Any, alpha: Any) -> None:
        for i in range(W.size):
            W[i] -= alpha * dW[i]

    return loop


def _sgd_loop(with_momentum: bool) -> Callable[..., None]:
    def loop(
        W: Any,
        dW: Any,
        b: Any,
        alpha: Any,
        momentum: Any,
        undamped: Any,
        weight_decay: Any,
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


def _momentum_loop() -> Callable[..., None]:
    def loop(W: Any, dW: Any, v: Any, alpha: Any, beta: Any, one_minus_beta: Any) -> None:
        for i in range(W.size):
            v[i] = beta * v[i] + one_minus_beta * dW[i]
            W[i] -= alpha * v[i]

    return loop


def _adam_loop(amsgrad: bool) -> Callable[..., None]:
    def loop(
        W: Any,
        dW: Any,
        v: Any,
        s: Any,
        s_max: Any,
        alpha: Any,
        beta1: Any,
        one_minus_beta1: Any,
        beta2: Any,
        one_minus_beta2: Any,
        epsilon: Any,
        weight_decay: Any,
        shrink: Any,
        decoupled: bool,
        maximize: bool,
        correction1: Any,
        correction2: Any,
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


def _rmsprop_loop(centered: bool, with_momentum: bool) -> Callable[..., None]:
    def loop(
        W: Any,
        dW: Any,
        s: Any,
        m: Any,
        b: Any,
        alpha: Any,
        beta: Any,
        one_minus_beta: Any,
        epsilon: Any,
        weight_decay: Any,
        momentum: Any,
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


def _adagrad_loop() -> Callable[..., None]:
    def loop(
        W: Any,
        dW: Any,
        G: Any,
        alpha_t: Any,
        epsilon: Any,
        weight_decay: Any,
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


# ------------------------------------------- adapters: update's signature -> a loop
def _gradient_descent(W: np.ndarray, dW: np.ndarray, state: State, group: Any) -> None:
    _compile(_gradient_descent_loop)(W, dW, W.dtype.type(group["lr"]))


def _sgd(W: np.ndarray, dW: np.ndarray, state: State, group: Any) -> None:
    c = W.dtype.type
    with_momentum = group["momentum"] != 0
    b: np.ndarray = W[:0]
    first = False
    if with_momentum:
        first = "momentum_buffer" not in state
        if first:
            state["momentum_buffer"] = np.empty_like(W)
        b = state["momentum_buffer"]
    _compile(_sgd_loop, with_momentum)(
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


def _momentum(W: np.ndarray, dW: np.ndarray, state: State, group: Any) -> None:
    c, beta = W.dtype.type, group["beta"]
    loop = _compile(_momentum_loop)
    loop(W, dW, state["velocity"], c(group["lr"]), c(beta), c(1 - beta))


def _adam(W: np.ndarray, dW: np.ndarray, state: State, group: Any) -> None:
    c, t = W.dtype.type, state["step"]
    alpha, (beta1, beta2), weight_decay = group["lr"], group["betas"], group["weight_decay"]
    amsgrad = group["amsgrad"]
    s_max = state.setdefault("max_exp_avg_sq", np.zeros_like(W)) if amsgrad else W[:0]
    _compile(_adam_loop, amsgrad)(
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


def _rmsprop(W: np.ndarray, dW: np.ndarray, state: State, group: Any) -> None:
    c, beta = W.dtype.type, group["alpha"]
    centered, momentum = group["centered"], group["momentum"]
    m = state.setdefault("grad_avg", np.zeros_like(W)) if centered else W[:0]
    b = state.setdefault("momentum_buffer", np.zeros_like(W)) if momentum > 0 else W[:0]
    _compile(_rmsprop_loop, centered, momentum > 0)(
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


def _adagrad(W: np.ndarray, dW: np.ndarray, state: State, group: Any) -> None:
    c = W.dtype.type
    alpha_t = group["lr"] / (1 + (state["step"] - 1) * group["lr_decay"])
    _compile(_adagrad_loop)(
        W,
        dW,
        state["sum"],
        c(alpha_t),
        c(group["eps"]),
        c(group["weight_decay"]),
        group["maximize"],
        group["weight_decay"] != 0,
    )


_KERNELS: dict[str, Update] = {
    "gradient_descent": _gradient_descent,
    "sgd": _sgd,
    "momentum": _momentum,
    "adam": _adam,
    "rmsprop": _rmsprop,
    "adagrad": _adagrad,
}
