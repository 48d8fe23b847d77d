"""The rules' fast copies (optimizers/_kernels/) are honest: the NumPy kernel gives its
readable rule's numbers bit for bit, through the per-parameter executor, in slices of any
size; it runs only for the options it covers, never for a subclass with its own rule, and
never once the rule's source has changed (a learner's edit of adam.py runs at once; fused=True
refuses); each built-in's copies were proven against its rule as it is now; foreach=False
calls the rule's update on each parameter's whole arrays and nothing else."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import nn
import optimizers
from optimizers import _executors, _kernels


class ReadableAdam(optimizers.Adam):
    """Adam whose own ``update`` (the readable rule itself) keeps the kernel out."""

    def update(self, W, dW, state, group):
        super().update(W, dW, state, group)


class ReadableAdamW(optimizers.AdamW):
    def update(self, W, dW, state, group):
        super().update(W, dW, state, group)


@pytest.fixture
def small_slices(monkeypatch):
    """Every parameter is 'large' and the kernel's slices are 10 float32s or 5 float64s."""
    monkeypatch.setattr(_executors, "SLICED_BYTES", 16)
    monkeypatch.setattr(_kernels, "KERNEL_CHUNK_BYTES", 40)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    shapes=st.lists(st.sampled_from([(3,), (7, 5), (2, 3, 4), (33,)]), min_size=1, max_size=3),
    dtype=st.sampled_from([np.float32, np.float64]),
    lr=st.floats(1e-4, 0.5),
    betas=st.tuples(st.floats(0.0, 0.99), st.floats(0.0, 0.9999)),
    eps=st.sampled_from([1e-8, 1e-3, 0.0]),
    decoupled=st.booleans(),
    weight_decay=st.sampled_from([0.0, 0.01, 0.3]),
    steps=st.integers(1, 4),
    seed=st.integers(0, 2**16),
)
def test_adam_kernel_is_the_readable_rule_bit_for_bit(
    small_slices, shapes, dtype, lr, betas, eps, decoupled, weight_decay, steps, seed
):
    rng = np.random.default_rng(seed)
    start = [rng.standard_normal(shape).astype(dtype) for shape in shapes]
    grads = [[rng.standard_normal(shape).astype(dtype) for shape in shapes] for _ in range(steps)]
    fast_class, slow_class = (
        (optimizers.AdamW, ReadableAdamW) if decoupled else (optimizers.Adam, ReadableAdam)
    )
    kwargs = {"lr": lr, "betas": betas, "eps": eps, "weight_decay": weight_decay}
    if not decoupled and weight_decay:
        kwargs["weight_decay"] = 0.0  # (L2 decay runs the readable rule: nothing to compare)
    _assert_kernel_is_rule(fast_class, slow_class, kwargs, start, grads)


def _assert_kernel_is_rule(fast_class, slow_class, kwargs, start, grads):
    """The built-in (its NumPy kernel running) and its readable rule, stepped on the same
    gradients: the same parameters and state, bit for bit."""
    ours = [nn.Parameter(w.copy()) for w in start]
    theirs = [nn.Parameter(w.copy()) for w in start]
    fast, slow = fast_class(ours, **kwargs), slow_class(theirs, **kwargs)
    assert _kernels.numpy_for(fast, fast.param_groups[0]) is not None
    assert _kernels.numpy_for(slow, slow.param_groups[0]) is None
    for step in grads:
        for p, q, g in zip(ours, theirs, step, strict=True):
            p.grad, q.grad = g.copy(), g.copy()
        fast.step()
        slow.step()
    for p, q in zip(ours, theirs, strict=True):
        np.testing.assert_array_equal(p.detach().numpy(), q.detach().numpy())
        assert fast.state[p].keys() == slow.state[q].keys()
        for key, value in slow.state[q].items():
            np.testing.assert_array_equal(fast.state[p][key], value)


class ReadableBatchGD(optimizers.BatchGD):
    def update(self, W, dW, state, group):
        super().update(W, dW, state, group)


class ReadableSGD(optimizers.SGD):
    def update(self, W, dW, state, group):
        super().update(W, dW, state, group)


class ReadableMomentum(optimizers.Momentum):
    def update(self, W, dW, state, group):
        super().update(W, dW, state, group)


GRADIENT_DESCENTS = [
    (optimizers.BatchGD, ReadableBatchGD, lambda lr, beta, damp: {"lr": lr}),
    (optimizers.SGD, ReadableSGD, lambda lr, beta, damp: {"lr": lr}),
    (
        optimizers.SGD,
        ReadableSGD,
        lambda lr, beta, damp: {"lr": lr, "momentum": beta, "dampening": damp},
    ),
    (optimizers.Momentum, ReadableMomentum, lambda lr, beta, damp: {"lr": lr, "beta": beta}),
]


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    which=st.sampled_from(range(len(GRADIENT_DESCENTS))),
    shapes=st.lists(st.sampled_from([(3,), (7, 5), (2, 3, 4), (33,)]), min_size=1, max_size=3),
    dtype=st.sampled_from([np.float32, np.float64]),
    lr=st.floats(1e-4, 0.5),
    beta=st.floats(0.0, 0.99),
    dampening=st.sampled_from([0.0, 0.1, 0.5]),
    steps=st.integers(1, 4),
    seed=st.integers(0, 2**16),
)
def test_gradient_descent_kernels_are_their_readable_rules_bit_for_bit(
    small_slices, which, shapes, dtype, lr, beta, dampening, steps, seed
):
    fast_class, slow_class, options = GRADIENT_DESCENTS[which]
    rng = np.random.default_rng(seed)
    start = [rng.standard_normal(shape).astype(dtype) for shape in shapes]
    grads = [[rng.standard_normal(shape).astype(dtype) for shape in shapes] for _ in range(steps)]
    _assert_kernel_is_rule(fast_class, slow_class, options(lr, beta, dampening), start, grads)


@pytest.mark.parametrize(
    "options",
    [{"maximize": True}, {"weight_decay": 0.1}, {"momentum": 0.9, "nesterov": True}],
    ids=["maximize", "weight-decay", "nesterov"],
)
def test_sgd_options_its_kernel_does_not_cover_run_the_readable_rule(options):
    opt = optimizers.SGD([nn.Parameter(np.zeros(2))], **options)
    assert _kernels.numpy_for(opt, opt.param_groups[0]) is None


@pytest.mark.parametrize(
    "options",
    [{"amsgrad": True}, {"maximize": True}, {"weight_decay": 0.1}],
    ids=["amsgrad", "maximize", "l2-decay"],
)
def test_options_the_kernel_does_not_cover_run_the_readable_rule(options):
    opt = optimizers.Adam([nn.Parameter(np.zeros(2))], **options)
    assert _kernels.numpy_for(opt, opt.param_groups[0]) is None
    plain = optimizers.Adam([nn.Parameter(np.zeros(2))])
    assert _kernels.numpy_for(plain, plain.param_groups[0]) is _kernels.adam.numpy


BUILT_INS = [
    (optimizers.BatchGD, _kernels.gradient_descent),
    (optimizers.SGD, _kernels.sgd),
    (optimizers.Momentum, _kernels.momentum),
    (optimizers.Adam, _kernels.adam),
    (optimizers.RMSprop, _kernels.rmsprop),
    (optimizers.Adagrad, _kernels.adagrad),
]


@pytest.mark.parametrize(("rule", "copies"), BUILT_INS, ids=lambda x: getattr(x, "__name__", ""))
def test_each_rules_copies_were_proven_against_its_update_as_it_is(rule, copies):
    """Changing a rule's update changes its fingerprint: re-prove the copies (the
    bit-for-bit tests) and write the new fingerprint in optimizers/_kernels/."""
    assert copies.KERNELS.copies == _kernels.fingerprint(rule.update)
    assert _kernels.kernels_of(rule) is copies.KERNELS
    assert _kernels.kernels_of(ReadableAdam) is None


def _edited_adam_update(self, W, dW, state, group):
    """Adam.update as a learner might edit it: here, half the step."""
    before = W.copy()
    optimizers.Adam.__dict__["update"].__wrapped__(self, W, dW, state, group)
    W -= (W - before) / 2


@pytest.fixture
def edited_adam(monkeypatch):
    """optimizers.Adam whose update was edited (its original reachable as __wrapped__)."""
    original = optimizers.Adam.update
    _edited_adam_update.__wrapped__ = original
    monkeypatch.setattr(optimizers.Adam, "update", _edited_adam_update)
    return original


def test_an_edited_rule_runs_on_large_parameters_and_fused_refuses(edited_adam):
    big = np.linspace(-1, 1, 40_000)  # (320 KB: the NumPy kernel's size before the edit)
    ours, theirs = nn.Parameter(big.copy()), nn.Parameter(big.copy())
    edited = optimizers.Adam([ours], lr=0.1)
    assert _kernels.numpy_for(edited, edited.param_groups[0]) is None
    ours.grad = theirs.grad = np.cos(big)
    edited.step()
    state = {"step": 1, "exp_avg": np.zeros_like(big), "exp_avg_sq": np.zeros_like(big)}
    reference = theirs.detach().numpy()
    edited_adam(edited, reference, np.cos(big), state, edited.param_groups[0])
    half = big + (reference - big) / 2  # the edit's step, not the kernel's
    np.testing.assert_array_equal(ours.detach().numpy(), half)
    with pytest.raises(ValueError, match=r"Adam.update has changed since its fused kernel"):
        optimizers.Adam([nn.Parameter(np.zeros(3))], fused=True)


def test_foreach_false_calls_update_on_each_whole_parameter_only(monkeypatch):
    seen = []
    original = optimizers.Adam.update

    def spy(self, W, dW, state, group):
        seen.append(W.shape)
        original(self, W, dW, state, group)

    monkeypatch.setattr(optimizers.Adam, "update", spy)
    params = [
        nn.Parameter(np.zeros((300, 400))),
        nn.Parameter(np.zeros(())),
        nn.Parameter(np.zeros(5)),
    ]
    for flag, expected in ((False, [(300, 400), (), (5,)]), (None, None)):
        seen.clear()
        opt = optimizers.Adam(params, foreach=flag)
        for p in params:
            p.grad = np.ones(p.shape)
        opt.step()
        if expected is not None:
            assert seen == expected
        else:  # (the tuned default slices the large one and views the 0-d one)
            assert len(seen) > 3 and (300, 400) not in seen and () not in seen
