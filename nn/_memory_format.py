"""Memory formats, as ``torch.memory_format``: ``nn.preserve_format`` (the default of the
``*_like`` factories and ``clone``), ``nn.contiguous_format``, ``nn.channels_last`` (4-d,
NHWC in memory) and ``nn.channels_last_3d`` (5-d).

A memory format decides the order of the elements in memory (the strides), never their
values; descend's arrays are NumPy's, whose own layouts play the part: ``preserve_format``
keeps the input's, ``contiguous_format`` is row-major, the channels-last ones put the
channel dimension last in memory. NumPy only.
"""

from __future__ import annotations

import numpy as np


class memory_format:
    """A memory format (compare with ``is``: there is one object per format)."""

    __slots__ = ("_name",)

    def __init__(self, name: str) -> None:
        self._name = name

    def __repr__(self) -> str:
        return f"torch.{self._name}"

    def __reduce__(self) -> str:
        return self._name  # (copies and pickles are the module's object)


contiguous_format = memory_format("contiguous_format")
preserve_format = memory_format("preserve_format")
channels_last = memory_format("channels_last")
channels_last_3d = memory_format("channels_last_3d")

_RANK = {channels_last: 4, channels_last_3d: 5}


def checked(format: object, ndim: int) -> memory_format:
    """``format`` (None meaning ``preserve_format``), refused as PyTorch refuses it."""
    if format is None:
        return preserve_format
    if not isinstance(format, memory_format):
        raise TypeError(
            "memory_format must be nn.preserve_format, nn.contiguous_format, nn.channels_last "
            f"or nn.channels_last_3d, got {type(format).__name__}"
        )
    rank = _RANK.get(format)
    if rank is not None and ndim != rank:
        raise RuntimeError(f"required rank {rank} tensor to use {format._name} format")
    return format


def laid_out(array: np.ndarray, format: object) -> np.ndarray:
    """``array``'s values in ``format``'s layout (``array`` itself when it already is)."""
    format = checked(format, array.ndim)
    if format is preserve_format:
        return array
    if format is contiguous_format:
        return np.ascontiguousarray(array)
    last = (0, *range(2, array.ndim), 1)  # channels moved last in memory
    inverse = (0, array.ndim - 1, *range(1, array.ndim - 1))
    laid: np.ndarray = np.ascontiguousarray(array.transpose(last)).transpose(inverse)
    return laid


def preserved_copy(array: np.ndarray) -> np.ndarray:
    """A copy as PyTorch's ``preserve_format`` makes one (``clone``, ``empty_like``): dense,
    its dimensions in memory in the order of ``array``'s strides (a transposed matrix stays
    transposed, an expanded or sliced one becomes dense in that order)."""
    order = memory_order(array.shape, array.strides)
    copy = np.empty(tuple(array.shape[d] for d in order), dtype=array.dtype)
    laid: np.ndarray = copy.transpose(np.argsort(order))
    laid[...] = array
    return laid


def memory_order(shape: tuple[int, ...], strides: tuple[int, ...]) -> list[int]:
    """The dimensions from outermost to innermost, as PyTorch's ``infer_dense_strides``
    orders them: by stride, smaller inside; a stride of 0 (a broadcast dimension) and
    equal strides of equal sizes keep their places (insertion sort from the last)."""

    def after(d0: int, d1: int) -> int:  # 1: d0 goes outside d1, -1: inside, 0: unknown
        s0, s1 = strides[d0], strides[d1]
        if s0 == 0 or s1 == 0:
            return 0
        if s0 != s1:
            return -1 if s0 < s1 else 1
        return 1 if shape[d0] > shape[d1] else 0

    inner_first = list(range(len(shape)))[::-1]
    for i in range(1, len(shape)):
        d1 = i
        for d0 in range(i - 1, -1, -1):
            comparison = after(inner_first[d0], inner_first[d1])
            if comparison > 0:
                inner_first[d0], inner_first[d1] = inner_first[d1], inner_first[d0]
                d1 = d0
            elif comparison < 0:
                break
    return inner_first[::-1]


def is_laid_out(array: np.ndarray, format: object) -> bool:
    """Whether ``array`` is dense in ``format``'s order (``Tensor.is_contiguous``)."""
    format = checked(format, array.ndim)
    if format in (preserve_format, contiguous_format):
        return bool(array.flags.c_contiguous)
    last = (0, *range(2, array.ndim), 1)
    return bool(array.transpose(last).flags.c_contiguous)


__all__ = [
    "channels_last",
    "channels_last_3d",
    "contiguous_format",
    "memory_format",
    "preserve_format",
]
