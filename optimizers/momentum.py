"""Momentum: gradient descent on an exponentially weighted average of the gradients.

Course notation, for each parameter W (v starts at zeros of W's shape):

    v = beta * v + (1 - beta) * dW
    W = W - alpha * v

beta = 0.9 averages over about 1 / (1 - beta) = 10 gradients. PyTorch's ``SGD(momentum=...)``
writes the same idea without the (1 - beta): b = momentum * b + g, starting at b = g. Since
v / (1 - beta) obeys exactly that recursion (and starts at g after one step), the two meet:
``Momentum(lr=alpha, beta=b)`` follows the same trajectory as
``SGD(lr=alpha * (1 - b), momentum=b)``, up to rounding (see docs/update_rules.md).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np

from . import functional as F
from ._checks import check_lr, check_unit_interval
from .optimizer import Optimizer, ParamGroup


class Momentum(Optimizer):
    """The course's gradient descent with momentum.

    Parameters
    ----------
    params : iterable of Parameters or dicts
    lr : float
        alpha, the learning rate.
    beta : float, default 0.9
        Momentum, the decay of the average, in [0, 1). beta = 0 is plain gradient descent.

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

    _flat = True

    def __init__(self, params: Iterable[Any], lr: float, beta: float = 0.9) -> None:
        super().__init__(params, {"lr": lr, "beta": beta})

    def _check_group(self, group: ParamGroup) -> None:
        check_lr(group["lr"])
        check_unit_interval("beta", group["beta"])

    def _init_state(self, param: Any, group: ParamGroup) -> dict[str, Any]:
        return {"velocity": np.zeros_like(param._data)}

    def _state_keys(self, group: ParamGroup) -> tuple[str, ...]:
        return ("velocity",)

    def _kernel(
        self, W: Any, dW: Any, state: dict[str, Any], group: ParamGroup, scratch: Any
    ) -> None:
        F.momentum(W, dW, state["velocity"], lr=group["lr"], beta=group["beta"], scratch=scratch)
