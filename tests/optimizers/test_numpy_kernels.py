"""The allocation-free NumPy kernels (optimizers/_numpy_kernels.py) give their readable
rules' numbers bit for bit, through the per-parameter executor, in slices of any size; they
run only for the options they cover and never for a subclass with its own rule."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import nn
import optimizers
from optimizers import _executors, _numpy_kernels


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
    monkeypatch.setattr(_numpy_kernels, "KERNEL_CHUNK_BYTES", 40)


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
    ours = [nn.Parameter(w.copy()) for w in start]
    theirs = [nn.Parameter(w.copy()) for w in start]
    fast, slow = fast_class(ours, **kwargs), slow_class(theirs, **kwargs)
    assert _numpy_kernels.kernel_for(fast, fast.param_groups[0]) is not None
    assert _numpy_kernels.kernel_for(slow, slow.param_groups[0]) is None
    for step in grads:
        for p, q, g in zip(ours, theirs, step, strict=True):
            p.grad, q.grad = g.copy(), g.copy()
        fast.step()
        slow.step()
    for p, q in zip(ours, theirs, strict=True):
        np.testing.assert_array_equal(p.detach().numpy(), q.detach().numpy())
        for key in ("exp_avg", "exp_avg_sq"):
            np.testing.assert_array_equal(fast.state[p][key], slow.state[q][key])


@pytest.mark.parametrize(
    "options",
    [{"amsgrad": True}, {"maximize": True}, {"weight_decay": 0.1}],
    ids=["amsgrad", "maximize", "l2-decay"],
)
def test_options_the_kernel_does_not_cover_run_the_readable_rule(options):
    opt = optimizers.Adam([nn.Parameter(np.zeros(2))], **options)
    assert _numpy_kernels.kernel_for(opt, opt.param_groups[0]) is None
    plain = optimizers.Adam([nn.Parameter(np.zeros(2))])
    assert _numpy_kernels.kernel_for(plain, plain.param_groups[0]) is _numpy_kernels.adam
