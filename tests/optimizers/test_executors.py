"""The executors (optimizers/_executors.py): foreach=True and fused=True give the reference's
(per-parameter) numbers bit for bit, whatever happens between steps, and no executor ever
replaces a parameter's storage."""

from __future__ import annotations

import copy
import itertools
import pickle

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import nn
import optimizers
from optimizers import _executors

try:
    import numba  # noqa: F401  (the fast extra, which fused=True needs; CI installs it)

    HAS_NUMBA = True
except ImportError:
    HAS_NUMBA = False
needs_numba = pytest.mark.skipif(not HAS_NUMBA, reason="fused=True needs the fast extra (numba)")

MAKERS = {
    "BatchGD": lambda ps, **ex: optimizers.BatchGD(ps, lr=0.1, **ex),
    "SGD": lambda ps, **ex: optimizers.SGD(ps, lr=0.05, **ex),
    "SGD-momentum": lambda ps, **ex: optimizers.SGD(
        ps, lr=0.05, momentum=0.9, dampening=0.1, weight_decay=0.01, **ex
    ),
    "SGD-nesterov": lambda ps, **ex: optimizers.SGD(
        ps, lr=0.05, momentum=0.9, nesterov=True, maximize=True, **ex
    ),
    "Momentum": lambda ps, **ex: optimizers.Momentum(ps, lr=0.1, beta=0.8, **ex),
    "Adam": lambda ps, **ex: optimizers.Adam(ps, lr=0.01, **ex),
    "Adam-amsgrad": lambda ps, **ex: optimizers.Adam(
        ps, lr=0.01, amsgrad=True, weight_decay=0.01, maximize=True, **ex
    ),
    "AdamW": lambda ps, **ex: optimizers.AdamW(ps, lr=0.01, **ex),
    "RMSprop": lambda ps, **ex: optimizers.RMSprop(ps, lr=0.01, **ex),
    "RMSprop-centered": lambda ps, **ex: optimizers.RMSprop(
        ps, lr=0.01, momentum=0.5, centered=True, weight_decay=0.1, **ex
    ),
    "Adagrad": lambda ps, **ex: optimizers.Adagrad(ps, lr=0.1, lr_decay=0.01, **ex),
    "Adadelta": lambda ps, **ex: optimizers.Adadelta(ps, weight_decay=0.01, maximize=True, **ex),
    "Adamax": lambda ps, **ex: optimizers.Adamax(ps, lr=0.01, weight_decay=0.01, **ex),
    "NAdam": lambda ps, **ex: optimizers.NAdam(ps, lr=0.01, decoupled_weight_decay=True, **ex),
    "RAdam": lambda ps, **ex: optimizers.RAdam(ps, lr=0.01, weight_decay=0.01, **ex),
    "ASGD": lambda ps, **ex: optimizers.ASGD(ps, lr=0.01, t0=2, **ex),
    "Rprop": lambda ps, **ex: optimizers.Rprop(ps, lr=0.01, **ex),
    "Adafactor": lambda ps, **ex: optimizers.Adafactor(ps, lr=0.01, weight_decay=0.1, **ex),
}
EXECUTORS = {"foreach": {"foreach": True}, "fused": {"fused": True}}
UNFUSED = {
    "Adadelta",
    "Adamax",
    "NAdam",
    "RAdam",
    "ASGD",
    "Rprop",
    "Adafactor",
}  # no fused= in PyTorch
ALL_EXECUTORS = [
    pytest.param({}, id="per-parameter"),
    pytest.param({"foreach": True}, id="foreach"),
    pytest.param({"fused": True}, id="fused", marks=needs_numba),
]


def make_params(shapes, dtypes, seed=0):
    rng = np.random.default_rng(seed)
    return [
        nn.Parameter(rng.standard_normal(shape).astype(dtype))
        for shape, dtype in zip(shapes, dtypes, strict=True)
    ]


def values(params):
    return [p.detach().numpy().copy() for p in params]


@pytest.fixture(params=[28, 1 << 16], ids=["tiny-chunks", "default-chunks"])
def chunk(request, monkeypatch):
    monkeypatch.setattr(_executors, "CHUNK_BYTES", request.param)
    monkeypatch.setattr(_executors, "FUSED_CHUNK_BYTES", request.param)
    return request.param


@pytest.mark.parametrize("executor", ["foreach", pytest.param("fused", marks=needs_numba)])
@pytest.mark.parametrize("name", sorted(MAKERS))
@settings(max_examples=8, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    shapes=st.lists(
        st.sampled_from([(), (1,), (3,), (2, 5), (4, 3, 2), (40,)]), min_size=1, max_size=5
    ),
    dtypes=st.lists(st.sampled_from([np.float32, np.float64]), min_size=5, max_size=5),
    schedule=st.lists(st.lists(st.booleans(), min_size=5, max_size=5), min_size=1, max_size=6),
)
def test_executor_gives_the_references_numbers(chunk, executor, name, shapes, dtypes, schedule):
    """Mixed dtypes in one group, gradients that come and go (so steps differ per parameter),
    a state_dict round trip and a new group mid-training: bit-identical parameters and state."""
    if executor == "fused" and name in UNFUSED:
        return  # PyTorch's class has no fused= either
    dtypes = dtypes[: len(shapes)]
    rng = np.random.default_rng(1)
    grads = [
        [
            rng.standard_normal(shape).astype(dtype)
            for shape, dtype in zip(shapes, dtypes, strict=True)
        ]
        for _ in schedule
    ]
    ours, reference = make_params(shapes, dtypes), make_params(shapes, dtypes)
    fast = MAKERS[name](ours[:1] if len(ours) == 1 else ours[:-1], **EXECUTORS[executor])
    slow = MAKERS[name](reference[:1] if len(ours) == 1 else reference[:-1])
    for number, present in enumerate(schedule):
        if number == len(schedule) // 2:
            fast.load_state_dict(fast.state_dict())
            slow.load_state_dict(slow.state_dict())
            if len(ours) > 1:
                fast.add_param_group({"params": [ours[-1]], "lr": 0.02})
                slow.add_param_group({"params": [reference[-1]], "lr": 0.02})
        for params in (ours, reference):
            for p, g, has in zip(params, grads[number], present, strict=False):
                p.grad = g.copy() if has else None
        fast.step()
        slow.step()
    for a, b in zip(ours, reference, strict=True):
        assert a.dtype == b.dtype
        np.testing.assert_array_equal(a.detach().numpy(), b.detach().numpy())
    mine, theirs = fast.state_dict()["state"], slow.state_dict()["state"]
    assert mine.keys() == theirs.keys()
    for index, state in theirs.items():
        assert mine[index].keys() == state.keys()
        for key, value in state.items():
            np.testing.assert_array_equal(mine[index][key], value)


@pytest.mark.parametrize("executor", ALL_EXECUTORS)
def test_storage_is_never_replaced(chunk, executor):
    """References to p.data and p.detach() taken before training follow the parameters."""
    model = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 1))
    held = [p.data for p in model.parameters()]
    detached = [p.detach() for p in model.parameters()]
    arrays = [p._data for p in model.parameters()]
    initial = [a.copy() for a in arrays]
    optimizer = optimizers.Adam(model.parameters(), lr=0.1, **executor)
    x = np.linspace(-1, 1, 12).reshape(4, 3)
    for _ in range(3):
        optimizer.zero_grad()
        model(x).sum().backward()
        optimizer.step()
    for p, h, d, a in zip(model.parameters(), held, detached, arrays, strict=True):
        assert p._data is a
        np.testing.assert_array_equal(h.numpy(), p.detach().numpy())
        np.testing.assert_array_equal(d.numpy(), p.detach().numpy())
    assert not any(np.array_equal(a, b) for a, b in zip(arrays, initial, strict=True))


def train(model, optimizer, steps, x):
    for _ in range(steps):
        optimizer.zero_grad()
        (model(x) ** 2).mean().backward()
        optimizer.step()


@pytest.mark.parametrize("executor", ALL_EXECUTORS)
@pytest.mark.parametrize(
    "duplicate", [copy.deepcopy, lambda pair: pickle.loads(pickle.dumps(pair))]
)
def test_copies_of_model_and_optimizer_train_as_the_original(chunk, executor, duplicate):
    x = np.linspace(-1, 1, 12).reshape(4, 3)
    nn.manual_seed(3)
    model = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 1))
    optimizer = optimizers.Adam(model.parameters(), lr=0.05, **executor)
    train(model, optimizer, 2, x)
    model_copy, optimizer_copy = duplicate((model, optimizer))
    train(model, optimizer, 3, x)
    train(model_copy, optimizer_copy, 3, x)
    for p, q in zip(model.parameters(), model_copy.parameters(), strict=True):
        assert p._data is not q._data
        np.testing.assert_array_equal(p.detach().numpy(), q.detach().numpy())


def test_shared_parameters_stay_tied_and_two_optimizers_share_parameters(chunk):
    shared = nn.Linear(3, 3)
    model = nn.Sequential(shared, nn.ReLU(), shared)
    first = optimizers.SGD(model.parameters(), lr=0.1, momentum=0.9, foreach=True)
    second = optimizers.Adam(model.parameters(), lr=0.01, foreach=True)
    weight = model[0].weight._data
    x = np.linspace(-1, 1, 6).reshape(2, 3)
    for _ in range(3):
        for optimizer in (first, second):
            optimizer.zero_grad()
            (model(x) ** 2).sum().backward()
            optimizer.step()
    assert model[0].weight is model[2].weight and model[0].weight._data is weight


def test_user_rule_runs_under_every_executor_and_its_own_update_is_kept(chunk):
    class SignDescent(optimizers.Optimizer):
        elementwise = True

        def __init__(self, params, lr, foreach=None):
            super().__init__(params, {"lr": lr, "foreach": foreach})

        def init_state(self, W, group):
            return {"step": 0, "last": np.zeros_like(W)}

        def update(self, W, dW, state, group):
            state["last"][...] = np.sign(dW)
            W -= group["lr"] / state["step"] * state["last"]

    class NoisyAdam(optimizers.Adam):  # a built-in whose update is overridden
        def update(self, W, dW, state, group):
            super().update(W, dW * 2, state, group)

    for cls in (SignDescent, NoisyAdam):
        a, b = (
            make_params([(5,), (2, 3)], [np.float64] * 2),
            make_params([(5,), (2, 3)], [np.float64] * 2),
        )
        fast, slow = cls(a, lr=0.1, foreach=True), cls(b, lr=0.1)
        for t in range(4):
            for p, q in zip(a, b, strict=True):
                p.grad = np.full(p.shape, t - 1.5)
                q.grad = np.full(q.shape, t - 1.5)
            fast.step()
            slow.step()
        for p, q in zip(a, b, strict=True):
            np.testing.assert_array_equal(p.detach().numpy(), q.detach().numpy())
    with pytest.raises(ValueError, match="no fused kernel"):  # (decided before numba is needed)
        NoisyAdam(make_params([(2,)], [np.float64]), fused=True)


@needs_numba
def test_non_contiguous_parameters_run_as_the_reference(chunk):
    a, b = make_params([(3, 4)], [np.float64]), make_params([(3, 4)], [np.float64])
    for p in (a[0], b[0]):
        p.data = np.asfortranarray(p.detach().numpy())
    fast, slow = optimizers.Adam(a, lr=0.1, fused=True), optimizers.Adam(b, lr=0.1)
    for _ in range(2):
        a[0].grad = np.ones((3, 4))
        b[0].grad = np.ones((3, 4))
        fast.step()
        slow.step()
    np.testing.assert_array_equal(a[0].detach().numpy(), b[0].detach().numpy())


def test_flag_errors():
    params = make_params([(2,)], [np.float64])
    with pytest.raises(RuntimeError, match="cannot be `True` together"):
        optimizers.Adam(params, foreach=True, fused=True)
    with pytest.raises(ValueError, match="capturable=True cannot be honoured"):
        optimizers.Adam(params, capturable=True)
    with pytest.raises(ValueError, match="differentiable=True cannot be honoured"):
        optimizers.SGD(params, lr=0.1, differentiable=True)
    with pytest.raises(ValueError, match="Invalid foreach"):
        optimizers.SGD(params, lr=0.1, foreach="yes")


def test_fused_without_numba_names_the_extra(monkeypatch):
    import builtins

    from optimizers import _kernels

    real_import = builtins.__import__

    def no_numba(name, *args, **kwargs):
        if name == "numba":
            raise ImportError("No module named 'numba'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_numba)
    monkeypatch.setattr(_kernels, "_compiled", {})
    with pytest.raises(ImportError, match=r"descend\[fast\]"):
        optimizers.Adam(make_params([(2,)], [np.float64]), fused=True)


@needs_numba
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_fused_divides_by_zero_as_numpy_does(dtype):
    """eps=0 and zero gradients: 0/0 is NaN in the rule and in the kernel (no exception)."""
    a, b = make_params([(4,)], [dtype]), make_params([(4,)], [dtype])
    fast, slow = optimizers.Adam(a, eps=0.0, fused=True), optimizers.Adam(b, eps=0.0)
    a[0].grad = np.zeros(4, dtype)
    b[0].grad = np.zeros(4, dtype)
    with np.errstate(invalid="ignore"):
        fast.step()
        slow.step()
    assert np.isnan(a[0].detach().numpy()).all()
    np.testing.assert_array_equal(a[0].detach().numpy(), b[0].detach().numpy())


@pytest.mark.parametrize("name", sorted(MAKERS))
def test_the_reference_in_slices_equals_it_whole(name, monkeypatch):
    """Per parameter, a large parameter runs in slices: the numbers of the whole arrays."""
    shapes, dtypes = [(40, 3), (7,), (2, 2, 5)], [np.float32, np.float64, np.float32]
    rng = np.random.default_rng(4)
    grads = [
        [rng.standard_normal(s).astype(d) for s, d in zip(shapes, dtypes, strict=True)]
        for _ in range(4)
    ]
    results = []
    for sliced in (8, 1 << 30):
        monkeypatch.setattr(_executors, "SLICED_BYTES", sliced)
        monkeypatch.setattr(_executors, "CHUNK_BYTES", sliced)
        params = make_params(shapes, dtypes)
        optimizer = MAKERS[name](params)
        for step in grads:
            for p, g in zip(params, step, strict=True):
                p.grad = g.copy()
            optimizer.step()
        results.append(values(params))
    for a, b in zip(*results, strict=True):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("offset", [0, 1, 3, 15])
def test_kernel_chunks_start_at_cache_lines_and_cover_the_array(offset):
    """A compiled kernel's chunks of a large parameter start at 64-byte boundaries after a
    short first chunk (vectors straddling cache lines halve its speed); NumPy's keep theirs."""
    W = np.zeros(1000, np.float32)[offset:]
    starts = _executors._chunk_starts(W, 64, aligned=True)
    assert starts[0] == 0 and starts[1] < 64 + 16
    assert all(W[start:].ctypes.data % _executors.ALIGNMENT == 0 for start in starts[1:])
    assert all(b - a == 64 for a, b in itertools.pairwise(starts[1:]))
    assert starts[-1] < W.size <= starts[-1] + 64
    assert _executors._chunk_starts(W, 64, aligned=False) == list(range(0, W.size, 64))
    buffer = _executors.aligned_empty(10, np.dtype(np.float64))
    assert buffer.ctypes.data % _executors.ALIGNMENT == 0 and buffer.shape == (10,)


class NormalisedAdam(optimizers.Adam):
    """A third-party rule built on Adam: its step is scaled by the whole gradient's norm,
    which no slice of the parameter can compute."""

    def update(self, W, dW, state, group):
        W -= group["lr"] * dW / np.linalg.norm(dW)


class DeclaredAdam(optimizers.Adam):
    elementwise = True

    def update(self, W, dW, state, group):
        super().update(W, dW, state, group)


def test_a_subclass_with_its_own_update_is_not_sliced_unless_it_says_so():
    assert optimizers.Adam.elementwise and optimizers.AdamW.elementwise
    assert not NormalisedAdam.elementwise and DeclaredAdam.elementwise
    start = np.linspace(-1.0, 1.0, 100_000)  # (800 KB: sliced if the rule were elementwise)
    results = []
    for flags in ({}, {"foreach": True}, {"foreach": False}):
        w = nn.Parameter(start.copy())
        opt = NormalisedAdam([w], lr=0.1, **flags)
        w.grad = np.cos(start)
        opt.step()
        results.append(w.detach().numpy())
    expected = start - 0.1 * np.cos(start) / np.linalg.norm(np.cos(start))
    for result in results:
        np.testing.assert_array_equal(result, expected)


GATHERING_RULES = {
    "Adam": {"lr": 0.01},
    "AdamW": {"lr": 0.01, "weight_decay": 0.1},
    "RMSprop": {"lr": 0.01, "momentum": 0.5},
    "Adadelta": {},
    "RAdam": {"lr": 0.01},
    "Adamax": {"lr": 0.01},
}


@settings(max_examples=30, deadline=None)
@given(
    name=st.sampled_from(sorted(GATHERING_RULES)),
    shapes=st.lists(st.sampled_from([(3,), (2, 5), (), (4, 1, 2), (7,)]), min_size=4, max_size=7),
    dtype=st.sampled_from([np.float32, np.float64]),
    steps=st.integers(2, 5),
    seed=st.integers(0, 2**16),
)
def test_the_default_gathers_small_parameters_with_the_rules_numbers(
    name, shapes, dtype, steps, seed
):
    """From its second step the default executor runs a two-array rule once over four or
    more small parameters gathered: the per-parameter rule's numbers, bit for bit, and a
    state that saves and loads as the per-parameter one."""
    rng = np.random.default_rng(seed)
    start = [rng.standard_normal(shape).astype(dtype) for shape in shapes]
    ours = [nn.Parameter(w.copy()) for w in start]
    theirs = [nn.Parameter(w.copy()) for w in start]
    rule = getattr(optimizers, name)
    gathered = rule(ours, **GATHERING_RULES[name])
    plain = rule(theirs, foreach=False, **GATHERING_RULES[name])
    for _ in range(steps):
        for p, q in zip(ours, theirs, strict=True):
            g = rng.standard_normal(p.shape).astype(dtype)
            p.grad, q.grad = g.copy(), g.copy()
        gathered.step()
        plain.step()
    gathers = sum(shape != () for shape in shapes) >= _executors.GATHERED_FROM
    assert bool(_executors._gathered(gathered, ours)) == gathers  # (0-d ones one by one)
    for p, q in zip(ours, theirs, strict=True):
        np.testing.assert_array_equal(p.detach().numpy(), q.detach().numpy())
        for key, value in plain.state[q].items():
            np.testing.assert_array_equal(gathered.state[p][key], value)
    reloaded = rule(ours, **GATHERING_RULES[name])
    reloaded.load_state_dict(gathered.state_dict())
    for p, q in zip(ours, theirs, strict=True):
        p.grad = q.grad = np.ones(p.shape, dtype)
    reloaded.step()
    plain.step()
    for p, q in zip(ours, theirs, strict=True):
        np.testing.assert_array_equal(p.detach().numpy(), q.detach().numpy())
