"""Resizing as a function: ``interpolate`` in the "nearest" and "nearest-exact" modes, each
output element one input element, picked as PyTorch's kernel picks it (over
``nn/rules/shape.py``'s ``take_positions``). The interpolating modes (linear, bilinear,
bicubic, trilinear, area) raise ``NotImplementedError``."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from .. import _dtype
from ..autograd.graph import node_type
from ..rules import shape as shape_rules
from ..tensor import Tensor

_NEAREST = ("nearest", "nearest-exact")
_KINDS = {  # (PyTorch's node names, one class each, made once)
    (mode, spatial): node_type(
        f"UpsampleNearest{'Exact' if mode != 'nearest' else ''}{spatial}DBackward0"
    )
    for mode in _NEAREST
    for spatial in (1, 2, 3)
}
_INTERPOLATING = ("linear", "bilinear", "bicubic", "trilinear")
_ALL = "nearest | linear | bilinear | bicubic | trilinear | lanczos | area | nearest-exact"


def _source_positions(out: int, size: int, scale: float | None, exact: bool) -> np.ndarray:
    """The input position each output position reads: floor(j * s) ("nearest") or
    floor((j + 0.5) * s) ("nearest-exact"), s = 1 / scale_factor when given, else
    size / out, in float32 as PyTorch's kernel (the same size: j; twice the size: j / 2)."""
    j = np.arange(out)
    if not exact and out == size:
        return j
    if not exact and out == 2 * size:
        return j >> 1
    step = np.float32(1.0 / scale) if scale is not None else np.float32(size) / np.float32(out)
    where = (j.astype(np.float32) + np.float32(0.5 if exact else 0.0)) * step
    positions: np.ndarray = np.minimum(np.floor(where).astype(np.int64), size - 1)
    return positions


def interpolate(
    input: Tensor,
    size: int | Sequence[int] | None = None,
    scale_factor: float | Sequence[float] | None = None,
    mode: str = "nearest",
    align_corners: bool | None = None,
    recompute_scale_factor: bool | None = None,
    antialias: bool = False,
) -> Tensor:
    """``input`` (N, C, *spatial) resized to ``size`` or by ``scale_factor`` along its 1
    to 3 spatial dimensions. "nearest" and "nearest-exact" only.

    Examples
    --------
    >>> import nn
    >>> nn.F.interpolate(nn.tensor([[[1.0, 2.0]]]), scale_factor=2)
    tensor([[[1., 1., 2., 2.]]])
    """
    spatial = input.ndim - 2
    if mode in _NEAREST and align_corners is not None:
        raise ValueError(
            "align_corners option can only be set with the interpolating modes: "
            "linear | bilinear | bicubic | trilinear"
        )
    if (size is None) == (scale_factor is None):
        raise ValueError(
            "only one of size or scale_factor should be defined"
            if size is not None
            else "either size or scale_factor should be defined"
        )
    sides = input.shape[2:]
    scales: list[float | None] = [None] * spatial
    if size is not None:
        sizes = [size] * spatial if isinstance(size, int) else list(size)
        if len(sizes) != spatial:
            raise ValueError(
                f"Input and output must have the same number of spatial dimensions, but got "
                f"input with spatial dimensions of {list(sides)} and output size of {sizes}. "
                "Please provide input tensor in (N, C, d1, d2, ...,dK) format and output size "
                "in (o1, o2, ...,oK) format."
            )
    else:
        assert scale_factor is not None
        factors = (
            [float(scale_factor)] * spatial
            if isinstance(scale_factor, int | float)
            else [float(f) for f in scale_factor]
        )
        if len(factors) != spatial:
            raise ValueError(
                f"Input and scale_factor must have the same number of spatial dimensions, but "
                f"got input with spatial dimensions of {list(sides)} and scale_factor of shape "
                f"{factors}. Please provide input tensor in (N, C, d1, d2, ...,dK) format and "
                "scale_factor in (s1, s2, ...,sK) format."
            )
        sizes = [math.floor(n * f) for n, f in zip(sides, factors, strict=True)]
        if not recompute_scale_factor:
            scales = list(factors)
    if spatial not in (1, 2, 3):
        raise NotImplementedError(
            f"Input Error: Only 3D, 4D and 5D input Tensors supported (got {input.ndim}D) for "
            f"the modes: {_ALL} (got {mode})"
        )
    if mode not in _NEAREST:
        raise NotImplementedError(
            f"interpolate(mode={mode!r}) is not implemented in descend: 'nearest' and "
            "'nearest-exact' are there"
        )
    if min(sizes) <= 0:
        names = "DHW"[3 - spatial :]
        given = ", ".join(f"{a}: {n}" for a, n in zip(names, sides, strict=True))
        made = ", ".join(f"{a}: {n}" for a, n in zip(names, sizes, strict=True))
        joint = " and" if spatial == 1 else ""  # (PyTorch's three messages)
        raise RuntimeError(
            "Input and output sizes should be greater than 0, but got input "
            f"({given}){joint} output ({made})"
        )
    if input.dtype.kind != "f" and input.dtype != np.uint8:
        name = _dtype.torch_name(input.dtype)
        raise NotImplementedError(
            f"\"compute_indices_weights_nearest\" not implemented for '{name}'"
        )
    index = np.arange(input.numel()).reshape(input.shape)
    for k, (out, n) in enumerate(zip(sizes, sides, strict=True)):
        positions = _source_positions(out, n, scales[k], mode == "nearest-exact")
        index = np.take(index, positions, axis=2 + k)
    result, backward = shape_rules.take_positions(input._data, index)
    return Tensor._record(result, (input,), backward, _KINDS[mode, spatial])
