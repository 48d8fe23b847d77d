"""Tensor counting methods (a part of ``Tensor``): histc, histogram, bincount, unique, over
the rules of ``nn/rules/counting.py``; none is differentiable, as in PyTorch."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np

from .. import _dtype
from .._args.dims import axes_of
from ..autograd.graph import node_type
from ..rules import arithmetic as arithmetic_rules
from ..rules import counting as counting_rules
from ..types import InputLike
from .core import TensorCore

if TYPE_CHECKING:
    from ..tensor import Tensor

HistogramBackward0 = node_type("NotImplemented")


class HistogramResult(NamedTuple):
    """``(hist, bin_edges)``, as ``torch.histogram`` returns them."""

    hist: Tensor
    bin_edges: Tensor


def _refuse_integers(data: np.ndarray) -> None:
    """PyTorch's histogram kernels take floats only."""
    if data.dtype.kind != "f":
        name = _dtype.torch_name(data.dtype).capitalize()
        raise NotImplementedError(f"\"histogram_cpu\" not implemented for '{name}'")


def _check_bins(bins: int) -> None:
    if bins <= 0:
        raise RuntimeError(f"torch.histogram(): bins must be > 0, but got {bins} for dimension 0")


class TensorCounting(TensorCore):
    """Counting methods of ``Tensor``."""

    __slots__ = ()

    def histc(self, bins: int = 100, min: float = 0, max: float = 0) -> Tensor:
        """Counts in ``bins`` equal bins over [min, max] (the data's range when min == max);
        elements outside are not counted. Not differentiable, as PyTorch's.

        >>> import nn
        >>> nn.tensor([1.0, 2.0, 1.0]).histc(bins=4, min=0, max=3)
        tensor([0., 2., 1., 0.])
        """
        _refuse_integers(self._data)
        _check_bins(bins)
        if min > max:
            raise RuntimeError("torch.histc: max must be larger than min")
        return self._make(counting_rules.histc(self._data, bins, min, max))

    def histogram(
        self, bins: Any = 100, *, range: Any = None, weight: Any = None, density: bool = False
    ) -> HistogramResult:
        """``(hist, bin_edges)``: counts (or summed ``weight``) in ``bins`` equal bins over
        ``range`` (the data's range by default), or between the edges a 1-D Tensor ``bins``
        gives, as ``torch.histogram``; with ``density``, a density that integrates to 1.

        >>> import nn
        >>> nn.tensor([1.0, 2.0, 1.0]).histogram(bins=4).hist
        tensor([2., 0., 0., 1.])
        """
        data = self._data
        if isinstance(bins, TensorCore) and range is not None:
            raise TypeError("histogram() takes no range= with bins given as a Tensor")
        _refuse_integers(data)
        if isinstance(bins, TensorCore):
            edges, uniform = bins._data.astype(data.dtype), False
            if edges.ndim != 1 or edges.size < 2:
                raise RuntimeError(
                    "torch.histogram(): bins tensor should have one dimension and at least 2 "
                    "elements"
                )
        else:
            _check_bins(bins)
            if range is not None:
                low, high = float(range[0]), float(range[1])
            else:
                low, high = (float(data.min()), float(data.max())) if data.size else (0.0, 1.0)
            where = "torch.histogramdd: dimension 0's range"
            if not (np.isfinite(low) and np.isfinite(high)):
                raise RuntimeError(f"{where} [{low:g}, {high:g}] is not finite")
            if low > high:
                raise RuntimeError(
                    "torch.histogramdd: min should not exceed max, but got min "
                    f"{low:g} max {high:g} for dimension 0"
                )
            if low == high:
                low, high = low - 0.5, high + 0.5
            from .._namespace.factories import _evenly_spaced  # (it builds Tensors: imported late)

            edges, uniform = _evenly_spaced(low, high, bins + 1, data.dtype), True
        weights = None if weight is None else np.asarray(getattr(weight, "_data", weight))
        if weights is not None and weights.shape != data.shape:
            raise RuntimeError(
                "torch.histogram(): if weight tensor is provided it should have the same shape "
                "as the input tensor excluding its innermost dimension"
            )
        counts = counting_rules.histogram(data, edges, uniform, weights, density)
        # (PyTorch records its outputs and fails when a gradient reaches them)
        undefined = arithmetic_rules.not_differentiable("histogram")
        hist = self._record(counts, (self,), undefined, HistogramBackward0)
        return HistogramResult(
            hist, self._record(edges.copy(), (self,), undefined, HistogramBackward0)
        )

    def bincount(self, weights: InputLike | None = None, minlength: int = 0) -> Tensor:
        """How many times each value 0, 1, ..., max occurs in a 1-D Tensor of non-negative
        integers (int64), or the sum of ``weights`` at each value (float32 weights give
        float32, any other float64), at least ``minlength`` long.

        >>> import nn
        >>> nn.tensor([0, 1, 1, 3]).bincount()
        tensor([1, 2, 0, 1])
        """
        data = self._data
        if data.dtype.kind == "b" or data.dtype.kind == "f":
            name = _dtype.torch_name(data.dtype).capitalize()
            raise NotImplementedError(f"\"bincount_cpu\" not implemented for '{name}'")
        if minlength < 0:
            raise RuntimeError("minlength should be >= 0")
        if data.ndim != 1 or (data.size and data.min() < 0):
            raise RuntimeError("bincount only supports 1-d non-negative integral inputs.")
        if weights is None or not data.size:  # (PyTorch's empty count is int64 either way)
            return self._make(np.bincount(data, minlength=minlength).astype(np.int64))
        w = np.asarray(getattr(weights, "_data", weights))
        if w.ndim != 1 or w.shape != data.shape:
            raise RuntimeError("weights should be 1-d and have the same length as input")
        kind = np.float32 if w.dtype == np.float32 else np.float64
        return self._make(
            np.bincount(data, weights=w.astype(np.float64), minlength=minlength).astype(kind)
        )

    def unique(
        self,
        sorted: bool = True,
        return_inverse: bool = False,
        return_counts: bool = False,
        dim: int | None = None,
    ) -> Tensor | tuple[Tensor, ...]:
        """The distinct values in ascending order (each NaN counted apart), with the index
        of each element's value among them and each value's count when asked, as
        ``torch.unique``; along ``dim``, the distinct slices. (``sorted=False`` sorts too:
        PyTorch leaves that order unspecified.)

        >>> import nn
        >>> nn.tensor([3, 1, 1, 2]).unique(return_counts=True)
        (tensor([1, 2, 3]), tensor([2, 1, 1]))
        """
        data = self._data
        if dim is not None and not data.ndim:
            raise IndexError(f"Dimension specified as {dim} but tensor has no dimensions")
        axis = None if dim is None else axes_of(dim, data.ndim)[0]  # type: ignore[index]
        if axis is not None and not data.size:
            zero_sided = [side for side, size in enumerate(data.shape) if size == 0]
            if len(zero_sided) > 1:
                raise RuntimeError(
                    "Number of zero sized dimensions is more than one, so unique cannot be applied "
                )
            if zero_sided[0] != axis:
                raise RuntimeError(
                    "There are 0 sized dimensions, and they aren't selected, so unique cannot "
                    "be applied"
                )
        if axis is not None and self._data.dtype.kind == "f" and np.isnan(self._data).any():
            raise NotImplementedError(
                "unique(dim=...) of slices holding NaN: PyTorch's order of such slices is its "
                "sort's accident; descend refuses rather than order them otherwise"
            )
        values, inverse, counts = counting_rules.unique(self._data, axis)
        result = [self._make(values)]
        if return_inverse:
            result.append(self._make(inverse))
        if return_counts:
            result.append(self._make(counts))
        return result[0] if len(result) == 1 else tuple(result)
