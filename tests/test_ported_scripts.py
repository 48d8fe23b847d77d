"""PyTorch tutorial scripts, ported by changing imports only (tests/ported/port.py, the
rules of docs/porting.md): the beginner quickstart, tensors and autograd tutorials, the
CIFAR-10 classifier, pytorch/examples' MNIST, regression and VAE, yunjey's feedforward and
convolutional nets, micrograd's reference ops, and a loop of common training idioms
(gradient accumulation, clipping, param groups, a scheduler; tests/ported/scripts). Each
must run, and with PyTorch installed print the same numbers as PyTorch from the same
initial weights (tests/ported/harness.py)."""

from __future__ import annotations

import numpy as np
import pytest

from tests.ported.harness import SCRIPTS, numbers, run
from tests.ported.port import port

NAMES = sorted(p.stem for p in SCRIPTS.glob("*.py"))
RANDOM = {"vae", "mnist_cnn"}  # noise or dropout from the framework's generator: numbers differ


@pytest.mark.parametrize("name", NAMES)
def test_the_ported_script_runs(name):
    printed = run(name, "descend")
    assert numbers(printed), printed
    assert "nan" not in printed.lower()


@pytest.mark.torch
@pytest.mark.parametrize("name", NAMES)
def test_the_ported_script_prints_pytorchs_numbers(name):
    pytest.importorskip("torch")
    states: list = []
    theirs = numbers(run(name, "torch", states))
    ours = numbers(run(name, "descend", states))
    assert len(ours) == len(theirs)
    if name not in RANDOM:  # float32 training: the last digits drift over 200 steps
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
