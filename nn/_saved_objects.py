"""Whole Modules in a checkpoint (``nn.save(model, path)``), and what loading one costs.

PyTorch pickles a whole Module: its class by name and its attributes. descend stores the
same two things in its own format: the class as ``"package.module:Qualified.Name"`` and the
attributes (parameters, buffers, submodules, numbers, strings, and functions or classes
named the same way) as ordinary entries. Loading it must import that class and build an
object of it without calling ``__init__``, which runs the class's module code: so, as
``torch.load`` since PyTorch 2.6, ``nn.load`` refuses unless ``weights_only=False`` says the
file is trusted. A state dict (``model.state_dict()``) never needs that.
"""

from __future__ import annotations

import importlib
import pickle
from typing import Any


class WeightsOnlyError(pickle.UnpicklingError):
    """``nn.load`` met a class in a file while ``weights_only`` (the default) was set."""


def global_name(obj: object) -> str | None:
    """``"module:qualname"`` for a function or class that can be found again by that name
    (not a lambda, a local or a bound method), else None."""
    module = getattr(obj, "__module__", None)
    qualname = getattr(obj, "__qualname__", None)
    if not isinstance(module, str) or not isinstance(qualname, str) or "<" in qualname:
        return None
    try:
        found = resolve(f"{module}:{qualname}")
    except (ImportError, AttributeError):
        return None
    return f"{module}:{qualname}" if found is obj else None


# Modules that moved into nn/modules/ (files saved before name them by their old path)
_MOVED = {
    f"nn.{old}": f"nn.modules.{new}"
    for old, new in (
        ("module", "module"),
        ("activations", "activation"),
        ("piecewise_activations", "piecewise"),
        ("containers", "container"),
        ("conv", "conv"),
        ("embedding", "embedding"),
        ("layers", "layers"),
        ("losses", "loss"),
        ("normalization", "normalization"),
        ("recurrent", "recurrent"),
        ("parameter_containers", "parameter_container"),
        ("hooks", "hooks"),
    )
}


def resolve(name: str) -> object:
    """The object ``"module:qualname"`` names (importing the module)."""
    module_name, _, qualname = name.partition(":")
    module_name = _MOVED.get(module_name, module_name)
    found: Any = importlib.import_module(module_name)
    for part in qualname.split("."):
        found = getattr(found, part)
    return found


def refuse(name: str, path: str) -> WeightsOnlyError:
    return WeightsOnlyError(
        f"Weights only load failed: {path!r} holds {name}, which loading must import and "
        "build (running its module's code). Pass weights_only=False if you trust the file, "
        "or save model.state_dict() and load it into a model you build."
    )
