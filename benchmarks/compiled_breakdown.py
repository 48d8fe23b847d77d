"""Where a compiled training step of the course net goes: each part timed alone.

The course's 2-5-2-1 network (ReLU, a logit output with BCEWithLogitsLoss), batch 64,
float32, SGD: the whole ``nn.compile``-d step against the same arithmetic with nothing
around it (the replayed forward, the loss rule, the replayed backward and ``p -= lr * g``
on the arrays) and against the hand-written NumPy step (``benchmarks/hand.py``). Medians
of 15 rounds of 300 calls, in microseconds. Run: ``python benchmarks/compiled_breakdown.py``.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import hand

import nn
import optimizers
from nn.rules import loss as loss_rules


def median_us(call: Callable[[], object], calls: int = 300, rounds: int = 15) -> float:
    for _ in range(calls):
        call()
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        for _ in range(calls):
            call()
        times.append((time.perf_counter() - start) / calls * 1e6)
    return statistics.median(times)


def main() -> None:
    nn.manual_seed(0)
    model = nn.Sequential(nn.Linear(2, 5), nn.ReLU(), nn.Linear(5, 2), nn.ReLU(), nn.Linear(2, 1))
    compiled = nn.compile(model)
    rng = np.random.default_rng(0)
    x = rng.standard_normal((64, 2)).astype(np.float32)
    y = (rng.random((64, 1)) > 0.5).astype(np.float32)
    xt, yt = nn.tensor(x), nn.tensor(y)
    loss_fn = nn.BCEWithLogitsLoss()
    opt = optimizers.SGD(model.parameters(), lr=1e-3)
    compiled(xt)
    (guard, recording), *_ = [
        entry for entries in compiled._recordings.values() for entry in entries
    ]
    params = [p._data for p in model.parameters()]

    def whole() -> float:
        opt.zero_grad()
        loss = loss_fn(compiled(xt), yt)
        loss.backward()
        opt.step()
        return loss.item()

    def arithmetic() -> None:
        out, backwards = recording.forward(x, *params)
        loss, loss_backward = loss_rules._bce_with_logits_mean(out, y)
        float(loss)
        grads, _ = recording.backward(loss_backward(np.float32(1.0))[0], backwards)
        for p, g in zip(params, grads[1:], strict=True):
            g *= 1e-3
            p -= g

    out = compiled(xt)

    def forward_loss_backward() -> None:
        loss_fn(compiled(xt), yt).backward()

    course = hand.MLPStep([2, 5, 2, 1], "sgd", 1e-3, np.random.default_rng(0))
    parts = {
        "whole compiled step": whole,
        "its arithmetic alone": arithmetic,
        "hand-written step": lambda: course(x, y),
        "guard": guard.holds,
        "compiled forward call (guard included)": lambda: compiled(xt),
        "loss as a Tensor op": lambda: loss_fn(out, yt),
        "forward, loss and backward": forward_loss_backward,
        "optimizer.step": opt.step,
    }
    for name, call in parts.items():
        print(f"{name:40} {median_us(call):6.1f} us")


if __name__ == "__main__":
    main()
