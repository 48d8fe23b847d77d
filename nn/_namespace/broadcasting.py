"""``torch.<name>`` for shapes made to agree: ``broadcast_shapes``, ``broadcast_tensors``
(views, as ``expand``), ``atleast_1d``/``2d``/``3d`` (views with dimensions of 1 added)."""

from __future__ import annotations

from collections.abc import Sequence

from .._args.dims import Size
from ..tensor import Tensor
from .core import _operand


def broadcast_shapes(*shapes: int | Sequence[int]) -> tuple[int, ...]:
    """The shape that Tensors of all ``shapes`` broadcast to (an int is a 1-D shape),
    without making any Tensor."""
    result: list[int] = []
    for number, given in enumerate(shapes):
        shape = (given,) if isinstance(given, int) else tuple(given)
        if any(isinstance(n, int) and n < 0 for n in shape):
            raise ValueError("Attempting to broadcast a dimension with negative length!")
        result = [1] * (len(shape) - len(result)) + result
        for back, n in enumerate(reversed(shape), start=1):
            if not isinstance(n, int) or (n != result[-back] and 1 not in (n, result[-back])):
                raise RuntimeError(
                    f"Attempting to broadcast a dimension of length {n} at {-back}! Mismatching "
                    f"argument at index {number} had {given}; but expected shape should be "
                    f"broadcastable to {result}"
                )
            result[-back] = n if result[-back] == 1 else result[-back]
    return Size(result)


def broadcast_tensors(*tensors: Tensor) -> tuple[Tensor, ...]:
    """Each Tensor expanded (a view) to the shape they broadcast to together."""
    operands = [_operand(t, "broadcast_tensors", "tensors") for t in tensors]
    shape: tuple[int, ...] = ()
    for t in operands:
        width = max(len(shape), t.dim())
        padded = (1,) * (width - len(shape)) + tuple(shape)
        own = (1,) * (width - t.dim()) + tuple(t.shape)
        for at, (a, b) in enumerate(zip(padded, own, strict=True)):
            if a != b and 1 not in (a, b):
                raise RuntimeError(
                    f"The size of tensor a ({a}) must match the size of tensor b ({b}) at "
                    f"non-singleton dimension {at}"
                )
        shape = tuple(b if a == 1 else a for a, b in zip(padded, own, strict=True))
    return tuple(t.expand(shape) for t in operands)


def _atleast(tensors: tuple[object, ...], rank: int, name: str) -> Tensor | tuple[Tensor, ...]:
    """Each Tensor with at least ``rank`` dimensions: one Tensor for one argument, else a
    tuple (one list or tuple argument gives a tuple)."""
    first = tensors[0] if len(tensors) == 1 else None
    listed = isinstance(first, list | tuple)
    operands = [_operand(t, name) for t in (first if isinstance(first, list | tuple) else tensors)]
    raised = tuple(_raised(t, rank) for t in operands)
    return raised[0] if len(raised) == 1 and not listed else raised


def _raised(t: Tensor, rank: int) -> Tensor:
    """1-D (n,) as (1, n) or (1, n, 1); 2-D (m, n) as (m, n, 1); 0-d as all 1s."""
    if t.dim() >= rank:
        return t
    if t.dim() == 0:
        return t.reshape((1,) * rank)
    if t.dim() == 1:
        t = t.unsqueeze(0)
    return t.unsqueeze(-1) if rank == 3 else t


def atleast_1d(*tensors: object) -> Tensor | tuple[Tensor, ...]:
    """A 0-d Tensor as 1-D; others as they are."""
    return _atleast(tensors, 1, "atleast_1d")


def atleast_2d(*tensors: object) -> Tensor | tuple[Tensor, ...]:
    """0-d and 1-D Tensors as 2-D: (n,) becomes (1, n)."""
    return _atleast(tensors, 2, "atleast_2d")


def atleast_3d(*tensors: object) -> Tensor | tuple[Tensor, ...]:
    """Tensors of fewer dimensions as 3-D: (n,) becomes (1, n, 1), (m, n) becomes (m, n, 1)."""
    return _atleast(tensors, 3, "atleast_3d")


__all__ = sorted(
    ["atleast_1d", "atleast_2d", "atleast_3d", "broadcast_shapes", "broadcast_tensors"]
)
