"""The three momentum conventions, side by side, on one ill-conditioned quadratic.

With the same 0.9 and the same learning rate they take different paths:

- PyTorch   b = mu * b + g;         W = W - lr * b          (b starts at g)
- CS231n    v = mu * v - lr * g;    W = W + v               (v starts at 0)
- course    v = beta * v + (1 - beta) * g;  W = W - lr * v (v starts at 0)

While the learning rate is constant, PyTorch's and CS231n's are one path (v = -lr * b), and
the course's steps are (1 - beta) times smaller: it is PyTorch's path with lr * (1 - beta).
When the learning rate changes (here it drops 4x at step 20), they part: PyTorch's new lr
rescales the whole accumulated buffer at once, CS231n's applies only to new gradients.
descend's ``optimizers.SGD`` is PyTorch's, ``optimizers.Momentum`` the course's.

    python examples/momentum_conventions.py --out docs/images
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

import nn
import optimizers

sys.path.insert(0, str(Path(__file__).resolve().parent))
from figure_files import save_png

CURVATURE = np.array([1.0, 20.0])  # f(W) = sum(CURVATURE * W**2) / 2
START = np.array([-4.0, 1.0])
LR, MU, STEPS, DROP_AT = 0.04, 0.9, 60, 20


def lr_at(step: int, lr: float = LR) -> float:
    """The learning rate of a step: lr, then lr / 4 from step DROP_AT on."""
    return lr if step < DROP_AT else lr / 4


def gradient(W: np.ndarray) -> np.ndarray:
    return CURVATURE * W


def cs231n_path() -> np.ndarray:
    """v = mu * v - lr * g; W = W + v, written out (no descend class follows it)."""
    W, v, path = START.copy(), np.zeros(2), [START.copy()]
    for step in range(STEPS):
        v = MU * v - lr_at(step) * gradient(W)
        W = W + v
        path.append(W.copy())
    return np.array(path)


def optimizer_path(make: type[optimizers.Optimizer], lr: float, **hyper: float) -> np.ndarray:
    """The path of a descend optimizer, through ``step()``."""
    W = nn.Parameter(START.copy())
    optimizer = make([W], lr=lr, **hyper)
    path = [W.detach().numpy().copy()]
    for step in range(STEPS):
        optimizer.param_groups[0]["lr"] = lr_at(step, lr)
        W.grad = gradient(W.detach().numpy())
        optimizer.step()
        path.append(W.detach().numpy().copy())
    return np.array(path)


def paths() -> dict[str, np.ndarray]:
    return {
        "PyTorch: b = 0.9 b + g; W -= lr b  (optimizers.SGD)": optimizer_path(
            optimizers.SGD, lr=LR, momentum=MU
        ),
        "CS231n: v = 0.9 v - lr g; W += v": cs231n_path(),
        "course: v = 0.9 v + 0.1 g; W -= lr v  (optimizers.Momentum)": optimizer_path(
            optimizers.Momentum, lr=LR, beta=MU
        ),
        "course with lr / (1 - 0.9): PyTorch's path": optimizer_path(
            optimizers.Momentum, lr=LR / (1 - MU), beta=MU
        ),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Draw the three momentum conventions.")
    parser.add_argument("--out", type=Path, default=Path("runs/momentum"), help="output folder")
    args = parser.parse_args(argv)
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    xx, yy = np.meshgrid(np.linspace(-5, 2, 300), np.linspace(-2, 2, 300))
    fig, ax = plt.subplots(figsize=(9, 5.5))
    ax.contour(
        xx,
        yy,
        (CURVATURE[0] * xx**2 + CURVATURE[1] * yy**2) / 2,
        levels=20,
        cmap="Greys",
        linewidths=0.6,
    )
    # (paths that coincide stay visible: PyTorch's wide and pale underneath, CS231n's dashed
    # and the rescaled course's dotted over it; each ends in a marker)
    styles = ["-", "--", "-", ":"]
    colours = ["tab:blue", "tab:orange", "tab:red", "k"]
    widths, alphas = [6.0, 2.5, 2.0, 1.6], [0.4, 1.0, 1.0, 1.0]
    ends = ["s", "D", "o", "x"]
    drawn = zip(paths().items(), styles, colours, widths, alphas, ends, strict=True)
    for (label, path), style, colour, width, alpha, end in drawn:
        ax.plot(path[:, 0], path[:, 1], style, color=colour, lw=width, alpha=alpha, label=label)
        ax.plot(*path[-1], marker=end, color=colour, ms=9, markeredgecolor="black", ls="")
    ax.plot(*START, "ko")
    ax.plot(0, 0, "k*", ms=12)
    ax.set_xlabel("$w_1$")
    ax.set_ylabel("$w_2$")
    ax.set_title(
        f"Momentum conventions, mu = beta = {MU}, lr = {LR} then {LR / 4} from step {DROP_AT}\n"
        "(until step 20 PyTorch's and CS231n's paths are one; the rescaled course's is PyTorch's)"
    )
    ax.legend(fontsize=8, loc="lower right")
    fig.tight_layout()
    save_png(fig, args.out / "momentum_conventions.png", dpi=100)
    print("wrote", args.out / "momentum_conventions.png")


if __name__ == "__main__":
    main()
