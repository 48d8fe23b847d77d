"""Padding as a function: ``pad`` with a constant (``mode="constant"``; other modes raise
``NotImplementedError``), over ``nn/rules/shape.py``."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..autograd.graph import node_type
from ..rules import shape as shape_rules
from ..tensor import Tensor
from ..types import InputLike

ConstantPadNdBackward0 = node_type("ConstantPadNdBackward0")


def pad(
    input: InputLike, pad: Sequence[int], mode: str = "constant", value: float | None = None
) -> Tensor:
    """``input`` padded with ``value`` (0 by default): ``pad`` lists (before, after) amounts
    for the last dimension, then the one before it, and so on; a negative amount crops.
    Only ``mode="constant"``.

    Examples
    --------
    >>> import nn
    >>> nn.F.pad(nn.tensor([[1.0, 2.0]]), (1, 0, 0, 1))
    tensor([[0., 1., 2.],
            [0., 0., 0.]])
    """
    if mode != "constant":
        raise NotImplementedError(
            f"pad mode {mode!r} is not implemented in descend (only 'constant')"
        )
    x = input if isinstance(input, Tensor) else Tensor._make(np.asarray(input))
    pads = [int(p) for p in pad]
    if len(pads) % 2:
        raise RuntimeError("Padding length must be divisible by 2")
    if len(pads) // 2 > x.ndim:
        raise RuntimeError(
            "Padding length should be less than or equal to two times the input dimension but "
            f"got padding length {len(pads)} and input of dimension {x.ndim}"
        )
    out, backward = shape_rules.pad_constant(x._data, pads, 0.0 if value is None else value)
    return Tensor._record(out, (x,), backward, ConstantPadNdBackward0)
