"""Dropout as a function: ``dropout`` (each element zeroed with probability p, the rest
scaled by 1 / (1 - p), in training), over ``nn/rules/layer.py`` (the layer:
``nn.Dropout``)."""

from __future__ import annotations

import numpy as np

from .._args.inputs import as_input
from ..autograd.graph import KEPT, node_type
from ..random import draw_bernoulli
from ..rules import layer as layer_rules
from ..tensor import Tensor
from ..types import GeneratorLike, InputLike

MulBackward0 = node_type("MulBackward0")  # (PyTorch's CPU dropout multiplies by a mask)


def dropout(
    input: InputLike,
    p: float = 0.5,
    training: bool = True,
    inplace: bool = False,
    generator: GeneratorLike | None = None,
) -> Tensor:
    """Zero each element with probability p and scale the rest by 1 / (1 - p) (inverted dropout).

    The course's ``D = rand < keep_prob; A = A * D / keep_prob`` with keep_prob = 1 - p.

    Examples
    --------
    >>> import numpy as np, nn
    >>> nn.F.dropout(np.ones(4), p=0.5, training=False)
    tensor([1., 1., 1., 1.], dtype=float64)
    """
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
    x = as_input(input)
    if not training or p == 0.0:
        return x
    # PyTorch's CPU dropout: a mask of bernoulli(1 - p) draws (none when p is 1), divided by
    # 1 - p, times the input
    keep = draw_bernoulli(generator, 1.0 - p, x.shape, np.bool_) if p < 1.0 else None
    out, backward = layer_rules.dropout(x._data, keep, p)
    if inplace:  # (the mask is saved)
        return x._inplace(lambda s: Tensor._record(out, (s,), backward, MulBackward0, (KEPT,)))
    return Tensor._record(out, (x,), backward, MulBackward0, (KEPT,))
