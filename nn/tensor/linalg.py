"""Tensor matrix methods (a part of ``Tensor``): products (matmul, mm, mv, bmm, dot,
outer, cross), triangles, diagonals, trace, inverse and det, over ``nn/rules/linalg.py``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

import numpy as np

from .. import _dtype
from ..autograd.graph import KEPT, Node, node_type
from ..rules import linalg as linalg_rules
from ..rules._quiet import quiet
from ..types import DTypeLike, InputLike
from .core import TensorCore, _axis

if TYPE_CHECKING:
    from ..tensor import Tensor

TrilBackward0 = node_type("TrilBackward0")
TriuBackward0 = node_type("TriuBackward0")
DiagonalBackward0 = node_type("DiagonalBackward0")
DiagonalCopyBackward0 = node_type("DiagonalBackward0_copy")  # (PyTorch's name for diag's)
DiagEmbedBackward0 = node_type("DiagEmbedBackward0")
TraceBackward0 = node_type("TraceBackward0")
LinalgCrossBackward0 = node_type("LinalgCrossBackward0")


MmBackward0 = node_type("MmBackward0")


def _kept_as_given(a: np.ndarray, b: np.ndarray, a_rg: bool, b_rg: bool) -> tuple[bool, bool]:
    """Whether PyTorch's matmul backward keeps each operand itself (then an in-place change
    afterwards is refused) or a copy its forward made, following its algorithm: a batch
    times a matrix or vector may be folded into one matrix product, (..., n, m) -> (-1, m)
    (the batch transposed when it is on the right); otherwise both are broadcast and
    flattened to (-1, n, m) for a batched product. Each reshape is a view when the strides
    allow it."""
    if a.ndim <= 2 and b.ndim <= 2:
        return True, True
    if _folds(a, b, a_rg, b_rg):
        if b.ndim > a.ndim:
            flipped = np.swapaxes(b, -1, -2)
            return True, _reshapes_as_view(flipped, (-1, flipped.shape[-1]))
        return _reshapes_as_view(a, (-1, a.shape[-1])), True
    if a.ndim == 3 and b.ndim == 3 and a.shape[0] != b.shape[0]:  # (a batch of one: squeezed)
        if a.shape[0] == 1 and a_rg:
            return _kept_as_given(a[0], b, a_rg, b_rg)
        if b.shape[0] == 1 and b_rg:
            return _kept_as_given(a, b[0], a_rg, b_rg)
    batch = np.broadcast_shapes(a.shape[:-2], b.shape[:-2])
    left = np.broadcast_to(a, batch + (1,) * (a.ndim == 1) + a.shape[-2:])
    right = np.broadcast_to(b, batch + b.shape[-2:])
    return (
        _reshapes_as_view(left, (-1, *left.shape[-2:])),
        _reshapes_as_view(right, (-1, *right.shape[len(batch) :])),
    )


def _folds(a: np.ndarray, b: np.ndarray, a_rg: bool, b_rg: bool) -> bool:
    """PyTorch's ``should_fold``: a batch times a matrix or vector is one matrix product when
    the smaller operand requires grad, or the batch is empty or contiguous (a matrix on the
    left excepted)."""
    big, small, small_rg = (a, b, b_rg) if a.ndim >= b.ndim else (b, a, a_rg)
    if big.ndim < 3 or small.ndim > 2:
        return False
    if small_rg:
        return True
    if a.ndim == 2:
        return False
    if big.size == 0:
        return True
    expected = big.itemsize  # (contiguous, dimensions of size 1 aside)
    for size, stride in zip(reversed(big.shape), reversed(big.strides), strict=True):
        if size != 1 and stride != expected:
            return False
        expected *= size
    return True


def _reshapes_as_view(x: np.ndarray, shape: tuple[int, ...]) -> bool:
    return x.size == 0 or np.may_share_memory(x.reshape(shape), x)


def _require_dims(name: str, ndim: int, expected: int, message: str) -> None:
    if ndim != expected:
        raise RuntimeError(f"{name} {message}")


def _x(shape: tuple[int, ...]) -> str:
    return "x".join(str(n) for n in shape) if shape else "scalar"


SoftmaxBackward0 = node_type("SoftmaxBackward0")


LogSoftmaxBackward0 = node_type("LogSoftmaxBackward0")


class TensorLinalg(TensorCore):
    """Matrix methods of ``Tensor``."""

    __slots__ = ()

    def tril(self, diagonal: int = 0) -> Tensor:
        """The lower triangle of the last two dimensions (on and below ``diagonal``)."""
        return self._triangle(True, diagonal, TrilBackward0)

    def triu(self, diagonal: int = 0) -> Tensor:
        """The upper triangle of the last two dimensions (on and above ``diagonal``)."""
        return self._triangle(False, diagonal, TriuBackward0)

    def _triangle(self, lower: bool, diagonal: int, kind: type[Node]) -> Tensor:
        if self._data.ndim < 2:
            raise RuntimeError("tril/triu: input tensor must have at least 2 dimensions")
        out, backward = linalg_rules.triangle(self._data, lower, diagonal)
        return self._record(out, (self,), backward, kind)

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
            return linalg_rules.diagonal_view(a, offset, first, second)

        _, backward = linalg_rules.diagonal(self._data, offset, first, second)
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
            out, backward = linalg_rules.diag_embed(self._data, diagonal)
            return self._record(out, (self,), backward, DiagEmbedBackward0)
        if self._data.ndim != 2:
            raise RuntimeError(f"diag(): Supports 1D or 2D tensors. Got {self._data.ndim}D")
        view, backward = linalg_rules.diagonal(self._data, diagonal, 0, 1)
        return self._record(view.copy(), (self,), backward, DiagonalCopyBackward0)

    def diag_embed(self, offset: int = 0, dim1: int = -2, dim2: int = -1) -> Tensor:
        """A Tensor one dimension larger whose (``dim1``, ``dim2``) matrices have this
        Tensor's last dimension on diagonal ``offset``, zeros elsewhere (``torch.diag_embed``;
        the dims count in the result).

        >>> import nn
        >>> nn.tensor([[1.0, 2.0]]).diag_embed()
        tensor([[[1., 0.],
                 [0., 2.]]])
        """
        first, second = _axis(dim1, self._data.ndim + 1), _axis(dim2, self._data.ndim + 1)
        if first == second:
            raise RuntimeError(f"diagonal dimensions cannot be identical {dim1}, {dim2}")
        out, backward = linalg_rules.diag_embed(self._data, offset, first, second)
        return self._record(out, (self,), backward, DiagEmbedBackward0)

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
        out, backward = linalg_rules.trace(self._data)
        return self._record(out, (self,), backward, TraceBackward0)

    def __matmul__(self, other: InputLike) -> Tensor:
        return self.matmul(other)

    def __rmatmul__(self, other: Any) -> Tensor:
        return cast("Tensor", self)._lift(other).matmul(self)

    def matmul(self, other: Any) -> Tensor:
        """``self @ other`` with PyTorch's rules for 1-D and batched operands.

        >>> import nn
        >>> nn.tensor([[1.0, 2.0]]).matmul(nn.tensor([[3.0], [4.0]]))
        tensor([[11.]])
        """
        a: Tensor = self  # type: ignore[assignment]
        b = cast("Tensor", self)._lift(other)
        if a._data.ndim == 0 or b._data.ndim == 0:
            raise RuntimeError(
                f"both arguments to matmul need to be at least 1D, but they are "
                f"{a._data.ndim}D and {b._data.ndim}D"
            )
        if a._data.dtype != b._data.dtype:
            raise RuntimeError(
                "expected m1 and m2 to have the same dtype, but got: "
                f"{_dtype.torch_c_name(a.dtype)} != {_dtype.torch_c_name(b.dtype)}"
            )
        if a._data.dtype.kind == "b":
            vectors = a._data.ndim == b._data.ndim == 1
            if vectors or (a._data.size and b._data.size):  # (PyTorch skips empty products)
                kernel = "dot" if vectors else "addmm_impl_cpu_"
                raise NotImplementedError(f"\"{kernel}\" not implemented for 'Bool'")
        # (what PyTorch's backward keeps of each operand: itself, or a copy its matmul made)
        try:
            a_given, b_given = _kept_as_given(a._data, b._data, a.requires_grad, b.requires_grad)
            a_data = a._data if a_given or not b._rg else a._data.copy()
            b_data = b._data if b_given or not a._rg else b._data.copy()
            out, backward = linalg_rules.matmul(a_data, b_data, need_a=a._rg, need_b=b._rg)
        except ValueError:
            raise RuntimeError(
                f"mat1 and mat2 shapes cannot be multiplied ({_x(a._data.shape)} and "
                f"{_x(b._data.shape)})"
            ) from None
        saved = (
            (b if b_given else KEPT) if a._rg else None,
            (a if a_given else KEPT) if b._rg else None,
        )
        return self._record(out, (a, b), backward, MmBackward0, saved)

    def mm(self, mat2: Any) -> Tensor:
        """The product of two matrices (2-D only, as ``torch.mm``)."""
        other = cast("Tensor", self)._lift(mat2)
        _require_dims("self", self._data.ndim, 2, "must be a matrix")
        _require_dims("mat2", other._data.ndim, 2, "must be a matrix")
        return self.matmul(other)

    def mv(self, vec: InputLike) -> Tensor:
        """A matrix times a vector (2-D and 1-D only, as ``torch.mv``)."""
        other = cast("Tensor", self)._lift(vec)
        if self._data.ndim != 2 or other._data.ndim != 1:
            raise RuntimeError(
                f"vector + matrix @ vector expected, got 1, {self._data.ndim}, {other._data.ndim}"
            )
        return self.matmul(other)

    def inverse(self) -> Tensor:
        """The inverse of each square matrix (``torch.linalg.inv``)."""
        from .. import linalg  # (linalg builds on Tensor: imported late)

        return linalg.inv(self)

    def det(self) -> Tensor:
        """The determinant of each square matrix (``torch.linalg.det``)."""
        from .. import linalg

        return linalg.det(self)

    def bmm(self, mat2: Any) -> Tensor:
        """Batched matrix product of (b, n, m) and (b, m, p) Tensors (as ``torch.bmm``)."""
        other = cast("Tensor", self)._lift(mat2)
        _require_dims("batch1", self._data.ndim, 3, "must be a 3D tensor")
        _require_dims("batch2", other._data.ndim, 3, "must be a 3D tensor")
        if self._data.shape[0] != other._data.shape[0]:
            raise RuntimeError(
                f"batch1 and batch2 must have same number of batches, got "
                f"{self._data.shape[0]} and {other._data.shape[0]}"
            )
        return self.matmul(other)

    def dot(self, tensor: InputLike) -> Tensor:
        """sum_i x_i y_i of two 1-D Tensors of one size (as ``torch.dot``)."""
        other = cast("Tensor", self)._lift(tensor)
        if self._data.ndim != 1 or other._data.ndim != 1:
            raise RuntimeError(
                f"1D tensors expected, but got {self._data.ndim}D and {other._data.ndim}D tensors"
            )
        if self._data.size != other._data.size:
            raise RuntimeError(
                "inconsistent tensor size, expected tensor "
                f"[{self._data.size}] and src [{other._data.size}] to have the same number of "
                f"elements, but got {self._data.size} and {other._data.size} elements respectively"
            )
        return self.matmul(other)

    def outer(self, vec2: Any) -> Tensor:
        """The outer product x y^T of two 1-D Tensors (as ``torch.outer``)."""
        other = cast("Tensor", self)._lift(vec2)
        for name, n in (("self", self._data.ndim), ("vec2", other._data.ndim)):
            if n != 1:
                raise RuntimeError(f"outer: Expected 1-D argument {name}, but got {n}-D")
        a: Tensor = self  # type: ignore[assignment]
        return a.reshape(-1, 1) * other.reshape(1, -1)

    ger = outer

    def cross(self, other: InputLike, dim: int | None = None) -> Tensor:
        """The cross product of 3-vectors along ``dim`` (by default the first dimension of
        size 3, as ``torch.cross``; ``nn.linalg.cross`` takes the last), broadcasting.

        >>> import nn
        >>> nn.tensor([1.0, 0.0, 0.0]).cross(nn.tensor([0.0, 1.0, 0.0]))
        tensor([0., 0., 1.])
        """
        theirs = cast("Tensor", self)._lift(other)
        if theirs._data.dtype != self._data.dtype:
            raise RuntimeError(
                "linalg.cross: expected input and other to have the same dtype, but input has "
                f"dtype {_dtype.torch_name(self._data.dtype)} and other has dtype "
                f"{_dtype.torch_name(theirs._data.dtype)}"
            )
        a, b = cast("Tensor", self), theirs
        if a._data.ndim != b._data.ndim:
            raise RuntimeError(
                "linalg.cross: inputs must have the same number of dimensions. Got "
                f"{a._data.ndim} and {b._data.ndim}"
            )
        try:
            np.broadcast_shapes(a._data.shape, b._data.shape)
        except ValueError:
            raise RuntimeError(
                f"linalg.cross: the shapes {list(a._data.shape)} and {list(b._data.shape)} "
                "do not broadcast"
            ) from None
        if dim is None:  # (the first side of 3 of this Tensor, as PyTorch)
            dim = next((d for d, n in enumerate(a._data.shape) if n == 3), None)
            if dim is None:
                raise RuntimeError("no dimension of size 3 in input")
        axis = a._axis(dim)
        if a._data.shape[axis] != 3 or b._data.shape[axis] != 3:
            raise RuntimeError(
                f"linalg.cross: inputs dimension {dim} must have length 3. Got "
                f"{a._data.shape[axis]} and {b._data.shape[axis]}"
            )
        if a._data.dtype.kind == "b":
            raise NotImplementedError("\"cross\" not implemented for 'Bool'")
        out, backward = linalg_rules.cross(a._data, b._data, axis, a._rg, b._rg)
        saved = (b if a._rg else None, a if b._rg else None)
        return self._record(out, (a, b), backward, LinalgCrossBackward0, saved)

    def softmax(self, dim: int, dtype: DTypeLike | None = None) -> Tensor:
        """exp(x) / sum(exp(x)) along ``dim``.

        Examples
        --------
        >>> import nn
        >>> nn.tensor([0.0, 0.0]).softmax(0)
        tensor([0.5000, 0.5000])
        """
        axis = cast("Tensor", self)._reduce_axes(dim)
        if dtype is None and self._data.dtype.kind not in "fc" and self._data.size:
            raise NotImplementedError(
                f'"softmax_lastdim_kernel_impl" not implemented for '
                f"'{_dtype.torch_name(self._data.dtype)}'"
            )
        if dtype is None and self._data.dtype.kind not in "fc":
            return self._make(self._data.copy())  # empty: nothing computed, as PyTorch
        x = cast("Tensor", self) if dtype is None else cast("Tensor", self).to(dtype)
        with quiet():
            result, backward = linalg_rules.softmax(x._data, None if axis is None else axis[0])
        return self._record(result, (x,), backward, SoftmaxBackward0, result=True)

    def log_softmax(self, dim: int, dtype: DTypeLike | None = None) -> Tensor:
        """log(softmax(x)) along ``dim``, computed stably."""
        axis = cast("Tensor", self)._reduce_axes(dim)
        if dtype is None and self._data.dtype.kind not in "fc" and self._data.size:
            raise NotImplementedError(
                f'"log_softmax_lastdim_kernel_impl" not implemented for '
                f"'{_dtype.torch_name(self._data.dtype)}'"
            )
        if dtype is None and self._data.dtype.kind not in "fc":
            return self._make(self._data.copy())  # empty: nothing computed, as PyTorch
        x = cast("Tensor", self) if dtype is None else cast("Tensor", self).to(dtype)
        with quiet():
            result, backward = linalg_rules.log_softmax(x._data, None if axis is None else axis[0])
        return self._record(result, (x,), backward, LogSoftmaxBackward0, result=True)
