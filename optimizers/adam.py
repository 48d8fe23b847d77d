"""Adam: momentum plus RMSProp, with bias correction.

Course notation (alpha = lr, beta1, beta2 = betas, epsilon = eps), for each parameter W:

    t = t + 1
    v = beta1 * v + (1 - beta1) * dW            s = beta2 * s + (1 - beta2) * dW**2
    v_corrected = v / (1 - beta1**t)            s_corrected = s / (1 - beta2**t)
    W = W - alpha * v_corrected / (sqrt(s_corrected) + epsilon)

This is torch.optim.Adam's rule; state keys use PyTorch's names (exp_avg = v, exp_avg_sq = s,
max_exp_avg_sq for AMSGrad, which uses the running maximum of s).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np

from . import functional as F
from ._checks import check_betas, check_bool, check_lr, check_non_negative
from .optimizer import Optimizer, ParamGroup


class Adam(Optimizer):
    """Adam (Kingma & Ba, 2015) with PyTorch's options: weight_decay (L2), amsgrad, maximize.

    Parameters
    ----------
    params : iterable of Parameters or dicts
    lr : float, default 1e-3
        alpha.
    betas : (float, float), default (0.9, 0.999)
        beta1 (momentum) and beta2 (RMSProp), each in [0, 1).
    eps : float, default 1e-8
        epsilon, added to sqrt(s_corrected).
    weight_decay : float, default 0
        Adds weight_decay * W to dW (for decoupled decay use AdamW).
    amsgrad : bool, default False

    Examples
    --------
    >>> import numpy as np, nn, optimizers
    >>> w = nn.Parameter(np.array([1.0, 1.0]))
    >>> opt = optimizers.Adam([w], lr=0.1, eps=0.0)
    >>> w.grad = np.array([3.0, -0.01]); opt.step(); w.data  # first step: lr per coordinate
    tensor([0.9, 1.1], dtype=float64)
    """

    _decoupled_weight_decay = False

    _flat = True

    def __init__(
        self,
        params: Iterable[Any],
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0.0,
        amsgrad: bool = False,
        *,
        maximize: bool = False,
    ) -> None:
        defaults = {
            "lr": lr,
            "betas": tuple(betas) if isinstance(betas, list) else betas,
            "eps": eps,
            "weight_decay": weight_decay,
            "amsgrad": amsgrad,
            "maximize": maximize,
        }
        super().__init__(params, defaults)

    def _check_group(self, group: ParamGroup) -> None:
        check_lr(group["lr"])
        check_betas(group["betas"])
        check_non_negative("epsilon", group["eps"])
        check_non_negative("weight_decay", group["weight_decay"])
        check_bool("amsgrad", group["amsgrad"])
        check_bool("maximize", group["maximize"])

    def _init_state(self, param: Any, group: ParamGroup) -> dict[str, Any]:
        state: dict[str, Any] = {
            "step": 0,
            "exp_avg": np.zeros_like(param._data),
            "exp_avg_sq": np.zeros_like(param._data),
        }
        if group["amsgrad"]:
            state["max_exp_avg_sq"] = np.zeros_like(param._data)
        return state

    def _state_keys(self, group: ParamGroup) -> tuple[str, ...]:
        keys = ("exp_avg", "exp_avg_sq")
        return keys + ("max_exp_avg_sq",) if group["amsgrad"] else keys

    def _update(self, param: Any, state: dict[str, Any], group: ParamGroup) -> None:
        if group["amsgrad"] and "max_exp_avg_sq" not in state:  # amsgrad turned on later
            state["max_exp_avg_sq"] = np.zeros_like(param._data)
        super()._update(param, state, group)

    def _kernel(
        self, W: Any, dW: Any, state: dict[str, Any], group: ParamGroup, scratch: Any
    ) -> None:
        beta1, beta2 = group["betas"]
        F.adam(
            W,
            dW,
            state["exp_avg"],
            state["exp_avg_sq"],
            state["step"],
            lr=group["lr"],
            beta1=beta1,
            beta2=beta2,
            eps=group["eps"],
            weight_decay=group["weight_decay"],
            maximize=group["maximize"],
            s_max=state["max_exp_avg_sq"] if group["amsgrad"] else None,
            decoupled_weight_decay=self._decoupled_weight_decay,
            scratch=scratch,
        )
