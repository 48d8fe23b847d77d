"""PyTorch's indexing rules, as a NumPy index in two steps (NumPy only).

PyTorch reads ``x[index]`` entry by entry: an integer (or a 0-d integer Tensor) selects,
removing its dimension; a slice (positive step only), ``None`` and ``...`` are basic too;
only lists, Tensors and arrays of more than 0 dimensions (and bool masks) are advanced
indices, applied afterwards to the result of the basic ones. NumPy instead counts an
integer beside an array as advanced, which moves the indexed dimension to the front
(``x[0, :, idx]`` transposed). So an index is split into ``basic``, a NumPy basic index
giving a view, and ``advanced``, the NumPy index applied to that view (None when there is
no advanced entry): then NumPy's own rules give PyTorch's result.

Also as PyTorch: a list holding sequences, Tensors, slices, None or ``...`` is read as a
tuple (``m[[rows, cols]]``, deprecated, with PyTorch's warning), a uint8 index is a mask
(deprecated, warns), and errors are PyTorch's (``ValueError`` for a negative step,
``IndexError`` naming the dimension for an integer out of range).
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence
from types import EllipsisType
from typing import Any, NamedTuple

import numpy as np

_SEQUENCE_WARNING = (
    "Using a non-tuple sequence for multidimensional indexing is deprecated and will be "
    "changed in pytorch 2.9; use x[tuple(seq)] instead of x[seq]. In pytorch 2.9 this will be "
    "interpreted as tensor index, x[torch.tensor(seq)], which will result either in an error "
    "or a different result"
)
_UINT8_WARNING = (
    "indexing with dtype torch.uint8 is now deprecated, please use a dtype torch.bool instead."
)


class Index(NamedTuple):
    """``x[index]`` is ``x[basic][advanced]`` (``advanced`` None: ``x[basic]`` alone)."""

    basic: tuple[Any, ...]
    advanced: tuple[Any, ...] | None


def parse(
    index: object,
    shape: tuple[int, ...],
    check_in_place: Callable[[], None] | None = None,
    check_value: Callable[[], None] | None = None,
) -> Index:
    """``index`` (with Tensors already replaced by their arrays) for an array of ``shape``,
    checked in PyTorch's order for a write: ints and slices, then (when there are index
    arrays) ``check_in_place``, the arrays' dtypes, any index into a dimension of size 0,
    ``check_value``, the arrays' bounds."""
    notes: list[str] = []
    entries = _entries(index, notes)
    for note in dict.fromkeys(notes):  # (from x[index] and x[index] = v: the user's line)
        warnings.warn(note, UserWarning, stacklevel=3)
    if sum(e is Ellipsis for e in entries) > 1:
        raise IndexError("an index can only have a single ellipsis ('...')")
    consumed = sum(_dims_consumed(e) for e in entries)
    if consumed > len(shape):
        raise IndexError(f"too many indices for tensor of dimension {len(shape)} (got {consumed})")
    basic: list[Any] = []
    advanced: list[tuple[int, Any]] = []  # (position among the basic result's dims, array)
    dim = out = 0  # the input dimension reached, the output dimension made
    arrays: list[tuple[np.ndarray, int]] = []  # (each index array, the dimension it starts at)
    for entry in entries:
        if entry is Ellipsis:
            skipped = len(shape) - consumed
            basic.append(Ellipsis)
            dim, out = dim + skipped, out + skipped
        elif entry is None:
            basic.append(None)
            out += 1
        elif isinstance(entry, bool):  # x[True]: a new dimension, kept or emptied
            basic.append(None)
            advanced.append((out, np.array([entry])))
            out += 1
        elif isinstance(entry, int):
            basic.append(_checked_int(entry, dim, shape))
            dim += 1
        elif isinstance(entry, slice):
            basic.append(_checked_slice(entry))
            dim, out = dim + 1, out + 1
        else:  # an array: advanced (a bool mask covers as many dimensions as it has)
            span = entry.ndim if entry.dtype == bool else 1
            arrays.append((entry, dim))
            basic.extend([slice(None)] * span)
            advanced.append((out, entry))
            dim, out = dim + span, out + span
    if Ellipsis not in basic:
        basic.append(Ellipsis)  # (a view even of one element: NumPy copies x[0] of 1-d)
    if not advanced:
        return Index(tuple(basic), None)
    if check_in_place is not None:
        check_in_place()
    for array, at in arrays:
        _check_dtype_and_mask(array, at, shape)
    _check_broadcast([array for _, array in advanced])
    if any(not shape[at] and a.dtype != bool for a, at in arrays) and 0 not in _selected_shape(
        advanced
    ):
        raise IndexError("index is out of bounds for dimension with size 0")
    if check_value is not None:
        check_value()
    try:
        for array, at in arrays:
            _check_bounds(array, shape[at], at)
    except IndexError:
        if not _selects_nothing(tuple(basic), advanced, shape):
            raise
        # (an empty selection checks no bounds; NumPy checks them even then: point them in
        # range)
        fixed = {id(a): np.where((a < -n) | (a >= n), 0, a) for a, at in arrays if (n := shape[at])}
        advanced = [(at, e if e.dtype == bool else fixed.get(id(e), e)) for at, e in advanced]
    return Index(tuple(basic), _advanced_tuple(advanced, out + len(shape) - dim))


_INDEX_DTYPES = (np.int64, np.int32, np.uint8, np.bool_)


def _check_broadcast(arrays: list[np.ndarray]) -> None:
    """PyTorch's error for index arrays whose shapes do not broadcast (a mask stands for the
    positions it selects)."""
    shapes = [(int(a.sum()),) if a.dtype == bool else a.shape for a in arrays]
    try:
        np.broadcast_shapes(*shapes)
    except ValueError:
        listed = ", ".join(str(list(s)) for s in shapes)
        raise IndexError(
            f"shape mismatch: indexing tensors could not be broadcast together with shapes {listed}"
        ) from None


def _entries(index: object, notes: list[str]) -> list[Any]:
    """The index as a list of entries: ints, slices, None, ..., bools and arrays (PyTorch's
    deprecation warnings added to ``notes``)."""
    if isinstance(index, list) and _reads_as_tuple(index):
        notes.append(_SEQUENCE_WARNING)
        index = tuple(index)
    parts = index if isinstance(index, tuple) else (index,)
    return [_entry(part, notes) for part in parts]


def _reads_as_tuple(items: list[object]) -> bool:
    """PyTorch's ``treatSequenceAsTuple`` for a list index."""
    return len(items) < 32 and any(
        isinstance(i, list | tuple | range | slice | np.ndarray) or i is None or i is Ellipsis
        for i in items
    )


def _entry(part: object, notes: list[str]) -> object:
    if part is None or part is Ellipsis or isinstance(part, slice | bool):
        return part
    if isinstance(part, np.bool_):
        return bool(part)
    if isinstance(part, int | np.integer):
        return int(part)
    if isinstance(part, str):
        raise TypeError(
            f"new(): invalid data type 'str' (an index is an int, a slice, None, ..., "
            f"a sequence of ints or bools, or a Tensor; got {part!r})"
        )
    if isinstance(part, np.ndarray | list | tuple | range):
        array = np.asarray(part)
        if not isinstance(part, np.ndarray) and array.dtype.kind in "iu":
            array = array.astype(np.int64)  # (a sequence of NumPy integers: as PyTorch)
        if array.dtype == np.uint8:
            notes.append(_UINT8_WARNING)
            array = array.astype(bool)
        if array.ndim == 0 and array.dtype.kind in "biu":
            # a 0-d integer Tensor selects as an int does (a view); a 0-d bool as a bool
            return bool(array) if array.dtype == bool else int(array)
        if not array.size and array.dtype.kind == "f":
            return array.astype(np.int64)  # an empty list selects nothing
        if array.dtype.kind not in "biu":
            raise IndexError("tensors used as indices must be long, int, byte or bool tensors")
        return array
    raise IndexError(
        "only integers, slices (`:`), ellipsis (`...`), None and long or byte Variables are "
        f"valid indices (got {type(part).__name__})"
    )


def _dims_consumed(entry: object) -> int:
    if entry is None or entry is Ellipsis or isinstance(entry, bool):
        return 0
    if isinstance(entry, np.ndarray) and entry.dtype == bool:
        return entry.ndim
    return 1


def _checked_int(i: int, dim: int, shape: tuple[int, ...]) -> int:
    size = shape[dim]
    if not -size <= i < size:
        raise IndexError(f"index {i} is out of bounds for dimension {dim} with size {size}")
    return i


def _checked_slice(s: slice) -> slice:
    if s.step is not None:
        step = int(s.step)
        if step == 0:
            raise ValueError("slice step cannot be zero")
        if step < 0:
            raise ValueError("step must be greater than zero")
    return s


def _selected_shape(advanced: Sequence[tuple[int, np.ndarray]]) -> tuple[int, ...]:
    """The index arrays' broadcast shape (a mask stands for its count of True)."""
    return np.broadcast_shapes(
        *[(int(e.sum()),) if e.dtype == bool else e.shape for _, e in advanced]
    )


def _selects_nothing(
    basic: tuple[int | slice | EllipsisType | None, ...],
    advanced: Sequence[tuple[int, np.ndarray]],
    shape: tuple[int, ...],
) -> bool:
    """Whether the selection is empty: PyTorch's index kernels then never run, so never
    check an index's bounds (``torch.zeros(3, 0)[[5]]`` has shape (1, 0))."""
    view = np.broadcast_to(np.empty((), np.int8), shape)[basic]  # (only its shape is read)
    covered = {
        axis
        for at, entry in advanced
        for axis in range(at, at + (entry.ndim if entry.dtype == bool else 1))
    }
    rest = [n for axis, n in enumerate(view.shape) if axis not in covered]
    return 0 in rest or 0 in _selected_shape(advanced)


def _check_dtype_and_mask(array: np.ndarray, dim: int, shape: tuple[int, ...]) -> None:
    if array.dtype.type not in _INDEX_DTYPES:
        raise IndexError("tensors used as indices must be long, int, byte or bool tensors")
    covered = shape[dim : dim + array.ndim]
    if array.dtype == bool and array.shape != covered:
        for axis, (n, m) in enumerate(zip(array.shape, covered, strict=False)):
            if n != m:
                raise IndexError(
                    f"The shape of the mask [{', '.join(map(str, array.shape))}] at index "
                    f"{axis} does not match the shape of the indexed tensor "
                    f"[{', '.join(map(str, shape))}] at index {dim + axis}"
                )


def _check_bounds(array: np.ndarray, size: int, dim: int) -> None:
    if array.dtype != bool and array.size:
        low, high = int(array.min()), int(array.max())
        bad = high if high >= size else low if low < -size else None
        if bad is not None:
            raise IndexError(f"index {bad} is out of bounds for dimension {dim} with size {size}")


def _advanced_tuple(advanced: list[tuple[int, Any]], ndim: int) -> tuple[Any, ...]:
    """The NumPy index for the basic result (``ndim`` dimensions): each array at its
    position, full slices elsewhere (a mask of k dimensions stands for k of them)."""
    at = dict(advanced)
    parts: list[Any] = []
    position = 0
    while position < ndim:
        array = at.get(position)
        if array is None:
            parts.append(slice(None))
            position += 1
        else:
            parts.append(array)
            position += array.ndim if array.dtype == bool else 1
    return tuple(parts)
