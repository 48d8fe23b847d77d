"""Lazy layers (nn/modules/lazy.py): sizes read from the first input, initialised then as
the eager layer (PyTorch's numbers after the same seed), the module becoming that layer;
uninitialised parameters refuse to be read; state dicts load into them."""

import copy

import numpy as np
import pytest

import nn
import optimizers

LAZY_AND_EAGER = [
    (lambda: nn.LazyLinear(4), lambda: nn.Linear(3, 4), (2, 3)),
    (lambda: nn.LazyLinear(4, bias=False), lambda: nn.Linear(3, 4, bias=False), (2, 5, 3)),
    (lambda: nn.LazyConv1d(4, 3, padding=1), lambda: nn.Conv1d(2, 4, 3, padding=1), (2, 2, 6)),
    (lambda: nn.LazyConv2d(4, 3, groups=2), lambda: nn.Conv2d(2, 4, 3, groups=2), (1, 2, 5, 5)),
    (lambda: nn.LazyBatchNorm1d(), lambda: nn.BatchNorm1d(3), (4, 3)),
    (
        lambda: nn.LazyBatchNorm2d(affine=False),
        lambda: nn.BatchNorm2d(3, affine=False),
        (4, 3, 2, 2),
    ),
]


@pytest.mark.parametrize(("lazy", "eager", "shape"), LAZY_AND_EAGER)
def test_a_lazy_layer_becomes_the_eager_one_it_would_have_been(lazy, eager, shape):
    """Same class, sizes, state and output as the eager layer built from the same seed
    (the lazy one draws its weights at the first call, from the default generator)."""
    x = nn.randn(*shape)
    nn.manual_seed(4)
    layer = lazy()
    assert layer.has_uninitialized_params()
    nn.manual_seed(4)
    expected_out = (reference := eager())(x)
    nn.manual_seed(4)
    out = layer(x)
    assert type(layer) is type(reference) and repr(layer) == repr(reference)
    np.testing.assert_array_equal(out.detach().numpy(), expected_out.detach().numpy())
    ours, theirs = layer.state_dict(), reference.state_dict()
    assert list(ours) == list(theirs)
    for key in theirs:
        np.testing.assert_array_equal(ours[key].numpy(), theirs[key].numpy())


def test_uninitialised_parameters_cannot_be_read_but_can_be_trained_once_sized():
    layer = nn.LazyLinear(2)
    with pytest.raises(RuntimeError, match="uninitialized parameter"):
        _ = layer.weight.shape
    with pytest.raises(ValueError, match="uninitialized parameter"):
        sum(p.numel() for p in layer.parameters())
    assert repr(layer.weight) == "<UninitializedParameter>"
    assert isinstance(layer.weight, nn.Parameter)
    assert type(copy.deepcopy(layer).weight) is nn.UninitializedParameter
    optimizer = optimizers.Adam(layer.parameters(), lr=0.1)  # (before the first call)
    before = None
    for _ in range(2):
        optimizer.zero_grad()
        layer(nn.ones(3, 5)).sum().backward()
        before = layer.weight.detach().clone() if before is None else before
        optimizer.step()
    assert type(layer.weight) is nn.Parameter and layer.weight.shape == (2, 5)
    assert not nn.equal(before, layer.weight.detach())


def test_a_state_dict_loads_into_a_lazy_module_and_gives_it_its_sizes():
    trained = nn.Sequential(nn.Linear(3, 2), nn.BatchNorm1d(2))
    trained(nn.randn(4, 3))
    fresh = nn.Sequential(nn.LazyLinear(2), nn.LazyBatchNorm1d())
    fresh.load_state_dict(trained.state_dict())
    x = nn.randn(5, 3)
    trained.eval(), fresh.eval()
    np.testing.assert_array_equal(fresh(x).detach().numpy(), trained(x).detach().numpy())
    assert fresh[0].in_features == 3 and isinstance(fresh[0], nn.Linear)
    with pytest.raises(RuntimeError, match="Missing key"):
        nn.LazyLinear(2).load_state_dict({"weight": nn.ones(2, 3)})


def test_a_lazy_layer_whose_input_does_not_fit_says_why():
    with pytest.raises(ValueError, match="divisible by groups"):
        nn.LazyConv2d(4, 3, groups=2)(nn.ones(1, 3, 5, 5))
    with pytest.raises(TypeError, match="must be a Tensor"):
        nn.LazyLinear(2)([[1.0, 2.0]])


@pytest.mark.torch
def test_a_lazy_network_is_pytorchs_after_the_same_seed():
    torch = pytest.importorskip("torch")

    def build(T):
        N = T.nn if T is torch else T
        T.manual_seed(0)
        layers = N.Sequential(
            N.LazyConv2d(4, 3, padding=1), N.LazyBatchNorm2d(), N.ReLU(),
            N.Flatten(), N.LazyLinear(8), N.LazyBatchNorm1d(), N.LazyLinear(2),
        )  # fmt: skip
        x = np.random.default_rng(0).normal(size=(5, 2, 4, 4)).astype(np.float32)
        out = layers(T.tensor(x))
        return out.detach().numpy(), {k: v.numpy() for k, v in layers.state_dict().items()}

    (ours, our_state), (theirs, their_state) = build(nn), build(torch)
    np.testing.assert_allclose(ours, theirs, rtol=1e-5, atol=1e-6)
    assert list(our_state) == list(their_state)
    for key in their_state:
        np.testing.assert_allclose(our_state[key], their_state[key], rtol=1e-6, atol=1e-7)
