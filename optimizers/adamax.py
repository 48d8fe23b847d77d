"""Adamax: Adam with the infinity norm in place of the root mean square (Kingma & Ba, 2015,
"Adam: A Method for Stochastic Optimization", section 7.1).

Course notation (alpha is ``lr``):

    v = beta1 * v + (1 - beta1) * dW                 momentum, as in Adam
    u = max(beta2 * u, |dW| + epsilon)               a decaying running maximum of |dW|
    W = W - alpha / (1 - beta1**t) * v / u           bias-corrected v over u

As torch.optim.Adamax (epsilon inside the maximum): ``weight_decay`` adds
weight_decay * W to dW, ``maximize`` ascends. State: ``step``, ``exp_avg`` (v),
``exp_inf`` (u).
"""

from __future__ import annotations

from typing import ClassVar

import numpy as np

from .optimizer import Check, Optimizer, hyperparameters
from .types import ParamGroup, ParamsLike, State
from .validation import betas, flag, learning_rate, non_negative


class Adamax(Optimizer):
    """Adamax with PyTorch's signature, defaults and semantics.

    Parameters
    ----------
    params : iterable of Parameters or dicts
        The parameters, or param groups, as ``Optimizer``'s.
    lr : float, default 0.002
        The learning rate alpha.
    betas : tuple[float, float], default (0.9, 0.999)
        (beta1, beta2): the decay of v and of the infinity norm u.
    eps : float, default 1e-08
        epsilon, added to |dW| where the infinity norm u is updated.
    weight_decay : float, default 0
        L2 penalty: weight_decay * W added to dW (as torch.optim's).
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
    >>> opt = optimizers.Adamax([w], lr=0.1, eps=0.0)
    >>> w.grad = np.array([-4.0]); opt.step(); w.data  # first step: lr * sign(dW)
    tensor([1.1000], dtype=float64)
    """

    elementwise = True
    checks: ClassVar[dict[str, Check]] = {
        "lr": learning_rate,
        "betas": betas,
        "eps": non_negative,
        "weight_decay": non_negative,
        "maximize": flag,
    }

    def __init__(
        self,
        params: ParamsLike,
        lr: float = 2e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0,
        foreach: bool | None = None,
        *,
        maximize: bool = False,
        differentiable: bool = False,
        capturable: bool = False,
    ) -> None:
        super().__init__(params, hyperparameters(locals()))

    def init_state(self, W: np.ndarray, group: ParamGroup) -> State:
        return {"step": 0, "exp_avg": np.zeros_like(W), "exp_inf": np.zeros_like(W)}

    def update(self, W: np.ndarray, dW: np.ndarray, state: State, group: ParamGroup) -> None:
        alpha, (beta1, beta2), epsilon = group["lr"], group["betas"], group["eps"]
        t, v, u = state["step"], state["exp_avg"], state["exp_inf"]
        if group["maximize"]:
            dW = -dW
        if group["weight_decay"] != 0:
            dW = dW + group["weight_decay"] * W  # the gradient of an L2 penalty

        v *= beta1
        v += (1 - beta1) * dW  # v = beta1 v + (1 - beta1) * dW
        u[...] = np.maximum(beta2 * u, np.abs(dW) + epsilon)
        W -= alpha / (1 - beta1**t) * v / u
