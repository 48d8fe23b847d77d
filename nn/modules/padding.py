"""Constant padding as layers (``nn.ZeroPad1d/2d/3d``, ``nn.ConstantPad1d/2d/3d``), each
``F.pad(input, padding, "constant", value)`` (``nn/functional/padding.py``)."""

from __future__ import annotations

from collections.abc import Sequence

from ..functional.padding import pad
from ..tensor import Tensor
from ..types import InputLike
from .module import Module


class _ConstantPadNd(Module):
    """Pads the last ``dims`` dimensions: ``padding`` is one size for every side, or
    (left, right, top, bottom, front, back) as ``F.pad`` takes it."""

    dims: int

    def __init__(self, padding: int | Sequence[int], value: float) -> None:
        super().__init__()
        sides = 2 * self.dims
        if isinstance(padding, int):
            self.padding: tuple[int, ...] = (padding,) * sides
        else:
            self.padding = tuple(padding)
            if len(self.padding) != sides:
                raise ValueError(
                    f"{type(self).__name__}: padding must be an int or a tuple of {sides} "
                    f"ints, got {padding!r}"
                )
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
