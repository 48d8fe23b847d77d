"""Live parity with torch.optim over hypothesis-drawn hyperparameters, when PyTorch is
installed (``pip install torch==2.13.0``); skipped otherwise. The committed fixtures
(test_torch_parity_*.py) cover the same ground without torch."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import nn
import optimizers
from optimizers.testing import hyperparameters

torch = pytest.importorskip("torch")
pytestmark = pytest.mark.torch

CLASSES = [
    "SGD", "Adam", "AdamW", "RMSprop", "Adagrad", "Adadelta", "Adamax", "NAdam", "RAdam", "ASGD",
    "Rprop", "Adafactor",
]  # fmt: skip


@pytest.mark.parametrize("name", CLASSES)
@settings(max_examples=15, deadline=None)
@given(data=st.data(), steps=st.integers(1, 30), seed=st.integers(0, 2**16))
def test_random_hyperparameters_match_torch(name, data, steps, seed):
    cls = getattr(optimizers, name)
    hyper = data.draw(hyperparameters(cls))
    rng = np.random.default_rng(seed)
    shapes = [(3, 2), (4,)]
    initial = [rng.standard_normal(s) for s in shapes]
    grads = [[rng.standard_normal(s) for s in shapes] for _ in range(steps)]
    ours = [nn.Parameter(w.copy()) for w in initial]
    theirs = [torch.tensor(w.copy(), dtype=torch.float64, requires_grad=True) for w in initial]
    optimizer = cls(ours, **hyper)
    reference = getattr(torch.optim, name)(theirs, **hyper)
    for step in grads:
        for p, q, g in zip(ours, theirs, step, strict=True):
            p.grad = g.copy()
            q.grad = torch.tensor(g.copy(), dtype=torch.float64)
        optimizer.step()
        reference.step()
    for p, q in zip(ours, theirs, strict=True):
        np.testing.assert_allclose(p.detach().numpy(), q.detach().numpy(), rtol=1e-10, atol=1e-12)


@settings(max_examples=20, deadline=None)
@given(seed=st.integers(0, 2**16), n=st.integers(1, 8), c=st.integers(2, 5))
def test_losses_and_linear_gradients_match_torch(seed, n, c):
    rng = np.random.default_rng(seed)
    x, w, b = rng.standard_normal((n, 4)), rng.standard_normal((c, 4)), rng.standard_normal(c)
    labels = rng.integers(0, c, n)
    ours = [nn.Parameter(a.copy()) for a in (x, w, b)]
    theirs = [torch.tensor(a.copy(), requires_grad=True) for a in (x, w, b)]
    nn.CrossEntropyLoss()(nn.F.linear(*ours), labels).backward()
    torch.nn.CrossEntropyLoss()(
        torch.nn.functional.linear(*theirs), torch.tensor(labels)
    ).backward()
    for p, q in zip(ours, theirs, strict=True):
        np.testing.assert_allclose(p.grad, q.grad.numpy(), rtol=1e-10, atol=1e-12)
