"""Devices, honestly: descend computes with NumPy on the CPU, and says so.

``nn.device("cpu")``, ``nn.cuda.is_available()`` (False), ``nn.backends.mps.is_available()``
(False), ``nn.accelerator.is_available()`` (False) let a PyTorch script's device logic run
unchanged; asking for any device but the CPU raises a ``RuntimeError`` that says why.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

__all__ = ["accelerator", "backends", "cpu", "cuda", "device", "set_default_device"]


class device:
    """A device, as ``torch.device``; only ``"cpu"`` can be used.

    Examples
    --------
    >>> import nn
    >>> nn.device("cpu"), str(nn.device("cpu")) == "cpu"
    (device(type='cpu'), True)
    """

    type: str
    index: int | None

    def __init__(self, type: Any, index: int | None = None) -> None:
        name = str(type) if isinstance(type, device) else type
        if not isinstance(name, str):
            raise TypeError(f"device() expects a string such as 'cpu', got {name!r}")
        kind, _, number = name.partition(":")
        self.type = kind
        self.index = int(number) if number else index

    def __repr__(self) -> str:
        if self.index is None:
            return f"device(type='{self.type}')"
        return f"device(type='{self.type}', index={self.index})"

    def __str__(self) -> str:
        return self.type if self.index is None else f"{self.type}:{self.index}"

    def __eq__(self, other: object) -> bool:
        if isinstance(other, str):
            other = device(other)
        return isinstance(other, device) and (self.type, self.index) == (other.type, other.index)

    def __hash__(self) -> int:
        return hash((self.type, self.index))


cpu = device("cpu")


def no_accelerator(name: str) -> RuntimeError:
    return RuntimeError(
        f"descend computes with NumPy on the CPU: device '{name}' is not available "
        "(use 'cpu'; nn.cuda.is_available() is False)"
    )


def check_device(where: Any) -> None:
    """Accept None, ``"cpu"`` (or ``"cpu:0"``) and ``nn.device("cpu")``; refuse the rest."""
    if where is None:
        return
    if isinstance(where, int) and not isinstance(where, bool):
        raise no_accelerator(f"cuda:{where}")
    resolved = device(where)
    if resolved.type != "cpu":
        raise no_accelerator(str(resolved))


def set_default_device(where: Any) -> None:
    """Accepts only the CPU (the default already)."""
    check_device(where)


def get_default_device() -> device:
    return cpu


def _false(*args: Any, **kwargs: Any) -> bool:
    return False


def _zero(*args: Any, **kwargs: Any) -> int:
    return 0


def _nothing(*args: Any, **kwargs: Any) -> None:
    return None


def _refuse(*args: Any, **kwargs: Any) -> Any:
    raise no_accelerator("cuda")


cuda = SimpleNamespace(
    is_available=_false,
    device_count=_zero,
    is_initialized=_false,
    manual_seed=_nothing,
    manual_seed_all=_nothing,
    synchronize=_nothing,
    empty_cache=_nothing,
    current_device=_refuse,
    get_device_name=_refuse,
    set_device=_refuse,
)
backends = SimpleNamespace(
    mps=SimpleNamespace(is_available=_false, is_built=_false),
    cuda=SimpleNamespace(is_built=_false),
    cudnn=SimpleNamespace(is_available=_false, deterministic=False, benchmark=False, enabled=False),
)
accelerator = SimpleNamespace(is_available=_false, current_accelerator=_nothing, device_count=_zero)
