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

from collections.abc import Iterable
from typing import Any

import numpy as np

from . import functional as F
from ._checks import check_bool, check_lr, check_non_negative
from .optimizer import Optimizer, ParamGroup


class RMSprop(Optimizer):
    """RMSprop with PyTorch's signature, defaults and semantics.

    Examples
    --------
    >>> import numpy as np, nn, optimizers
    >>> w = nn.Parameter(np.array([1.0]))
    >>> opt = optimizers.RMSprop([w], lr=0.01, alpha=0.99, eps=0.0)
    >>> w.grad = np.array([2.0]); opt.step(); np.round(w.data, 6)  # 1 - 0.01 * 2 / sqrt(0.04)
    tensor([0.9], dtype=float64)
    """

    _flat = True

    def __init__(
        self,
        params: Iterable[Any],
        lr: float = 1e-2,
        alpha: float = 0.99,
        eps: float = 1e-8,
        weight_decay: float = 0.0,
        momentum: float = 0.0,
        centered: bool = False,
        *,
        maximize: bool = False,
    ) -> None:
        defaults = {
            "lr": lr,
            "alpha": alpha,
            "eps": eps,
            "weight_decay": weight_decay,
            "momentum": momentum,
            "centered": centered,
            "maximize": maximize,
        }
        super().__init__(params, defaults)

    def _check_group(self, group: ParamGroup) -> None:
        check_lr(group["lr"])
        check_non_negative("alpha", group["alpha"])
        check_non_negative("epsilon", group["eps"])
        check_non_negative("weight_decay", group["weight_decay"])
        check_non_negative("momentum", group["momentum"])
        check_bool("centered", group["centered"])
        check_bool("maximize", group["maximize"])

    def _init_state(self, param: Any, group: ParamGroup) -> dict[str, Any]:
        state: dict[str, Any] = {"step": 0, "square_avg": np.zeros_like(param._data)}
        if group["momentum"] > 0:
            state["momentum_buffer"] = np.zeros_like(param._data)
        if group["centered"]:
            state["grad_avg"] = np.zeros_like(param._data)
        return state

    def _state_keys(self, group: ParamGroup) -> tuple[str, ...]:
        keys: tuple[str, ...] = ("square_avg",)
        if group["momentum"] > 0:
            keys += ("momentum_buffer",)
        return keys + ("grad_avg",) if group["centered"] else keys

    def _update(self, param: Any, state: dict[str, Any], group: ParamGroup) -> None:
        for key in self._state_keys(group):  # momentum or centered turned on later
            if key not in state:
                state[key] = np.zeros_like(param._data)
        super()._update(param, state, group)

    def _kernel(
        self, W: Any, dW: Any, state: dict[str, Any], group: ParamGroup, scratch: Any
    ) -> None:
        F.rmsprop(
            W,
            dW,
            state["square_avg"],
            lr=group["lr"],
            alpha=group["alpha"],
            eps=group["eps"],
            weight_decay=group["weight_decay"],
            momentum=group["momentum"],
            momentum_buffer=state.get("momentum_buffer"),
            grad_avg=state.get("grad_avg") if group["centered"] else None,
            maximize=group["maximize"],
            scratch=scratch,
        )
