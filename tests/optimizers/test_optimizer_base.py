"""Optimizer bookkeeping: groups, validation, state dicts, repr, and real training loops."""

import collections
import copy
import re

import numpy as np
import pytest

import nn
import optimizers
from tests.cases.models import CourseNet


def params(n=2):
    return [nn.Parameter(np.full((2, 2), float(i + 1))) for i in range(n)]


@pytest.mark.parametrize(
    ("make", "pattern"),
    [
        (lambda: optimizers.SGD(params(), lr=-1), "Invalid learning rate: -1"),
        (lambda: optimizers.SGD(params(), lr=float("nan")), "Invalid learning rate: nan"),
        (lambda: optimizers.Adam(params(), betas=(1.0, 0.999)), "beta parameter at index 0: 1.0"),
        (lambda: optimizers.Adam(params(), betas=(0.9, -0.1)), "beta parameter at index 1: -0.1"),
        (lambda: optimizers.Adam(params(), eps=-1), "epsilon value: -1"),
        (lambda: optimizers.AdamW(params(), weight_decay=-0.1), "weight_decay value: -0.1"),
        (lambda: optimizers.SGD(params(), lr=0.1, momentum=-0.5), "momentum value: -0.5"),
        (lambda: optimizers.SGD(params(), lr=0.1, nesterov=True), "Nesterov momentum requires"),
        (lambda: optimizers.Momentum(params(), lr=0.1, beta=1.0), "beta value: 1.0"),
        (lambda: optimizers.RMSprop(params(), alpha=-0.1), "alpha value: -0.1"),
        (lambda: optimizers.Adagrad(params(), lr_decay=-1), "lr_decay value: -1"),
        (lambda: optimizers.SGD([], lr=0.1), "empty parameter list"),
        (lambda: optimizers.SGD(iter([]), lr=0.1), "empty parameter list"),
        (lambda: optimizers.SGD(set(params()), lr=0.1), "sets"),
        (lambda: optimizers.SGD(params()[0], lr=0.1), "single Parameter"),
        (lambda: optimizers.SGD([1.0, 2.0], lr=0.1), r"params\[0\] is a float"),
        (lambda: optimizers.SGD([nn.Parameter(np.zeros(1))] * 2, lr=0.1), "duplicate"),
        (lambda: optimizers.SGD(params(), lr=True), "learning rate"),
        (lambda: optimizers.SGD(params(), lr="0.1"), "learning rate"),
    ],
)
def test_invalid_arguments_raise_value_error_naming_the_value(make, pattern):
    with pytest.raises(ValueError, match=pattern):
        make()


def test_batch_gd_refuses_momentum_options():
    with pytest.raises(TypeError, match="Momentum"):
        optimizers.BatchGD(params(), lr=0.1, momentum=0.9)


def test_parameter_in_two_groups_is_refused():
    shared = params(1)[0]
    with pytest.raises(ValueError, match="more than one parameter group"):
        optimizers.SGD([{"params": [shared]}, {"params": [shared]}], lr=0.1)
    optimizer = optimizers.SGD([shared], lr=0.1)
    with pytest.raises(ValueError, match="more than one parameter group"):
        optimizer.add_param_group({"params": shared})


def test_group_invalid_hyperparameter_is_refused():
    a, b = params()
    with pytest.raises(ValueError, match=r"Invalid learning rate: -0\.5"):
        optimizers.Adam([{"params": [a]}, {"params": [b], "lr": -0.5}])


def test_param_groups_fall_back_to_defaults_and_honour_overrides():
    a, b = params()
    optimizer = optimizers.SGD([{"params": [a]}, {"params": [b], "lr": 1.0}], lr=0.1, momentum=0.5)
    assert [g["lr"] for g in optimizer.param_groups] == [0.1, 1.0]
    assert all(g["momentum"] == 0.5 for g in optimizer.param_groups)
    a.grad, b.grad = np.ones((2, 2)), np.ones((2, 2))
    optimizer.step()
    np.testing.assert_allclose(a.detach().numpy(), 1 - 0.1)
    np.testing.assert_allclose(b.detach().numpy(), 2 - 1.0)
    c = nn.Parameter(np.zeros(3))
    optimizer.add_param_group({"params": [c], "lr": 0.01})
    assert optimizer.param_groups[-1]["momentum"] == 0.5 and len(optimizer.param_groups) == 3


def test_state_is_a_defaultdict_keyed_by_parameter():
    a, b = params()
    optimizer = optimizers.Adam([a, b], lr=0.1)
    a.grad = np.ones((2, 2))
    optimizer.step()
    assert set(optimizer.state[a]) == {"step", "exp_avg", "exp_avg_sq"}
    assert b not in optimizer.state  # no gradient, no state
    assert optimizer.state[b] == {} and b in optimizer.state  # (reading creates, as PyTorch's)
    assert isinstance(optimizer.state, collections.defaultdict)


def test_state_dict_format_is_pytorchs():
    a, b = params()
    optimizer = optimizers.Adam([{"params": [a]}, {"params": [b], "lr": 0.5}], lr=0.1)
    a.grad = b.grad = np.ones((2, 2))
    optimizer.step()
    sd = optimizer.state_dict()
    assert sd["param_groups"][0]["params"] == [0] and sd["param_groups"][1]["params"] == [1]
    assert sd["param_groups"][1]["lr"] == 0.5 and sd["param_groups"][0]["betas"] == (0.9, 0.999)
    assert sorted(sd["state"]) == [0, 1] and sd["state"][0]["step"] == 1
    assert sd["state"][0]["exp_avg"] is optimizer.state[a]["exp_avg"]  # live, as PyTorch's


def test_load_state_dict_restores_hyperparameters_and_keeps_dtype():
    a = nn.Parameter(np.ones(3, dtype=np.float32))
    source = optimizers.Adam([a], lr=0.1)
    a.grad = np.ones(3, dtype=np.float32)
    source.step()
    sd = source.state_dict()
    sd["state"][0]["exp_avg"] = sd["state"][0]["exp_avg"].astype(np.float64)
    b = nn.Parameter(np.ones(3, dtype=np.float32))
    target = optimizers.Adam([b], lr=0.5)
    target.load_state_dict(sd)
    assert target.param_groups[0]["lr"] == 0.1
    assert target.state[b]["exp_avg"].dtype == np.float32
    assert target.param_groups[0]["params"][0] is b


@pytest.mark.parametrize(
    ("mutate", "pattern"),
    [
        (
            lambda sd: sd["param_groups"].append(copy.deepcopy(sd["param_groups"][0])),
            "2 parameter groups",
        ),
        (lambda sd: sd["param_groups"][0]["params"].append(5), "has 3 parameters"),
        (lambda sd: sd["state"][0].update(exp_avg=np.zeros(7)), r"shape \(7,\)"),
        (lambda sd: sd["param_groups"][0].update(lr=-3.0), "Invalid learning rate: -3.0"),
        (lambda sd: sd.pop("state"), "'state' and 'param_groups'"),
        (lambda sd: sd["state"].update({9: {}}), "parameter 9"),
    ],
)
def test_bad_optimizer_state_dict_raises_and_changes_nothing(mutate, pattern):
    a, b = params()
    optimizer = optimizers.Adam([a, b], lr=0.1)
    a.grad = b.grad = np.ones((2, 2))
    optimizer.step()
    before = optimizer.state_dict()
    bad = optimizer.state_dict()
    mutate(bad)
    with pytest.raises(ValueError, match=pattern):
        optimizer.load_state_dict(bad)
    after = optimizer.state_dict()
    assert after["param_groups"] == before["param_groups"]
    for index, values in before["state"].items():
        for key, value in values.items():
            np.testing.assert_array_equal(after["state"][index][key], value)


@pytest.mark.parametrize("executor", [{}, {"foreach": True}])
def test_state_is_kept_as_pytorch_keeps_it(executor):
    """SGD without momentum keeps no state; a parameter never given a gradient has no entry;
    SGD's momentum buffer appears at the first step; Adagrad's state exists from the start."""
    a, b = params()
    plain = optimizers.SGD([a, b], lr=0.1, **executor)
    with_momentum = optimizers.SGD([a, b], lr=0.1, momentum=0.9, **executor)
    adagrad = optimizers.Adagrad([a, b], lr=0.1, **executor)
    assert sorted(adagrad.state_dict()["state"]) == [0, 1]
    assert with_momentum.state_dict()["state"] == {}
    a.grad = np.ones((2, 2))
    for optimizer in (plain, with_momentum, adagrad):
        optimizer.step()
    assert plain.state_dict()["state"] == {} and len(plain.state) == 0
    assert list(with_momentum.state_dict()["state"]) == [0]
    np.testing.assert_array_equal(with_momentum.state[a]["momentum_buffer"], np.ones((2, 2)))
    assert adagrad.state[a]["step"] == 1 and adagrad.state[b]["step"] == 0


def test_every_state_array_is_checked_on_load_even_those_made_during_a_step():
    a, b = params()
    optimizer = optimizers.SGD([a, b], lr=0.1, momentum=0.9)
    a.grad = b.grad = np.ones((2, 2))
    optimizer.step()
    bad = optimizer.state_dict()
    bad["state"][1]["momentum_buffer"] = np.ones(2)  # would broadcast silently at the next step
    before = optimizer.state[b]["momentum_buffer"].copy()
    with pytest.raises(ValueError, match=r"'momentum_buffer' of parameter 1 has shape \(2,\)"):
        optimizer.load_state_dict(bad)
    np.testing.assert_array_equal(optimizer.state[b]["momentum_buffer"], before)


def test_zero_grad_modes():
    a, b = params()
    optimizer = optimizers.SGD([a, b], lr=0.1)
    a.grad = np.ones((2, 2))
    optimizer.zero_grad(set_to_none=False)
    np.testing.assert_array_equal(a.grad, 0)
    assert b.grad is None
    optimizer.zero_grad()
    assert a.grad is None


def test_repr_lists_groups():
    optimizer = optimizers.SGD(params(), lr=0.1, momentum=0.9)
    text = repr(optimizer)
    assert text.startswith("SGD (\nParameter Group 0\n")
    assert re.search(r"    lr: 0.1\n", text) and "    momentum: 0.9" in text and text.endswith(")")


def test_a_user_subclass_can_write_its_own_step():
    class SignSGD(optimizers.Optimizer):
        def __init__(self, params, lr=0.01):
            super().__init__(params, {"lr": lr})

        def step(self, closure=None):
            for group in self.param_groups:
                for p in group["params"]:
                    if p.grad is None:
                        continue
                    state = self.state[p]
                    state["count"] = state.get("count", 0) + 1
                    p.data -= group["lr"] * np.sign(p.grad)

    w = nn.Parameter(np.array([1.0, -1.0]))
    optimizer = SignSGD([w], lr=0.5)
    w.grad = np.array([3.0, -0.1])
    optimizer.step()
    np.testing.assert_array_equal(w.detach().numpy(), [0.5, -0.5])
    assert optimizer.state_dict()["state"][0]["count"] == 1


@pytest.mark.parametrize(
    "make",
    [
        lambda ps: optimizers.BatchGD(ps, lr=0.5),
        lambda ps: optimizers.SGD(ps, lr=0.2, momentum=0.9, nesterov=True),
        lambda ps: optimizers.Momentum(ps, lr=0.5, beta=0.9),
        lambda ps: optimizers.Adam(ps, lr=0.02),
        lambda ps: optimizers.AdamW(ps, lr=0.02),
        lambda ps: optimizers.RMSprop(ps, lr=0.01),
        lambda ps: optimizers.Adagrad(ps, lr=0.1),
    ],
    ids=["BatchGD", "SGD", "Momentum", "Adam", "AdamW", "RMSprop", "Adagrad"],
)
def test_pytorch_style_loop_trains_the_course_net(make):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(128, 2))
    Y = (X[:, :1] * X[:, 1:] > 0).astype(np.float32)  # XOR-like quadrants
    nn.manual_seed(3)
    model = CourseNet()
    optimizer = make(model.parameters())
    loss_fn = nn.BCELoss()
    first = loss_fn(model(X), Y).item()
    for _ in range(400):
        optimizer.zero_grad()
        loss = loss_fn(model(X), Y)
        loss.backward()
        optimizer.step()
    assert loss.item() < 0.8 * first
