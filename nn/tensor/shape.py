"""Tensor shape methods and indexing (a mixin of ``Tensor``).

Reshaping, permuting, basic indexing and ``expand`` return views where NumPy does (PyTorch
returns views for the same cases): they share the storage and the version counter, and an
in-place change through one is seen, and differentiated, through the base.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, cast

import numpy as np

from .. import _dtype, _memory_format
from .._args.dims import axes_of, shape_args
from ..autograd.graph import node_type
from ..rules import shape as shape_rules
from ..types import Dim, DTypeLike
from .core import TensorCore

if TYPE_CHECKING:
    from ..tensor import Tensor

ViewBackward0 = node_type("ViewBackward0")
PermuteBackward0 = node_type("PermuteBackward0")
TransposeBackward0 = node_type("TransposeBackward0")
TBackward0 = node_type("TBackward0")
ExpandBackward0 = node_type("ExpandBackward0")
UnfoldBackward0 = node_type("UnfoldBackward0")
RepeatBackward0 = node_type("RepeatBackward0")
FlipBackward0 = node_type("FlipBackward0")
RollBackward0 = node_type("RollBackward0")
ViewAsRealBackward0 = node_type("ViewAsRealBackward0")
ViewAsComplexBackward0 = node_type("ViewAsComplexBackward0")


def _storage_offset(data: np.ndarray) -> int:
    """Where ``data`` starts in the array that owns its memory, in elements."""
    root = data
    while isinstance(root.base, np.ndarray):
        root = root.base
    start = data.__array_interface__["data"][0] - root.__array_interface__["data"][0]
    return int(start // data.itemsize)


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

    # --------------------------------------------------------------------- views
    def reshape(self, *shape: object) -> Tensor:
        """The same elements in a new shape (one -1 is inferred); a view when possible.

        Examples
        --------
        >>> import nn
        >>> nn.tensor([1.0, 2.0, 3.0, 4.0]).reshape(2, -1).shape
        (2, 2)
        """
        target = shape_args(shape)
        try:
            out, backward = shape_rules.reshape(self._data, target)
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

    def _view_dtype(self, dtype: DTypeLike) -> Tensor:
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
        out, backward = shape_rules.as_real(data)
        again = lambda a: shape_rules.as_real(a)[0]  # noqa: E731
        return self._record_view(out, self, backward, ViewAsRealBackward0, again)

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
        out, backward = shape_rules.as_complex(data)
        again = lambda a: shape_rules.as_complex(a)[0]  # noqa: E731
        return self._record_view(out, self, backward, ViewAsComplexBackward0, again)

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

    def squeeze(self, dim: Dim | None = None) -> Tensor:
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

    def permute(self, *dims: object) -> Tensor:
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
        out, backward = shape_rules.permute(self._data, axes)
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

    def stride(self, dim: int | None = None) -> tuple[int, ...] | int:
        """The step in elements from one index to the next along each dimension (or along
        ``dim``): a view's strides show how it reads its base (``x.t().stride()`` swaps
        ``x.stride()``; ``expand`` gives 0)."""
        strides = tuple(int(s // self._data.itemsize) for s in self._data.strides)
        return strides if dim is None else strides[self._axis(dim)]

    def storage_offset(self) -> int:
        """Where this Tensor's first element lies in its storage, in elements."""
        return _storage_offset(self._data)

    def unfold(self, dimension: int, size: int, step: int) -> Tensor:
        """Every window of ``size`` elements along ``dimension``, ``step`` apart, with the
        window's elements as a new last dimension: a view (PyTorch's ``Tensor.unfold``;
        where windows overlap it is read-only in descend, see decisions.md).

        >>> import nn
        >>> nn.arange(5.0).unfold(0, 2, 2)
        tensor([[0., 1.],
                [2., 3.]])
        """
        axis = self._axis(dimension)
        length = self._data.shape[axis] if self._data.ndim else 1
        if size > length:
            raise RuntimeError(
                f"maximum size for tensor at dimension {axis} is {length} but size is {size}"
            )
        if step <= 0:
            raise RuntimeError(f"step is {step} but must be > 0")
        if size < 0:
            raise RuntimeError(f"size is {size} but must be >= 0")

        def view(a: np.ndarray) -> np.ndarray:
            return shape_rules.unfold_view(a, axis, size, step)

        _, backward = shape_rules.unfold(self._data, axis, size, step)
        return self._record_view(view(self._data), self, backward, UnfoldBackward0, view)

    def expand(self, *sizes: object) -> Tensor:
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
            out, backward = shape_rules.expand(self._data, tuple(target))
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

    def repeat(self, *sizes: object) -> Tensor:
        """Tile the Tensor ``sizes`` times along each dimension (a copy)."""
        if not sizes:
            raise TypeError('repeat() missing 1 required positional arguments: "repeats"')
        repeats = shape_args(sizes)
        if len(repeats) < self._data.ndim:
            raise RuntimeError(
                "Number of dimensions of repeat dims can not be smaller than number of "
                "dimensions of tensor"
            )
        out, backward = shape_rules.repeat(self._data, repeats)
        return self._record(out, (self,), backward, RepeatBackward0)

    def tile(self, *dims: object) -> Tensor:
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

    def count_nonzero(self, dim: Dim | None = None) -> Tensor:
        """How many elements are not zero (over ``dim``, one int or several), as int64.

        >>> import nn
        >>> nn.tensor([[0, 1], [2, 3]]).count_nonzero(dim=0)
        tensor([1, 2])
        """
        axes = axes_of(dim, self._data.ndim) if dim is not None else None
        counted = np.count_nonzero(self._data, axis=axes if self._data.ndim else None)
        return self._make(np.asarray(counted, dtype=np.int64))

    def contiguous(self, memory_format: object = None) -> Tensor:
        """This Tensor if its elements lie densely in row-major order (or
        ``memory_format``'s), else a copy that does."""
        target = _memory_format.checked(memory_format, self._data.ndim)
        if target is _memory_format.preserve_format:
            target = _memory_format.contiguous_format
        if _memory_format.is_laid_out(self._data, target):
            return self  # type: ignore[return-value]
        return cast("Tensor", self).clone(memory_format=target)

    def flip(self, *dims: object) -> Tensor:
        axes = axes_of(shape_args(dims), self._data.ndim) or ()
        out, backward = shape_rules.flip(self._data, axes)
        return self._record(np.array(out, copy=True), (self,), backward, FlipBackward0)

    def roll(self, shifts: Any, dims: Dim | None = None) -> Tensor:
        """The elements shifted along ``dims`` (of the flattened Tensor without dims, its
        shape kept), those shifted past the end coming in at the start."""
        shift = (shifts,) if isinstance(shifts, int | np.integer) else tuple(shifts)
        if dims is None:
            if len(shift) != 1:
                raise RuntimeError(
                    f"shifts and dimensions must align. shifts: {len(shift)}, dims:0"
                )
            flat = self.reshape(-1)
            out, backward = shape_rules.roll(flat._data, (int(shift[0]),), (0,))
            return flat._record(out, (flat,), backward, RollBackward0).reshape(self._data.shape)
        axes = axes_of(dims, self._data.ndim) or ()
        if len(axes) != len(shift):
            raise RuntimeError(
                f"shifts and dimensions must align. shifts: {len(shift)}, dims:{len(axes)}"
            )
        out, backward = shape_rules.roll(self._data, tuple(int(n) for n in shift), axes)
        return self._record(out, (self,), backward, RollBackward0)

    # ------------------------------------------------------------------ indexing

    # ------------------------------------------------------------------- sorting
