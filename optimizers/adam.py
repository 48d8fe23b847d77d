"""Adam: momentum plus RMSProp, with bias correction (Kingma & Ba, 2015).

Course notation (alpha = lr, beta1, beta2 = betas, epsilon = eps), for each parameter W:

    t = t + 1
    v = beta1 * v + (1 - beta1) * dW            s = beta2 * s + (1 - beta2) * dW**2
    v_corrected = v / (1 - beta1**t)            s_corrected = s / (1 - beta2**t)
    W = W - alpha * v_corrected / (sqrt(s_corrected) + epsilon)

This is torch.optim.Adam's rule; state keys use PyTorch's names (exp_avg = v, exp_avg_sq = s,
max_exp_avg_sq for AMSGrad, which uses the running maximum of s).
"""

from __future__ import annotations

from typing import ClassVar

import numpy as np

from ._kernels import adam as adam_kernels
from .optimizer import Check, Optimizer, hyperparameters
from .types import ParamGroup, ParamsLike, State
from .validation import betas, flag, learning_rate, non_negative


class Adam(Optimizer):
    """Adam with PyTorch's options: weight_decay (L2, or decoupled as AdamW), amsgrad, maximize.

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
    amsgrad : bool, default False
        Use the running maximum of s (AMSGrad).
    foreach, fused : bool, optional
        The executor, as ``Optimizer``'s (the same numbers whichever runs).
    maximize : bool, default False
        Ascend the objective instead: the step uses -dW.
    capturable, differentiable : bool, default False
        PyTorch's flags, accepted as False, as ``Optimizer``'s.
    decoupled_weight_decay : bool, default False
        Shrink W by (1 - lr * weight_decay) instead of adding weight_decay * W to dW.

    Examples
    --------
    >>> import numpy as np, nn, optimizers
    >>> w = nn.Parameter(np.array([1.0, 1.0]))
    >>> opt = optimizers.Adam([w], lr=0.1, eps=0.0)
    >>> w.grad = np.array([3.0, -0.01]); opt.step(); w.data  # first step: lr per coordinate
    tensor([0.9000, 1.1000], dtype=float64)
    """

    elementwise = True
    kernels = adam_kernels.KERNELS  # (optimizers/_kernels/adam.py)
    checks: ClassVar[dict[str, Check]] = {
        "lr": learning_rate,
        "betas": betas,
        "eps": non_negative,
        "weight_decay": non_negative,
        "amsgrad": flag,
        "maximize": flag,
        "decoupled_weight_decay": flag,
    }

    def __init__(
        self,
        params: ParamsLike,
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0,
        amsgrad: bool = False,
        *,
        foreach: bool | None = None,
        maximize: bool = False,
        capturable: bool = False,
        differentiable: bool = False,
        fused: bool | None = None,
        decoupled_weight_decay: bool = False,
    ) -> None:
        super().__init__(params, hyperparameters(locals()))

    def init_state(self, W: np.ndarray, group: ParamGroup) -> State:
        state = {"step": 0, "exp_avg": np.zeros_like(W), "exp_avg_sq": np.zeros_like(W)}
        if group["amsgrad"]:
            state["max_exp_avg_sq"] = np.zeros_like(W)
        return state

    def update(self, W: np.ndarray, dW: np.ndarray, state: State, group: ParamGroup) -> None:
        alpha, (beta1, beta2), epsilon = group["lr"], group["betas"], group["eps"]
        t, v, s = state["step"], state["exp_avg"], state["exp_avg_sq"]
        if group["maximize"]:
            dW = -dW
        if group["weight_decay"] != 0:
            if group["decoupled_weight_decay"]:  # AdamW: shrink W itself
                W *= 1 - alpha * group["weight_decay"]
            else:  # the gradient of an L2 penalty
                dW = dW + group["weight_decay"] * W

        v *= beta1
        v += (1 - beta1) * dW  # v = beta1 v + (1 - beta1) * dW
        s *= beta2
        s += (1 - beta2) * dW**2  # s = beta2 s + (1 - beta2) * dW**2
        if group["amsgrad"]:  # the largest s so far takes s's place
            s_max = state.setdefault("max_exp_avg_sq", np.zeros_like(s))
            np.maximum(s_max, s, out=s_max)
            s = s_max
        v_corrected = v / (1 - beta1**t)
        s_corrected = s / (1 - beta2**t)
        W -= alpha * v_corrected / (np.sqrt(s_corrected) + epsilon)
