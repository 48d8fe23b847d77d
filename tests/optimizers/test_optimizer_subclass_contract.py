"""The ``torch.optim.Optimizer`` subclass contract, for optimizers written in PyTorch's idiom
(their own ``step``): state entries not keyed by a parameter are saved and restored, state
dicts hold the optimizer's own values, loading casts as PyTorch casts and goes through
``__setstate__``, step hooks (own and global) and the schedulers' order check work around a
subclass's ``step``, and the executors agree on parameters that share storage."""

from __future__ import annotations

import copy
import warnings

import numpy as np
import pytest

import nn
import optimizers
from optimizers.optimizer import (
    register_optimizer_step_post_hook,
    register_optimizer_step_pre_hook,
    required,
)


class CountingSGD(optimizers.Optimizer):
    """PyTorch's idiom: its own step, a counter under a key that is not a parameter."""

    def __init__(self, params, lr=required):
        super().__init__(params, {"lr": lr})
        self.state["k"] = 0
        self.migrated = 0

    def __setstate__(self, state):
        super().__setstate__(state)
        self.migrated = getattr(self, "migrated", 0) + 1
        for group in self.param_groups:
            group.setdefault("nesterov", False)

    @nn.no_grad()
    def step(self, closure=None):
        loss = None
        if closure is not None:
            with nn.enable_grad():
                loss = closure()
        self.state["k"] += 1
        for group in self.param_groups:
            for p in group["params"]:
                if p.grad is None:
                    continue
                state = self.state[p]
                if "buffer" not in state:
                    state["buffer"] = nn.zeros_like(p)
                state["buffer"].mul_(0.5).add_(p.grad)
                p.add_(state["buffer"], alpha=-group["lr"] / self.state["k"])
        return loss


def _stepped(optimizer_class=CountingSGD, steps=3, **kwargs):
    w = nn.Parameter(np.array([1.0, -2.0]))
    optimizer = optimizer_class([w], **kwargs)
    for _ in range(steps):
        w.grad = nn.tensor([0.5, 1.0], dtype=nn.float64)
        optimizer.step()
    return w, optimizer


def test_state_not_keyed_by_a_parameter_is_saved_and_restored():
    w, optimizer = _stepped(lr=0.1)
    saved = optimizer.state_dict()
    assert saved["state"]["k"] == 3 and sorted(k for k in saved["state"] if k != "k") == [0]
    q = nn.Parameter(w.detach().clone())
    resumed = CountingSGD([q], lr=0.1)
    resumed.load_state_dict(copy.deepcopy(saved))
    assert resumed.state["k"] == 3
    for opt, p in ((optimizer, w), (resumed, q)):
        p.grad = nn.tensor([0.5, 1.0], dtype=nn.float64)
        opt.step()
    np.testing.assert_array_equal(w.detach().numpy(), q.detach().numpy())


def test_state_dict_holds_the_optimizers_own_values_as_pytorch():
    w, optimizer = _stepped(lr=0.1)
    saved = optimizer.state_dict()
    assert saved["state"][0]["buffer"] is optimizer.state[w]["buffer"]
    assert saved["param_groups"][0] is not optimizer.param_groups[0]


def test_load_state_dict_goes_through_setstate():
    _, optimizer = _stepped(lr=0.1)
    saved = optimizer.state_dict()
    assert "nesterov" not in saved["param_groups"][0]  # a checkpoint from before the option
    fresh = CountingSGD([nn.Parameter(np.zeros(2))], lr=0.1)
    fresh.load_state_dict(saved)
    assert fresh.migrated == 1 and fresh.param_groups[0]["nesterov"] is False


def test_loading_casts_state_to_the_parameters_dtype_except_step():
    w = nn.Parameter(np.zeros(2))
    optimizer = CountingSGD([w], lr=0.1)
    saved = {
        "state": {0: {"buffer": nn.ones(2, dtype=nn.float32), "step": nn.tensor(3.0)}, "k": 2},
        "param_groups": [{"lr": 0.1, "params": [0]}],
    }
    optimizer.load_state_dict(saved)
    assert optimizer.state[w]["buffer"].dtype == nn.float64
    assert optimizer.state[w]["step"].dtype == nn.float32  # PyTorch never casts step


@pytest.mark.parametrize("name", ["Adam", "AdamW", "RAdam", "NAdam", "Adamax"])
def test_a_step_saved_as_pytorch_saves_it_resumes_in_the_parameters_precision(name):
    """A 0-d float32 step (PyTorch's format) is counted as an int by the array rules, so
    the bias corrections stay in float64 (they drifted by 5e-6 relative before). (NAdam's
    mu_product is kept in the default dtype and cast to the parameter's on load, as in
    PyTorch: the default dtype is float64 here, so that only the step is tested.)"""
    before = nn.get_default_dtype()
    nn.set_default_dtype(np.float64)
    try:
        _resume_from_a_float32_step(getattr(optimizers, name))
    finally:
        nn.set_default_dtype(before)


def _resume_from_a_float32_step(cls):
    w = nn.Parameter(np.array([1.0, -2.0, 0.5]))
    optimizer = cls([w], lr=0.1)
    grads = [np.array([0.3, -1.0, 2.0]) * (k + 1) for k in range(6)]
    for g in grads[:3]:
        w.grad = g
        optimizer.step()
    saved = copy.deepcopy(optimizer.state_dict())
    saved["state"][0]["step"] = nn.tensor(3.0, dtype=nn.float32)
    q = nn.Parameter(w.detach().clone())
    resumed = cls([q], lr=0.1)
    resumed.load_state_dict(saved)
    assert type(resumed.state[q]["step"]) is int
    for g in grads[3:]:
        for opt, p in ((optimizer, w), (resumed, q)):
            p.grad = g
            opt.step()
    np.testing.assert_allclose(q.detach().numpy(), w.detach().numpy(), rtol=1e-15)


def test_step_hooks_run_around_a_subclass_step_own_and_global():
    calls = []
    w = nn.Parameter(np.array([1.0]))
    optimizer = CountingSGD([w], lr=0.1)
    handles = [
        register_optimizer_step_pre_hook(lambda *a: calls.append("global pre")),
        register_optimizer_step_post_hook(lambda *a: calls.append("global post")),
        optimizer.register_step_pre_hook(lambda *a: calls.append("pre")),
        optimizer.register_step_post_hook(lambda *a: calls.append("post")),
    ]
    try:
        w.grad = nn.tensor([1.0], dtype=nn.float64)
        optimizer.step()
    finally:
        for handle in handles:
            handle.remove()
    assert calls == ["global pre", "pre", "post", "global post"]  # PyTorch's order
    optimizer.step()
    assert len(calls) == 4


def test_a_pre_hook_may_replace_the_arguments_of_a_subclass_step():
    w = nn.Parameter(np.array([3.0]))
    optimizer = CountingSGD([w], lr=0.1)

    def closure():
        optimizer.zero_grad()
        loss = (w * w).sum()
        loss.backward()
        return loss

    optimizer.register_step_pre_hook(lambda opt, args, kwargs: ((closure,), {}))
    assert optimizer.step().item() == 9.0


def test_a_scheduler_around_a_subclass_step_does_not_warn():
    w = nn.Parameter(np.array([1.0]))
    optimizer = CountingSGD([w], lr=0.1)
    scheduler = optimizers.lr_scheduler.StepLR(optimizer, step_size=1, gamma=0.5)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for _ in range(3):
            w.grad = nn.tensor([1.0], dtype=nn.float64)
            optimizer.step()
            scheduler.step()
    assert scheduler.get_last_lr() == [0.1 * 0.5**3]


def test_a_scheduler_stepped_first_warns_and_a_replaced_step_is_named():
    optimizer = CountingSGD([nn.Parameter(np.array([1.0]))], lr=0.1)
    scheduler = optimizers.lr_scheduler.StepLR(optimizer, step_size=1)
    with pytest.warns(UserWarning, match=r"lr_scheduler.step\(\)` before `optimizer.step\(\)"):
        scheduler.step()
    replaced = CountingSGD([nn.Parameter(np.array([1.0]))], lr=0.1)
    scheduler = optimizers.lr_scheduler.StepLR(replaced, step_size=1)
    replaced.step = lambda closure=None: None
    with pytest.warns(UserWarning, match="has been overridden after learning rate scheduler"):
        scheduler.step()


def test_a_wrapper_without_optimizer_init_has_no_hook_registry_as_in_pytorch():
    class Wrapper(optimizers.Optimizer):
        def __init__(self, inner):
            self.inner, self.param_groups, self.state = inner, inner.param_groups, {}

        def step(self, closure=None):
            return self.inner.step(closure)

    wrapper = Wrapper(optimizers.SGD([nn.Parameter(np.zeros(1))], lr=0.1))
    with pytest.raises(AttributeError, match="_optimizer_step_pre_hooks"):
        wrapper.register_step_pre_hook(lambda *a: None)


@pytest.mark.parametrize("flags", [{"foreach": True}, {"fused": True}])
def test_parameters_sharing_storage_get_the_default_executors_result(flags):
    if flags.get("fused"):
        pytest.importorskip("numba")

    def run(**kwargs):
        emb = nn.Parameter(np.arange(12.0).reshape(4, 3))
        with nn.no_grad():
            head = nn.Parameter(emb[:2])
        optimizer = optimizers.Adam([emb, head], lr=0.1, **kwargs)
        for _ in range(3):
            emb.grad, head.grad = np.ones((4, 3)), np.ones((2, 3))
            optimizer.step()
        return emb.detach().numpy()

    np.testing.assert_array_equal(run(**flags), run())


def test_truthy_flags_are_taken_as_pytorch_takes_them():
    sgd = optimizers.SGD([nn.Parameter(np.zeros(1))], lr=0.1, momentum=0.9, nesterov=1)
    assert sgd.param_groups[0]["nesterov"] == 1
    with pytest.raises(ValueError, match="Invalid nesterov"):
        optimizers.SGD([nn.Parameter(np.zeros(1))], lr=0.1, momentum=0.9, nesterov="yes")


def test_required_is_pytorchs_sentinel():
    assert repr(required) == "<required parameter>"
    assert CountingSGD([nn.Parameter(np.zeros(1))]).param_groups[0]["lr"] is required
