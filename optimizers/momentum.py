"""Momentum: gradient descent on an exponentially weighted average of the gradients.

Course notation, for each parameter W (v starts at zeros of W's shape):

    v = beta * v + (1 - beta) * dW
    W = W - alpha * v

beta = 0.9 averages over about 1 / (1 - beta) = 10 gradients. PyTorch's ``SGD(momentum=...)``
writes the same idea without the (1 - beta): b = momentum * b + g, starting at b = g. Since
v / (1 - beta) obeys exactly that recursion (and starts at g after one step), the two meet:
``Momentum(lr=alpha, beta=b)`` follows the same trajectory as
``SGD(lr=alpha * (1 - b), momentum=b)``, up to rounding (see docs/update-rules.md).
"""

from __future__ import annotations

from typing import ClassVar

import numpy as np

from ._kernels import momentum as momentum_kernels
from .optimizer import Check, Optimizer, hyperparameters
from .types import ParamGroup, ParamsLike, State
from .validation import learning_rate, unit_interval


class Momentum(Optimizer):
    """The course's gradient descent with momentum.

    Parameters
    ----------
    params : iterable of Parameters or dicts
        The parameters, or param groups, as ``Optimizer``'s.
    lr : float
        The learning rate alpha.
    beta : float, default 0.9
        The decay of the average of gradients (the course's beta; 0: gradient descent).
    foreach, fused : bool, optional
        The executor, as ``Optimizer``'s (the same numbers whichever runs).

    Notes
    -----
    State: ``velocity`` (v), zeros of W's shape before the first step.

    Examples
    --------
    >>> import numpy as np, nn, optimizers
    >>> w = nn.Parameter(np.array([1.0]))
    >>> opt = optimizers.Momentum([w], lr=1.0, beta=0.9)
    >>> w.grad = np.array([1.0]); opt.step(); opt.state[w]["velocity"]
    array([0.1])
    """

    elementwise = True
    kernels = momentum_kernels.KERNELS  # (optimizers/_kernels/momentum.py)
    checks: ClassVar[dict[str, Check]] = {"lr": learning_rate, "beta": unit_interval}

    def __init__(
        self,
        params: ParamsLike,
        lr: float,
        beta: float = 0.9,
        *,
        foreach: bool | None = None,
        fused: bool | None = None,
    ) -> None:
        super().__init__(params, hyperparameters(locals()))

    def init_state(self, W: np.ndarray, group: ParamGroup) -> State:
        return {"velocity": np.zeros_like(W)}

    def update(self, W: np.ndarray, dW: np.ndarray, state: State, group: ParamGroup) -> None:
        alpha, beta = group["lr"], group["beta"]
        v = state["velocity"]
        v *= beta
        v += (1 - beta) * dW  # v = beta v + (1 - beta) * dW
        W -= alpha * v
