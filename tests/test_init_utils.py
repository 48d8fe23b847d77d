"""nn.init, nn.utils, nn.random and gradcheck itself."""

import math

import numpy as np
import pytest

import nn


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_kaiming_normal_is_the_course_he_init(dtype):
    w = nn.Parameter(np.empty((400, 300), dtype=dtype))
    nn.init.kaiming_normal_(w, generator=0)
    expected = np.random.default_rng(0).standard_normal((400, 300)) * np.sqrt(2 / 300)
    np.testing.assert_allclose(w.detach().numpy(), expected.astype(dtype), rtol=1e-6)
    assert w.dtype == dtype


def test_initialiser_bounds_and_stats():
    w = nn.Parameter(np.empty((200, 100)))
    nn.init.kaiming_uniform_(w, generator=1)
    assert np.abs(w.detach().numpy()).max() <= math.sqrt(6 / 100)
    nn.init.xavier_uniform_(w, generator=1)
    assert np.abs(w.detach().numpy()).max() <= math.sqrt(6 / 300)
    nn.init.xavier_normal_(w, generator=1)
    assert abs(w.detach().numpy().std() - math.sqrt(2 / 300)) < 0.01 * math.sqrt(2 / 300) * 10
    nn.init.normal_(w, 3.0, 0.5, generator=1)
    assert abs(w.detach().numpy().mean() - 3.0) < 0.02
    nn.init.uniform_(w, -1, 2, generator=1)
    assert w.detach().numpy().min() >= -1 and w.detach().numpy().max() <= 2
    nn.init.constant_(w, 0.25)
    assert np.all(w.detach().numpy() == 0.25)
    nn.init.zeros_(w)
    assert np.all(w.detach().numpy() == 0)
    nn.init.ones_(w)
    assert np.all(w.detach().numpy() == 1)
    with pytest.raises(ValueError, match="fewer than 2 dimensions"):
        nn.init.kaiming_normal_(nn.Parameter(np.zeros(3)))


def test_linear_default_init_bounds_and_seed():
    nn.manual_seed(5)
    layer = nn.Linear(16, 4)
    assert (
        np.abs(layer.weight.detach().numpy()).max() <= 1 / 4
        and np.abs(layer.bias.detach().numpy()).max() <= 1 / 4
    )
    nn.manual_seed(5)
    np.testing.assert_array_equal(
        nn.Linear(16, 4).weight.detach().numpy(), layer.weight.detach().numpy()
    )
    np.testing.assert_array_equal(
        nn.Linear(16, 4, generator=7).weight.detach().numpy(),
        nn.Linear(16, 4, generator=7).weight.detach().numpy(),
    )


def test_rng_state_round_trip():
    nn.manual_seed(11)
    state = nn.get_rng_state()
    first = nn.Linear(3, 3).weight.detach().numpy().copy()
    nn.set_rng_state(state)
    np.testing.assert_array_equal(nn.Linear(3, 3).weight.detach().numpy(), first)
    with pytest.raises(ValueError, match="get_rng_state"):
        nn.set_rng_state({"nope": 1})


def test_clip_grad_norm_and_value():
    a, b = nn.Parameter(np.zeros(2)), nn.Parameter(np.zeros(1))
    a.grad, b.grad = np.array([3.0, 0.0]), np.array([4.0])
    total = nn.utils.clip_grad_norm_([a, b], max_norm=1.0)
    assert total.item() == pytest.approx(5.0)
    np.testing.assert_allclose(np.concatenate([a.grad, b.grad]), np.array([3, 0, 4]) / (5 + 1e-6))
    a.grad = np.array([3.0, -5.0])
    nn.utils.clip_grad_value_([a], 1.0)
    np.testing.assert_array_equal(a.grad, [1, -1])
    a.grad = np.array([np.inf, 1.0])
    with pytest.raises(RuntimeError, match="non-finite"):
        nn.utils.clip_grad_norm_([a], 1.0, error_if_nonfinite=True)
    a.grad = np.array([2.0, -7.0])
    assert nn.utils.clip_grad_norm_(a, 100.0, norm_type=math.inf).item() == 7.0


def test_parameters_to_vector_round_trip():
    net = nn.Sequential(nn.Linear(2, 3), nn.Linear(3, 1))
    vec = nn.utils.parameters_to_vector(net.parameters())
    assert vec.shape == (13,)
    nn.utils.vector_to_parameters(vec * 2, net.parameters())
    np.testing.assert_allclose(
        nn.utils.parameters_to_vector(net.parameters()).detach().numpy(), vec.detach().numpy() * 2
    )
    with pytest.raises(RuntimeError, match="13"):
        nn.utils.vector_to_parameters(nn.tensor(np.zeros(5)), net.parameters())


def test_parameters_to_vector_keeps_the_graph_as_pytorch():
    """An L2 penalty written on the vector reaches every parameter's gradient."""
    net = nn.Sequential(nn.Linear(2, 3), nn.Linear(3, 1))
    (nn.utils.parameters_to_vector(net.parameters()) ** 2).sum().backward()
    for p in net.parameters():
        np.testing.assert_allclose(p.grad.numpy(), 2 * p.detach().numpy())


def test_gradcheck_catches_a_wrong_gradient():
    def wrong_square(t):
        data = t.detach().numpy()
        kind = nn.autograd.node_type("WrongSquareBackward0")
        return nn.Tensor._record(data**2, (t,), lambda g: (g * 3 * data,), kind)

    x = nn.tensor(np.array([1.0, 2.0]), requires_grad=True)
    with pytest.raises(nn.GradcheckError, match="input 0"):
        nn.gradcheck(wrong_square, (x,))
    assert nn.gradcheck(wrong_square, (x,), raise_exception=False) is False
    assert x.grad is None


def test_the_unseeded_default_generator_is_not_a_small_seeds_stream():
    import subprocess
    import sys

    code = "import nn, numpy as np; print(nn.rand(4, dtype=nn.float64).tolist())"
    fresh = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    drawn = eval(fresh.stdout)
    assert drawn != np.random.default_rng(0).random(4).tolist()
    expected = np.random.Generator(np.random.PCG64(67280421310721)).random(4).tolist()
    assert drawn == expected  # PyTorch's default seed
