"""Tensor arithmetic, comparisons, elementwise functions and dtype conversions (a mixin of
``Tensor``): each method runs an array rule from ``nn/rules`` and records its node.

Operands are lifted and promoted as PyTorch does: numbers are "weak" (``float32 * 2.5`` is
float32), ndarrays count as Tensors, and an operand is cast (differentiably) to the result
dtype before the op, so each rule sees one dtype and gradients come back in each input's.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, NoReturn, cast

import numpy as np

from .. import _dtype
from .._args.overloads import alpha_first
from ..autograd.graph import Node, node_type
from ..rules import Rule
from ..rules import arithmetic as arithmetic_rules
from ..rules._quiet import quiet
from ..types import InputLike
from .core import TensorCore
from .reads import reads_divisor, reads_for_remainder, reads_nothing, reads_other

if TYPE_CHECKING:
    from ..tensor import Tensor

_NUMBERS = (int, float, complex, np.number, np.bool_)
_OPERANDS = (*_NUMBERS, np.ndarray, list, tuple)

AddBackward0 = node_type("AddBackward0")
SubBackward0 = node_type("SubBackward0")
RsubBackward1 = node_type("RsubBackward1")
MulBackward0 = node_type("MulBackward0")
DivBackward0 = node_type("DivBackward0")
NegBackward0 = node_type("NegBackward0")
PowBackward0 = node_type("PowBackward0")
PowBackward1 = node_type("PowBackward1")
PowBackward2 = node_type("PowBackward2")
DivBackward2 = node_type("DivBackward2")
RemainderBackward0 = node_type("RemainderBackward0")
RemainderBackward1 = node_type("RemainderBackward1")
NotImplementedBackward = node_type("NotImplemented")  # PyTorch's name for such a node


def _broadcast_error(name: str, a: np.ndarray, b: np.ndarray) -> RuntimeError:
    return RuntimeError(
        f"The size of tensor a ({_size(a.shape)}) must match the size of tensor b "
        f"({_size(b.shape)}) at a non-singleton dimension ({name}: shapes {a.shape} and "
        f"{b.shape} do not broadcast)"
    )


def _size(shape: tuple[int, ...]) -> str:
    return ", ".join(map(str, shape)) or "scalar"


class TensorMath(TensorCore):
    """Arithmetic and elementwise methods of ``Tensor``."""

    __slots__ = ()

    # ---------------------------------------------------------------- operands
    def _lift(self, value: Any) -> Tensor:
        """``value`` as a Tensor: itself, or an ndarray, a number or a list (numbers take
        this Tensor's float dtype when it has one)."""
        if isinstance(value, TensorMath):
            return value  # type: ignore[return-value]
        if isinstance(value, np.ndarray):
            return self._make(value)
        if isinstance(value, _NUMBERS):
            dtype = _dtype.scalar_dtype(value)
            mine = self._data.dtype
            if _dtype.category(mine) >= _dtype.category(dtype):
                dtype = mine
            if dtype.kind in "iu" and isinstance(value, int):  # wrapped around, as PyTorch
                return self._make(np.asarray(value).astype(dtype))
            return self._make(np.asarray(value, dtype=dtype))
        return self._make(_dtype.as_array(value, copy=False))

    def _pair(self, other: Any, name: str = "") -> tuple[Tensor, Tensor]:
        """``(self, other)`` as Tensors of their promoted dtype (PyTorch's rules)."""
        me: Tensor = self  # type: ignore[assignment]
        mine = self._data.dtype
        if isinstance(other, TensorMath):
            if other._data.dtype == mine:
                return me, other  # type: ignore[return-value]
            ranks: tuple[list[np.dtype], list[np.dtype], list[np.dtype]] = ([], [], [])
            ranks[0 if other._data.ndim else 1].append(other._data.dtype)
            lifted: Tensor = other  # type: ignore[assignment]
        elif isinstance(other, float | int) and not isinstance(other, bool):
            if mine.kind == "f":
                return me, self._make(np.asarray(other, dtype=mine))
            if mine.kind in "iu" and isinstance(other, int):  # wrapped around, as PyTorch
                return me, self._make(np.asarray(other).astype(mine))
            ranks = ([], [], [_dtype.scalar_dtype(other)])
            lifted = self._make(np.asarray(other))
        elif isinstance(other, _NUMBERS):
            ranks = ([], [], [_dtype.scalar_dtype(other)])
            lifted = self._make(np.asarray(other))
        else:
            try:
                lifted = (
                    self._lift(other)
                    if isinstance(other, np.ndarray)
                    else self._make(_dtype.as_array(other, copy=False))
                )
            except TypeError:
                raise TypeError(
                    f"unsupported operand type for {name or 'a Tensor op'}: Tensor and "
                    f"{type(other).__name__}"
                ) from None
            ranks = ([], [], [])
            ranks[0 if lifted._data.ndim else 1].append(lifted._data.dtype)
        ranks[0 if self._data.ndim else 1].append(mine)
        target = _dtype.result_dtype(*ranks)
        return me._cast(target), lifted._cast(target)

    def _binary(
        self, rule: Callable[..., Rule], other: Any, kind: type[Node], name: str,
        reverse: bool = False, **params: Any,
    ) -> Tensor:  # fmt: skip
        """``rule`` on (self, other) promoted; ``reads=`` (one of the ``reads_*`` below)
        names the operands its backward reads, and ``"result"`` if it reads the output."""
        reads = params.pop("reads", reads_nothing)
        if not isinstance(other, (TensorMath, *_OPERANDS)):
            return NotImplemented  # type: ignore[no-any-return]  # Python then tries other's
        a, b = self._pair(other, name)
        first: object = self
        second: object = other
        if reverse:
            a, b, first, second = b, a, second, first
        try:
            with quiet():
                out, backward = rule(a._data, b._data, need_a=a._rg, need_b=b._rg, **params)
        except ValueError:
            raise _broadcast_error(name, a._data, b._data) from None
        # what the backward reads, as the operands given (a cast copy would hide an in-place
        # change of the original from the version check, which PyTorch makes)
        originals = {id(a): first, id(b): second}
        reads = reads(a, b)
        result = "result" in reads
        saved = tuple(
            s if s is None else _given(originals.get(id(s)), s)
            for s in reads
            if not isinstance(s, str)
        )
        return self._record(out, (a, b), backward, kind, saved, result)

    def _number_first(self, name: str, number: Any, **kwargs: Any) -> Tensor:
        """``torch.<name>(number, self, ...)``: the number as the first operand."""
        alpha = kwargs.pop("alpha", 1)
        if name == "add":
            return self._binary(
                arithmetic_rules.add, number, AddBackward0, name, reverse=True, alpha=alpha
            )
        if name == "sub":
            return self._binary(
                arithmetic_rules.sub, number, RsubBackward1, name, reverse=True, alpha=alpha
            )
        if name == "mul":
            return self._binary(
                arithmetic_rules.mul, number, MulBackward0, name, True, reads=reads_other
            )
        if name in ("div", "true_divide"):
            if kwargs.get("rounding_mode") is not None:
                return self._lift(number).div(self, **kwargs)
            a, b = self._floating_pair(number)
            return a._binary(
                arithmetic_rules.div, b, DivBackward0, "div", True, reads=reads_divisor
            )
        return self.__rfloordiv__(number) if name == "floor_divide" else self.__rmod__(number)

    # ---------------------------------------------------------------- operators
    def __add__(self, other: InputLike) -> Tensor:
        return self.add(other)

    def __radd__(self, other: InputLike) -> Tensor:
        return self._binary(arithmetic_rules.add, other, AddBackward0, "add", reverse=True)

    def __sub__(self, other: InputLike) -> Tensor:
        return self.sub(other)

    def __rsub__(self, other: InputLike) -> Tensor:
        _refuse_bool_subtraction(self, other)
        return self._binary(arithmetic_rules.sub, other, RsubBackward1, "sub", reverse=True)

    def __mul__(self, other: InputLike) -> Tensor:
        return self._binary(arithmetic_rules.mul, other, MulBackward0, "mul", reads=reads_other)

    def __rmul__(self, other: InputLike) -> Tensor:
        return self._binary(
            arithmetic_rules.mul, other, MulBackward0, "mul", True, reads=reads_other
        )

    def __truediv__(self, other: InputLike) -> Tensor:
        return self.div(other)

    def __rtruediv__(self, other: InputLike) -> Tensor:
        # how PyTorch computes other / Tensor (rounded twice, and saving only the reciprocal)
        result: Tensor = cast("Tensor", self).reciprocal() * other
        return result

    def __floordiv__(self, other: InputLike) -> Tensor:
        return self._undifferentiable(
            other, "floor_divide", arithmetic_rules.divide_rounded, "floor"
        )

    def __rfloordiv__(self, other: InputLike) -> Tensor:
        return self._undifferentiable(
            other, "floor_divide", arithmetic_rules.divide_rounded, "floor", reverse=True
        )

    def __mod__(self, other: InputLike) -> Tensor:
        kind = RemainderBackward0 if isinstance(other, float | int) else RemainderBackward1
        if self._data.dtype.kind == "b" and isinstance(other, TensorMath | bool | np.bool_):
            _not_for_bool("remainder_cpu", self._lift(other)._data.dtype)
        rule = arithmetic_rules.remainder
        return self._binary(rule, other, kind, "remainder", reads=reads_for_remainder)

    def __rmod__(self, other: InputLike) -> Tensor:
        if self._data.dtype.kind == "b" and isinstance(other, TensorMath | bool | np.bool_):
            _not_for_bool("remainder_cpu", self._lift(other)._data.dtype)
        if isinstance(other, float | int):  # PyTorch has no derivative for number % Tensor
            return self._undifferentiable(other, "remainder", _remainder_values, reverse=True)
        rule, kind = arithmetic_rules.remainder, RemainderBackward1
        return self._binary(rule, other, kind, "remainder", True, reads=reads_for_remainder)

    def _undifferentiable(
        self, other: InputLike, name: str, compute: Any, *args: Any, reverse: bool = False
    ) -> Tensor:
        """An op PyTorch records without a derivative: backward through it raises."""
        a, b = self._pair(other, name)
        if reverse:
            a, b = b, a
        _not_for_bool("div_floor_cpu" if name == "floor_divide" else "remainder_cpu", a.dtype)
        out = compute(a._data, b._data, *args)
        return self._record(
            out, (a, b), arithmetic_rules.not_differentiable(name), NotImplementedBackward
        )

    def __pow__(self, exponent: InputLike) -> Tensor:
        return self.pow(exponent)

    def __rpow__(self, base: Any) -> Tensor:
        me: Tensor = self  # type: ignore[assignment]
        kind = me._data.dtype.kind
        if isinstance(base, int) and not isinstance(base, bool) and kind in "biu":
            dtype = np.dtype(np.int64) if kind == "b" else me._data.dtype  # PyTorch's promotion
            power = arithmetic_rules.integer_power(
                np.asarray(base).astype(dtype), me._data.astype(dtype)
            )
            return type(me)._make(power)
        if isinstance(base, float | int) and not isinstance(base, bool):
            x = me if kind == "f" else me._cast(_dtype.get_default_dtype())
            with quiet():
                out, backward = arithmetic_rules.pow_number_base(float(base), x._data)
            return self._record(out, (x,), backward, PowBackward2, (x,), result=True)
        return self._lift(base).pow(me)

    def __neg__(self) -> Tensor:
        if self._data.dtype.kind == "b":
            raise RuntimeError(
                "Negation, the `-` operator, on a bool tensor is not supported. If you are "
                "trying to invert a mask, use the `~` or `logical_not()` operator instead."
            )
        out, backward = arithmetic_rules.neg(self._data)
        return self._record(out, (self,), backward, NegBackward0)

    def __pos__(self) -> Tensor:
        return self  # type: ignore[return-value]

    def __invert__(self) -> Tensor:
        if self._data.dtype.kind not in "biu":
            raise TypeError(
                "~ (operator.invert) is only implemented on integer and Boolean-type tensors"
            )
        return self._make(np.invert(self._data))

    def bitwise_not(self) -> Tensor:
        """~x of an integer or bool Tensor (the method refuses floats as PyTorch's kernel
        does: NotImplementedError, where the operator ``~`` raises TypeError)."""
        if self._data.dtype.kind not in "biu":
            name = _dtype.torch_name(self._data.dtype)
            raise NotImplementedError(f"\"bitwise_not_cpu\" not implemented for '{name}'")
        return self.__invert__()

    def _bitwise(self, ufunc: np.ufunc, other: InputLike, name: str) -> Tensor:
        if not isinstance(other, (TensorMath, *_OPERANDS)):
            return NotImplemented  # type: ignore[no-any-return]
        a, b = self._pair(other, name)
        if a._data.dtype.kind not in "biu":
            raise NotImplementedError(
                f"\"{name}_cpu\" not implemented for '{_dtype.torch_name(a._data.dtype)}'"
            )
        try:
            return self._make(np.asarray(ufunc(a._data, b._data)))
        except ValueError:
            raise _broadcast_error(name, a._data, b._data) from None

    def bitwise_and(self, other: InputLike) -> Tensor:
        """Elementwise AND of the bits (of integers) or of the truths (of bools): ``&``."""
        return self._bitwise(np.bitwise_and, other, "bitwise_and")

    def bitwise_or(self, other: InputLike) -> Tensor:
        """Elementwise OR of the bits or truths: ``|``."""
        return self._bitwise(np.bitwise_or, other, "bitwise_or")

    def bitwise_xor(self, other: InputLike) -> Tensor:
        """Elementwise exclusive OR of the bits or truths: ``^``."""
        return self._bitwise(np.bitwise_xor, other, "bitwise_xor")

    __and__ = __rand__ = bitwise_and
    __or__ = __ror__ = bitwise_or
    __xor__ = __rxor__ = bitwise_xor

    def _compare(self, ufunc: np.ufunc, other: InputLike) -> Tensor:
        if not isinstance(other, (TensorMath, *_OPERANDS)):
            return NotImplemented  # type: ignore[no-any-return]  # None, pytest.approx...
        a, b = self._pair(other, ufunc.__name__)
        try:
            return self._make(np.asarray(ufunc(a._data, b._data)))
        except ValueError:
            raise _broadcast_error(ufunc.__name__, a._data, b._data) from None

    def __eq__(self, other: InputLike) -> Tensor:  # type: ignore[override]
        return self._compare(np.equal, other)

    def __ne__(self, other: Any) -> Tensor:  # type: ignore[override]
        return self._compare(np.not_equal, other)

    def __lt__(self, other: InputLike) -> Tensor:
        return self._compare(np.less, other)

    def __le__(self, other: InputLike) -> Tensor:
        return self._compare(np.less_equal, other)

    def __gt__(self, other: InputLike) -> Tensor:
        return self._compare(np.greater, other)

    def __ge__(self, other: InputLike) -> Tensor:
        return self._compare(np.greater_equal, other)

    eq, ne, lt, le, gt, ge = __eq__, __ne__, __lt__, __le__, __gt__, __ge__
    greater, greater_equal, less, less_equal, not_equal = gt, ge, lt, le, ne

    # ------------------------------------------------------------ named arithmetic
    @alpha_first
    def add(self, other: InputLike, *, alpha: float = 1) -> Tensor:
        """``self + alpha * other``, as ``torch.Tensor.add``.

        >>> import nn
        >>> nn.tensor([1.0]).add(2.0, alpha=3)
        tensor([7.])
        """
        return self._binary(arithmetic_rules.add, other, AddBackward0, "add", alpha=alpha)

    @alpha_first
    def sub(self, other: InputLike, *, alpha: float = 1) -> Tensor:
        """``self - alpha * other``."""
        _refuse_bool_subtraction(self, other)
        return self._binary(arithmetic_rules.sub, other, SubBackward0, "sub", alpha=alpha)

    subtract = sub

    def mul(self, other: InputLike) -> Tensor:
        """``self * other``."""
        return self._binary(arithmetic_rules.mul, other, MulBackward0, "mul", reads=reads_other)

    multiply = mul

    def div(self, other: Any, *, rounding_mode: str | None = None) -> Tensor:
        """``self / other`` (true division: integers give floats); ``rounding_mode``
        ``"trunc"`` or ``"floor"`` rounds the quotient (not differentiable)."""
        if rounding_mode is not None:
            a, b = self._pair(other, "div")
            if rounding_mode in ("floor", "trunc"):
                return a._binary(
                    arithmetic_rules.rounded_quotient, b, DivBackward2, "div", mode=rounding_mode
                )
            raise ValueError(
                f"div expected rounding_mode to be one of None, 'trunc', or 'floor' but found "
                f"'{rounding_mode}'"
            )
        a, b = self._floating_pair(other)
        return a._binary(arithmetic_rules.div, b, DivBackward0, "div", reads=reads_divisor)

    divide = true_divide = div

    def _floating_pair(self, other: Any) -> tuple[Tensor, Any]:
        """Self (as a float Tensor when both operands are integers: true division)."""
        me: Tensor = self  # type: ignore[assignment]
        if self._data.dtype.kind in "biu" and isinstance(other, int | np.integer):
            return me._cast(_dtype.get_default_dtype()), float(other)  # (-1 is not wrapped)
        if self._data.dtype.kind in "biu":
            kind = getattr(getattr(other, "dtype", None), "kind", None)
            if kind in (None, "b", "i", "u") and not isinstance(other, float):
                other_t = self._lift(other)
                if other_t._data.dtype.kind in "biu":
                    default = _dtype.get_default_dtype()
                    return me._cast(default), other_t._cast(default)
        return me, other

    def floor_divide(self, other: InputLike) -> Tensor:
        return self.__floordiv__(other)

    def remainder(self, other: InputLike) -> Tensor:
        return self.__mod__(other)

    def pow(self, exponent: InputLike) -> Tensor:
        """``self ** exponent`` (a number or a Tensor).

        >>> import nn
        >>> nn.tensor([3.0]).pow(2)
        tensor([9.])
        """
        me: Tensor = self  # type: ignore[assignment]
        if isinstance(exponent, bool | np.bool_):
            return me._pow_bool(bool(exponent))
        if isinstance(exponent, float | int) and not isinstance(exponent, bool):
            if me._data.dtype.kind in "biu" and (isinstance(exponent, float) or exponent < 0):
                if isinstance(exponent, int):
                    raise RuntimeError("Integers to negative integer powers are not allowed.")
                me = me._cast(_dtype.get_default_dtype())
            elif me._data.dtype.kind == "b":  # bool ** int is int64, as PyTorch promotes
                me = me._cast(np.dtype(np.int64))
            with quiet():
                out, backward = arithmetic_rules.pow_scalar(me._data, exponent)
            return self._record(out, (me,), backward, PowBackward0, (me,))
        a, b = self._pair(exponent, "pow")
        _not_for_bool("pow", a._data.dtype)
        try:
            with quiet():
                out, backward = arithmetic_rules.pow_tensor(
                    a._data, b._data, need_a=a._rg, need_b=b._rg
                )
        except ValueError:
            raise _broadcast_error("pow", a._data, b._data) from None
        saved = (_given(self, a), _given(exponent, b))  # (as given: their version counters)
        if isinstance(exponent, TensorCore) and exponent._data.dtype.kind == "b":
            backward = _bool_exponent_backward  # PyTorch's backward computes exponent - 1
        return self._record(out, (a, b), backward, PowBackward1, saved, result=True)

    def _pow_bool(self, exponent: bool) -> Tensor:
        """``self ** True`` / ``** False`` as PyTorch: a bool stays bool, and the gradient is
        PyTorch's formula ``exponent * x ** (exponent - 1)`` (NaN at 0 for False: its
        shortcut for a zero exponent does not apply to a bool)."""
        me: Tensor = self  # type: ignore[assignment]
        if me._data.dtype.kind == "b":
            return self._make(me._data.copy() if exponent else np.ones_like(me._data))
        out, backward = arithmetic_rules.pow_bool(me._data, exponent)
        return self._record(out, (me,), backward, PowBackward0, (me,))

    def neg(self) -> Tensor:
        return self.__neg__()

    negative = neg


def _remainder_values(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return arithmetic_rules.remainder(a, b)[0]


def _bool_exponent_backward(g: np.ndarray) -> NoReturn:
    """PyTorch's pow backward for a bool Tensor exponent, which fails as PyTorch's does."""
    _refuse_bool_subtraction(True, 1)
    raise AssertionError("unreachable")


def _given(original: object, used: Tensor) -> Tensor:
    """The operand as given when it is a Tensor (its version counter), else the one used."""
    return cast("Tensor", original) if isinstance(original, TensorCore) else used


def _refuse_bool_subtraction(a: object, b: object) -> None:
    def is_bool(t: object) -> bool:
        return isinstance(t, bool | np.bool_) or (
            isinstance(t, TensorCore) and t._data.dtype.kind == "b"
        )

    if is_bool(a) or is_bool(b):
        both = is_bool(a) and is_bool(b)
        raise RuntimeError(
            "Subtraction, the `-` operator, with two bool tensors is not supported. Use the `^` "
            "or `logical_xor()` operator instead."
            if both
            else "Subtraction, the `-` operator, with a bool tensor is not supported. If you are "
            "trying to invert a mask, use the `~` or `logical_not()` operator instead."
        )


def _not_for_bool(name: str, dtype: np.dtype) -> None:
    """PyTorch's error for an op whose kernel has no bool version."""
    if dtype.kind == "b":
        raise NotImplementedError(f"\"{name}\" not implemented for 'Bool'")
