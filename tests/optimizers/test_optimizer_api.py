"""Optimizer API details PyTorch users rely on: named_parameters (param_names), hooks around
step / state_dict / load_state_dict, an lr given as a 0-d Tensor; and, beyond PyTorch,
load_state_dict(match="name")."""

from __future__ import annotations

import numpy as np
import pytest

import nn
import optimizers


def trained(model, optimizer):
    model(nn.ones(4, 2)).sum().backward()
    optimizer.step()
    return optimizer


def test_named_parameters_keep_their_names_in_groups_and_state_dicts():
    model = nn.Sequential(nn.Linear(2, 3), nn.Linear(3, 1))
    optimizer = optimizers.SGD(model.named_parameters(), lr=0.1, momentum=0.9)
    names = ["0.weight", "0.bias", "1.weight", "1.bias"]
    assert optimizer.param_groups[0]["param_names"] == names
    assert optimizer.state_dict()["param_groups"][0]["param_names"] == names
    with pytest.raises(ValueError, match="with/without names"):
        optimizer.add_param_group({"params": [nn.Parameter(np.zeros(1))]})


def test_match_by_name_follows_names_where_order_would_misassign():
    model = nn.Sequential(nn.Linear(2, 3), nn.Linear(3, 1))
    source = trained(model, optimizers.Adam(model.named_parameters(), lr=0.1))
    saved = source.state_dict()
    reordered = list(nn.Sequential(nn.Linear(2, 3), nn.Linear(3, 1)).named_parameters())[::-1]
    target = optimizers.Adam(reordered, lr=0.1)
    with pytest.raises(ValueError):  # by order, each state has another parameter's shape
        target.load_state_dict(saved)
    target.load_state_dict(saved, match="name")
    by_name = dict(model.named_parameters())
    for name, param in reordered:
        np.testing.assert_array_equal(
            target.state[param]["exp_avg"], source.state[by_name[name]]["exp_avg"]
        )
    other = optimizers.Adam(nn.Linear(2, 3).named_parameters())
    with pytest.raises(ValueError, match=r"not in the saved state: \['bias', 'weight'\]"):
        other.load_state_dict(saved, match="name")
    unnamed = optimizers.Adam(model.parameters())
    with pytest.raises(ValueError, match="needs names on both sides"):
        unnamed.load_state_dict(saved, match="name")


def test_step_hooks_run_around_step_and_can_replace_its_arguments():
    w = nn.Parameter(np.array([1.0]))
    optimizer = optimizers.SGD([w], lr=0.1)
    calls = []

    def closure():
        calls.append("closure")
        optimizer.zero_grad()
        (w * w).sum().backward()
        return 7.0

    pre = optimizer.register_step_pre_hook(lambda opt, args, kwargs: ((closure,), {}))
    optimizer.register_step_post_hook(lambda opt, args, kwargs: calls.append(("post", args)))
    assert optimizer.step() == 7.0  # the pre hook supplied the closure
    assert calls == ["closure", ("post", (closure,))]
    pre.remove()
    optimizer.register_step_pre_hook(lambda opt, args, kwargs: "wrong")
    with pytest.raises(RuntimeError, match="must return None or a tuple"):
        optimizer.step()


def test_state_dict_and_load_hooks():
    w = nn.Parameter(np.array([1.0]))
    optimizer = optimizers.SGD([w], lr=0.1)
    order = []
    optimizer.register_state_dict_pre_hook(lambda opt: order.append("pre"))
    optimizer.register_state_dict_post_hook(lambda opt, sd: {**sd, "extra": 1})
    optimizer.register_state_dict_post_hook(lambda opt, sd: order.append("first"), prepend=True)
    saved = optimizer.state_dict()
    assert saved["extra"] == 1 and order == ["pre", "first"]

    def drop_extra(opt, state_dict):
        return {k: v for k, v in state_dict.items() if k != "extra"}

    optimizer.register_load_state_dict_pre_hook(drop_extra)
    with optimizer.register_load_state_dict_post_hook(lambda opt: order.append("loaded")):
        optimizer.load_state_dict(saved)
    optimizer.load_state_dict(saved)  # the post hook was removed by the with block
    assert order.count("loaded") == 1


def test_an_lr_given_as_a_0d_tensor():
    a, b = nn.Parameter(np.array([1.0, 2.0])), nn.Parameter(np.array([1.0, 2.0]))
    with_tensor = optimizers.Adam([a], lr=nn.tensor(0.01, dtype=nn.float64))
    with_float = optimizers.Adam([b], lr=0.01)
    for _ in range(3):
        a.grad, b.grad = np.array([0.5, -1.0]), np.array([0.5, -1.0])
        with_tensor.step()
        with_float.step()
    np.testing.assert_array_equal(a.detach().numpy(), b.detach().numpy())
    assert type(a._data) is np.ndarray


@pytest.mark.torch
def test_named_groups_and_hook_order_as_pytorch():
    torch = pytest.importorskip("torch")
    ours = optimizers.SGD(nn.Linear(2, 3).named_parameters(), lr=0.1)
    theirs = torch.optim.SGD(torch.nn.Linear(2, 3).named_parameters(), lr=0.1)
    assert (
        ours.state_dict()["param_groups"][0]["param_names"]
        == theirs.state_dict()["param_groups"][0]["param_names"]
    )
