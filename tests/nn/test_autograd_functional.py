"""nn.autograd.functional: jacobian, vjp and jvp against their definitions (closed forms
and finite differences), and the refusals of what needs a recorded gradient."""

from __future__ import annotations

import numpy as np
import pytest

import nn
from nn.autograd.functional import hessian, hvp, jacobian, jvp, vhp, vjp


def _two_outputs(x: nn.Tensor, y: nn.Tensor) -> tuple[nn.Tensor, nn.Tensor]:
    return x**2 * y.sum(), (x.sin() * 3).sum()


def _finite_differences(f, x: np.ndarray, h: float = 1e-6) -> np.ndarray:
    """d f / d x by central differences, shape f(x).shape + x.shape."""
    out = np.asarray(f(x))
    jac = np.zeros(out.shape + x.shape)
    for k in range(x.size):
        step = np.zeros_like(x)
        step.flat[k] = h
        jac.reshape(out.size, x.size)[:, k] = ((f(x + step) - f(x - step)) / (2 * h)).ravel()
    return jac


def test_the_jacobian_of_one_input_and_output_matches_finite_differences():
    x = nn.tensor([[0.3, -1.2], [2.0, 0.7]], dtype=nn.float64)
    jac = jacobian(lambda t: (t @ t).tanh(), x)
    expected = _finite_differences(lambda a: np.tanh(a @ a), x.numpy())
    assert jac.shape == (2, 2, 2, 2) and jac.dtype == nn.float64
    np.testing.assert_allclose(jac.numpy(), expected, rtol=1e-6, atol=1e-8)
    assert not x.requires_grad and x.grad is None  # (the inputs are left alone)


def test_tuples_of_inputs_and_outputs_give_outputs_by_inputs():
    x = nn.tensor([1.0, 2.0, 3.0])
    y = nn.tensor([[0.5, -1.0]])
    (dx_first, dy_first), (dx_second, dy_second) = jacobian(_two_outputs, (x, y))
    assert dx_first.tolist() == [[-1.0, 0.0, 0.0], [0.0, -2.0, 0.0], [0.0, 0.0, -3.0]]
    assert dy_first.shape == (3, 1, 2) and dy_first[:, 0, 0].tolist() == [1.0, 4.0, 9.0]
    np.testing.assert_allclose(dx_second.numpy(), 3 * np.cos([1.0, 2.0, 3.0]), rtol=1e-6)
    assert dy_second.tolist() == [[0.0, 0.0]]  # independent: zeros


def test_vjp_and_jvp_are_the_jacobian_times_a_vector():
    x = nn.tensor([1.0, 2.0, 3.0], dtype=nn.float64)
    y = nn.tensor([[0.5, -1.0]], dtype=nn.float64)
    (jxx, jxy), (jsx, jsy) = jacobian(_two_outputs, (x, y))
    u = (nn.tensor([1.0, -2.0, 0.5], dtype=nn.float64), nn.tensor(2.0, dtype=nn.float64))
    outputs, (gx, gy) = vjp(_two_outputs, (x, y), u)
    assert outputs[0].tolist() == [-0.5, -2.0, -4.5] and not outputs[0].requires_grad
    np.testing.assert_allclose(gx.numpy(), u[0].numpy() @ jxx.numpy() + 2.0 * jsx.numpy())
    np.testing.assert_allclose(
        gy.numpy(), np.tensordot(u[0].numpy(), jxy.numpy(), 1) + 2 * jsy.numpy()
    )
    w = (nn.tensor([0.1, 0.2, 0.3], dtype=nn.float64), nn.tensor([[1.0, 1.0]], dtype=nn.float64))
    _, (jv_first, jv_second) = jvp(_two_outputs, (x, y), w)
    expected = jxx.numpy() @ w[0].numpy() + jxy.numpy().reshape(3, 2) @ w[1].numpy().ravel()
    np.testing.assert_allclose(jv_first.numpy(), expected)
    np.testing.assert_allclose(jv_second.item(), jsx.numpy() @ w[0].numpy() + jsy.numpy().sum())


def test_v_may_be_left_out_only_for_one_element():
    x = nn.tensor([1.0, 2.0])
    assert vjp(lambda t: (t * t).sum(), x)[1].tolist() == [2.0, 4.0]
    with pytest.raises(RuntimeError, match="v can only be None"):
        vjp(lambda t: t * t, x)
    with pytest.raises(RuntimeError, match="v can only be None"):
        jvp(lambda t: t * t, x)
    with pytest.raises(RuntimeError, match="invalid size"):
        vjp(lambda t: t * t, x, nn.ones(3))


def test_strict_mode_refuses_outputs_independent_of_an_input():
    x = nn.tensor([1.0, 2.0])
    assert jacobian(lambda t: nn.ones(2), x).tolist() == [[0.0, 0.0], [0.0, 0.0]]
    with pytest.raises(RuntimeError, match="does not require gradients"):
        jacobian(lambda t: nn.ones(2), x, strict=True)
    with pytest.raises(RuntimeError, match="independent of input 1"):
        jacobian(lambda a, b: a * 2, (x, x.clone()), strict=True)


def test_what_needs_a_recorded_gradient_is_refused_not_approximated():
    x = nn.tensor([1.0, 2.0])
    f = lambda t: (t**3).sum()  # noqa: E731
    for call in (
        lambda: hessian(f, x),
        lambda: hvp(f, x, x),
        lambda: vhp(f, x, x),
        lambda: jacobian(f, x, create_graph=True),
    ):
        with pytest.raises(NotImplementedError, match="create_graph=True"):
            call()
    with pytest.raises(TypeError, match="must be either a Tensor or a tuple of Tensors"):
        jacobian(lambda t: 1.0, x)
    with pytest.raises(ValueError, match="forward-mode"):
        jacobian(f, x, strategy="sideways")


def test_the_module_is_reached_as_pytorchs_is():
    assert nn.autograd.functional.jacobian is jacobian


def test_grad_runs_only_what_leads_to_its_inputs():
    """torch.autograd.grad (and backward(inputs=...)) runs only the part of the graph
    between the outputs and the inputs asked for: a retained gradient or a hook behind
    them is left alone (PyTorch 2.13's numbers)."""
    x = nn.ones(3, requires_grad=True)
    h = x * 2
    h.retain_grad()
    calls = []
    h.register_hook(lambda g: calls.append(1))
    y = h * 3
    z = y.sum()
    nn.autograd.grad(z, [y], retain_graph=True)
    assert h.grad is None and calls == []
    nn.autograd.grad(z, [x], retain_graph=True)
    assert h.grad.tolist() == [3.0, 3.0, 3.0] and calls == [1]
    w = nn.ones(3, requires_grad=True)
    (y * w).sum().backward(inputs=[w])
    assert x.grad is None and h.grad.tolist() == [3.0, 3.0, 3.0] and len(calls) == 1
