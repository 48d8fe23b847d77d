"""LBFGS: the two-loop recursion and the strong Wolfe line search, against the problem's
solution, a resumed run, and PyTorch's iterates and evaluation counts when installed."""

from __future__ import annotations

import copy
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import nn
import optimizers
from optimizers.line_search import cubic_minimum

RNG = np.random.default_rng(0)
A, B = RNG.standard_normal((8, 5)), RNG.standard_normal(8)


def problem(T, O, **options):
    """Least squares plus a quartic term over two parameters (a matrix and a vector)."""
    if T is nn:
        w, v = nn.Parameter(np.zeros((2, 2))), nn.Parameter(np.zeros(1))
    else:
        w, v = (
            T.zeros((2, 2), dtype=T.float64, requires_grad=True),
            T.zeros(1, dtype=T.float64, requires_grad=True),
        )
    At, Bt = T.tensor(A), T.tensor(B)
    optimizer = O.LBFGS([w, v], **options)

    def closure():
        optimizer.zero_grad()
        x = T.cat([w.reshape(-1), v])
        loss = ((At @ x - Bt) ** 2).sum() + 0.1 * (x**4).sum()
        loss.backward()
        return loss

    return optimizer, closure, (w, v)


def trajectory(T, O, steps=4, **options):
    optimizer, closure, params = problem(T, O, **options)
    losses = [optimizer.step(closure).item() for _ in range(steps)]
    values = np.concatenate([p.detach().numpy().reshape(-1) for p in params])
    return np.array(losses), values, optimizer.state_dict()["state"][0]["func_evals"]


@pytest.mark.parametrize("line_search_fn", [None, "strong_wolfe"])
def test_reaches_the_minimum(line_search_fn):
    optimizer, closure, (w, v) = problem(nn, optimizers, line_search_fn=line_search_fn)
    for _ in range(10):
        optimizer.step(closure)
    x = np.concatenate([w.detach().numpy().reshape(-1), v.detach().numpy()])
    gradient = 2 * A.T @ (A @ x - B) + 0.4 * x**3
    assert np.abs(gradient).max() < 1e-5


def test_state_dict_resume_continues_identically():
    reference = trajectory(nn, optimizers, steps=4, history_size=3, max_iter=4)
    optimizer, closure, params = problem(nn, optimizers, history_size=3, max_iter=4)
    for _ in range(2):
        optimizer.step(closure)
    saved = copy.deepcopy(optimizer.state_dict())
    values = [p.detach().numpy().copy() for p in params]
    resumed, closure, params = problem(nn, optimizers, history_size=3, max_iter=4)
    with nn.no_grad():
        for p, value in zip(params, values, strict=True):
            p.copy_(nn.tensor(value))
    resumed.load_state_dict(saved)
    losses = [resumed.step(closure).item() for _ in range(2)]
    np.testing.assert_array_equal(losses, reference[0][2:])


def test_arguments_and_errors_as_pytorch():
    p = nn.Parameter(np.zeros(2))
    assert optimizers.LBFGS([p], max_iter=8).param_groups[0]["max_eval"] == 10
    with pytest.raises(RuntimeError, match="only 'strong_wolfe' is supported"):
        optimizers.LBFGS([p], line_search_fn="backtracking")
    with pytest.raises(ValueError, match="per-parameter options"):
        optimizers.LBFGS([{"params": [p]}, {"params": [nn.Parameter(np.zeros(1))]}])
    with pytest.raises(RuntimeError, match="requires a closure"):
        optimizers.LBFGS([p]).step()


def test_cubic_minimum_of_a_cubic():
    # f(x) = (x - 1)**2 (x + 2) has its local minimum at x = 1
    f = lambda x: (x - 1) ** 2 * (x + 2)  # noqa: E731
    df = lambda x: 2 * (x - 1) * (x + 2) + (x - 1) ** 2  # noqa: E731
    assert cubic_minimum(0.0, f(0.0), df(0.0), 3.0, f(3.0), df(3.0)) == pytest.approx(1.0)
    # no minimum (the discriminant is negative): the middle of the bounds
    assert cubic_minimum(0.0, 0.0, 1.0, 1.0, 2 / 3, 1.0, bounds=(0.2, 0.4)) == pytest.approx(0.3)


@pytest.mark.torch
@settings(max_examples=25, deadline=None)
@given(
    line_search_fn=st.sampled_from([None, "strong_wolfe"]),
    history_size=st.integers(1, 6),
    max_iter=st.integers(1, 10),
    lr=st.sampled_from([1.0, 0.5, 0.1]),
    tolerance_change=st.sampled_from([1e-9, 1e-4]),
)
def test_iterates_and_evaluations_match_pytorch(
    line_search_fn, history_size, max_iter, lr, tolerance_change
):
    torch = pytest.importorskip("torch")
    options = {
        "line_search_fn": line_search_fn, "history_size": history_size, "max_iter": max_iter,
        "lr": lr, "tolerance_change": tolerance_change,
    }  # fmt: skip
    ours = trajectory(nn, optimizers, **options)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = trajectory(torch, torch.optim, **options)
    np.testing.assert_allclose(ours[0], theirs[0], rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(ours[1], theirs[1], rtol=1e-9, atol=1e-11)
    assert ours[2] == theirs[2]
