"""RAdam: Adam whose adaptive step is switched on only once the variance of its estimate is
tractable, and rectified until then (Liu et al., 2020, "On the Variance of the Adaptive
Learning Rate and Beyond").

Course notation (alpha is ``lr``; rho is the length of the approximated simple moving
average of the squared gradients):

    v = beta1 * v + (1 - beta1) * dW
    s = beta2 * s + (1 - beta2) * dW**2
    v_corrected = v / (1 - beta1**t)
    rho_inf = 2 / (1 - beta2) - 1
    rho_t = rho_inf - 2 t beta2**t / (1 - beta2**t)
    if rho_t > 5:   r = sqrt((rho_t - 4)(rho_t - 2) rho_inf / ((rho_inf - 4)(rho_inf - 2) rho_t))
                    W = W - alpha * v_corrected * r * sqrt(1 - beta2**t) / (sqrt(s) + epsilon)
    else:           W = W - alpha * v_corrected                 (momentum SGD, no adaptive step)

As torch.optim.RAdam: ``weight_decay`` adds weight_decay * W to dW, or, with
``decoupled_weight_decay``, shrinks W by (1 - alpha * weight_decay) first.
State: ``step``, ``exp_avg`` (v), ``exp_avg_sq`` (s).
"""

from __future__ import annotations

from typing import ClassVar

import numpy as np

from .optimizer import Check, Optimizer, hyperparameters
from .types import ParamGroup, ParamsLike, State
from .validation import betas, flag, learning_rate, non_negative


class RAdam(Optimizer):
    """RAdam with PyTorch's signature, defaults and semantics.

    Parameters
    ----------
    params : iterable of Parameters or dicts
        The parameters, or param groups, as ``Optimizer``'s.
    lr : float, default 0.001
        The learning rate alpha.
    betas : tuple[float, float], default (0.9, 0.999)
        (beta1, beta2): the decays of the averages v and s.
    eps : float, default 1e-08
        epsilon, added to the denominator.
    weight_decay : float, default 0
        L2 penalty: weight_decay * W added to dW (as torch.optim's).
    decoupled_weight_decay : bool, default False
        Shrink W by (1 - lr * weight_decay) instead of adding weight_decay * W to dW.
    foreach : bool, optional
        The executor, as ``Optimizer``'s (the same numbers whichever runs).
    maximize : bool, default False
        Ascend the objective instead: the step uses -dW.
    capturable, differentiable : bool, default False
        PyTorch's flags, accepted as False, as ``Optimizer``'s.

    Examples
    --------
    >>> import numpy as np, nn, optimizers
    >>> w = nn.Parameter(np.array([1.0]))
    >>> opt = optimizers.RAdam([w], lr=0.1)
    >>> w.grad = np.array([2.0]); opt.step(); w.data  # rho_1 <= 5: a momentum step
    tensor([0.8000], dtype=float64)
    """

    elementwise = True
    checks: ClassVar[dict[str, Check]] = {
        "lr": learning_rate,
        "betas": betas,
        "eps": non_negative,
        "weight_decay": non_negative,
        "decoupled_weight_decay": flag,
        "maximize": flag,
    }

    def __init__(
        self,
        params: ParamsLike,
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0,
        decoupled_weight_decay: bool = False,
        *,
        foreach: bool | None = None,
        maximize: bool = False,
        capturable: bool = False,
        differentiable: bool = False,
    ) -> None:
        super().__init__(params, hyperparameters(locals()))

    def init_state(self, W: np.ndarray, group: ParamGroup) -> State:
        return {"step": 0, "exp_avg": np.zeros_like(W), "exp_avg_sq": np.zeros_like(W)}

    def update(self, W: np.ndarray, dW: np.ndarray, state: State, group: ParamGroup) -> None:
        alpha, (beta1, beta2), epsilon = group["lr"], group["betas"], group["eps"]
        t, v, s = state["step"], state["exp_avg"], state["exp_avg_sq"]
        if group["maximize"]:
            dW = -dW
        if group["weight_decay"] != 0:
            if group["decoupled_weight_decay"]:
                W *= 1 - alpha * group["weight_decay"]
            else:  # the gradient of an L2 penalty
                dW = dW + group["weight_decay"] * W

        v *= beta1
        v += (1 - beta1) * dW  # v = beta1 v + (1 - beta1) * dW
        s *= beta2
        s += (1 - beta2) * dW**2  # s = beta2 s + (1 - beta2) * dW**2
        v_corrected = v / (1 - beta1**t)
        rho_inf = 2 / (1 - beta2) - 1
        rho_t = rho_inf - 2 * t * beta2**t / (1 - beta2**t)
        if rho_t > 5.0:  # the variance is tractable: rectified adaptive step
            r = (
                (rho_t - 4) * (rho_t - 2) * rho_inf / ((rho_inf - 4) * (rho_inf - 2) * rho_t)
            ) ** 0.5
            adaptive = (1 - beta2**t) ** 0.5 / (np.sqrt(s) + epsilon)
            W -= v_corrected * alpha * adaptive * r
        else:
            W -= v_corrected * alpha
