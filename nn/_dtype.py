"""dtypes as PyTorch names them, the default float dtype, and PyTorch's type promotion.

descend's dtypes are NumPy's (``nn.float32 is np.dtype("float32")``), so ``t.dtype ==
nn.float32`` and ``t.dtype == np.float32`` both hold. Type promotion follows PyTorch, not
NumPy: operands are ranked dimensioned Tensors > 0-d Tensors > Python numbers, and a
lower-ranked operand changes the result's dtype only when it is of a higher category
(bool < integer < floating). So ``float32 * 2.5`` is float32, ``int64 * 2.5`` is the default
float dtype, and ``float32 + float64 0-d`` is float32. NumPy only.
"""

from __future__ import annotations

import numpy as np

from .types import DTypeLike

float16 = half = np.dtype(np.float16)
float32 = np.dtype(np.float32)
float64 = double = np.dtype(np.float64)
uint8 = np.dtype(np.uint8)
int8 = np.dtype(np.int8)
int16 = short = np.dtype(np.int16)
int32 = np.dtype(np.int32)
int64 = long = np.dtype(np.int64)
bool_ = np.dtype(np.bool_)
complex64 = cfloat = np.dtype(np.complex64)
complex128 = cdouble = np.dtype(np.complex128)

FLOATS = (float16, float32, float64)

dtype = np.dtype  # the type of every dtype above (``torch.dtype``, in annotations and checks)


class UnsupportedDType:
    """A dtype PyTorch has and NumPy has not: it compares equal only to itself and prints
    its name, so that code asking ``p.dtype in {nn.float16, nn.bfloat16}`` runs; making a
    Tensor of it raises ``TypeError`` saying why."""

    __slots__ = ("is_complex", "is_floating_point", "is_signed", "itemsize", "name")

    def __init__(self, name: str, itemsize: int) -> None:
        self.name, self.itemsize = name, itemsize
        self.is_floating_point, self.is_complex, self.is_signed = True, False, True

    def __repr__(self) -> str:
        return self.name

    def __reduce__(self) -> str:
        return self.name


bfloat16 = UnsupportedDType("bfloat16", 2)

# the names PyTorch prints for each dtype (Tensor.type(), error messages)
TORCH_NAMES: dict[np.dtype, tuple[str, str]] = {
    float16: ("Half", "half"),
    float32: ("Float", "float"),
    float64: ("Double", "double"),
    uint8: ("Byte", "unsigned char"),
    int8: ("Char", "signed char"),
    int16: ("Short", "short"),
    int32: ("Int", "int"),
    int64: ("Long", "long"),
    bool_: ("Bool", "bool"),
    complex64: ("ComplexFloat", "complex<float>"),
    complex128: ("ComplexDouble", "complex<double>"),
}

_state = {"default": float32}


def set_default_dtype(dtype: DTypeLike) -> None:
    """Set the dtype of float Tensors and Parameters made from Python data (float32 or float64).

    Examples
    --------
    >>> import numpy as np, nn
    >>> nn.set_default_dtype(np.float64); nn.tensor([1.0]).dtype
    dtype('float64')
    >>> nn.set_default_dtype(np.float32)
    """
    resolved = to_dtype(dtype)
    if resolved not in (float32, float64):
        raise TypeError(f"the default dtype must be float32 or float64, got {resolved}")
    _state["default"] = resolved


def get_default_dtype() -> np.dtype:
    """The dtype of float Tensors made from Python data (float32 unless changed).

    Examples
    --------
    >>> import nn; nn.get_default_dtype()
    dtype('float32')
    """
    return _state["default"]


def to_dtype(dtype: DTypeLike) -> np.dtype:
    """``dtype`` (an ``nn`` dtype, a NumPy dtype or type, or Python's float/int/bool) as a
    NumPy dtype; Python's ``float`` is float64 and ``complex`` complex128 whatever the default
    dtype, as in PyTorch (``torch.zeros(2, dtype=float)`` is float64)."""
    if dtype is float:
        return float64
    if dtype is int:
        return int64
    if dtype is bool:
        return bool_
    if isinstance(dtype, UnsupportedDType):
        raise TypeError(
            f"nn.{dtype.name} cannot hold values: NumPy has no {dtype.name} dtype, and "
            "descend computes with NumPy (use nn.float16, nn.float32 or nn.float64)"
        )
    try:
        resolved: np.dtype = np.dtype(dtype)
    except TypeError:
        raise TypeError(f"expected a dtype such as nn.float32, got {dtype!r}") from None
    return resolved


def torch_name(dtype: np.dtype) -> str:
    """PyTorch's short name (``Float``, ``Long``...), for messages and ``Tensor.type()``."""
    return TORCH_NAMES.get(dtype, (str(dtype), str(dtype)))[0]


def torch_c_name(dtype: np.dtype) -> str:
    """PyTorch's C type name (``float``, ``double``...), as in its dtype error messages."""
    return TORCH_NAMES.get(dtype, (str(dtype), str(dtype)))[1]


def category(dtype: np.dtype) -> int:
    """0 bool, 1 integer, 2 floating, 3 complex."""
    return {"b": 0, "i": 1, "u": 1, "f": 2, "c": 3}.get(dtype.kind, 2)


def as_array(data: object, dtype: DTypeLike | None = None, copy: bool = True) -> np.ndarray:
    """Python data or an ndarray as an ndarray, with PyTorch's dtype rules: Python floats
    become the default dtype, Python ints int64, bools bool; ndarrays keep their dtype."""
    if dtype is not None:
        target = to_dtype(dtype)
        return np.array(data, dtype=target) if copy else np.asarray(data, dtype=target)
    if isinstance(data, np.ndarray | np.generic):
        return np.array(data) if copy else np.asarray(data)
    array = np.asarray(data)
    kind = array.dtype.kind
    if isinstance(data, list | tuple) and kind in "biufc":
        inferred = _sequence_dtype(data)
        if inferred is not None:  # (NumPy scalars and arrays among the numbers)
            return array.astype(inferred)
    if kind == "f":
        return array.astype(get_default_dtype())
    if kind in "iu":
        return array.astype(int64)
    if kind == "c":
        return array.astype(complex64 if get_default_dtype() == float32 else complex128)
    if kind != "b":
        raise TypeError(
            f"could not make a Tensor from {type(data).__name__} (numpy dtype {array.dtype}); "
            "expected numbers, nested lists of numbers or an ndarray"
        )
    return array


def _sequence_dtype(data: list[object] | tuple[object, ...]) -> np.dtype | None:
    """PyTorch's dtype for a nested sequence holding NumPy scalars or arrays: each keeps its
    own dtype, Python numbers count as ``scalar_dtype`` says, all promoted together
    (``[np.float64(1)]`` is float64, ``[np.int8(1), np.uint8(2)]`` int16); None when every
    element is a Python number (then ``as_array``'s rules apply)."""
    found: np.dtype | None = None
    numpy_seen = False
    stack: list[object] = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, list | tuple):
            stack.extend(item)
            continue
        if isinstance(item, np.ndarray | np.generic):
            numpy_seen = True
            dtype = item.dtype
        else:
            dtype = scalar_dtype(item)
        found = dtype if found is None else promote_types(found, dtype)
    return found if numpy_seen else None


def checked_scalar(value: object, dtype: np.dtype) -> np.ndarray:
    """A Python number written into a Tensor of ``dtype`` (by ``fill_``, ``masked_fill``,
    ``x[i] = v``), as a 0-d array: PyTorch refuses one out of the dtype's range ("value
    cannot be converted to type uint8_t without overflow"), except a negative integer
    into an unsigned dtype down to minus its largest value, which wraps around."""
    number = value.item() if isinstance(value, np.generic) else value
    if dtype.kind in "iu" and isinstance(number, int | float) and not isinstance(number, bool):
        info = np.iinfo(dtype)
        low = -int(info.max) if dtype.kind == "u" and isinstance(number, int) else int(info.min)
        if not low <= number <= int(info.max):
            name = (
                f"{dtype.name}_t"
                if dtype.kind == "u" or dtype.itemsize == 1
                else torch_c_name(dtype)
            )
            raise RuntimeError(f"value cannot be converted to type {name} without overflow")
        return (
            np.asarray(int(number)).astype(dtype)
            if isinstance(number, int)
            else (np.asarray(number).astype(dtype))
        )
    if dtype.kind == "f" and isinstance(number, int | float) and not isinstance(number, bool):
        finite = np.isfinite(number) if isinstance(number, float) else True
        if finite and abs(number) > float(np.finfo(dtype).max):
            raise RuntimeError(
                f"value cannot be converted to type {torch_c_name(dtype)} without overflow"
            )
    return np.asarray(number, dtype=dtype)


def scalar_dtype(value: object) -> np.dtype:
    """The dtype PyTorch gives a Python number taking part in an op (a "wrapped number")."""
    if isinstance(value, bool | np.bool_):
        return bool_
    if isinstance(value, int | np.integer):
        return int64
    if isinstance(value, complex | np.complexfloating):
        return complex64 if get_default_dtype() == float32 else complex128
    return get_default_dtype()


def promote_types(a: np.dtype, b: np.dtype) -> np.dtype:
    """PyTorch's ``promote_types``: within a category as NumPy, across categories the higher
    category's dtype (int64 with float32 is float32, where NumPy says float64)."""
    if category(a) != category(b):
        return a if category(a) > category(b) else b
    return np.promote_types(a, b)


def _combine(higher: np.dtype | None, lower: np.dtype | None) -> np.dtype | None:
    """PyTorch's ``combine_categories``: ``lower`` counts only if of a higher category."""
    if higher is None:
        return lower
    if lower is None or category(higher) >= category(lower):
        return higher
    return promote_types(higher, lower)


def result_dtype(
    dimensioned: list[np.dtype], zero_dim: list[np.dtype], numbers: list[np.dtype]
) -> np.dtype:
    """The dtype of an op's result from its operands' dtypes, grouped by rank (PyTorch's
    ``result_type``)."""

    def promote(dtypes: list[np.dtype]) -> np.dtype | None:
        result = None
        for dtype in dtypes:
            result = dtype if result is None else promote_types(result, dtype)
        return result

    combined = _combine(promote(dimensioned), _combine(promote(zero_dim), promote(numbers)))
    return combined if combined is not None else get_default_dtype()


def can_cast(source: np.dtype, target: np.dtype) -> bool:
    """Whether an in-place op may write a ``source`` result into a ``target`` Tensor
    (PyTorch refuses only a higher category: a float result into an integer Tensor)."""
    return category(source) <= category(target)
