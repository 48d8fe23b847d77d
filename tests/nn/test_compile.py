"""nn.compile: a recorded forward replayed as NumPy gives the eager module's numbers bit for
bit (training with each optimizer, float32 and float64, under no_grad), records again when
its signature changes, runs eagerly with one warning where it cannot replay (and raises
under fullgraph=True), and keeps PyTorch's OptimizedModule surface."""

from __future__ import annotations

import copy
import math
import random
import sys
import warnings

import numpy as np
import pytest

import nn
import optimizers
from tests.cases.models import CourseNet


class Tanh3(nn.Module):
    """An MLP with a custom forward: tanh, powers, roots, clamps, a transpose and its
    way back, a scaled sum, log_softmax."""

    def __init__(self):
        super().__init__()
        self.a, self.b = nn.Linear(4, 8), nn.Linear(8, 3)

    def forward(self, x):
        h = self.a(x).tanh()
        h = (h.pow(2) + 1.0).sqrt() * h.abs().clamp(0.05, 0.9)
        h = h.T.permute(1, 0) * 0.5 - 0.25
        return self.b(h).log_softmax(dim=1)


class JoinsAndSlices(nn.Module):
    """cat, stack, basic indexing (views, a negative step's worth of ints and slices)."""

    def __init__(self):
        super().__init__()
        self.a, self.b = nn.Linear(2, 4), nn.Linear(5, 1)

    def forward(self, x):
        h = nn.cat([self.a(x).tanh(), x], dim=1)[:, 1:]
        h = nn.stack([h, h * 2], 0).sum(0) + x[:, -1:]
        return self.b(h).sigmoid()


class InPlace(nn.Module):
    """In-place ops on intermediate values, as torchvision's blocks write them: ReLU with
    inplace=True, a residual added with +=, a scale with mul_, the output's sigmoid_."""

    def __init__(self):
        super().__init__()
        self.a, self.b, self.c = nn.Linear(2, 4), nn.Linear(4, 4), nn.Linear(4, 1)
        self.relu = nn.ReLU(inplace=True)

    def forward(self, x):
        identity = self.relu(self.a(x))
        out = self.b(identity)
        out += identity
        out.mul_(0.5)
        return self.c(self.relu(out)).sigmoid_()


MODELS = {
    "course net": lambda: CourseNet(he_init=True),
    "sequential": lambda: nn.Sequential(nn.Linear(2, 6), nn.ReLU(), nn.Linear(6, 1), nn.Sigmoid()),
    "custom forward": Tanh3,
    "joins and slices": JoinsAndSlices,
    "cnn": lambda: nn.Sequential(
        nn.Conv2d(1, 4, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(4, 4, 3, groups=2), nn.AvgPool2d(2, ceil_mode=True, count_include_pad=False),
        nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(4, 3), nn.LogSoftmax(dim=1),
    ),
    "conv1d and embedding": lambda: nn.Sequential(
        nn.Embedding(10, 4), nn.Unflatten(1, (1, 3)), nn.Flatten(2), nn.Conv1d(1, 2, 3),
        nn.MaxPool1d(2), nn.Flatten(), nn.Linear(10, 3), nn.LogSoftmax(dim=1),
    ),
    "in place": InPlace,
}  # fmt: skip
OPTIMIZERS = {
    "sgd": lambda ps: optimizers.SGD(ps, lr=0.1),
    "momentum": lambda ps: optimizers.Momentum(ps, lr=0.1, beta=0.9),
    "adam": lambda ps: optimizers.Adam(ps, lr=0.01),
}


def _data(name, dtype, rng):
    if name == "cnn":
        return (
            rng.standard_normal((16, 1, 9, 9)).astype(dtype),
            rng.integers(0, 3, 16),
            nn.NLLLoss(),
        )
    if name == "conv1d and embedding":
        return rng.integers(0, 10, (16, 3)), rng.integers(0, 3, 16), nn.NLLLoss()
    features = 4 if name == "custom forward" else 2
    x = rng.standard_normal((16, features)).astype(dtype)
    if name == "custom forward":
        return x, rng.integers(0, 3, 16), nn.NLLLoss()
    return x, (rng.random((16, 1)) > 0.5).astype(dtype), nn.BCELoss()


def _train(model, forward, optimizer, loss_fn, batches):
    losses = []
    for x, y in batches:
        optimizer.zero_grad()
        loss = loss_fn(forward(nn.tensor(x)), nn.tensor(y))
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return losses, [p.detach().numpy().copy() for p in model.parameters()]


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("opt", sorted(OPTIMIZERS))
@pytest.mark.parametrize("name", sorted(MODELS))
def test_training_compiled_is_training_eagerly_bit_for_bit(name, opt, dtype):
    rng = np.random.default_rng(0)
    batches = [_data(name, dtype, rng)[:2] for _ in range(20)]
    loss_fn = _data(name, dtype, rng)[2]
    nn.manual_seed(0)
    eager = MODELS[name]().to(dtype)
    nn.manual_seed(0)
    model = MODELS[name]().to(dtype)
    compiled = nn.compile(model)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # (no fallback: every step after the first replays)
        theirs = _train(eager, eager, OPTIMIZERS[opt](eager.parameters()), loss_fn, batches)
        ours = _train(model, compiled, OPTIMIZERS[opt](model.parameters()), loss_fn, batches)
    assert ours[0] == theirs[0]
    for a, b in zip(ours[1], theirs[1], strict=True):
        assert a.dtype == dtype and np.array_equal(a, b)
    assert type(compiled(nn.tensor(batches[0][0])).grad_fn).__name__ == ("CompiledFunctionBackward")


def test_a_replayed_lookup_checks_each_batchs_indices():
    """NumPy would wrap a negative index: the rule raises PyTorch's IndexError, replayed
    too; a max_norm lookup (it rescales rows in place) runs eagerly."""
    compiled = nn.compile(nn.Sequential(nn.Embedding(10, 4), nn.Flatten()))
    compiled(nn.tensor([[1, 2, 3]]))
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # (replayed, not eagerly)
        assert compiled(nn.tensor([[4, 5, 6]])).shape == (1, 12)
        for bad in (-1, 10):
            with pytest.raises(IndexError, match="index out of range"):
                compiled(nn.tensor([[1, 2, bad]]))
    renormed = nn.compile(nn.Embedding(10, 4, max_norm=0.5))
    with pytest.warns(UserWarning, match="runs eagerly .*rows_checked"):
        renormed(nn.tensor([1, 2]))


def test_under_no_grad_it_replays_without_a_graph():
    net = CourseNet(he_init=True)
    compiled = nn.compile(net)
    x = nn.randn(5, 2)
    with nn.no_grad():
        first, second = compiled(x), compiled(x)
        expected = net(x)
    assert second.grad_fn is None and not second.requires_grad
    assert np.array_equal(first.numpy(), expected.numpy())
    assert np.array_equal(second.numpy(), expected.numpy())


def test_a_changed_signature_records_again():
    net = nn.Sequential(nn.Linear(2, 3), nn.Tanh())
    compiled = nn.compile(net)
    for rows in (4, 4, 7):  # a new shape: a new recording
        x = nn.randn(rows, 2)
        assert np.array_equal(compiled(x).detach().numpy(), net(x).detach().numpy())
    net[0] = nn.Linear(2, 3)  # a replaced layer: recorded again, with its own weights
    x = nn.randn(4, 2)
    assert np.array_equal(compiled(x).detach().numpy(), net(x).detach().numpy())
    net[0].weight.requires_grad_(False)
    out = compiled(x)
    out.sum().backward()
    assert net[0].weight.grad is None and net[0].bias.grad is not None
    assert len(compiled._recordings) == 2  # (a key holds its newest guard)


@pytest.mark.parametrize(
    ("model", "reason"),
    [
        (nn.Sequential(nn.Linear(2, 3), nn.RReLU()), "not replayed"),
        (nn.Sequential(nn.Linear(2, 3), nn.Mish()), "not replayed"),
        (nn.Sequential(nn.Linear(2, 3), nn.Hardswish()), "not replayed"),
    ],
    ids=["random slopes", "mish", "hardswish"],
)
def test_what_cannot_be_replayed_runs_eagerly_with_one_warning(model, reason):
    compiled = nn.compile(model)
    x = nn.randn(6, 2)
    with pytest.warns(UserWarning, match=f"runs eagerly .*{reason}"):
        compiled(x)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # (once)
        nn.manual_seed(1)
        ours = compiled(x)
    nn.manual_seed(1)
    assert np.array_equal(ours.detach().numpy(), model(x).detach().numpy())
    with pytest.raises(RuntimeError, match="fullgraph=True"):
        nn.compile(model, fullgraph=True)(x)


def _assert_replayed(model, compiled, x):
    """Recorded without a warning, then replayed: one compiled node, the eager numbers."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        compiled(x)
        ours = compiled(x)
    assert type(ours.grad_fn).__name__ == "CompiledFunctionBackward"
    np.testing.assert_array_equal(ours.detach().numpy(), model(x).detach().numpy())


class ShiftsInPlace(nn.Module):
    def __init__(self):
        super().__init__()
        self.a, self.b = nn.Linear(4, 4), nn.Linear(4, 2)

    def forward(self, x):
        h = self.a(x)
        h += 1  # (in the graph: a rule; under no_grad: a ufunc into the array, no rule)
        return self.b(h)


def test_an_in_place_op_is_replayed_and_one_outside_the_rules_runs_eagerly():
    model = ShiftsInPlace()
    compiled = nn.compile(model)
    x = nn.randn(3, 4)
    _assert_replayed(model, compiled, x)
    with nn.no_grad(), pytest.warns(UserWarning, match="changed in place"):
        compiled(x)
    with nn.no_grad():
        np.testing.assert_array_equal(compiled(x).numpy(), model(x).numpy())
    with nn.no_grad(), pytest.raises(RuntimeError, match="changed in place"):
        nn.compile(model, fullgraph=True)(x)


class WritesThroughAView(nn.Module):
    def __init__(self):
        super().__init__()
        self.a = nn.Linear(3, 3)

    def forward(self, x):
        h = self.a(x)
        h[:, 0].add_(1.0)  # (a view: its base changes too)
        return h.tanh()


class WritesAnInput(nn.Module):
    def forward(self, x):
        return x.mul_(2).sum(1)


class WritesASavedValue(nn.Module):
    def __init__(self):
        super().__init__()
        self.a = nn.Linear(3, 3)

    def forward(self, x):
        h = self.a(x)
        y = h * h  # (saves h)
        h.add_(1)  # (eager's backward refuses: h was saved)
        return y + h


@pytest.mark.parametrize(
    ("model", "reason"),
    [
        (WritesThroughAView, "storage other arrays share"),
        (WritesAnInput, "changes a parameter, a buffer or an input"),
        (WritesASavedValue, "eager backward raises"),
    ],
)
def test_an_in_place_op_other_arrays_would_see_runs_eagerly(model, reason):
    nn.manual_seed(0)
    module = model()
    compiled = nn.compile(module)
    x = nn.randn(4, 3)
    with pytest.warns(UserWarning, match=reason):
        compiled(x.clone())
    ours, theirs = compiled(x.clone()), module(x.clone())
    np.testing.assert_array_equal(ours.detach().numpy(), theirs.detach().numpy())
    assert type(ours.grad_fn).__name__ != "CompiledFunctionBackward"
    if model is WritesASavedValue:
        with pytest.raises(RuntimeError, match="modified by an inplace operation"):
            ours.sum().backward()


def test_relu_in_place_replays_under_no_grad():
    nn.manual_seed(0)
    net = nn.Sequential(nn.Linear(3, 5), nn.ReLU(inplace=True), nn.Linear(5, 2)).eval()
    compiled = nn.compile(net)
    x = nn.randn(6, 3)
    with nn.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("error")
        compiled(x)
        np.testing.assert_array_equal(compiled(x).numpy(), net(x).numpy())


class ReadsAValue(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(2, 2)

    def forward(self, x):
        y = self.fc(x)
        return y.relu() if y.sum().item() > 0 else y.tanh()  # (the branch depends on values)


def test_a_value_read_in_python_runs_eagerly_never_the_wrong_branch():
    nn.manual_seed(0)
    model = ReadsAValue()
    compiled = nn.compile(model)
    with pytest.warns(UserWarning, match="Tensor.item"):
        compiled(nn.randn(3, 2))
    for _ in range(3):  # (each call eager)
        x = nn.randn(3, 2) * 3
        assert np.array_equal(compiled(x).detach().numpy(), model(x).detach().numpy())


def test_a_value_read_twice_sums_its_gradients_as_the_engine():
    """h feeds two ops (and x * x reads x twice): the replay adds the gradients in the
    engine's order, the latest reader's first, so training is eager's bit for bit."""

    class Residual(nn.Module):
        def __init__(self):
            super().__init__()
            self.fc, self.gate = nn.Linear(3, 3), nn.Linear(3, 3)

        def forward(self, x):
            h = self.fc(x)
            return h * self.gate(h).sigmoid() + h + x * x

    def train(compiled):
        nn.manual_seed(0)
        model = Residual()
        forward = nn.compile(model) if compiled else model
        opt = optimizers.Adam(model.parameters(), lr=0.01)
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            for _ in range(10):
                x = nn.randn(4, 3, requires_grad=True)
                opt.zero_grad()
                forward(x).pow(2).mean().backward()
                opt.step()
        return [p.detach().numpy() for p in model.parameters()], x.grad.numpy()

    ours, theirs = train(True), train(False)
    assert all(np.array_equal(a, b) for a, b in zip(ours[0], theirs[0], strict=True))
    assert np.array_equal(ours[1], theirs[1])


def test_a_weight_changed_in_place_before_backward_is_refused():
    net = nn.Sequential(nn.Linear(2, 2), nn.Tanh())
    compiled = nn.compile(net)
    x = nn.randn(3, 2)
    compiled(x)
    out = compiled(x)
    with nn.no_grad():
        net[0].weight.add_(1.0)
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        out.sum().backward()


def test_signatures_beyond_the_limit_run_eagerly():
    net = nn.Sequential(nn.Linear(2, 2), nn.Tanh())
    compiled = nn.compile(net)
    from nn.compiled import CACHE_LIMIT

    for rows in range(1, CACHE_LIMIT + 1):
        compiled(nn.randn(rows, 2))
    with pytest.warns(UserWarning, match="signatures recorded already"):
        x = nn.randn(CACHE_LIMIT + 5, 2)
        assert np.array_equal(compiled(x).detach().numpy(), net(x).detach().numpy())


def test_the_optimized_module_surface_is_pytorchs():
    net = CourseNet()
    compiled = nn.compile(net)
    assert compiled._orig_mod is net and compiled.layer1 is net.layer1
    assert sorted(compiled.state_dict()) == sorted(f"_orig_mod.{k}" for k in net.state_dict())
    assert [id(p) for p in compiled.parameters()] == [id(p) for p in net.parameters()]
    compiled.eval()
    assert not net.training
    assert nn.compile(net, disable=True) is net
    assert isinstance(nn.compile(mode="reduce-overhead")(net), nn.Module)
    step = optimizers.SGD(net.parameters(), lr=0.1).step
    assert nn.compile(step) is step  # (a function runs eagerly)
    with pytest.raises(RuntimeError, match="Unrecognized mode"):
        nn.compile(net, mode="fastest")


def test_attributes_of_the_optimized_module_are_the_original_modules():
    """As PyTorch's OptimizedModule: set, read and deleted on the original; training
    mirrors it; len() and dir() are the original's."""
    net = nn.Sequential(nn.Linear(2, 3), nn.Dropout(0.5))
    compiled = nn.compile(net)
    compiled.scale = 2.0
    assert net.scale == 2.0 and compiled.scale == 2.0
    del compiled.scale
    assert not hasattr(net, "scale")
    net.eval()
    assert compiled.training is False
    compiled.train()
    assert net.training and net[1].training
    assert len(compiled) == 2 and "append" in dir(compiled)
    with pytest.raises(TypeError, match="Linear does not support len"):
        len(nn.compile(nn.Linear(2, 2)))
    copied = copy.deepcopy(compiled)
    assert copied._orig_mod is not net and len(copied) == 2


@pytest.mark.parametrize(
    ("options", "error", "message"),
    [
        ({"mode": "fastest"}, RuntimeError, "Unrecognized mode=fastest"),
        ({"mode": "max-autotune", "options": {}}, RuntimeError, "Either mode or options"),
        ({"backend": "fast"}, RuntimeError, "Invalid backend: 'fast'"),
        ({"backend": lambda gm, inputs: gm.forward}, NotImplementedError, "FX GraphModule"),
        ({"dynamic": 1}, AssertionError, "Expected enable to be a bool"),
    ],
)
def test_options_are_checked_as_torch_compile_checks_them(options, error, message):
    with pytest.raises(error, match=message):
        nn.compile(CourseNet(), **options)
    with pytest.raises(error, match=message):
        nn.compile(**options)
    with pytest.raises(AssertionError, match="A callable function is expected"):
        nn.compile(3)
    for name in ("inductor", "eager", "aot_eager"):
        assert isinstance(nn.compile(CourseNet(), backend=name, dynamic=True), nn.Module)
    assert isinstance(nn.compile(CourseNet(), mode="lite", dynamic=False), nn.Module)


class Detaches(nn.Module):
    def __init__(self):
        super().__init__()
        self.a, self.b = nn.Linear(2, 3), nn.Linear(3, 1)

    def forward(self, x):
        return self.b(self.a(x).tanh().detach())  # (a's parameters get no gradient)


def test_a_detached_value_stops_the_replayed_gradient_as_in_eager():
    model = Detaches()
    compiled = nn.compile(model)
    x = nn.randn(4, 2)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        compiled(x)
        compiled(x).sum().backward()
    assert model.a.weight.grad is None and model.b.weight.grad is not None
    ours = model.b.weight.grad.numpy().copy()
    model.zero_grad()
    model(x).sum().backward()
    assert np.array_equal(ours, model.b.weight.grad.numpy())


def test_a_parameter_replaced_by_one_of_the_same_shape_is_recorded_again():
    net = nn.Sequential(nn.Linear(2, 2), nn.Tanh())
    compiled = nn.compile(net)
    x = nn.randn(3, 2)
    compiled(x)
    net[0].weight = nn.Parameter(net[0].weight.detach() * 2)  # (identity, not values, counts)
    assert np.array_equal(compiled(x).detach().numpy(), net(x).detach().numpy())


class Scaled(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc, self.scale = nn.Linear(2, 2), 2.0

    def forward(self, x):
        return self.fc(x).tanh() * self.scale


def test_a_changed_module_attribute_records_again():
    model = Scaled()
    compiled = nn.compile(model)
    x = nn.randn(3, 2)
    compiled(x)
    model.scale = 3.0
    assert np.array_equal(compiled(x).detach().numpy(), model(x).detach().numpy())


def test_a_module_with_hooks_runs_eagerly_with_its_hooks():
    model = nn.Sequential(nn.Linear(2, 2), nn.Tanh())
    calls = []
    model[1].register_forward_hook(lambda m, i, o: calls.append(1))
    compiled = nn.compile(model)
    with pytest.warns(UserWarning, match="forward hooks"):
        compiled(nn.randn(3, 2))
    compiled(nn.randn(3, 2))
    assert len(calls) == 2


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_normalisation_and_activation_layers_replay_bit_for_bit(dtype):
    """BatchNorm in eval mode (its running statistics read, not changed), LayerNorm, GELU,
    SiLU, Softplus, ELU, LeakyReLU: recorded, replayed, and trained as eagerly."""
    nn.manual_seed(0)

    def make():
        nn.manual_seed(0)
        return nn.Sequential(
            nn.Linear(3, 8), nn.BatchNorm1d(8), nn.GELU(), nn.Linear(8, 8), nn.LayerNorm(8),
            nn.SiLU(), nn.Linear(8, 8), nn.Softplus(), nn.ELU(), nn.LeakyReLU(0.1),
            nn.GELU(approximate="tanh"), nn.Linear(8, 1),
        ).to(dtype)  # fmt: skip

    eager, model = make(), make()
    warm = nn.randn(32, 3).to(dtype)
    for m in (eager, model):
        m(warm)  # (running statistics that are not the initial ones)
        m.eval()
    compiled = nn.compile(model)
    rng = np.random.default_rng(1)
    batches = [
        (rng.standard_normal((16, 3)).astype(dtype), rng.standard_normal((16, 1)).astype(dtype))
        for _ in range(10)
    ]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        theirs = _train(eager, eager, OPTIMIZERS["adam"](eager.parameters()), nn.MSELoss(), batches)
        ours = _train(
            model, compiled, OPTIMIZERS["adam"](model.parameters()), nn.MSELoss(), batches
        )
    assert ours[0] == theirs[0]
    for a, b in zip(ours[1], theirs[1], strict=True):
        assert np.array_equal(a, b)


def _squares_descended(model, compiled, steps, rows, features):
    """The losses of ``steps`` SGD steps on mean(model(x)**2), x drawn each step (the model
    compiled or not; a fallback to eager is an error)."""
    forward = nn.compile(model) if compiled else model
    opt = optimizers.SGD(model.parameters(), lr=0.1)
    losses = []
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for _ in range(steps):
            opt.zero_grad()
            loss = forward(nn.randn(rows, features)).pow(2).mean()
            loss.backward()
            opt.step()
            losses.append(loss.item())
    return losses


@pytest.mark.parametrize("explicit", [False, True], ids=["default generator", "a Generator"])
def test_dropout_replays_the_eager_draws(explicit):
    """The masks a replay draws are the eager module's, from the same stream; the proof
    leaves the stream where the eager call alone would."""

    class Net(nn.Module):
        def __init__(self, generator):
            super().__init__()
            self.fc, self.out, self.generator = nn.Linear(4, 16), nn.Linear(16, 1), generator

        def forward(self, x):
            h = nn.F.dropout(self.fc(x).relu(), 0.3, self.training, generator=self.generator)
            return self.out(h)

    def run(compiled):
        nn.manual_seed(0)
        generator = nn.Generator().manual_seed(5) if explicit else None
        model = Net(generator)
        losses = _squares_descended(model, compiled, steps=8, rows=10, features=4)
        after = nn.rand(3, generator=generator).numpy()  # (the next draws of the stream)
        return losses, [p.detach().numpy() for p in model.parameters()], after

    ours, theirs = run(True), run(False)
    assert ours[0] == theirs[0]
    assert all(np.array_equal(a, b) for a, b in zip(ours[1], theirs[1], strict=True))
    assert np.array_equal(ours[2], theirs[2])  # (the stream continues as eagerly)


def test_recording_leaves_the_callers_graph_alone():
    """The proof runs on inputs of its own: a retained gradient upstream of the compiled
    module gets what eager gives it, on the recording call too."""
    nn.manual_seed(0)
    first, second = nn.Linear(3, 4), nn.Linear(4, 2)
    compiled = nn.compile(second)
    x = nn.randn(5, 3)
    grads = []
    for forward in (second, compiled, compiled):
        h = first(x)
        h.retain_grad()
        forward(h.tanh()).sum().backward()
        grads.append(h.grad.numpy().copy())
    assert np.array_equal(grads[0], grads[1]) and np.array_equal(grads[0], grads[2])


@pytest.mark.parametrize("momentum", [0.1, None], ids=["momentum", "cumulative"])
def test_batchnorm_in_training_replays_its_running_statistics(momentum):
    """The batch statistics and the running ones' in-place update are recorded steps: a
    compiled model trains as eagerly (losses, weights, running statistics, batches
    counted, the buffers' versions), and its proof leaves the buffers as the call did."""

    def run(compiled):
        nn.manual_seed(0)
        model = nn.Sequential(
            nn.Linear(3, 6), nn.BatchNorm1d(6, momentum=momentum), nn.ReLU(), nn.Linear(6, 1)
        )
        losses = _squares_descended(model, compiled, steps=6, rows=8, features=3)
        bn = model[1]
        stats = [b.numpy().copy() for b in bn.buffers()]
        versions = [bn.running_mean._version, bn.running_var._version]
        return losses, [p.detach().numpy() for p in model.parameters()], stats, versions

    ours, theirs = run(True), run(False)
    assert ours[0] == theirs[0] and ours[3] == theirs[3]
    assert all(np.array_equal(a, b) for a, b in zip(ours[1], theirs[1], strict=True))
    assert all(np.array_equal(a, b) for a, b in zip(ours[2], theirs[2], strict=True))


def test_train_and_eval_keep_a_recording_each():
    model = nn.Sequential(nn.Linear(2, 4), nn.BatchNorm1d(4), nn.Dropout(0.2), nn.Linear(4, 1))
    compiled = nn.compile(model)
    x = nn.randn(6, 2)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for _ in range(3):
            compiled.train()
            compiled(x)
            compiled.eval()
            with nn.no_grad():
                compiled(x)
            compiled(x)
    assert sum(map(len, compiled._recordings.values())) == 3  # (train, eval, eval no_grad)


calls_made = 0


class Effects(nn.Module):
    """A forward with one Python effect (each subclass's), which must happen once a call."""

    def __init__(self):
        super().__init__()
        self.fc, self.seen, self.stats = nn.Linear(2, 2), [], {"calls": 0}


class Appends(Effects):
    def forward(self, x):
        self.seen.append(x.shape)
        return self.fc(x).tanh()


class CountsInADict(Effects):
    def forward(self, x):
        self.stats["calls"] += 1
        return self.fc(x).tanh()


class CountsInAGlobal(Effects):
    def forward(self, x):
        global calls_made
        calls_made += 1
        return self.fc(x).tanh()


class Prints(Effects):
    def forward(self, x):
        print("forward")
        return self.fc(x).tanh()


class KeepsTheLast(Effects):
    def forward(self, x):
        self.last = self.fc(x)
        return self.last.tanh()


class DrawsFromPython(Effects):
    def forward(self, x):
        h = self.fc(x)
        return h if random.random() < 0.5 else h.tanh()  # (replayed: never another branch)


@pytest.mark.parametrize(
    ("model", "reason", "count"),
    [
        (Appends, "calls list.append", lambda m, out: len(m.seen)),
        (CountsInADict, "STORE_SUBSCR", lambda m, out: m.stats["calls"]),
        (CountsInAGlobal, "STORE_GLOBAL calls_made", lambda m, out: calls_made),
        (Prints, "calls print", lambda m, out: out.count("forward")),
        (KeepsTheLast, "STORE_ATTR last", lambda m, out: 3),
        (DrawsFromPython, "calls Random.random", lambda m, out: 3),
    ],
)
def test_a_forward_with_python_effects_runs_eagerly_each_effect_once_a_call(
    model, reason, count, capsys
):
    """A replay would not repeat the effect, and the recording's proof would repeat it:
    after three calls, it happened three times, as in PyTorch."""
    global calls_made
    calls_made = 0
    random.seed(0)
    module = model()
    compiled = nn.compile(module)
    branches = set()
    with pytest.warns(UserWarning, match=reason):
        for _ in range(3):
            out = compiled(nn.randn(3, 2))
            branches.add(type(out.grad_fn).__name__)
    assert count(module, capsys.readouterr().out) == 3
    assert "CompiledFunctionBackward" not in branches
    if model is DrawsFromPython:  # (seed 0: 0.84, 0.76, 0.42)
        assert branches == {"TanhBackward0", "AddmmBackward0"}


class ReadsPython(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc, self.settings = nn.Linear(2, 2), {"scale": 2.0}

    def forward(self, x):
        parts = [self.fc(x) for _ in range(2)]  # (a comprehension: stores its own list)
        scale = math.sqrt(self.settings.get("scale")) * len(parts)
        return (parts[0] + parts[1]).tanh() / max(scale, 1.0)


def test_a_forward_that_only_reads_python_values_is_replayed():
    nn.manual_seed(0)
    module = ReadsPython()
    _assert_replayed(module, nn.compile(module), nn.randn(3, 2))


def test_under_a_profiler_the_forward_runs_eagerly():
    compiled = nn.compile(ReadsPython())
    sys.setprofile(lambda frame, event, arg: None)
    try:
        with pytest.warns(UserWarning, match="a profiler is watching"):
            compiled(nn.randn(3, 2))
    finally:
        sys.setprofile(None)


EVERY_OPTIMIZER = {
    "BatchGD": {"lr": 0.1},
    "SGD": {"lr": 0.1, "momentum": 0.9, "nesterov": True},
    "Momentum": {"lr": 0.1, "beta": 0.9},
    "Adam": {"lr": 0.01, "amsgrad": True},
    "AdamW": {"lr": 0.01},
    "Adamax": {"lr": 0.01},
    "NAdam": {"lr": 0.01},
    "RAdam": {"lr": 0.01},
    "RMSprop": {"lr": 0.01, "momentum": 0.5},
    "Adagrad": {"lr": 0.1},
    "Adadelta": {},
    "Adafactor": {"lr": 0.01},
    "ASGD": {"lr": 0.01},
    "Rprop": {"lr": 0.01},
    "Muon": {"lr": 0.01},
    "LBFGS": {"lr": 0.5, "max_iter": 3},
}


@pytest.mark.parametrize("name", sorted(EVERY_OPTIMIZER))
def test_every_optimizer_trains_a_compiled_model_as_the_eager_one(name):
    rng = np.random.default_rng(1)
    batches = [_data("joins and slices", np.float32, rng)[:2] for _ in range(20)]
    loss_fn = nn.BCELoss()

    def train(compiled):
        nn.manual_seed(0)
        model = JoinsAndSlices()
        forward = nn.compile(model) if compiled else model
        params = [p for p in model.parameters() if p.ndim == 2] if name == "Muon" else None
        opt = getattr(optimizers, name)(params or model.parameters(), **EVERY_OPTIMIZER[name])
        for x, y in batches:

            def closure(x=x, y=y):
                opt.zero_grad()
                loss = loss_fn(forward(nn.tensor(x)), nn.tensor(y))
                loss.backward()
                return loss

            opt.step(closure)
        return [p.detach().numpy() for p in model.parameters()]

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ours, theirs = train(True), train(False)
    assert all(np.array_equal(a, b) for a, b in zip(ours, theirs, strict=True))
