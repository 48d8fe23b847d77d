"""Batch size against training-set size: which of stochastic (batch 1), mini-batch (64) and
batch gradient descent (batch m) reaches a target training cost soonest, as m grows?

The course's 2-5-2-1 network on two-moons data of m examples (one generator for every m).
Each batch size gets one learning rate, picked from ``LR_GRID`` on the smallest m (the one
reaching the target in the fewest updates, within ``PICKING_UPDATES``, else the lowest final
cost: counted in updates, so every machine picks the same) and then held fixed. Every run
trains until the training cost (mean cross-entropy over all m examples, checked after
update 1, 2, 4, 8, ... and every ``CHECK_EVERY`` updates, so the counts are exact to a
factor 2 at worst, and the same on every machine) reaches ``--target``, or ``--max-updates``
updates were made (``--budget`` seconds of training are a safety net only); training time
is reported, never used to decide. A run also stops,
not reached, when its network has died: the 2-unit ReLU layer outputs 0 for every one of
the m examples, so no gradient reaches the first two layers and the output is a constant
(cost ln 2 at best) for ever; the table reports such runs apart.

    python examples/batch_size_study.py            # m = 300 ... 300,000, 3 seeds
    python examples/batch_size_study.py --quick    # m = 300 ... 30,000, 1 seed

Writes results.csv, results.json, time_to_target.png and cost_vs_time.png to --out.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np

import nn
import optimizers
from data.datasets import make_moons

sys.path.insert(0, str(Path(__file__).resolve().parent))
from figure_files import save_png

LR_GRID = (0.003, 0.01, 0.03, 0.1, 0.3, 1.0)
CHECK_EVERY = 64  # updates between two cost checks, besides updates 1, 2, 4, 8, ...
PICKING_UPDATES = 5000  # updates each learning rate of the grid gets when rates are picked


@dataclass
class Record:
    m: int
    batch_size: int
    lr: float
    seed: int
    seconds_to_target: float | None
    epochs_to_target: float | None
    updates_to_target: int | None
    final_cost: float
    reached: bool
    died: bool  # every hidden ReLU of the last hidden layer is 0 on every example
    curve: list[tuple[float, float]]  # (training seconds, cost) at each check


def moons(m: int) -> tuple[np.ndarray, np.ndarray]:
    """m two-moons examples from one generator (the course's noise, 0.2)."""
    X, y = make_moons(m, noise=0.2, generator=np.random.RandomState(0))
    return X, y[:, None].astype(np.float64)


def course_net(seed: int) -> nn.Module:
    """2-5-2-1 with ReLUs, He-initialised from ``seed`` (logits out: BCEWithLogitsLoss)."""
    generator = np.random.RandomState(seed)
    model = nn.Sequential(
        nn.Linear(2, 5), nn.ReLU(), nn.Linear(5, 2), nn.ReLU(), nn.Linear(2, 1)
    ).double()
    for layer in (model[0], model[2], model[4]):
        nn.init.kaiming_normal_(layer.weight, generator=generator)
        nn.init.zeros_(layer.bias)
    return model


def train(
    X: np.ndarray, y: np.ndarray, batch_size: int, lr: float, seed: int, target: float,
    budget: float, max_updates: int | None = None,
) -> Record:  # fmt: skip
    """Mini-batch gradient descent until the training cost reaches ``target``, ``budget``
    seconds of training pass, or ``max_updates`` updates were made."""
    m = len(X)
    model, loss_fn = course_net(seed), nn.BCEWithLogitsLoss()
    optimizer = optimizers.SGD(model.parameters(), lr=lr)
    rng = np.random.default_rng(seed)
    per_epoch = math.ceil(m / batch_size)

    def cost() -> float:
        """The training cost over all m examples; notes whether the network has died."""
        nonlocal died
        with nn.no_grad():
            hidden = model[:4](X)
            died = not bool((hidden > 0).any())
            return float(loss_fn(model[4](hidden), y).item())

    died = False

    def done(latest: float) -> bool:
        return latest <= target or died or not math.isfinite(latest)

    trained, updates, curve = 0.0, 0, [(0.0, cost())]
    reached = curve[0][1] <= target

    def out_of_budget() -> bool:
        return trained >= budget or (max_updates is not None and updates >= max_updates)

    while not reached and not died and not out_of_budget():
        order = rng.permutation(m)
        for start in range(0, m, batch_size):
            began = time.perf_counter()
            batch = order[start : start + batch_size]
            optimizer.zero_grad()
            loss_fn(model(X[batch]), y[batch]).backward()
            optimizer.step()
            trained += time.perf_counter() - began
            updates += 1
            power_of_two = updates & (updates - 1) == 0
            if power_of_two or updates % CHECK_EVERY == 0:
                curve.append((trained, cost()))
                if done(curve[-1][1]) or out_of_budget():
                    break
        if done(curve[-1][1]):
            break
        if curve[-1][0] != trained:
            curve.append((trained, cost()))
    final = curve[-1][1]
    reached = final <= target
    return Record(
        m=m, batch_size=batch_size, lr=lr, seed=seed,
        seconds_to_target=trained if reached else None,
        epochs_to_target=updates / per_epoch if reached else None,
        updates_to_target=updates if reached else None,
        final_cost=final, reached=reached, died=died, curve=curve,
    )  # fmt: skip


def pick_lr(X: np.ndarray, y: np.ndarray, batch_size: int, target: float) -> float:
    """The grid's learning rate that reaches the target in the fewest updates on (X, y)
    (within ``PICKING_UPDATES``), else the one with the lowest final cost: counted in
    updates, not seconds, so that every machine picks the same rates."""
    runs = [train(X, y, batch_size, lr, 0, target, math.inf, PICKING_UPDATES) for lr in LR_GRID]
    reached = [r for r in runs if r.reached]
    if reached:
        return min(reached, key=lambda r: (r.updates_to_target or 0, r.lr)).lr
    return min(runs, key=lambda r: r.final_cost if math.isfinite(r.final_cost) else math.inf).lr


def table(records: list[Record]) -> str:
    """Mean seconds, epochs and updates to the target per (m, batch size), over the seeds
    that reached it; the final cost over the runs whose network did not die (those are
    listed after the table, with their cost)."""
    lines = ["m        batch      lr  reached  died  seconds   epochs      updates  final cost"]
    keys = sorted({(r.m, r.batch_size) for r in records})
    for m, batch in keys:
        group = [r for r in records if (r.m, r.batch_size) == (m, batch)]
        hits = [r for r in group if r.reached]

        def mean(values: list[Any]) -> str:
            return f"{np.mean(values):.3g}" if values else "-"

        lines.append(
            f"{m:<8} {batch:>6} {group[0].lr:>7g} {len(hits):>4}/{len(group):<3} "
            f"{sum(r.died for r in group):>4} "
            f"{mean([r.seconds_to_target for r in hits]):>7} "
            f"{mean([r.epochs_to_target for r in hits]):>8} "
            f"{mean([r.updates_to_target for r in hits]):>12} "
            f"{mean([r.final_cost for r in group if not r.died]):>11}"
        )
    dead = [r for r in records if r.died]
    if dead:
        lines.append(
            "\nDied (the 2-unit ReLU layer outputs 0 on every example: no gradient reaches "
            "the first layers, the cost stays where it is):"
        )
        lines += [
            f"  m = {r.m}, batch {r.batch_size}, seed {r.seed}: cost {r.final_cost:.4f}"
            for r in dead
        ]
    return "\n".join(lines)


def write(records: list[Record], out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    rows = [{k: v for k, v in asdict(r).items() if k != "curve"} for r in records]
    with open(out / "results.csv", "w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    (out / "results.json").write_text(json.dumps([asdict(r) for r in records], indent=1))


def plot(records: list[Record], target: float, out: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    batches = sorted({r.batch_size if r.batch_size < r.m else -1 for r in records})
    colours = {1: "tab:orange", 64: "tab:green", -1: "tab:blue"}
    fig, ax = plt.subplots(figsize=(7, 5))
    for batch in batches:
        name = "batch m (batch GD)" if batch == -1 else f"batch {batch}"
        sizes = sorted({r.m for r in records})
        xs, lows, mids, highs = [], [], [], []
        for m in sizes:
            times = [
                r.seconds_to_target
                for r in records
                if r.m == m
                and (r.batch_size == batch or (batch == -1 and r.batch_size == m))
                and r.reached
            ]
            if times:
                xs.append(m)
                lows.append(min(times))
                mids.append(float(np.mean(times)))
                highs.append(max(times))
        colour = colours.get(batch, "tab:gray")
        ax.plot(xs, mids, "o-", color=colour, label=name)
        ax.fill_between(xs, lows, highs, color=colour, alpha=0.2)
    ax.set(xscale="log", yscale="log", xlabel="training-set size m",
           ylabel="seconds of training to the target cost",
           title=f"Time to reach cost {target} (mean; shaded: min-max over seeds)")  # fmt: skip
    ax.grid(True, which="both", alpha=0.3)
    ax.legend()
    fig.tight_layout()
    save_png(fig, out / "time_to_target.png", dpi=100)
    plt.close(fig)

    largest = max(r.m for r in records)
    fig, ax = plt.subplots(figsize=(7, 5))
    for r in records:
        if r.m != largest or r.seed != min(x.seed for x in records) or len(r.curve) < 2:
            continue
        batch = -1 if r.batch_size == r.m else r.batch_size
        seconds, costs = zip(*r.curve[1:], strict=True)  # after the first update (log axis)
        label = "batch m (batch GD)" if batch == -1 else f"batch {batch}"
        ax.plot(seconds, costs, color=colours.get(batch, "tab:gray"), label=f"{label}, lr {r.lr:g}")
    ax.axhline(target, color="k", ls="--", lw=1, label=f"target {target}")
    ax.set(xscale="log", xlabel="seconds of training (log scale)",
           ylabel="training cost (mean cross-entropy)",
           title=f"Cost against time, m = {largest:,}")  # fmt: skip
    ax.grid(True, alpha=0.3)
    ax.legend()
    fig.tight_layout()
    save_png(fig, out / "cost_vs_time.png", dpi=100)
    plt.close(fig)


def main(argv: list[str] | None = None) -> list[Record]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="300,3000,30000,300000", help="training-set sizes m")
    parser.add_argument("--batch-sizes", default="1,64,m", help="batch sizes (m: the whole set)")
    parser.add_argument("--target", type=float, default=0.35, help="the training cost to reach")
    parser.add_argument(
        "--max-updates", type=int, default=2000, help="updates per run (the budget that decides)"
    )
    parser.add_argument(
        "--budget", type=float, default=600.0, help="seconds of training per run (a safety net)"
    )
    parser.add_argument("--seeds", type=int, default=3, help="initialisations per (m, batch)")
    parser.add_argument("--quick", action="store_true", help="m up to 30,000, 1 seed")
    parser.add_argument("--out", type=Path, default=Path("runs/batch_size_study"))
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")
    args = parser.parse_args(argv)
    if args.quick:
        args.sizes, args.seeds = "300,3000,30000", 1
    sizes = sorted(int(s) for s in args.sizes.split(","))
    batch_sizes = [b.strip() for b in args.batch_sizes.split(",")]
    X0, y0 = moons(sizes[0])
    lrs = {b: pick_lr(X0, y0, sizes[0] if b == "m" else int(b), args.target) for b in batch_sizes}
    print(
        "learning rates picked on m = "
        + f"{sizes[0]}: "
        + ", ".join(f"batch {b}: {lr:g}" for b, lr in lrs.items())
    )
    jobs = [(m, b, seed) for m in sizes for b in batch_sizes for seed in range(args.seeds)]
    try:
        from tqdm.auto import tqdm

        progress: Any = tqdm(jobs, unit="run", disable=args.no_progress)
    except ImportError:
        progress = jobs
    records, data = [], {}
    for m, b, seed in progress:
        if m not in data:
            data[m] = moons(m)
        X, y = data[m]
        batch = m if b == "m" else int(b)
        records.append(train(X, y, batch, lrs[b], seed, args.target, args.budget, args.max_updates))
    print(table(records))
    write(records, args.out)
    try:
        plot(records, args.target, args.out)
        print(
            f"wrote results.csv, results.json, time_to_target.png, cost_vs_time.png to {args.out}/"
        )
    except ImportError:
        print("(no plots: pip install -e '.[plot]' for matplotlib)", file=sys.stderr)
    return records


if __name__ == "__main__":
    main()
