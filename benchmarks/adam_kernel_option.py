"""Measures an option, not descend: Adam's readable rule (``optimizers.Adam.update``, in
the per-parameter executor's 64 KB slices) against an allocation-free NumPy form of it (the
same operations in the same order, ``out=`` into two scratch arrays kept between steps) on
slices of 64K elements, for the MLP's parameter shapes and for 10M floats.

    python benchmarks/adam_kernel_option.py

Prints the median time of a step of each; docs/benchmarks.md records the result.
"""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Callable
from typing import Any

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np

import nn
import optimizers

MLP_SHAPES = [(256, 784), (128, 256), (10, 128), (256,), (128,), (10,)]
SLICE = 1 << 16  # elements per slice of the kernel


def allocation_free_adam(W: Any, dW: Any, v: Any, s: Any, a: Any, b: Any, t: int) -> None:
    """Adam's rule with every temporary written into ``a`` or ``b`` (default hyperparameters)."""
    alpha, beta1, beta2, epsilon = 1e-3, 0.9, 0.999, 1e-8
    v *= beta1
    np.multiply(dW, 1 - beta1, out=a)
    v += a
    s *= beta2
    np.square(dW, out=a)
    a *= 1 - beta2
    s += a
    np.divide(v, 1 - beta1**t, out=a)
    np.divide(s, 1 - beta2**t, out=b)
    np.sqrt(b, out=b)
    b += epsilon
    a *= alpha
    np.divide(a, b, out=a)
    W -= a


def median_time(step: Callable[[], None], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        step()
        times.append(time.perf_counter() - start)
    return statistics.median(times[repeats // 4 :])


def readable_step(shapes: list[tuple[int, ...]]) -> Callable[[], None]:
    rng = np.random.default_rng(0)
    params = [nn.Parameter(rng.standard_normal(shape).astype(np.float32)) for shape in shapes]
    for p in params:
        p.grad = rng.standard_normal(p.shape).astype(np.float32)
    return optimizers.Adam(params).step


def kernel_step(shapes: list[tuple[int, ...]]) -> Callable[[], None]:
    rng = np.random.default_rng(0)
    arrays = [
        [rng.standard_normal(int(np.prod(s))).astype(np.float32) for _ in range(2)] for s in shapes
    ]
    states = [(np.zeros_like(W), np.zeros_like(W)) for W, _ in arrays]
    longest = min(SLICE, max(W.size for W, _ in arrays))
    a, b = np.empty(longest, np.float32), np.empty(longest, np.float32)
    count = [0]

    def step() -> None:
        count[0] += 1
        for (W, dW), (v, s) in zip(arrays, states, strict=True):
            for lo in range(0, W.size, SLICE):
                hi = min(lo + SLICE, W.size)
                part = slice(lo, hi)
                allocation_free_adam(
                    W[part], dW[part], v[part], s[part], a[: hi - lo], b[: hi - lo], count[0]
                )

    return step


def main() -> None:
    for label, shapes, repeats in (
        ("MLP 784-256-128-10", MLP_SHAPES, 300),
        ("10M floats", [(10_000_000,)], 15),
    ):
        readable = median_time(readable_step(shapes), repeats)
        kernel = median_time(kernel_step(shapes), repeats)
        print(
            f"{label}: readable rule {readable * 1e6:.0f} us, "
            f"allocation-free kernel {kernel * 1e6:.0f} us"
        )


if __name__ == "__main__":
    main()
