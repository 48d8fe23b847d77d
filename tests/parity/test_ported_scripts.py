"""PyTorch tutorial and teaching scripts, ported by changing imports only
(tests/ported/port.py, the rules of docs/porting.md): the beginner quickstart, tensors and
autograd tutorials, the CIFAR-10 classifier, pytorch/examples' MNIST, regression and VAE,
yunjey's feedforward and convolutional nets, micrograd's reference ops, a loop of common
training idioms (gradient accumulation, clipping, param groups, a scheduler), makemore's
bigram, MLP-with-BatchNorm, backprop-ninja and WaveNet lessons, a course's optimizers
written from scratch, and classic exercises in the older idiom (tests/ported/scripts). Each
must run, and with PyTorch
installed print the same numbers as PyTorch: from the same initial weights, and from the
same seed alone (descend's generator is PyTorch's)."""

from __future__ import annotations

import contextlib
import warnings
from collections.abc import Iterator

import numpy as np
import pytest

from tests.ported.harness import SCRIPTS, numbers, run
from tests.ported.port import port

NAMES = sorted(p.stem for p in SCRIPTS.glob("*.py"))
# (minGPT's loader asks for pinned memory: PyTorch and descend warn that there is no
# accelerator; the scripts are run as written)
pytestmark = pytest.mark.filterwarnings("ignore:'pin_memory' argument is set as true")


@pytest.mark.parametrize("name", NAMES)
def test_the_ported_script_runs(name):
    printed = run(name, "descend")
    assert numbers(printed), printed
    assert "nan" not in printed.lower()


@contextlib.contextmanager
def _every_model_compiled() -> Iterator[dict]:
    """Each module the script calls (not from inside another) runs through nn.compile."""
    import nn
    from nn.compiled import OptimizedModule, effects

    original, depth, compiled = nn.Module.__call__, [0], {}

    def call(self, *args, **kwargs):
        target = self
        if depth[0] == 0 and not isinstance(self, OptimizedModule):
            target = compiled.setdefault(id(self), (self, nn.compile(self)))[1]
        depth[0] += 1
        try:
            return original(target, *args, **kwargs)
        finally:
            depth[0] -= 1

    effects.vouch(call)  # (its depth counter is the harness's, not the script's)
    nn.Module.__call__ = call
    try:
        yield compiled
    finally:
        nn.Module.__call__ = original


@pytest.mark.parametrize("name", NAMES)
def test_the_ported_script_prints_the_same_with_every_model_compiled(name):
    """nn.compile replays or runs eagerly, never another number: the script's printed
    output is the eager one, character for character."""
    import nn

    nn.manual_seed(0)
    eager = run(name, "descend")
    nn.manual_seed(0)
    with warnings.catch_warnings(), _every_model_compiled() as compiled:
        warnings.simplefilter("ignore")  # (the fallbacks say why, once per model)
        assert run(name, "descend") == eager
    assert all(model._recordings for _, model in compiled.values())  # (each went through)


@pytest.mark.torch
@pytest.mark.parametrize("name", NAMES)
def test_the_ported_script_prints_pytorchs_numbers(name):
    pytest.importorskip("torch")
    states: list = []
    theirs = numbers(run(name, "torch", states))
    ours = numbers(run(name, "descend", states))
    assert len(ours) == len(theirs)
    # (float32 training: the last digits drift over 200 steps)
    np.testing.assert_allclose(ours, theirs, rtol=1e-3, atol=1e-6)


@pytest.mark.torch
@pytest.mark.parametrize("name", NAMES)
def test_the_ported_script_prints_pytorchs_numbers_from_the_same_seed(name):
    torch = pytest.importorskip("torch")
    import nn

    torch.manual_seed(0)
    theirs = numbers(run(name, "torch"))
    nn.manual_seed(0)
    ours = numbers(run(name, "descend"))
    assert len(ours) == len(theirs)
    np.testing.assert_allclose(ours, theirs, rtol=1e-3, atol=1e-6)


@pytest.mark.parametrize(
    ("torch_line", "descend_line"),
    [
        ("import torch", "import nn"),
        ("import torch.nn as nn", "import nn as nn"),
        ("import torch.nn.functional as F", "import nn.functional as F"),
        ("from torch import nn, optim", "import nn; import optimizers as optim"),
        ("from torch.utils.data import DataLoader", "from data import DataLoader"),
        (
            "    x = torch.flatten(torch.nn.functional.relu(x))",
            "    x = nn.flatten(nn.functional.relu(x))",
        ),
        ("opt = torch.optim.SGD(ps, lr=0.1)", "opt = optimizers.SGD(ps, lr=0.1)"),
    ],
)
def test_port_applies_the_documented_renames(torch_line, descend_line):
    assert descend_line in port(torch_line)
