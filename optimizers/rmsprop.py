"""RMSprop: divide the gradient by a running root mean square of recent gradients.

Course notation (beta is PyTorch's ``alpha``, the smoothing constant; the course's
learning rate alpha is ``lr``):

    s = beta * s + (1 - beta) * dW**2
    W = W - alpha * dW / (sqrt(s) + epsilon)

As torch.optim.RMSprop: ``centered`` subtracts the square of the running mean of dW from s,
``momentum`` accumulates the scaled steps in a buffer, ``weight_decay`` adds
weight_decay * W to dW. State: ``step``, ``square_avg`` (s), ``momentum_buffer``,
``grad_avg``.
"""

from __future__ import annotations

from typing import ClassVar

import numpy as np

from ._kernels import rmsprop as rmsprop_kernels
from .optimizer import Check, Optimizer, hyperparameters
from .types import ParamGroup, ParamsLike, State
from .validation import flag, learning_rate, non_negative


class RMSprop(Optimizer):
    """RMSprop with PyTorch's signature, defaults and semantics (plus ``fused``, descend's).

    Parameters
    ----------
    params : iterable of Parameters or dicts
        The parameters, or param groups, as ``Optimizer``'s.
    lr : float, default 0.01
        The learning rate alpha.
    alpha : float, default 0.99
        The decay of the average of squared gradients (the course's beta).
    eps : float, default 1e-08
        epsilon, added to the denominator.
    weight_decay : float, default 0
        L2 penalty: weight_decay * W added to dW (as torch.optim's).
    momentum : float, default 0
        Momentum of the scaled steps: b = momentum * b + dW / (sqrt(s) + eps), W -= lr * b.
    centered : bool, default False
        Divide by the running standard deviation sqrt(s - m**2), m the running mean of dW.
    capturable, differentiable : bool, default False
        PyTorch's flags, accepted as False, as ``Optimizer``'s.
    foreach, fused : bool, optional
        The executor, as ``Optimizer``'s (the same numbers whichever runs).
    maximize : bool, default False
        Ascend the objective instead: the step uses -dW.

    Examples
    --------
    >>> import numpy as np, nn, optimizers
    >>> w = nn.Parameter(np.array([1.0]))
    >>> opt = optimizers.RMSprop([w], lr=0.01, alpha=0.99, eps=0.0)
    >>> w.grad = np.array([2.0]); opt.step(); np.round(w.data, 6)  # 1 - 0.01 * 2 / sqrt(0.04)
    tensor([0.9000], dtype=float64)
    """

    elementwise = True
    kernels = rmsprop_kernels.KERNELS  # (optimizers/_kernels/rmsprop.py)
    checks: ClassVar[dict[str, Check]] = {
        "lr": learning_rate,
        "alpha": non_negative,
        "eps": non_negative,
        "weight_decay": non_negative,
        "momentum": non_negative,
        "centered": flag,
        "maximize": flag,
    }

    def __init__(
        self,
        params: ParamsLike,
        lr: float = 1e-2,
        alpha: float = 0.99,
        eps: float = 1e-8,
        weight_decay: float = 0,
        momentum: float = 0,
        centered: bool = False,
        capturable: bool = False,
        foreach: bool | None = None,
        maximize: bool = False,
        differentiable: bool = False,
        *,
        fused: bool | None = None,
    ) -> None:
        super().__init__(params, hyperparameters(locals()))

    def init_state(self, W: np.ndarray, group: ParamGroup) -> State:
        state = {"step": 0, "square_avg": np.zeros_like(W)}
        if group["momentum"] > 0:
            state["momentum_buffer"] = np.zeros_like(W)
        if group["centered"]:
            state["grad_avg"] = np.zeros_like(W)
        return state

    def update(self, W: np.ndarray, dW: np.ndarray, state: State, group: ParamGroup) -> None:
        alpha, beta, epsilon = group["lr"], group["alpha"], group["eps"]
        if group["maximize"]:
            dW = -dW
        if group["weight_decay"] != 0:
            dW = dW + group["weight_decay"] * W  # the gradient of an L2 penalty

        s = state["square_avg"]
        s *= beta
        s += (1 - beta) * dW**2  # s = beta s + (1 - beta) * dW**2
        if group["centered"]:  # s minus the square of the running mean of dW: a variance
            m = state.setdefault("grad_avg", np.zeros_like(s))
            m *= beta
            m += (1 - beta) * dW  # m = beta m + (1 - beta) * dW
            with np.errstate(invalid="ignore"):  # rounding can make it negative: NaN, as torch
                denominator = np.sqrt(s - m**2) + epsilon
        else:
            denominator = np.sqrt(s) + epsilon
        if group["momentum"] > 0:
            b = state.setdefault("momentum_buffer", np.zeros_like(s))
            b *= group["momentum"]
            b += dW / denominator  # b = momentum b + dW / denominator
            W -= alpha * b
        else:
            W -= alpha * dW / denominator
