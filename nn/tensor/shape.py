"""Tensor shape methods and indexing (a mixin of ``Tensor``).

Reshaping, permuting, basic indexing and ``expand`` return views where NumPy does (PyTorch
returns views for the same cases): they share the storage and the version counter, and an
in-place change through one is seen, and differentiated, through the base.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, cast

import numpy as np

from .. import _dtype, _indexing, _memory_format
from .._dims import axes_of, shape_args
from .._graph import KEPT, node_type
from ..rules import linalg as L
from ..rules import reduction as R
from ..rules import shape as S
from ..rules import unbroadcast
from .core import TensorCore, plain_index
from .reduction import MaxResult, TensorReduce

if TYPE_CHECKING:
    from ..tensor import Tensor

ViewBackward0 = node_type("ViewBackward0")
PermuteBackward0 = node_type("PermuteBackward0")
TransposeBackward0 = node_type("TransposeBackward0")
TBackward0 = node_type("TBackward0")
SelectBackward0 = node_type("SelectBackward0")
SliceBackward0 = node_type("SliceBackward0")
IndexBackward0 = node_type("IndexBackward0")
ExpandBackward0 = node_type("ExpandBackward0")
RepeatBackward0 = node_type("RepeatBackward0")
SqueezeBackward0 = node_type("SqueezeBackward0")
UnsqueezeBackward0 = node_type("UnsqueezeBackward0")
FlipBackward0 = node_type("FlipBackward0")
RollBackward0 = node_type("RollBackward0")
GatherBackward0 = node_type("GatherBackward0")
SortBackward0 = node_type("SortBackward0")
TopkBackward0 = node_type("TopkBackward0")
TrilBackward0 = node_type("TrilBackward0")
TriuBackward0 = node_type("TriuBackward0")
CumsumBackward0 = node_type("CumsumBackward0")
CumprodBackward0 = node_type("CumprodBackward0")
DiagonalBackward0 = node_type("DiagonalBackward0")
DiagonalCopyBackward0 = node_type("DiagonalBackward0_copy")  # (PyTorch's name for diag's)
DiagEmbedBackward0 = node_type("DiagEmbedBackward0")
TraceBackward0 = node_type("TraceBackward0")
MaskedSelectBackward0 = node_type("MaskedSelectBackward0")
IndexSelectBackward0 = node_type("IndexSelectBackward0")
ViewAsRealBackward0 = node_type("ViewAsRealBackward0")
ViewAsComplexBackward0 = node_type("ViewAsComplexBackward0")


def _index_tensors(index: Any) -> list[Any]:
    """The Tensors in an index (alone, in a tuple or in a list)."""
    parts = index if isinstance(index, tuple | list) else (index,)
    return [part for part in parts if isinstance(part, TensorReduce) and part._data.ndim]


def _as_saved(index: Any) -> Any:
    """An index as a saved value: the Tensor itself (its version is checked at backward, as
    PyTorch checks it), or None for an array or a list (no version to check)."""
    return index if isinstance(index, TensorReduce) else None


def _storage_offset(data: np.ndarray) -> int:
    """Where ``data`` starts in the array that owns its memory, in elements."""
    root = data
    while isinstance(root.base, np.ndarray):
        root = root.base
    start = data.__array_interface__["data"][0] - root.__array_interface__["data"][0]
    return int(start // data.itemsize)


def _several(op: str, views: list[Tensor]) -> tuple[Tensor, ...]:
    """The outputs of ``op``, an op returning several views of one Tensor, marked so."""
    for number, view in enumerate(views):
        if view._view is not None:
            view._view.multiple = (op, number)
    return tuple(views)


def _same(a: np.ndarray) -> np.ndarray:
    """The whole array as a view (``expand`` to its own shape)."""
    return a[...]


def _writable_broadcast(a: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """``a`` broadcast to ``shape`` with nothing repeated (an empty result): writable."""
    strides = np.broadcast_to(a, shape).strides
    return np.lib.stride_tricks.as_strided(a, shape, strides, writeable=True)


class TensorShape(TensorCore):
    """Shape methods of ``Tensor``."""

    __slots__ = ()

    def _axis(self, dim: Any) -> int:
        axes = axes_of(dim, self._data.ndim)
        assert axes is not None
        return axes[0]

    # --------------------------------------------------------------------- views
    def reshape(self, *shape: Any) -> Tensor:
        """The same elements in a new shape (one -1 is inferred); a view when possible.

        Examples
        --------
        >>> import nn
        >>> nn.tensor([1.0, 2.0, 3.0, 4.0]).reshape(2, -1).shape
        (2, 2)
        """
        target = shape_args(shape)
        try:
            out, backward = S.reshape(self._data, target)
        except ValueError:
            raise RuntimeError(
                f"shape '{list(target)}' is invalid for input of size {self._data.size}"
            ) from None
        final = out.shape
        return self._record_view(out, self, backward, ViewBackward0, lambda a: a.reshape(final))

    def view(self, *shape: Any) -> Tensor:
        """``reshape`` that must not copy: raises when the data cannot be viewed so.

        Examples
        --------
        >>> import nn
        >>> nn.tensor([1.0, 2.0, 3.0, 4.0]).view(-1, 1).shape
        (4, 1)
        """
        if len(shape) == 1 and not isinstance(shape[0], tuple | list | int | np.integer):
            return self._view_dtype(shape[0])
        target = shape_args(shape)
        probe = self._data.view()
        try:
            probe.shape = target
        except AttributeError:
            raise RuntimeError(
                "view size is not compatible with input tensor's size and stride (at least one "
                "dimension spans across two contiguous subspaces). Use .reshape(...) instead."
            ) from None
        except ValueError:
            raise RuntimeError(
                f"shape '{list(target)}' is invalid for input of size {self._data.size}"
            ) from None
        return self.reshape(target)

    def _view_dtype(self, dtype: Any) -> Tensor:
        """``view(dtype)``: the same bytes read as ``dtype``, sharing storage and version
        counter, outside autograd (PyTorch's view(dtype) is not differentiable); with another
        element size the last dimension changes size (it must be contiguous)."""
        target = _dtype.to_dtype(dtype)
        data = self._data
        old, new = data.itemsize, target.itemsize
        if old != new:
            names = f"{_dtype.torch_name(data.dtype)} as {_dtype.torch_name(target)}"
            if data.ndim == 0:
                raise RuntimeError(
                    f"self.dim() cannot be 0 to view {names} (different element sizes)"
                )
            if data.shape[-1] != 1 and data.strides[-1] != old:
                raise RuntimeError(
                    f"self.stride(-1) must be 1 to view {names} (different element sizes), but "
                    f"got {data.strides[-1] // old}"
                )
            if new > old and (data.shape[-1] * old) % new:
                raise RuntimeError(
                    f"self.size(-1) must be divisible by {new // old} to view {names} "
                    f"(different element sizes), but got {data.shape[-1]}"
                )
        viewed = data.view(target) if data.ndim else data.reshape(1).view(target).reshape(())
        out = self._make(viewed)
        out._vc = self._vc
        return out

    def _view_as_real(self) -> Tensor:
        """A complex Tensor's storage seen as real numbers, a view with a last dimension of
        2 (real, imaginary); ``torch.view_as_real``."""
        data = self._data
        if data.dtype.kind != "c":
            raise RuntimeError("view_as_real is only supported for complex tensors")
        real = np.dtype(f"f{data.itemsize // 2}")

        def as_real(a: np.ndarray) -> np.ndarray:
            return a[..., None].view(real)

        def backward(g: np.ndarray) -> tuple[np.ndarray]:
            return (np.ascontiguousarray(g).view(data.dtype)[..., 0],)

        return self._record_view(as_real(data), self, backward, ViewAsRealBackward0, as_real)

    def _view_as_complex(self) -> Tensor:
        """A real Tensor whose last dimension is 2 (of stride 1) seen as complex numbers, a
        view; ``torch.view_as_complex``."""
        data = self._data
        if data.dtype not in (np.float32, np.float64):
            raise RuntimeError(
                "view_as_complex is only supported for float and double tensors, but got a "
                f"tensor of scalar type: {_dtype.torch_name(data.dtype)}"
            )
        if data.ndim == 0 or data.shape[-1] != 2:
            raise RuntimeError("Tensor must have a last dimension of size 2")
        if data.strides[-1] != data.itemsize:
            raise RuntimeError("Tensor must have a last dimension with stride 1")
        if _storage_offset(data) % 2:
            raise RuntimeError("Tensor must have a storage_offset divisible by 2")
        strides = zip(data.strides[:-1], data.shape, strict=False)
        if any((n // data.itemsize) % 2 for n, m in strides if m > 1):
            raise RuntimeError(
                "Tensor must have a stride divisible by 2 for all but last dimension"
            )
        complex_dtype = np.dtype(f"c{data.itemsize * 2}")

        def as_complex(a: np.ndarray) -> np.ndarray:
            return a.view(complex_dtype)[..., 0]

        def backward(g: np.ndarray) -> tuple[np.ndarray]:
            return (np.ascontiguousarray(g)[..., None].view(data.dtype),)

        out = as_complex(data)
        return self._record_view(out, self, backward, ViewAsComplexBackward0, as_complex)

    def view_as(self, other: Any) -> Tensor:
        return self.view(other.shape)

    def reshape_as(self, other: Any) -> Tensor:
        return self.reshape(other.shape)

    def flatten(self, start_dim: int = 0, end_dim: int = -1) -> Tensor:
        """Flatten dims start_dim..end_dim into one (a 0-d Tensor becomes 1-d)."""
        start, end = (self._axis(start_dim), self._axis(end_dim))
        if self._data.ndim == 0:
            return self.reshape(1)
        if start > end:
            raise RuntimeError("flatten() has invalid args: start_dim cannot come after end_dim")
        if start == end:
            return self  # type: ignore[return-value]  # as PyTorch: nothing to flatten
        shape = self._data.shape
        return self.reshape(
            shape[:start] + (int(np.prod(shape[start : end + 1])),) + shape[end + 1 :]
        )

    def ravel(self) -> Tensor:
        """The elements as a contiguous 1-D Tensor: a view when they lie densely in
        row-major order, else a copy."""
        return self.contiguous().reshape(-1)

    def unflatten(self, dim: int, sizes: Sequence[int]) -> Tensor:
        """Dimension ``dim`` split into ``sizes`` (one -1 inferred), whose product must be
        its size."""
        axis = self._axis(dim)
        shape = self._data.shape
        known = [int(n) for n in sizes if n != -1]
        product = int(np.prod(known)) if known else 1
        if len(known) == len(sizes):
            fits = product == shape[axis]
        else:
            fits = (product != 0 and shape[axis] % product == 0) or product == 0 == shape[axis]
        if not fits:
            raise RuntimeError(
                f"unflatten: Provided sizes {list(sizes)} don't multiply up to the size of dim "
                f"{dim} ({shape[axis]}) in the input tensor"
            )
        rest = shape[axis] // product if product else 0
        target = tuple(rest if n == -1 else int(n) for n in sizes)
        return self.reshape(shape[:axis] + target + shape[axis + 1 :])

    def squeeze(self, dim: Any = None) -> Tensor:
        """Drop dimensions of size 1 (all, or those in ``dim``)."""
        shape = self._data.shape
        if dim is None:
            target = tuple(n for n in shape if n != 1)
        else:
            axes = axes_of(dim, self._data.ndim) or ()
            target = tuple(n for i, n in enumerate(shape) if not (i in axes and n == 1))
        return self.reshape(target)

    def unsqueeze(self, dim: int) -> Tensor:
        """Insert a dimension of size 1 at ``dim``."""
        axes = axes_of(dim, self._data.ndim + 1)
        assert axes is not None
        shape = self._data.shape
        return self.reshape(shape[: axes[0]] + (1,) + shape[axes[0] :])

    def permute(self, *dims: Any) -> Tensor:
        """The dimensions in the order ``dims`` (a view)."""
        if not dims:
            raise TypeError('permute() missing 1 required positional arguments: "dims"')
        order = shape_args(dims)
        axes = axes_of(order, self._data.ndim) or ()
        if len(axes) != self._data.ndim:
            raise RuntimeError(
                f"permute(sparse_coo): number of dimensions in the tensor input does not match "
                f"the length of the desired ordering of dimensions i.e. input.dim() = "
                f"{self._data.ndim} is not equal to len(dims) = {len(order)}"
            )
        return self._permute(axes, PermuteBackward0)

    def _permute(self, axes: tuple[int, ...], kind: Any) -> Tensor:
        out, backward = S.permute(self._data, axes)
        return self._record_view(out, self, backward, kind, lambda a: np.transpose(a, axes))

    def transpose(self, dim0: int, dim1: int) -> Tensor:
        """Swap two dimensions (a view).

        Examples
        --------
        >>> import nn
        >>> nn.tensor([[1.0, 2.0]]).transpose(0, 1).shape
        (2, 1)
        """
        ndim = self._data.ndim
        d0, d1 = self._axis(dim0), self._axis(dim1)
        axes = list(range(ndim))
        if ndim:
            axes[d0], axes[d1] = axes[d1], axes[d0]
        return self._permute(tuple(axes), TransposeBackward0)

    swapaxes = swapdims = transpose

    def t(self) -> Tensor:
        """The transpose of a matrix (a view; of a 0-d or 1-d Tensor, the same values)."""
        if self._data.ndim > 2:
            raise RuntimeError(
                f"t() expects a tensor with <= 2 dimensions, but self is {self._data.ndim}D"
            )
        return self._permute(tuple(reversed(range(self._data.ndim))), TBackward0)

    @property
    def T(self) -> Tensor:
        """The dimensions reversed (the transpose of a matrix)."""
        return self.permute(tuple(reversed(range(self._data.ndim))))

    @property
    def mT(self) -> Tensor:
        """The last two dimensions swapped (a batch of transposed matrices; a 0-d Tensor
        itself, as PyTorch's, which deprecates it)."""
        if self._data.ndim == 1:
            raise RuntimeError(
                "tensor.mT is only supported on matrices or batches of matrices. Got 1-D tensor."
            )
        if self._data.ndim == 0:
            return self._permute((), TransposeBackward0)
        return self.transpose(-2, -1)

    def movedim(self, source: Any, destination: Any) -> Tensor:
        """Dimensions ``source`` moved to ``destination`` (ints or sequences of one length),
        the others keeping their order; a view."""
        ndim = self._data.ndim
        sources = [source] if isinstance(source, int | np.integer) else list(source)
        targets = [destination] if isinstance(destination, int | np.integer) else list(destination)
        if len(sources) != len(targets):
            raise RuntimeError(
                "movedim: Invalid source or destination dims: source "
                f"({sources} dims) should contain the same number of dims as destination "
                f"({targets} dims)"
            )
        src = [axes_of(d, ndim)[0] for d in sources]  # type: ignore[index]
        dst = [axes_of(d, ndim)[0] for d in targets]  # type: ignore[index]
        for name, axes in (("source", src), ("destination", dst)):
            if len(set(axes)) != len(axes):
                raise RuntimeError(f"movedim: repeated dim in `{name}` ({axes})")
        order = [d for d in range(ndim) if d not in src]
        for d, s_ in sorted(zip(dst, src, strict=True)):
            order.insert(d, s_)
        return self._permute(tuple(order), PermuteBackward0)

    moveaxis = movedim

    def expand(self, *sizes: Any) -> Tensor:
        """A broadcast view to ``sizes`` (-1 keeps a dimension); read-only, as PyTorch's."""
        if not sizes:
            raise TypeError('expand() missing 1 required positional arguments: "size"')
        target = list(shape_args(sizes))
        shape = self._data.shape
        offset = len(target) - len(shape)
        if offset < 0:
            raise RuntimeError(
                f"expand: the number of sizes provided ({len(target)}) must be greater or equal "
                f"to the number of dimensions in the tensor ({len(shape)})"
            )
        for i, n in enumerate(target):
            if n == -1:
                if i < offset:
                    raise RuntimeError("expand: -1 is not allowed in a leading, new dimension")
                target[i] = shape[i - offset]
        try:
            out, backward = S.expand(self._data, tuple(target))
        except ValueError:
            raise RuntimeError(
                f"The expanded size of the tensor ({target}) must match the existing size "
                f"({list(shape)}) at non-singleton dimensions"
            ) from None
        final = tuple(target)
        if final == shape:  # nothing broadcast: a plain view, writable as PyTorch's
            return self._record_view(self._data[...], self, backward, ExpandBackward0, _same)
        if not np.prod(final):  # nothing repeated either: writable too

            def empty(a: np.ndarray) -> np.ndarray:
                return _writable_broadcast(a, final)

            return self._record_view(empty(self._data), self, backward, ExpandBackward0, empty)
        return self._record_view(
            out, self, backward, ExpandBackward0, lambda a: np.broadcast_to(a, final)
        )

    def expand_as(self, other: Any) -> Tensor:
        return self.expand(other.shape)

    def repeat(self, *sizes: Any) -> Tensor:
        """Tile the Tensor ``sizes`` times along each dimension (a copy)."""
        if not sizes:
            raise TypeError('repeat() missing 1 required positional arguments: "repeats"')
        repeats = shape_args(sizes)
        if len(repeats) < self._data.ndim:
            raise RuntimeError(
                "Number of dimensions of repeat dims can not be smaller than number of "
                "dimensions of tensor"
            )
        out, backward = S.repeat(self._data, repeats)
        return self._record(out, (self,), backward, RepeatBackward0)

    def tile(self, *dims: Any) -> Tensor:
        """The Tensor repeated ``dims`` times along each dimension, ``dims`` padded with
        leading 1s to the Tensor's dimensions (``repeat`` then; a copy).

        >>> import nn
        >>> nn.tensor([1, 2]).tile((2,))
        tensor([1, 2, 1, 2])
        """
        repeats = shape_args(dims)
        padded = (1,) * (self._data.ndim - len(repeats)) + tuple(repeats)
        return (
            self.repeat(*padded) if padded else cast("Tensor", self).clone()
        )  # (a 0-d Tensor: a copy)

    def count_nonzero(self, dim: Any = None) -> Tensor:
        """How many elements are not zero (over ``dim``, one int or several), as int64.

        >>> import nn
        >>> nn.tensor([[0, 1], [2, 3]]).count_nonzero(dim=0)
        tensor([1, 2])
        """
        axes = axes_of(dim, self._data.ndim) if dim is not None else None
        counted = np.count_nonzero(self._data, axis=axes if self._data.ndim else None)
        return self._make(np.asarray(counted, dtype=np.int64))

    def contiguous(self, memory_format: Any = None) -> Tensor:
        """This Tensor if its elements lie densely in row-major order (or
        ``memory_format``'s), else a copy that does."""
        target = _memory_format.checked(memory_format, self._data.ndim)
        if target is _memory_format.preserve_format:
            target = _memory_format.contiguous_format
        if _memory_format.is_laid_out(self._data, target):
            return self  # type: ignore[return-value]
        return cast("Tensor", self).clone(memory_format=target)

    def flip(self, *dims: Any) -> Tensor:
        axes = axes_of(shape_args(dims), self._data.ndim) or ()
        out, backward = S.flip(self._data, axes)
        return self._record(np.array(out, copy=True), (self,), backward, FlipBackward0)

    def roll(self, shifts: Any, dims: Any = None) -> Tensor:
        """The elements shifted along ``dims`` (of the flattened Tensor without dims, its
        shape kept), those shifted past the end coming in at the start."""
        shift = (shifts,) if isinstance(shifts, int | np.integer) else tuple(shifts)
        if dims is None:
            if len(shift) != 1:
                raise RuntimeError(
                    f"shifts and dimensions must align. shifts: {len(shift)}, dims:0"
                )
            flat = self.reshape(-1)
            out, backward = S.roll(flat._data, (int(shift[0]),), (0,))
            return flat._record(out, (flat,), backward, RollBackward0).reshape(self._data.shape)
        axes = axes_of(dims, self._data.ndim) or ()
        if len(axes) != len(shift):
            raise RuntimeError(
                f"shifts and dimensions must align. shifts: {len(shift)}, dims:{len(axes)}"
            )
        out, backward = S.roll(self._data, tuple(int(n) for n in shift), axes)
        return self._record(out, (self,), backward, RollBackward0)

    # ------------------------------------------------------------------ indexing
    def __getitem__(self, index: Any) -> Tensor:
        """``x[index]`` with PyTorch's rules (``nn/_indexing.py``): integers, slices, None
        and ``...`` give a view; lists, Tensors and masks then select copies, their
        dimensions placed as PyTorch places them."""
        parsed = _indexing.parse(plain_index(index), self._data.shape)
        basic = parsed.basic
        out, backward = S.getitem(self._data, basic)
        only_int = len(basic) == 2 and isinstance(basic[0], int)
        kind = SelectBackward0 if only_int else SliceBackward0
        view = self._record_view(out, self, backward, kind, lambda a: a[basic])
        if parsed.advanced is None:
            return view
        out, backward = S.getitem(view._data, parsed.advanced)
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

    def gather(self, dim: int, index: Any) -> Tensor:
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
            return self.reshape(1).gather(0, idx.reshape(1)).reshape(())
        out, backward = S.gather(self._data, axis, idx)
        saved = (self, _as_saved(index))  # (PyTorch saves both)
        return self._record(out, (self,), backward, GatherBackward0, saved)

    def index_select(self, dim: int, index: Any) -> Tensor:
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
            return self.reshape(1).index_select(0, index).reshape(())
        if not self._data.shape[axis] and idx.size and self._data.ndim > 1:
            raise RuntimeError("index_select(): self indexing axis dim should be positive")
        size = self._data.shape[axis]
        if idx.size and (idx.min() < 0 or idx.max() >= size):
            if axis == 0 and (self._data.ndim == 1 or self._data.size):  # (as PyTorch's kernels)
                raise IndexError("index out of range in self")
            bad = int(idx[(idx < 0) | (idx >= size)][0])
            raise RuntimeError(f"INDICES element is out of DATA bounds, id={bad} axis_dim={size}")
        out, backward = S.take(self._data, idx, axis)
        return self._record(out, (self,), backward, IndexSelectBackward0, (_as_saved(index),))

    def tril(self, diagonal: int = 0) -> Tensor:
        """The lower triangle of the last two dimensions (on and below ``diagonal``)."""
        return self._triangle(np.tril, diagonal, TrilBackward0)

    def triu(self, diagonal: int = 0) -> Tensor:
        """The upper triangle of the last two dimensions (on and above ``diagonal``)."""
        return self._triangle(np.triu, diagonal, TriuBackward0)

    def _triangle(self, keep: Any, diagonal: int, kind: Any) -> Tensor:
        if self._data.ndim < 2:
            raise RuntimeError("tril/triu: input tensor must have at least 2 dimensions")
        out = keep(self._data, diagonal)
        return self._record(out, (self,), lambda g: (keep(g, diagonal),), kind)

    def diagonal(self, offset: int = 0, dim1: int = 0, dim2: int = 1) -> Tensor:
        """The elements ``x[i, i + offset]`` over ``dim1`` and ``dim2``, as a last dimension
        (a view: writing to it writes the Tensor).

        >>> import nn
        >>> nn.tensor([[1.0, 2.0], [3.0, 4.0]]).diagonal()
        tensor([1., 4.])
        """
        first, second = self._axis(dim1), self._axis(dim2)
        if first == second:
            raise RuntimeError(f"diagonal dimensions cannot be identical {dim1}, {dim2}")

        def view(a: np.ndarray) -> np.ndarray:
            return L.diagonal_view(a, offset, first, second)

        _, backward = L.diagonal(self._data, offset, first, second)
        return self._record_view(view(self._data), self, backward, DiagonalBackward0, view)

    def diag(self, diagonal: int = 0) -> Tensor:
        """Of a vector, the square matrix with it on diagonal ``diagonal``; of a matrix, that
        diagonal as a vector (a copy), as ``torch.diag``.

        >>> import nn
        >>> nn.diag(nn.tensor([1.0, 2.0]))
        tensor([[1., 0.],
                [0., 2.]])
        """
        if self._data.ndim == 1:
            out, backward = L.diag_embed(self._data, diagonal)
            return self._record(out, (self,), backward, DiagEmbedBackward0)
        if self._data.ndim != 2:
            raise RuntimeError(f"diag(): Supports 1D or 2D tensors. Got {self._data.ndim}D")
        view, backward = L.diagonal(self._data, diagonal, 0, 1)
        return self._record(view.copy(), (self,), backward, DiagonalCopyBackward0)

    def trace(self) -> Tensor:
        """The sum of a matrix's main diagonal (of integers: an int64 sum).

        >>> import nn
        >>> nn.tensor([[1.0, 2.0], [3.0, 4.0]]).trace()
        tensor(5.)
        """
        if self._data.ndim != 2:
            raise RuntimeError(
                f"trace: expected a matrix, but got tensor with dim {self._data.ndim}"
            )
        if self._data.dtype == np.bool_:
            raise NotImplementedError("\"trace\" not implemented for 'Bool'")
        out, backward = L.trace(self._data)
        return self._record(out, (self,), backward, TraceBackward0)

    def masked_select(self, mask: Any) -> Tensor:
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
            shape = np.broadcast_shapes(self._data.shape, mask._data.shape)
        except ValueError:
            raise RuntimeError(
                f"The size of tensor a ({self._data.shape[-1] if self._data.ndim else 1}) must "
                f"match the size of tensor b ({mask._data.shape[-1] if mask._data.ndim else 1}) "
                "at non-singleton dimension"
            ) from None
        where = np.broadcast_to(mask._data, shape).copy()
        source = self._data.shape

        def backward(g: np.ndarray) -> tuple[Any, ...]:
            grad = np.zeros(shape, dtype=g.dtype)
            grad[where] = g
            return (unbroadcast(grad, source),)

        out = np.broadcast_to(self._data, shape)[where]
        return self._record(out, (self,), backward, MaskedSelectBackward0, (self, mask))

    def diff(self, n: int = 1, dim: int = -1, prepend: Any = None, append: Any = None) -> Tensor:
        """Differences of neighbours along ``dim``, x[i + 1] - x[i] (``n`` times; of bools,
        whether they differ), after joining ``prepend`` and ``append`` on that dim.

        >>> import nn
        >>> nn.tensor([1, 4, 9]).diff()
        tensor([3, 5])
        """
        from .._joining import cat  # (joining builds on Tensor: imported late)

        me: Tensor = self  # type: ignore[assignment]
        if not me._data.ndim:
            raise RuntimeError("diff expects input to be at least one-dimensional")
        if n < 0:
            raise RuntimeError(f"order must be non-negative but got {n}")
        axis = me._axis(dim)
        if n == 0:  # (PyTorch's: a copy of the input, prepend and append ignored)
            return me.clone()
        parts = [p for p in (prepend, me, append) if p is not None]
        x = cat(parts, axis) if len(parts) > 1 else me
        for _ in range(n):
            length = x._data.shape[axis]
            if length == 0:
                break
            later, earlier = x.narrow(axis, 1, length - 1), x.narrow(axis, 0, length - 1)
            x = later.logical_xor(earlier) if x._data.dtype == np.bool_ else later - earlier
        return x

    def cumprod(self, dim: int, *, dtype: Any = None) -> Tensor:
        """Running products along ``dim`` (bools and integers in int64); the gradient is
        exact where an element is 0.

        >>> import nn
        >>> nn.tensor([1.0, 2.0, 3.0]).cumprod(0)
        tensor([1., 2., 6.])
        """
        x: Tensor = self if dtype is None else cast("Tensor", self).to(dtype)  # type: ignore[assignment]
        if x._data.dtype.kind in "biu" and dtype is None:
            x = x.to(np.int64)
        axis = x._axis(dim)
        line = x._data.reshape(x._data.shape or (1,))
        out, backward = R.cumprod(line, axis)
        shape = x._data.shape

        def reshaped(g: np.ndarray) -> tuple[Any, ...]:
            return (backward(g.reshape(line.shape))[0].reshape(shape),)

        return x._record(out.reshape(shape), (x,), reshaped, CumprodBackward0, (x,), result=True)

    def cumsum(self, dim: int, *, dtype: Any = None) -> Tensor:
        """Running sums along ``dim``; the gradient is the running sum from the other end.

        >>> import nn
        >>> nn.tensor([1.0, 2.0, 3.0]).cumsum(0)
        tensor([1., 3., 6.])
        """
        x: Tensor = self if dtype is None else cast("Tensor", self).to(dtype)  # type: ignore[assignment]
        if x._data.dtype.kind in "biu" and dtype is None:
            x = x.to(np.int64)
        axis = x._axis(dim)
        if not x._data.ndim:
            return x.clone()
        out = R.running(np.cumsum, x._data, axis)

        def backward(g: np.ndarray) -> tuple[Any, ...]:
            return (np.flip(R.running(np.cumsum, np.flip(g, axis), axis), axis),)

        return x._record(out, (x,), backward, CumsumBackward0)

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

    # ------------------------------------------------------------------- sorting
    def sort(self, dim: int = -1, descending: bool = False, stable: bool = False) -> MaxResult:
        """``(values, indices)`` sorted along ``dim``, as ``torch.sort``: NaN counts as the
        largest value; equal values keep their order (always stable); the gradient goes back
        to where each value came from.

        >>> import nn
        >>> nn.tensor([3.0, 1.0, 2.0]).sort(descending=True)
        MaxResult(values=tensor([3., 2., 1.]), indices=tensor([0, 2, 1]))
        """
        axis = self._axis(dim)
        if not self._data.ndim:  # a 0-d Tensor is its own sort
            return self._take_sorted(axis, np.zeros((), dtype=np.int64), SortBackward0)
        return self._take_sorted(axis, S.sort_order(self._data, axis, descending), SortBackward0)

    def argsort(self, dim: int = -1, descending: bool = False, stable: bool = False) -> Tensor:
        """The indices of ``sort``."""
        return self.sort(dim, descending, stable).indices

    def topk(self, k: int, dim: int = -1, largest: bool = True, sorted: bool = True) -> MaxResult:
        """The ``k`` largest (or smallest) values along ``dim`` and their indices, as
        ``torch.topk``, in sorted order (``sorted=False`` allows any order: this is one).

        >>> import nn
        >>> nn.tensor([1.0, 5.0, 3.0]).topk(2)
        MaxResult(values=tensor([5., 3.]), indices=tensor([1, 2]))
        """
        if self._data.dtype.kind == "b":
            raise RuntimeError("topk does not support bool dtypes on CPU")
        axis = self._axis(dim)
        size = self._data.shape[axis] if self._data.ndim else 1
        if not 0 <= k <= size:
            raise RuntimeError(f"selected index k out of range (k={k}, size {size} along {dim})")
        if not self._data.ndim:
            return self.sort() if k else self.reshape(1)[:0].sort()
        order = S.sort_order(self._data, axis, largest)
        return self._take_sorted(axis, np.take(order, np.arange(k), axis=axis), TopkBackward0)

    def _take_sorted(self, axis: int, order: np.ndarray, kind: Any) -> MaxResult:
        if order.ndim:
            values, backward = S.gather(self._data, axis, order)
        else:
            values, backward = self._data.copy(), lambda g: (g,)
        me: Tensor = self  # type: ignore[assignment]
        index = self._make(order)  # saved: its backward reads where each value came from
        return MaxResult(self._record(values, (me,), backward, kind, (index,)), index)


def _check_bounds(index: np.ndarray, size: int, axis: int, error: type = RuntimeError) -> None:
    """Refuse an index outside [0, size), as PyTorch's gather and index_select do (NumPy
    would count a negative one from the end); index_select's error is an ``IndexError``."""
    if index.size and (index.min() < 0 or index.max() >= size):
        if error is IndexError:
            raise IndexError("index out of range in self")
        bad = int(index[(index < 0) | (index >= size)].flat[0])
        raise RuntimeError(f"index {bad} is out of bounds for dimension {axis} with size {size}")
