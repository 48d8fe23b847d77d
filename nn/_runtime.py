"""``nn.jit``, ``nn.compiler`` and ``nn.distributed``: what code written for PyTorch asks of
its runtime before it chooses a path (``torch.jit.is_scripting()``,
``torch.compiler.is_compiling()``, ``torch.distributed.is_initialized()``). descend has no
TorchScript and no process groups, and its code always runs as written: the answers are
False, and the decorators return what they decorate."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def _unchanged(obj: Any = None, *args: Any, **kwargs: Any) -> Any:
    """A decorator (with or without arguments) that returns what it decorates."""
    if obj is None or not callable(obj):
        return lambda function: function
    return obj


def _false(*args: Any, **kwargs: Any) -> bool:
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
