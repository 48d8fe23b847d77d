"""Why Adam corrects its averages: the course's exponentially weighted average, with and
without bias correction, and Adam's first steps on the course net.

An average that starts at zero, v_t = beta v_(t-1) + (1 - beta) theta_t with v_0 = 0, is
v_t = (1 - beta) sum_k beta^(t-k) theta_k: its weights sum to 1 - beta^t, not 1, so early
values are too small. Dividing by 1 - beta^t fixes it (v_corrected = v / (1 - beta^t)).

    python examples/bias_correction.py          # runs/bias_correction/bias_correction.png

The figure: (1) a noisy year of daily temperatures (the course's example, synthetic here)
with the average of beta = 0.98, uncorrected and corrected; (2) Adam's v and v_corrected for
one weight of the course net over its first 50 steps; (3) s and s_corrected; (4) the step
Adam takes with the corrections and without them.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import numpy as np

import nn
import optimizers
from data import DataLoader, TensorDataset

sys.path.insert(0, str(Path(__file__).resolve().parent))
from figure_files import save_png

from data.datasets import make_moons


def temperatures(days: int, seed: int) -> np.ndarray:
    """A synthetic year: a seasonal curve (degrees Celsius) plus daily noise."""
    t = np.arange(days)
    season = 12 - 10 * np.cos(2 * np.pi * (t - 15) / 365)
    return season + np.random.default_rng(seed).normal(0, 3, days)


def weighted_average(theta: np.ndarray, beta: float) -> tuple[np.ndarray, np.ndarray]:
    """The course's v_t = beta v_(t-1) + (1 - beta) theta_t from v_0 = 0, and v_t / (1 - beta^t)."""
    v, averages = 0.0, []
    for value in theta:
        v = beta * v + (1 - beta) * value
        averages.append(v)
    t = np.arange(1, len(theta) + 1)
    raw = np.array(averages)
    return raw, raw / (1 - beta**t)


def adam_first_steps(steps: int, seed: int, lr: float = 0.0007) -> dict[str, Any]:
    """v, s, their corrections and the step of one weight w (of the first layer, the one with
    the largest first gradient, so not a dead ReLU's) over Adam's first ``steps`` mini-batch
    steps on the course net (2-5-2-1, moons, batches of 64)."""
    X, y = make_moons(300, noise=0.2, generator=np.random.RandomState(seed))
    loader = DataLoader(
        TensorDataset(X, y[:, None].astype(np.float64)), batch_size=64, shuffle=True, generator=seed
    )
    nn.manual_seed(seed)
    model = nn.Sequential(
        nn.Linear(2, 5), nn.ReLU(), nn.Linear(5, 2), nn.ReLU(), nn.Linear(2, 1)
    ).double()
    optimizer = optimizers.Adam(model.parameters(), lr=lr)
    beta1, beta2 = optimizer.defaults["betas"]
    eps = optimizer.defaults["eps"]
    weight = model[0].weight
    loss_fn = nn.BCEWithLogitsLoss()
    record: dict[str, list[float]] = {k: [] for k in ("v", "s", "v_corrected", "s_corrected",
                                                       "step", "uncorrected_step")}  # fmt: skip
    batches = (batch for _ in range(steps) for batch in loader)
    for t in range(1, steps + 1):
        xb, yb = next(batches)
        optimizer.zero_grad()
        loss_fn(model(xb), yb).backward()
        if t == 1:
            where = np.unravel_index(np.abs(weight.grad.numpy()).argmax(), weight.shape)
        before = float(weight.detach().numpy()[where])
        optimizer.step()
        state = optimizer.state[weight]
        v, s = float(state["exp_avg"][where]), float(state["exp_avg_sq"][where])
        record["v"].append(v)
        record["s"].append(s)
        record["v_corrected"].append(v / (1 - beta1**t))
        record["s_corrected"].append(s / (1 - beta2**t))
        record["step"].append(before - float(weight.detach().numpy()[where]))
        record["uncorrected_step"].append(lr * v / (np.sqrt(s) + eps))
    return record


def plot(theta: np.ndarray, beta: float, adam: dict[str, Any], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    raw, corrected = weighted_average(theta, beta)
    days = np.arange(1, len(theta) + 1)
    steps = np.arange(1, len(adam["v"]) + 1)
    fig, axes = plt.subplots(2, 2, figsize=(12, 8))
    ax = axes[0, 0]
    ax.plot(days, theta, ".", color="0.6", ms=3, label="daily temperature")
    ax.plot(days, raw, color="tab:red", lw=2, label=f"v (beta {beta}), no correction")
    ax.plot(days, corrected, color="tab:green", lw=2, label="v / (1 - beta^t)")
    ax.set(xlabel="day", ylabel="temperature (°C)", title="Exponentially weighted average")
    ax.legend(fontsize=8)
    ax = axes[0, 1]  # (sizes: this weight's gradients are negative, "too small" means near 0)
    ax.plot(steps, np.abs(adam["v"]), color="tab:red", lw=2, label="|v| (first moment)")
    ax.plot(steps, np.abs(adam["v_corrected"]), color="tab:green", lw=2, label="|v_corrected|")
    ax.set(
        xlabel="Adam step t",
        ylabel="size of the dL/dw average",
        title="Adam's first moment, one weight (its size)",
    )
    ax.legend(fontsize=8)
    ax = axes[1, 0]
    ax.semilogy(steps, adam["s"], color="tab:red", lw=2, label="s (second moment)")
    ax.semilogy(steps, adam["s_corrected"], color="tab:green", lw=2, label="s_corrected")
    ax.set(xlabel="Adam step t", ylabel="(dL/dw)² average", title="Adam's second moment")
    ax.legend(fontsize=8)
    ax = axes[1, 1]
    ax.plot(steps, np.abs(adam["step"]), color="tab:green", lw=2, label="Adam's step (corrected)")
    ax.plot(steps, np.abs(adam["uncorrected_step"]), color="tab:red", lw=2,
            label="the step without corrections")  # fmt: skip
    ax.axhline(0.0007, color="0.4", ls=":", lw=1.5, label="lr (Adam's first step is exactly lr)")
    ax.set(
        xlabel="Adam step t",
        ylabel="size of the change of w",
        title="Step size: lr |v_c| / (sqrt(s_c) + eps)",
    )
    ax.legend(fontsize=8)
    for ax in axes.ravel():
        ax.grid(True, alpha=0.3)
    fig.suptitle("Bias correction: averages that start at zero are too small (too near 0) at first")
    fig.tight_layout()
    save_png(fig, path, dpi=90)
    plt.close(fig)


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--steps", type=int, default=50, help="Adam steps to record")
    parser.add_argument("--beta", type=float, default=0.98, help="the temperature average's beta")
    parser.add_argument("--seed", type=int, default=3, help="seeds the data and the weights")
    parser.add_argument("--out", type=Path, default=Path("runs/bias_correction"))
    args = parser.parse_args(argv)
    theta = temperatures(365, args.seed)
    raw, corrected = weighted_average(theta, args.beta)
    adam = adam_first_steps(args.steps, args.seed)
    print(
        f"temperature, day 1: {theta[0]:.1f} °C; average v {raw[0]:.2f}, "
        f"corrected {corrected[0]:.2f}"
    )
    print(
        f"Adam, step 1: v = {adam['v'][0]:.3g}, v_corrected = {adam['v_corrected'][0]:.3g}; "
        f"step {adam['step'][0]:.3g} (without corrections {adam['uncorrected_step'][0]:.3g})"
    )
    args.out.mkdir(parents=True, exist_ok=True)
    record = {
        "temperature": theta.tolist(),
        "average": raw.tolist(),
        "average_corrected": corrected.tolist(),
        **adam,
    }
    (args.out / "bias_correction.json").write_text(json.dumps(record))
    try:
        plot(theta, args.beta, adam, args.out / "bias_correction.png")
        print(f"wrote bias_correction.png and bias_correction.json to {args.out}/")
    except ImportError:
        print("(no picture: pip install -e '.[plot]' for matplotlib)", file=sys.stderr)
    return record


if __name__ == "__main__":
    main()
