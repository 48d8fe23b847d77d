"""Gradient descent: BatchGD (the course's rule, fed the full batch) and PyTorch's SGD.

Course notation, for each parameter W of layer l:

    W = W - alpha * dW

Batch gradient descent computes dW on all m training examples at every step; stochastic
gradient descent on one example (``DataLoader(ds, batch_size=1, shuffle=True)``); mini-batch
gradient descent on ``mini_batch_size`` examples. The rule is the same: what differs is what
the optimizer is fed.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from . import functional as F
from ._checks import check_bool, check_lr, check_non_negative
from .optimizer import Optimizer, ParamGroup


class BatchGD(Optimizer):
    """Batch gradient descent: W = W - alpha * dW, one step per pass over the whole training set.

    Feed it the full-batch gradient, e.g. ``DataLoader(ds, batch_size=None)`` (or
    ``batch_size=len(ds)``), so that each epoch makes exactly one update. It takes no momentum
    options: use ``Momentum`` (the course's) or ``SGD(momentum=...)`` (PyTorch's).

    Parameters
    ----------
    params : iterable of Parameters or dicts
    lr : float
        alpha, the learning rate.

    Examples
    --------
    >>> import numpy as np, nn, optimizers
    >>> w = nn.Parameter(np.array([1.0, 1.0]))
    >>> opt = optimizers.BatchGD([w], lr=0.5)
    >>> w.grad = np.array([0.2, -0.2]); opt.step(); w.data
    tensor([0.9, 1.1], dtype=float64)
    """

    _flat = True

    def __init__(self, params: Iterable[Any], lr: float, **unexpected: Any) -> None:
        if unexpected:
            raise TypeError(
                f"BatchGD takes only lr, got {sorted(unexpected)}; for momentum use "
                "optimizers.Momentum (the course's) or optimizers.SGD(momentum=...) (PyTorch's)"
            )
        super().__init__(params, {"lr": lr})

    def _check_group(self, group: ParamGroup) -> None:
        check_lr(group["lr"])

    def _kernel(
        self, W: Any, dW: Any, state: dict[str, Any], group: ParamGroup, scratch: Any
    ) -> None:
        F.gradient_descent(W, dW, lr=group["lr"], scratch=scratch)


class SGD(Optimizer):
    """Stochastic gradient descent with PyTorch's options and semantics (``torch.optim.SGD``).

    With the gradient g = dW (+ weight_decay * W; negated if ``maximize``)::

        b = g                                     first step (b is state "momentum_buffer")
        b = momentum * b + (1 - dampening) * g    later steps
        d = g + momentum * b  if nesterov  else  b
        W = W - lr * d

    With ``momentum=0`` this is the course's ``W = W - alpha * dW`` on whatever batch it is
    fed. PyTorch's momentum is written differently from the course's (no 1 - beta, buffer
    starting at g), yet ``Momentum(lr=alpha, beta=b)`` and ``SGD(lr=alpha * (1 - b),
    momentum=b)`` follow the same trajectory, up to rounding.

    Examples
    --------
    >>> import numpy as np, nn, optimizers
    >>> w = nn.Parameter(np.array([1.0]))
    >>> opt = optimizers.SGD([w], lr=0.1, momentum=0.9)
    >>> for _ in range(2):
    ...     w.grad = np.array([1.0]); opt.step()
    >>> w.data  # 1 - 0.1 * 1 - 0.1 * 1.9
    tensor([0.71], dtype=float64)
    """

    _flat = True

    def __init__(
        self,
        params: Iterable[Any],
        lr: float = 1e-3,
        momentum: float = 0.0,
        dampening: float = 0.0,
        weight_decay: float = 0.0,
        nesterov: bool = False,
        *,
        maximize: bool = False,
    ) -> None:
        defaults = {
            "lr": lr,
            "momentum": momentum,
            "dampening": dampening,
            "weight_decay": weight_decay,
            "nesterov": nesterov,
            "maximize": maximize,
        }
        super().__init__(params, defaults)

    def _check_group(self, group: ParamGroup) -> None:
        check_lr(group["lr"])
        check_non_negative("momentum", group["momentum"])
        check_non_negative("dampening", group["dampening"])
        check_non_negative("weight_decay", group["weight_decay"])
        check_bool("nesterov", group["nesterov"])
        check_bool("maximize", group["maximize"])
        if group["nesterov"] and (group["momentum"] <= 0 or group["dampening"] != 0):
            raise ValueError(
                "Nesterov momentum requires a momentum and zero dampening, got "
                f"momentum={group['momentum']}, dampening={group['dampening']}"
            )

    def _state_keys(self, group: ParamGroup) -> tuple[str, ...]:
        return ("momentum_buffer",) if group["momentum"] != 0 else ()

    def _kernel(
        self, W: Any, dW: Any, state: dict[str, Any], group: ParamGroup, scratch: Any
    ) -> None:
        buffer = F.sgd(
            W,
            dW,
            state.get("momentum_buffer"),
            lr=group["lr"],
            momentum=group["momentum"],
            dampening=group["dampening"],
            weight_decay=group["weight_decay"],
            nesterov=group["nesterov"],
            maximize=group["maximize"],
            scratch=scratch,
        )
        if buffer is not None:
            state["momentum_buffer"] = buffer
