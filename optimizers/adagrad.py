"""Adagrad: per-coordinate learning rates from the sum of all past squared gradients
(Duchi, Hazan & Singer, 2011).

    G = G + dW**2                     (G starts at initial_accumulator_value)
    W = W - alpha_t * dW / (sqrt(G) + epsilon),   alpha_t = alpha / (1 + (t - 1) * lr_decay)

As torch.optim.Adagrad; state ``step`` and ``sum`` (G), made for every parameter when the
optimizer is created, as PyTorch does.
"""

from __future__ import annotations

from typing import ClassVar

import numpy as np

from ._kernels import adagrad as adagrad_kernels
from .optimizer import Check, Optimizer, hyperparameters
from .types import ParamGroup, ParamsLike, State
from .validation import flag, learning_rate, non_negative


class Adagrad(Optimizer):
    """Adagrad with PyTorch's signature, defaults and semantics.

    Parameters
    ----------
    params : iterable of Parameters or dicts
        The parameters, or param groups, as ``Optimizer``'s.
    lr : float, default 0.01
        The learning rate alpha.
    lr_decay : float, default 0
        alpha_t = lr / (1 + (t - 1) * lr_decay).
    weight_decay : float, default 0
        L2 penalty: weight_decay * W added to dW (as torch.optim's).
    initial_accumulator_value : float, default 0
        The value G (the sum of squared gradients) starts at.
    eps : float, default 1e-10
        epsilon, added to sqrt(G).
    foreach, fused : bool, optional
        The executor, as ``Optimizer``'s (the same numbers whichever runs).
    maximize : bool, default False
        Ascend the objective instead: the step uses -dW.
    differentiable : bool, default False
        PyTorch's flags, accepted as False, as ``Optimizer``'s.

    Examples
    --------
    >>> import numpy as np, nn, optimizers
    >>> w = nn.Parameter(np.array([1.0]))
    >>> opt = optimizers.Adagrad([w], lr=0.5, eps=0.0)
    >>> w.grad = np.array([4.0]); opt.step(); w.data  # 1 - 0.5 * 4 / 4
    tensor([0.5000], dtype=float64)
    """

    elementwise = True
    kernels = adagrad_kernels.KERNELS  # (optimizers/_kernels/adagrad.py)
    checks: ClassVar[dict[str, Check]] = {
        "lr": learning_rate,
        "lr_decay": non_negative,
        "weight_decay": non_negative,
        "initial_accumulator_value": non_negative,
        "eps": non_negative,
        "maximize": flag,
    }

    def __init__(
        self,
        params: ParamsLike,
        lr: float = 1e-2,
        lr_decay: float = 0,
        weight_decay: float = 0,
        initial_accumulator_value: float = 0,
        eps: float = 1e-10,
        foreach: bool | None = None,
        *,
        maximize: bool = False,
        differentiable: bool = False,
        fused: bool | None = None,
    ) -> None:
        super().__init__(params, hyperparameters(locals()))
        for group in self.param_groups:
            for param in group["params"]:
                self.state[param] = self.init_state(param._data, group)

    def init_state(self, W: np.ndarray, group: ParamGroup) -> State:
        return {"step": 0, "sum": np.full_like(W, group["initial_accumulator_value"])}

    def update(self, W: np.ndarray, dW: np.ndarray, state: State, group: ParamGroup) -> None:
        t, G = state["step"], state["sum"]
        if group["maximize"]:
            dW = -dW
        if group["weight_decay"] != 0:
            dW = dW + group["weight_decay"] * W  # the gradient of an L2 penalty
        alpha_t = group["lr"] / (1 + (t - 1) * group["lr_decay"])

        G += dW**2
        W -= alpha_t * dW / (np.sqrt(G) + group["eps"])
