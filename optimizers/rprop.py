"""Rprop: resilient backpropagation, steps from the signs of the gradient alone (Riedmiller &
Braun, 1993, "A Direct Adaptive Method for Faster Backpropagation Learning: The RPROP
Algorithm").

Course notation (each coordinate has its own step size delta, starting at ``lr``):

    if dW * dW_prev > 0:  delta = min(delta * eta_plus, delta_max)     same sign: speed up
    if dW * dW_prev < 0:  delta = max(delta * eta_minus, delta_min)    overshot: slow down,
                          dW = 0                                       and skip this step
    W = W - sign(dW) * delta
    dW_prev = dW

As torch.optim.Rprop (``etas`` = (eta_minus, eta_plus), ``step_sizes`` = (delta_min,
delta_max); ``maximize`` ascends). Rprop ignores the gradient's size: it is meant for full
batches. State: ``step``, ``prev`` (dW_prev), ``step_size`` (delta).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

import numpy as np

from .optimizer import Check, Optimizer, hyperparameters
from .types import ParamGroup, ParamsLike, State
from .validation import flag, learning_rate


def _etas(name: str, value: Sequence[float]) -> None:
    minus, plus = value
    if not 0.0 < minus < 1.0 < plus:
        raise ValueError(f"Invalid eta values: {minus}, {plus}")


def _step_sizes(name: str, value: Sequence[float]) -> None:
    if len(value) != 2:
        raise ValueError(f"Invalid step_sizes: expected a pair (min, max), got {value!r}")


class Rprop(Optimizer):
    """Rprop with PyTorch's signature, defaults and semantics.

    Parameters
    ----------
    params : iterable of Parameters or dicts
        The parameters, or param groups, as ``Optimizer``'s.
    lr : float, default 0.01
        The initial step size of every coordinate.
    etas : tuple[float, float], default (0.5, 1.2)
        (eta_minus, eta_plus): a step shrinks by eta_minus when dW changes sign, grows by
        eta_plus when it keeps it.
    step_sizes : tuple[float, float], default (1e-06, 50)
        (smallest, largest) step size.
    capturable, differentiable : bool, default False
        PyTorch's flags, accepted as False, as ``Optimizer``'s.
    foreach : bool, optional
        The executor, as ``Optimizer``'s (the same numbers whichever runs).
    maximize : bool, default False
        Ascend the objective instead: the step uses -dW.

    Examples
    --------
    >>> import numpy as np, nn, optimizers
    >>> w = nn.Parameter(np.array([1.0, 1.0]))
    >>> opt = optimizers.Rprop([w], lr=0.1)
    >>> w.grad = np.array([5.0, -0.001]); opt.step(); w.data  # steps of lr, by sign
    tensor([0.9000, 1.1000], dtype=float64)
    """

    elementwise = True
    checks: ClassVar[dict[str, Check]] = {
        "lr": learning_rate,
        "etas": _etas,
        "step_sizes": _step_sizes,
        "maximize": flag,
    }

    def __init__(
        self,
        params: ParamsLike,
        lr: float = 1e-2,
        etas: tuple[float, float] = (0.5, 1.2),
        step_sizes: tuple[float, float] = (1e-6, 50),
        *,
        capturable: bool = False,
        foreach: bool | None = None,
        maximize: bool = False,
        differentiable: bool = False,
    ) -> None:
        super().__init__(params, hyperparameters(locals()))

    def init_state(self, W: np.ndarray, group: ParamGroup) -> State:
        return {"step": 0, "prev": np.zeros_like(W), "step_size": np.full_like(W, group["lr"])}

    def update(self, W: np.ndarray, dW: np.ndarray, state: State, group: ParamGroup) -> None:
        (eta_minus, eta_plus), (delta_min, delta_max) = group["etas"], group["step_sizes"]
        prev, delta = state["prev"], state["step_size"]
        if group["maximize"]:
            dW = -dW

        agreement = np.sign(dW * prev)
        factor = np.where(agreement > 0, eta_plus, np.where(agreement < 0, eta_minus, 1.0))
        delta[...] = np.clip(delta * factor.astype(delta.dtype), delta_min, delta_max)
        dW = np.where(agreement < 0, 0.0, dW).astype(W.dtype)  # overshot: no step this time
        W -= np.sign(dW) * delta
        prev[...] = dW
