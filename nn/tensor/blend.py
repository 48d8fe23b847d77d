"""Blends of Tensors (a mixin of ``Tensor``), with their in-place forms, as PyTorch computes
them (``lerp`` and ``addcmul`` rounded once where PyTorch's kernels fuse a multiply-add; one
node each):

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

from .. import _dtype
from .._args.overloads import value_first
from ..autograd.graph import node_type
from ..rules import blend as blend_rules
from ..rules._quiet import quiet
from ..types import InputLike
from . import in_place as _in_place
from .core import TensorCore
from .inplace import _outplace

if TYPE_CHECKING:
    from ..tensor import Tensor

LerpBackward0 = node_type("LerpBackward0")
LerpBackward1 = node_type("LerpBackward1")
AddcmulBackward0 = node_type("AddcmulBackward0")
AddcdivBackward0 = node_type("AddcdivBackward0")
NanToNumBackward0 = node_type("NanToNumBackward0")
IgnoredBesideBackward0 = node_type("AddBackward0")


def _promoted(*tensors: Tensor) -> tuple[Tensor, ...]:
    """The Tensors in their common dtype (PyTorch's promotion; casts are recorded)."""
    dimensioned = [t._data.dtype for t in tensors if t._data.ndim]
    zero_dim = [t._data.dtype for t in tensors if not t._data.ndim]
    dtype = _dtype.result_dtype(dimensioned, zero_dim, [])
    return tuple(t if t._data.dtype == dtype else t._cast(dtype) for t in tensors)


T = TypeVar("T", bound="TensorBlend")


class TensorBlend(TensorCore):
    """lerp, addcmul, addcdiv and nan_to_num of ``Tensor``."""

    __slots__ = ()

    def _ignored_beside(self, kept: Tensor) -> Tensor:
        """``kept`` broadcast with this Tensor, whose values are ignored (its gradient 0):
        a fused product's input when beta is 0."""
        try:
            out, backward = blend_rules.ignored_beside(self._data, kept._data)
        except ValueError:
            raise RuntimeError(
                f"the input of shape {list(self._data.shape)} does not broadcast to the "
                f"product's {list(kept._data.shape)}"
            ) from None
        return self._record(out, (self, kept), backward, IgnoredBesideBackward0)

    def lerp(self, end: InputLike, weight: InputLike) -> Tensor:
        """self + weight (end - self), computed as PyTorch does (from the nearer end, one
        rounding); ``end`` must have this Tensor's dtype, ``weight`` is a number or a Tensor.

        Examples
        --------
        >>> import nn
        >>> nn.tensor([0.0, 10.0]).lerp(nn.tensor([1.0, 20.0]), 0.25)
        tensor([ 0.2500, 12.5000])
        """
        start = cast("Tensor", self)
        stop = start._lift(end)
        dtype = start._data.dtype
        if dtype.kind not in "fc":
            raise NotImplementedError(
                f"\"lerp_kernel_scalar\" not implemented for '{_dtype.torch_name(dtype)}'"
            )
        if stop._data.dtype != dtype:
            raise RuntimeError(
                f"expected dtype {_dtype.torch_c_name(dtype)} for `end` but got dtype "
                f"{_dtype.torch_c_name(stop._data.dtype)}"
            )
        scalar = not isinstance(weight, TensorBlend | np.ndarray)
        w = start._lift(np.asarray(weight, dtype=dtype) if scalar else weight)
        if w._data.dtype != dtype:
            w = w._cast(dtype)
        needs = (start._rg, stop._rg, w._rg)
        out, backward = blend_rules.lerp(start._data, stop._data, w._data, needs)
        kind = LerpBackward0 if scalar else LerpBackward1
        # as PyTorch saves them: the weight, and the ends where the weight needs a gradient
        saved = () if scalar else (start if w._rg else None, stop if w._rg else None, w)
        return self._record(out, (start, stop, w), backward, kind, saved)

    @value_first
    def addcmul(self, tensor1: Any, tensor2: Any, *, value: float = 1) -> Tensor:
        """self + value * tensor1 * tensor2 (rounded as PyTorch's kernel rounds it).

        Examples
        --------
        >>> import nn
        >>> nn.tensor([1.0]).addcmul(nn.tensor([2.0]), nn.tensor([3.0]), value=0.5)
        tensor([4.])
        """
        me = cast("Tensor", self)
        s, t1, t2 = _promoted(me, me._lift(tensor1), me._lift(tensor2))
        try:
            with quiet():
                out, backward = blend_rules.addcmul(
                    s._data, t1._data, t2._data, value, (s._rg, t1._rg, t2._rg)
                )
        except ValueError:
            shapes = ", ".join(str(list(t._data.shape)) for t in (s, t1, t2))
            raise RuntimeError(f"addcmul: shapes {shapes} cannot be broadcast together") from None
        saved = (t1 if t2._rg else None, t2 if t1._rg else None)  # (read only when needed)
        return self._record(out, (s, t1, t2), backward, AddcmulBackward0, saved)

    @value_first
    def addcdiv(self, tensor1: Any, tensor2: Any, *, value: float = 1) -> Tensor:
        """self + value * tensor1 / tensor2.

        Examples
        --------
        >>> import nn
        >>> nn.tensor([1.0]).addcdiv(nn.tensor([3.0]), nn.tensor([2.0]), value=-1)
        tensor([-0.5000])
        """
        me = cast("Tensor", self)
        s, t1, t2 = _promoted(me, me._lift(tensor1), me._lift(tensor2))
        try:
            out, backward = blend_rules.addcdiv(
                s._data, t1._data, t2._data, value, (s._rg, t1._rg, t2._rg)
            )
        except ValueError:
            shapes = ", ".join(str(list(t._data.shape)) for t in (s, t1, t2))
            raise RuntimeError(f"addcdiv: shapes {shapes} cannot be broadcast together") from None
        saved = (t1 if t2._rg else None, t2)  # (PyTorch saves tensor2 whatever needs grad)
        return self._record(out, (s, t1, t2), backward, AddcdivBackward0, saved)

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
        if self._data.dtype.kind != "f":
            return me.clone()
        out, backward = blend_rules.nan_to_num(self._data, nan, posinf, neginf)
        return self._record(out, (me,), backward, NanToNumBackward0, (me,))

    def lerp_(self: T, end: InputLike, weight: InputLike) -> T:
        """``lerp`` in place."""
        return _in_place.run(self, _outplace("lerp"), end, weight)

    @value_first
    def addcmul_(self: T, tensor1: object, tensor2: object, *, value: float = 1) -> T:
        """``addcmul`` in place: ``s.addcmul_(g, g, value=1 - beta2)`` is s += (1 - beta2) g²."""
        return _in_place.run(self, _outplace("addcmul"), tensor1, tensor2, value=value)

    @value_first
    def addcdiv_(self: T, tensor1: object, tensor2: object, *, value: float = 1) -> T:
        """``addcdiv`` in place: ``w.addcdiv_(v, denom, value=-lr)`` is w -= lr v / denom."""
        return _in_place.run(self, _outplace("addcdiv"), tensor1, tensor2, value=value)

    def nan_to_num_(
        self: T, nan: float = 0.0, posinf: float | None = None, neginf: float | None = None
    ) -> T:
        """``nan_to_num`` in place (of integers and bools: nothing to replace, so nothing is
        written, but the change is counted, as PyTorch counts it)."""
        if self._data.dtype.kind != "f":
            self._vc[0] += 1
            return self
        return _in_place.run(self, _outplace("nan_to_num"), nan, posinf, neginf)
