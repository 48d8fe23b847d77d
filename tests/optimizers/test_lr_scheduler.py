"""Learning-rate schedules: closed forms, the course's InverseTimeLR, state dicts."""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import nn
import optimizers
from optimizers import lr_scheduler


def make_optimizer(lr=0.1, groups=1):
    return optimizers.SGD(
        [{"params": [nn.Parameter(np.zeros(1))], "lr": lr * (i + 1)} for i in range(groups)], lr=lr
    )


def run(scheduler, epochs):
    lrs = []
    for _ in range(epochs):
        lrs.append(scheduler.get_last_lr())
        scheduler.optimizer.step()
        scheduler.step()
    return np.array(lrs)


@given(
    decay_rate=st.floats(0, 5),
    interval=st.integers(1, 10),
    lr=st.floats(1e-4, 1),
    epochs=st.integers(1, 40),
)
def test_inverse_time_decay_closed_form(decay_rate, interval, lr, epochs):
    optimizer = make_optimizer(lr, groups=2)
    lrs = run(lr_scheduler.InverseTimeLR(optimizer, decay_rate, time_interval=interval), epochs)
    epoch = np.arange(epochs)[:, None]
    expected = np.array([[lr, 2 * lr]]) / (1 + decay_rate * np.floor(epoch / interval))
    np.testing.assert_allclose(lrs, expected, rtol=1e-14)


@given(step_size=st.integers(1, 5), gamma=st.floats(0.1, 1), epochs=st.integers(1, 30))
def test_step_lr_closed_form(step_size, gamma, epochs):
    lrs = run(lr_scheduler.StepLR(make_optimizer(), step_size, gamma), epochs)[:, 0]
    np.testing.assert_allclose(lrs, 0.1 * gamma ** (np.arange(epochs) // step_size), rtol=1e-12)


@given(gamma=st.floats(0.5, 1), epochs=st.integers(1, 30))
def test_exponential_lr_closed_form(gamma, epochs):
    lrs = run(lr_scheduler.ExponentialLR(make_optimizer(), gamma), epochs)[:, 0]
    np.testing.assert_allclose(lrs, 0.1 * gamma ** np.arange(epochs), rtol=1e-12)


@given(t_max=st.integers(1, 10), eta_min=st.floats(0, 0.05), epochs=st.integers(1, 30))
def test_cosine_annealing_closed_form(t_max, eta_min, epochs):
    lrs = run(lr_scheduler.CosineAnnealingLR(make_optimizer(), t_max, eta_min), epochs)[:, 0]
    epoch = np.arange(epochs)
    expected = eta_min + (0.1 - eta_min) * (1 + np.cos(math.pi * epoch / t_max)) / 2
    np.testing.assert_allclose(lrs, expected, rtol=1e-9, atol=1e-12)


def test_lambda_lr_per_group():
    optimizer = make_optimizer(groups=2)
    scheduler = lr_scheduler.LambdaLR(optimizer, [lambda e: 0.5**e, lambda e: 1.0 / (e + 1)])
    lrs = run(scheduler, 4)
    np.testing.assert_allclose(lrs[:, 0], 0.1 * 0.5 ** np.arange(4))
    np.testing.assert_allclose(lrs[:, 1], 0.2 / (np.arange(4) + 1))
    with pytest.raises(ValueError, match="Expected 2 lr_lambdas"):
        lr_scheduler.LambdaLR(optimizer, [lambda e: 1.0])


def test_scheduler_state_dict_resumes():
    optimizer = make_optimizer()
    scheduler = lr_scheduler.InverseTimeLR(optimizer, decay_rate=0.5, time_interval=2)
    run(scheduler, 5)
    saved_optimizer, saved = optimizer.state_dict(), scheduler.state_dict()
    expected = run(scheduler, 5)
    fresh = make_optimizer()  # the recipe: build both, then load both
    resumed = lr_scheduler.InverseTimeLR(fresh, decay_rate=0.5, time_interval=2)
    fresh.load_state_dict(saved_optimizer)
    resumed.load_state_dict(saved)
    np.testing.assert_array_equal(run(resumed, 5), expected)


def test_scheduler_validation():
    with pytest.raises(ValueError, match="decay_rate value: -1"):
        lr_scheduler.InverseTimeLR(make_optimizer(), decay_rate=-1)
    with pytest.raises(ValueError, match="time_interval"):
        lr_scheduler.InverseTimeLR(make_optimizer(), decay_rate=1, time_interval=0)
    with pytest.raises(ValueError, match="step_size"):
        lr_scheduler.StepLR(make_optimizer(), step_size=0)
    with pytest.raises(TypeError, match="not an Optimizer"):
        lr_scheduler.StepLR(object(), step_size=1)
