"""Gradient descent: BatchGD (the course's rule, fed the full batch) and PyTorch's SGD.

Course notation, for each parameter W of layer l:

    W = W - alpha * dW

Batch gradient descent computes dW on all m training examples at every step; stochastic
gradient descent on one example (``DataLoader(ds, batch_size=1, shuffle=True)``); mini-batch
gradient descent on ``mini_batch_size`` examples. The rule is the same: what differs is what
the optimizer is fed.
"""

from __future__ import annotations

from typing import ClassVar

import numpy as np

from ._kernels import gradient_descent as gradient_descent_kernels
from ._kernels import sgd as sgd_kernels
from .optimizer import Check, Optimizer, hyperparameters
from .types import ParamGroup, ParamsLike, State
from .validation import flag, learning_rate, non_negative


class BatchGD(Optimizer):
    """Batch gradient descent: W = W - alpha * dW, one step per pass over the whole training set.

    Feed it the full-batch gradient, e.g. from ``DataLoader(ds, batch_size=len(ds))``, so
    that each epoch makes exactly one update. It takes no momentum options: use
    ``Momentum`` (the course's) or ``SGD(momentum=...)`` (PyTorch's).

    Parameters
    ----------
    params : iterable of Parameters or dicts
        The parameters, or param groups, as ``Optimizer``'s.
    lr : float
        The learning rate alpha (no default: the course's examples set it).
    foreach, fused : bool, optional
        The executor, as ``Optimizer``'s (the same numbers whichever runs).

    Examples
    --------
    >>> import numpy as np, nn, optimizers
    >>> w = nn.Parameter(np.array([1.0, 1.0]))
    >>> opt = optimizers.BatchGD([w], lr=0.5)
    >>> w.grad = np.array([0.2, -0.2]); opt.step(); w.data
    tensor([0.9000, 1.1000], dtype=float64)
    """

    elementwise = True
    kernels = gradient_descent_kernels.KERNELS  # (optimizers/_kernels/gradient_descent.py)
    checks: ClassVar[dict[str, Check]] = {"lr": learning_rate}

    def __init__(
        self,
        params: ParamsLike,
        lr: float,
        *,
        foreach: bool | None = None,
        fused: bool | None = None,
        **unexpected: object,
    ) -> None:
        if unexpected:
            raise TypeError(
                f"BatchGD takes only lr, got {sorted(unexpected)}; for momentum use "
                "optimizers.Momentum (the course's) or optimizers.SGD(momentum=...) (PyTorch's)"
            )
        super().__init__(params, {"lr": lr, "foreach": foreach, "fused": fused})

    def update(self, W: np.ndarray, dW: np.ndarray, state: State, group: ParamGroup) -> None:
        alpha = group["lr"]
        W -= alpha * dW


class SGD(Optimizer):
    """Stochastic gradient descent with PyTorch's options and semantics (``torch.optim.SGD``).

    With the gradient g = dW (negated if ``maximize``; + weight_decay * W)::

        b = g                                     first step (b is state "momentum_buffer")
        b = momentum * b + (1 - dampening) * g    later steps
        d = g + momentum * b  if nesterov  else  b
        W = W - lr * d

    With ``momentum=0`` this is the course's ``W = W - alpha * dW`` on whatever batch it is
    fed, and the optimizer keeps no state. PyTorch's momentum is written differently from
    the course's (no 1 - beta, buffer starting at g), yet ``Momentum(lr=alpha, beta=b)`` and
    ``SGD(lr=alpha * (1 - b), momentum=b)`` follow the same trajectory, up to rounding.

    Parameters
    ----------
    params : iterable of Parameters or dicts
        The parameters, or param groups, as ``Optimizer``'s.
    lr : float, default 0.001
        The learning rate alpha.
    momentum : float, default 0
        mu of PyTorch's convention: b = mu * b + (1 - dampening) * dW, W -= lr * b (0: plain
        gradient descent).
    dampening : float, default 0
        (1 - dampening) scales dW in the momentum buffer after the first step.
    weight_decay : float, default 0
        L2 penalty: weight_decay * W added to dW (as torch.optim's).
    nesterov : bool, default False
        Nesterov momentum (the gradient at the look-ahead point).
    maximize : bool, default False
        Ascend the objective instead: the step uses -dW.
    foreach, fused : bool, optional
        The executor, as ``Optimizer``'s (the same numbers whichever runs).
    differentiable : bool, default False
        PyTorch's flags, accepted as False, as ``Optimizer``'s.

    Examples
    --------
    >>> import numpy as np, nn, optimizers
    >>> w = nn.Parameter(np.array([1.0]))
    >>> opt = optimizers.SGD([w], lr=0.1, momentum=0.9)
    >>> for _ in range(2):
    ...     w.grad = np.array([1.0]); opt.step()
    >>> w.data  # 1 - 0.1 * 1 - 0.1 * 1.9
    tensor([0.7100], dtype=float64)
    """

    elementwise = True
    kernels = sgd_kernels.KERNELS  # (optimizers/_kernels/sgd.py)
    checks: ClassVar[dict[str, Check]] = {
        "lr": learning_rate,
        "momentum": non_negative,
        "dampening": non_negative,
        "weight_decay": non_negative,
        "nesterov": flag,
        "maximize": flag,
    }

    def __init__(
        self,
        params: ParamsLike,
        lr: float = 1e-3,
        momentum: float = 0,
        dampening: float = 0,
        weight_decay: float = 0,
        nesterov: bool = False,
        *,
        maximize: bool = False,
        foreach: bool | None = None,
        differentiable: bool = False,
        fused: bool | None = None,
    ) -> None:
        super().__init__(params, hyperparameters(locals()))

    def _check_group(self, group: ParamGroup) -> None:
        super()._check_group(group)
        if group["nesterov"] and (group["momentum"] <= 0 or group["dampening"] != 0):
            raise ValueError(
                "Nesterov momentum requires a momentum and zero dampening, got "
                f"momentum={group['momentum']}, dampening={group['dampening']}"
            )

    def update(self, W: np.ndarray, dW: np.ndarray, state: State, group: ParamGroup) -> None:
        alpha, momentum = group["lr"], group["momentum"]
        if group["maximize"]:
            dW = -dW
        if group["weight_decay"] != 0:
            dW = dW + group["weight_decay"] * W  # the gradient of an L2 penalty
        if momentum != 0:
            b = state.get("momentum_buffer")
            if b is None:  # the first step: b = dW (a copy)
                b = state["momentum_buffer"] = np.array(dW)
            else:
                b *= momentum
                b += (1 - group["dampening"]) * dW  # b = momentum b + (1 - dampening) g
            dW = dW + momentum * b if group["nesterov"] else b
        W -= alpha * dW
