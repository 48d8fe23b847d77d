"""nn.autograd.Function: a hand-written backward, as PyTorch's."""

import numpy as np
import pytest

import nn


class Cube(nn.autograd.Function):
    @staticmethod
    def forward(ctx, x, scale):
        ctx.save_for_backward(x)
        ctx.scale = scale
        return scale * x**3

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        return grad_output * ctx.scale * 3 * x**2, None


class SeparateContext(nn.autograd.Function):  # PyTorch 2's form
    @staticmethod
    def forward(x):
        return x.exp()

    @staticmethod
    def setup_context(ctx, inputs, output):
        ctx.save_for_backward(output)

    @staticmethod
    def backward(ctx, grad_output):
        (result,) = ctx.saved_tensors
        return grad_output * result


def test_custom_backward_is_used_and_gradchecks():
    x = nn.tensor([0.5, -1.0, 2.0], dtype=nn.float64, requires_grad=True)
    y = Cube.apply(x, 2.0)
    assert y.grad_fn.name() == "CubeBackward" and not x.grad_fn
    assert nn.gradcheck(lambda t: Cube.apply(t, 2.0), (x,))
    assert nn.gradcheck(SeparateContext.apply, (x,))


def test_forward_runs_without_recording_and_no_grad_skips_the_node():
    x = nn.tensor([1.0], requires_grad=True)
    with nn.no_grad():
        assert Cube.apply(x, 1.0).grad_fn is None
    assert Cube.apply(nn.tensor([1.0]), 1.0).grad_fn is None


def test_wrong_gradient_count_and_shape_raise_as_pytorch():
    class TooFew(nn.autograd.Function):
        @staticmethod
        def forward(ctx, x, y):
            return x * y

        @staticmethod
        def backward(ctx, g):
            return g

    class WrongShape(nn.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2

        @staticmethod
        def backward(ctx, g):
            return nn.ones(5)

    x = nn.ones(3, requires_grad=True)
    with pytest.raises(RuntimeError, match="incorrect number of gradients \\(expected 2, got 1\\)"):
        TooFew.apply(x, x).sum().backward()
    with pytest.raises(RuntimeError, match="invalid gradient at index 0"):
        WrongShape.apply(x).sum().backward()


def test_a_saved_input_changed_in_place_is_refused():
    x = nn.tensor([1.0, 2.0], requires_grad=True)
    h = x * 1
    y = Cube.apply(h, 1.0)
    h.add_(1)
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        y.sum().backward()
    np.testing.assert_array_equal(x.grad is None, True)
