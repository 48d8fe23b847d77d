"""Learning-rate schedules, as ``torch.optim.lr_scheduler``, plus the course's InverseTimeLR.

Call ``scheduler.step()`` once per epoch, after the epoch's ``optimizer.step()`` calls. The
scheduler rewrites each group's ``"lr"``; ``get_last_lr()`` returns what it set. Creating a
scheduler records each group's starting rate as ``"initial_lr"`` and sets epoch 0's rate.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from .optimizer import Optimizer
from .validation import non_negative

__all__ = [
    "CosineAnnealingLR",
    "ExponentialLR",
    "InverseTimeLR",
    "LRScheduler",
    "LambdaLR",
    "StepLR",
]


class LRScheduler:
    """Base class: subclasses write ``get_lr()``, the rates for epoch ``self.last_epoch``.

    Examples
    --------
    >>> import numpy as np, nn, optimizers
    >>> class Halving(optimizers.lr_scheduler.LRScheduler):
    ...     def get_lr(self):
    ...         return [base * 0.5**self.last_epoch for base in self.base_lrs]
    >>> opt = optimizers.SGD([nn.Parameter(np.zeros(1))], lr=1.0)
    >>> sched = Halving(opt); sched.step(); sched.get_last_lr()
    [0.5]
    """

    def __init__(self, optimizer: Optimizer, last_epoch: int = -1) -> None:
        if not isinstance(optimizer, Optimizer):
            raise TypeError(f"{type(optimizer).__name__} is not an Optimizer")
        self.optimizer = optimizer
        if last_epoch == -1:
            for group in optimizer.param_groups:
                group.setdefault("initial_lr", group["lr"])
        else:
            for number, group in enumerate(optimizer.param_groups):
                if "initial_lr" not in group:
                    raise KeyError(
                        f"param 'initial_lr' is not specified in param_groups[{number}] when "
                        "resuming a scheduler with last_epoch != -1"
                    )
        self.base_lrs: list[float] = [group["initial_lr"] for group in optimizer.param_groups]
        self.last_epoch = last_epoch
        self._step_count = 0
        self._last_lr: list[float] = []
        self.step()

    def get_lr(self) -> list[float]:
        """The learning rates of every group for the epoch ``self.last_epoch``."""
        raise NotImplementedError

    def get_last_lr(self) -> list[float]:
        """The learning rates this scheduler set last, one per group."""
        return list(self._last_lr)

    def step(self) -> None:
        """Advance one epoch and set each group's ``lr``."""
        self._step_count += 1
        self.last_epoch += 1
        for group, lr in zip(self.optimizer.param_groups, self.get_lr(), strict=True):
            group["lr"] = lr
        self._last_lr = [group["lr"] for group in self.optimizer.param_groups]

    def state_dict(self) -> dict[str, Any]:
        """Everything but the optimizer (and functions, which cannot be saved)."""
        return {
            key: value
            for key, value in self.__dict__.items()
            if key != "optimizer" and not callable(value) and key != "lr_lambdas"
        }

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        unknown = set(state_dict) - set(self.state_dict())
        if unknown:
            raise ValueError(f"unexpected keys in scheduler state_dict: {sorted(unknown)}")
        self.__dict__.update(
            {k: list(v) if isinstance(v, tuple) else v for k, v in state_dict.items()}
        )


def _current(optimizer: Optimizer) -> list[float]:
    return [group["lr"] for group in optimizer.param_groups]


class StepLR(LRScheduler):
    """Multiply the rate by ``gamma`` every ``step_size`` epochs:

        lr = lr0 * gamma ** (epoch // step_size)

    Examples
    --------
    >>> import numpy as np, nn, optimizers
    >>> opt = optimizers.SGD([nn.Parameter(np.zeros(1))], lr=1.0)
    >>> sched = optimizers.lr_scheduler.StepLR(opt, step_size=2, gamma=0.5)
    >>> [(sched.step(), sched.get_last_lr()[0])[1] for _ in range(4)]
    [1.0, 0.5, 0.5, 0.25]
    """

    def __init__(
        self, optimizer: Optimizer, step_size: int, gamma: float = 0.1, last_epoch: int = -1
    ) -> None:
        if isinstance(step_size, bool) or not isinstance(step_size, int) or step_size <= 0:
            raise ValueError(f"step_size must be a positive int, got {step_size!r}")
        self.step_size = step_size
        self.gamma = gamma
        super().__init__(optimizer, last_epoch)

    def get_lr(self) -> list[float]:
        if self.last_epoch == 0 or self.last_epoch % self.step_size != 0:
            return _current(self.optimizer)
        return [lr * self.gamma for lr in _current(self.optimizer)]


class ExponentialLR(LRScheduler):
    """Multiply the rate by ``gamma`` every epoch: lr = lr0 * gamma ** epoch (the course's
    exponential decay ``alpha = 0.95**epoch * alpha0``).

    Examples
    --------
    >>> import numpy as np, nn, optimizers
    >>> opt = optimizers.SGD([nn.Parameter(np.zeros(1))], lr=1.0)
    >>> sched = optimizers.lr_scheduler.ExponentialLR(opt, gamma=0.5)
    >>> sched.step(); sched.get_last_lr()
    [0.5]
    """

    def __init__(self, optimizer: Optimizer, gamma: float, last_epoch: int = -1) -> None:
        non_negative("gamma", gamma)
        self.gamma = gamma
        super().__init__(optimizer, last_epoch)

    def get_lr(self) -> list[float]:
        if self.last_epoch == 0:
            return _current(self.optimizer)
        return [lr * self.gamma for lr in _current(self.optimizer)]


class LambdaLR(LRScheduler):
    """lr = lr0 * lr_lambda(epoch), one function for all groups or one per group.

    Examples
    --------
    >>> import numpy as np, nn, optimizers
    >>> opt = optimizers.SGD([nn.Parameter(np.zeros(1))], lr=1.0)
    >>> sched = optimizers.lr_scheduler.LambdaLR(opt, lambda epoch: 1 / (1 + epoch))
    >>> sched.step(); sched.get_last_lr()
    [0.5]
    """

    def __init__(
        self,
        optimizer: Optimizer,
        lr_lambda: Callable[[int], float] | list[Callable[[int], float]],
        last_epoch: int = -1,
    ) -> None:
        if isinstance(lr_lambda, list | tuple):
            if len(lr_lambda) != len(optimizer.param_groups):
                raise ValueError(
                    f"Expected {len(optimizer.param_groups)} lr_lambdas, but got {len(lr_lambda)}"
                )
            self.lr_lambdas = list(lr_lambda)
        else:
            if not callable(lr_lambda):
                raise TypeError(f"lr_lambda must be callable, got {type(lr_lambda).__name__}")
            self.lr_lambdas = [lr_lambda] * len(optimizer.param_groups)
        super().__init__(optimizer, last_epoch)

    def get_lr(self) -> list[float]:
        return [
            base * fn(self.last_epoch)
            for base, fn in zip(self.base_lrs, self.lr_lambdas, strict=True)
        ]


class CosineAnnealingLR(LRScheduler):
    """Cosine annealing from lr0 to eta_min over T_max epochs (PyTorch's recursive form):

        lr = eta_min + (lr0 - eta_min) * (1 + cos(pi * epoch / T_max)) / 2

    Examples
    --------
    >>> import numpy as np, nn, optimizers
    >>> opt = optimizers.SGD([nn.Parameter(np.zeros(1))], lr=1.0)
    >>> sched = optimizers.lr_scheduler.CosineAnnealingLR(opt, T_max=2)
    >>> sched.step(); round(sched.get_last_lr()[0], 6)
    0.5
    """

    def __init__(
        self, optimizer: Optimizer, T_max: int, eta_min: float = 0.0, last_epoch: int = -1
    ) -> None:
        if isinstance(T_max, bool) or not isinstance(T_max, int) or T_max <= 0:
            raise ValueError(f"T_max must be a positive int, got {T_max!r}")
        self.T_max = T_max
        self.eta_min = eta_min
        super().__init__(optimizer, last_epoch)

    def get_lr(self) -> list[float]:
        epoch, period, low = self.last_epoch, self.T_max, self.eta_min
        current = _current(self.optimizer)
        if epoch == 0:
            return current
        if self._step_count == 1 and epoch > 0:
            return [
                low + (base - low) * (1 + math.cos(epoch * math.pi / period)) / 2
                for base in self.base_lrs
            ]
        if (epoch - 1 - period) % (2 * period) == 0:
            return [
                lr + (base - low) * (1 - math.cos(math.pi / period)) / 2
                for lr, base in zip(current, self.base_lrs, strict=True)
            ]
        ratio = (1 + math.cos(math.pi * epoch / period)) / (
            1 + math.cos(math.pi * (epoch - 1) / period)
        )
        return [ratio * (lr - low) + low for lr in current]


class InverseTimeLR(LRScheduler):
    """The course's learning-rate decay, optionally in steps of ``time_interval`` epochs:

        alpha = alpha0 / (1 + decay_rate * floor(epoch / time_interval))

    With time_interval = 1 this is ``alpha = alpha0 / (1 + decay_rate * epoch_num)``; the
    course's scheduled variant uses e.g. time_interval = 1000.

    Examples
    --------
    >>> import numpy as np, nn, optimizers
    >>> opt = optimizers.SGD([nn.Parameter(np.zeros(1))], lr=1.0)
    >>> sched = optimizers.lr_scheduler.InverseTimeLR(opt, decay_rate=1.0, time_interval=2)
    >>> [(sched.step(), sched.get_last_lr()[0])[1] for _ in range(4)]
    [1.0, 0.5, 0.5, 0.3333333333333333]
    """

    def __init__(
        self, optimizer: Optimizer, decay_rate: float, time_interval: int = 1, last_epoch: int = -1
    ) -> None:
        non_negative("decay_rate", decay_rate)
        if (
            isinstance(time_interval, bool)
            or not isinstance(time_interval, int)
            or time_interval <= 0
        ):
            raise ValueError(f"time_interval must be a positive int, got {time_interval!r}")
        self.decay_rate = decay_rate
        self.time_interval = time_interval
        super().__init__(optimizer, last_epoch)

    def get_lr(self) -> list[float]:
        factor = 1.0 + self.decay_rate * math.floor(self.last_epoch / self.time_interval)
        return [base / factor for base in self.base_lrs]
