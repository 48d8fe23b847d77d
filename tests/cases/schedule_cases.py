"""Every learning-rate schedule of torch.optim.lr_scheduler, built the same way in PyTorch and
in descend (``T`` is ``torch``, with ``O`` = ``torch.optim``, or ``nn`` with ``optimizers``),
and the sequence they produce: the rate (and the cycled momentum) after each of ``STEPS``
steps. tests/fixtures/make_torch_optim_fixtures.py records PyTorch's; the tests compare."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

STEPS = 40


def _opt(T: Any, O: Any, kind: str = "sgd") -> Any:
    params = [T.nn.Parameter(T.zeros(1))] if hasattr(T, "nn") else [T.Parameter(T.zeros(1))]
    if kind == "adam":
        return O.Adam(params, lr=0.1)
    return O.SGD(params, lr=0.1, momentum=0.9 if kind == "momentum" else 0.0)


def _case(kind: str, make: Callable[[Any, Any], Any]) -> Callable[[Any, Any], tuple[Any, Any]]:
    def build(T: Any, O: Any) -> tuple[Any, Any]:
        optimizer = _opt(T, O, kind)
        return optimizer, make(O.lr_scheduler, optimizer)

    return build


CASES: dict[str, Callable[[Any, Any], tuple[Any, Any]]] = {
    "StepLR": _case("sgd", lambda S, o: S.StepLR(o, step_size=3, gamma=0.5)),
    "MultiStepLR": _case("sgd", lambda S, o: S.MultiStepLR(o, milestones=[2, 5, 5, 9], gamma=0.5)),
    "ExponentialLR": _case("sgd", lambda S, o: S.ExponentialLR(o, gamma=0.9)),
    "LambdaLR": _case("sgd", lambda S, o: S.LambdaLR(o, lambda e: 1 / (1 + e))),
    "MultiplicativeLR": _case("sgd", lambda S, o: S.MultiplicativeLR(o, lambda e: 0.95)),
    "ConstantLR": _case("sgd", lambda S, o: S.ConstantLR(o, factor=0.25, total_iters=4)),
    "LinearLR": _case("sgd", lambda S, o: S.LinearLR(o, 0.2, 0.9, total_iters=7)),
    "PolynomialLR": _case("sgd", lambda S, o: S.PolynomialLR(o, total_iters=12, power=2.0)),
    "CosineAnnealingLR": _case("sgd", lambda S, o: S.CosineAnnealingLR(o, T_max=7, eta_min=0.01)),
    "CosineAnnealingWarmRestarts": _case(
        "sgd", lambda S, o: S.CosineAnnealingWarmRestarts(o, T_0=3, T_mult=2, eta_min=0.001)
    ),
    "CyclicLR_triangular": _case(
        "momentum", lambda S, o: S.CyclicLR(o, 0.01, 0.1, step_size_up=4, step_size_down=3)
    ),
    "CyclicLR_triangular2": _case(
        "momentum", lambda S, o: S.CyclicLR(o, 0.01, 0.1, step_size_up=3, mode="triangular2")
    ),
    "CyclicLR_exp_range_adam": _case(
        "adam",
        lambda S, o: S.CyclicLR(o, 0.01, 0.1, step_size_up=5, mode="exp_range", gamma=0.97),
    ),
    "OneCycleLR_cos": _case(
        "momentum", lambda S, o: S.OneCycleLR(o, max_lr=0.5, total_steps=STEPS + 1)
    ),
    "OneCycleLR_linear_three_phase_adam": _case(
        "adam",
        lambda S, o: S.OneCycleLR(
            o,
            max_lr=0.5,
            epochs=4,
            steps_per_epoch=11,
            anneal_strategy="linear",
            three_phase=True,
            pct_start=0.25,
        ),
    ),
    "SequentialLR": _case(
        "sgd",
        lambda S, o: S.SequentialLR(
            o,
            [S.LinearLR(o, 0.1, 1.0, total_iters=5), S.CosineAnnealingLR(o, T_max=20)],
            milestones=[5],
        ),
    ),
    "ChainedScheduler": _case(
        "sgd",
        lambda S, o: S.ChainedScheduler(
            [S.ConstantLR(o, factor=0.5, total_iters=3), S.ExponentialLR(o, gamma=0.9)]
        ),
    ),
}

PLATEAU_LOSSES = [1.0, 0.9, 0.9, 0.91, 0.95, 0.8, 0.8, 0.8, 0.8, 0.8, 0.7] * 4


def plateau(T: Any, O: Any) -> tuple[Any, Any]:
    optimizer = _opt(T, O)
    return optimizer, O.lr_scheduler.ReduceLROnPlateau(
        optimizer, factor=0.5, patience=2, cooldown=1, threshold=0.05, min_lr=0.01
    )


def _momentum(group: dict[str, Any]) -> float:
    return float(group["betas"][0] if "betas" in group else group.get("momentum", 0.0))


def run(T: Any, O: Any, name: str, steps: int = STEPS) -> np.ndarray:
    """(lr, momentum) before each of ``steps`` steps, stepping optimizer then scheduler."""
    optimizer, scheduler = plateau(T, O) if name == "ReduceLROnPlateau" else CASES[name](T, O)
    values = []
    for number in range(steps):
        group = optimizer.param_groups[0]
        values.append((float(group["lr"]), _momentum(group)))
        optimizer.step()
        if name == "ReduceLROnPlateau":
            scheduler.step(PLATEAU_LOSSES[number])
        else:
            scheduler.step()
    return np.array(values)


NAMES = sorted([*CASES, "ReduceLROnPlateau"])
