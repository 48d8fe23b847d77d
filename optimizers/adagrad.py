"""Adagrad: per-coordinate learning rates from the sum of all past squared gradients.

    G = G + dW**2                     (G starts at initial_accumulator_value)
    W = W - alpha_t * dW / (sqrt(G) + epsilon),   alpha_t = alpha / (1 + (t - 1) * lr_decay)

As torch.optim.Adagrad; state ``step`` and ``sum`` (G).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np

from . import functional as F
from ._checks import check_bool, check_lr, check_non_negative
from .optimizer import Optimizer, ParamGroup


class Adagrad(Optimizer):
    """Adagrad with PyTorch's signature, defaults and semantics.

    Examples
    --------
    >>> import numpy as np, nn, optimizers
    >>> w = nn.Parameter(np.array([1.0]))
    >>> opt = optimizers.Adagrad([w], lr=0.5, eps=0.0)
    >>> w.grad = np.array([4.0]); opt.step(); w.data  # 1 - 0.5 * 4 / 4
    tensor([0.5], dtype=float64)
    """

    _flat = True

    def __init__(
        self,
        params: Iterable[Any],
        lr: float = 1e-2,
        lr_decay: float = 0.0,
        weight_decay: float = 0.0,
        initial_accumulator_value: float = 0.0,
        eps: float = 1e-10,
        *,
        maximize: bool = False,
    ) -> None:
        defaults = {
            "lr": lr,
            "lr_decay": lr_decay,
            "weight_decay": weight_decay,
            "initial_accumulator_value": initial_accumulator_value,
            "eps": eps,
            "maximize": maximize,
        }
        super().__init__(params, defaults)

    def _check_group(self, group: ParamGroup) -> None:
        check_lr(group["lr"])
        check_non_negative("lr_decay", group["lr_decay"])
        check_non_negative("weight_decay", group["weight_decay"])
        check_non_negative("initial_accumulator_value", group["initial_accumulator_value"])
        check_non_negative("epsilon", group["eps"])
        check_bool("maximize", group["maximize"])

    def _init_state(self, param: Any, group: ParamGroup) -> dict[str, Any]:
        initial = group["initial_accumulator_value"]
        return {"step": 0, "sum": np.full_like(param._data, initial)}

    def _state_keys(self, group: ParamGroup) -> tuple[str, ...]:
        return ("sum",)

    def _kernel(
        self, W: Any, dW: Any, state: dict[str, Any], group: ParamGroup, scratch: Any
    ) -> None:
        F.adagrad(
            W,
            dW,
            state["sum"],
            state["step"],
            lr=group["lr"],
            lr_decay=group["lr_decay"],
            eps=group["eps"],
            weight_decay=group["weight_decay"],
            maximize=group["maximize"],
            scratch=scratch,
        )
