"""ReLU6, Hardtanh, Hardsigmoid, Hardswish, LogSigmoid, CELU, SELU, Mish and Softsign:
gradients against finite differences, the kinks and special values as PyTorch's (recorded
here, and against live torch when it is installed), in place, as modules."""

from __future__ import annotations

import numpy as np
import pytest

import nn
import nn.functional as F

NAMES = ["relu6", "hardtanh", "hardsigmoid", "hardswish", "logsigmoid", "celu", "selu", "mish"]
NAMES += ["softsign"]
# the kinks of each (where PyTorch picks a one-sided gradient), big values and NaN
POINTS = np.array([-1e4, -6.0, -3.0, -1.0, -0.5, 0.0, 0.5, 1.0, 3.0, 6.0, 25.0, np.nan])


def leaf(values, dtype=np.float64):
    return nn.tensor(np.asarray(values, dtype=dtype), requires_grad=True)


@pytest.mark.parametrize("name", NAMES)
def test_gradients_match_finite_differences(name):
    x = leaf(np.array([[-2.7, -0.4, 0.3], [1.2, 2.2, 4.1]]))
    assert nn.gradcheck(getattr(F, name), (x,))


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_values_and_gradients_at_the_kinks_as_pytorchs(name, dtype):
    torch = pytest.importorskip("torch")
    x = leaf(POINTS, dtype)
    out = getattr(F, name)(x)
    out.backward(nn.tensor(np.ones_like(POINTS, dtype=dtype)))
    t = torch.tensor(POINTS.astype(dtype), requires_grad=True)
    expected = getattr(torch.nn.functional, name)(t)
    expected.backward(torch.ones_like(t))
    assert out.dtype == dtype and out.grad_fn.name() == expected.grad_fn.name()
    rtol = 1e-6 if dtype == np.float32 else 1e-12
    np.testing.assert_allclose(
        out.detach().numpy(), expected.detach().numpy(), rtol=rtol, atol=rtol
    )
    np.testing.assert_allclose(x.grad.numpy(), t.grad.numpy(), rtol=rtol, atol=rtol)


test_values_and_gradients_at_the_kinks_as_pytorchs = pytest.mark.torch(
    test_values_and_gradients_at_the_kinks_as_pytorchs
)


def test_recorded_kinks():
    """PyTorch's one-sided choices, recorded: hardtanh passes no gradient at its bounds,
    hardswish 0 at -3 and 1 at 3, and an infinite upstream gradient gives 0 (not NaN)
    where the gradient is 0."""
    x = leaf([-1.0, 0.0, 1.0, 6.0, -3.0, 3.0])
    F.hardtanh(x).sum().backward()
    assert x.grad.tolist() == [0.0, 1.0, 0.0, 0.0, 0.0, 0.0]
    x.grad = None
    F.relu6(x).sum().backward()
    assert x.grad.tolist() == [0.0, 0.0, 1.0, 0.0, 0.0, 1.0]
    x.grad = None
    F.hardswish(x).sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), [1 / 6, 0.5, 5 / 6, 1.0, 0.0, 1.0], rtol=1e-15)
    y = leaf([-5.0, 2.0])
    F.hardsigmoid(y).backward(nn.tensor([np.inf, 1.0], dtype=nn.float64))
    assert y.grad.tolist() == [0.0, float(np.float32(1 / 6))]  # (float32 1/6, as PyTorch)


def test_in_place_and_modules():
    h = leaf([-2.0, 0.5, 8.0]) * 1.0
    same = F.relu6(h, inplace=True)
    assert same is h and h.tolist() == [0.0, 0.5, 6.0]
    with pytest.raises(RuntimeError, match="leaf Variable"):
        F.hardtanh(leaf([1.0]), inplace=True)
    layers = [nn.ReLU6(), nn.Hardtanh(-2.0, 2.0), nn.Hardsigmoid(), nn.Hardswish()]
    layers += [nn.LogSigmoid(), nn.CELU(0.5), nn.SELU(), nn.Mish(), nn.Softsign()]
    x = nn.tensor(np.linspace(-4, 4, 9, dtype=np.float32))
    for layer, name in zip(layers, NAMES, strict=True):
        expected = getattr(F, name)(x, *((-2.0, 2.0) if name == "hardtanh" else ()))
        if name == "celu":
            expected = F.celu(x, 0.5)
        np.testing.assert_array_equal(layer(x).numpy(), expected.numpy())
        assert layer(x).dtype == nn.float32
    assert repr(nn.Hardtanh(-2.0, 2.0)) == "Hardtanh(min_val=-2.0, max_val=2.0)"
    assert repr(nn.ReLU6(inplace=True)) == "ReLU6(inplace=True)"
    with pytest.raises(ValueError, match="min_val cannot be greater than max_val"):
        nn.Hardtanh(1.0, -1.0)


def test_prelu_and_cosine_similarity():
    """PReLU's slope per channel (or one for all) and its gradients; cosine similarity with
    PyTorch's clamped norms (a zero vector gives 0, not NaN); against finite differences."""
    x = leaf([[[-2.0, 1.0], [3.0, -4.0]]])  # (N=1, C=2, L=2)
    w = leaf([0.1, 0.5])
    y = F.prelu(x, w)
    assert y.tolist() == [[[-0.2, 1.0], [3.0, -2.0]]]
    assert nn.gradcheck(F.prelu, (leaf([[-2.0, 1.5], [0.5, -4.0]]), leaf([0.25])))
    layer = nn.PReLU(2)
    assert layer.weight.tolist() == [0.25, 0.25] and repr(layer) == "PReLU(num_parameters=2)"
    with pytest.raises(RuntimeError, match="Mismatch of parameter numbers and input channel"):
        F.prelu(x, leaf([0.1, 0.2, 0.3]))
    a = leaf([[1.0, 0.0], [0.0, 0.0], [1.0, 1.0]])
    b = leaf([[2.0, 0.0], [1.0, 1.0], [-1.0, 1.0]])
    sim = F.cosine_similarity(a, b)
    np.testing.assert_allclose(sim.detach().numpy(), [1.0, 0.0, 0.0], atol=1e-15)
    assert nn.gradcheck(lambda u, v: F.cosine_similarity(u, v, dim=1), (leaf(A2), leaf(B2)))
    assert nn.CosineSimilarity(dim=0)(a, b).shape == (2,)


A2 = np.array([[0.3, -1.2, 2.0], [-0.7, 0.1, 1.5]])
B2 = np.array([[1.1, 0.4, -0.2], [0.9, -2.0, 0.3]])


def test_the_gradient_at_nan_follows_pytorchs_loop_for_each_layout():
    """PyTorch's relu6 backward at NaN: 0 in its SIMD blocks, the incoming gradient in its
    scalar code (values recorded from torch 2.13 on this machine's AVX2 build)."""
    import nn.functional as F

    def grad_of(leaf_values, view):
        leaf = nn.tensor(leaf_values, requires_grad=True)
        out = F.relu6(view(leaf))
        (
            out * nn.arange(1.0, out.numel() + 1, dtype=nn.float64).reshape(out.shape)
        ).sum().backward()
        return leaf.grad.reshape(-1).tolist()

    nan_at = lambda shape, i: np.where(np.arange(np.prod(shape)).reshape(shape) == i, np.nan, 1.0)  # noqa: E731
    assert grad_of(nan_at((4, 2), 3), lambda t: t.t()) == [1, 5, 2, 6, 3, 7, 4, 8]
    assert grad_of(nan_at((2, 4), 5), lambda t: t) == [1, 2, 3, 4, 5, 0, 7, 8]
    assert grad_of(nan_at((1, 10), 9), lambda t: t.expand(3, 10))[8:] == [57.0, 60.0]
    assert grad_of(nan_at((2, 10), 9), lambda t: t)[9] == 0.0
