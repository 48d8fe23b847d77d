"""Optimizers written in PyTorch's idiom (tests/ported/optimizers, each a
``torch.optim.Optimizer`` subclass with its own ``step``), run under PyTorch and, ported by
changing imports only (tests/ported/port.py), under descend, in the five ways a training
script uses an optimizer:

- ``plain``: two param groups (the second at half the learning rate), ten steps;
- ``state_dict``: five steps, a fresh optimizer loaded from ``state_dict()``, five more;
- ``save_load``: the same through ``torch.save`` / ``torch.load`` (``nn.save`` / ``nn.load``);
- ``closure``: ten ``step(closure)`` calls, the losses they return recorded;
- ``scheduler_hooks``: a ``StepLR`` schedule, the optimizer's own step pre/post hooks and the
  global ones counting their calls, and the scheduler's order warnings counted.

Each scenario returns the trajectory (every parameter after every step, and the losses) and
the counts, as plain NumPy and Python values that the two frameworks' runs can be compared on.
The model, the data and the initial weights come from NumPy, identical in both.
"""

from __future__ import annotations

import importlib
import sys
import tempfile
import types
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from tests.ported.port import port

SOURCES = Path(__file__).parent / "optimizers"
SCENARIOS = ("plain", "state_dict", "save_load", "closure", "scheduler_hooks")
STEPS = 10


class Framework:
    """The names a scenario needs from one framework."""

    def __init__(self, name: str) -> None:
        self.name = name
        if name == "torch":
            import torch

            self.torch, self.nn, self.optim = torch, torch.nn, torch.optim
            self.optimizer_module = importlib.import_module("torch.optim.optimizer")
            self.save = torch.save
            self.load = lambda path: torch.load(path, weights_only=False)
        else:
            import nn
            import optimizers
            import optimizers.optimizer

            self.torch, self.nn, self.optim = nn, nn, optimizers
            self.optimizer_module = optimizers.optimizer
            self.save, self.load = nn.save, nn.load

    def module(self, file: str) -> types.ModuleType:
        """The optimizer source ``file``: as written under torch, ported under descend."""
        path = SOURCES / f"{file}.py"
        name = f"_ported_{self.name}_{file}"
        module = types.ModuleType(name)
        module.__file__ = str(path)
        source = path.read_text()
        if self.name != "torch":
            source = port(source)
        sys.modules[name] = module  # (dataclasses and pickling look modules up by name)
        exec(compile(source, f"{path.name} ({self.name})", "exec"), module.__dict__)
        return module


def _model(fw: Framework) -> Any:
    rng = np.random.default_rng(0)
    model = fw.nn.Sequential(fw.nn.Linear(5, 4), fw.nn.Tanh(), fw.nn.Linear(4, 3))
    shapes = [(4, 5), (4,), (3, 4), (3,)]
    weights = [rng.standard_normal(shape) * 0.5 for shape in shapes]
    with fw.torch.no_grad():
        for parameter, values in zip(model.parameters(), weights, strict=True):
            parameter.data = fw.torch.tensor(values, dtype=fw.torch.float64)
    return model


def _data(fw: Framework) -> tuple[Any, Any]:
    rng = np.random.default_rng(1)
    x, y = rng.standard_normal((16, 5)), rng.standard_normal((16, 3))
    return fw.torch.tensor(x), fw.torch.tensor(y)


def _values(model: Any) -> list[np.ndarray]:
    return [p.detach().numpy().copy() for p in model.parameters()]


def run(
    fw: Framework,
    build: Callable[[Framework, types.ModuleType, Any], Any],
    file: str,
    scenario: str,
) -> dict[str, Any]:
    """Run ``scenario`` with the optimizer that ``build(fw, module, param_groups)`` makes."""
    module = fw.module(file)
    model = _model(fw)
    x, y = _data(fw)
    layers = list(model.children())
    groups = [
        {"params": list(layers[0].parameters())},
        {"params": list(layers[2].parameters()), "lr_scale": 0.5},
    ]
    optimizer = build(fw, module, groups)
    for group in optimizer.param_groups:  # the second group at half the learning rate
        scale = group.pop("lr_scale", 1.0)
        if isinstance(group.get("lr"), float | int):  # (some choose their own when None)
            group["lr"] *= scale

    def closure() -> Any:
        optimizer.zero_grad()
        loss = ((model(x) - y) ** 2).mean()
        loss.backward()
        return loss

    needs_closure = getattr(build, "needs_closure", False)
    result: dict[str, Any] = {"params": [], "losses": []}

    def step(opt: Any) -> None:
        if scenario == "closure" or needs_closure:
            result["losses"].append(opt.step(closure).item())
        else:
            result["losses"].append(closure().item())
            opt.step()
        result["params"].append(_values(model))

    if scenario == "scheduler_hooks":
        return _with_scheduler_and_hooks(fw, optimizer, step, result)
    for number in range(STEPS):
        if number == STEPS // 2 and scenario in ("state_dict", "save_load"):
            saved = optimizer.state_dict()
            if scenario == "save_load":
                with tempfile.TemporaryDirectory() as folder:
                    path = str(Path(folder) / "optimizer.ckpt")
                    fw.save(saved, path)
                    saved = fw.load(path)
            fresh = build(fw, module, [{"params": list(g["params"])} for g in groups])
            fresh.load_state_dict(saved)
            optimizer = fresh
        step(optimizer)
    return result


def _with_scheduler_and_hooks(
    fw: Framework, optimizer: Any, step: Callable[[Any], None], result: dict[str, Any]
) -> dict[str, Any]:
    counts = {"pre": 0, "post": 0, "global_pre": 0, "global_post": 0}

    def counter(key: str) -> Callable[..., None]:
        def hook(*args: Any) -> None:
            counts[key] += 1

        return hook

    handles = [
        fw.optimizer_module.register_optimizer_step_pre_hook(counter("global_pre")),
        fw.optimizer_module.register_optimizer_step_post_hook(counter("global_post")),
    ]
    try:
        handles.append(optimizer.register_step_pre_hook(counter("pre")))
        handles.append(optimizer.register_step_post_hook(counter("post")))
        result["own_hooks"] = "registered"
    except AttributeError:  # a wrapper that never called Optimizer.__init__ has no registry
        result["own_hooks"] = "AttributeError"
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            scheduler = fw.optim.lr_scheduler.StepLR(optimizer, step_size=3, gamma=0.5)
            for _ in range(STEPS):
                step(optimizer)
                scheduler.step()
        result["order_warnings"] = sum("lr_scheduler.step()" in str(w.message) for w in caught)
        result["lrs"] = [group["lr"] for group in optimizer.param_groups]
    finally:
        for handle in handles:
            handle.remove()
    result["counts"] = counts
    return result
