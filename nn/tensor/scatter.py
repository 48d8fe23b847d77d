"""Scatter (a mixin of ``Tensor``): ``scatter`` and ``scatter_add``, the inverse of
``gather``, with their in-place forms (``zeros.scatter_(1, labels[:, None], 1.0)`` is the
one-hot idiom), and PyTorch's checks of the index."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar, cast

import numpy as np

from .. import _dtype
from ..autograd.graph import node_type
from ..rules import scatter as scatter_rules
from ..types import InputLike
from . import in_place as _in_place
from .core import TensorCore, plain_index
from .indexing import _check_bounds
from .inplace import _outplace

if TYPE_CHECKING:
    from ..tensor import Tensor

T = TypeVar("T", bound="TensorScatter")
ScatterBackward0 = node_type("ScatterBackward0")
ScatterBackward1 = node_type("ScatterBackward1")  # (a number scattered)
ScatterAddBackward0 = node_type("ScatterAddBackward0")


class TensorScatter(TensorCore):
    """scatter and scatter_add of ``Tensor``."""

    __slots__ = ()

    def scatter(
        self,
        dim: int,
        index: object,
        src: InputLike | None = None,
        *,
        value: InputLike | None = None,
        reduce: str | None = None,
    ) -> Tensor:
        """A copy with ``src`` (a Tensor, or a number) written at ``index`` along ``dim``:
        ``out[i][index[i][j]] = src[i][j]`` for a 2-D ``dim=1``.

        Examples
        --------
        >>> import nn
        >>> nn.zeros(3, 4).scatter(1, nn.tensor([[1], [3], [0]]), 1.0)
        tensor([[0., 1., 0., 0.],
                [0., 0., 0., 1.],
                [1., 0., 0., 0.]])
        """
        if reduce is not None:
            raise NotImplementedError(
                "scatter(reduce=...) is not supported (PyTorch deprecates it): use "
                "scatter_add, or scatter_reduce in PyTorch"
            )
        source = value if src is None else src
        if source is None:
            raise TypeError("scatter() missing the values to write: pass src or value")
        return self._scatter(dim, index, source, add=False)

    def scatter_add(self, dim: int, index: object, src: InputLike) -> Tensor:
        """A copy with ``src`` added at ``index`` along ``dim`` (repeated indices add up).

        Examples
        --------
        >>> import nn
        >>> nn.zeros(2, 3).scatter_add(1, nn.tensor([[0, 0], [2, 1]]), nn.ones(2, 2))
        tensor([[2., 0., 0.],
                [0., 1., 1.]])
        """
        if not isinstance(src, TensorScatter | np.ndarray):
            raise TypeError(
                "scatter_add(): argument 'src' (position 3) must be Tensor, not "
                + type(src).__name__
            )
        return self._scatter(dim, index, src, add=True)

    def scatter_(
        self: T,
        dim: int,
        index: object,
        src: InputLike | None = None,
        *,
        value: InputLike | None = None,
        reduce: str | None = None,
    ) -> T:
        """``scatter`` in place."""
        return _in_place.run(
            self, _outplace("scatter"), dim, index, src, value=value, reduce=reduce
        )

    def scatter_add_(self: T, dim: int, index: object, src: InputLike) -> T:
        """``scatter_add`` in place."""
        if not isinstance(src, TensorScatter | np.ndarray):
            raise TypeError(
                "scatter_add_(): argument 'src' (position 3) must be Tensor, not "
                + type(src).__name__
            )
        return _in_place.run(self, _outplace("scatter_add"), dim, index, src)

    def _scatter(self, dim: int, index: object, source: InputLike, add: bool) -> Tensor:
        me = cast("Tensor", self)
        axis = me._axis(dim)
        idx = np.asarray(plain_index(index))
        name = "scatter_add" if add else "scatter"
        if idx.dtype.kind not in "iu":
            raise RuntimeError(f"{name}(): Expected dtype int64 for index")
        number = not hasattr(source, "_data") and not isinstance(source, np.ndarray)
        if number and isinstance(source, int | float) and not isinstance(source, bool):
            if np.size(plain_index(index)):  # (PyTorch checks the value only if it writes)
                _dtype.checked_scalar(source, me._data.dtype)
        src = me._lift(source)
        if src._data.dtype != me._data.dtype:
            src = src._cast(me._data.dtype)
        shape = me._data.shape
        if idx.ndim != len(shape) or (not number and src._data.ndim != len(shape)):
            raise RuntimeError(
                "Index tensor must have the same number of dimensions as self tensor"
            )
        if any(
            n > m for d, (n, m) in enumerate(zip(idx.shape, shape, strict=True)) if d != axis
        ) or (not number and any(n > m for n, m in zip(idx.shape, src._data.shape, strict=True))):
            raise RuntimeError(
                f"Expected index {list(idx.shape)} to be no larger than self {list(shape)} "
                f"apart from dimension {axis}"
                + ("" if number else f" and to be no larger size than src {list(src._data.shape)}")
            )
        _check_bounds(idx, shape[axis], axis)
        out, backward = scatter_rules.scatter(
            me._data, axis, idx, src._data, add, need_x=me._rg, need_src=src._rg and not number
        )
        kind = ScatterAddBackward0 if add else ScatterBackward1 if number else ScatterBackward0
        # the index, saved where a backward reads it (scatter_add's self needs none)
        reads = src._rg and not number if add else True
        saved = (index if reads and isinstance(index, TensorScatter) else None,)
        return me._record(out, (me, src), backward, kind, saved)
