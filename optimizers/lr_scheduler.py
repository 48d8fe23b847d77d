"""Learning-rate schedules, as ``torch.optim.lr_scheduler`` (every one of them: the cyclic
ones in ``cyclic_schedules.py``, the combined ones and ReduceLROnPlateau in
``combined_schedules.py``), plus the course's InverseTimeLR.

Call ``scheduler.step()`` once per epoch, after the epoch's ``optimizer.step()`` calls. The
scheduler rewrites each group's ``"lr"``; ``get_last_lr()`` returns what it set. Creating a
scheduler records each group's starting rate as ``"initial_lr"`` and sets epoch 0's rate.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable, Iterable

from ._lr_base import LRScheduler, current_lrs
from .combined_schedules import ChainedScheduler, ReduceLROnPlateau, SequentialLR
from .cyclic_schedules import CosineAnnealingWarmRestarts, CyclicLR, OneCycleLR
from .optimizer import Optimizer
from .validation import non_negative

__all__ = [
    "ChainedScheduler",
    "ConstantLR",
    "CosineAnnealingLR",
    "CosineAnnealingWarmRestarts",
    "CyclicLR",
    "ExponentialLR",
    "InverseTimeLR",
    "LRScheduler",
    "LambdaLR",
    "LinearLR",
    "MultiStepLR",
    "MultiplicativeLR",
    "OneCycleLR",
    "PolynomialLR",
    "ReduceLROnPlateau",
    "SequentialLR",
    "StepLR",
]


class StepLR(LRScheduler):
    """Multiply the rate by ``gamma`` every ``step_size`` epochs:

        lr = lr0 * gamma ** (epoch // step_size)

    Examples
    --------
    >>> import numpy as np, nn, optimizers
    >>> w = nn.Parameter(np.zeros(1)); w.grad = np.zeros(1)  # (a gradient to step with)
    >>> opt = optimizers.SGD([w], lr=1.0)
    >>> sched = optimizers.lr_scheduler.StepLR(opt, step_size=2, gamma=0.5)
    >>> [(opt.step(), sched.step(), sched.get_last_lr()[0])[2] for _ in range(4)]
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

    def _get_closed_form_lr(self) -> list[float]:
        return [base * self.gamma ** (self.last_epoch // self.step_size) for base in self.base_lrs]

    def get_lr(self) -> list[float]:
        if self.last_epoch == 0 or self.last_epoch % self.step_size != 0:
            return current_lrs(self.optimizer)
        return [lr * self.gamma for lr in current_lrs(self.optimizer)]


class ExponentialLR(LRScheduler):
    """Multiply the rate by ``gamma`` every epoch: lr = lr0 * gamma ** epoch (the course's
    exponential decay ``alpha = 0.95**epoch * alpha0``).

    Examples
    --------
    >>> import numpy as np, nn, optimizers
    >>> w = nn.Parameter(np.zeros(1)); w.grad = np.zeros(1)  # (a gradient to step with)
    >>> opt = optimizers.SGD([w], lr=1.0)
    >>> sched = optimizers.lr_scheduler.ExponentialLR(opt, gamma=0.5)
    >>> opt.step(); sched.step(); sched.get_last_lr()
    [0.5]
    """

    def __init__(self, optimizer: Optimizer, gamma: float, last_epoch: int = -1) -> None:
        non_negative("gamma", gamma)
        self.gamma = gamma
        super().__init__(optimizer, last_epoch)

    def _get_closed_form_lr(self) -> list[float]:
        return [base * self.gamma**self.last_epoch for base in self.base_lrs]

    def get_lr(self) -> list[float]:
        if self.last_epoch == 0:
            return current_lrs(self.optimizer)
        return [lr * self.gamma for lr in current_lrs(self.optimizer)]


class LambdaLR(LRScheduler):
    """lr = lr0 * lr_lambda(epoch), one function for all groups or one per group.

    Examples
    --------
    >>> import numpy as np, nn, optimizers
    >>> w = nn.Parameter(np.zeros(1)); w.grad = np.zeros(1)  # (a gradient to step with)
    >>> opt = optimizers.SGD([w], lr=1.0)
    >>> sched = optimizers.lr_scheduler.LambdaLR(opt, lambda epoch: 1 / (1 + epoch))
    >>> opt.step(); sched.step(); sched.get_last_lr()
    [0.5]
    """

    def __init__(
        self,
        optimizer: Optimizer,
        lr_lambda: Callable[[int], float] | list[Callable[[int], float]],
        last_epoch: int = -1,
    ) -> None:
        self.lr_lambdas = _per_group(lr_lambda, optimizer, "lr_lambdas")
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
    >>> w = nn.Parameter(np.zeros(1)); w.grad = np.zeros(1)  # (a gradient to step with)
    >>> opt = optimizers.SGD([w], lr=1.0)
    >>> sched = optimizers.lr_scheduler.CosineAnnealingLR(opt, T_max=2)
    >>> opt.step(); sched.step(); round(sched.get_last_lr()[0], 6)
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

    def _get_closed_form_lr(self) -> list[float]:
        low, fraction = self.eta_min, (1 + math.cos(math.pi * self.last_epoch / self.T_max)) / 2
        return [low + (base - low) * fraction for base in self.base_lrs]

    def get_lr(self) -> list[float]:
        epoch, period, low = self.last_epoch, self.T_max, self.eta_min
        current = current_lrs(self.optimizer)
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


class MultiplicativeLR(LRScheduler):
    """Multiply the rate by ``lr_lambda(epoch)`` every epoch (one function, or one per group).

    Examples
    --------
    >>> import numpy as np, nn, optimizers
    >>> w = nn.Parameter(np.zeros(1)); w.grad = np.zeros(1)  # (a gradient to step with)
    >>> opt = optimizers.SGD([w], lr=1.0)
    >>> sched = optimizers.lr_scheduler.MultiplicativeLR(opt, lambda epoch: 0.5)
    >>> opt.step(); sched.step(); opt.step(); sched.step(); sched.get_last_lr()
    [0.25]
    """

    def __init__(
        self,
        optimizer: Optimizer,
        lr_lambda: Callable[[int], float] | list[Callable[[int], float]],
        last_epoch: int = -1,
    ) -> None:
        self.lr_lambdas = _per_group(lr_lambda, optimizer, "lr_lambdas")
        super().__init__(optimizer, last_epoch)

    def get_lr(self) -> list[float]:
        if self._is_initial:
            return current_lrs(self.optimizer)
        return [
            lr * fn(self.last_epoch)
            for lr, fn in zip(current_lrs(self.optimizer), self.lr_lambdas, strict=True)
        ]


class MultiStepLR(LRScheduler):
    """Multiply the rate by ``gamma`` at each epoch of ``milestones`` (twice if listed twice):

        lr = lr0 * gamma ** (number of milestones <= epoch)

    Examples
    --------
    >>> import numpy as np, nn, optimizers
    >>> w = nn.Parameter(np.zeros(1)); w.grad = np.zeros(1)  # (a gradient to step with)
    >>> opt = optimizers.SGD([w], lr=1.0)
    >>> sched = optimizers.lr_scheduler.MultiStepLR(opt, milestones=[1, 3], gamma=0.5)
    >>> [(opt.step(), sched.step(), sched.get_last_lr()[0])[2] for _ in range(4)]
    [0.5, 0.5, 0.25, 0.25]
    """

    def __init__(
        self,
        optimizer: Optimizer,
        milestones: Iterable[int],
        gamma: float = 0.1,
        last_epoch: int = -1,
    ) -> None:
        self.milestones = Counter(milestones)
        self.gamma = gamma
        super().__init__(optimizer, last_epoch)

    def _get_closed_form_lr(self) -> list[float]:
        passed = bisect_right(sorted(self.milestones.elements()), self.last_epoch)
        return [base * self.gamma**passed for base in self.base_lrs]

    def get_lr(self) -> list[float]:
        if self.last_epoch not in self.milestones:
            return current_lrs(self.optimizer)
        factor = self.gamma ** self.milestones[self.last_epoch]
        return [lr * factor for lr in current_lrs(self.optimizer)]


class ConstantLR(LRScheduler):
    """lr0 * ``factor`` for the first ``total_iters`` epochs, then lr0 (a warm-up).

    Examples
    --------
    >>> import numpy as np, nn, optimizers
    >>> w = nn.Parameter(np.zeros(1)); w.grad = np.zeros(1)  # (a gradient to step with)
    >>> opt = optimizers.SGD([w], lr=1.0)
    >>> sched = optimizers.lr_scheduler.ConstantLR(opt, factor=0.5, total_iters=2)
    >>> def next_lr():
    ...     opt.step(); sched.step(); return sched.get_last_lr()[0]
    >>> sched.get_last_lr()[0], next_lr(), next_lr()
    (0.5, 0.5, 1.0)
    """

    def __init__(
        self,
        optimizer: Optimizer,
        factor: float = 1.0 / 3,
        total_iters: int = 5,
        last_epoch: int = -1,
    ) -> None:
        if not 0 <= factor <= 1.0:
            raise ValueError("Constant multiplicative factor expected to be between 0 and 1.")
        self.factor, self.total_iters = factor, total_iters
        super().__init__(optimizer, last_epoch)

    def _get_closed_form_lr(self) -> list[float]:
        factor = 1.0 if self.last_epoch >= self.total_iters else self.factor
        return [base * factor for base in self.base_lrs]

    def get_lr(self) -> list[float]:
        current = current_lrs(self.optimizer)
        if self.last_epoch == 0:
            return [lr * self.factor for lr in current]
        if self.last_epoch != self.total_iters:
            return current
        return [lr * (1.0 / self.factor) for lr in current]


class LinearLR(LRScheduler):
    """From lr0 * ``start_factor`` to lr0 * ``end_factor`` in a straight line over
    ``total_iters`` epochs, then constant (PyTorch's recursive form: each epoch multiplies
    the current rate by the ratio of consecutive factors).

    Examples
    --------
    >>> import numpy as np, nn, optimizers
    >>> w = nn.Parameter(np.zeros(1)); w.grad = np.zeros(1)  # (a gradient to step with)
    >>> opt = optimizers.SGD([w], lr=1.0)
    >>> sched = optimizers.lr_scheduler.LinearLR(opt, start_factor=0.5, total_iters=2)
    >>> def next_lr():
    ...     opt.step(); sched.step(); return sched.get_last_lr()[0]
    >>> sched.get_last_lr()[0], next_lr(), next_lr(), next_lr()
    (0.5, 0.75, 1.0, 1.0)
    """

    def __init__(
        self,
        optimizer: Optimizer,
        start_factor: float = 1.0 / 3,
        end_factor: float = 1.0,
        total_iters: int = 5,
        last_epoch: int = -1,
    ) -> None:
        if not 0 < start_factor <= 1:
            raise ValueError(
                "Starting multiplicative factor expected to be greater than 0 and less or equal "
                "to 1."
            )
        if not 0 <= end_factor <= 1:
            raise ValueError("Ending multiplicative factor expected to be between 0 and 1.")
        self.start_factor, self.end_factor, self.total_iters = (
            start_factor,
            end_factor,
            total_iters,
        )
        super().__init__(optimizer, last_epoch)

    def _get_closed_form_lr(self) -> list[float]:
        done = min(self.total_iters, self.last_epoch) / self.total_iters
        factor = self.start_factor + (self.end_factor - self.start_factor) * done
        return [base * factor for base in self.base_lrs]

    def get_lr(self) -> list[float]:
        current = current_lrs(self.optimizer)
        if self.last_epoch == 0:
            return [lr * self.start_factor for lr in current]
        if self._is_initial or self.last_epoch > self.total_iters:
            return current
        rise = self.end_factor - self.start_factor
        ratio = 1.0 + rise / (self.total_iters * self.start_factor + (self.last_epoch - 1) * rise)
        return [lr * ratio for lr in current]


class PolynomialLR(LRScheduler):
    """lr = lr0 * (1 - epoch / total_iters) ** power, reaching 0 at ``total_iters`` (PyTorch's
    recursive form: each epoch multiplies by the ratio of consecutive values).

    Examples
    --------
    >>> import numpy as np, nn, optimizers
    >>> w = nn.Parameter(np.zeros(1)); w.grad = np.zeros(1)  # (a gradient to step with)
    >>> opt = optimizers.SGD([w], lr=1.0)
    >>> sched = optimizers.lr_scheduler.PolynomialLR(opt, total_iters=4, power=1.0)
    >>> [round((opt.step(), sched.step(), sched.get_last_lr()[0])[2], 6) for _ in range(4)]
    [0.75, 0.5, 0.25, 0.0]
    """

    def __init__(
        self,
        optimizer: Optimizer,
        total_iters: int = 5,
        power: float = 1.0,
        last_epoch: int = -1,
    ) -> None:
        self.total_iters, self.power = total_iters, power
        super().__init__(optimizer, last_epoch)

    def _get_closed_form_lr(self) -> list[float]:
        factor = (1.0 - min(self.total_iters, self.last_epoch) / self.total_iters) ** self.power
        return [base * factor for base in self.base_lrs]

    def get_lr(self) -> list[float]:
        current = current_lrs(self.optimizer)
        if self._is_initial or self.last_epoch > self.total_iters:
            return current
        remaining = 1.0 - self.last_epoch / self.total_iters
        before = 1.0 - (self.last_epoch - 1) / self.total_iters
        factor = (remaining / before) ** self.power
        return [lr * factor for lr in current]


def _per_group(
    functions: Callable[[int], float] | list[Callable[[int], float]],
    optimizer: Optimizer,
    name: str,
) -> list[Callable[[int], float]]:
    """One function for every group, or one per group (checked)."""
    if isinstance(functions, list | tuple):
        if len(functions) != len(optimizer.param_groups):
            raise ValueError(
                f"Expected {len(optimizer.param_groups)} {name}, but got {len(functions)}"
            )
        return list(functions)
    if not callable(functions):
        raise TypeError(f"lr_lambda must be callable, got {type(functions).__name__}")
    return [functions] * len(optimizer.param_groups)


class InverseTimeLR(LRScheduler):
    """The course's learning-rate decay, optionally in steps of ``time_interval`` epochs:

        alpha = alpha0 / (1 + decay_rate * floor(epoch / time_interval))

    With time_interval = 1 this is ``alpha = alpha0 / (1 + decay_rate * epoch_num)``; the
    course's scheduled variant uses e.g. time_interval = 1000.

    Examples
    --------
    >>> import numpy as np, nn, optimizers
    >>> w = nn.Parameter(np.zeros(1)); w.grad = np.zeros(1)  # (a gradient to step with)
    >>> opt = optimizers.SGD([w], lr=1.0)
    >>> sched = optimizers.lr_scheduler.InverseTimeLR(opt, decay_rate=1.0, time_interval=2)
    >>> [(opt.step(), sched.step(), sched.get_last_lr()[0])[2] for _ in range(4)]
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
