"""Every update rule against a reference written here in the course's notation (or PyTorch's
documented pseudo-code), over hypothesis-drawn shapes, dtypes, hyperparameters, groups and
step counts; plus the invariants that tie the rules together."""

from __future__ import annotations

import copy

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import nn
import optimizers
from tests.cases.optimizers import CASES, lrs, unit


@st.composite
def problems(draw):
    """1-3 parameters of drawn shapes and dtype, 1-50 steps of gradients each."""
    dtype = draw(st.sampled_from([np.float32, np.float64]))
    steps = draw(st.integers(1, 50))
    count = draw(st.integers(1, 3))
    shapes = [draw(hnp.array_shapes(min_dims=0, max_dims=3, max_side=4)) for _ in range(count)]
    elements = st.floats(-1, 1, width=32)
    initial = [draw(hnp.arrays(np.float64, s, elements=elements)).astype(dtype) for s in shapes]
    grads = [
        draw(hnp.arrays(np.float64, (steps, *s), elements=elements)).astype(dtype) for s in shapes
    ]
    two_groups = count > 1 and draw(st.booleans())
    return dtype, initial, grads, two_groups


@pytest.mark.parametrize("name", sorted(CASES))
@given(problem=problems(), data=st.data())
def test_matches_reference(name, problem, data):
    cls, reference, hyper_strategy = CASES[name]
    hyper = data.draw(hyper_strategy)
    dtype, initial, grads, two_groups = problem
    params = [nn.Parameter(w.copy()) for w in initial]
    group_lrs = [hyper["lr"]] * len(params)
    if two_groups:
        group_lrs[0] = hyper["lr"] / 2
        optimizer = cls(
            [{"params": params[:1], "lr": group_lrs[0]}, {"params": params[1:]}], **hyper
        )
    else:
        optimizer = cls(params, **hyper)
    for t in range(len(grads[0])):
        for p, g in zip(params, grads, strict=True):
            p.grad = g[t].copy()
        optimizer.step()
    tolerance = (
        {"rtol": 1e-10, "atol": 1e-12} if dtype == np.float64 else {"rtol": 2e-4, "atol": 2e-4}
    )
    for p, w, g, lr in zip(params, initial, grads, group_lrs, strict=True):
        expected = reference(w, g, **{**hyper, "lr": lr})  # in the parameters' dtype
        assert p.dtype == dtype and p.shape == w.shape
        np.testing.assert_allclose(p.detach().numpy(), expected, **tolerance)


@pytest.mark.parametrize("name", sorted(CASES))
@given(problem=problems(), data=st.data(), split=st.integers(1, 49))
def test_state_dict_round_trip_continues_bit_identically(name, problem, data, split):
    cls, _, hyper_strategy = CASES[name]
    hyper = data.draw(hyper_strategy)
    dtype, initial, grads, _ = problem
    # loading casts every state array to its parameter's dtype (PyTorch's policy): NAdam's
    # and ASGD's scalars, kept in the default dtype, resume bit for bit where the two agree
    before = nn.get_default_dtype()
    nn.set_default_dtype(dtype)
    try:
        _round_trip(cls, hyper, initial, grads, split)
    finally:
        nn.set_default_dtype(before)


def _round_trip(cls, hyper, initial, grads, split):
    steps = len(grads[0])
    split = min(split, steps)
    params = [nn.Parameter(w.copy()) for w in initial]
    optimizer = cls(params, **hyper)

    def run(opt, ps, start, stop):
        for t in range(start, stop):
            for p, g in zip(ps, grads, strict=True):
                p.grad = g[t].copy()
            opt.step()

    run(optimizer, params, 0, split)
    saved = copy.deepcopy(optimizer.state_dict())  # (its arrays are the optimizer's own)
    copies = [nn.Parameter(p.detach().numpy().copy()) for p in params]
    resumed = cls(copies, **hyper)
    resumed.load_state_dict(saved)
    run(optimizer, params, split, steps)
    run(resumed, copies, split, steps)
    for p, q in zip(params, copies, strict=True):
        np.testing.assert_array_equal(p.detach().numpy(), q.detach().numpy())


@pytest.mark.parametrize("name", sorted(CASES))
@given(problem=problems(), data=st.data())
def test_no_gradient_or_zero_grad_leaves_parameters_unchanged(name, problem, data):
    cls, _, hyper_strategy = CASES[name]
    hyper = data.draw(hyper_strategy)
    for decay in ("weight_decay", "lambd"):  # decay moves W even when dW = 0
        if decay in hyper:
            hyper[decay] = 0.0
    _, initial, grads, _ = problem
    params = [nn.Parameter(w.copy()) for w in initial]
    optimizer = cls(params, **hyper)
    for p in params[1:]:
        p.grad = np.zeros_like(p.detach().numpy())
    optimizer.step()  # params[0] has no grad, the others a zero grad on a fresh optimizer
    for p, w in zip(params, initial, strict=True):
        np.testing.assert_array_equal(p.detach().numpy(), w)
    for p, g in zip(params, grads, strict=True):
        p.grad = g[0].copy()
    optimizer.step()
    snapshot = [p.detach().numpy().copy() for p in params]
    optimizer.zero_grad()
    optimizer.step()
    for p, s in zip(params, snapshot, strict=True):
        np.testing.assert_array_equal(p.detach().numpy(), s)


@given(problem=problems(), lr=lrs)
def test_momentum_with_beta_zero_is_batch_gd_is_sgd(problem, lr):
    _, initial, grads, _ = problem
    runs = []
    for make in (
        lambda ps: optimizers.Momentum(ps, lr=lr, beta=0.0),
        lambda ps: optimizers.BatchGD(ps, lr=lr),
        lambda ps: optimizers.SGD(ps, lr=lr),
    ):
        params = [nn.Parameter(w.copy()) for w in initial]
        optimizer = make(params)
        for t in range(len(grads[0])):
            for p, g in zip(params, grads, strict=True):
                p.grad = g[t]
            optimizer.step()
        runs.append([p.detach().numpy() for p in params])
    for other in runs[1:]:
        for a, b in zip(runs[0], other, strict=True):
            np.testing.assert_array_equal(a, b)


@given(problem=problems(), lr=lrs, beta=unit)
def test_momentum_meets_pytorch_sgd_momentum(problem, lr, beta):
    """Momentum(lr=alpha, beta=b) follows SGD(lr=alpha * (1 - b), momentum=b) (DESIGN.md)."""
    _, initial, grads, _ = problem
    a = [nn.Parameter(w.astype(np.float64)) for w in initial]
    b = [nn.Parameter(w.astype(np.float64)) for w in initial]
    course = optimizers.Momentum(a, lr=lr, beta=beta)
    torch_style = optimizers.SGD(b, lr=lr * (1 - beta), momentum=beta)
    for t in range(len(grads[0])):
        for p, q, g in zip(a, b, grads, strict=True):
            p.grad = q.grad = g[t].astype(np.float64)
        course.step()
        torch_style.step()
    for p, q in zip(a, b, strict=True):
        np.testing.assert_allclose(p.detach().numpy(), q.detach().numpy(), rtol=1e-9, atol=1e-12)


@given(t=st.integers(1, 60), beta=unit, g=hnp.arrays(np.float64, (3,), elements=st.floats(-5, 5)))
def test_momentum_velocity_closed_form(t, beta, g):
    p = nn.Parameter(np.zeros(3))
    optimizer = optimizers.Momentum([p], lr=0.1, beta=beta)
    for _ in range(t):
        p.grad = g
        optimizer.step()
    np.testing.assert_allclose(
        optimizer.state[p]["velocity"], (1 - beta**t) * g, rtol=1e-12, atol=1e-14
    )


@given(
    g=hnp.arrays(np.float64, (5,), elements=st.floats(-10, 10).filter(lambda x: abs(x) > 1e-6)),
    lr=lrs,
    betas=st.tuples(unit, st.floats(0.5, 0.999)),
)
def test_adam_first_step_moves_each_coordinate_by_lr(g, lr, betas):
    p = nn.Parameter(np.zeros(5))
    p.grad = g
    optimizers.Adam([p], lr=lr, betas=betas, eps=0.0).step()
    np.testing.assert_allclose(p.detach().numpy(), -lr * np.sign(g), rtol=1e-12)


@given(problem=problems(), c=st.floats(1e-3, 1e3), lr=lrs)
def test_adam_is_invariant_to_gradient_scale(problem, c, lr):
    _, initial, grads, _ = problem
    finals = []
    for scale in (1.0, c):
        params = [nn.Parameter(w.astype(np.float64)) for w in initial]
        optimizer = optimizers.Adam(params, lr=lr, eps=0.0)
        for t in range(len(grads[0])):
            for p, g in zip(params, grads, strict=True):
                dW = g[t].astype(np.float64)
                p.grad = scale * np.where(dW == 0, 1.0, dW)  # eps=0: a zero would give 0/0
            optimizer.step()
        finals.append([p.detach().numpy() for p in params])
    for a, b in zip(*finals, strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-9, atol=1e-12)


def test_nesterov_differs_from_plain_momentum():
    results = []
    for nesterov in (False, True):
        p = nn.Parameter(np.array([1.0]))
        optimizer = optimizers.SGD([p], lr=0.1, momentum=0.9, nesterov=nesterov)
        for _ in range(3):
            p.grad = np.array([1.0])
            optimizer.step()
        results.append(p.detach().numpy()[0])
    # plain: buffers 1, 1.9, 2.71; nesterov steps g + 0.9 b: 1.9, 2.71, 3.439
    assert results[0] == pytest.approx(1 - 0.1 * (1 + 1.9 + 2.71))
    assert results[1] == pytest.approx(1 - 0.1 * (1.9 + 2.71 + 3.439))


@pytest.mark.parametrize("name", sorted(CASES))
def test_float32_stays_float32(name):
    cls, _, _ = CASES[name]
    p = nn.Parameter(np.ones((2, 3), dtype=np.float32))
    optimizer = cls([p], lr=0.01)
    for _ in range(3):
        p.grad = np.full((2, 3), 0.5, dtype=np.float32)
        optimizer.step()
    assert p.detach().numpy().dtype == np.float32
    for value in optimizer.state[p].values():
        if isinstance(value, np.ndarray):
            assert value.dtype == np.float32


def test_step_returns_closure_loss_computed_with_grad():
    w = nn.Parameter(np.array([3.0]))
    optimizer = optimizers.SGD([w], lr=0.1)

    def closure():
        optimizer.zero_grad()
        loss = (w * w).sum()
        loss.backward()
        return loss

    with nn.no_grad():
        loss = optimizer.step(closure)
    assert loss.item() == 9.0
    np.testing.assert_allclose(w.detach().numpy(), [3.0 - 0.1 * 6.0])
