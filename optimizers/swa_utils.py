"""Stochastic weight averaging and exponential moving averages of a model's weights, as
``torch.optim.swa_utils`` (Izmailov et al., 2018, "Averaging Weights Leads to Wider Optima
and Better Generalization").

    SWA:  W_avg = W_avg + (W - W_avg) / (n + 1)      the mean of the n + 1 weights seen
    EMA:  W_avg = decay * W_avg + (1 - decay) * W    the course's exponentially weighted average

``AveragedModel(model)`` holds the average (``update_parameters(model)`` after some steps);
``SWALR`` anneals the rate to a constant ``swa_lr``; ``update_bn(loader, model)`` recomputes
BatchNorm's statistics for the averaged weights.
"""

from __future__ import annotations

import copy
import itertools
import math
from collections.abc import Callable, Iterable
from typing import Any

import numpy as np

import nn
from nn.types import DeviceLike

from ._lr_base import LRScheduler
from .cyclic_schedules import per_group
from .optimizer import Optimizer

__all__ = [
    "SWALR",
    "AveragedModel",
    "get_ema_avg_fn",
    "get_ema_multi_avg_fn",
    "get_swa_avg_fn",
    "get_swa_multi_avg_fn",
    "update_bn",
]

Arrays = list[nn.Tensor]
Count = nn.Tensor | np.ndarray | int
"""How many models were averaged so far (a Tensor in ``AveragedModel``, as PyTorch's)."""
AvgFn = Callable[[nn.Tensor, nn.Tensor, Count], nn.Tensor]
MultiAvgFn = Callable[[Arrays, Arrays, Count], None]


def _lerp(start: np.ndarray, end: np.ndarray, weight: float) -> np.ndarray:
    """start + weight (end - start), computed from the nearer end as PyTorch's ``lerp``."""
    if weight < 0.5:
        result: np.ndarray = start + weight * (end - start)
    else:
        result = end - (end - start) * (1 - weight)
    return result


def _check_decay(decay: float) -> None:
    if not 0.0 <= decay <= 1.0:
        raise ValueError(
            f"Invalid decay value {decay} provided. Please provide a value in [0,1] range."
        )


def get_ema_multi_avg_fn(decay: float = 0.999) -> MultiAvgFn:
    """An EMA update of a list of averaged Tensors, in place: avg = lerp(avg, W, 1 - decay)."""
    _check_decay(decay)

    def ema_update(averaged: Arrays, current: Arrays, _: object) -> None:
        for avg, now in zip(averaged, current, strict=True):
            avg._data[...] = _lerp(avg._data, now._data, 1 - decay)

    return ema_update


def get_swa_multi_avg_fn() -> MultiAvgFn:
    """An SWA update of a list of averaged Tensors, in place: avg = lerp(avg, W, 1 / (n + 1))."""

    def swa_update(averaged: Arrays, current: Arrays, num_averaged: Count) -> None:
        weight = 1 / (int(num_averaged) + 1)
        if isinstance(num_averaged, nn.Tensor | np.ndarray):  # PyTorch divides the count
            # Tensor: the weight is in the default float dtype (AveragedModel passes one)
            weight = float(np.asarray(weight, dtype=nn.get_default_dtype()))
        for avg, now in zip(averaged, current, strict=True):
            avg._data[...] = _lerp(avg._data, now._data, weight)

    return swa_update


def get_ema_avg_fn(decay: float = 0.999) -> AvgFn:
    """avg_fn(avg, W, n) = decay * avg + (1 - decay) * W."""
    _check_decay(decay)
    return lambda averaged, current, num_averaged: decay * averaged + (1 - decay) * current


def get_swa_avg_fn() -> AvgFn:
    """avg_fn(avg, W, n) = avg + (W - avg) / (n + 1)."""
    return lambda averaged, current, num_averaged: (
        averaged + (current - averaged) / (int(num_averaged) + 1)
    )


class AveragedModel(nn.Module):
    """A copy of ``model`` whose parameters (and buffers, with ``use_buffers``) are the
    average of the model's, updated by ``update_parameters(model)``: SWA by default, EMA with
    ``multi_avg_fn=get_ema_multi_avg_fn(decay)`` or ``avg_fn=get_ema_avg_fn(decay)``.

    Examples
    --------
    >>> import nn
    >>> from optimizers.swa_utils import AveragedModel
    >>> model = nn.Linear(1, 1); swa = AveragedModel(model)
    >>> for value in (1.0, 3.0):
    ...     with nn.no_grad():
    ...         _ = model.weight.fill_(value)
    ...     swa.update_parameters(model)
    >>> swa.module.weight.item(), swa.n_averaged.item()
    (2.0, 2)
    """

    def __init__(
        self,
        model: nn.Module,
        device: DeviceLike | None = None,
        avg_fn: AvgFn | None = None,
        multi_avg_fn: MultiAvgFn | None = None,
        use_buffers: bool = False,
    ) -> None:
        super().__init__()
        if avg_fn is not None and multi_avg_fn is not None:
            raise AssertionError("Only one of avg_fn and multi_avg_fn should be provided")
        nn.device(device if device is not None else "cpu")  # any other device raises
        self.module = copy.deepcopy(model)
        self.register_buffer("n_averaged", np.array(0, dtype=np.int64))
        self.avg_fn, self.multi_avg_fn, self.use_buffers = avg_fn, multi_avg_fn, use_buffers

    def forward(self, *args: Any, **kwargs: Any) -> Any:
        return self.module(*args, **kwargs)

    def update_parameters(self, model: nn.Module) -> None:
        """Average ``model``'s current weights in (the first call copies them)."""
        if self.use_buffers:
            mine = list(itertools.chain(self.module.parameters(), self.module.buffers()))
            theirs = list(itertools.chain(model.parameters(), model.buffers()))
        else:
            mine, theirs = list(self.module.parameters()), list(model.parameters())
        count = int(self.n_averaged.item())
        with nn.no_grad():
            if count == 0:
                for averaged, current in zip(mine, theirs, strict=False):
                    averaged.copy_(current.detach())
            elif self.multi_avg_fn is not None:
                pairs = list(zip(mine, theirs, strict=False))
                self.multi_avg_fn(
                    [a for a, _ in pairs], [c.detach() for _, c in pairs], self.n_averaged
                )
            else:
                average = self.avg_fn or get_swa_avg_fn()
                for averaged, current in zip(mine, theirs, strict=False):
                    averaged.copy_(average(averaged.detach(), current.detach(), self.n_averaged))
            if not self.use_buffers:  # buffers (BatchNorm's statistics) follow the model
                for mine_buffer, their_buffer in zip(
                    self.module.buffers(), model.buffers(), strict=True
                ):
                    mine_buffer.copy_(their_buffer.detach())
            self.n_averaged.add_(1)


def update_bn(loader: Iterable[object], model: nn.Module, device: DeviceLike | None = None) -> None:
    """Recompute the running statistics of every BatchNorm in ``model`` from one pass over
    ``loader`` (a cumulative average over its batches, in training mode, without gradients);
    the model's mode and momenta are restored after."""
    if device is not None:
        nn.device(device)
    momenta = {}
    for module in model.modules():
        if isinstance(module, nn.BatchNorm1d):
            module.reset_running_stats()
            momenta[module] = module.momentum
    if not momenta:
        return
    was_training = model.training
    model.train()
    for module in momenta:
        module.momentum = None
    with nn.no_grad():
        for batch in loader:
            model(batch[0] if isinstance(batch, list | tuple) else batch)
    for module, momentum in momenta.items():
        module.momentum = momentum
    model.train(was_training)


class SWALR(LRScheduler):
    """Anneal each group's rate to ``swa_lr`` over ``anneal_epochs`` epochs (cosine or
    linear), then hold it, as PyTorch's SWALR.

    Examples
    --------
    >>> import numpy as np, nn, optimizers
    >>> from optimizers.swa_utils import SWALR
    >>> w = nn.Parameter(np.zeros(1)); w.grad = np.zeros(1)  # (a gradient to step with)
    >>> opt = optimizers.SGD([w], lr=1.0)
    >>> sched = SWALR(opt, swa_lr=0.1, anneal_epochs=2, anneal_strategy="linear")
    >>> [round((opt.step(), sched.step(), sched.get_last_lr()[0])[2], 6) for _ in range(3)]
    [0.55, 0.1, 0.1]
    """

    def __init__(
        self,
        optimizer: Optimizer,
        swa_lr: float | list[float],
        anneal_epochs: int = 10,
        anneal_strategy: str = "cos",
        last_epoch: int = -1,
    ) -> None:
        for lr, group in zip(
            per_group("swa_lr", optimizer, swa_lr), optimizer.param_groups, strict=True
        ):
            group["swa_lr"] = lr
        if anneal_strategy not in ("cos", "linear"):
            raise ValueError(
                f"anneal_strategy must be one of 'cos' or 'linear', instead got {anneal_strategy}"
            )
        if not isinstance(anneal_epochs, int) or anneal_epochs < 0:
            raise ValueError(f"anneal_epochs must be equal or greater than 0, got {anneal_epochs}")
        self.anneal_strategy, self.anneal_epochs = anneal_strategy, anneal_epochs
        super().__init__(optimizer, last_epoch)

    def _anneal(self, t: float) -> float:
        return t if self.anneal_strategy == "linear" else (1 - math.cos(math.pi * t)) / 2

    def get_lr(self) -> list[float]:
        step = self._step_count - 1
        if self.anneal_epochs == 0:
            step = max(1, step)
        span = max(1, self.anneal_epochs)
        before = self._anneal(max(0, min(1, (step - 1) / span)))
        now = self._anneal(max(0, min(1, step / span)))
        lrs = []
        for group in self.optimizer.param_groups:
            # the rate the annealing started from, recovered from the current one
            start = (
                group["swa_lr"]
                if before == 1
                else (group["lr"] - before * group["swa_lr"]) / (1 - before)
            )
            lrs.append(group["swa_lr"] * now + start * (1 - now))
        return lrs
