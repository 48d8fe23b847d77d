"""Each optimizer's path from the same start on classic 2-D test functions.

Every function is an ``nn.Module`` holding one Parameter, the point (x, y); its ``forward``
returns f(x, y). The paths are made by the real optimizers through ``loss.backward()`` and
``optimizer.step()``: gradient descent zig-zags across the narrow valleys, momentum
overshoots then smooths its way along them, RMSprop and Adam rescale each coordinate and
take their own line.

    python examples/trajectories.py                  # writes runs/trajectories/trajectories.png
    python examples/trajectories.py --out docs/images
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

import nn
import optimizers

sys.path.insert(0, str(Path(__file__).resolve().parent))
from figure_files import save_png
from path_smoothness import of_points


class TestFunction(nn.Module):
    """f(x, y) at the point held in ``self.point`` (a Parameter of shape (2,))."""

    def __init__(self, start: tuple[float, float]) -> None:
        super().__init__()
        self.point = nn.Parameter(np.array(start, dtype=np.float64))

    def value(self, x: Any, y: Any) -> Any:
        raise NotImplementedError

    def forward(self) -> nn.Tensor:
        return self.value(self.point[0], self.point[1])


class Rosenbrock(TestFunction):
    """(1 - x)**2 + 100 (y - x**2)**2: a curved, flat-bottomed valley; minimum at (1, 1)."""

    minimum = (1.0, 1.0)

    def value(self, x: Any, y: Any) -> Any:
        return (1 - x) ** 2 + 100 * (y - x**2) ** 2


class Beale(TestFunction):
    """(1.5 - x + xy)**2 + (2.25 - x + xy**2)**2 + (2.625 - x + xy**3)**2; minimum at (3, 0.5)."""

    minimum = (3.0, 0.5)

    def value(self, x: Any, y: Any) -> Any:
        return (1.5 - x + x * y) ** 2 + (2.25 - x + x * y**2) ** 2 + (2.625 - x + x * y**3) ** 2


class Saddle(TestFunction):
    """x**2 - y**2: a saddle point at (0, 0), where plain gradient descent lingers."""

    minimum = (0.0, 0.0)  # not a minimum: the saddle point

    def value(self, x: Any, y: Any) -> Any:
        return x**2 - y**2


class IllConditioned(TestFunction):
    """(x**2 + 30 y**2) / 2: a quadratic 30 times steeper in y than in x; minimum at (0, 0)."""

    minimum = (0.0, 0.0)

    def value(self, x: Any, y: Any) -> Any:
        return (x**2 + 30 * y**2) / 2


@dataclass(frozen=True)
class Problem:
    title: str
    function: type[TestFunction]
    start: tuple[float, float]
    steps: int
    lrs: dict[str, float]  # per optimizer
    box: tuple[float, float, float, float]  # x_min, x_max, y_min, y_max
    log_levels: bool


PROBLEMS = [
    Problem(
        "Rosenbrock",
        Rosenbrock,
        (-1.5, 2.0),
        1000,
        {"GD": 1e-3, "Momentum": 1e-3, "RMSprop": 1e-2, "Adam": 5e-2},
        (-2, 2, -1, 3),
        True,
    ),
    Problem(
        "Beale",
        Beale,
        (1.0, 1.4),
        500,
        {"GD": 1e-2, "Momentum": 1e-2, "RMSprop": 1e-2, "Adam": 5e-2},
        (-0.5, 4, -1, 2),
        True,
    ),
    Problem(
        "Saddle",
        Saddle,
        (-1.0, 0.01),
        60,
        {"GD": 5e-2, "Momentum": 5e-2, "RMSprop": 1e-2, "Adam": 5e-2},
        (-1.5, 1.5, -1.5, 1.5),
        False,
    ),
    Problem(
        "Ill-conditioned quadratic",
        IllConditioned,
        (-4.0, 1.0),
        100,
        {"GD": 0.064, "Momentum": 0.064, "RMSprop": 0.1, "Adam": 0.2},
        (-5, 1, -1.5, 1.5),
        False,
    ),
]

OPTIMIZERS: dict[str, tuple[str, Callable[[list[nn.Parameter], float], optimizers.Optimizer]]] = {
    "GD": ("tab:blue", lambda ps, lr: optimizers.SGD(ps, lr=lr)),
    "Momentum": ("tab:red", lambda ps, lr: optimizers.Momentum(ps, lr=lr, beta=0.9)),
    "RMSprop": ("tab:green", lambda ps, lr: optimizers.RMSprop(ps, lr=lr, alpha=0.9)),
    "Adam": ("tab:purple", lambda ps, lr: optimizers.Adam(ps, lr=lr)),
}


# The rest of torch.optim, by family, each with one learning rate for every problem (its
# default scale: Adadelta's and Rprop's "lr" mean other things), drawn by --families.
Lineup = dict[str, tuple[str, Callable[[list[nn.Parameter], float], optimizers.Optimizer], float]]
FAMILIES: dict[str, Lineup] = {
    "descent": {
        "GD": ("tab:blue", lambda ps, lr: optimizers.SGD(ps, lr=lr), 1e-3),
        "Nesterov": (
            "tab:red",
            lambda ps, lr: optimizers.SGD(ps, lr=lr, momentum=0.9, nesterov=True),
            1e-3,
        ),
        "ASGD": ("tab:orange", lambda ps, lr: optimizers.ASGD(ps, lr=lr, t0=50), 1e-3),
    },
    "adaptive": {
        "Adagrad": ("tab:blue", lambda ps, lr: optimizers.Adagrad(ps, lr=lr), 0.5),
        "RMSprop": ("tab:green", lambda ps, lr: optimizers.RMSprop(ps, lr=lr, alpha=0.9), 1e-2),
        "Adadelta": ("tab:red", lambda ps, lr: optimizers.Adadelta(ps, lr=lr), 1.0),
        "Rprop": ("tab:orange", lambda ps, lr: optimizers.Rprop(ps, lr=lr), 1e-3),
    },
    "adam": {
        "Adam": ("tab:purple", lambda ps, lr: optimizers.Adam(ps, lr=lr), 5e-2),
        "Adamax": ("tab:blue", lambda ps, lr: optimizers.Adamax(ps, lr=lr), 5e-2),
        "NAdam": ("tab:red", lambda ps, lr: optimizers.NAdam(ps, lr=lr), 5e-2),
        # (RAdam's first steps are plain momentum steps: Adam's lr diverges on Rosenbrock)
        "RAdam": ("tab:green", lambda ps, lr: optimizers.RAdam(ps, lr=lr), 1e-3),
        "Adafactor": ("tab:orange", lambda ps, lr: optimizers.Adafactor(ps, lr=lr), 5e-2),
    },
}


LINE_STYLES = ["-", "--", "-.", ":", (0, (5, 1, 1, 1))]
END_MARKERS = ["s", "D", "^", "v", "P"]


def trajectory(problem: Problem, name: str, family: str | None = None) -> np.ndarray:
    """The points visited by optimizer ``name`` (of ``family``, or of the classic four) on
    ``problem``, shape (steps + 1, 2)."""
    function = problem.function(problem.start)
    if family is None:
        optimizer = OPTIMIZERS[name][1](list(function.parameters()), problem.lrs[name])
    else:
        _, make, lr = FAMILIES[family][name]
        optimizer = make(list(function.parameters()), lr)
    path = [function.point.detach().numpy().copy()]
    for _ in range(problem.steps):
        optimizer.zero_grad()
        function().backward()
        optimizer.step()
        path.append(function.point.detach().numpy().copy())
    return np.array(path)


def plot(out: Path, family: str | None = None) -> Path:
    """The four problems with each optimizer's path: the classic four, or ``family``'s."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.colors import LogNorm

    fig, axes = plt.subplots(2, 2, figsize=(12, 10))
    for ax, problem in zip(axes.ravel(), PROBLEMS, strict=True):
        x0, x1, y0, y1 = problem.box
        xx, yy = np.meshgrid(np.linspace(x0, x1, 400), np.linspace(y0, y1, 400))
        zz = problem.function(problem.start).value(xx, yy)
        if problem.log_levels:
            shifted = zz - zz.min() + 1e-3
            ax.contour(
                xx,
                yy,
                shifted,
                levels=np.logspace(-3, np.log10(shifted.max()), 25),
                norm=LogNorm(),
                cmap="Greys",
                linewidths=0.6,
            )
        else:
            ax.contour(xx, yy, zz, levels=25, cmap="Greys", linewidths=0.6)
        lineup = (
            {n: (c, problem.lrs[n]) for n, (c, _) in OPTIMIZERS.items()}
            if family is None
            else {n: (c, lr) for n, (c, _, lr) in FAMILIES[family].items()}
        )
        for number, (name, (colour, lr)) in enumerate(lineup.items()):
            path = trajectory(problem, name, family)
            inside = np.all((path >= [x0, y0]) & (path <= [x1, y1]), axis=1)
            shown = path[: np.argmin(inside) if not inside.all() else len(path)]
            end = shown[-1]
            ends = "ends" if inside.all() else "left the frame at"
            # (paths that coincide stay visible: each later one thinner, in its own dashes,
            # over the wider earlier ones; each ends in a marker)
            ax.plot(
                shown[:, 0],
                shown[:, 1],
                linestyle=LINE_STYLES[number % len(LINE_STYLES)],
                color=colour,
                lw=max(4.0 - 0.7 * number, 2.0),
                alpha=0.85,
                label=f"{name} (lr {lr:g}): {ends} ({end[0]:.2f}, {end[1]:.2f})",
            )
            ax.plot(*end, marker=END_MARKERS[number % len(END_MARKERS)], color=colour, ms=9,
                    markeredgecolor="black", zorder=5)  # fmt: skip
        ax.plot(*problem.start, "ko", ms=7, label="start", zorder=6)
        ax.plot(
            *problem.function.minimum,
            "k*",
            ms=12,
            label="minimum" if problem.function is not Saddle else "saddle point",
        )
        ax.set_xlim(x0, x1)
        ax.set_ylim(y0, y1)
        ax.set_xlabel("x")
        ax.set_ylabel("y")
        ax.set_title(f"{problem.title} ({problem.steps} steps)")
        ax.legend(fontsize=7.5, loc="best", framealpha=0.9)
    kind = "the classic four" if family is None else f"the {family} family"
    fig.suptitle(f"Paths from the same start ({kind}; markers: where each ended)")
    fig.tight_layout()
    out.mkdir(parents=True, exist_ok=True)
    path = out / ("trajectories.png" if family is None else f"trajectories_{family}.png")
    save_png(fig, path, dpi=85)
    plt.close(fig)
    return path


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Optimizer trajectories on 2-D test functions.")
    parser.add_argument("--out", type=Path, default=Path("runs/trajectories"), help="output folder")
    parser.add_argument(
        "--families", action="store_true", help="also draw the rest of torch.optim, by family"
    )
    args = parser.parse_args(argv)
    for problem in PROBLEMS:
        paths = {name: trajectory(problem, name) for name in OPTIMIZERS}
        print(
            f"{problem.title:>26}: "
            + ", ".join(f"{n} ({p[-1][0]:.3f}, {p[-1][1]:.3f})" for n, p in paths.items())
        )
        print(
            f"{'(mean cosine, path/distance)':>26}: "
            + ", ".join(
                f"{n} ({c:.2f}, {r:.2f})"
                for n, (c, r) in ((n, of_points(p)) for n, p in paths.items())
            )
        )
    try:
        print("wrote", plot(args.out))
        for family in FAMILIES if args.families else ():
            print("wrote", plot(args.out, family))
    except ImportError:
        print("(no picture: pip install -e '.[plot]' for matplotlib)")


if __name__ == "__main__":
    main()
