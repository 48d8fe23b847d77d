"""How smoothly an optimizer moves: two numbers for the path of its parameters.

    mean cosine   the average cosine between consecutive updates u_k = W_(k+1) - W_k:
                  1 for a straight path, near 0 for a random walk, negative for a zig-zag
    path ratio    the path's length over the distance it covered, sum |u_k| / |W_end - W_0|:
                  1 for a straight path, large for an oscillating one

``PathMeter`` keeps running sums, so a path of millions of steps costs no memory.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np


class PathMeter:
    """Feed it the parameters after every update (``add``); read ``mean_cosine`` and
    ``path_ratio``."""

    def __init__(self) -> None:
        self.start: np.ndarray | None = None
        self.last: np.ndarray | None = None
        self.last_update: np.ndarray | None = None
        self.cosines, self.count, self.length = 0.0, 0, 0.0

    def add(self, point: np.ndarray) -> None:
        point = np.asarray(point, dtype=np.float64).reshape(-1).copy()
        if self.start is None:
            self.start = self.last = point
            return
        assert self.last is not None
        update = point - self.last
        size = float(np.linalg.norm(update))
        self.length += size
        if self.last_update is not None and size > 0:
            previous = float(np.linalg.norm(self.last_update))
            if previous > 0:
                self.cosines += float(update @ self.last_update) / (size * previous)
                self.count += 1
        if size > 0:
            self.last_update = update
        self.last = point

    @property
    def mean_cosine(self) -> float:
        return self.cosines / self.count if self.count else float("nan")

    @property
    def path_ratio(self) -> float:
        if self.start is None or self.last is None:
            return float("nan")
        distance = float(np.linalg.norm(self.last - self.start))
        return self.length / distance if distance > 0 else float("inf")


def flat(parameters: Iterable[Any]) -> np.ndarray:
    """All parameters' values as one vector (of Tensors, or of their arrays)."""
    return np.concatenate(
        [np.ravel(p.detach().numpy() if hasattr(p, "detach") else p) for p in parameters]
    )


def flat_views(parameters: Iterable[Any]) -> list[np.ndarray]:
    """Each parameter's values as a NumPy view of its storage: read again after a step, they
    hold the new values (descend's optimizers update parameters in place, as PyTorch's),
    without looking the parameters up or wrapping them again."""
    return [p.detach().numpy() for p in parameters]


def of_points(points: np.ndarray) -> tuple[float, float]:
    """(mean cosine, path ratio) of a path given point by point (rows)."""
    meter = PathMeter()
    for point in points:
        meter.add(point)
    return meter.mean_cosine, meter.path_ratio


def main() -> None:
    """The two numbers of three paths one can picture: straight, zig-zag, random walk."""
    import argparse

    parser = argparse.ArgumentParser(
        description="How smoothly a path moves: mean cosine between consecutive updates and "
        "path length over distance covered, for three example paths (compare_optimizers.py "
        "reports them for each optimizer's weights)."
    )
    parser.add_argument("--steps", type=int, default=200, help="points on each path")
    args = parser.parse_args()
    steps = np.arange(args.steps, dtype=np.float64)
    rng = np.random.default_rng(0)
    paths = {
        "straight line": np.stack([steps, 2 * steps], axis=1),
        "zig-zag": np.stack([steps, (-1.0) ** steps], axis=1),
        "random walk": np.cumsum(rng.standard_normal((args.steps, 2)), axis=0),
    }
    print(f"{'path':14}  {'mean cosine':>11}  {'path ratio':>10}")
    for name, points in paths.items():
        cosine, ratio = of_points(points)
        print(f"{name:14}  {cosine:11.3f}  {ratio:10.2f}")


if __name__ == "__main__":
    main()
