"""The learning-rate scheduler base class, ``LRScheduler`` (as ``torch.optim.lr_scheduler``'s):
each schedule in ``optimizers.lr_scheduler`` writes ``get_lr()``; this class steps it."""

from __future__ import annotations

import functools
import warnings
import weakref
from typing import Any

from .optimizer import Optimizer
from .types import StateDict


class LRScheduler:
    """Base class: subclasses write ``get_lr()``, the rates for epoch ``self.last_epoch``.

    Examples
    --------
    >>> import numpy as np, nn, optimizers
    >>> class Halving(optimizers.lr_scheduler.LRScheduler):
    ...     def get_lr(self):
    ...         return [base * 0.5**self.last_epoch for base in self.base_lrs]
    >>> w = nn.Parameter(np.zeros(1)); w.grad = np.zeros(1)  # (a gradient to step with)
    >>> opt = optimizers.SGD([w], lr=1.0)
    >>> sched = Halving(opt); opt.step(); sched.step(); sched.get_last_lr()
    [0.5]
    """

    _is_initial = False  # True during the step that sets epoch 0's rates

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
        self._last_lr: list[float] = []
        _track_step_called(optimizer)
        self._initial_step()

    def _initial_step(self) -> None:
        """The step that sets epoch 0's rates (from ``__init__``, or ``SequentialLR``)."""
        self._step_count = 0
        self._is_initial = True
        try:
            self.step()
        finally:
            self._is_initial = False

    def get_lr(self) -> list[float]:
        """The learning rates of every group for the epoch ``self.last_epoch``."""
        raise NotImplementedError

    def get_last_lr(self) -> list[float]:
        """The learning rates this scheduler set last, one per group."""
        return list(self._last_lr)

    def step(self, epoch: int | None = None) -> None:
        """Advance one epoch and set each group's ``lr`` (``epoch`` jumps there instead,
        deprecated as in PyTorch, using the closed form where the schedule has one).

        As PyTorch, the first call warns when ``optimizer.step()`` has not run yet: the
        schedule's first rate would be skipped."""
        if self._step_count == 1 and not self._is_initial and _step_replaced(self.optimizer):
            warnings.warn(
                "Seems like `optimizer.step()` has been overridden after learning rate "
                "scheduler initialization. Please, make sure to call `optimizer.step()` before "
                "`lr_scheduler.step()`.",
                UserWarning,
                stacklevel=2,
            )
        elif (
            self._step_count == 1
            and not self._is_initial
            and not getattr(self.optimizer, "_opt_called", False)
        ):
            warnings.warn(
                "Detected call of `lr_scheduler.step()` before `optimizer.step()`. You should "
                "call them in the opposite order: `optimizer.step()` before "
                "`lr_scheduler.step()`. Failure to do this will result in skipping the first "
                "value of the learning rate schedule.",
                UserWarning,
                stacklevel=2,
            )
        self._step_count += 1
        if epoch is not None:
            warnings.warn(
                "The epoch parameter in `scheduler.step()` was not necessary and is being "
                "deprecated where possible. Please use `scheduler.step()` to step the "
                "scheduler.",
                UserWarning,
                stacklevel=2,
            )
        self._update_lr(epoch)

    def _update_lr(self, epoch: int | None = None) -> None:
        """Set the rates of the next epoch, or of ``epoch`` (by the closed form where the
        schedule has one)."""
        if epoch is None:
            self.last_epoch += 1
            values = self.get_lr()
        else:
            self.last_epoch = epoch
            closed_form = getattr(self, "_get_closed_form_lr", None)
            values = closed_form() if closed_form is not None else self.get_lr()
        for group, lr in zip(self.optimizer.param_groups, values, strict=True):
            group["lr"] = lr
        self._last_lr = [group["lr"] for group in self.optimizer.param_groups]

    def state_dict(self) -> StateDict:
        """Everything but the optimizer (and functions, which cannot be saved)."""
        return {
            key: value
            for key, value in self.__dict__.items()
            if key not in ("optimizer", "lr_lambdas", "_is_initial") and not callable(value)
        }

    def load_state_dict(self, state_dict: StateDict) -> None:
        unknown = set(state_dict) - set(self.state_dict())
        if unknown:
            raise ValueError(f"unexpected keys in scheduler state_dict: {sorted(unknown)}")
        self.__dict__.update(
            {k: list(v) if isinstance(v, tuple) else v for k, v in state_dict.items()}
        )


def _track_step_called(optimizer: Any) -> None:
    """Wrap this optimizer's ``step`` (the instance's, once) so that calling it sets
    ``optimizer._opt_called``, as PyTorch's schedulers do: ``step()`` then warns when the
    schedule is stepped first. Works for any optimizer, whatever its own ``step``."""
    if getattr(optimizer.step, "_wrapped_by_lr_sched", False):
        return
    reference = weakref.ref(optimizer)
    function = optimizer.step.__func__

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: object) -> Any:
        opt = reference()
        opt._opt_called = True  # type: ignore[union-attr]
        return function.__get__(opt, type(opt))(*args, **kwargs)

    wrapper._wrapped_by_lr_sched = True  # type: ignore[attr-defined]
    optimizer.step = wrapper


def _step_replaced(optimizer: Any) -> bool:
    """Whether ``optimizer.step`` was replaced after the scheduler wrapped it."""
    return not getattr(optimizer.step, "_wrapped_by_lr_sched", False)


def current_lrs(optimizer: Optimizer) -> list[float]:
    """Each group's learning rate now (the recursive schedules multiply these)."""
    return [group["lr"] for group in optimizer.param_groups]
