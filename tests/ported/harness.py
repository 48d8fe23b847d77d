"""Run a PyTorch script and its descend port from the same start.

Each framework runs the script in a fresh temporary directory with its printed output
captured. For the comparison, the first call of each top-level module (a model called while
no other module is running) is intercepted: under PyTorch its initial ``state_dict`` is
recorded; under descend the recorded state is loaded into the module at that moment, so
both train from the same weights. Data comes from NumPy in the scripts, identical in both.
"""

from __future__ import annotations

import contextlib
import io
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np

from tests.ported.port import port

SCRIPTS = Path(__file__).parent / "scripts"
NUMBER = re.compile(r"[-+]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?")


@contextlib.contextmanager
def _first_calls(module_class: Any, on_first: Any) -> Iterator[None]:
    """Call ``on_first(module)`` before the first call of each top-level module."""
    original, seen, depth = module_class.__call__, {}, [0]

    def call(self: Any, *args: Any, **kwargs: Any) -> Any:
        if depth[0] == 0 and id(self) not in seen:
            seen[id(self)] = self  # (kept alive: a new module must not reuse a freed one's id)
            on_first(self)
        depth[0] += 1
        try:
            return original(self, *args, **kwargs)
        finally:
            depth[0] -= 1

    if module_class.__module__.startswith("nn."):  # (descend's: its bookkeeping is vouched
        from nn.compiled import effects  # for, so that nn.compile still records the model)

        effects.vouch(call)
    module_class.__call__ = call
    try:
        yield
    finally:
        module_class.__call__ = original


def run(name: str, framework: str, states: list[dict[str, np.ndarray]] | None = None) -> str:
    """The printed output of script ``name`` under ``framework`` ("torch" or "descend").
    Under torch, ``states`` (a list) receives each top-level module's initial state; under
    descend, those states are loaded in the same order (when given)."""
    source = (SCRIPTS / f"{name}.py").read_text()
    if framework == "descend":
        import nn

        source = port(source)
        module_class = nn.Module

        def on_first(module: Any) -> None:
            if states and (state := states.pop(0)) is not None:
                module.load_state_dict({k: np.array(v) for k, v in state.items()})

    else:
        import torch

        module_class = torch.nn.Module

        def on_first(module: Any) -> None:
            lazy = any(torch.nn.parameter.is_lazy(v) for v in module.state_dict().values())
            if states is not None:  # (a lazy module's weights are drawn at its first call)
                states.append(
                    None
                    if lazy
                    else {k: v.detach().numpy().copy() for k, v in module.state_dict().items()}
                )

    output = io.StringIO()
    with tempfile.TemporaryDirectory() as folder, contextlib.chdir(folder):
        with contextlib.redirect_stdout(output), _first_calls(module_class, on_first):
            exec(compile(source, f"{name}.py ({framework})", "exec"), {"__name__": "__main__"})
    return output.getvalue()


def numbers(text: str) -> list[float]:
    """Every number printed, in order."""
    return [float(n) for n in NUMBER.findall(text)]
