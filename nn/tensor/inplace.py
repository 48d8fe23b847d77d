"""In-place Tensor operators and methods (a mixin of ``Tensor``): ``+=``, ``add_``,
``x[i] = v``, ``zero_``, ``normal_``...

Each changes the Tensor's own storage and bumps its version. Outside the graph (under
``no_grad``, or when nothing involved requires grad) the arithmetic runs as one NumPy ufunc
writing into the storage; otherwise the out-of-place op is recorded and its result written
back (``Tensor._inplace``), so backward stays correct.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar, cast

import numpy as np

from .. import _dtype, _indexing
from .._errors import read_only_error
from .._graph import KEPT, node_type
from .._overloads import alpha_first
from ..autograd import _Mode
from ..random import (
    draw_bernoulli,
    draw_exponential,
    draw_integers,
    draw_multinomial,
    draw_normal,
    draw_uniform,
)
from ..rules import scaled_sum
from ..rules import shape as S
from . import in_place as _in_place
from .arithmetic import _refuse_bool_subtraction
from .core import TensorCore, plain_index
from .elementwise import _clamp_bounds
from .shape import TensorShape, _index_tensors
from .views import CopySlices

if TYPE_CHECKING:
    from ..tensor import Tensor

T = TypeVar("T", bound="TensorInplace")

IndexPutBackward0 = node_type("IndexPutBackward0")
CopyBackwards = node_type("CopyBackwards")
FillBackward2 = node_type("FillBackward2")  # (from a number)
FillBackward3 = node_type("FillBackward3")  # (from a 0-d Tensor)
ZeroBackward0 = node_type("ZeroBackward0")
MaskedFillBackward0 = node_type("MaskedFillBackward0")
MaskedFillBackward1 = node_type("MaskedFillBackward1")


class TensorInplace(TensorCore):
    """In-place methods of ``Tensor``."""

    __slots__ = ()

    # ------------------------------------------------------------------ in place
    def _check_inplace(self) -> None:
        """Refuse an in-place change PyTorch refuses (``nn/tensor/in_place.py``)."""
        _in_place.check(self)

    def _recording(self, *others: Any) -> bool:
        """Whether an in-place op with ``others`` must be recorded (after the checks)."""
        return _in_place.recording(self, *others)

    def _inplace(self: T, op: Callable[..., Tensor], *args: Any, **kwargs: Any) -> T:
        """The out-of-place ``op(self, ...)`` written into this Tensor's storage."""
        return _in_place.run(self, op, *args, **kwargs)

    def _write(self, values: np.ndarray) -> None:
        """Copy ``values`` (this Tensor's shape) into the storage and bump the version."""
        _in_place.write(self, values)

    def _arith_(self: T, ufunc: np.ufunc, outplace: Any, other: Any, **params: Any) -> T:
        """``self (op)= other`` in place: one ufunc into the storage outside the graph."""
        if self._recording(other):
            return self._inplace(outplace, other, **params)
        operand = other._data if isinstance(other, TensorInplace) else other
        if not isinstance(operand, np.ndarray | int | float | complex | np.generic):
            operand = _dtype.as_array(operand, copy=False)
        if type(operand) is int and self._data.dtype.kind in "iu":
            operand = np.asarray(operand).astype(self._data.dtype)  # wrapped, as PyTorch
        alpha = params.get("alpha", 1)
        data = self._data
        if alpha != 1:
            operand = np.asarray(operand)
            if data.dtype.kind == "f" and operand.dtype.kind == "f":
                sign = -1 if ufunc is np.subtract else 1  # rounded once, as PyTorch's kernels
                self._write(scaled_sum(data, operand, sign * alpha))
                return self
            operand = np.multiply(operand, alpha)
        result = _inplace_dtype(data, operand, ufunc is np.true_divide)
        if not _dtype.can_cast(result, data.dtype):
            raise RuntimeError(
                f"result type {_dtype.torch_name(result)} can't be cast to the desired output "
                f"type {_dtype.torch_name(data.dtype)}"
            )
        if isinstance(operand, np.ndarray) and operand.dtype != result:
            operand = operand.astype(result)  # (computed in PyTorch's dtype, not NumPy's)
        elif not isinstance(operand, np.ndarray) and result != data.dtype:
            operand = np.asarray(operand, dtype=result)
        if isinstance(operand, np.ndarray) and operand.ndim:
            _refuse_overlap(data, operand)
        try:
            ufunc(data, operand, out=data, casting="unsafe", dtype=result)
        except ValueError:
            shape = np.broadcast_shapes(data.shape, np.shape(operand))
            if shape == data.shape:
                raise read_only_error() from None
            raise RuntimeError(
                f"output with shape {list(data.shape)} doesn't match the broadcast shape "
                f"{list(shape)}"
            ) from None
        self._vc[0] += 1
        return self

    @alpha_first
    def add_(self: T, other: Any, *, alpha: float = 1) -> T:
        """``self += alpha * other`` in place.

        Examples
        --------
        >>> import nn
        >>> w = nn.tensor([1.0, 2.0], requires_grad=True)
        >>> with nn.no_grad():
        ...     w.add_(nn.tensor([1.0, 1.0]), alpha=-0.5)
        tensor([0.5000, 1.5000], requires_grad=True)
        """
        return self._arith_(np.add, _outplace("add"), other, alpha=alpha)

    @alpha_first
    def sub_(self: T, other: Any, *, alpha: float = 1) -> T:
        """``self -= alpha * other`` in place."""
        _refuse_bool_subtraction(self, other)
        return self._arith_(np.subtract, _outplace("sub"), other, alpha=alpha)

    subtract_ = sub_

    def mul_(self: T, other: Any) -> T:
        """``self *= other`` in place."""
        return self._arith_(np.multiply, _outplace("mul"), other)

    multiply_ = mul_

    def div_(self: T, other: Any, *, rounding_mode: str | None = None) -> T:
        """``self /= other`` in place."""
        if rounding_mode is not None:
            return self._inplace(_outplace("div"), other, rounding_mode=rounding_mode)
        return self._arith_(np.true_divide, _outplace("div"), other)

    divide_ = true_divide_ = div_

    def pow_(self: T, exponent: Any) -> T:
        """``self **= exponent`` in place."""
        return self._inplace(_outplace("pow"), exponent)

    def remainder_(self: T, other: Any) -> T:
        """``self %= other`` in place."""
        return self._inplace(_outplace("remainder"), other)

    def floor_divide_(self: T, other: Any) -> T:
        """``self //= other`` in place."""
        return self._inplace(_outplace("floor_divide"), other)

    __iadd__ = add_
    __isub__ = sub_
    __imul__ = mul_
    __itruediv__ = div_
    __ipow__ = pow_
    __imod__ = remainder_
    __ifloordiv__ = floor_divide_

    # ------------------------------------------------- in-place changes of shape
    def _reshaped_(self, change: Any, *args: Any) -> Tensor:
        """This Tensor made ``change(self, *args)``, a view of its own storage
        (``transpose_``...); the version counts the change, as PyTorch's does."""
        self._check_inplace()  # (a leaf that requires grad refuses, in grad mode)
        result = change(self, *args)
        self._data = result._data
        self._view = result._view if self._view is not None else None
        if result._node is not None:  # recorded: this Tensor is now that view op's output
            self._node, self._rg = result._node, True
        self._vc[0] += 1
        return self  # type: ignore[return-value]

    def transpose_(self, dim0: int, dim1: int) -> Tensor:
        """``transpose`` in place: this Tensor's dimensions swapped."""
        return self._reshaped_(TensorShape.transpose, dim0, dim1)

    swapaxes_ = swapdims_ = transpose_

    def t_(self) -> Tensor:
        """``t`` in place."""
        return self._reshaped_(TensorShape.t)

    def squeeze_(self, dim: Any = None) -> Tensor:
        """``squeeze`` in place."""
        return self._reshaped_(TensorShape.squeeze, dim)

    def unsqueeze_(self, dim: int) -> Tensor:
        """``unsqueeze`` in place."""
        return self._reshaped_(TensorShape.unsqueeze, dim)

    def _unary_(self: T, name: str, *args: Any, **kwargs: Any) -> T:
        return self._inplace(_outplace(name), *args, **kwargs)

    def clamp_(self: T, min: Any = None, max: Any = None) -> T:
        """Limit to [min, max] in place."""
        _clamp_bounds(min, max)  # (the arguments first, as PyTorch's parser checks them)
        return self._unary_("clamp", min, max)

    clip_ = clamp_

    def clamp_min_(self: T, min: Any) -> T:
        return self._unary_("clamp_min", min)

    def clamp_max_(self: T, max: Any) -> T:
        return self._unary_("clamp_max", max)

    def neg_(self: T) -> T:
        return self._unary_("neg")

    def abs_(self: T) -> T:
        return self._unary_("abs")

    def exp_(self: T) -> T:
        return self._unary_("exp")

    def log_(self: T) -> T:
        return self._unary_("log")

    def sqrt_(self: T) -> T:
        return self._unary_("sqrt")

    def sigmoid_(self: T) -> T:
        return self._unary_("sigmoid")

    def tanh_(self: T) -> T:
        return self._unary_("tanh")

    def relu_(self: T) -> T:
        return self._unary_("relu")

    def floor_(self: T) -> T:
        return self._unary_("floor")

    def round_(self: T, decimals: int = 0) -> T:
        return self._unary_("round", decimals)

    def sign_(self: T) -> T:
        return self._unary_("sign")

    def reciprocal_(self: T) -> T:
        return self._unary_("reciprocal")

    # the in-place form of each of these out-of-place methods: ``t.rsqrt_()`` writes
    # ``t.rsqrt()`` into ``t``, with the autograd rules of every in-place op
    absolute_ = abs_
    negative_ = neg_

    def rsqrt_(self: T) -> T:
        return self._unary_("rsqrt")

    def square_(self: T) -> T:
        return self._unary_("square")

    def log1p_(self: T) -> T:
        return self._unary_("log1p")

    def log10_(self: T) -> T:
        return self._unary_("log10")

    def log2_(self: T) -> T:
        return self._unary_("log2")

    def expm1_(self: T) -> T:
        return self._unary_("expm1")

    def sin_(self: T) -> T:
        return self._unary_("sin")

    def cos_(self: T) -> T:
        return self._unary_("cos")

    def sinh_(self: T) -> T:
        return self._unary_("sinh")

    def cosh_(self: T) -> T:
        return self._unary_("cosh")

    def asin_(self: T) -> T:
        return self._unary_("asin")

    def acos_(self: T) -> T:
        return self._unary_("acos")

    def atan_(self: T) -> T:
        return self._unary_("atan")

    def erf_(self: T) -> T:
        return self._unary_("erf")

    def ceil_(self: T) -> T:
        return self._unary_("ceil")

    def trunc_(self: T) -> T:
        return self._unary_("trunc")

    def sgn_(self: T) -> T:
        return self._unary_("sgn")

    def masked_fill_(self: T, mask: Any, value: Any) -> T:
        """Set the elements where ``mask`` is True to ``value``, in place (an expanded Tensor
        too, as PyTorch allows: its repeated elements get one value)."""
        if not self._data.flags.writeable and self._data.size and not self._recording(value):
            filled = _masked_fill(cast("Tensor", self), mask, value)._data
            if _repeats(self._data):
                _warn_expanded(masked=True, stacklevel=3)
            where = np.broadcast_to(np.asarray(plain_index(mask), dtype=bool), filled.shape)
            # (only where the mask holds: an element repeated elsewhere keeps the fill)
            np.copyto(_writable_alias(self._data), filled, where=where)
            self._vc[0] += 1
            return self
        return self._inplace(_masked_fill, mask, value)

    def masked_fill(self, mask: Any, value: Any) -> Tensor:
        """A copy with the elements where ``mask`` is True set to ``value``."""
        rg = isinstance(value, TensorInplace) and value._rg
        if rg and self._data.dtype.kind not in "fc" and _Mode.enabled:
            raise RuntimeError(f"Autograd not support dtype: {_dtype.torch_name(self._data.dtype)}")
        return _masked_fill(cast("Tensor", self), mask, value)

    # ------------------------------------------------------------------ filling
    def _fill(self: T, values: np.ndarray, kind: type = FillBackward2) -> T:
        """Write ``values`` (which do not depend on the old ones) into the storage; an
        expanded Tensor may be filled, as PyTorch's (its repeated elements get one value)."""
        if self._recording():
            return self._inplace(
                lambda s: s._record(values, (s,), lambda g: (np.zeros_like(g),), kind)
            )
        if not self._data.flags.writeable and self._data.size:
            _writable_alias(self._data)[...] = values
            self._vc[0] += 1
            return self
        self._write(np.asarray(values, dtype=self._data.dtype).reshape(self._data.shape))
        return self

    def fill_(self: T, value: Any) -> T:
        """Set every element to ``value`` in place.

        Examples
        --------
        >>> import nn
        >>> nn.zeros(2).fill_(3.0)
        tensor([3., 3.])
        """
        if isinstance(value, TensorInplace) and value._rg:
            return self._inplace(_fill_tensor, value)
        if isinstance(value, TensorInplace):
            if _repeats(self._data):  # (PyTorch's fill from a Tensor refuses, a number not)
                raise read_only_error()
            number = value._data
        else:
            number = _dtype.checked_scalar(value, self._data.dtype)
        kind = FillBackward3 if isinstance(value, TensorInplace) else FillBackward2
        return self._fill(np.full(self._data.shape, number, dtype=self._data.dtype), kind)

    def zero_(self: T) -> T:
        """Set every element to 0 in place.

        Examples
        --------
        >>> import nn
        >>> nn.tensor([1.0, 2.0]).zero_()
        tensor([0., 0.])
        """
        return self._fill(np.zeros(self._data.shape, dtype=self._data.dtype), ZeroBackward0)

    def copy_(self: T, src: Any, non_blocking: bool = False) -> T:
        """Copy ``src`` (broadcast to this shape) into this Tensor, keeping this dtype;
        differentiable with respect to ``src``."""
        source = cast("Tensor", self)._lift(src)
        try:
            shape = np.broadcast_shapes(source._data.shape, self._data.shape)
        except ValueError:
            raise RuntimeError(
                f"The size of tensor a ({self._data.shape}) must match the size of tensor b "
                f"({source._data.shape}) at non-singleton dimension"
            ) from None
        if shape != self._data.shape:
            raise RuntimeError(
                f"output with shape {list(self._data.shape)} doesn't match the broadcast shape "
                f"{list(shape)}"
            )
        _refuse_overlap(self._data, source._data)
        if self._recording(source):
            return self._inplace(_copy, source)
        values = np.broadcast_to(source._data, self._data.shape)
        try:
            np.copyto(self._data, values, casting="unsafe")
        except ValueError:
            raise read_only_error() from None
        self._vc[0] += 1
        return self

    def normal_(self: T, mean: float = 0.0, std: float = 1.0, *, generator: Any = None) -> T:
        """Fill with N(mean, std**2) draws in place (from ``generator`` or the default one)."""
        contiguous = bool(self._data.flags.c_contiguous)
        return self._fill(
            draw_normal(generator, self._data.shape, self._data.dtype, mean, std, contiguous)
        )

    def uniform_(self: T, a: float = 0.0, b: float = 1.0, *, generator: Any = None) -> T:
        """Fill with U(a, b) draws in place."""
        return self._fill(draw_uniform(generator, self._data.shape, self._data.dtype, a, b))

    def bernoulli(self, p: Any = None, *, generator: Any = None) -> Tensor:
        """0/1 draws, each 1 with the probability this Tensor holds (or ``p``), as
        ``torch.bernoulli``: a new Tensor of this dtype."""
        chance = self._data if p is None else float(p)
        if p is None and (np.any(chance < 0) or np.any(chance > 1)):
            raise RuntimeError("Expected p_in >= 0 && p_in <= 1 to be true, but got false.")
        draws = draw_bernoulli(generator, chance, self._data.shape, self._data.dtype)
        return TensorCore._make(draws)

    def multinomial(
        self, num_samples: int, replacement: bool = False, *, generator: Any = None
    ) -> Tensor:
        """Indices drawn from each row (1-D or 2-D) in proportion to its values, as
        ``torch.multinomial`` (int64)."""
        probs = self._data
        if probs.ndim not in (1, 2):
            raise RuntimeError(f"prob_dist must be 1 or 2 dim, got {probs.ndim}")
        if probs.dtype.kind != "f":
            raise RuntimeError(
                f"multinomial only supports floating-point dtypes for input, got: "
                f"{_dtype.torch_name(probs.dtype)}"
            )
        if num_samples <= 0:
            raise RuntimeError("cannot sample n_sample <= 0 samples")
        if not replacement and num_samples > probs.shape[-1]:
            raise RuntimeError(
                "cannot sample n_sample > prob_dist.size(-1) samples without replacement"
            )
        if not np.all(np.isfinite(probs)) or np.any(probs < 0):
            raise RuntimeError("probability tensor contains either `inf`, `nan` or element < 0")
        if np.any(probs.reshape(-1, probs.shape[-1]).sum(axis=-1) <= 0):
            raise RuntimeError("invalid multinomial distribution (sum of probabilities <= 0)")
        drawn = draw_multinomial(generator, probs, num_samples, replacement)
        return TensorCore._make(np.asarray(drawn, dtype=np.int64))

    def bernoulli_(self: T, p: Any = 0.5, *, generator: Any = None) -> T:
        """Fill with 0/1 draws that are 1 with probability ``p``, in place."""
        chance = p._data if isinstance(p, TensorInplace) else float(p)
        return self._fill(draw_bernoulli(generator, chance, self._data.shape, self._data.dtype))

    def exponential_(self: T, lambd: float = 1.0, *, generator: Any = None) -> T:
        return self._fill(draw_exponential(generator, self._data.shape, self._data.dtype, lambd))

    def random_(self: T, low: int = 0, high: int | None = None, *, generator: Any = None) -> T:
        if high is None:  # (PyTorch's range: [0, 2**mantissa] for floats, [0, max] else)
            low, high = 0, low if low else _random_limit(self._data.dtype)
        return self._fill(draw_integers(generator, low, high, self._data.shape, self._data.dtype))

    # ----------------------------------------------------------------- indexing
    def __setitem__(self, index: Any, value: Any) -> None:
        """``x[index] = value`` in place, with PyTorch's indexing rules (``nn/_indexing.py``)
        and its order of checks: the value, the ints and slices, in place, the index lists."""
        if isinstance(value, int | float) and not isinstance(value, bool):
            _dtype.checked_scalar(value, self._data.dtype)
        parsed = _indexing.parse(plain_index(index), self._data.shape, self._check_inplace)
        # PyTorch writes a number (or a 0-d Tensor) through one mask as a masked fill, which
        # refuses a uint8 mask and casts; anything else through an index list as index_put_,
        # which wants the value's dtype to be this Tensor's
        masked = _single_mask(index) and (
            not isinstance(value, TensorCore) or value._data.size == 1
        )
        if masked:
            _refuse_byte_mask(index)
        if index is False:
            return  # (PyTorch writes nothing, and counts no change)
        if parsed.advanced is None and _is_whole(self._data, parsed.basic):
            # PyTorch's indexing returns the Tensor itself for ``...`` and full slices, and
            # writes into it directly: a fill from a number or a 0-d Tensor, else a copy
            # (the value's leading 1-sized dimensions dropped)
            if not isinstance(value, TensorCore):  # (as a 0-d Tensor: PyTorch wraps it)
                if _repeats(self._data):  # (as fill_ from a Tensor refuses)
                    raise read_only_error()
                number = _dtype.checked_scalar(value, self._data.dtype)
                self._fill(np.full(self._data.shape, number, self._data.dtype), FillBackward3)
            elif not value._data.ndim:
                self.fill_(value)
            else:
                shape = value._data.shape
                ones = 0  # (leading 1s beyond this Tensor's dimensions: a copy_ refuses them)
                while len(shape) - ones > self._data.ndim and shape[ones] == 1:
                    ones += 1
                self.copy_(cast("Tensor", value).reshape(shape[ones:]))
            return
        index_put = parsed.advanced is not None and not masked and not isinstance(index, bool)
        if index_put and isinstance(value, TensorCore) and value._data.dtype != self._data.dtype:
            raise RuntimeError(
                "Index put requires the source and destination dtypes match, got "
                f"{_dtype.torch_name(self._data.dtype)} for the destination and "
                f"{_dtype.torch_name(value._data.dtype)} for the source."
            )
        if self._recording(value):
            # (the index Tensors are saved, as PyTorch saves them, and the positions)
            saved = (*_index_tensors(index), KEPT)
            self._inplace(_set_index, parsed, value, saved)
            return
        array = value._data if isinstance(value, TensorInplace) else value
        if isinstance(array, int | float) and not isinstance(array, bool):
            array = _dtype.checked_scalar(array, self._data.dtype)
        region = self._data[parsed.basic]
        if not region.flags.writeable:
            region = _expanded_region(region, parsed.advanced is not None, masked)
        if isinstance(array, np.ndarray):
            _refuse_overlap(region if parsed.advanced is None else self._data, array)
        try:
            if parsed.advanced is None:
                region[...] = array
            else:
                region[parsed.advanced] = array
        except ValueError as error:
            if not region.flags.writeable:
                raise read_only_error() from None
            raise RuntimeError(f"shape mismatch: {error}") from None
        self._vc[0] += 1


def _outplace(name: str) -> Any:
    """The out-of-place method ``name`` of Tensor, found at call time."""
    return lambda s, *args, **kwargs: getattr(s, name)(*args, **kwargs)


def _set_index(
    source: Tensor, index: _indexing.Index, value: Any, saved: tuple[Tensor, ...]
) -> Tensor:
    v = source._lift(value)
    if v._data.dtype != source._data.dtype:
        v = v._cast(source._data.dtype)
    try:
        out, backward = S.setitem(
            source._data, index.basic, v._data, need_value=v._rg, then=index.advanced
        )
    except ValueError as error:
        raise RuntimeError(f"shape mismatch: {error}") from None
    kind = IndexPutBackward0 if index.advanced is not None else CopySlices
    return source._record(out, (source, v), backward, kind, saved)


def _copy(source: Tensor, src: Tensor) -> Tensor:
    s = src if src._data.dtype == source._data.dtype else src._cast(source._data.dtype)
    out = np.array(np.broadcast_to(s._data, source._data.shape), copy=True)
    shape = s._data.shape

    def backward(g: np.ndarray) -> tuple[Any, ...]:
        from ..rules import unbroadcast

        return np.zeros_like(g), unbroadcast(g, shape)

    return source._record(out, (source, s), backward, CopyBackwards)


def _fill_tensor(source: Tensor, value: Tensor) -> Tensor:
    if value._data.ndim:
        raise RuntimeError(
            "fill_ only supports 0-dimension value tensor but got tensor with "
            f"{value._data.ndim} dimensions."
        )
    v = value if value._data.dtype == source._data.dtype else value._cast(source._data.dtype)
    out = np.full(source._data.shape, v._data, dtype=source._data.dtype)
    return source._record(
        out, (source, v), lambda g: (np.zeros_like(g), np.asarray(g.sum())), FillBackward3
    )


def _inplace_dtype(data: np.ndarray, operand: Any, divide: bool) -> np.dtype:
    """The dtype PyTorch computes ``data (op) operand`` in."""
    ranks: tuple[list[np.dtype], list[np.dtype], list[np.dtype]] = ([], [], [])
    ranks[0 if data.ndim else 1].append(data.dtype)
    if isinstance(operand, np.ndarray):
        ranks[0 if operand.ndim else 1].append(operand.dtype)
    else:
        ranks[2].append(_dtype.scalar_dtype(operand))
    result = _dtype.result_dtype(*ranks)
    return _dtype.get_default_dtype() if divide and result.kind in "biu" else result


def _single_mask(index: Any) -> bool:
    """Whether the only index Tensor is one bool or uint8 mask."""
    parts = index if isinstance(index, tuple) else (index,)
    tensors = [p for p in parts if isinstance(p, TensorCore) and p._data.ndim]
    others = [p for p in parts if isinstance(p, list | np.ndarray | bool)]
    return len(tensors) == 1 and not others and tensors[0]._data.dtype in (np.bool_, np.uint8)


def _refuse_byte_mask(index: Any) -> None:
    """PyTorch's refusal of a write through one uint8 mask (deprecated for reads, where it
    is a bool mask with a warning; for writes, its masked fill refuses it)."""
    parts = index if isinstance(index, tuple) else (index,)
    tensors = [p for p in parts if isinstance(p, TensorCore) and p._data.ndim]
    if len(tensors) == 1 and tensors[0]._data.dtype == np.uint8:
        raise RuntimeError(
            "masked_fill_ only supports boolean masks, but got mask with dtype unsigned char"
        )


def _expanded_region(region: np.ndarray, advanced: bool, masked: bool) -> np.ndarray:
    """Where a write into a part of an expanded Tensor goes, as PyTorch: an empty part takes
    nothing; a part without repeats is written; through an index list or a mask, with
    repeats, PyTorch writes (deprecated, with its warning) and so does this; else the
    caller refuses the read-only array it gets back."""
    if not region.size:
        return np.empty_like(region)  # (the value's shape is still checked against it)
    if not _repeats(region):  # (PyTorch checks the part written, not the whole Tensor)
        return _writable_alias(region)
    if advanced:
        _warn_expanded(masked)
        return _writable_alias(region)
    return region


def _warn_expanded(masked: bool, stacklevel: int = 4) -> None:
    """PyTorch's deprecation warning for a masked fill or an index_put_ into a Tensor whose
    elements repeat (an expanded one)."""
    kernel, example = (
        ("masked_fill_", "tensor[mask] = scalar")
        if masked
        else ("index_put_", "tensor[indices] = tensor")
    )
    warnings.warn(
        f"Use of {kernel} on expanded tensors is deprecated. Please clone() the tensor "
        f"before performing this operation. This also applies to advanced indexing e.g. "
        f"{example}",
        UserWarning,
        stacklevel=stacklevel,
    )


def _repeats(data: np.ndarray) -> bool:
    """Whether elements of ``data`` share memory (an expanded Tensor's)."""
    return data.size > 1 and any(
        stride == 0 and size > 1 for size, stride in zip(data.shape, data.strides, strict=True)
    )


def _writable_alias(data: np.ndarray) -> np.ndarray:
    """A writable array on the same memory as ``data`` (an expanded, read-only view)."""
    root = data
    while isinstance(root.base, np.ndarray):
        root = root.base
    offset = data.__array_interface__["data"][0] - root.__array_interface__["data"][0]
    alias: np.ndarray = np.ndarray(
        data.shape, data.dtype, buffer=root, offset=offset, strides=data.strides
    )
    return alias


def _masked_fill(source: Tensor, mask: Any, value: Any) -> Tensor:
    condition = np.asarray(plain_index(mask), dtype=bool)
    if isinstance(value, int | float | np.number) and not isinstance(value, bool):
        _dtype.checked_scalar(value, source._data.dtype)
    elif isinstance(value, TensorCore) and not value._data.ndim and not value._rg:
        _dtype.checked_scalar(value._data.item(), source._data.dtype)  # (as a number)
    v = source._lift(value)
    if v._rg and v._data.dtype != source._data.dtype:
        v = v._cast(source._data.dtype)  # (the result keeps this Tensor's dtype)
    out = np.asarray(np.where(condition, v._data, source._data), dtype=source._data.dtype)
    saved = (mask,) if isinstance(mask, TensorCore) else ()
    if not v._rg:
        return source._record(
            out,
            (source,),
            lambda g: (np.where(condition, 0.0, g).astype(g.dtype),),
            MaskedFillBackward0,
            saved,
        )
    shape = out.shape

    def backward(g: np.ndarray) -> tuple[Any, ...]:  # (the value: the sum where filled)
        filled = np.broadcast_to(condition, shape)
        return np.where(filled, 0.0, g).astype(g.dtype), np.asarray(g[filled].sum(), g.dtype)

    return source._record(out, (source, v), backward, MaskedFillBackward1, saved)


def _random_limit(dtype: np.dtype) -> int:
    """One past the largest value ``random_()`` draws for ``dtype``, as PyTorch."""
    if dtype.kind == "f":
        return int(2 ** (np.finfo(dtype).nmant + 1) + 1)
    if dtype.kind == "b":
        return 2
    return int(np.iinfo(dtype).max) + 1


def _is_whole(data: np.ndarray, basic: tuple[Any, ...]) -> bool:
    """Whether ``basic`` is ``...`` and full slices only, the index PyTorch answers with the
    Tensor itself: as it checks them, before normalising, start None or 0, step None or 1,
    stop None or at least the size (``x[:-1]`` of an empty Tensor is not whole)."""
    if not all(item is Ellipsis or isinstance(item, slice) for item in basic):
        return False
    if sum(item is Ellipsis for item in basic) > 1:
        return False
    cut = next((i for i, item in enumerate(basic) if item is Ellipsis), len(basic))
    before, after = basic[:cut], basic[cut + 1 :]
    if len(before) + len(after) > data.ndim:
        return False
    sizes = data.shape[: len(before)] + data.shape[data.ndim - len(after) :]
    return all(
        item.start in (None, 0)
        and item.step in (None, 1)
        and (item.stop is None or item.stop >= size)
        for item, size in zip((*before, *after), sizes, strict=True)
    )


def _refuse_overlap(written: np.ndarray, read: np.ndarray) -> None:
    """PyTorch's refusal of an in-place op whose input shares some, but not all, of the
    memory it writes (``a[1:] += a[:-1]``, ``a.copy_(a.t())``): the result would depend on
    the order of the element-wise loop."""
    if not np.may_share_memory(written, read):
        return
    same = (
        written.__array_interface__["data"][0] == read.__array_interface__["data"][0]
        and written.shape == read.shape
        and written.strides == read.strides
    )
    if not same and np.shares_memory(written, read):
        raise RuntimeError(
            "unsupported operation: some elements of the input tensor and the written-to "
            "tensor refer to a single memory location. Please clone() the tensor before "
            "performing the operation."
        )
