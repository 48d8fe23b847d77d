"""Tensor comparisons as a whole (a part of ``Tensor``): equal, isclose, allclose, with
PyTorch's tolerances and NaN rules."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from .. import _dtype
from ..types import Number, TensorLike
from .core import TensorCore
from .elementwise import TensorFunctions

if TYPE_CHECKING:
    from ..tensor import Tensor


class TensorComparison(TensorCore):
    """Whole-Tensor comparisons of ``Tensor``."""

    __slots__ = ()

    def allclose(
        self,
        other: TensorLike | Number,
        rtol: float = 1e-05,
        atol: float = 1e-08,
        equal_nan: bool = False,
    ) -> bool:
        """Whether |self - other| <= atol + rtol |other| everywhere (broadcasting), as
        ``torch.allclose``; both must have one dtype.

        Examples
        --------
        >>> import nn
        >>> nn.tensor([1.0, 2.0]).allclose(nn.tensor([1.0, 2.0 + 1e-9]))
        True
        """
        return bool(self.isclose(other, rtol, atol, equal_nan)._data.all())

    def isclose(
        self,
        other: TensorLike | Number,
        rtol: float = 1e-05,
        atol: float = 1e-08,
        equal_nan: bool = False,
    ) -> Tensor:
        """Elementwise |self - other| <= atol + rtol |other| (equal infinities too), a bool
        Tensor, as ``torch.isclose``; both must have one dtype."""
        theirs = other._data if isinstance(other, TensorFunctions) else np.asarray(other)
        if self._data.dtype != theirs.dtype:
            raise RuntimeError(
                f"{_dtype.torch_name(self._data.dtype)} did not match "
                f"{_dtype.torch_name(theirs.dtype)}"
            )
        if rtol < 0 or atol < 0:
            raise RuntimeError(f"rtol and atol must be non-negative, got {rtol} and {atol}")
        close = np.isclose(self._data, theirs, rtol=rtol, atol=atol, equal_nan=equal_nan)
        return self._make(np.asarray(close))

    def equal(self, other: TensorLike | Number) -> bool:
        """Whether both have the same shape and the same elements (NaN equals nothing)."""
        theirs = other._data if isinstance(other, TensorFunctions) else np.asarray(other)
        return bool(np.array_equal(self._data, theirs))
