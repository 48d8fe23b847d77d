"""Devices, honestly: descend computes with NumPy on the CPU, and says so.

``nn.device("cpu")``, ``nn.cuda.is_available()`` (False), ``nn.backends.mps.is_available()``
(False), ``nn.accelerator.is_available()`` (False) let a PyTorch script's device logic run
unchanged; asking for any device but the CPU raises a ``RuntimeError`` that says why.
"""

from __future__ import annotations

import functools
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any, NoReturn, Protocol, TypeVar, cast

import numpy as np

__all__ = [
    "GradScaler",
    "accelerator",
    "amp",
    "autocast",
    "backends",
    "cpu",
    "cuda",
    "device",
    "set_default_device",
]


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


def check_device(where: object) -> None:
    """Accept None, ``"cpu"`` (or ``"cpu:0"``) and ``nn.device("cpu")``; refuse the rest."""
    if where is None:
        return
    if isinstance(where, int) and not isinstance(where, bool):
        raise no_accelerator(f"cuda:{where}")
    resolved = device(where)
    if resolved.type != "cpu":
        raise no_accelerator(str(resolved))


def set_default_device(where: object) -> None:
    """Accepts only the CPU (the default already)."""
    check_device(where)


def get_default_device() -> device:
    return cpu


def _false(*args: object, **kwargs: object) -> bool:
    return False


def _zero(*args: object, **kwargs: object) -> int:
    return 0


def _nothing(*args: object, **kwargs: object) -> None:
    return None


def _refuse(*args: object, **kwargs: object) -> NoReturn:
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
    cuda=SimpleNamespace(
        is_built=_false,
        matmul=SimpleNamespace(
            allow_tf32=False,
            allow_fp16_reduced_precision_reduction=True,
            allow_bf16_reduced_precision_reduction=True,
        ),
    ),
    cudnn=SimpleNamespace(
        is_available=_false, deterministic=False, benchmark=False, enabled=False, allow_tf32=True
    ),
)
accelerator = SimpleNamespace(is_available=_false, current_accelerator=_nothing, device_count=_zero)


_F = TypeVar("_F", bound=Callable[..., object])


class _Optimizer(Protocol):
    """What GradScaler uses of an optimizer."""

    param_groups: list[dict[str, Any]]

    def step(self, *args: object, **kwargs: object) -> object: ...


@dataclass
class _ScalerState:
    """Where a GradScaler is with one optimizer in this iteration: "ready", "unscaled" or
    "stepped", and whether its gradients held an inf or NaN (None: no gradient seen)."""

    stage: str = "ready"
    found: bool | None = None


class autocast:
    """``torch.autocast(device_type, dtype=None, enabled=True)``: a context manager (or
    decorator) that runs some ops in a lower precision. On "cuda" (absent here) PyTorch warns
    and runs as written, and so does descend; on "cpu" PyTorch would compute matmuls in
    bfloat16, which NumPy has not: refused (``NotImplementedError``) rather than computed
    in another precision. ``enabled=False`` runs as written."""

    def __init__(
        self,
        device_type: str,
        dtype: object = None,
        enabled: bool = True,
        cache_enabled: bool | None = None,
    ) -> None:
        if not isinstance(device_type, str):
            raise ValueError(f"Expected `device_type` of type `str`, got: `{type(device_type)}`")
        kind = device_type.split(":")[0]
        if kind not in ("cpu", "cuda", "mps", "xpu", "xla", "hpu", "ipu"):
            raise RuntimeError(
                f"User specified an unsupported autocast device_type '{device_type}'"
            )
        self.device, self.fast_dtype, self._enabled = device_type, dtype, enabled
        if enabled and kind != "cpu":
            warnings.warn(
                "CUDA is not available or torch_xla is imported. Disabling autocast.",
                UserWarning,
                stacklevel=2,
            )
            self._enabled = False
        if self._enabled:
            raise NotImplementedError(
                "autocast on the CPU (matmuls in bfloat16 or float16) is not implemented in "
                "descend: it computes in the inputs' dtype; pass enabled=False, or convert "
                "the model with .to(dtype)"
            )

    def __enter__(self) -> autocast:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def __call__(self, function: _F) -> _F:
        @functools.wraps(function)
        def run(*args: object, **kwargs: object) -> object:
            with self:
                return function(*args, **kwargs)

        return cast(_F, run)


class GradScaler:
    """``torch.amp.GradScaler(device="cuda", init_scale=2**16, ...)``: the loss multiplied
    by a scale before backward, so float16 gradients do not underflow; the gradients divided
    back (``unscale_``) before the step, a step skipped when any is inf or NaN, and the scale
    halved then (``backoff_factor``), doubled after ``growth_interval`` clean steps.

    On "cuda" (PyTorch's default, and ``torch.cuda.amp.GradScaler``'s) PyTorch without CUDA
    warns and disables itself, as descend does: then ``scale`` returns its input, ``step``
    calls ``optimizer.step()``. On "cpu" it scales, as PyTorch's (the scale is a power of 2,
    so scaling and unscaling change no bits but for overflow, which it detects)."""

    def __init__(
        self,
        device: str = "cuda",
        init_scale: float = 2.0**16,
        growth_factor: float = 2.0,
        backoff_factor: float = 0.5,
        growth_interval: int = 2000,
        enabled: bool = True,
    ) -> None:
        if enabled and device != "cpu":
            warnings.warn(
                f"torch.{device}.amp.GradScaler is enabled, but CUDA is not available.  Disabling.",
                UserWarning,
                stacklevel=2,
            )
            enabled = False
        self._device, self._enabled = device, enabled
        self._init_scale, self._growth_factor = init_scale, growth_factor
        self._backoff_factor, self._growth_interval = backoff_factor, growth_interval
        self._scale: float | None = None
        self._growth_tracker = 0
        self._per_optimizer: dict[int, _ScalerState] = {}

    def is_enabled(self) -> bool:
        return self._enabled

    def scale(self, outputs: object) -> object:
        """outputs x scale (a Tensor, or any nesting of lists and tuples of them)."""
        if not self._enabled:
            return outputs
        from .tensor import Tensor

        if self._scale is None:
            self._scale = float(np.float32(self._init_scale))
        if isinstance(outputs, Tensor):
            return outputs * Tensor._make(np.asarray(self._scale, dtype=np.float32))
        if isinstance(outputs, list | tuple):
            return type(outputs)(self.scale(o) for o in outputs)
        raise ValueError("outputs must be a Tensor or an iterable of Tensors")

    def _check_scale(self, method: str) -> None:
        if self._scale is None:
            raise AssertionError(
                f"Attempted {method} but _scale is None.  This may indicate your script did "
                "not use scaler.scale(loss or outputs) earlier in the iteration."
            )

    def _state(self, optimizer: _Optimizer) -> _ScalerState:
        return self._per_optimizer.setdefault(id(optimizer), _ScalerState())

    def unscale_(self, optimizer: _Optimizer) -> None:
        """Divide the optimizer's gradients by the scale, in place, noting any inf or NaN."""
        if not self._enabled:
            return
        self._check_scale("unscale_")
        state = self._state(optimizer)
        if state.stage == "unscaled":
            raise RuntimeError(
                "unscale_() has already been called on this optimizer since the last update()."
            )
        if state.stage == "stepped":
            raise RuntimeError("unscale_() is being called after step().")
        assert self._scale is not None
        inverse = np.float32(1.0 / self._scale)  # (the reciprocal in float64, kept in float32)
        grads = [p.grad for g in optimizer.param_groups for p in g["params"] if p.grad is not None]
        found = None
        for grad in grads:
            found = bool(found) or not np.isfinite(grad._data).all()
            grad._data *= inverse
        state.stage, state.found = "unscaled", found

    def step(self, optimizer: _Optimizer, *args: object, **kwargs: object) -> object:
        """``optimizer.step()`` unless a gradient was inf or NaN (then None)."""
        if not self._enabled:
            return optimizer.step(*args, **kwargs)
        if "closure" in kwargs:
            raise RuntimeError("Closure use is not currently supported if GradScaler is enabled.")
        self._check_scale("step")
        state = self._state(optimizer)
        if state.stage == "stepped":
            raise RuntimeError("step() has already been called since the last update().")
        if state.stage == "ready":
            self.unscale_(optimizer)
        if state.found is None:
            raise AssertionError("No inf checks were recorded for this optimizer.")
        result = None if state.found else optimizer.step(*args, **kwargs)
        state.stage = "stepped"
        return result

    def update(self, new_scale: float | None = None) -> None:
        """The next scale: ``new_scale``, or backed off after an inf, grown after
        ``growth_interval`` clean updates."""
        if not self._enabled:
            return
        self._check_scale("update")
        if new_scale is not None:
            self._scale = float(np.float32(new_scale))
        else:
            found = [s.found for s in self._per_optimizer.values() if s.found is not None]
            if not found:
                raise AssertionError("No inf checks were recorded prior to update.")
            assert self._scale is not None
            if any(found):
                self._scale = float(np.float32(self._scale * self._backoff_factor))
                self._growth_tracker = 0
            else:
                self._growth_tracker += 1
                if self._growth_tracker == self._growth_interval:
                    self._scale = float(np.float32(self._scale * self._growth_factor))
                    self._growth_tracker = 0
        self._per_optimizer = {}

    def get_scale(self) -> float:
        if not self._enabled:
            return 1.0
        return self._init_scale if self._scale is None else self._scale

    def get_growth_factor(self) -> float:
        return self._growth_factor

    def get_backoff_factor(self) -> float:
        return self._backoff_factor

    def get_growth_interval(self) -> int:
        return self._growth_interval

    def state_dict(self) -> dict[str, float]:
        if not self._enabled:
            return {}
        return {
            "scale": self.get_scale(),
            "growth_factor": self._growth_factor,
            "backoff_factor": self._backoff_factor,
            "growth_interval": self._growth_interval,
            "_growth_tracker": self._growth_tracker,
        }

    def load_state_dict(self, state_dict: dict[str, float]) -> None:
        if not self._enabled:
            return
        if not state_dict:
            raise RuntimeError(
                "The source state dict is empty, possibly because it was saved from a "
                "disabled instance of GradScaler."
            )
        self._init_scale = state_dict["scale"]
        if self._scale is not None:
            self._scale = float(np.float32(state_dict["scale"]))
        self._growth_factor = state_dict["growth_factor"]
        self._backoff_factor = state_dict["backoff_factor"]
        self._growth_interval = int(state_dict["growth_interval"])
        self._growth_tracker = int(state_dict["_growth_tracker"])


def _deprecated_cuda(kind: type, name: str) -> Callable[..., object]:
    """``torch.cuda.amp.<name>(...)``: PyTorch's FutureWarning, then ``torch.amp``'s with
    "cuda"."""

    def make(*args: object, **kwargs: object) -> object:
        warnings.warn(
            f"`torch.cuda.amp.{name}(args...)` is deprecated. Please use "
            f"`torch.amp.{name}('cuda', args...)` instead.",
            FutureWarning,
            stacklevel=2,
        )
        return kind("cuda", *args, **kwargs)

    return make


amp = SimpleNamespace(autocast=autocast, GradScaler=GradScaler)
cuda.amp = SimpleNamespace(
    autocast=_deprecated_cuda(autocast, "autocast"),
    GradScaler=_deprecated_cuda(GradScaler, "GradScaler"),
)
cuda.is_bf16_supported = _false
