"""Adadelta: Adagrad's per-coordinate step sizes from running averages instead of sums, and
units that match W's (Zeiler, 2012, "ADADELTA: An Adaptive Learning Rate Method").

Course notation (rho is the averages' decay, like the course's beta; alpha is ``lr``):

    s = rho * s + (1 - rho) * dW**2                  running average of squared gradients
    delta = sqrt(u + epsilon) / sqrt(s + epsilon) * dW
    u = rho * u + (1 - rho) * delta**2               running average of squared steps
    W = W - alpha * delta

As torch.optim.Adadelta: ``weight_decay`` adds weight_decay * W to dW, ``maximize`` ascends.
State: ``step``, ``square_avg`` (s), ``acc_delta`` (u).
"""

from __future__ import annotations

from typing import ClassVar

import numpy as np

from .optimizer import Check, Optimizer, hyperparameters
from .types import ParamGroup, ParamsLike, State
from .validation import closed_unit_interval, flag, learning_rate, non_negative


class Adadelta(Optimizer):
    """Adadelta with PyTorch's signature, defaults and semantics.

    Parameters
    ----------
    params : iterable of Parameters or dicts
        The parameters, or param groups, as ``Optimizer``'s.
    lr : float, default 1.0
        Scales the step (1.0: Zeiler's rule as written).
    rho : float, default 0.9
        The decay of both running averages (of dW**2 and of the squared steps).
    eps : float, default 1e-06
        epsilon, inside both square roots.
    weight_decay : float, default 0
        L2 penalty: weight_decay * W added to dW (as torch.optim's).
    foreach : bool, optional
        The executor, as ``Optimizer``'s (the same numbers whichever runs).
    capturable, differentiable : bool, default False
        PyTorch's flags, accepted as False, as ``Optimizer``'s.
    maximize : bool, default False
        Ascend the objective instead: the step uses -dW.

    Examples
    --------
    >>> import numpy as np, nn, optimizers
    >>> w = nn.Parameter(np.array([1.0]))
    >>> opt = optimizers.Adadelta([w], lr=1.0, rho=0.0, eps=0.0)
    >>> w.grad = np.array([2.0]); opt.step(); w.data  # u = 0: the first step is 0
    tensor([1.], dtype=float64)
    """

    elementwise = True
    checks: ClassVar[dict[str, Check]] = {
        "lr": learning_rate,
        "rho": closed_unit_interval,
        "eps": non_negative,
        "weight_decay": non_negative,
        "maximize": flag,
    }

    def __init__(
        self,
        params: ParamsLike,
        lr: float = 1.0,
        rho: float = 0.9,
        eps: float = 1e-6,
        weight_decay: float = 0,
        foreach: bool | None = None,
        *,
        capturable: bool = False,
        maximize: bool = False,
        differentiable: bool = False,
    ) -> None:
        super().__init__(params, hyperparameters(locals()))

    def init_state(self, W: np.ndarray, group: ParamGroup) -> State:
        return {"step": 0, "square_avg": np.zeros_like(W), "acc_delta": np.zeros_like(W)}

    def update(self, W: np.ndarray, dW: np.ndarray, state: State, group: ParamGroup) -> None:
        alpha, rho, epsilon = group["lr"], group["rho"], group["eps"]
        if group["maximize"]:
            dW = -dW
        if group["weight_decay"] != 0:
            dW = dW + group["weight_decay"] * W  # the gradient of an L2 penalty

        s, u = state["square_avg"], state["acc_delta"]
        s *= rho
        s += (1 - rho) * dW**2  # s = rho s + (1 - rho) * dW**2
        delta = np.sqrt(u + epsilon) / np.sqrt(s + epsilon) * dW
        u *= rho
        u += (1 - rho) * delta**2  # u = rho u + (1 - rho) * delta**2
        W -= alpha * delta
