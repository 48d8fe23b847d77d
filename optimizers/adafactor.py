"""Adafactor: Adam's second moment stored as row and column averages (factored), a relative
step size and update clipping, with memory that grows with rows + columns instead of their
product (Shazeer & Stern, 2018, "Adafactor: Adaptive Learning Rates with Sublinear Memory
Cost"), in PyTorch's form (no first moment).

Course notation, for a matrix W (n x m) at step t, beta2_t = 1 - t**beta2_decay:

    alpha_t = max(epsilon2, rms(W)) * min(lr, 1 / sqrt(t))      relative step size
    R = beta2_t * R + (1 - beta2_t) * mean over columns of dW**2    (n x 1)
    C = beta2_t * C + (1 - beta2_t) * mean over rows of dW**2       (1 x m)
    s = R C / max(mean(R), epsilon1)                            the factored estimate of E[dW**2]
    u = dW / sqrt(max(s, epsilon1**2))
    W = W - alpha_t * u / max(1, rms(u) / d)                    update clipped at rms d

A vector keeps the full s = beta2_t * s + (1 - beta2_t) * dW**2. ``weight_decay`` shrinks W
by (1 - lr * weight_decay) (after alpha_t is computed, as PyTorch). epsilon1 None is the
dtype's machine epsilon. State: ``step``, ``row_var`` and ``col_var`` (R and C), or
``variance`` (s) for vectors.
"""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np

from .optimizer import Check, Optimizer, hyperparameters
from .types import ParamGroup, ParamsLike, State
from .validation import flag, learning_rate


def _beta2_decay(name: str, value: Any) -> None:
    if not value <= 0.0:
        raise ValueError(f"beta2_decay should be <= 0 but is: {value}")


def _eps(name: str, value: Any) -> None:
    eps1, eps2 = value
    if eps1 is not None and not 0.0 <= eps1:
        raise ValueError(f"epsilon1 should be >= 0 but is: {eps1}")
    if not 0.0 <= eps2:
        raise ValueError(f"epsilon2 should be >= 0 but is: {eps2}")


def _d(name: str, value: Any) -> None:
    if not 1.0 <= value:
        raise ValueError(f"Clipping threshold d should be >= 1 but is: {value}")


def _weight_decay(name: str, value: Any) -> None:
    if not 0.0 <= value:
        raise ValueError(f"weight_decay should be >= 0 but is: {value}")


def _rms(a: np.ndarray) -> float:
    return float(np.linalg.norm(a.reshape(-1)) / a.size**0.5)


class Adafactor(Optimizer):
    """Adafactor with PyTorch's signature, defaults and semantics.

    Parameters
    ----------
    params : iterable of Parameters or dicts
        The parameters, or param groups, as ``Optimizer``'s.
    lr : float, default 0.01
        The learning rate alpha.
    beta2_decay : float, default -0.8
        The exponent of beta2's schedule: beta2_t = 1 - t ** beta2_decay.
    eps : tuple[float | None, float], default (None, 0.001)
        (eps1, eps2): eps1 keeps the update's denominator away from 0 (None: the dtype's
        eps), eps2 is the smallest scale of the relative step.
    d : float, default 1.0
        The clipping threshold of the update's root mean square.
    weight_decay : float, default 0.0
        Decoupled: W shrinks by (1 - lr * weight_decay).
    foreach : bool, optional
        The executor, as ``Optimizer``'s (the same numbers whichever runs).
    maximize : bool, default False
        Ascend the objective instead: the step uses -dW.

    Examples
    --------
    >>> import numpy as np, nn, optimizers
    >>> w = nn.Parameter(np.ones((2, 3)))
    >>> opt = optimizers.Adafactor([w], lr=0.01)
    >>> w.grad = np.full((2, 3), 0.5); opt.step(); w.data.numpy().round(4)  # 1 - 0.01 * rms(W)
    array([[0.99, 0.99, 0.99],
           [0.99, 0.99, 0.99]])
    """

    checks: ClassVar[dict[str, Check]] = {
        "lr": learning_rate,
        "beta2_decay": _beta2_decay,
        "eps": _eps,
        "d": _d,
        "weight_decay": _weight_decay,
        "maximize": flag,
    }

    def __init__(
        self,
        params: ParamsLike,
        lr: float = 1e-2,
        beta2_decay: float = -0.8,
        eps: tuple[float | None, float] = (None, 1e-3),
        d: float = 1.0,
        weight_decay: float = 0.0,
        *,
        foreach: bool | None = None,
        maximize: bool = False,
    ) -> None:
        super().__init__(params, hyperparameters(locals()))

    def init_state(self, W: np.ndarray, group: ParamGroup) -> State:
        if W.ndim > 1:
            rows, cols = list(W.shape), list(W.shape)
            rows[-1], cols[-2] = 1, 1
            return {
                "step": 0,
                "row_var": np.zeros(rows, W.dtype),
                "col_var": np.zeros(cols, W.dtype),
            }
        return {"step": 0, "variance": np.zeros_like(W)}

    def update(self, W: np.ndarray, dW: np.ndarray, state: State, group: ParamGroup) -> None:
        lr, t = group["lr"], state["step"]
        eps1, eps2 = group["eps"]
        if eps1 is None:
            eps1 = float(np.finfo(W.dtype).eps)
        if group["maximize"]:
            dW = -dW
        beta2_t = 1 - float(t) ** group["beta2_decay"]  # (t**beta2_decay: PyTorch's 1 - beta2_t)
        alpha_t = max(eps2, _rms(W)) * min(lr, 1 / float(t) ** 0.5)
        if group["weight_decay"] != 0:
            W *= 1 - lr * group["weight_decay"]

        if dW.ndim > 1:
            R, C = state["row_var"], state["col_var"]
            R[...] = beta2_t * R + (1 - beta2_t) * (dW * dW).mean(axis=-1, keepdims=True)
            C[...] = beta2_t * C + (1 - beta2_t) * (dW * dW).mean(axis=-2, keepdims=True)
            s = (R @ C) / np.maximum(R.mean(axis=-2, keepdims=True), eps1)
        else:
            v = state["variance"]
            v[...] = beta2_t * v + (1 - beta2_t) * dW * dW
            s = v.copy()
        u = dW / np.sqrt(np.maximum(s, eps1 * eps1))
        W -= alpha_t / max(1.0, _rms(u) / group["d"]) * u
