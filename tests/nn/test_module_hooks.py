"""Forward hooks and pre-hooks on modules, as PyTorch's (run against live torch when it is
installed): order, replaced inputs and outputs, kwargs, prepend, removal, always_call, and
hooks on layers that Sequential would otherwise fuse."""

from __future__ import annotations

import copy

import numpy as np
import pytest

import nn

X = np.random.default_rng(0).standard_normal((4, 3)).astype(np.float32)


def make_net(lib):
    """A small net in descend or torch with the same weights."""
    net = lib.nn.Sequential(lib.nn.Linear(3, 5), lib.nn.ReLU(), lib.nn.Linear(5, 2))
    rng = np.random.default_rng(1)
    with lib.no_grad():
        for p in net.parameters():
            p.copy_(lib.tensor(rng.standard_normal(tuple(p.shape)).astype(np.float32)))
    return net


class _Descend:
    nn = nn
    no_grad = nn.no_grad
    tensor = staticmethod(nn.tensor)


def scenario(lib):
    """Hooks that record, replace inputs and outputs, and are removed; returns what they saw."""
    net = make_net(lib)
    x = lib.tensor(X)
    log = []
    relu_out = {}
    handles = [
        net[1].register_forward_hook(lambda m, args, out: relu_out.update(v=out.detach())),
        net[0].register_forward_pre_hook(lambda m, args: log.append("pre0")),
        net[0].register_forward_pre_hook(lambda m, args: log.append("first"), prepend=True),
        net[2].register_forward_pre_hook(lambda m, args: args[0] * 2),  # a single value
        net[2].register_forward_hook(lambda m, args, out: out + 1),
        net.register_forward_hook(
            lambda m, args, kwargs, out: log.append(len(kwargs)), with_kwargs=True
        ),
    ]
    first = net(x).detach().numpy().copy()
    for handle in handles[3:5]:
        handle.remove()
    second = net(x).detach().numpy().copy()
    with net[0].register_forward_hook(lambda m, args, out: out * 0):
        zeroed = net(x).detach().numpy().copy()
    after = net(x).detach().numpy().copy()
    y = net(x).sum()
    y.backward()
    return {
        "first": first,
        "second": second,
        "zeroed": zeroed,
        "after": after,
        "relu": relu_out["v"].numpy().copy(),
        "log": log,
        "grad": net[0].weight.grad.numpy().copy(),
    }


def test_forward_hooks_run_replace_and_are_removed():
    result = scenario(_Descend)
    assert result["log"][:3] == ["first", "pre0", 0]
    np.testing.assert_allclose(result["second"], result["after"])
    (W1, b1), _, (W2, b2) = [
        [p.detach().numpy() for p in layer.parameters()] for layer in make_net(_Descend)
    ]
    relu = np.maximum(X @ W1.T + b1, 0)
    np.testing.assert_allclose(result["relu"], relu, rtol=1e-6)
    np.testing.assert_allclose(result["first"], relu * 2 @ W2.T + b2 + 1, rtol=1e-5)
    np.testing.assert_allclose(result["zeroed"], np.broadcast_to(b2, (4, 2)), rtol=1e-6)


@pytest.mark.torch
def test_forward_hooks_as_pytorchs():
    torch = pytest.importorskip("torch")
    ours, theirs = scenario(_Descend), scenario(torch)
    assert ours["log"] == theirs["log"]
    for key in ("first", "second", "zeroed", "after", "relu", "grad"):
        np.testing.assert_allclose(ours[key], theirs[key], rtol=1e-5, atol=1e-6, err_msg=key)


def test_pre_hook_with_kwargs_and_its_wrong_return():
    layer = nn.Linear(3, 2)
    layer.register_forward_pre_hook(
        lambda m, args, kwargs: ((args[0] * 0,), kwargs), with_kwargs=True
    )
    np.testing.assert_allclose(
        layer(X).detach().numpy(), np.broadcast_to(layer.bias.detach().numpy(), (4, 2))
    )
    bad = nn.Linear(3, 2)
    bad.register_forward_pre_hook(lambda m, args, kwargs: args, with_kwargs=True)
    with pytest.raises(RuntimeError, match="must return None or a tuple"):
        bad(X)


def test_always_call_runs_when_forward_raises_and_keeps_the_error():
    layer, seen = nn.Linear(3, 2), []
    layer.register_forward_hook(lambda m, args, out: seen.append(out), always_call=True)
    layer.register_forward_hook(lambda m, args, out: seen.append("never"))
    with pytest.raises(RuntimeError, match="mat1 and mat2"):
        layer(np.ones((2, 7), np.float32))
    assert seen == [None]
    failing = nn.Linear(3, 2)
    failing.register_forward_hook(lambda m, args, out: 1 / 0, always_call=True)
    with pytest.warns(UserWarning, match="silenced"), pytest.raises(RuntimeError, match="mat1"):
        failing(np.ones((2, 7), np.float32))


def test_a_hooked_layer_is_not_fused_and_copies_keep_hooks():
    net = nn.Sequential(nn.Linear(3, 5), nn.ReLU(), nn.Linear(5, 1))
    seen = []
    net[0].register_forward_hook(lambda m, args, out: seen.append(out.grad_fn.name()))
    out = net(X)
    assert seen == ["AddmmBackward0"]  # the Linear's own output, before the ReLU
    assert out.grad_fn.name() == "AddmmBackward0"
    twin = copy.deepcopy(net)
    twin(X)
    assert len(seen) == 2


def test_module_backward_hooks_are_refused_with_the_alternative():
    with pytest.raises(NotImplementedError, match="register_hook"):
        nn.Linear(2, 1).register_full_backward_hook(lambda m, gi, go: None)
