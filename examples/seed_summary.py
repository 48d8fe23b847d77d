"""Results over several initialisations for compare_optimizers.py --seeds N: a table of each
optimizer's median and range of accuracy, a box plot, and the per-seed records."""

from __future__ import annotations

import csv
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from figure_files import save_png


def summary_table(by_seed: dict[int, Sequence[Any]]) -> str:
    """Median, min and max of the train and test accuracy of each optimizer over the seeds."""
    seeds = list(by_seed)
    labels = [r.label for r in by_seed[seeds[0]]]
    header = ("optimizer", "seeds", "test median", "test min-max", "train median", "train min-max")
    rows = []
    for number, label in enumerate(labels):
        test = np.array([by_seed[s][number].test_accuracy for s in seeds])
        train = np.array([by_seed[s][number].train_accuracy for s in seeds])
        rows.append(
            (
                label,
                str(len(seeds)),
                f"{np.median(test):.4f}",
                f"{test.min():.4f}-{test.max():.4f}",
                f"{np.median(train):.4f}",
                f"{train.min():.4f}-{train.max():.4f}",
            )
        )
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    lines = [
        "  ".join(
            c.ljust(w) if i == 0 else c.rjust(w)
            for i, (c, w) in enumerate(zip(row, widths, strict=True))
        )
        for row in [header, *rows]
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def write_by_seed(by_seed: dict[int, Sequence[Any]], out: Path) -> None:
    """results_by_seed.csv and .json: one record per (seed, optimizer)."""
    records = [
        {
            "seed": seed,
            "optimizer": r.name,
            "train_accuracy": r.train_accuracy,
            "test_accuracy": r.test_accuracy,
            "final_cost": r.final_cost,
        }
        for seed, results in by_seed.items()
        for r in results
    ]
    out.mkdir(parents=True, exist_ok=True)
    with open(out / "results_by_seed.csv", "w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(records[0]))
        writer.writeheader()
        writer.writerows(records)
    with open(out / "results_by_seed.json", "w") as handle:
        json.dump(records, handle, indent=1)


def plot_accuracy_by_seed(
    by_seed: dict[int, Sequence[Any]], colours: dict[str, str], path: Path
) -> None:
    """accuracy_by_seed.png: a box per optimizer over the seeds' test accuracies, the first
    seed (the course's) marked."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    seeds = list(by_seed)
    first = by_seed[seeds[0]]
    values = [[by_seed[s][i].test_accuracy for s in seeds] for i in range(len(first))]
    fig, ax = plt.subplots(figsize=(8, 4.5))
    # (the median a thick black line drawn over the box, so that a box squeezed flat
    # around its median, or one the colour of the median, still shows it)
    boxes = ax.boxplot(
        values,
        patch_artist=True,
        widths=0.5,
        medianprops={"color": "black", "lw": 2.5, "zorder": 4},
    )
    for box, result in zip(boxes["boxes"], first, strict=True):
        box.set_facecolor(colours.get(result.name, "tab:gray"))
        box.set_alpha(0.45)
    spread = np.linspace(-0.12, 0.12, len(seeds))  # (the seeds side by side, not stacked)
    for i, column in enumerate(values, start=1):
        ax.plot(i + spread, column, "k.", ms=4, alpha=0.7, zorder=5)
        ax.plot(i, column[0], "r*", ms=11, zorder=6,
                label=f"seed {seeds[0]} (the course's)" if i == 1 else None)  # fmt: skip
    ax.plot([], [], color="black", lw=2.5, label="median")
    ax.set_xticks(range(1, len(first) + 1), [r.label for r in first])
    ax.set_ylabel("test accuracy")
    ax.set_title(f"Test accuracy over {len(seeds)} initialisations (the same data)")
    ax.grid(True, axis="y", alpha=0.3)
    ax.legend(loc="lower right")
    fig.tight_layout()
    save_png(fig, path, dpi=100)
    plt.close(fig)


def main() -> None:
    """The summary table of a run of ``compare_optimizers.py --seeds N``, read back."""
    import argparse
    from types import SimpleNamespace

    parser = argparse.ArgumentParser(
        description="Median and range of each optimizer's accuracy over initialisations, "
        "from the results_by_seed.json that `compare_optimizers.py --seeds N` writes."
    )
    parser.add_argument(
        "records",
        nargs="?",
        type=Path,
        default=Path("runs/compare/results_by_seed.json"),
        help="the per-seed records (default: runs/compare/results_by_seed.json)",
    )
    args = parser.parse_args()
    if not args.records.exists():
        raise SystemExit(
            f"{args.records} not found: run `python examples/compare_optimizers.py --seeds 5` "
            "first (it writes it), or give its path"
        )
    by_seed: dict[int, list[Any]] = {}
    for record in json.loads(args.records.read_text()):
        result = SimpleNamespace(label=record["optimizer"], **record)
        by_seed.setdefault(record["seed"], []).append(result)
    print(summary_table(by_seed))


if __name__ == "__main__":
    main()
