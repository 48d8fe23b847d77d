"""The public names the harness must cover: Tensor's methods and attributes, the functions
of ``nn`` (torch's top level), ``nn.linalg`` and ``nn.functional``."""

from __future__ import annotations

import inspect
import types

import nn
import nn.functional as F


def public_names() -> set[str]:
    names = {f"Tensor.{n}" for n in dir(nn.Tensor) if not n.startswith("_")}
    for n in nn.__all__:
        value = getattr(nn, n)
        if (
            callable(value)
            and not inspect.isclass(value)
            and not isinstance(value, types.ModuleType)
        ):
            names.add(f"nn.{n}")
    for n in nn.linalg.__all__:
        if inspect.isfunction(getattr(nn.linalg, n)):
            names.add(f"nn.linalg.{n}")
    for n in getattr(F, "__all__", dir(F)):
        value = getattr(F, n)
        if not n.startswith("_") and callable(value) and not inspect.isclass(value):
            names.add(f"F.{n}")
    return names
