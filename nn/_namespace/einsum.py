"""``nn.einsum``, as ``torch.einsum``: operands as arguments or as one list; one dtype."""

from __future__ import annotations

from .._args.inputs import as_input
from ..autograd.graph import KEPT, node_type
from ..rules import einsum as einsum_rules
from ..tensor import Tensor

EinsumBackward0 = node_type("EinsumBackward0")  # (PyTorch's graph shows the bmm it uses)


def einsum(equation: str, *operands: object) -> Tensor:
    """Sums of products of the operands' elements, by Einstein's subscripts: each letter
    names a dimension; letters missing from the output (after ``->``) are summed over.

    Examples
    --------
    >>> import nn
    >>> a, b = nn.ones(2, 3), nn.ones(3, 4)
    >>> nn.einsum("ij,jk->ik", a, b).shape, nn.einsum("ij->", a).item()
    ((2, 4), 6.0)
    """
    if len(operands) == 1 and isinstance(operands[0], list | tuple):
        operands = tuple(operands[0])
    tensors = [as_input(o) for o in operands]
    dtypes = {t.dtype for t in tensors}
    if len(dtypes) > 1:
        names = " and ".join(sorted(str(d) for d in dtypes))
        raise RuntimeError(f"einsum(): expected operands of one dtype, got {names}")
    inputs, output, ellipsis = einsum_rules.parse(equation, [t.ndim for t in tensors])
    if len(tensors) == 1 and sorted(output) == sorted(inputs[0]):  # a permutation: a view
        return tensors[0].permute(tuple(inputs[0].index(c) for c in output))
    arrays = [t._data for t in tensors]
    kept = einsum_rules.broadcast(inputs, [a.shape for a in arrays], ellipsis)
    out, backward = einsum_rules.einsum(inputs, kept, output, arrays, [t._rg for t in tensors])
    return Tensor._record(
        out, tensors, backward, EinsumBackward0, _saved(tensors, inputs, kept, output)
    )


def _saved(
    tensors: list[Tensor], inputs: list[str], kept: list[str], output: str
) -> list[Tensor | None]:
    """The operands whose values another operand's gradient reads as they were: not one
    with letters of its own longer than 1 (its sum is kept instead: ``KEPT``), nor one no
    other operand's gradient needs. ``kept``: the subscripts left after broadcasting."""
    saved: list[Tensor | None] = []
    for number, t in enumerate(tensors):
        read = any(o._rg for j, o in enumerate(tensors) if j != number)
        sizes = dict(zip(inputs[number], t.shape, strict=True))
        own = einsum_rules.own_sums(number, kept, output)
        whole = all(sizes[c] == 1 for c in kept[number] if c not in own)
        saved.append((t if whole else KEPT) if read else None)
    return saved
