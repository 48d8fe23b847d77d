"""A mistake gets an exception of the documented type whose message names what was expected
and what came. One row per case: (what is done, exception type, message pattern)."""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np
import pytest

import data
import nn
import optimizers
from data.datasets import make_moons
from optimizers.lr_scheduler import InverseTimeLR, StepLR


def p(*shape):
    return nn.Parameter(np.zeros(shape or (2,)))


def backward_twice():
    x = nn.tensor([1.0], requires_grad=True)
    y = (x * 2).sum()
    y.backward()
    y.backward()


def parameter_before_init():
    class Net(nn.Module):
        def __init__(self):
            self.w = nn.Parameter(np.zeros(1))
            super().__init__()

    Net()


def module_before_init():
    class Net(nn.Module):
        def __init__(self):
            self.layer = nn.Linear(1, 1)
            super().__init__()

    Net()


def with_sd(change):
    layer = nn.Linear(2, 3)
    sd = layer.state_dict()
    change(sd)
    layer.load_state_dict(sd)


def optimizer_load(change):
    a, b = p(), p()
    opt = optimizers.Adam([a, b])
    sd = opt.state_dict()
    change(sd)
    opt.load_state_dict(sd)


def anomaly():
    with nn.detect_anomaly():
        nn.tensor([-1.0], requires_grad=True).sqrt().sum().backward()


def nonfinite_clip():
    w = p()
    w.grad = np.array([np.inf, 1.0])
    nn.utils.clip_grad_norm_([w], 1.0, error_if_nonfinite=True)


def random_bytes_checkpoint(tmp_path):
    path = tmp_path / "junk.npz"
    path.write_bytes(b"\x00garbage" * 10)
    nn.load(path)


CASES = [
    # ------------------------------------------------------------- shapes
    (
        "linear-wrong-features",
        lambda: nn.Linear(3, 5)(np.ones((64, 4))),
        RuntimeError,
        r"64x4 and 3x5.*\(64, 4\)",
    ),
    (
        "linear-scalar-input",
        lambda: nn.Linear(3, 5)(np.float64(1.0)),
        RuntimeError,
        r"Linear\(3, 5\)",
    ),
    (
        "matmul-shapes",
        lambda: nn.tensor(np.ones((2, 3))) @ nn.tensor(np.ones((4, 5))),
        RuntimeError,
        r"2x3 and 4x5",
    ),
    (
        "matmul-scalar",
        lambda: nn.tensor(np.ones(3)) @ nn.tensor(2.0),
        RuntimeError,
        "need to be at least 1D",
    ),
    (
        "add-broadcast",
        lambda: nn.tensor(np.ones((2, 3))) + nn.tensor(np.ones(4)),
        RuntimeError,
        r"\(2, 3\).*\(4,\)",
    ),
    (
        "mse-shapes",
        lambda: nn.MSELoss()(nn.tensor(np.ones((3, 2))), nn.tensor(np.ones(4))),
        RuntimeError,
        r"\(3, 2\).*\(4,\)",
    ),
    (
        "bce-shapes",
        lambda: nn.BCELoss()(nn.tensor([0.5, 0.5]), nn.tensor([1.0])),
        ValueError,
        r"\(1,\).*\(2,\)",
    ),
    (
        "bce-logits-shapes",
        lambda: nn.BCEWithLogitsLoss()(nn.tensor([[0.5]]), nn.tensor([1.0])),
        RuntimeError,
        r"\(1,\).*\(1, 1\)",
    ),
    (
        "ce-target-shape",
        lambda: nn.CrossEntropyLoss()(nn.tensor([[0.0, 1.0]]), nn.tensor([0, 1])),
        RuntimeError,
        r"\(1,\), got \(2,\)",
    ),
    (
        "ce-prob-shape",
        lambda: nn.CrossEntropyLoss()(nn.tensor([[0.0, 1.0]]), nn.tensor([0.5])),
        RuntimeError,
        "probability targets",
    ),
    (
        "ce-weight-shape",
        lambda: nn.CrossEntropyLoss(weight=np.ones(3))(nn.tensor([[0.0, 1.0]]), nn.tensor([0])),
        RuntimeError,
        r"weight must have shape \(2,\)",
    ),
    (
        "view-size",
        lambda: nn.tensor(np.ones(12)).view(5, 5),
        RuntimeError,
        "invalid for input of size 12",
    ),
    (
        "dim-range",
        lambda: nn.tensor(np.ones((2, 2))).sum(dim=3),
        IndexError,
        "Dimension out of range",
    ),
    ("batchnorm-1d-input", lambda: nn.BatchNorm1d(3)(np.ones(3)), RuntimeError, "2D or 3D"),
    (
        "batchnorm-channels",
        lambda: nn.BatchNorm1d(3)(np.ones((4, 2))),
        RuntimeError,
        r"has 2 channels",
    ),
    (
        "batchnorm-one-sample",
        lambda: nn.BatchNorm1d(3)(np.ones((1, 3))),
        ValueError,
        "more than 1 value per channel",
    ),
    # ----------------------------------------------------- dtypes and data
    ("tensor-of-strings", lambda: nn.tensor(["a", "b"]), TypeError, "could not make a Tensor"),
    (
        "int-requires-grad",
        lambda: nn.tensor([1, 2], requires_grad=True),
        RuntimeError,
        "floating point",
    ),
    ("linear-strings", lambda: nn.Linear(2, 1)([["a", "b"]]), TypeError, "list of numbers"),
    (
        "bce-int-target",
        lambda: nn.BCELoss()(nn.tensor([0.5]), nn.tensor([1])),
        TypeError,
        "Found dtype Long but expected Float",
    ),
    (
        "bce-logits-int-target",
        lambda: nn.BCEWithLogitsLoss()(nn.tensor([0.5]), np.array([1])),
        TypeError,
        "target must be floating point",
    ),
    (
        "mse-int-input",
        lambda: nn.MSELoss()(nn.tensor([1]), nn.tensor([2])),
        TypeError,
        "not implemented for 'Long'",
    ),
    (
        "ce-string-target",
        lambda: nn.CrossEntropyLoss()(nn.tensor([[0.0, 1.0]]), np.array([True])),
        TypeError,
        "class indices",
    ),
    (
        "ce-class-too-big",
        lambda: nn.CrossEntropyLoss()(nn.tensor([[0.0, 1.0]]), nn.tensor([2])),
        IndexError,
        "Target 2 is out of bounds",
    ),
    (
        "ce-class-negative",
        lambda: nn.CrossEntropyLoss()(nn.tensor([[0.0, 1.0]]), nn.tensor([-1])),
        ValueError,
        "Target -1 is out of bounds",
    ),
    (
        "bce-out-of-range",
        lambda: nn.BCELoss()(nn.tensor([1.5]), nn.tensor([1.0])),
        RuntimeError,
        "between 0 and 1",
    ),
    (
        "bce-nan-input",
        lambda: nn.BCELoss()(nn.tensor([np.nan]), nn.tensor([1.0])),
        RuntimeError,
        "between 0 and 1",
    ),
    (
        "loss-reduction",
        lambda: nn.MSELoss(reduction="avg"),
        ValueError,
        "'avg' is not a valid value for reduction",
    ),
    (
        "default-dtype",
        lambda: nn.set_default_dtype(np.int32),
        TypeError,
        "float32 or float64, got int32",
    ),
    ("anomaly-nan", anomaly, RuntimeError, "Function 'SqrtBackward0' returned nan values"),
    # ------------------------------------------------------------ autograd
    (
        "backward-non-scalar",
        lambda: (nn.tensor([1.0, 2.0], requires_grad=True) * 2).backward(),
        RuntimeError,
        r"scalar outputs.*\(2,\)",
    ),
    ("backward-twice", backward_twice, RuntimeError, "second time"),
    (
        "backward-no-grad",
        lambda: nn.tensor([1.0]).sum().backward(),
        RuntimeError,
        "does not require grad",
    ),
    (
        "backward-gradient-shape",
        lambda: (nn.tensor([1.0], requires_grad=True) * 2).backward(np.ones(2)),
        RuntimeError,
        r"grad_output\[0\] has a shape of \(2,\)",
    ),
    ("item-of-many", lambda: nn.tensor([1.0, 2.0]).item(), RuntimeError, "2 elements"),
    (
        "inplace-on-leaf",
        lambda: nn.tensor([1.0], requires_grad=True).__setitem__(0, 2.0),
        RuntimeError,
        "in-place",
    ),
    (
        "gradcheck-no-inputs",
        lambda: nn.gradcheck(lambda x: x, (nn.tensor([1.0]),)),
        ValueError,
        "require gradient",
    ),
    # -------------------------------------------------------------- modules
    (
        "parameter-before-init",
        parameter_before_init,
        AttributeError,
        r"parameter 'w' before Module.__init__",
    ),
    (
        "module-before-init",
        module_before_init,
        AttributeError,
        r"module 'layer' before Module.__init__",
    ),
    (
        "array-as-parameter",
        lambda: setattr(nn.Linear(2, 2), "weight", np.zeros((2, 2))),
        TypeError,
        "parameter 'weight'",
    ),
    (
        "sd-missing",
        lambda: with_sd(lambda sd: sd.pop("bias")),
        RuntimeError,
        r'Missing key\(s\) in state_dict: "bias"',
    ),
    (
        "sd-unexpected",
        lambda: with_sd(lambda sd: sd.update(extra=np.zeros(1))),
        RuntimeError,
        r'Unexpected key\(s\) in state_dict: "extra"',
    ),
    (
        "sd-shape",
        lambda: with_sd(lambda sd: sd.update(weight=np.zeros((3, 3)))),
        RuntimeError,
        r"size mismatch for weight.*\(3, 3\).*\(3, 2\)",
    ),
    (
        "sd-not-numeric",
        lambda: with_sd(lambda sd: sd.update(bias="zeros")),
        RuntimeError,
        'value for "bias" must be a numeric array',
    ),
    (
        "sd-not-a-dict",
        lambda: nn.Linear(1, 1).load_state_dict([1, 2]),
        TypeError,
        "dict-like, got list",
    ),
    (
        "linear-float-size",
        lambda: nn.Linear(2.5, 3),
        TypeError,
        "in_features must be an int, got float",
    ),
    (
        "linear-negative-size",
        lambda: nn.Linear(-1, 3),
        ValueError,
        "in_features must be non-negative, got -1",
    ),
    (
        "linear-bool-size",
        lambda: nn.Linear(True, 3),
        TypeError,
        "in_features must be an int, got bool",
    ),
    ("dropout-p", lambda: nn.Dropout(1.5), ValueError, "between 0 and 1, but got 1.5"),
    ("dropout-nan", lambda: nn.Dropout(float("nan")), ValueError, "but got nan"),
    ("train-mode", lambda: nn.Linear(1, 1).train("yes"), ValueError, "boolean"),
    # ------------------------------------------------------ init and utils
    (
        "init-1d",
        lambda: nn.init.kaiming_normal_(p(3)),
        ValueError,
        r"fewer than 2 dimensions, got shape \(3,\)",
    ),
    (
        "init-mode",
        lambda: nn.init.kaiming_normal_(p(2, 2), mode="fan_avg"),
        ValueError,
        "Mode fan_avg not supported",
    ),
    (
        "init-bounds",
        lambda: nn.init.uniform_(p(2, 2), 2.0, 1.0),
        ValueError,
        "a <= b, got a=2.0, b=1.0",
    ),
    (
        "init-generator",
        lambda: nn.init.normal_(p(2, 2), generator="seed"),
        TypeError,
        "generator must be",
    ),
    ("manual-seed-overflow", lambda: nn.manual_seed(2**64), ValueError, "Overflow"),
    ("manual-seed-type", lambda: nn.manual_seed("1"), TypeError, "seed must be an int, got str"),
    ("rng-state", lambda: nn.set_rng_state({"x": 1}), TypeError, "get_rng_state"),
    ("rng-state-size", lambda: nn.set_rng_state(nn.zeros(3, dtype=nn.uint8)), RuntimeError, "2520"),
    ("clip-nonfinite", nonfinite_clip, RuntimeError, "non-finite"),
    ("clip-set", lambda: nn.utils.clip_grad_norm_({p()}, 1.0), TypeError, "got a set"),
    (
        "vector-type",
        lambda: nn.utils.vector_to_parameters([1.0, 2.0], [p()]),
        TypeError,
        "expected a Tensor, but got: list",
    ),
    # ------------------------------------------------------- checkpoints
    (
        "save-function",
        lambda: nn.save({"f": lambda x: x}, Path(tempfile.gettempdir()) / "never-written.npz"),
        TypeError,
        r"function \(at obj\['f'\]\)",
    ),
    ("load-missing", lambda: nn.load("/nonexistent/ckpt.npz"), FileNotFoundError, "ckpt.npz"),
    # ---------------------------------------------------------- optimizers
    ("lr-negative", lambda: optimizers.SGD([p()], lr=-1), ValueError, "Invalid learning rate: -1"),
    (
        "lr-nan",
        lambda: optimizers.Adam([p()], lr=float("nan")),
        ValueError,
        "Invalid learning rate: nan",
    ),
    ("lr-string", lambda: optimizers.SGD([p()], lr="0.1"), ValueError, "learning rate.*str"),
    ("lr-bool", lambda: optimizers.SGD([p()], lr=True), ValueError, "learning rate.*bool"),
    (
        "beta1-one",
        lambda: optimizers.Adam([p()], betas=(1.0, 0.999)),
        ValueError,
        "beta parameter at index 0: 1.0",
    ),
    (
        "beta2-nan",
        lambda: optimizers.Adam([p()], betas=(0.9, float("nan"))),
        ValueError,
        "beta parameter at index 1: nan",
    ),
    ("betas-not-pair", lambda: optimizers.Adam([p()], betas=0.9), ValueError, "pair"),
    (
        "eps-negative",
        lambda: optimizers.Adam([p()], eps=-1),
        ValueError,
        "Invalid epsilon value: -1",
    ),
    (
        "weight-decay-negative",
        lambda: optimizers.AdamW([p()], weight_decay=-0.1),
        ValueError,
        "Invalid weight_decay value: -0.1",
    ),
    (
        "weight-decay-nan",
        lambda: optimizers.SGD([p()], lr=0.1, weight_decay=float("nan")),
        ValueError,
        "weight_decay value: nan",
    ),
    (
        "momentum-negative",
        lambda: optimizers.SGD([p()], lr=0.1, momentum=-0.5),
        ValueError,
        "Invalid momentum value: -0.5",
    ),
    (
        "momentum-nan",
        lambda: optimizers.RMSprop([p()], momentum=float("nan")),
        ValueError,
        "momentum value: nan",
    ),
    (
        "nesterov-no-momentum",
        lambda: optimizers.SGD([p()], lr=0.1, nesterov=True),
        ValueError,
        "Nesterov momentum requires",
    ),
    (
        "course-beta-one",
        lambda: optimizers.Momentum([p()], lr=0.1, beta=1.0),
        ValueError,
        r"Invalid beta value: 1.0 \(must be in \[0, 1\)\)",
    ),
    (
        "rmsprop-alpha",
        lambda: optimizers.RMSprop([p()], alpha=-0.1),
        ValueError,
        "Invalid alpha value: -0.1",
    ),
    (
        "adagrad-lr-decay",
        lambda: optimizers.Adagrad([p()], lr_decay=-1),
        ValueError,
        "Invalid lr_decay value: -1",
    ),
    ("empty-params", lambda: optimizers.SGD([], lr=0.1), ValueError, "empty parameter list"),
    (
        "duplicate-params",
        lambda: optimizers.SGD([q := p(), q], lr=0.1),
        ValueError,
        "duplicate parameters",
    ),
    (
        "param-in-two-groups",
        lambda: optimizers.SGD([{"params": [q := p()]}, {"params": [q]}], lr=0.1),
        ValueError,
        "more than one parameter group",
    ),
    ("set-of-params", lambda: optimizers.SGD({p(), p()}, lr=0.1), ValueError, "use a list instead"),
    ("single-param", lambda: optimizers.SGD(p(), lr=0.1), ValueError, "single Parameter"),
    (
        "ndarray-as-param",
        lambda: optimizers.SGD([np.zeros(2)], lr=0.1),
        ValueError,
        r"params\[0\] is a ndarray",
    ),
    (
        "int-param",
        lambda: optimizers.SGD([nn.tensor([1, 2])], lr=0.1),
        ValueError,
        r"floating point parameters, params\[0\] has dtype int64",
    ),
    (
        "batchgd-momentum",
        lambda: optimizers.BatchGD([p()], lr=0.1, momentum=0.9),
        TypeError,
        "use optimizers.Momentum",
    ),
    (
        "opt-sd-groups",
        lambda: optimizer_load(lambda sd: sd["param_groups"].append(dict(sd["param_groups"][0]))),
        ValueError,
        "2 parameter groups, the optimizer has 1",
    ),
    (
        "opt-sd-params",
        lambda: optimizer_load(lambda sd: sd["param_groups"][0]["params"].pop()),
        ValueError,
        "has 1 parameters, the optimizer's has 2",
    ),
    (
        "opt-sd-type",
        lambda: optimizers.SGD([p()], lr=0.1).load_state_dict([]),
        ValueError,
        "'state' and 'param_groups'",
    ),
    (
        "scheduler-decay",
        lambda: InverseTimeLR(optimizers.SGD([p()], lr=0.1), decay_rate=-1),
        ValueError,
        "decay_rate value: -1",
    ),
    (
        "scheduler-interval",
        lambda: InverseTimeLR(optimizers.SGD([p()], lr=0.1), 1.0, time_interval=0),
        ValueError,
        "time_interval must be a positive int, got 0",
    ),
    (
        "scheduler-step-size",
        lambda: StepLR(optimizers.SGD([p()], lr=0.1), step_size=1.5),
        ValueError,
        "step_size must be a positive int, got 1.5",
    ),
    # ---------------------------------------------------------------- data
    (
        "dataset-lengths",
        lambda: data.TensorDataset(np.zeros((100, 2)), np.zeros(99)),
        ValueError,
        "array 0 has 100 rows, array 1 has 99 rows",
    ),
    ("dataset-empty", lambda: data.TensorDataset(), ValueError, "at least one array"),
    (
        "dataset-strings",
        lambda: data.TensorDataset(np.array(["a", "b"])),
        TypeError,
        "must hold numbers",
    ),
    (
        "batch-size-zero",
        lambda: data.DataLoader(data.TensorDataset(np.arange(10)), batch_size=0),
        ValueError,
        "batch_size=0",
    ),
    (
        "batch-size-negative",
        lambda: data.DataLoader(data.TensorDataset(np.arange(10)), batch_size=-3),
        ValueError,
        "batch_size=-3",
    ),
    (
        "batch-size-float",
        lambda: data.DataLoader(data.TensorDataset(np.arange(10)), batch_size=2.5),
        ValueError,
        "batch_size=2.5",
    ),
    (
        "batch-size-bool",
        lambda: data.DataLoader(data.TensorDataset(np.arange(10)), batch_size=True),
        ValueError,
        "batch_size=True",
    ),
    (
        "drop-last-too-big",
        lambda: data.DataLoader(data.TensorDataset(np.arange(10)), batch_size=64, drop_last=True),
        ValueError,
        "batch_size=64 larger than the dataset \\(10 samples\\)",
    ),
    (
        "shuffle-and-sampler",
        lambda: data.DataLoader(data.TensorDataset(np.arange(10)), shuffle=True, sampler=[0]),
        ValueError,
        "mutually exclusive with shuffle",
    ),
    ("not-a-dataset", lambda: data.DataLoader(object()), TypeError, "dataset must have __len__"),
    (
        "loader-state",
        lambda: data.DataLoader(data.TensorDataset(np.arange(10))).load_state_dict({"order": None}),
        ValueError,
        "order, lengths, position",
    ),
    (
        "mini-batches-rows",
        lambda: data.random_mini_batches(np.zeros((3, 2)), np.zeros(2)),
        ValueError,
        "X has 3 rows but Y has 2",
    ),
    (
        "mini-batch-size",
        lambda: data.random_mini_batches(np.zeros((3, 2)), np.zeros(3), mini_batch_size=0),
        ValueError,
        "batch_size=0",
    ),
    (
        "split-lengths",
        lambda: data.random_split(data.TensorDataset(np.arange(10)), [3, 3]),
        ValueError,
        r"\(6\) does not equal the length of the input dataset \(10\)",
    ),
    ("moons-samples", lambda: make_moons(0), ValueError, "n_samples must be a positive int, got 0"),
    (
        "moons-noise",
        lambda: make_moons(10, noise=float("nan")),
        ValueError,
        "noise must be a non-negative number, got nan",
    ),
]


@pytest.mark.parametrize(("name", "action", "error", "pattern"), CASES, ids=[c[0] for c in CASES])
def test_error_comes_from_descend_not_from_deep_inside_numpy(name, action, error, pattern):
    with pytest.raises(error) as raised:
        action()
    where = str(raised.traceback[-1].path)
    assert "site-packages" not in where and "/numpy/" not in where, where
    assert str(raised.value)


@pytest.mark.parametrize(("name", "action", "error", "pattern"), CASES, ids=[c[0] for c in CASES])
def test_bad_input_raises_documented_error(name, action, error, pattern):
    with pytest.raises(error, match=pattern):
        action()


def test_random_bytes_as_checkpoint(tmp_path):
    with pytest.raises(ValueError, match=r"junk\.npz"):
        random_bytes_checkpoint(tmp_path)


def test_gradient_of_the_wrong_shape_is_named_and_changes_nothing():
    for executor in ({}, {"foreach": True}):
        params = [nn.Parameter(np.zeros((2, 3))), nn.Parameter(np.zeros(4))]
        optimizer = optimizers.Adam(params, lr=0.1, **executor)
        for p in params:
            p.grad = np.ones(p.shape)
        optimizer.step()
        optimizer.step()
        before = [p.detach().numpy().copy() for p in params]
        params[1]._grad = nn.ones(5, dtype=nn.float64)  # past the .grad setter's own check
        with pytest.raises(RuntimeError, match=r"shape \(4,\) has a gradient of shape \(5,\)"):
            optimizer.step()
        with pytest.raises(RuntimeError, match="size '\\[5\\]' to a tensor of size '\\[4\\]'"):
            params[1].grad = np.ones(5)
        for p, b in zip(params, before, strict=True):
            np.testing.assert_array_equal(p.detach().numpy(), b)


@pytest.mark.parametrize(
    "call",
    [lambda x: np.max(x, initial=10.0), lambda x: np.min(x, where=np.array([True, False])),
     lambda x: x.max(out=nn.zeros(())), lambda x: np.all(x, where=np.array([True, False])),
     lambda x: x.any(out=nn.zeros((), dtype=nn.bool))],
)  # fmt: skip
def test_numpys_reduction_keywords_are_refused_not_ignored(call):
    """np.max(t, initial=10) would give 5 if ``initial`` were ignored; PyTorch refuses it."""
    with pytest.raises(TypeError, match="invalid combination of arguments"):
        call(nn.tensor([[1.0, 5.0], [3.0, 2.0]]))
