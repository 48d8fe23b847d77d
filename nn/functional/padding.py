"""Padding as a function: ``pad`` with a constant, or by reflection, replication or
wrapping around (``mode``), over ``nn/rules/shape.py``."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..autograd.graph import KEPT, node_type
from ..rules import shape as shape_rules
from ..tensor import Tensor
from ..types import InputLike

ConstantPadNdBackward0 = node_type("ConstantPadNdBackward0")


def pad(
    input: InputLike, pad: Sequence[int], mode: str = "constant", value: float | None = None
) -> Tensor:
    """``input`` padded with ``value`` (0 by default): ``pad`` lists (before, after) amounts
    for the last dimension, then the one before it, and so on; a negative amount crops.
    ``mode`` "reflect", "replicate" or "circular" pads the last 1 to 3 dimensions of a
    (batched) signal, image or volume with its own elements.

    Examples
    --------
    >>> import nn
    >>> nn.F.pad(nn.tensor([[1.0, 2.0]]), (1, 0, 0, 1))
    tensor([[0., 1., 2.],
            [0., 0., 0.]])
    """
    x = input if isinstance(input, Tensor) else Tensor._make(np.asarray(input))
    pads = [int(p) for p in pad]
    if len(pads) % 2:
        raise RuntimeError("Padding length must be divisible by 2")
    if len(pads) // 2 > x.ndim:
        raise RuntimeError(
            "Padding length should be less than or equal to two times the input dimension but "
            f"got padding length {len(pads)} and input of dimension {x.ndim}"
        )
    if mode != "constant":
        return _pad_indexed(x, pads, mode, value)
    out, backward = shape_rules.pad_constant(x._data, pads, 0.0 if value is None else value)
    return Tensor._record(out, (x,), backward, ConstantPadNdBackward0)


_KINDS = {  # (PyTorch's node names, one class each, made once; circular is a constant pad's)
    (mode, spatial): node_type(name.format(spatial)) if name else ConstantPadNdBackward0
    for mode, name in (
        ("reflect", "ReflectionPad{}DBackward0"),
        ("replicate", "ReplicationPad{}DBackward0"),
        ("circular", ""),
    )
    for spatial in (1, 2, 3)
}
_MODES = ("reflect", "replicate", "circular")


def _pad_indexed(x: Tensor, pads: list[int], mode: str, value: float | None) -> Tensor:
    """The non-constant modes, with PyTorch's checks: 1, 2 or 3 last dimensions of a
    batched or unbatched input, reflections shorter than the dimension, one wrap at most."""
    if mode not in _MODES:
        raise NotImplementedError(f"Unrecognised padding mode {mode}")
    if value is not None and value != 0:
        raise RuntimeError(f'Padding mode "{mode}" doesn\'t take in value argument')
    spatial = len(pads) // 2
    if x.ndim not in (spatial + 1, spatial + 2) or spatial not in (1, 2, 3):
        raise NotImplementedError(
            f"Padding size {len(pads)} is not supported for {x.ndim}D input tensor.\n"
            "Supported combinations for non-constant padding:\n"
            "  - 2D or 3D input: padding size = 2 (pads last dimension)\n"
            "  - 3D or 4D input: padding size = 4 (pads last 2 dimensions)\n"
            "  - 4D or 5D input: padding size = 6 (pads last 3 dimensions)"
        )
    if x.dtype.kind == "b" and mode != "circular":
        kernel = "reflection" if mode == "reflect" else "replication"
        raise NotImplementedError(f"\"{kernel}_pad{spatial}d\" not implemented for 'Bool'")
    for k in range(spatial):
        axis = x.ndim - 1 - k
        before, after = pads[2 * k], pads[2 * k + 1]
        size = x.shape[axis]
        if mode == "circular" and size + before + after < 0:
            raise RuntimeError("Negative padding value is resulting in an empty dimension")
        if mode == "circular" and (before > size or after > size):
            raise RuntimeError("Padding value causes wrapping around more than once.")
        if mode == "circular" and min(before, after) < 0 < max(before, after):
            raise NotImplementedError(
                "circular padding that crops one side and pads the other: PyTorch's result "
                "reads memory outside the input there; crop with slicing first"
            )
        if mode == "reflect" and (before >= size or after >= size):
            raise RuntimeError(
                f"Argument #{2 + len(pads)}: Padding size should be less than the "
                f"corresponding input dimension, but got: padding ({before}, {after}) at "
                f"dimension {axis} of input {list(x.shape)}"
            )
    checked = x.shape if x.ndim == spatial + 1 else x.shape[1:]  # (a batch may be empty)
    if mode != "circular" and any(n == 0 for n in checked):
        raise RuntimeError(
            f"Expected {spatial + 1}D or {spatial + 2}D (batch mode) tensor with possibly 0 "
            f"batch size and other non-zero dimensions for input, but got: {list(x.shape)}"
        )
    sides = [x.shape[x.ndim - spatial + k] for k in range(spatial)]
    grown = [
        n + pads[2 * (spatial - 1 - k)] + pads[2 * (spatial - 1 - k) + 1]
        for k, n in enumerate(sides)
    ]
    if mode != "circular" and (all(n < 1 for n in grown) or min(grown) < 0):
        raise RuntimeError(_too_small(mode, sides, grown))
    out, backward = shape_rules.pad_indexed(x._data, pads, mode)
    kind = _KINDS[mode, spatial]
    # (PyTorch's reflection and replication keep x; its circular padding, slices of a copy)
    saved = (x,) if mode != "circular" else (KEPT,)
    return Tensor._record(out, (x,), backward, kind, saved)


def _too_small(mode: str, sides: list[int], grown: list[int]) -> str:
    """PyTorch's message when every padded dimension would come out empty."""
    names = "DHW"[3 - len(sides) :]
    before = {1: "W: {}", 2: "H: {}, W: {}", 3: "D: {} H: {}, W: {}"}[len(sides)]
    if mode == "replicate" and len(sides) == 2:
        before += " "
    after = " ".join(f"{name}: {n}" for name, n in zip(names, grown, strict=True))
    return f"input ({before.format(*sides)}) is too small. Calculated output {after}"
