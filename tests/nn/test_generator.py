"""nn.Generator is PyTorch's CPU generator: a seed gives PyTorch's numbers (values recorded
from PyTorch 2.13 here; against live PyTorch, across ops, dtypes, sizes and seeds, in the
tests marked ``torch``)."""

import numpy as np
import pytest

import nn
from data import DataLoader, RandomSampler, WeightedRandomSampler, random_split


def test_a_seed_gives_pytorchs_numbers():
    nn.manual_seed(0)
    np.testing.assert_array_equal(
        nn.rand(3).numpy(), np.float32([0.4962566, 0.7682218, 0.08847743])
    )
    nn.manual_seed(42)
    np.testing.assert_array_equal(
        nn.randn(3).numpy(),
        np.float32([0.33669036626815796, 0.12880940735340118, 0.23446236550807953]),
    )
    g = nn.Generator().manual_seed(2147483647)  # makemore's generator
    expected = [-0.9800073504447937, -1.6578478813171387, -0.05716622993350029]
    np.testing.assert_array_equal(nn.randn(5, generator=g).numpy()[:3], np.float32(expected))
    assert nn.randint(0, 27, (4,), generator=g).tolist() == [17, 16, 19, 7]


def test_layers_initialise_as_pytorchs_after_the_same_seed():
    nn.manual_seed(0)
    linear = nn.Linear(2, 2)
    weight = [-0.005293981172144413, 0.37932288646698, -0.5819807648658752, -0.5203874707221985]
    np.testing.assert_array_equal(linear.weight.detach().numpy().ravel(), np.float32(weight))
    bias = [-0.27234524488449097, 0.1896158903837204]
    np.testing.assert_array_equal(linear.bias.detach().numpy(), np.float32(bias))


def test_state_round_trips_and_bad_states_are_refused():
    g = nn.Generator().manual_seed(7)
    nn.randn(3, generator=g)  # (leaves a kept Box-Muller value in the state)
    state = g.get_state()
    first = (nn.randn(5, generator=g).tolist(), nn.randperm(9, generator=g).tolist())
    g.set_state(state)
    assert (nn.randn(5, generator=g).tolist(), nn.randperm(9, generator=g).tolist()) == first
    assert state.dtype == nn.uint8 and g.initial_seed() == 7
    before = g.get_state()
    with pytest.raises(TypeError, match="uint8 Tensor"):
        g.set_state([1, 2])
    with pytest.raises(RuntimeError, match="2520 bytes"):
        g.set_state(nn.zeros(4, dtype=nn.uint8))
    assert g.get_state().tolist() == before.tolist()  # (a refused state changed nothing)
    assert str(g.device) == "cpu" and nn.manual_seed(-1).initial_seed() == 2**64 - 1


def test_numpy_generators_still_draw_with_numpys_methods():
    rng = np.random.default_rng(3)
    expected = np.random.default_rng(3).random(4).astype(np.float32)
    np.testing.assert_array_equal(nn.rand(4, generator=rng).numpy(), expected)
    assert nn.randperm(5, generator=np.random.RandomState(1)).tolist() == list(
        np.random.RandomState(1).permutation(5)
    )


def test_multinomial_and_bernoulli_check_their_inputs():
    with pytest.raises(RuntimeError, match="without replacement"):
        nn.multinomial(nn.tensor([0.5, 0.5]), 3)
    with pytest.raises(RuntimeError, match="element < 0"):
        nn.multinomial(nn.tensor([-0.5, 0.5]), 1)
    with pytest.raises(RuntimeError, match="sum of probabilities"):
        nn.multinomial(nn.tensor([[0.0, 0.0]]), 1)
    with pytest.raises(RuntimeError, match="p_in >= 0"):
        nn.bernoulli(nn.tensor([1.5]))
    drawn = nn.multinomial(nn.tensor([[0.0, 1.0], [1.0, 0.0]]), 4, replacement=True)
    assert drawn.tolist() == [[1] * 4, [0] * 4] and drawn.dtype == nn.int64


# ------------------------------------------------------------------- against PyTorch
torch_only = pytest.mark.torch


def _same(ours, theirs, exact=True):
    theirs = theirs.numpy()
    ours = ours.numpy()
    assert ours.dtype == theirs.dtype and ours.shape == theirs.shape
    if exact:
        np.testing.assert_array_equal(ours, theirs)
    else:  # PyTorch's vectorised log, sin and cos are its own polynomials: within 2 ulp-ish
        np.testing.assert_allclose(ours, theirs, rtol=2e-6, atol=1e-6)


DRAWS = {
    "rand": (lambda T, g, d, n: T.rand(n, generator=g, dtype=d), True),
    "randn": (lambda T, g, d, n: T.randn(n, generator=g, dtype=d), None),
    "uniform_": (lambda T, g, d, n: T.empty(n, dtype=d).uniform_(-0.3, 0.7, generator=g), True),
    "normal_": (lambda T, g, d, n: T.empty(n, dtype=d).normal_(1.5, 0.02, generator=g), None),
    "normal_strided": (
        lambda T, g, d, n: T.zeros(n, 2, dtype=d)[:, 0].normal_(generator=g),
        True,
    ),
    "randint": (lambda T, g, d, n: T.randint(-3, 27, (n,), generator=g), True),
    "randint_wide": (lambda T, g, d, n: T.randint(0, 2**40, (n,), generator=g), True),
    "randperm": (lambda T, g, d, n: T.randperm(n, generator=g), True),
    "bernoulli_": (lambda T, g, d, n: T.empty(n, dtype=d).bernoulli_(0.3, generator=g), True),
    "bernoulli": (lambda T, g, d, n: T.bernoulli(T.full((n,), 0.6, dtype=d), generator=g), True),
    "exponential_": (lambda T, g, d, n: T.empty(n, dtype=d).exponential_(2.0, generator=g), True),
    "random_": (lambda T, g, d, n: T.empty(n, dtype=d).random_(generator=g), True),
    "cauchy_": (lambda T, g, d, n: T.empty(n, dtype=d).cauchy_(-1.5, 0.3, generator=g), True),
    "log_normal_": (
        lambda T, g, d, n: T.empty(n, dtype=d).log_normal_(0.3, 0.7, generator=g),
        True,
    ),
    "geometric_": (lambda T, g, d, n: T.empty(n, dtype=d).geometric_(0.05, generator=g), True),
    "geometric_int": (
        lambda T, g, d, n: T.empty(n, dtype=T.int32).geometric_(0.4, generator=g),
        True,
    ),
    "multinomial": (
        lambda T, g, d, n: T.multinomial(T.linspace(0.1, 1.0, n, dtype=d), 1, generator=g),
        True,
    ),
    "multinomial_rows": (
        lambda T, g, d, n: T.multinomial(
            T.linspace(0.1, 1.0, 3 * n, dtype=d).reshape(3, n), min(n, 4), generator=g
        ),
        True,
    ),
    "multinomial_replacement": (
        lambda T, g, d, n: T.multinomial(
            T.linspace(0.1, 1.0, n, dtype=d), 7, replacement=True, generator=g
        ),
        True,
    ),
}


@torch_only
@pytest.mark.parametrize("name", sorted(DRAWS))
@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("size", [1, 5, 16, 37])
@pytest.mark.parametrize("seed", [0, 2147483647, 67280421310721])
def test_each_draw_is_pytorchs(name, dtype, size, seed):
    torch = pytest.importorskip("torch")
    draw, exact = DRAWS[name]
    if exact is None:  # normals: bit for bit below 16 values and in float64 ...
        exact = size < 16
    tg = torch.Generator().manual_seed(seed)
    g = nn.Generator().manual_seed(seed)
    for _ in range(2):  # (twice: what the first draw leaves in the generator counts too)
        theirs = draw(torch, tg, getattr(torch, dtype), size)
        ours = draw(nn, g, getattr(nn, dtype), size)
        _same(ours, theirs, exact or dtype == "float64")


def test_gumbel_softmax_samples_rows_and_its_hard_form_passes_the_soft_gradient():
    logits = nn.tensor([[1.0, 2.0, 0.5], [0.0, 0.0, 3.0]], requires_grad=True)
    nn.manual_seed(0)
    soft = nn.functional.gumbel_softmax(logits, tau=0.7)
    np.testing.assert_allclose(soft.sum(1).detach().numpy(), [1.0, 1.0], rtol=1e-6)
    nn.manual_seed(0)
    hard = nn.functional.gumbel_softmax(logits, tau=0.7, hard=True)
    assert hard.tolist() == nn.functional.one_hot(soft.argmax(1), 3).float().tolist()
    weights = nn.tensor([1.0, -2.0, 3.0])
    (hard * weights).sum().backward()
    through_hard = logits.grad.clone()
    logits.grad = None
    (soft * weights).sum().backward()
    np.testing.assert_allclose(through_hard.numpy(), logits.grad.numpy(), rtol=1e-6)
    with pytest.warns(UserWarning, match="eps"):
        nn.functional.gumbel_softmax(logits, eps=1e-5)


@torch_only
@pytest.mark.parametrize("hard", [False, True])
def test_gumbel_softmax_is_pytorchs_after_the_same_seed(hard):
    torch = pytest.importorskip("torch")
    logits = np.random.default_rng(0).normal(size=(6, 5)).astype(np.float32)
    torch.manual_seed(8)
    theirs = torch.nn.functional.gumbel_softmax(torch.tensor(logits), tau=0.5, hard=hard, dim=0)
    nn.manual_seed(8)
    ours = nn.functional.gumbel_softmax(nn.tensor(logits), tau=0.5, hard=hard, dim=0)
    np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-6, atol=1e-7)


@torch_only
def test_a_seeded_script_runs_as_in_pytorch():
    """Model initialisation, dropout, a shuffled DataLoader over two epochs, samplers and
    random_split, all from the default generator after one manual_seed."""
    torch = pytest.importorskip("torch")

    def run(T, N, F, loader, weighted, split):
        T.manual_seed(3)
        model = N.Sequential(N.Linear(4, 8), N.Dropout(0.3), N.Linear(8, 3))
        conv, embedding = N.Conv2d(2, 3, 3), N.Embedding(6, 2)
        orders = [[b.tolist() for b in loader(list(range(10)))] for _ in range(2)]
        x = T.randn(5, 4)
        out = model(x)
        weights = [0.1, 0.2, 0.3, 0.4]
        drawn = list(weighted(weights, 6, replacement=True)) + list(weighted(weights, 3, False))
        parts = [list(p) for p in split(range(10), [3, 7])]
        return [
            *(p.detach().numpy() for p in model.parameters()),
            conv.weight.detach().numpy(),
            embedding.weight.detach().numpy(),
            out.detach().numpy(),
            orders,
            drawn,
            parts,
            F.dropout(T.ones(40), 0.5).numpy(),
            T.rand(2).numpy(),
        ]

    def torch_loader(items):
        return torch.utils.data.DataLoader(items, batch_size=4, shuffle=True)

    def our_loader(items):
        return DataLoader(items, batch_size=4, shuffle=True)

    theirs = run(
        torch,
        torch.nn,
        torch.nn.functional,
        torch_loader,
        torch.utils.data.WeightedRandomSampler,
        torch.utils.data.random_split,
    )
    ours = run(nn, nn, nn.functional, our_loader, WeightedRandomSampler, random_split)
    for a, b in zip(ours, theirs, strict=True):
        if isinstance(b, np.ndarray):
            np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-6)  # (float32 sums)
        else:
            assert a == b
    assert RandomSampler  # (the sampler a shuffling DataLoader builds)


def test_long_permutations_swap_as_the_short_ones(monkeypatch):
    """Above a few thousand elements Fisher-Yates runs compiled (with numba installed): the
    same permutation as the Python loop."""
    import nn.generator as generator_module

    compiled = nn.randperm(9000, generator=nn.Generator().manual_seed(5)).tolist()
    monkeypatch.setattr(generator_module, "_SWAPS_IN_PYTHON", 10**9)
    in_python = nn.randperm(9000, generator=nn.Generator().manual_seed(5)).tolist()
    assert compiled == in_python and sorted(compiled) == list(range(9000))


def test_cauchy_log_normal_and_geometric_draw_their_distributions():
    g = nn.Generator().manual_seed(0)
    cauchy = nn.empty(20000, dtype=nn.float64).cauchy_(2.0, 0.5, generator=g)
    assert abs(cauchy.median().item() - 2.0) < 0.03  # median 2, quartiles 2 -+ 0.5
    assert abs(cauchy.quantile(0.75).item() - 2.5) < 0.05
    log_normal = nn.empty(20000, dtype=nn.float32).log_normal_(0.3, 0.7, generator=g)
    assert log_normal.dtype == nn.float32 and log_normal.min().item() > 0
    assert abs(log_normal.log().mean().item() - 0.3) < 0.02
    assert abs(log_normal.log().std().item() - 0.7) < 0.02
    trials = nn.empty(20000, dtype=nn.int64).geometric_(0.25, generator=g)
    assert trials.dtype == nn.int64 and trials.min().item() == 1
    assert abs(trials.double().mean().item() - 4.0) < 0.1  # mean 1/p


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda x: x.cauchy_(0.0, 0.0), RuntimeError, "sigma > 0.0"),
        (lambda x: x.log_normal_(0.0, -1.0), RuntimeError, "std > 0.0"),
        (lambda x: x.geometric_(1.0), RuntimeError, r"p to be in \(0, 1\)"),
        (lambda x: x.long().cauchy_(), RuntimeError, "continuous probability distribution"),
        (lambda x: x.long().log_normal_(), NotImplementedError, "not implemented for 'Long'"),
    ],
)
def test_cauchy_log_normal_and_geometric_refuse_what_pytorch_refuses(call, error, message):
    x = nn.zeros(3)
    with pytest.raises(error, match=message):
        call(x)
