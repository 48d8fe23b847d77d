"""What code written for PyTorch asks of its runtime: ``nn.jit``, ``nn.compiler`` and
``nn.distributed`` before it chooses a path (``torch.jit.is_scripting()``,
``torch.compiler.is_compiling()``, ``torch.distributed.is_initialized()``): descend has no
TorchScript and no process groups, and its code always runs as written, so the answers are
False and the decorators return what they decorate. And the process settings a script sets
before it starts (``torch.set_num_threads(1)``, ``set_float32_matmul_precision("high")``,
``set_default_tensor_type``): checked as PyTorch checks them and remembered; none changes a
number descend computes (NumPy's BLAS chooses its threads, its float32 products are
float32's), which docs/decisions.md records."""

from __future__ import annotations

import os
import warnings
from collections.abc import Callable
from typing import Any

from . import _dtype

_settings: dict[str, int | str | bool] = {
    "threads": os.cpu_count() or 1,
    "interop_threads": os.cpu_count() or 1,
    "matmul_precision": "highest",
    "warn_always": False,
}


def _positive_int(value: object, name: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise RuntimeError(f"{name} expects an int, but got {type(value).__name__}")
    if value <= 0:
        raise RuntimeError(f"{name} expects a positive integer")
    return value


def set_num_threads(int: int) -> None:
    """Remember the intra-op thread count (``get_num_threads`` answers it); NumPy's BLAS
    keeps its own (set OMP_NUM_THREADS before starting Python to change it)."""
    _settings["threads"] = _positive_int(int, "set_num_threads")


def get_num_threads() -> int:
    """The thread count last set, at first the number of CPUs."""
    return int(_settings["threads"])


def set_num_interop_threads(int: int) -> None:
    _settings["interop_threads"] = _positive_int(int, "set_num_interop_threads")


def get_num_interop_threads() -> int:
    return int(_settings["interop_threads"])


def set_float32_matmul_precision(precision: str) -> None:
    """ "highest", "high" or "medium" (PyTorch warns and ignores anything else); descend's
    float32 products are always float32's ("highest")."""
    if precision not in ("highest", "high", "medium"):
        warnings.warn(
            f"{precision} is not one of 'highest', 'high', or 'medium'; the current"
            "setFloat32MatmulPrecision call has no effect.",
            UserWarning,
            stacklevel=2,
        )
        return
    _settings["matmul_precision"] = precision


def get_float32_matmul_precision() -> str:
    return str(_settings["matmul_precision"])


def set_flush_denormal(mode: bool) -> bool:
    """False: NumPy cannot flush subnormal numbers to zero, so this has no effect (PyTorch
    answers False where the CPU cannot, too)."""
    return False


def set_warn_always(b: bool) -> None:
    _settings["warn_always"] = bool(b)


def is_warn_always_enabled() -> bool:
    return bool(_settings["warn_always"])


def set_default_tensor_type(t: object) -> None:
    """Deprecated in PyTorch 2.1 for ``set_default_dtype``: ``nn.DoubleTensor`` (or its
    name, "torch.DoubleTensor") makes float64 the default float dtype."""
    warnings.warn(
        "torch.set_default_tensor_type() is deprecated as of PyTorch 2.1, please use "
        "torch.set_default_dtype() and torch.set_default_device() as alternatives.",
        UserWarning,
        stacklevel=2,
    )
    if isinstance(t, str):
        from .tensor import legacy

        module, _, name = t.rpartition(".")
        if module not in ("torch", "nn") or not hasattr(legacy, name):
            raise ModuleNotFoundError(f"No module named '{module or t}'")
        t = getattr(legacy, name)
    dtype = getattr(t, "dtype", None)
    if dtype is None:
        raise TypeError(f"invalid type: '{t}'")
    if dtype not in (_dtype.float32, _dtype.float64):
        raise TypeError("only floating-point types are supported as the default type")
    _dtype.set_default_dtype(dtype)


def _unchanged(obj: object = None, *args: object, **kwargs: object) -> Any:
    """A decorator (with or without arguments) that returns what it decorates."""
    if obj is None or not callable(obj):
        return lambda function: function
    return obj


def _false(*args: object, **kwargs: object) -> bool:
    return False


class jit:
    """``torch.jit``: descend runs Python as written, never TorchScript."""

    is_scripting: Callable[..., bool] = staticmethod(_false)
    is_tracing: Callable[..., bool] = staticmethod(_false)
    script: Callable[..., Any] = staticmethod(_unchanged)
    ignore: Callable[..., Any] = staticmethod(_unchanged)
    unused: Callable[..., Any] = staticmethod(_unchanged)
    export: Callable[..., Any] = staticmethod(_unchanged)


class compiler:
    """``torch.compiler``: whether code is being compiled, and decorators that keep it out."""

    is_compiling: Callable[..., bool] = staticmethod(_false)
    is_dynamo_compiling: Callable[..., bool] = staticmethod(_false)
    disable: Callable[..., Any] = staticmethod(_unchanged)


class distributed:
    """``torch.distributed``: descend trains in one process."""

    is_available: Callable[..., bool] = staticmethod(_false)
    is_initialized: Callable[..., bool] = staticmethod(_false)
