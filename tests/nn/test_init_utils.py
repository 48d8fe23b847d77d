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
    with pytest.raises(TypeError, match="get_rng_state"):
        nn.set_rng_state({"nope": 1})


@pytest.mark.parametrize("as_given", [list, iter], ids=["list", "generator"])
def test_clipping_takes_model_parameters_as_a_generator(as_given):
    """``clip_grad_norm_(model.parameters(), ...)`` (a generator, read once) clips every
    gradient, as the same call with a list does."""
    model = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 2))
    model(np.ones((5, 3), np.float32)).sum().backward()
    before = [p.grad.numpy().copy() for p in model.parameters()]
    total = nn.utils.clip_grad_norm_(as_given(list(model.parameters())), max_norm=0.1)
    expected = np.sqrt(sum(float(np.sum(g.astype(np.float64) ** 2)) for g in before))
    assert total.item() == pytest.approx(expected, rel=1e-6) and expected > 0.1
    for p, g in zip(model.parameters(), before, strict=True):
        np.testing.assert_allclose(p.grad.numpy(), g * (0.1 / (expected + 1e-6)), rtol=1e-5)
    clipped = np.sqrt(
        sum(float(np.sum(p.grad.numpy().astype(np.float64) ** 2)) for p in model.parameters())
    )
    assert clipped == pytest.approx(0.1, rel=1e-5)
    nn.utils.clip_grad_value_(as_given(list(model.parameters())), clip_value=0.01)
    assert max(float(np.abs(p.grad.numpy()).max()) for p in model.parameters()) <= 0.01


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
    expected = nn.rand(4, dtype=nn.float64, generator=nn.Generator()).tolist()
    assert drawn == expected  # PyTorch's default seed
    assert nn.Generator().initial_seed() == 67280421310721


@pytest.mark.parametrize(
    ("mean", "std", "a", "b"),
    [(0.0, 1.0, -2.0, 2.0), (1.0, 2.0, 0.0, 3.0), (0.0, 1.0, 3.0, 4.0), (0.0, 1.0, -51.0, -50.0)],
)
def test_trunc_normal_has_the_truncated_normal_moments(mean, std, a, b):
    """Bounds kept, and the sample mean and variance those of the truncated normal (exact
    formulas; the far tail, beyond the CDF's range, by its exponential limit)."""
    w = nn.init.trunc_normal_(nn.Parameter(np.empty(40_000)), mean, std, a, b, generator=3)
    values = w.detach().numpy()
    assert values.min() >= a and values.max() <= b
    alpha, beta = (a - mean) / std, (b - mean) / std
    if alpha < -37:  # far tail: mean = b + 1/b-ish, spread ~ 1/|beta| (Mills ratio)
        np.testing.assert_allclose(values.mean(), b - std / abs(beta), atol=2e-3)
        np.testing.assert_allclose(values.std(), std / abs(beta), rtol=0.05)
        return
    pdf = [math.exp(-(z**2) / 2) / math.sqrt(2 * math.pi) for z in (alpha, beta)]
    mass = 0.5 * (math.erfc(-beta / math.sqrt(2)) - math.erfc(-alpha / math.sqrt(2)))
    expected_mean = mean + std * (pdf[0] - pdf[1]) / mass
    ratio = (alpha * pdf[0] - beta * pdf[1]) / mass
    expected_var = std**2 * (1 + ratio - ((pdf[0] - pdf[1]) / mass) ** 2)
    np.testing.assert_allclose(values.mean(), expected_mean, atol=4 * math.sqrt(expected_var / 4e4))
    np.testing.assert_allclose(values.var(), expected_var, rtol=0.03)


def test_orthogonal_and_eye_as_pytorch():
    wide = nn.init.orthogonal_(nn.Parameter(np.empty((3, 2, 2, 2))), gain=2.0, generator=0)
    rows = wide.detach().numpy().reshape(3, -1)
    np.testing.assert_allclose(rows @ rows.T, 4 * np.eye(3), atol=1e-12)
    tall = nn.init.orthogonal_(nn.Parameter(np.empty((7, 4))), generator=1).detach().numpy()
    np.testing.assert_allclose(tall.T @ tall, np.eye(4), atol=1e-12)
    again = nn.init.orthogonal_(nn.Parameter(np.empty((7, 4))), generator=1).detach().numpy()
    np.testing.assert_array_equal(tall, again)
    with pytest.raises(ValueError, match="2 or more dimensions"):
        nn.init.orthogonal_(nn.Parameter(np.empty(3)))
    eye = nn.init.eye_(nn.Parameter(np.empty((2, 3)))).detach().numpy()
    np.testing.assert_array_equal(eye, [[1, 0, 0], [0, 1, 0]])
    with pytest.raises(ValueError, match="2 dimensions"):
        nn.init.eye_(nn.Parameter(np.empty((2, 2, 2))))


def test_sparse_zeroes_its_share_of_each_column_and_dirac_passes_channels_through():
    w = nn.init.sparse_(nn.Parameter(np.empty((5, 4))), 0.3, std=0.5, generator=2)
    assert (w == 0).sum(0).tolist() == [2, 2, 2, 2]  # ceil(0.3 * 5)
    with pytest.raises(ValueError, match="2 dimensions"):
        nn.init.sparse_(nn.empty(3), 0.5)
    signal = nn.randn(1, 4, 7)
    conv = nn.Conv1d(4, 4, 3, padding=1, bias=False)
    nn.init.dirac_(conv.weight)
    np.testing.assert_array_equal(conv(signal).detach().numpy(), signal.numpy())
    grouped = nn.init.dirac_(nn.empty(4, 1, 3, 3), groups=4)
    assert grouped.sum().item() == 4 and grouped[:, 0, 1, 1].tolist() == [1.0] * 4
    with pytest.raises(ValueError, match="divisible by groups"):
        nn.init.dirac_(nn.empty(3, 2, 3), groups=2)


@pytest.mark.torch
@pytest.mark.parametrize("shape", [(5, 3), (7, 2), (3, 5)])
def test_sparse_and_dirac_give_pytorchs_numbers_after_the_same_seed(shape):
    """(``sparse_`` permutes with the default generator even when given one, as PyTorch.)"""
    torch = pytest.importorskip("torch")
    torch.manual_seed(1)
    theirs = torch.nn.init.sparse_(
        torch.empty(shape), 0.4, generator=torch.Generator().manual_seed(4)
    )
    nn.manual_seed(1)
    ours = nn.init.sparse_(nn.empty(shape), 0.4, generator=nn.Generator().manual_seed(4))
    np.testing.assert_array_equal(ours.numpy(), theirs.numpy())
    weight = (*shape, 3, 3)
    theirs = torch.nn.init.dirac_(torch.empty(weight), groups=shape[0] if shape[0] == 7 else 1)
    ours = nn.init.dirac_(nn.empty(weight), groups=shape[0] if shape[0] == 7 else 1)
    np.testing.assert_array_equal(ours.numpy(), theirs.numpy())


def test_fans_are_pytorchs_private_helper_as_custom_layers_call_it():
    from nn import init

    assert init._calculate_fan_in_and_fan_out(nn.empty(4, 3)) == (3, 4)
    assert init._calculate_fan_in_and_fan_out(nn.empty(8, 2, 3, 5)) == (30, 120)
    with pytest.raises(ValueError, match="fewer than 2 dimensions"):
        init._calculate_fan_in_and_fan_out(nn.empty(3))


@pytest.mark.parametrize(
    ("old", "args"),
    [("uniform", ()), ("normal", ()), ("constant", (0.5,)), ("eye", ()), ("xavier_uniform", ()),
     ("xavier_normal", ()), ("kaiming_uniform", ()), ("kaiming_normal", ()), ("orthogonal", ()),
     ("sparse", (0.5,))],
)  # fmt: skip
def test_the_old_names_without_underscore_warn_and_draw_as_the_new(old, args):
    nn.manual_seed(3)
    expected = getattr(nn.init, f"{old}_")(nn.empty(3, 4), *args)
    nn.manual_seed(3)
    with pytest.warns(FutureWarning, match=f"`nn.init.{old}` is now deprecated"):
        got = getattr(nn.init, old)(nn.empty(3, 4), *args)
    assert got.tolist() == expected.tolist()


def test_clip_grad_norm_without_underscore_warns_and_clips():
    p = nn.Parameter(nn.ones(4))
    p.grad = nn.full((4,), 3.0)
    with pytest.warns(FutureWarning, match="clip_grad_norm_"):
        total = nn.utils.clip_grad_norm([p], 1.0)
    assert total.item() == 6.0 and abs(p.grad.norm().item() - 1.0) < 1e-5
