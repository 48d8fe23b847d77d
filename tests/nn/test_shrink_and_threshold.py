"""Hardshrink, Softshrink, Tanhshrink, Threshold, GLU, Softmax2d and the in-place forms
F.relu_ & co. (nn/rules/piecewise.py, nn/functional/activation.py, nn/modules/piecewise.py):
values by their definitions, gradients against finite differences, PyTorch's refusals."""

from __future__ import annotations

import numpy as np
import pytest

import nn
import nn.functional as F

X = np.array([-2.0, -0.5, -0.2, 0.0, 0.3, 0.5, 1.7])


def _leaf(values: np.ndarray = X) -> nn.Tensor:
    return nn.tensor(values, dtype=nn.float64, requires_grad=True)


def test_the_shrinks_and_threshold_follow_their_definitions():
    x = nn.tensor(X)
    assert F.hardshrink(x).tolist() == [-2.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.7]
    np.testing.assert_allclose(
        F.softshrink(x, 0.25).numpy(), [-1.75, -0.25, 0, 0, 0.05, 0.25, 1.45], atol=1e-7
    )
    np.testing.assert_allclose(F.tanhshrink(x).numpy(), X - np.tanh(X), atol=1e-7)
    assert F.threshold(x, 0.3, -9.0).tolist() == [-9.0] * 5 + [0.5, 1.7]
    assert F.threshold(nn.tensor([1, 2, 3]), 1, 7).tolist() == [7, 2, 3]  # integers stay


@pytest.mark.parametrize(
    "function",
    [lambda x: F.hardshrink(x, 0.4), lambda x: F.softshrink(x, 0.4), F.tanhshrink,
     lambda x: F.threshold(x, 0.1, 3.0), lambda x: F.glu(x.reshape(2, 4), 0)],
)  # fmt: skip
def test_gradients_match_finite_differences(function):
    points = np.array([-2.1, -0.7, -0.2, 0.05, 0.3, 0.6, 1.3, 2.2])  # (away from the kinks)
    assert nn.gradcheck(function, (_leaf(points),))


def test_the_gradient_is_zero_where_the_value_was_replaced():
    x = _leaf()
    F.hardshrink(x).sum().backward()
    assert x.grad.tolist() == [1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0]
    x = _leaf()
    F.threshold(x, 0.3, -9.0).sum().backward()
    assert x.grad.tolist() == [0.0] * 5 + [1.0, 1.0]


def test_glu_halves_the_dimension_and_refuses_an_odd_one():
    x = nn.tensor([[1.0, 2.0, 0.0, 3.0]])
    expected = np.array([1.0, 2.0]) / (1 + np.exp(-np.array([0.0, 3.0])))
    np.testing.assert_allclose(F.glu(x).numpy()[0], expected, rtol=1e-6)
    with pytest.raises(RuntimeError, match="Halving dimension must be even"):
        F.glu(nn.zeros(2, 3))
    with pytest.raises(RuntimeError, match="does not support scalars"):
        F.glu(nn.tensor(1.0))


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: F.hardshrink(nn.tensor([1, 2])), NotImplementedError, "'Long'"),
        (lambda: F.softshrink(nn.tensor([1.0]), -1.0), RuntimeError, "lambda must be in range"),
        (lambda: F.threshold(nn.tensor([True]), 0, 1), NotImplementedError, "'Bool'"),
        (lambda: F.threshold(nn.tensor([1], dtype=nn.uint8), 0.0, -1.0), RuntimeError, "overflow"),
        (lambda: nn.Softmax2d()(nn.zeros(2, 2)), ValueError, "expected input to be 3D or 4D"),
    ],
)
def test_what_pytorch_refuses_is_refused(call, error, message):
    with pytest.raises(error, match=message):
        call()


def test_the_modules_call_their_functions_and_print_as_pytorchs():
    x = nn.tensor(X)
    assert nn.Hardshrink(0.3)(x).tolist() == F.hardshrink(x, 0.3).tolist()
    assert nn.Softshrink()(x).tolist() == F.softshrink(x).tolist()
    assert nn.Tanhshrink()(x).tolist() == F.tanhshrink(x).tolist()
    assert nn.GLU(0)(x[:6]).tolist() == F.glu(x[:6], 0).tolist()
    y = x.clone()
    assert nn.Threshold(0.3, 2.0, inplace=True)(y) is y and y.tolist()[0] == 2.0
    images = nn.randn(2, 3, 4, 5)
    np.testing.assert_allclose(nn.Softmax2d()(images).sum(1).numpy(), np.ones((2, 4, 5)), rtol=1e-6)
    assert [repr(m) for m in (nn.Hardshrink(), nn.Threshold(0.1, 20), nn.GLU())] == [
        "Hardshrink(0.5)", "Threshold(threshold=0.1, value=20)", "GLU(dim=-1)",
    ]  # fmt: skip


@pytest.mark.parametrize("name", ["relu_", "leaky_relu_", "elu_", "selu_", "celu_", "hardtanh_"])
def test_the_in_place_forms_write_the_out_of_place_result(name):
    x = nn.tensor(X)
    expected = getattr(F, name[:-1])(x).tolist()
    assert getattr(F, name)(x) is x and x.tolist() == expected


def test_elu_in_place_refuses_a_backward_after_its_result_changed():
    x = _leaf()
    y = x * 1.0
    F.elu_(y)
    y.add_(1.0)  # (PyTorch's elu_ saves its result for backward)
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        y.sum().backward()


def test_rrelu_draws_a_slope_per_negative_element_in_training_and_averages_in_eval():
    nn.manual_seed(5)
    x = _leaf(np.array([-2.0, -1.0, 0.0, 3.0, -0.5]))
    y = F.rrelu(x, 0.1, 0.3, training=True)
    y.sum().backward()
    slopes = x.grad.numpy()
    assert np.all((slopes[[0, 1, 2, 4]] >= 0.1) & (slopes[[0, 1, 2, 4]] < 0.3))
    assert slopes[3] == 1.0 and len(set(slopes[[0, 1, 4]].tolist())) == 3
    np.testing.assert_allclose(y.detach().numpy(), x.detach().numpy() * slopes)
    layer = nn.RReLU(0.1, 0.3).eval()
    assert layer(nn.tensor([-2.0, 1.0])).tolist() == pytest.approx([-0.4, 1.0])
    assert repr(layer) == "RReLU(lower=0.1, upper=0.3)"


@pytest.mark.torch
def test_rrelu_draws_pytorchs_slopes_from_the_same_seed():
    torch = pytest.importorskip("torch")
    results = []
    for T, functional in ((torch, torch.nn.functional), (nn, F)):
        for dtype in ("float32", "float64"):
            T.manual_seed(11)
            x = T.tensor(np.linspace(-3, 2, 41), dtype=getattr(T, dtype), requires_grad=True)
            functional.rrelu(x, 0.1, 0.35, training=True).sum().backward()
            results.append(x.grad.numpy().copy())
    assert all(np.array_equal(a, b) for a, b in zip(results[:2], results[2:], strict=True))
