"""Checkpoint a training run at any step, kill it, resume it: the result is identical to the bit.

A checkpoint holds everything that decides what happens next:

- the model's parameters and buffers          model.state_dict()
- the optimizer's hyperparameters and state   optimizer.state_dict()
- the learning-rate scheduler's position      scheduler.state_dict()
- the DataLoader's epoch in progress          loader.state_dict()
- the default random generator                nn.get_rng_state()  (Dropout, shuffling)
- where the loop was                          epoch and step

``nn.save`` writes it atomically (a crash mid-save leaves the previous checkpoint) and
``nn.load`` never unpickles. To resume, build the same objects, then load each state into
them, and continue the loop from the saved epoch: the loader finishes the interrupted epoch
first.

    python examples/checkpointing.py
"""

from __future__ import annotations

import argparse
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

import nn
import optimizers
from data import DataLoader, TensorDataset
from data.datasets import make_moons
from optimizers.lr_scheduler import InverseTimeLR


@dataclass
class Training:
    model: nn.Module
    optimizer: optimizers.Optimizer
    scheduler: InverseTimeLR
    loader: DataLoader
    loss_fn: nn.Module


def build(seed: int = 0) -> Training:
    """A run's objects, freshly made. Every random draw comes from the default generator."""
    nn.manual_seed(seed)
    X, y = make_moons(300, noise=0.2, generator=seed)
    dataset = TensorDataset(X.astype(np.float32), y[:, None].astype(np.float32))
    model = nn.Sequential(
        nn.Linear(2, 16), nn.ReLU(), nn.Dropout(0.1), nn.Linear(16, 16), nn.ReLU(), nn.Linear(16, 1)
    )
    optimizer = optimizers.Adam(model.parameters(), lr=0.01)
    scheduler = InverseTimeLR(optimizer, decay_rate=0.5, time_interval=5)
    loader = DataLoader(dataset, batch_size=32, shuffle=True)
    return Training(model, optimizer, scheduler, loader, nn.BCEWithLogitsLoss())


def save_checkpoint(path: Path, run: Training, epoch: int, step: int) -> None:
    nn.save(
        {
            "model": run.model.state_dict(),
            "optimizer": run.optimizer.state_dict(),
            "scheduler": run.scheduler.state_dict(),
            "loader": run.loader.state_dict(),
            "rng": nn.get_rng_state(),
            "epoch": epoch,
            "step": step,
        },
        path,
    )


def load_checkpoint(path: Path, run: Training) -> tuple[int, int]:
    """Load every state into ``run``'s objects; returns (epoch, step) to continue from."""
    checkpoint: dict[str, Any] = nn.load(path)
    run.model.load_state_dict(checkpoint["model"])
    run.optimizer.load_state_dict(checkpoint["optimizer"])
    run.scheduler.load_state_dict(checkpoint["scheduler"])
    run.loader.load_state_dict(checkpoint["loader"])
    nn.set_rng_state(checkpoint["rng"])
    return checkpoint["epoch"], checkpoint["step"]


def train(
    epochs: int,
    checkpoint: Path | None = None,
    stop_at_step: int | None = None,
    resume: bool = False,
) -> Training:
    """Train for ``epochs``; checkpoint and stop after ``stop_at_step`` steps, or resume."""
    run = build()
    epoch = step = 0
    if resume and checkpoint is not None:
        epoch, step = load_checkpoint(checkpoint, run)
    run.model.train()
    while epoch < epochs:
        for xb, yb in run.loader:  # after a resume, the rest of the interrupted epoch
            run.optimizer.zero_grad()
            run.loss_fn(run.model(xb), yb).backward()
            run.optimizer.step()
            step += 1
            if step == stop_at_step and checkpoint is not None:
                save_checkpoint(checkpoint, run, epoch, step)
                return run  # the "crash"
        run.scheduler.step()
        epoch += 1
    return run


def main(argv: list[str] | None = None) -> None:
    argparse.ArgumentParser(description=__doc__.split("\n")[0]).parse_args(argv)  # (--help)
    epochs = 12
    reference = train(epochs)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "checkpoint.npz"
        train(epochs, path, stop_at_step=53)  # 53 steps: mid-epoch (10 batches per epoch)
        resumed = train(epochs, path, resume=True)
    same = all(
        np.array_equal(a, b)
        for a, b in zip(
            reference.model.state_dict().values(), resumed.model.state_dict().values(), strict=True
        )
    )
    print(f"resumed run identical to the uninterrupted one: {same}")


if __name__ == "__main__":
    main()
