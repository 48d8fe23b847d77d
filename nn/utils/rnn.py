"""``torch.nn.utils.rnn``: sequences of different lengths padded into one batch
(``pad_sequence``). Packed sequences (``pack_padded_sequence``) are not there: descend's
recurrent layers take padded batches."""

from __future__ import annotations

from collections.abc import Sequence

from .._namespace.core import _operand
from ..tensor import Tensor


def pad_sequence(
    sequences: Tensor | Sequence[Tensor],
    batch_first: bool = False,
    padding_value: float = 0.0,
    padding_side: str = "right",
) -> Tensor:
    """Sequences of shape (L_i, *) stacked into (L_max, B, *) (or (B, L_max, *) with
    ``batch_first``), each followed (``padding_side="right"``) or preceded ("left") by
    ``padding_value``, in the first sequence's dtype; the gradient goes back to each.

    Examples
    --------
    >>> import nn
    >>> from nn.utils.rnn import pad_sequence
    >>> pad_sequence([nn.tensor([1, 2]), nn.tensor([3])], batch_first=True)
    tensor([[1, 2],
            [3, 0]])
    """
    if padding_side not in ("left", "right"):
        raise ValueError(
            f"Expected padding_side to be one of left or right, but got {padding_side}."
        )
    parts = [_operand(s, "pad_sequence", "sequences") for s in sequences]
    if not parts:
        raise RuntimeError("received an empty list of sequences")
    trailing = parts[0].shape[1:]
    for part in parts:
        if part.ndim == 0:
            raise RuntimeError("pad_sequence: each sequence must have at least one dimension")
        for at, (a, b) in enumerate(zip(trailing, part.shape[1:], strict=False)):
            if a != b or len(trailing) != len(part.shape[1:]):
                raise RuntimeError(
                    f"The size of tensor a ({a}) must match the size of tensor b ({b}) at "
                    f"non-singleton dimension {at + 1}"
                )
    longest = max(p.shape[0] for p in parts)
    first = parts[0]
    out = first.new_full((len(parts), longest, *trailing), padding_value)
    for number, part in enumerate(parts):
        length = part.shape[0]
        start = 0 if padding_side == "right" else longest - length
        out[number, start : start + length] = part
    return out if batch_first else out.transpose(0, 1).contiguous()


__all__ = ["pad_sequence"]
