"""What a binary rule's backward reads, as the ``reads=`` of ``Tensor._binary``: given the
promoted operands, the ones whose values the backward reads (PyTorch saves the same, and
refuses at backward one changed in place since), and ``"result"`` when it reads the output.
"""

from __future__ import annotations

from .core import TensorCore

Reads = tuple[TensorCore | str | None, ...]


def reads_nothing(a: TensorCore, b: TensorCore) -> Reads:
    return ()


def reads_both(a: TensorCore, b: TensorCore) -> Reads:
    return (a, b)


def reads_other(a: TensorCore, b: TensorCore) -> Reads:
    """A product's: d/da = g b, d/db = g a."""
    return (b if a._rg else None, a if b._rg else None)


def reads_divisor(a: TensorCore, b: TensorCore) -> Reads:
    """A quotient's: d/da = g / b, d/db = -g a / b**2."""
    return (b, a if b._rg else None)


def reads_for_remainder(a: TensorCore, b: TensorCore) -> Reads:
    """A remainder's: d/da = g, d/db = -g trunc-or-floor(a / b)."""
    return (a, b) if b._rg else ()


def reads_for_hypot(a: TensorCore, b: TensorCore) -> Reads:
    return (a if a._rg else None, b if b._rg else None, "result")


def reads_for_copysign(a: TensorCore, b: TensorCore) -> Reads:
    return (a if a._rg else None, "result")
