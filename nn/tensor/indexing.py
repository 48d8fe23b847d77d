"""Tensor indexing (a part of ``Tensor``): ``x[index]`` and ``x[index] = value``, narrow,
select, unbind, chunk, split, gather, index_select, masked_select, nonzero, over the rules
of ``nn/rules/indexing.py`` and ``nn/tensor/index_rules.py``. Basic indexing returns views, as
PyTorch's; advanced indexing copies."""

from __future__ import annotations

import warnings
from typing import TYPE_CHECKING, Any, cast

import numpy as np

from .. import _dtype
from .._errors import read_only_error
from ..autograd.graph import KEPT, node_type
from ..rules import indexing as indexing_rules
from ..types import InputLike
from . import index_rules as _indexing
from .core import TensorCore, plain_index
from .reduction import TensorReduce
from .views import CopySlices

if TYPE_CHECKING:
    from ..tensor import Tensor

SelectBackward0 = node_type("SelectBackward0")
SliceBackward0 = node_type("SliceBackward0")
IndexBackward0 = node_type("IndexBackward0")
GatherBackward0 = node_type("GatherBackward0")
MaskedSelectBackward0 = node_type("MaskedSelectBackward0")
IndexSelectBackward0 = node_type("IndexSelectBackward0")

IndexPutBackward0 = node_type("IndexPutBackward0")
FillBackward3 = node_type("FillBackward3")  # (from a 0-d Tensor)


def _index_tensors(index: object) -> list[Any]:
    """The Tensors in an index (alone, in a tuple or in a list)."""
    parts = index if isinstance(index, tuple | list) else (index,)
    return [part for part in parts if isinstance(part, TensorReduce) and part._data.ndim]


def _as_saved(index: object) -> Any:
    """An index as a saved value: the Tensor itself (its version is checked at backward, as
    PyTorch checks it), or None for an array or a list (no version to check)."""
    return index if isinstance(index, TensorReduce) else None


def _several(op: str, views: list[Tensor]) -> tuple[Tensor, ...]:
    """The outputs of ``op``, an op returning several views of one Tensor, marked so."""
    for number, view in enumerate(views):
        if view._view is not None:
            view._view.multiple = (op, number)
    return tuple(views)


def _check_bounds(index: np.ndarray, size: int, axis: int, error: type = RuntimeError) -> None:
    """Refuse an index outside [0, size), as PyTorch's gather and index_select do (NumPy
    would count a negative one from the end); index_select's error is an ``IndexError``."""
    if index.size and (index.min() < 0 or index.max() >= size):
        if error is IndexError:
            raise IndexError("index out of range in self")
        bad = int(index[(index < 0) | (index >= size)].flat[0])
        raise RuntimeError(f"index {bad} is out of bounds for dimension {axis} with size {size}")


def _set_index(
    source: Tensor, index: _indexing.Index, value: InputLike, saved: tuple[Tensor, ...]
) -> Tensor:
    v = source._lift(value)
    if v._data.dtype != source._data.dtype:
        v = v._cast(source._data.dtype)
    try:
        out, backward = indexing_rules.setitem(
            source._data, index.basic, v._data, need_value=v._rg, then=index.advanced
        )
    except ValueError as error:
        raise RuntimeError(f"shape mismatch: {error}") from None
    kind = IndexPutBackward0 if index.advanced is not None else CopySlices
    return source._record(out, (source, v), backward, kind, saved)


def _assignable(value: object, dtype: np.dtype) -> object:
    """``value`` as ``x[i] = value`` takes it: a Tensor or a number (Python's or NumPy's; a
    complex number with no imaginary part as its real part), nothing else: not a list,
    not an array (PyTorch refuses them; ``nn.tensor(values)`` says which dtype)."""
    number = isinstance(value, int | float | complex | np.number | np.bool_)
    if isinstance(value, TensorCore) or number:
        if isinstance(value, complex | np.complexfloating) and dtype.kind != "c" and value.imag:
            raise RuntimeError(
                f"value cannot be converted to type {_dtype.torch_c_name(dtype)} without overflow"
            )
        return value.real if isinstance(value, complex | np.complexfloating) else value
    kind = type(value)
    name = kind.__name__ if kind.__module__ == "builtins" else f"{kind.__module__}.{kind.__name__}"
    raise TypeError(f"can't assign a {name} to a torch.{_dtype.torch_name(dtype)}Tensor")


def _check_index_put_dtypes(destination: np.dtype, source: np.dtype) -> None:
    if source != destination:
        raise RuntimeError(
            "Index put requires the source and destination dtypes match, got "
            f"{_dtype.torch_name(destination)} for the destination and "
            f"{_dtype.torch_name(source)} for the source."
        )


def _single_mask(index: object) -> bool:
    """Whether the only index array (a Tensor or a NumPy array) is one bool or uint8 mask."""
    parts = index if isinstance(index, tuple) else (index,)
    arrays = _index_arrays(parts)
    others = [p for p in parts if isinstance(p, list | tuple | range | bool)]
    return len(arrays) == 1 and not others and arrays[0].dtype in (np.bool_, np.uint8)


def _index_arrays(parts: tuple[object, ...]) -> list[np.ndarray]:
    """The index's Tensors and NumPy arrays of at least one dimension, as arrays."""
    arrays = [p._data if isinstance(p, TensorCore) else p for p in parts]
    return [a for a in arrays if isinstance(a, np.ndarray) and a.ndim]


def _refuse_byte_mask(index: object) -> None:
    """PyTorch's refusal of a write through one uint8 mask (deprecated for reads, where it
    is a bool mask with a warning; for writes, its masked fill refuses it)."""
    if _index_arrays(index if isinstance(index, tuple) else (index,))[0].dtype == np.uint8:
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


class TensorIndexing(TensorCore):
    """Indexing methods of ``Tensor``."""

    __slots__ = ()

    def __getitem__(self, index: Any) -> Tensor:
        """``x[index]`` with PyTorch's rules (``nn/tensor/index_rules.py``): integers, slices, None
        and ``...`` give a view; lists, Tensors and masks then select copies, their
        dimensions placed as PyTorch places them."""
        parsed = _indexing.parse(plain_index(index), self._data.shape)
        basic = parsed.basic
        out, backward = indexing_rules.getitem(self._data, basic)
        only_int = len(basic) == 2 and isinstance(basic[0], int)
        kind = SelectBackward0 if only_int else SliceBackward0
        view = self._record_view(out, self, backward, kind, lambda a: a[basic])
        if parsed.advanced is None:
            return view
        out, backward = indexing_rules.getitem(view._data, parsed.advanced)
        # the index Tensors (masks too) are saved, as PyTorch saves them
        saved = (*_index_tensors(index), KEPT)
        return self._record(out, (view,), backward, IndexBackward0, saved)

    def narrow(self, dim: int, start: int, length: int) -> Tensor:
        """``length`` elements along ``dim`` from ``start`` (a negative start counts from
        the end), a view."""
        axis = self._axis(dim)
        size = self._data.shape[axis]
        if not -size <= start <= size:
            raise IndexError(
                f"start out of range (expected to be in range of [{-size}, {size}], but got "
                f"{start})"
            )
        start = start + size if start < 0 else start
        if length < 0 or start + length > size:
            raise RuntimeError(
                f"start ({start}) + length ({length}) exceeds dimension size ({size})."
            )
        return self[(slice(None),) * axis + (slice(start, start + length),)]

    def select(self, dim: int, index: int) -> Tensor:
        axis = self._axis(dim)
        return self[(slice(None),) * axis + (index,)]

    def unbind(self, dim: int = 0) -> tuple[Tensor, ...]:
        """The slices along ``dim``, views (which, as PyTorch's, may not be changed in place
        while they are part of a recorded graph)."""
        axis = self._axis(dim)
        return _several("Unbind", [self.select(axis, i) for i in range(self._data.shape[axis])])

    def chunk(self, chunks: int, dim: int = 0) -> tuple[Tensor, ...]:
        """``chunks`` pieces along ``dim`` of ceil(size / chunks) each (fewer if it runs out)."""
        if chunks <= 0:
            raise RuntimeError("chunk expects `chunks` to be greater than 0, got: " + str(chunks))
        axis = self._axis(dim)
        size = self._data.shape[axis]
        if not size:  # as PyTorch: as many empty pieces as asked for
            return _several("Split", [self.narrow(axis, 0, 0) for _ in range(chunks)])
        return self.split(-(-size // chunks), axis)

    def split(self, split_size_or_sections: Any, dim: int = 0) -> tuple[Tensor, ...]:
        """Pieces of ``split_size`` along ``dim`` (the last may be smaller), or of the given
        sizes."""
        axis = self._axis(dim)
        size = self._data.shape[axis]
        op = "Split"
        if isinstance(split_size_or_sections, int | np.integer):
            step = int(split_size_or_sections)
            if step < 0 or (step == 0 and size):
                raise RuntimeError(
                    f"split_size can only be 0 if dimension size is 0, but got dimension size "
                    f"of {size}"
                    if step == 0
                    else f"split expects split_size be non-negative, but got split_size={step}"
                )
            bounds = [(lo, min(lo + step, size)) for lo in range(0, size, step or 1)] or [(0, 0)]
        else:
            op = "SplitWithSizes"
            sizes = list(split_size_or_sections)
            if sum(sizes) != size:
                raise RuntimeError(
                    f"split_with_sizes expects split_sizes to sum exactly to {size} (input "
                    f"tensor's size at dimension {axis}), but got split_sizes={sizes}"
                )
            starts = np.cumsum([0, *sizes])
            bounds = list(zip(starts[:-1].tolist(), starts[1:].tolist(), strict=True))
        return _several(op, [self.narrow(axis, lo, hi - lo) for lo, hi in bounds])

    def gather(self, dim: int, index: object) -> Tensor:
        """``out[i][j] = self[i][index[i][j]]`` along ``dim``; ``index`` has this Tensor's
        number of dimensions and no larger a size on the others, as PyTorch requires."""
        axis = self._axis(dim)
        idx = np.asarray(plain_index(index))
        shape = self._data.shape
        if idx.ndim != len(shape) and (idx.ndim or len(shape)):
            raise RuntimeError(
                "Index tensor must have the same number of dimensions as input tensor"
            )
        larger = [d for d, (n, m) in enumerate(zip(idx.shape, shape, strict=True)) if n > m]
        if any(d != axis for d in larger):
            raise RuntimeError(
                f"Size does not match at dimension {min(d for d in larger if d != axis)} "
                f"expected index {list(idx.shape)} to be no larger than self {list(shape)} "
                f"apart from dimension {axis}"
            )
        _check_bounds(idx, shape[axis] if shape else 1, axis)
        if not shape:  # a 0-d Tensor gathers as one element
            return cast("Tensor", self).reshape(1).gather(0, idx.reshape(1)).reshape(())
        out, backward = indexing_rules.gather(self._data, axis, idx)
        saved = (self, _as_saved(index))  # (PyTorch saves both)
        return self._record(out, (self,), backward, GatherBackward0, saved)

    def index_select(self, dim: int, index: object) -> Tensor:
        """The slices at ``index`` (a 1-D or 0-d integer Tensor) along ``dim`` (its
        gradient scatter-added back; the index is saved, as PyTorch saves it)."""
        axis = self._axis(dim)
        idx = np.asarray(plain_index(index))
        if idx.ndim > 1:
            raise IndexError("index_select(): Index is supposed to be a vector")
        if idx.dtype.kind not in "iu":
            raise RuntimeError("index_select(): Expected dtype int32/int64 for index")
        idx = idx.reshape(-1)
        if not self._data.ndim:
            if idx.size != 1:
                raise RuntimeError(
                    "index_select(): Index to scalar can have only 1 value, got "
                    f"{idx.size} value(s)"
                )
            _check_bounds(idx, 1, axis, IndexError)
            return cast("Tensor", self).reshape(1).index_select(0, index).reshape(())
        if not self._data.shape[axis] and idx.size and self._data.ndim > 1:
            raise RuntimeError("index_select(): self indexing axis dim should be positive")
        size = self._data.shape[axis]
        if idx.size and (idx.min() < 0 or idx.max() >= size):
            # (PyTorch's dim-1 kernel says "INDICES...", its general one "index out of range")
            if axis != 1 and (self._data.ndim == 1 or self._data.size):
                raise IndexError("index out of range in self")
            bad = int(idx[(idx < 0) | (idx >= size)][0])
            raise RuntimeError(f"INDICES element is out of DATA bounds, id={bad} axis_dim={size}")
        out, backward = indexing_rules.take(self._data, idx, axis)
        return self._record(out, (self,), backward, IndexSelectBackward0, (_as_saved(index),))

    def masked_select(self, mask: InputLike) -> Tensor:
        """The elements where the bool ``mask`` (broadcast with this Tensor) is True, as a
        1-D Tensor (a copy); the gradient goes back to those places.

        >>> import nn
        >>> x = nn.tensor([[1.0, 2.0], [3.0, 4.0]])
        >>> x.masked_select(x > 2)
        tensor([3., 4.])
        """
        if not isinstance(mask, TensorReduce) or mask._data.dtype != np.bool_:
            raise RuntimeError("masked_select: expected BoolTensor for mask")
        try:
            out, backward = indexing_rules.masked_select(self._data, mask._data)
        except ValueError:
            raise RuntimeError(
                f"The size of tensor a ({self._data.shape[-1] if self._data.ndim else 1}) must "
                f"match the size of tensor b ({mask._data.shape[-1] if mask._data.ndim else 1}) "
                "at non-singleton dimension"
            ) from None
        return self._record(out, (self,), backward, MaskedSelectBackward0, (self, mask))

    def nonzero(self, *, as_tuple: bool = False) -> Any:
        """The indices of the nonzero elements: an (n, ndim) int64 Tensor, or one index
        Tensor per dimension with ``as_tuple``."""
        if not self._data.ndim:  # as PyTorch: no index per element, one row if nonzero
            rows = int(bool(self._data))
            if as_tuple:
                return (self._make(np.zeros(rows, dtype=np.int64)),)
            return self._make(np.zeros((rows, 0), dtype=np.int64))
        found = np.nonzero(self._data)
        if as_tuple:
            return tuple(self._make(i.astype(np.int64)) for i in found)
        return self._make(np.stack(found, axis=1).astype(np.int64).reshape(-1, self._data.ndim))

    def __setitem__(self, index: Any, value: Any) -> None:
        """``x[index] = value`` in place, with PyTorch's indexing rules
        (``nn/tensor/index_rules.py``) and its order of checks: the value, the ints and
        slices, in place, the index lists."""
        value = _assignable(value, self._data.dtype)
        if isinstance(value, int | float) and not isinstance(value, bool):
            _dtype.checked_scalar(value, self._data.dtype)
        if index is False:
            return  # (PyTorch writes nothing, checks nothing more, and counts no change)
        # PyTorch writes a number (or a 0-d Tensor) through one mask as a masked fill, which
        # refuses a uint8 mask and casts; anything else through an index list as index_put_,
        # which wants the value's dtype to be this Tensor's (checked after the in-place rules,
        # before the indices' dtypes and bounds)
        masked = _single_mask(index) and (
            not isinstance(value, TensorCore) or value._data.size == 1
        )

        def check_value() -> None:
            if not masked and not isinstance(index, bool) and isinstance(value, TensorCore):
                _check_index_put_dtypes(self._data.dtype, value._data.dtype)

        tensor = cast("Tensor", self)
        parsed = _indexing.parse(
            plain_index(index), self._data.shape, tensor._check_inplace, check_value
        )
        if masked:
            _refuse_byte_mask(index)
            if isinstance(value, TensorCore):  # (the masked fill takes the value's number)
                _dtype.checked_scalar(value._data.item(), self._data.dtype)
        if parsed.advanced is None and _is_whole(self._data, parsed.basic):
            # PyTorch's indexing returns the Tensor itself for ``...`` and full slices, and
            # writes into it directly: a fill from a number or a 0-d Tensor, else a copy
            # (the value's leading 1-sized dimensions dropped)
            if not isinstance(value, TensorCore):  # (as a 0-d Tensor: PyTorch wraps it)
                if _repeats(self._data):  # (as fill_ from a Tensor refuses)
                    raise read_only_error()
                number = _dtype.checked_scalar(value, self._data.dtype)
                cast("Tensor", self)._fill(
                    np.full(self._data.shape, number, self._data.dtype), FillBackward3
                )
            elif not value._data.ndim:
                cast("Tensor", self).fill_(value)
            else:
                shape = value._data.shape
                ones = 0  # (leading 1s beyond this Tensor's dimensions: a copy_ refuses them)
                while len(shape) - ones > self._data.ndim and shape[ones] == 1:
                    ones += 1
                cast("Tensor", self).copy_(cast("Tensor", value).reshape(shape[ones:]))
            return
        if cast("Tensor", self)._recording(value):
            # (the index Tensors are saved, as PyTorch saves them, and the positions)
            saved = (*_index_tensors(index), KEPT)
            cast("Tensor", self)._inplace(_set_index, parsed, value, saved)
            return
        array = value._data if isinstance(value, TensorCore) else value
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
