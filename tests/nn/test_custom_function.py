"""nn.autograd.Function: a hand-written backward, as PyTorch's."""

from typing import ClassVar

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


def test_a_gradient_the_input_broadcasts_to_is_summed_any_other_shape_raises():
    """PyTorch's rule: (1, 3) for a (3,) input is summed back; a 0-d gradient is refused."""

    def run(make):
        class Twice(nn.autograd.Function):
            @staticmethod
            def forward(ctx, x):
                return x * 2

            @staticmethod
            def backward(ctx, g):
                return make(g)

        x = nn.ones(3, dtype=nn.float64, requires_grad=True)
        Twice.apply(x).sum().backward()
        return x.grad.tolist()

    assert run(lambda g: nn.stack([g, g])) == [2.0, 2.0, 2.0]
    assert run(lambda g: g.reshape(1, 3)) == [1.0, 1.0, 1.0]
    with pytest.raises(
        RuntimeError, match=r"TwiceBackward returned an invalid gradient .* got \[\]"
    ):
        run(lambda g: g.sum())


class TwoOutputs(nn.autograd.Function):
    """x * y and x + y, with a count of backward calls."""

    calls: ClassVar[list] = []

    @staticmethod
    def forward(ctx, x, y):
        ctx.save_for_backward(x, y)
        return x * y, x + y, 7

    @staticmethod
    def backward(ctx, g_product, g_sum, g_number):
        TwoOutputs.calls.append((g_product, g_sum, g_number))
        x, y = ctx.saved_tensors
        return g_product * y + g_sum, g_product * x + g_sum


def test_several_outputs_make_one_backward_call_with_zeros_for_an_unused_one():
    TwoOutputs.calls.clear()
    x = nn.tensor([1.0, 2.0], dtype=nn.float64, requires_grad=True)
    y = nn.tensor([3.0, 4.0], dtype=nn.float64, requires_grad=True)
    product, total, number = TwoOutputs.apply(x, y)
    assert number == 7 and product.grad_fn.name() == total.grad_fn.name() == "TwoOutputsBackward"
    (product * 2 + total * 3).sum().backward()
    assert len(TwoOutputs.calls) == 1 and TwoOutputs.calls[0][2] is None
    np.testing.assert_array_equal(x.grad.numpy(), [9.0, 11.0])  # 2 y + 3
    np.testing.assert_array_equal(y.grad.numpy(), [5.0, 7.0])  # 2 x + 3
    TwoOutputs.calls.clear()
    x.grad = None
    _, total, _ = TwoOutputs.apply(x, y)
    total.sum().backward()
    g_product = TwoOutputs.calls[0][0]
    np.testing.assert_array_equal(g_product.numpy(), [0.0, 0.0])  # materialised zeros
    np.testing.assert_array_equal(x.grad.numpy(), [1.0, 1.0])


def test_unmaterialised_gradients_are_none_and_marked_outputs_need_no_grad():
    class Halves(nn.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.set_materialize_grads(False)
            positive = x > 0
            ctx.mark_non_differentiable(positive)
            return x * 2, x * 3, positive

        @staticmethod
        def backward(ctx, g_double, g_triple, g_positive):
            assert g_double is None and g_positive is None
            return g_triple * 3

    x = nn.tensor([1.0, -2.0], requires_grad=True)
    double, triple, positive = Halves.apply(x)
    assert double.requires_grad and not positive.requires_grad
    triple.sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [3.0, 3.0])


def test_an_output_saved_and_changed_in_place_is_refused_with_several_outputs():
    class Saves(nn.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            a, b = x * 2, x * 3
            ctx.save_for_backward(a)
            return a, b

        @staticmethod
        def backward(ctx, g_a, g_b):
            return g_a * 2 + g_b * 3

    x = nn.tensor([1.0, 2.0], requires_grad=True)
    a, b = Saves.apply(x)
    a.add_(1)
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        b.sum().backward()
