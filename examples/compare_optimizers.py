"""The deep-learning optimization course's experiment, with descend's PyTorch-style API.

A 2-5-2-1 network (ReLU, ReLU, Sigmoid; He initialisation) learns the two-moons data with
batch gradient descent (the whole training set per step), stochastic gradient descent
(one example per step), mini-batch gradient descent, momentum and Adam, each from the same
initial weights, at the course's learning rate 0.0007 for 5000 epochs. ``--decay`` adds the
course's scheduled learning-rate decay (and its learning rates: 0.1 for gradient descent
and momentum, 0.01 for Adam).

    python examples/compare_optimizers.py            # the full comparison
    python examples/compare_optimizers.py --quick    # a few seconds
    python examples/compare_optimizers.py --decay --optimizers mini-batch-gd,momentum,adam
    python examples/compare_optimizers.py --seeds 10  # the median over 10 initialisations

Prints a table and writes cost.png, boundaries.png, results.csv and results.json to --out.
"""

from __future__ import annotations

import argparse
import csv
import itertools
import json
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

import nn
import optimizers
from data import DataLoader, Sampler, TensorDataset
from data.datasets import make_blobs, make_circles, make_moons, make_spirals
from optimizers.lr_scheduler import InverseTimeLR

sys.path.insert(0, str(Path(__file__).resolve().parent))
from figure_files import save_png
from path_smoothness import PathMeter, flat, flat_views
from seed_summary import plot_accuracy_by_seed, summary_table, write_by_seed

COURSE_LR = 0.0007
COURSE_DECAY_LRS = {
    "batch-gd": 0.1,
    "sgd": 0.1,
    "mini-batch-gd": 0.1,
    "momentum": 0.1,
    "adam": 0.01,
}
ORDER = ("batch-gd", "sgd", "mini-batch-gd", "momentum", "adam")
STYLES = {"momentum": "--"}  # momentum often lies on mini-batch GD's line: dash it
COLOURS = {
    "batch-gd": "tab:blue",
    "sgd": "tab:orange",
    "mini-batch-gd": "tab:green",
    "momentum": "tab:red",
    "adam": "tab:purple",
}


class CourseNet(nn.Module):
    """The course's 3-layer network: LINEAR -> RELU -> LINEAR -> RELU -> LINEAR -> SIGMOID.

    Layer sizes 2-5-2-1, weights He-initialised layer by layer from ``generator``
    (``kaiming_normal_``: W = randn(n_l, n_(l-1)) * sqrt(2 / n_(l-1)), the course's
    ``initialize_parameters_he``), biases zero. With ``logits=True`` the sigmoid is left to
    ``BCEWithLogitsLoss``.
    """

    def __init__(
        self, layer_sizes: Sequence[int] = (2, 5, 2, 1), logits: bool = False, generator: Any = None
    ) -> None:
        super().__init__()
        self.layers = nn.ModuleList(
            nn.Linear(n_in, n_out) for n_in, n_out in itertools.pairwise(layer_sizes)
        )
        self.logits = logits
        for layer in self.layers:
            nn.init.kaiming_normal_(layer.weight, generator=generator)
            nn.init.zeros_(layer.bias)

    def forward(self, x: Any) -> nn.Tensor:
        *hidden, last = self.layers
        for layer in hidden:
            x = layer(x).relu()
        out = last(x)
        return out if self.logits else out.sigmoid()

    def probabilities(self, x: Any) -> np.ndarray:
        """P(y = 1 | x) for each row of x, without recording a graph."""
        with nn.no_grad():
            out = self(x)
        return (out.sigmoid() if self.logits else out).numpy()[:, 0]


class CourseShuffle(Sampler):
    """The course's shuffling: epoch k (from 1) is ``RandomState(first_seed + k).permutation(m)``.

    The course's ``model`` starts from seed 10 and calls ``random_mini_batches(X, Y,
    mini_batch_size, seed)`` with seed + 1 every epoch.
    """

    def __init__(self, m: int, first_seed: int) -> None:
        self.m = m
        self.seed = first_seed

    def __iter__(self) -> Any:
        self.seed += 1
        return iter(np.random.RandomState(self.seed).permutation(self.m).tolist())

    def __len__(self) -> int:
        return self.m


@dataclass(frozen=True)
class RunSpec:
    """One optimizer of the comparison: what it is fed and how it steps."""

    name: str
    label: str
    batch_size: int | None  # None: the whole training set
    lr: float
    epochs: int
    make_optimizer: Callable[[Iterable[nn.Parameter], float], optimizers.Optimizer] = field(
        compare=False
    )


@dataclass
class RunResult:
    name: str
    label: str
    batch_size: int
    lr: float
    epochs: int
    updates: int
    final_cost: float
    train_accuracy: float
    test_accuracy: float
    seconds: float
    costs: list[float] = field(repr=False)
    mean_cosine: float = float("nan")  # between consecutive updates of all weights
    path_ratio: float = float("nan")  # path length over distance covered
    update_costs: list[float] = field(default_factory=list, repr=False)  # each batch's cost


DATASETS = {
    "moons": lambda n, g: make_moons(n, noise=0.2, generator=g),
    "circles": lambda n, g: make_circles(n, noise=0.1, factor=0.5, generator=g),
    "spirals": lambda n, g: make_spirals(n, n_classes=2, noise=0.2, generator=g),
    "blobs": lambda n, g: make_blobs(n, centers=2, cluster_std=1.5, generator=g),
}


def make_data(
    dataset: str, seed: int, n_samples: int = 300, dtype: Any = np.float64
) -> tuple[np.ndarray, ...]:
    """(X_train, y_train, X_test, y_test): features of shape (n, 2), labels of shape (n, 1).

    The course's ``load_dataset``: ``np.random.seed(3); make_moons(300, noise=0.2)`` for
    training, here ``RandomState(seed)``; the test set comes from ``RandomState(seed + 1000)``.
    """
    X, y = DATASETS[dataset](n_samples, np.random.RandomState(seed))
    X_test, y_test = DATASETS[dataset](n_samples, np.random.RandomState(seed + 1000))
    as_labels = lambda v: v.astype(dtype)[:, None]  # noqa: E731
    return X.astype(dtype), as_labels(y), X_test.astype(dtype), as_labels(y_test)


def build_runs(args: argparse.Namespace) -> list[RunSpec]:
    """The runs asked for on the command line, in the course's order."""
    names = [n.strip() for n in args.optimizers.split(",") if n.strip()]
    unknown = sorted(set(names) - set(ORDER))
    if unknown:
        raise SystemExit(f"unknown optimizer(s) {unknown}; choose from {', '.join(ORDER)}")

    def lr_for(name: str) -> float:
        if args.lr is not None:
            return args.lr
        return COURSE_DECAY_LRS[name] if args.decay else COURSE_LR

    factories: dict[str, tuple[str, int | None, Callable[..., optimizers.Optimizer]]] = {
        "batch-gd": ("Batch GD", None, lambda ps, lr: optimizers.BatchGD(ps, lr=lr)),
        "sgd": ("SGD", 1, lambda ps, lr: optimizers.SGD(ps, lr=lr)),
        "mini-batch-gd": (
            "Mini-batch GD",
            args.batch_size,
            lambda ps, lr: optimizers.SGD(ps, lr=lr),
        ),
        "momentum": (
            "Momentum",
            args.batch_size,
            lambda ps, lr: optimizers.Momentum(ps, lr=lr, beta=args.beta),
        ),
        "adam": (
            "Adam",
            args.batch_size,
            lambda ps, lr: optimizers.Adam(ps, lr=lr, betas=(args.beta1, args.beta2), eps=args.eps),
        ),
    }
    runs = []
    for name in [n for n in ORDER if n in names]:
        label, batch_size, factory = factories[name]
        epochs = min(args.epochs, args.sgd_epochs) if name == "sgd" else args.epochs
        runs.append(RunSpec(name, label, batch_size, lr_for(name), epochs, factory))
    return runs


def train(
    spec: RunSpec,
    data: tuple[np.ndarray, ...],
    seed: int,
    logits: bool = False,
    decay: tuple[float, int] | None = None,
    progress: Callable[[int, str], Iterable[int]] | None = None,
    compiled: bool = False,
) -> tuple[RunResult, CourseNet]:
    """Train a fresh CourseNet with ``spec``, as the course's ``model`` does.

    Every run of a seed starts from the same weights (He initialisation from
    ``RandomState(seed)``) and sees the same sequence of shuffles (``CourseShuffle`` from
    seed + 7: 11, 12, ... for the default seed 3, the course's). The cost of an epoch is the
    course's: the per-example cross-entropy summed over the epoch's mini-batches as they are
    trained on, divided by m. ``compiled``: the training steps call ``nn.compile(model)``
    (``--compile``: the same numbers, bit for bit; on this small net no faster, see
    docs/benchmarks.md).
    """
    X, y, X_test, y_test = data
    nn.manual_seed(seed)
    model = CourseNet(logits=logits, generator=np.random.RandomState(seed)).to(X.dtype)
    loss_fn = nn.BCEWithLogitsLoss() if logits else nn.BCELoss()
    optimizer = spec.make_optimizer(model.parameters(), spec.lr)
    scheduler = InverseTimeLR(optimizer, decay[0], decay[1]) if decay else None
    dataset = TensorDataset(X, y)
    if spec.batch_size is None:
        loader = DataLoader(dataset, batch_size=len(dataset))  # the whole set, in order
    else:
        loader = DataLoader(
            dataset, batch_size=spec.batch_size, sampler=CourseShuffle(len(X), seed + 7)
        )
    forward = nn.compile(model) if compiled else model
    epochs = progress(spec.epochs, spec.label) if progress else range(spec.epochs)
    costs, update_costs, updates = [], [], 0
    path = PathMeter()  # how smoothly the weights move (examples/path_smoothness.py)
    weights = flat_views(model.parameters())  # (the optimizer writes into them in place)
    path.add(flat(weights))
    start = time.perf_counter()
    for _ in epochs:
        cost_total = 0.0
        for xb, yb in loader:
            optimizer.zero_grad()
            loss = loss_fn(forward(xb), yb)
            loss.backward()
            optimizer.step()
            path.add(flat(weights))
            cost = loss.item()
            cost_total += cost * len(yb)
            update_costs.append(cost)  # (the cost of this update's batch, before it)
            updates += 1
        costs.append(cost_total / len(X))
        if scheduler is not None:
            scheduler.step()
    seconds = time.perf_counter() - start
    result = RunResult(
        name=spec.name,
        label=spec.label,
        batch_size=spec.batch_size or len(X),
        lr=spec.lr,
        epochs=spec.epochs,
        updates=updates,
        final_cost=costs[-1] if costs else float("nan"),
        train_accuracy=accuracy(model, X, y),
        test_accuracy=accuracy(model, X_test, y_test),
        seconds=seconds,
        costs=costs,
        mean_cosine=path.mean_cosine,
        path_ratio=path.path_ratio,
        update_costs=update_costs,
    )
    return result, model


def accuracy(model: CourseNet, X: np.ndarray, y: np.ndarray) -> float:
    """Fraction of examples whose predicted class (p > 0.5) is the label."""
    return float(np.mean((model.probabilities(X) > 0.5) == (y[:, 0] > 0.5)))


def format_table(results: Sequence[RunResult]) -> str:
    """The results as a fixed-width text table."""
    header = (
        "optimizer",
        "batch",
        "lr",
        "epochs",
        "updates",
        "final cost",
        "train acc",
        "test acc",
        "seconds",
    )
    rows = [
        (
            r.label,
            str(r.batch_size),
            f"{r.lr:g}",
            str(r.epochs),
            str(r.updates),
            f"{r.final_cost:.6f}",
            f"{r.train_accuracy:.4f}",
            f"{r.test_accuracy:.4f}",
            f"{r.seconds:.1f}",
        )
        for r in results
    ]
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    lines = [
        "  ".join(
            cell.ljust(w) if i == 0 else cell.rjust(w)
            for i, (cell, w) in enumerate(zip(row, widths, strict=True))
        )
        for row in [header, *rows]
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def smoothness_table(results: Sequence[RunResult]) -> str:
    """Each optimizer's mean cosine between consecutive updates and path length ratio."""
    width = max(len(r.label) for r in results)
    lines = [f"{'optimizer'.ljust(width)}  mean cosine  path / distance"]
    lines += [
        f"{r.label.ljust(width)}  {r.mean_cosine:11.3f}  {r.path_ratio:15.2f}" for r in results
    ]
    return "\n".join(lines)


def write_results(results: Sequence[RunResult], out: Path) -> None:
    """results.csv (one row per optimizer) and results.json (with the cost of every epoch)."""
    out.mkdir(parents=True, exist_ok=True)
    columns = (
        [k for k in asdict(results[0]) if k not in ("costs", "update_costs")] if results else []
    )
    with open(out / "results.csv", "w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns)
        writer.writeheader()
        for r in results:
            writer.writerow({k: v for k, v in asdict(r).items() if k in columns})
    with open(out / "results.json", "w") as handle:  # (each update's cost left out: 60,000)
        rows = [{k: v for k, v in asdict(r).items() if k != "update_costs"} for r in results]
        json.dump(rows, handle, indent=1)


def _pyplot() -> Any:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def plot_costs(results: Sequence[RunResult], path: Path) -> None:
    """cost.png: left, the cost of every epoch, one line per optimizer (log scales); right,
    the cost of each update's own batch over the first updates, where stochastic gradient
    descent's oscillation shows (its epoch average, on the left, hides it)."""
    plt = _pyplot()
    fig, (epochs_ax, updates_ax) = plt.subplots(1, 2, figsize=(12, 4.8))
    for r in results:
        epochs_ax.plot(
            np.arange(1, len(r.costs) + 1),
            r.costs,
            STYLES.get(r.name, "-"),
            label=f"{r.label} (batch {r.batch_size})",
            color=COLOURS[r.name],
            lw=3.5 if r.name == "mini-batch-gd" else 2,
        )
    epochs_ax.set_yscale("log")
    epochs_ax.set_xscale("log")
    epochs_ax.set_xlabel("epoch")
    epochs_ax.set_ylabel("cost of the epoch (mean cross-entropy)")
    by_name = {r.name: np.array(r.costs) for r in results}
    pair = [by_name.get("momentum"), by_name.get("mini-batch-gd")]
    together = (
        pair[0] is not None
        and pair[1] is not None
        and len(pair[0]) == len(pair[1])
        and bool(np.all(np.abs(pair[0] - pair[1]) <= 0.01 * pair[1]))
    )  # (at the course's lr 0.0007 the two coincide: say so where it is true)
    epochs_ax.set_title(
        "Cost per epoch (momentum, dashed, on mini-batch GD)" if together else "Cost per epoch"
    )
    epochs_ax.grid(True, which="both", alpha=0.3)
    epochs_ax.legend(fontsize=9)
    drawn = {r.name: r for r in results if r.update_costs}
    for name in ("sgd", "mini-batch-gd", "batch-gd"):  # (SGD's cloud first, under the lines)
        if name not in drawn:
            continue
        r = drawn[name]
        costs = np.array(r.update_costs)
        steps = np.arange(1, len(costs) + 1)
        if name == "sgd":
            updates_ax.plot(
                steps,
                costs,
                ".",
                color=COLOURS[name],
                ms=1.5,
                alpha=0.25,
                label=f"{r.label}: the cost of each update's one example",
            )
            if len(costs) >= len(r.costs):
                per_epoch = len(costs) // len(r.costs)
                window = np.convolve(costs, np.ones(per_epoch) / per_epoch, mode="valid")
                updates_ax.plot(
                    steps[per_epoch - 1 :],
                    window,
                    color="black",
                    lw=1.2,
                    zorder=4,
                    label=f"{r.label}: mean of its last {per_epoch} updates",
                )
        else:
            updates_ax.plot(
                steps,
                costs,
                color=COLOURS[name],
                lw=2.5 if name == "batch-gd" else 1.5,
                zorder=3,
                label=f"{r.label}: each update's batch of {r.batch_size}",
            )
    updates_ax.set_xscale("log")
    updates_ax.set_yscale("log")
    updates_ax.set_xlabel("update")
    updates_ax.set_ylabel("cost of the update's batch")
    updates_ax.set_title("Cost of each update's batch: SGD's oscillates")
    updates_ax.grid(True, which="both", alpha=0.3)
    updates_ax.set_ylim(1e-3, 10)
    if updates_ax.get_legend_handles_labels()[0]:
        updates_ax.legend(fontsize=9, loc="lower left", markerscale=6)
    else:  # (none of the three gradient descents was run)
        updates_ax.set_visible(False)
    fig.tight_layout()
    save_png(fig, path, dpi=100)
    plt.close(fig)


def plot_boundaries(
    results: Sequence[RunResult],
    models: Sequence[CourseNet],
    X: np.ndarray,
    y: np.ndarray,
    path: Path,
) -> None:
    """boundaries.png: each trained model's decision boundary over the training data, in a
    grid of three columns (readable at a page's width), with a legend of the classes."""
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    plt = _pyplot()
    columns = 3
    rows = -(-len(results) // columns)
    fig, axes = plt.subplots(rows, columns, figsize=(11, 3.7 * rows), squeeze=False)
    low, high = X.min(axis=0) - 0.5, X.max(axis=0) + 0.5
    xx, yy = np.meshgrid(np.linspace(low[0], high[0], 300), np.linspace(low[1], high[1], 300))
    grid = np.column_stack([xx.ravel(), yy.ravel()]).astype(np.float32)
    regions = ["#f4c7c3", "#c6dbef"]
    for ax, result, model in zip(axes.ravel(), results, models, strict=False):
        p = model.probabilities(grid).reshape(xx.shape)
        ax.contourf(xx, yy, p > 0.5, levels=[-0.5, 0.5, 1.5], colors=regions, alpha=0.8)
        ax.contour(xx, yy, p, levels=[0.5], colors=COLOURS[result.name], linewidths=2)
        ax.scatter(
            X[:, 0], X[:, 1], c=y[:, 0], cmap="coolwarm_r", s=10, edgecolors="k", linewidths=0.3
        )
        ax.set_title(f"{result.label}: train accuracy {result.train_accuracy:.3f}", fontsize=11)
        ax.set_xlabel("$x_1$")
        ax.set_ylabel("$x_2$")
    for ax in axes.ravel()[len(results) :]:
        ax.axis("off")
    colours = plt.get_cmap("coolwarm_r")
    legend = [
        Line2D([], [], marker="o", ls="", color=colours(0.0), markeredgecolor="k", label="class 0"),
        Line2D([], [], marker="o", ls="", color=colours(1.0), markeredgecolor="k", label="class 1"),
        Patch(color=regions[0], label="predicted 0 (p < 0.5)"),
        Patch(color=regions[1], label="predicted 1 (p > 0.5)"),
        Line2D([], [], color="grey", lw=2, label="boundary p = 0.5 (in each optimizer's colour)"),
    ]
    spare = axes.ravel()[-1] if len(results) < rows * columns else None
    if spare is not None:
        spare.legend(handles=legend, loc="center", fontsize=10, frameon=False)
    else:
        fig.legend(handles=legend, loc="lower center", ncol=3, fontsize=9)
    fig.suptitle("Decision boundaries (same data, same initial weights)")
    fig.tight_layout()
    save_png(fig, path, dpi=90)
    plt.close(fig)


def tqdm_progress() -> Callable[[int, str], Iterable[int]] | None:
    """A tqdm bar over epochs, or None when tqdm is not installed."""
    try:
        from tqdm.auto import tqdm
    except ImportError:
        return None
    return lambda epochs, label: tqdm(range(epochs), desc=f"{label:>13}", unit="epoch", leave=False)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[1] if __doc__ else None,
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    parser.add_argument(
        "--optimizers",
        default=",".join(ORDER),
        help=f"comma-separated runs, from: {', '.join(ORDER)}",
    )
    parser.add_argument(
        "--dataset", choices=sorted(DATASETS), default="moons", help="training and test data"
    )
    parser.add_argument(
        "--epochs",
        type=int,
        default=5000,
        help="epochs per optimizer (passes over the training set)",
    )
    parser.add_argument(
        "--sgd-epochs", type=int, default=200, help="cap on SGD's epochs (each is 300 updates)"
    )
    parser.add_argument(
        "--lr",
        type=float,
        default=None,
        help="learning rate for every run (default: the course's, 0.0007, or with --decay "
        "0.1, and 0.01 for Adam)",
    )
    parser.add_argument(
        "--batch-size",
        type=int,
        default=64,
        help="mini_batch_size of mini-batch GD, momentum and Adam",
    )
    parser.add_argument("--beta", type=float, default=0.9, help="momentum's beta")
    parser.add_argument("--beta1", type=float, default=0.9, help="Adam's beta1")
    parser.add_argument("--beta2", type=float, default=0.999, help="Adam's beta2")
    parser.add_argument("--eps", type=float, default=1e-8, help="Adam's epsilon")
    parser.add_argument(
        "--decay",
        action="store_true",
        help="add InverseTimeLR: lr0 / (1 + decay_rate * floor(epoch / time_interval))",
    )
    parser.add_argument("--decay-rate", type=float, default=1.0, help="decay_rate of --decay")
    parser.add_argument(
        "--time-interval", type=int, default=1000, help="time_interval of --decay, in epochs"
    )
    parser.add_argument(
        "--logits",
        action="store_true",
        help="drop the final sigmoid and train with BCEWithLogitsLoss",
    )
    parser.add_argument(
        "--seed",
        type=int,
        default=3,
        help="seeds the data, the initial weights and the shuffling (3: the course's)",
    )
    parser.add_argument(
        "--dtype",
        choices=["float64", "float32"],
        default="float64",
        help="float type of data and network (the course's NumPy code is float64)",
    )
    parser.add_argument(
        "--out", type=Path, default=Path("runs/compare"), help="folder for the plots and results"
    )
    parser.add_argument(
        "--quick", action="store_true", help="a short run: 300 epochs, SGD 5 epochs"
    )
    parser.add_argument("--no-progress", action="store_true", help="no progress bars")
    parser.add_argument(
        "--compile",
        action="store_true",
        help="train through nn.compile(model): the same numbers, bit for bit",
    )
    parser.add_argument(
        "--seeds",
        type=int,
        default=1,
        help="initialisations (and shuffles) per optimizer: --seed, --seed + 1, ...; the data "
        "stays --seed's. Above 1 adds the median and range of accuracy and accuracy_by_seed.png",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> list[RunResult]:
    args = build_parser().parse_args(argv)
    if args.quick:
        args.epochs, args.sgd_epochs = min(args.epochs, 300), min(args.sgd_epochs, 5)
    if args.epochs < 1 or args.sgd_epochs < 1 or args.batch_size < 1 or args.seeds < 1:
        raise SystemExit("--epochs, --sgd-epochs, --batch-size and --seeds must be positive")
    runs = build_runs(args)
    data = make_data(args.dataset, args.seed, dtype=np.dtype(args.dtype))
    progress = None if args.no_progress else tqdm_progress()
    if progress is None and not args.no_progress:
        print("(no progress bars: pip install -e '.[progress]' for tqdm)", file=sys.stderr)
    decay = (args.decay_rate, args.time_interval) if args.decay else None
    results, models = [], []
    for spec in runs:
        result, model = train(
            spec, data, args.seed, args.logits, decay, progress, compiled=args.compile
        )
        results.append(result)
        models.append(model)
    title = f"{args.dataset}, seed {args.seed}" + (
        f", decay {args.decay_rate}/{args.time_interval}" if decay else ""
    )
    print(f"\nOptimizer comparison ({title})\n")
    print(format_table(results))
    print("\nPath smoothness of the weights (1 and 1: a straight path; oscillation lowers the")
    print("cosine between consecutive updates and raises path length / distance covered)\n")
    print(smoothness_table(results))
    write_results(results, args.out)
    written = ["results.csv", "results.json"]
    try:
        plot_costs(results, args.out / "cost.png")
        plot_boundaries(results, models, data[0], data[1], args.out / "boundaries.png")
        written += ["cost.png", "boundaries.png"]
    except ImportError:
        print("(no plots: pip install -e '.[plot]' for matplotlib)", file=sys.stderr)
    if args.seeds > 1:
        by_seed = {args.seed: results}
        for seed in range(args.seed + 1, args.seed + args.seeds):
            print(f"seed {seed} ({seed - args.seed + 1} of {args.seeds})", flush=True)
            by_seed[seed] = [
                train(spec, data, seed, args.logits, decay, progress, args.compile)[0]
                for spec in runs
            ]
        print(f"\nOver {args.seeds} initialisations (seeds {args.seed}-{seed}, the same data)\n")
        print(summary_table(by_seed))
        write_by_seed(by_seed, args.out)
        written += ["results_by_seed.csv", "results_by_seed.json"]
        try:
            plot_accuracy_by_seed(by_seed, COLOURS, args.out / "accuracy_by_seed.png")
            written.append("accuracy_by_seed.png")
        except ImportError:
            pass
    print(f"\nwrote {', '.join(written)} to {args.out}/")
    return results


if __name__ == "__main__":
    main()
