"""Padding as layers: constant (``nn.ZeroPad1d/2d/3d``, ``nn.ConstantPad1d/2d/3d``) and by
the input's own elements (``nn.ReflectionPad``, ``ReplicationPad``, ``CircularPad`` 1d to
3d), each ``F.pad`` with its mode (``nn/functional/padding.py``); and resizing
(``nn.Upsample``, over ``F.interpolate``)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..functional.interpolation import interpolate
from ..functional.padding import pad
from ..tensor import Tensor
from ..types import InputLike
from .module import Module


def _sides(padding: int | Sequence[int], dims: int, layer: str) -> tuple[int, ...]:
    """``padding`` as F.pad's tuple of 2 * ``dims`` amounts (one int: every side)."""
    sides = (padding,) * (2 * dims) if isinstance(padding, int) else tuple(padding)
    if len(sides) != 2 * dims:
        raise ValueError(
            f"{layer}: padding must be an int or a tuple of {2 * dims} ints, got {padding!r}"
        )
    return sides


class _ConstantPadNd(Module):
    """Pads the last ``dims`` dimensions: ``padding`` is one size for every side, or
    (left, right, top, bottom, front, back) as ``F.pad`` takes it."""

    dims: int

    def __init__(self, padding: int | Sequence[int], value: float) -> None:
        super().__init__()
        self.padding = _sides(padding, self.dims, type(self).__name__)
        self.value = value

    def forward(self, input: InputLike) -> Tensor:
        return pad(input, self.padding, "constant", self.value)

    def extra_repr(self) -> str:
        return f"padding={self.padding}, value={self.value}"


class ConstantPad1d(_ConstantPadNd):
    """Pads the last dimension with ``value``, as ``torch.nn.ConstantPad1d``."""

    dims = 1


class ConstantPad2d(_ConstantPadNd):
    """Pads the last two dimensions with ``value``, as ``torch.nn.ConstantPad2d``."""

    dims = 2


class ConstantPad3d(_ConstantPadNd):
    """Pads the last three dimensions with ``value``, as ``torch.nn.ConstantPad3d``."""

    dims = 3


class ZeroPad1d(ConstantPad1d):
    """Pads the last dimension with zeros, as ``torch.nn.ZeroPad1d``."""

    def __init__(self, padding: int | Sequence[int]) -> None:
        super().__init__(padding, 0.0)

    def extra_repr(self) -> str:
        return f"{self.padding}"


class ZeroPad2d(ConstantPad2d):
    """Pads the last two dimensions with zeros, as ``torch.nn.ZeroPad2d``."""

    def __init__(self, padding: int | Sequence[int]) -> None:
        super().__init__(padding, 0.0)

    def extra_repr(self) -> str:
        return f"{self.padding}"


class ZeroPad3d(ConstantPad3d):
    """Pads the last three dimensions with zeros, as ``torch.nn.ZeroPad3d``."""

    def __init__(self, padding: int | Sequence[int]) -> None:
        super().__init__(padding, 0.0)

    def extra_repr(self) -> str:
        return f"{self.padding}"


class _ModePadNd(Module):
    """Pads the last ``dims`` dimensions with the input's own elements, by ``mode``:
    ``padding`` is one size for every side, or (left, right, top, bottom, front, back)."""

    dims: int
    mode: str

    def __init__(self, padding: int | Sequence[int]) -> None:
        super().__init__()
        self.padding = _sides(padding, self.dims, type(self).__name__)

    def forward(self, input: InputLike) -> Tensor:
        return pad(input, self.padding, self.mode)

    def extra_repr(self) -> str:
        return f"{self.padding}"


class ReflectionPad1d(_ModePadNd):
    """Mirrors the last dimension at its ends (without the edge), as
    ``torch.nn.ReflectionPad1d``."""

    dims, mode = 1, "reflect"


class ReflectionPad2d(_ModePadNd):
    """Mirrors the last two dimensions, as ``torch.nn.ReflectionPad2d``."""

    dims, mode = 2, "reflect"


class ReflectionPad3d(_ModePadNd):
    """Mirrors the last three dimensions, as ``torch.nn.ReflectionPad3d``."""

    dims, mode = 3, "reflect"


class ReplicationPad1d(_ModePadNd):
    """Repeats the edge of the last dimension, as ``torch.nn.ReplicationPad1d``."""

    dims, mode = 1, "replicate"


class ReplicationPad2d(_ModePadNd):
    """Repeats the edges of the last two dimensions, as ``torch.nn.ReplicationPad2d``."""

    dims, mode = 2, "replicate"


class ReplicationPad3d(_ModePadNd):
    """Repeats the edges of the last three dimensions, as ``torch.nn.ReplicationPad3d``."""

    dims, mode = 3, "replicate"


class CircularPad1d(_ModePadNd):
    """Wraps the last dimension around, as ``torch.nn.CircularPad1d``."""

    dims, mode = 1, "circular"


class CircularPad2d(_ModePadNd):
    """Wraps the last two dimensions around, as ``torch.nn.CircularPad2d``."""

    dims, mode = 2, "circular"


class CircularPad3d(_ModePadNd):
    """Wraps the last three dimensions around, as ``torch.nn.CircularPad3d``."""

    dims, mode = 3, "circular"


class Upsample(Module):
    """Resizes (N, C, *spatial) inputs to ``size`` or by ``scale_factor``, as
    ``torch.nn.Upsample`` (``F.interpolate``: "nearest" and "nearest-exact" only)."""

    def __init__(
        self,
        size: int | Sequence[int] | None = None,
        scale_factor: float | Sequence[float] | None = None,
        mode: str = "nearest",
        align_corners: bool | None = None,
        recompute_scale_factor: bool | None = None,
    ) -> None:
        super().__init__()
        self.size = size
        self.scale_factor = (
            float(scale_factor)
            if isinstance(scale_factor, int | float)
            else None
            if scale_factor is None
            else tuple(float(f) for f in scale_factor)
        )
        self.mode, self.align_corners = mode, align_corners
        self.recompute_scale_factor = recompute_scale_factor

    def forward(self, input: InputLike) -> Tensor:
        x = input if isinstance(input, Tensor) else Tensor._make(np.asarray(input))
        return interpolate(
            x,
            self.size,
            self.scale_factor,
            self.mode,
            self.align_corners,
            self.recompute_scale_factor,
        )

    def extra_repr(self) -> str:
        shown = (
            f"scale_factor={self.scale_factor!r}" if self.size is None else f"size={self.size!r}"
        )
        return f"{shown}, mode={self.mode!r}"
