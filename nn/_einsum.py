"""``nn.einsum``, as ``torch.einsum``: operands as arguments or as one list; one dtype."""

from __future__ import annotations

from typing import Any

from ._graph import node_type
from ._inputs import as_input
from .rules import einsum as R
from .tensor import Tensor

EinsumBackward0 = node_type("EinsumBackward0")  # (PyTorch's graph shows the bmm it uses)


def einsum(equation: str, *operands: Any) -> Tensor:
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
    inputs, output = R.parse(equation, [t.ndim for t in tensors])
    out, backward = R.einsum(inputs, output, [t._data for t in tensors], [t._rg for t in tensors])
    return Tensor._record(out, tensors, backward, EinsumBackward0, tensors)
