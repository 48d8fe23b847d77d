"""Tensor methods written in other Tensor methods (a part of ``Tensor``): their gradients
come from the methods they call, so they have no rule of their own. The fused products
(addmm, addmv, addr, baddbmm, addbmm), kron, inner, vdot; the views and copies
fliplr, flipud, rot90, tensor_split, take, take_along_dim, repeat_interleave, argwhere,
broadcast_to; index_add, index_copy, index_fill and fill_diagonal_ with their in-place
forms; tril_ and triu_.

Read one to see how an op is made of others: ``addmm`` is ``beta * input + alpha * (mat1 @
mat2)``, and backward differentiates the sum, the scalings and the product one by one.
"""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING, cast

import numpy as np

from ..types import Number, TensorLike
from .core import TensorCore

if TYPE_CHECKING:
    from ..tensor import Tensor


class TensorComposites(TensorCore):
    """Methods of ``Tensor`` made of its other methods."""

    __slots__ = ()

    # ------------------------------------------------------------ fused products
    def _scaled_sum(
        self, product: Tensor, beta: Number, alpha: Number, name: str, inner: int = 1
    ) -> Tensor:
        """beta * self + alpha * product, as PyTorch's fused ops: self is ignored when beta
        is 0 (its NaN and inf too), and a scale of 1 is not multiplied."""
        me = cast("Tensor", self)
        if me._data.dtype != product._data.dtype:
            raise RuntimeError(
                f"{name}: expected self and the product to have the same dtype, but got: "
                f"{_dtype_name(me)} != {_dtype_name(product)}"
            )
        if me._data.dtype.kind in "biu":  # (the scales cast to the integer dtype, as PyTorch)
            empty_sum = not inner and product._data.size
            if empty_sum and isinstance(beta, float) and beta != int(beta):
                raise RuntimeError(  # (an empty product: PyTorch scales self by beta alone)
                    f"result type Float can't be cast to the desired output type {_dtype_name(me)}"
                )
            beta, alpha = int(beta), int(alpha)
        sizes = list(product.shape)
        try:
            fits = np.broadcast_shapes(tuple(me.shape), tuple(sizes)) == tuple(sizes)
        except ValueError:
            fits = False
        if not fits:  # (self is expanded to the product's shape, never the other way)
            raise RuntimeError(
                f"The expanded size of the tensor must match the existing size: {name} "
                f"cannot expand an input of shape {list(me.shape)} to {sizes}"
            )
        scaled = product if alpha == 1 else product * alpha
        if beta == 0:  # (self ignored: its NaN and inf do not reach out; its gradient is 0)
            return me._ignored_beside(scaled)
        return (me if beta == 1 else me * beta) + scaled

    def addmm(
        self, mat1: TensorLike, mat2: TensorLike, *, beta: Number = 1, alpha: Number = 1
    ) -> Tensor:
        """beta * self + alpha * (mat1 @ mat2), mat1 and mat2 matrices.

        >>> import nn
        >>> nn.ones(2, 2).addmm(nn.eye(2), nn.full((2, 2), 3.0), alpha=2)
        tensor([[7., 7.],
                [7., 7.]])
        """
        first = _tensor(mat1)
        inner = first.shape[-1] if first.dim() else 1
        return self._scaled_sum(first.mm(mat2), beta, alpha, "addmm", inner)

    def addmv(
        self, mat: TensorLike, vec: TensorLike, *, beta: Number = 1, alpha: Number = 1
    ) -> Tensor:
        """beta * self + alpha * (mat @ vec)."""
        first, second = _tensor(mat), _tensor(vec)
        inner = first.shape[-1] if first.dim() else 1
        fits = first.dim() == 2 and second.dim() == 1 and inner == len(second)
        if not self._data.ndim and not fits:
            raise IndexError("Dimension specified as 0 but tensor has no dimensions")
        if fits and not first.numel():  # (PyTorch's: beta * self, in self's shape)
            me, nothing = cast("Tensor", self), first.mv(second).sum()  # (0, with its graph)
            if beta == 0:
                return me._ignored_beside(nothing)
            return me * (int(beta) if me._data.dtype.kind in "biu" else beta) + nothing
        return self._scaled_sum(first.mv(second), beta, alpha, "addmv", inner)

    def addr(
        self, vec1: TensorLike, vec2: TensorLike, *, beta: Number = 1, alpha: Number = 1
    ) -> Tensor:
        """beta * self + alpha * outer(vec1, vec2)."""
        if self._data.dtype.kind in "biu":
            for scale, value in (("beta", beta), ("alpha", alpha)):
                if isinstance(value, float):
                    raise RuntimeError(
                        f"For integral input tensors, argument {scale} must not be a "
                        "floating point number."
                    )
        return self._scaled_sum(_tensor(vec1).outer(vec2), beta, alpha, "addr")

    def baddbmm(
        self, batch1: TensorLike, batch2: TensorLike, *, beta: Number = 1, alpha: Number = 1
    ) -> Tensor:
        """beta * self + alpha * (batch1 @ batch2), batch by batch."""
        first = _tensor(batch1)
        inner = first.shape[-1] if first.dim() else 1
        return self._scaled_sum(first.bmm(batch2), beta, alpha, "baddbmm", inner)

    def addbmm(
        self, batch1: TensorLike, batch2: TensorLike, *, beta: Number = 1, alpha: Number = 1
    ) -> Tensor:
        """beta * self + alpha * sum_b (batch1[b] @ batch2[b])."""
        first = _tensor(batch1)
        inner = first.shape[-1] * first.shape[0] if first.dim() == 3 else 1
        return self._scaled_sum(first.bmm(batch2).sum(0), beta, alpha, "addbmm", inner)

    def kron(self, other: TensorLike) -> Tensor:
        """The Kronecker product: block (i, j) is self[i, j] * other (any number of dims).

        >>> import nn
        >>> nn.tensor([1, 2]).kron(nn.tensor([1, 10]))
        tensor([ 1, 10,  2, 20])
        """
        a, b = cast("Tensor", self), _tensor(other)
        ndim = max(a.dim(), b.dim())
        a = a.reshape((1,) * (ndim - a.dim()) + tuple(a.shape))
        b = b.reshape((1,) * (ndim - b.dim()) + tuple(b.shape))
        # a's axes at even places, b's at odd ones, then each pair merged
        wide_a = a.reshape(tuple(s for n in a.shape for s in (n, 1)))
        wide_b = b.reshape(tuple(s for n in b.shape for s in (1, n)))
        sides = tuple(m * n for m, n in zip(a.shape, b.shape, strict=True))
        return (wide_a * wide_b).reshape(sides)

    def inner(self, other: TensorLike) -> Tensor:
        """sum over the last dimension of self[..., k] * other[..., k] (numbers: their
        product)."""
        a, b = cast("Tensor", self), _tensor(other)
        if not a.dim() or not b.dim():
            return a * b
        if a.dim() == 1 and b.dim() == 1:
            return a.dot(b)
        if a.shape[-1] != b.shape[-1]:
            raise RuntimeError(
                f"inner() the last dimension must match on both input tensors but got shapes "
                f"{list(a.shape)} and {list(b.shape)}"
            )
        k = a.shape[-1]
        left = a.reshape(int(np.prod(a.shape[:-1])), k)
        right = b.reshape(int(np.prod(b.shape[:-1])), k)
        return left.mm(right.t()).reshape(tuple(a.shape[:-1]) + tuple(b.shape[:-1]))

    def vdot(self, other: TensorLike) -> Tensor:
        """The dot product of two 1-D Tensors, the first conjugated."""
        return cast("Tensor", self).conj().dot(other)

    # ------------------------------------------------------------ views and copies
    def fliplr(self) -> Tensor:
        """Reverse the columns (dimension 1; at least 2-D)."""
        if self._data.ndim < 2:
            raise RuntimeError("Input must be >= 2-d.")
        return cast("Tensor", self).flip(1)

    def flipud(self) -> Tensor:
        """Reverse the rows (dimension 0; at least 1-D)."""
        if self._data.ndim < 1:
            raise RuntimeError("Input must be >= 1-d.")
        return cast("Tensor", self).flip(0)

    def rot90(self, k: int = 1, dims: tuple[int, int] | list[int] = (0, 1)) -> Tensor:
        """Rotate by 90 degrees k times in the plane ``dims``, from the first axis toward
        the second (a copy)."""
        me = cast("Tensor", self)
        dims = list(dims)
        if len(dims) != 2:
            raise RuntimeError(f"expected total rotation dims == 2, but got dims = {len(dims)}")
        if me.dim() < 2:
            raise RuntimeError(f"expected total dims >= 2, but got total dims = {me.dim()}")
        first, second = (me._axis(d) for d in dims)
        if first == second:
            raise RuntimeError(
                f"expected rotation dims to be different, but got dim0 = {dims[0]} and dim1 = "
                f"{dims[1]}"
            )
        turns = k % 4
        if turns == 1:
            return me.flip(second).transpose(first, second)
        if turns == 2:
            return me.flip(first, second)
        if turns == 3:
            return me.flip(first).transpose(first, second)
        return me.clone()

    def tensor_split(
        self, indices_or_sections: int | list[int] | tuple[int, ...] | TensorLike, dim: int = 0
    ) -> tuple[Tensor, ...]:
        """Views along ``dim``: n near-equal parts (the first ones one longer), or the
        pieces between the given indices."""
        me = cast("Tensor", self)
        axis = me._axis(dim)
        size = me.shape[axis]
        split = indices_or_sections
        if isinstance(split, TensorCore):
            if split._data.dtype.kind not in "iu" or split._data.ndim > 1:
                raise RuntimeError(
                    "tensor_split expected tensor_indices_or_sections to be a zero-dimensional "
                    "or one-dimensional tensor, but got a tensor with "
                    f"{split._data.ndim} dims"
                )
            split = split._data.item() if not split._data.ndim else split._data.tolist()
        if isinstance(split, int | np.integer):
            if split <= 0:
                raise RuntimeError(f"number of sections must be larger than 0, got {split}")
            base, extra = divmod(size, int(split))
            bounds = np.cumsum([0] + [base + (i < extra) for i in range(int(split))]).tolist()
        else:
            bounds = [0, *(int(i) for i in split), size]
        pieces = []
        for start, stop in itertools.pairwise(bounds):
            begin = min(max(start + size if start < 0 else start, 0), size)
            end = min(max(stop + size if stop < 0 else stop, 0), size)
            pieces.append(me.narrow(axis, begin, max(end - begin, 0)))
        return tuple(pieces)

    def take(self, index: TensorLike) -> Tensor:
        """The elements at ``index`` of this Tensor read as 1-D (row-major)."""
        positions = _tensor(index)
        flat = cast("Tensor", self).reshape(-1)
        return flat[positions.reshape(-1)].reshape(positions.shape)

    def take_along_dim(self, indices: TensorLike, dim: int | None = None) -> Tensor:
        """``gather`` with ``indices`` broadcast against this Tensor (along ``dim``; of the
        flattened Tensor when ``dim`` is None)."""
        me, index = cast("Tensor", self), _tensor(indices)
        if dim is None:  # (a view of the input, as PyTorch: a strided one refuses)
            return me.view(-1).gather(0, index.reshape(-1))
        axis = me._axis(dim)
        size = me.shape[axis]
        if index._data.size and size and (index._data < 0).any():  # (-1 is the last, as PyTorch)
            index = index._make(np.where(index._data < 0, index._data + size, index._data))
        sizes = list(np.broadcast_shapes(_but(me.shape, axis), _but(index.shape, axis)))
        mine = me.expand(*sizes[:axis], me.shape[axis], *sizes[axis:])
        theirs = index.expand(*sizes[:axis], index.shape[axis], *sizes[axis:])
        return mine.gather(axis, theirs)

    def repeat_interleave(
        self,
        repeats: int | TensorLike | None = None,
        dim: int | None = None,
        *,
        output_size: int | None = None,
    ) -> Tensor:
        """Each element (each slice along ``dim``) repeated ``repeats`` times in place, as
        ``torch.repeat_interleave``; without ``dim``, of the flattened Tensor.

        >>> import nn
        >>> nn.tensor([1, 2]).repeat_interleave(2)
        tensor([1, 1, 2, 2])
        """
        me = cast("Tensor", self)
        source = me.reshape(-1) if dim is None else me
        axis = 0 if dim is None else me._axis(dim)
        if isinstance(repeats, int) and not isinstance(repeats, bool):
            if repeats < 0:
                raise RuntimeError("repeats can not be negative")
            if not source.dim():
                source = source.reshape(1)
            sizes = list(source.shape)
            widened = source.unsqueeze(axis + 1)
            stretched = widened.expand(*sizes[: axis + 1], repeats, *sizes[axis + 1 :])
            out = stretched.reshape(*sizes[:axis], sizes[axis] * repeats, *sizes[axis + 1 :])
            if np.may_share_memory(out._data, me._data):  # (a copy, always, as PyTorch's)
                out = out.clone()
        else:
            counts = repeats._data if isinstance(repeats, TensorCore) else np.asarray(repeats)
            if counts.dtype.kind not in "iu":
                raise RuntimeError("repeats has to be Long tensor")
            if (counts < 0).any():
                raise RuntimeError("repeats can not be negative")
            size = source.shape[axis] if source.dim() else 1
            if counts.ndim and counts.size not in (1, size):
                raise RuntimeError("repeats must have the same size as input along dim")
            spread = np.broadcast_to(counts.reshape(-1), (size,))
            out = source.index_select(axis, me._make(np.repeat(np.arange(size), spread)))
        if output_size is not None and output_size != out.shape[axis]:
            raise RuntimeError("allocated size does not match required size")
        return out

    def argwhere(self) -> Tensor:
        """The indices of the nonzero elements, one row each (``nonzero()``)."""
        indices: Tensor = cast("Tensor", self).nonzero()
        return indices

    def broadcast_to(self, size: tuple[int, ...] | list[int]) -> Tensor:
        """This Tensor expanded to ``size`` (a view), as ``torch.broadcast_to``."""
        return cast("Tensor", self).expand(tuple(size))

    # ------------------------------------------------------------ writes at indices
    def _along(
        self, dim: int, index: TensorLike, source_shape: tuple[int, ...], name: str
    ) -> tuple[int, Tensor]:
        """``index`` (1-D integers) spread to ``source_shape`` along ``dim``, for scatter."""
        axis = self._axis(dim)
        positions = _tensor(index)
        if positions._data.dtype.kind not in "iu" or positions._data.ndim > 1:
            raise IndexError(f"{name}_(): Expected a 1-D integer index, got {positions.dtype}")
        size = self._data.shape[axis] if self._data.ndim else 1
        outside = (positions._data >= size) | (positions._data < -size)
        if outside.any():
            raise (RuntimeError if name == "index_add" else IndexError)(
                f"index {positions._data[outside].flat[0]} is out of bounds for dimension "
                f"{axis} with size {size}"
            )
        if positions._data.size != (source_shape[axis] if source_shape else 1):
            raise RuntimeError(
                f"{name}_(): Number of indices ({positions._data.size}) should be equal to "
                f"source.size(dim) ({source_shape[axis] if source_shape else 1})"
            )
        shape = [1] * max(len(source_shape), 1)
        shape[axis] = -1
        spread = np.broadcast_to(positions._data.reshape(shape), source_shape or (1,))
        return axis, self._make(np.ascontiguousarray(spread, dtype=np.int64))

    def index_add(
        self, dim: int, index: TensorLike, source: TensorLike, *, alpha: Number = 1
    ) -> Tensor:
        """A copy with alpha * source's slices added at ``index`` along ``dim``.

        >>> import nn
        >>> nn.zeros(3).index_add(0, nn.tensor([0, 0, 2]), nn.ones(3))
        tensor([2., 0., 1.])
        """
        added = _tensor(source)
        axis, spread = self._along(dim, index, tuple(added.shape), "index_add")
        values = added if alpha == 1 else added * alpha
        return cast("Tensor", self).scatter_add(axis, spread, values.reshape(spread.shape))

    def index_copy(self, dim: int, index: TensorLike, source: TensorLike) -> Tensor:
        """A copy with source's slices written at ``index`` along ``dim``."""
        written = _tensor(source)
        axis, spread = self._along(dim, index, tuple(written.shape), "index_copy")
        return cast("Tensor", self).scatter(axis, spread, written.reshape(spread.shape))

    def index_fill(self, dim: int, index: TensorLike, value: Number | TensorLike) -> Tensor:
        """A copy with the slices at ``index`` along ``dim`` set to ``value``."""
        me = cast("Tensor", self)
        axis = me._axis(dim) if me.dim() else 0
        positions = _tensor(index)._data
        if positions.dtype.kind not in "iu":
            raise IndexError("index_fill_(): Expected dtype int64 for index.")
        mask = np.zeros(me.shape[axis] if me.dim() else 1, dtype=bool)
        mask[positions.reshape(-1)] = True
        shape = [1] * me.dim()
        if shape:
            shape[axis] = -1
        return me.masked_fill(me._make(mask.reshape(shape)), value)

    def index_add_(
        self, dim: int, index: TensorLike, source: TensorLike, *, alpha: Number = 1
    ) -> Tensor:
        return cast("Tensor", self)._unary_("index_add", dim, index, source, alpha=alpha)

    def index_copy_(self, dim: int, index: TensorLike, source: TensorLike) -> Tensor:
        return cast("Tensor", self)._unary_("index_copy", dim, index, source)

    def index_fill_(self, dim: int, index: TensorLike, value: Number | TensorLike) -> Tensor:
        return cast("Tensor", self)._unary_("index_fill", dim, index, value)

    def fill_diagonal_(self, fill_value: Number, wrap: bool = False) -> Tensor:
        """Set the main diagonal (all indices equal) to ``fill_value``, in place; a tall
        matrix with ``wrap`` starts the diagonal again after each N + 1 rows."""
        me = cast("Tensor", self)
        if me.dim() < 2:
            raise RuntimeError("dimensions must larger than 1")
        if me.dim() > 2 and len(set(me.shape)) != 1:
            raise RuntimeError("all dimensions of input must be of equal length")
        mask = np.zeros(me.shape, dtype=bool)
        np.fill_diagonal(mask, True, wrap=wrap)
        return me.masked_fill_(me._make(mask), fill_value)

    def tril_(self, diagonal: int = 0) -> Tensor:
        return cast("Tensor", self)._unary_("tril", diagonal)

    def triu_(self, diagonal: int = 0) -> Tensor:
        return cast("Tensor", self)._unary_("triu", diagonal)


def _tensor(value: object) -> Tensor:
    from ..tensor import Tensor

    if isinstance(value, Tensor):
        return value
    if isinstance(value, np.ndarray):
        return Tensor._make(value)
    raise TypeError(f"expected a Tensor, but got {type(value).__name__}")


def _index(t: Tensor, order: list[int], axis: int) -> Tensor:
    return t.index_select(axis, t._make(np.asarray(order, dtype=np.int64)))


def _but(shape: tuple[int, ...], axis: int) -> tuple[int, ...]:
    return tuple(n for d, n in enumerate(shape) if d != axis)


def _dtype_name(t: Tensor) -> str:
    from .._dtype import torch_name

    return torch_name(t._data.dtype)
