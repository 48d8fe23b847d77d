"""Every learning-rate schedule against PyTorch's: the rate and the cycled momentum over 40
steps equal the recorded sequences (tests/cases/schedule_cases.py, tests/fixtures/torch_optim.npz),
live PyTorch too when installed; a schedule resumed from its state_dict mid-way continues
exactly; stepping the scheduler before the optimizer warns as in PyTorch."""

from __future__ import annotations

import copy
import warnings
from pathlib import Path

import numpy as np
import pytest

import nn
import optimizers
from tests.cases import schedule_cases
from tests.cases.schedule_cases import NAMES, STEPS

FIXTURES = np.load(Path(__file__).parent.parent / "fixtures" / "torch_optim.npz")


@pytest.fixture(autouse=True)
def quiet():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        yield


@pytest.mark.parametrize("name", NAMES)
def test_sequence_matches_recorded_pytorch(name):
    ours = schedule_cases.run(nn, optimizers, name)
    np.testing.assert_allclose(ours, FIXTURES[f"schedule/{name}"], rtol=1e-12, atol=1e-15)


@pytest.mark.torch
@pytest.mark.parametrize("name", NAMES)
def test_sequence_matches_live_pytorch(name):
    torch = pytest.importorskip("torch")
    theirs = schedule_cases.run(torch, torch.optim, name)
    np.testing.assert_allclose(
        schedule_cases.run(nn, optimizers, name), theirs, rtol=1e-12, atol=1e-15
    )


@pytest.mark.parametrize("name", sorted(schedule_cases.CASES))
@pytest.mark.parametrize("stop", [1, 7, 23])
def test_resume_from_state_dict_mid_schedule(name, stop):
    optimizer, scheduler = schedule_cases.CASES[name](nn, optimizers)
    reference = schedule_cases.run(nn, optimizers, name)
    for _ in range(stop):
        optimizer.step()
        scheduler.step()
    saved_optimizer = copy.deepcopy(optimizer.state_dict())
    saved = copy.deepcopy(scheduler.state_dict())
    optimizer, scheduler = schedule_cases.CASES[name](nn, optimizers)
    optimizer.load_state_dict(saved_optimizer)
    scheduler.load_state_dict(saved)
    resumed = []
    for _ in range(STEPS - stop):
        group = optimizer.param_groups[0]
        momentum = group["betas"][0] if "betas" in group else group.get("momentum", 0.0)
        resumed.append((group["lr"], momentum))
        optimizer.step()
        scheduler.step()
    np.testing.assert_allclose(np.array(resumed), reference[stop:], rtol=1e-12, atol=1e-15)


def test_stepping_the_scheduler_first_warns_as_pytorch():
    optimizer = optimizers.SGD([nn.Parameter(np.zeros(1))], lr=0.1)
    scheduler = optimizers.lr_scheduler.StepLR(optimizer, step_size=1)
    with pytest.warns(UserWarning, match="before `optimizer.step\\(\\)`"):
        scheduler.step()
    optimizer = optimizers.SGD([nn.Parameter(np.zeros(1))], lr=0.1)
    scheduler = optimizers.lr_scheduler.StepLR(optimizer, step_size=1)
    optimizer.step()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        scheduler.step()


@pytest.mark.parametrize(
    ("make", "error", "message"),
    [
        (lambda S, o: S.ConstantLR(o, factor=1.5), ValueError, "between 0 and 1"),
        (lambda S, o: S.LinearLR(o, start_factor=0), ValueError, "greater than 0"),
        (lambda S, o: S.CosineAnnealingWarmRestarts(o, T_0=0), ValueError, "positive integer T_0"),
        (lambda S, o: S.CyclicLR(o, 0.1, 1.0, mode="saw"), ValueError, "mode is invalid"),
        (lambda S, o: S.OneCycleLR(o, 1.0), ValueError, "total_steps OR"),
        (lambda S, o: S.OneCycleLR(o, 1.0, 5, anneal_strategy="step"), ValueError, "anneal"),
        (lambda S, o: S.ReduceLROnPlateau(o, factor=1.0), ValueError, "Factor should be < 1.0"),
        (lambda S, o: S.SequentialLR(o, [S.StepLR(o, 2)], [3]), ValueError, "one more"),
        (lambda S, o: S.ChainedScheduler([]), ValueError, "at least one scheduler"),
    ],
)
def test_bad_arguments_raise_as_pytorch(make, error, message):
    optimizer = optimizers.SGD([nn.Parameter(np.zeros(1))], lr=0.1, momentum=0.9)
    with pytest.raises(error, match=message):
        make(optimizers.lr_scheduler, optimizer)
    momentum_free = optimizers.Momentum([nn.Parameter(np.zeros(1))], lr=0.1)
    with pytest.raises(ValueError, match="optimizer must support momentum or beta1"):
        optimizers.lr_scheduler.CyclicLR(momentum_free, 0.01, 0.1)
