"""Tensor comparisons (a part of ``Tensor``): as a whole (equal, isclose, allclose, with
PyTorch's tolerances and NaN rules), and the elementwise comparisons, logical and bitwise
ops in place (``x.lt_(y)`` writes 1 or 0 in x's dtype; their out-of-place forms are in
``arithmetic.py`` and ``elementwise.py``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

import numpy as np

from .. import _dtype
from ..autograd.grad_mode import no_grad
from ..types import Number, TensorLike
from . import in_place as _in_place
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

    def _compared_(self, name: str, other: object) -> Tensor:
        """``self.<name>(other)`` written into this Tensor in its dtype. Its gradient is 0
        for both operands (PyTorch's in-place comparisons are recorded, with zero
        gradients, not cut from the graph); an integer or bool Tensor stays out of the
        graph (PyTorch records it, then refuses its backward)."""

        def compared(s: Tensor, o: object) -> Tensor:
            kept = getattr(s, name)(o).to(s.dtype)
            floating = s._data.dtype.kind in "fc"
            if floating and isinstance(o, TensorComparison) and o.requires_grad:
                kept = cast("Tensor", o)._ignored_beside(kept)
            return s._ignored_beside(kept)

        return cast("Tensor", self)._inplace(compared, other)

    def eq_(self, other: TensorLike | Number) -> Tensor:
        return self._compared_("eq", other)

    def ne_(self, other: TensorLike | Number) -> Tensor:
        return self._compared_("ne", other)

    def lt_(self, other: TensorLike | Number) -> Tensor:
        return self._compared_("lt", other)

    def le_(self, other: TensorLike | Number) -> Tensor:
        return self._compared_("le", other)

    def gt_(self, other: TensorLike | Number) -> Tensor:
        return self._compared_("gt", other)

    def ge_(self, other: TensorLike | Number) -> Tensor:
        return self._compared_("ge", other)

    not_equal_, less_, less_equal_, greater_, greater_equal_ = ne_, lt_, le_, gt_, ge_

    def _logical_(self, name: str, *other: object) -> Tensor:
        """``self.<name>(*other)`` written into this Tensor in its dtype, as PyTorch's
        in-place logical ops: outside autograd (not recorded, no check of a leaf that
        requires grad; the version counter still moves)."""
        for value in other:
            if not isinstance(value, TensorComparison):
                raise TypeError(
                    f"{name}_(): argument 'other' (position 1) must be Tensor, not "
                    f"{type(value).__name__}"
                )
        with no_grad():
            result = getattr(self, name)(*other)
        _in_place.write(self, result._data)
        return cast("Tensor", self)

    def logical_and_(self, other: TensorLike) -> Tensor:
        return self._logical_("logical_and", other)

    def logical_or_(self, other: TensorLike) -> Tensor:
        return self._logical_("logical_or", other)

    def logical_xor_(self, other: TensorLike) -> Tensor:
        return self._logical_("logical_xor", other)

    def logical_not_(self) -> Tensor:
        return self._logical_("logical_not")

    def bitwise_and_(self, other: TensorLike | Number) -> Tensor:
        return cast("Tensor", self)._unary_("bitwise_and", other)

    def bitwise_or_(self, other: TensorLike | Number) -> Tensor:
        return cast("Tensor", self)._unary_("bitwise_or", other)

    def bitwise_xor_(self, other: TensorLike | Number) -> Tensor:
        return cast("Tensor", self)._unary_("bitwise_xor", other)

    def bitwise_not_(self) -> Tensor:
        return cast("Tensor", self)._unary_("bitwise_not")

    __iand__, __ior__, __ixor__ = bitwise_and_, bitwise_or_, bitwise_xor_
