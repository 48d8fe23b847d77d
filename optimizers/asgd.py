"""ASGD: averaged stochastic gradient descent (Polyak & Juditsky, 1992, "Acceleration of
Stochastic Approximation by Averaging"), with PyTorch's decaying step size.

Course notation (alpha is ``lr``, lambda ``lambd``):

    W = W * (1 - lambda * eta) - eta * dW            a decaying step eta, and a decay of W
    ax = ax + mu * (W - ax)                          the running average of the iterates
    eta = alpha / (1 + lambda * alpha * t)**power    (``alpha`` is PyTorch's name for power)
    mu = 1 / max(1, t - t0)                          averaging starts after t0 steps

The average ``ax`` is what the method returns as its estimate; the optimizer updates W (as
PyTorch's). ``weight_decay`` adds weight_decay * W to dW, ``maximize`` ascends.
State: ``step``, ``eta``, ``mu`` (scalars, in the default float dtype as PyTorch keeps them),
``ax``.
"""

from __future__ import annotations

from typing import ClassVar

import numpy as np

from .optimizer import Check, Optimizer, hyperparameters, scalar_dtype
from .types import ParamGroup, ParamsLike, State
from .validation import flag, learning_rate, non_negative


class ASGD(Optimizer):
    """ASGD with PyTorch's signature, defaults and semantics.

    Parameters
    ----------
    params : iterable of Parameters or dicts
        The parameters, or param groups, as ``Optimizer``'s.
    lr : float, default 0.01
        The learning rate alpha.
    lambd : float, default 0.0001
        The decay term of the step size eta.
    alpha : float, default 0.75
        The power of eta's decay.
    t0 : float, default 1000000.0
        The step from which the iterates are averaged (into the state's ax).
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
    >>> opt = optimizers.ASGD([w], lr=0.1, lambd=0.0)
    >>> w.grad = np.array([2.0]); opt.step(); w.data
    tensor([0.8000], dtype=float64)
    """

    elementwise = False  # eta and mu are one number per parameter
    checks: ClassVar[dict[str, Check]] = {
        "lr": learning_rate,
        "lambd": non_negative,
        "alpha": non_negative,
        "t0": non_negative,
        "weight_decay": non_negative,
        "maximize": flag,
    }

    def __init__(
        self,
        params: ParamsLike,
        lr: float = 1e-2,
        lambd: float = 1e-4,
        alpha: float = 0.75,
        t0: float = 1e6,
        weight_decay: float = 0,
        foreach: bool | None = None,
        maximize: bool = False,
        differentiable: bool = False,
        capturable: bool = False,
    ) -> None:
        super().__init__(params, hyperparameters(locals()))

    def init_state(self, W: np.ndarray, group: ParamGroup) -> State:
        return {
            "step": 0,
            "eta": np.array(group["lr"], dtype=scalar_dtype()),
            "mu": np.ones((), dtype=scalar_dtype()),
            "ax": np.zeros_like(W),
        }

    def update(self, W: np.ndarray, dW: np.ndarray, state: State, group: ParamGroup) -> None:
        alpha, lambd, t = group["lr"], group["lambd"], state["step"]
        if group["maximize"]:
            dW = -dW
        if group["weight_decay"] != 0:
            dW = dW + group["weight_decay"] * W  # the gradient of an L2 penalty

        eta, mu, ax = float(state["eta"]), state["mu"], state["ax"]
        W *= 1 - lambd * eta
        W -= eta * dW
        if float(mu) != 1:
            ax += (W - ax) * mu
        else:
            ax[...] = W
        state["eta"][...] = alpha / ((1 + lambd * alpha * t) ** group["alpha"])
        state["mu"][...] = 1 / max(1, t - group["t0"])
