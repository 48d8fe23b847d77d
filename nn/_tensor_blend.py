"""Blends of Tensors (a mixin of ``Tensor``), with their in-place forms, as PyTorch computes
them, composed of recorded ops (so their gradients are those ops'):

    lerp(end, w)            start + w (end - start) where |w| < 0.5, else end - (end - start)(1 - w)
    addcmul(t1, t2, value)  self + value * t1 * t2
    addcdiv(t1, t2, value)  self + value * t1 / t2
    nan_to_num(nan, posinf, neginf)  NaN, +inf and -inf replaced (by 0 and the dtype's
                            largest and lowest finite values unless given); gradient 0 there

These are what PyTorch's own optimizers and a hand-written EMA of weights
(``ema.lerp_(w, 1 - decay)``) are made of.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar, cast

import numpy as np

from ._tensor_inplace import TensorInplace, _outplace

if TYPE_CHECKING:
    from .tensor import Tensor

T = TypeVar("T", bound="TensorBlend")


class TensorBlend(TensorInplace):
    """lerp, addcmul, addcdiv and nan_to_num of ``Tensor``."""

    __slots__ = ()

    def lerp(self, end: Any, weight: Any) -> Tensor:
        """self + weight (end - self), computed as PyTorch does (from the nearer end).

        Examples
        --------
        >>> import nn
        >>> nn.tensor([0.0, 10.0]).lerp(nn.tensor([1.0, 20.0]), 0.25)
        tensor([ 0.2500, 12.5000])
        """
        start = cast("Tensor", self)
        span = start._lift(end) - start
        if isinstance(weight, float | int):
            if abs(weight) < 0.5:
                return start + weight * span
            return start._lift(end) - span * (1 - weight)
        w = start._lift(weight)
        near = start + w * span
        far = start._lift(end) - span * (1 - w)
        return near.where(w.abs() < 0.5, far)

    def addcmul(self, tensor1: Any, tensor2: Any, *, value: float = 1) -> Tensor:
        """self + value * tensor1 * tensor2.

        Examples
        --------
        >>> import nn
        >>> nn.tensor([1.0]).addcmul(nn.tensor([2.0]), nn.tensor([3.0]), value=0.5)
        tensor([4.])
        """
        me = cast("Tensor", self)
        return me + value * me._lift(tensor1) * me._lift(tensor2)

    def addcdiv(self, tensor1: Any, tensor2: Any, *, value: float = 1) -> Tensor:
        """self + value * tensor1 / tensor2.

        Examples
        --------
        >>> import nn
        >>> nn.tensor([1.0]).addcdiv(nn.tensor([3.0]), nn.tensor([2.0]), value=-1)
        tensor([-0.5000])
        """
        me = cast("Tensor", self)
        return me + value * me._lift(tensor1) / me._lift(tensor2)

    def nan_to_num(
        self, nan: float = 0.0, posinf: float | None = None, neginf: float | None = None
    ) -> Tensor:
        """NaN, +inf and -inf replaced by ``nan``, ``posinf`` and ``neginf`` (by default 0
        and the dtype's largest and lowest finite values); the gradient is 0 where replaced.

        Examples
        --------
        >>> import numpy as np, nn
        >>> nn.tensor([np.nan, np.inf, -1.0]).nan_to_num(posinf=9.0)
        tensor([ 0.,  9., -1.])
        """
        me = cast("Tensor", self)
        data = self._data
        if data.dtype.kind != "f":
            return me.clone()
        info = np.finfo(data.dtype)
        top = info.max if posinf is None else posinf
        bottom = info.min if neginf is None else neginf
        replaced = np.where(np.isnan(data), nan, np.where(data > 0, top, bottom))
        return me.where(np.isfinite(data), me._lift(replaced.astype(data.dtype)))

    def lerp_(self: T, end: Any, weight: Any) -> T:
        """``lerp`` in place."""
        return self._inplace(_outplace("lerp"), end, weight)

    def addcmul_(self: T, tensor1: Any, tensor2: Any, *, value: float = 1) -> T:
        """``addcmul`` in place: ``s.addcmul_(g, g, value=1 - beta2)`` is s += (1 - beta2) g²."""
        return self._inplace(_outplace("addcmul"), tensor1, tensor2, value=value)

    def addcdiv_(self: T, tensor1: Any, tensor2: Any, *, value: float = 1) -> T:
        """``addcdiv`` in place: ``w.addcdiv_(v, denom, value=-lr)`` is w -= lr v / denom."""
        return self._inplace(_outplace("addcdiv"), tensor1, tensor2, value=value)

    def nan_to_num_(
        self: T, nan: float = 0.0, posinf: float | None = None, neginf: float | None = None
    ) -> T:
        """``nan_to_num`` in place."""
        return self._inplace(_outplace("nan_to_num"), nan, posinf, neginf)
