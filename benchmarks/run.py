"""descend's speed against hand-written NumPy and PyTorch, measured in one process.

    python benchmarks/run.py [--quick] [--threads N] [--json out.json]

Every workload is timed for descend, for a hand-written NumPy floor (benchmarks/hand.py) and,
when it imports, for PyTorch on the CPU, interleaved round by round after warm-up steps;
each cell is the median over rounds of the time per step. The table prints the ratios
descend / hand-written and descend / PyTorch, each the median over rounds of the ratio
within a round (so that a shared machine's changing speed cancels). Nothing here is
asserted: the numbers go to docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any


def _early_threads() -> int:
    """Read --threads before NumPy loads, so that BLAS starts with that many threads."""
    threads = 1
    for i, arg in enumerate(sys.argv):
        if arg == "--threads" and i + 1 < len(sys.argv):
            threads = int(sys.argv[i + 1])
        elif arg.startswith("--threads="):
            threads = int(arg.split("=", 1)[1])
    for name in (
        "OMP_NUM_THREADS",
        "OPENBLAS_NUM_THREADS",
        "MKL_NUM_THREADS",
        "VECLIB_MAXIMUM_THREADS",
    ):
        os.environ[name] = str(threads)
    return threads


THREADS = _early_threads()

import numpy as np  # noqa: E402

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

import hand  # noqa: E402

import nn  # noqa: E402
import optimizers  # noqa: E402
from data import DataLoader, TensorDataset  # noqa: E402

try:
    import torch
except ImportError:  # PyTorch is optional: its column is skipped with a note
    torch = None

Step = Callable[[], object]


# ------------------------------------------------------------------------------ timing
def measure(
    candidates: dict[str, Step], steps: int, rounds: int, warmup: int
) -> dict[str, list[float]]:
    """Seconds per step of each candidate in each round, timed interleaved round by round."""
    for step in candidates.values():
        for _ in range(warmup):
            step()
    samples: dict[str, list[float]] = {name: [] for name in candidates}
    for _ in range(rounds):
        for name, step in candidates.items():
            start = time.perf_counter()
            for _ in range(steps):
                step()
            samples[name].append((time.perf_counter() - start) / steps)
    return samples


def summarize(workload: str, samples: dict[str, list[float]]) -> dict:
    """Median time of each candidate, and the median over rounds of descend's time over each
    other candidate's time in the same round (the machine's speed drifts between rounds;
    a ratio within a round is measured at one speed)."""
    ours = samples["descend"]
    return {
        "workload": workload,
        **{name: statistics.median(values) for name, values in samples.items()},
        "ratios": {
            name: statistics.median(a / b for a, b in zip(ours, values, strict=True))
            for name, values in samples.items()
            if name != "descend"
        },
    }


# --------------------------------------------------------------------------- networks
def descend_step(
    sizes: list[int], optimizer: str, batch: int, lr: float, seed: int, compiled: bool = False
) -> Step:
    rng = np.random.default_rng(seed)
    nn.manual_seed(seed)
    layers: list[nn.Module] = []
    for n_in, n_out in itertools.pairwise(sizes):
        layers += [nn.Linear(n_in, n_out), nn.ReLU()]
    model = nn.Sequential(*layers[:-1])
    forward = nn.compile(model) if compiled else model
    binary = sizes[-1] == 1
    loss_fn = nn.BCEWithLogitsLoss() if binary else nn.CrossEntropyLoss()
    opt = {
        "sgd": lambda ps: optimizers.SGD(ps, lr=lr),
        "momentum": lambda ps: optimizers.Momentum(ps, lr=lr, beta=0.9),
        "adam": lambda ps: optimizers.Adam(ps, lr=lr),
    }[optimizer](model.parameters())
    x = rng.standard_normal((batch, sizes[0])).astype(np.float32)
    y = (
        (rng.random((batch, 1)) > 0.5).astype(np.float32)
        if binary
        else rng.integers(0, sizes[-1], batch)
    )

    def step() -> float:
        opt.zero_grad()
        loss = loss_fn(forward(x), y)
        loss.backward()
        opt.step()
        return loss.item()  # the loss value, as the hand-written step computes it

    return step


def hand_step(sizes: list[int], optimizer: str, batch: int, lr: float, seed: int) -> Step:
    rng = np.random.default_rng(seed)
    model = hand.MLPStep(sizes, optimizer, lr, rng)
    x = rng.standard_normal((batch, sizes[0])).astype(np.float32)
    y = (
        (rng.random((batch, 1)) > 0.5).astype(np.float32)
        if sizes[-1] == 1
        else rng.integers(0, sizes[-1], batch)
    )
    return lambda: model(x, y)


def torch_step(sizes: list[int], optimizer: str, batch: int, lr: float, seed: int) -> Step:
    torch.manual_seed(seed)
    layers: list = []
    for n_in, n_out in itertools.pairwise(sizes):
        layers += [torch.nn.Linear(n_in, n_out), torch.nn.ReLU()]
    model = torch.nn.Sequential(*layers[:-1])
    binary = sizes[-1] == 1
    loss_fn = torch.nn.BCEWithLogitsLoss() if binary else torch.nn.CrossEntropyLoss()
    opt = {
        "sgd": lambda ps: torch.optim.SGD(ps, lr=lr),
        "momentum": lambda ps: torch.optim.SGD(ps, lr=lr * 0.1, momentum=0.9),
        "adam": lambda ps: torch.optim.Adam(ps, lr=lr),
    }[optimizer](model.parameters())
    x = torch.randn(batch, sizes[0])
    y = (torch.rand(batch, 1) > 0.5).float() if binary else torch.randint(0, sizes[-1], (batch,))

    def step() -> float:
        opt.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        opt.step()
        return loss.item()

    return step


# ------------------------------------------------------------------------- workloads
def network_rows(quick: bool) -> list[dict]:
    rows = []
    configs = [
        ("course net 2-5-2-1, batch 64", [2, 5, 2, 1], 64, 50, 61, 200),
        ("MLP 784-256-128-10, batch 128", [784, 256, 128, 10], 128, 5, 41, 5),
        ("wide MLP 1024-4096-4096-10, batch 256", [1024, 4096, 4096, 10], 256, 2, 15, 1),
    ]
    for label, sizes, batch, steps, rounds, warmup in configs:
        for optimizer in ("sgd", "momentum", "adam"):
            candidates = {
                "descend": descend_step(sizes, optimizer, batch, 1e-3, 0),
                "hand": hand_step(sizes, optimizer, batch, 1e-3, 0),
            }
            if torch is not None:
                candidates["torch"] = torch_step(sizes, optimizer, batch, 1e-3, 0)
            samples = measure(candidates, steps, 7 if quick else rounds, warmup)
            rows.append(summarize(f"{label}, {optimizer}", samples))
            if sizes[0] > 1000:
                continue  # (BLAS-bound: nothing for a recording to save)
            candidates["descend"] = descend_step(sizes, optimizer, batch, 1e-3, 0, compiled=True)
            samples = measure(candidates, steps, 7 if quick else rounds, warmup)
            rows.append(summarize(f"{label}, {optimizer}, nn.compile", samples))
    return rows


def adam_rows(quick: bool) -> list[dict]:
    """Adam's step alone on 10M float32 parameters in 1 and in 1000 tensors, for each of
    descend's executors against the hand-written loop and PyTorch's same executor; the
    fused rows also give the bandwidth (7 arrays of 4-byte floats read or written per
    step) against the machine's copy bandwidth."""
    rows = []
    total = 2_000_000 if quick else 10_000_000
    executors = {"per parameter": {}, "foreach": {"foreach": True}}
    try:
        import numba  # noqa: F401

        executors["fused"] = {"fused": True}
    except ImportError:
        print("note: numba is not installed; the fused rows are skipped (pip install -e .[fast])")
    torch_flags = {"per parameter": {"foreach": False}, "foreach": {"foreach": True}}
    torch_flags["fused"] = {"fused": True}
    copy_seconds = _copy_seconds(total)
    for count in (1, 1000):
        size = total // count
        rng = np.random.default_rng(0)
        start = [rng.standard_normal(size).astype(np.float32) for _ in range(count)]
        grads = [rng.standard_normal(size).astype(np.float32) for _ in range(count)]
        for executor, flags in executors.items():
            params = [nn.Parameter(a.copy()) for a in start]
            for p, g in zip(params, grads, strict=True):
                p.grad = g
            opt = optimizers.Adam(params, lr=1e-3, **flags)
            arrays = [a.copy() for a in start]
            v, s = [np.zeros_like(a) for a in start], [np.zeros_like(a) for a in start]
            tmps, state = [np.zeros_like(a) for a in start], {"t": 0}

            def hand_adam(arrays=arrays, grads=grads, v=v, s=s, tmps=tmps, state=state) -> None:
                state["t"] += 1
                hand.adam(arrays, grads, v, s, state["t"], 1e-3, tmps)

            candidates: dict[str, Step] = {"descend": opt.step, "hand": hand_adam}
            if torch is not None:
                tensors = [torch.from_numpy(a.copy()).requires_grad_() for a in start]
                for t, g in zip(tensors, grads, strict=True):
                    t.grad = torch.from_numpy(g)
                torch_opt = torch.optim.Adam(tensors, lr=1e-3, **torch_flags[executor])
                candidates["torch"] = torch_opt.step
            samples = measure(candidates, 1, 5 if quick else 11, 2)
            row = summarize(
                f"Adam step alone, {total / 1e6:g}M params in {count} tensor(s), {executor}",
                samples,
            )
            if executor == "fused":
                row["GB/s"] = 7 * 4 * total / row["descend"] / 1e9
                row["copy GB/s"] = 2 * 4 * total / copy_seconds / 1e9
            rows.append(row)
    return rows


def _copy_seconds(total: int) -> float:
    """The machine's copy time for ``total`` float32s (median of 11 np.copyto)."""
    source, target = np.ones(total, np.float32), np.empty(total, np.float32)
    times = []
    for _ in range(11):
        begin = time.perf_counter()
        np.copyto(target, source)
        times.append(time.perf_counter() - begin)
    return statistics.median(times)


def loader_rows(quick: bool) -> list[dict]:
    n = 12_000 if quick else 60_000
    rng = np.random.default_rng(0)
    X = rng.standard_normal((n, 784)).astype(np.float32)
    Y = rng.integers(0, 10, n)
    loader = DataLoader(TensorDataset(X, Y), batch_size=128, shuffle=True, generator=0)

    def descend_epoch() -> None:
        for _xb, _yb in loader:
            pass

    hand_rng = np.random.default_rng(0)
    candidates: dict[str, Step] = {
        "descend": descend_epoch,
        "hand": lambda: hand.loader_epoch(X, Y, 128, hand_rng),
    }
    if torch is not None:
        torch_loader = torch.utils.data.DataLoader(
            torch.utils.data.TensorDataset(torch.from_numpy(X), torch.from_numpy(Y)),
            batch_size=128,
            shuffle=True,
        )

        def torch_epoch() -> None:
            for _xb, _yb in torch_loader:
                pass

        candidates["torch"] = torch_epoch
    samples = measure(candidates, 1, 5 if quick else 11, 1)
    return [summarize(f"DataLoader epoch {n}x784, batch 128, shuffle", samples)]


def _torch_course_train(X: np.ndarray, Y: np.ndarray, optimizer: str, epochs: int) -> None:
    """The main job's loop in PyTorch: the same net, shuffles and mini-batches."""
    torch.manual_seed(3)
    layers = [torch.nn.Linear(2, 5), torch.nn.ReLU(), torch.nn.Linear(5, 2), torch.nn.ReLU()]
    model = torch.nn.Sequential(*layers, torch.nn.Linear(2, 1), torch.nn.Sigmoid()).double()
    params, lr = model.parameters(), 0.0007
    opt = {
        "gd": lambda: torch.optim.SGD(params, lr=lr),
        "momentum": lambda: torch.optim.SGD(params, lr=lr * 0.1, momentum=0.9),  # (its form)
        "adam": lambda: torch.optim.Adam(params, lr=lr),
    }[optimizer]()
    x, y, loss_fn = torch.from_numpy(X), torch.from_numpy(Y), torch.nn.BCELoss()
    for epoch in range(epochs):
        order = torch.from_numpy(np.random.RandomState(11 + epoch).permutation(len(X)))
        total = 0.0
        for k in range(0, len(X), 64):
            rows = order[k : k + 64]
            opt.zero_grad()
            loss = loss_fn(model(x[rows]), y[rows])
            loss.backward()
            opt.step()
            total += loss.item() * len(rows)


def main_job_rows(quick: bool) -> list[dict]:
    """The main job's training loop (examples/compare_optimizers.py's ``train``: DataLoader
    batches, forward, cost, backward, step, the path meter) against the course's own NumPy
    loop written from its formulas (benchmarks/course_loop.py: the same shuffles, batches
    and costs), per epoch of the 300 two-moons examples."""
    import argparse

    sys.path.insert(0, str(HERE.parent / "examples"))
    import compare_optimizers as job
    import course_loop

    data = job.make_data("moons", 3)
    X, Y = data[0], data[1]
    epochs = 20 if quick else 50
    names = ("mini-batch-gd", "momentum", "adam")
    args = argparse.Namespace(
        optimizers=",".join(names), lr=None, decay=False, batch_size=64, beta=0.9,
        beta1=0.9, beta2=0.999, eps=1e-8, epochs=epochs, sgd_epochs=epochs,
    )  # fmt: skip
    rows = []
    for spec, course_name in zip(job.build_runs(args), ("gd", "momentum", "adam"), strict=True):
        candidates: dict[str, Step] = {
            "descend": lambda spec=spec: job.train(spec, data, 3),
            "hand": lambda n=course_name: course_loop.train(X.T, Y.T, n, epochs),
        }
        if torch is not None:
            candidates["torch"] = lambda n=course_name: _torch_course_train(X, Y, n, epochs)
        samples = measure(candidates, 1, 5 if quick else 15, 1)
        per_epoch = {name: [t / epochs for t in values] for name, values in samples.items()}
        rows.append(
            summarize(f"main job's loop per epoch (300 examples, batch 64), {spec.name}", per_epoch)
        )
    return rows


def lenet(T: Any) -> Any:
    """A LeNet-style CNN for 28x28 inputs in ``T`` (descend's ``nn`` or ``torch.nn``)."""
    return T.Sequential(
        T.Conv2d(1, 6, 5, padding=2), T.ReLU(), T.MaxPool2d(2),
        T.Conv2d(6, 16, 5), T.ReLU(), T.MaxPool2d(2), T.Flatten(),
        T.Linear(400, 120), T.ReLU(), T.Linear(120, 84), T.ReLU(), T.Linear(84, 10),
    )  # fmt: skip


def cnn_rows(quick: bool) -> list[dict]:
    """One training step of a LeNet-style CNN (SGD with momentum, cross-entropy) on a batch
    of 64 28x28 images. There is no hand-written floor: the goal is against PyTorch."""
    rng = np.random.default_rng(0)
    x = rng.standard_normal((64, 1, 28, 28)).astype(np.float32)
    y = rng.integers(0, 10, 64)
    nn.manual_seed(0)
    model = lenet(nn)
    opt = optimizers.SGD(model.parameters(), lr=0.01, momentum=0.9)
    loss_fn = nn.CrossEntropyLoss()

    def descend_step() -> float:
        opt.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        opt.step()
        return loss.item()

    candidates: dict[str, Step] = {"descend": descend_step}
    if torch is not None:
        torch_model = lenet(torch.nn)
        torch_opt = torch.optim.SGD(torch_model.parameters(), lr=0.01, momentum=0.9)
        torch_loss = torch.nn.CrossEntropyLoss()
        xt, yt = torch.from_numpy(x), torch.from_numpy(y)

        def torch_step() -> float:
            torch_opt.zero_grad()
            loss = torch_loss(torch_model(xt), yt)
            loss.backward()
            torch_opt.step()
            return loss.item()

        candidates["torch"] = torch_step
    samples = measure(candidates, 3, 7 if quick else 21, 3)
    return [summarize("LeNet CNN 28x28, batch 64, SGD momentum", samples)]


MEMORY_PROBE = """
import sys, tracemalloc
sys.path[:0] = [{here!r}, {root!r}]
import run

make = run.descend_step if sys.argv[1] == "descend" else run.hand_step
step = make([784, 256, 128, 10], "adam", 128, 1e-3, 0)
for _ in range(3):  # optimizer state, buffers and caches are allocated by now
    step()
tracemalloc.start()
step()
tracemalloc.reset_peak()
baseline = tracemalloc.get_traced_memory()[0]
step()
print(tracemalloc.get_traced_memory()[1] - baseline)
"""


def memory_rows() -> list[dict]:
    """Peak memory growth of one steady-state MLP step, each in a fresh process.

    Measured with tracemalloc, which NumPy reports its array buffers to: the process's
    VmHWM does not move in a steady state, since freed buffers stay resident for reuse.
    """
    code = MEMORY_PROBE.format(here=str(HERE), root=str(HERE.parent))
    row: dict = {"workload": "peak memory growth of one MLP 784-256-128-10 Adam step"}
    for kind in ("descend", "hand"):
        out = subprocess.run(
            [sys.executable, "-c", code, kind], capture_output=True, text=True, check=True, cwd=HERE
        )
        row[kind] = int(out.stdout.strip().splitlines()[-1])
    return [row]


# ---------------------------------------------------------------------------- report
def machine() -> dict:
    info = {
        "python": platform.python_version(),
        "numpy": np.__version__,
        "torch": torch.__version__ if torch is not None else None,
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, {platform.platform()}",
        "threads": THREADS,
    }
    try:
        from threadpoolctl import threadpool_info

        info["blas"] = [
            f"{p.get('internal_api')} {p.get('version')} ({p.get('num_threads')} threads)"
            for p in threadpool_info()
        ]
    except ImportError:
        config = (
            np.show_config(mode="dicts") if "mode" in np.show_config.__code__.co_varnames else {}
        )
        blas = (
            config.get("Build Dependencies", {}).get("blas", {}) if isinstance(config, dict) else {}
        )
        info["blas"] = (
            f"{blas.get('name', '?')} {blas.get('version', '')} (threads set by env vars)".strip()
        )
    return info


def format_table(rows: list[dict]) -> str:
    lines = []
    for row in rows:
        bandwidth = {k: row[k] for k in ("GB/s", "copy GB/s") if k in row}
        others = {
            k: v for k, v in row.items() if k not in ("workload", "descend", "ratios", *bandwidth)
        }
        ratios = row.get("ratios", {})
        is_memory = "memory" in row["workload"]
        unit = (lambda v: f"{v / 2**20:.1f} MiB") if is_memory else _time
        cells = [f"descend {unit(row['descend'])}"]
        for name, value in others.items():
            cells.append(
                f"{name} {unit(value)} (descend/{name.split()[0]} "
                f"{ratios.get(name, row['descend'] / value):.2f}x)"
                if value
                else f"{name} -"
            )
        cells += [f"{k} {v:.1f}" for k, v in bandwidth.items()]
        lines.append(f"{row['workload']}\n    " + "\n    ".join(cells))
    return "\n".join(lines)


def _time(seconds: float) -> str:
    if seconds < 1e-3:
        return f"{seconds * 1e6:.0f} us"
    if seconds < 1:
        return f"{seconds * 1e3:.2f} ms"
    return f"{seconds:.3f} s"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="smaller sizes and fewer rounds")
    parser.add_argument("--threads", type=int, default=1, help="BLAS (and torch) threads")
    parser.add_argument("--json", type=Path, help="also write the results as JSON")
    parser.add_argument(
        "--only",
        default="network,mainjob,adam,cnn,loader,memory",
        help="comma-separated groups to run",
    )
    args = parser.parse_args()
    if torch is not None:
        torch.set_num_threads(THREADS)
    info = machine()
    print("machine:", json.dumps(info))
    if torch is None:
        print("note: PyTorch is not installed; its column is skipped (pip install torch==2.13.0)")
    groups = {
        "network": network_rows,
        "mainjob": main_job_rows,
        "adam": adam_rows,
        "cnn": cnn_rows,
        "loader": loader_rows,
        "memory": lambda quick: memory_rows(),
    }
    rows = []
    for name in args.only.split(","):
        new = groups[name](args.quick)
        print(format_table(new), flush=True)
        rows += new
    if args.json:
        args.json.write_text(json.dumps({"machine": info, "rows": rows}, indent=1))


if __name__ == "__main__":
    main()
