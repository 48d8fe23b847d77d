"""Exact resume: a run checkpointed at any step (mid-epoch too) and resumed in fresh objects
ends with parameters identical to the bit to the uninterrupted run."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import nn
import optimizers
from data import DataLoader, TensorDataset
from data.datasets import make_moons
from optimizers.lr_scheduler import InverseTimeLR
from tests.test_examples import load

OPTIMIZERS = {
    "BatchGD": lambda ps: optimizers.BatchGD(ps, lr=0.1),
    "SGD": lambda ps: optimizers.SGD(ps, lr=0.05, momentum=0.9, nesterov=True, weight_decay=1e-3),
    "Momentum": lambda ps: optimizers.Momentum(ps, lr=0.1, beta=0.9),
    "Adam": lambda ps: optimizers.Adam(ps, lr=0.01, amsgrad=True),
    "AdamW": lambda ps: optimizers.AdamW(ps, lr=0.01),
    "RMSprop": lambda ps: optimizers.RMSprop(ps, lr=0.01, momentum=0.5, centered=True),
    "Adagrad": lambda ps: optimizers.Adagrad(ps, lr=0.1, lr_decay=0.01),
    "Adadelta": lambda ps: optimizers.Adadelta(ps, rho=0.8),
}
EPOCHS, BATCHES_PER_EPOCH = 4, 4  # 100 examples in batches of 32: 32, 32, 32, 4


def build(name):
    nn.manual_seed(1)
    X, y = make_moons(100, noise=0.2, generator=2)
    model = nn.Sequential(
        nn.Linear(2, 5),
        nn.ReLU(),
        nn.Dropout(0.2),
        nn.Linear(5, 2),
        nn.ReLU(),
        nn.Linear(2, 1),
        nn.Sigmoid(),
    )
    optimizer = OPTIMIZERS[name](model.parameters())
    scheduler = InverseTimeLR(optimizer, decay_rate=1.0, time_interval=2)
    loader = DataLoader(
        TensorDataset(X, y[:, None].astype(np.float64)), batch_size=32, shuffle=True
    )
    return model, optimizer, scheduler, loader


def run(name, path=None, stop=None, resume=False):
    model, optimizer, scheduler, loader = build(name)
    epoch = step = 0
    if resume:
        state = nn.load(path)
        model.load_state_dict(state["model"])
        optimizer.load_state_dict(state["optimizer"])
        scheduler.load_state_dict(state["scheduler"])
        loader.load_state_dict(state["loader"])
        nn.set_rng_state(state["rng"])
        epoch, step = state["epoch"], state["step"]
    loss_fn = nn.BCELoss()
    while epoch < EPOCHS:
        for xb, yb in loader:
            optimizer.zero_grad()
            loss_fn(model(xb), yb).backward()
            optimizer.step()
            step += 1
            if step == stop:
                nn.save(
                    {
                        "model": model.state_dict(),
                        "optimizer": optimizer.state_dict(),
                        "scheduler": scheduler.state_dict(),
                        "loader": loader.state_dict(),
                        "rng": nn.get_rng_state(),
                        "epoch": epoch,
                        "step": step,
                    },
                    path,
                )
                return None
        scheduler.step()
        epoch += 1
    return model


@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
@settings(max_examples=8)
@given(stop=st.integers(1, EPOCHS * BATCHES_PER_EPOCH - 1))
def test_resume_at_any_step_is_bit_identical(tmp_path_factory, name, stop):
    path = tmp_path_factory.mktemp("resume") / "ckpt.npz"
    reference = run(name)
    assert run(name, path, stop=stop) is None
    resumed = run(name, path, resume=True)
    for a, b in zip(reference.state_dict().values(), resumed.state_dict().values(), strict=True):
        np.testing.assert_array_equal(a, b)


def test_checkpointing_example_resumes_identically(capsys):
    load("checkpointing").main()
    assert "identical to the uninterrupted one: True" in capsys.readouterr().out
