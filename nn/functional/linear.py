"""The affine map as a function: ``linear`` (x W^T + b), over ``nn/rules/layer.py``
(its layer: ``nn.Linear`` in ``nn/modules/layers.py``)."""

from __future__ import annotations

import numpy as np

from .._args.inputs import as_input
from .._errors import ShapeError
from ..autograd.graph import node_type
from ..rules import layer as layer_rules
from ..tensor import Tensor
from ..tensor.linalg import MmBackward0  # (linear without a bias, as PyTorch names it)
from ..types import InputLike
from .activation import ReluBackward0

AddmmBackward0 = node_type("AddmmBackward0")


def linear(input: InputLike, weight: Tensor, bias: Tensor | None = None) -> Tensor:
    """y = x W^T + b, as one autograd node (course: Z = W A + b with examples in columns).

    Backward, with G = dL/dy and X, G flattened to rows:
        dL/dX = G W      dL/dW = G^T X      dL/db = sum of G's rows

    Examples
    --------
    >>> import numpy as np, nn
    >>> w = nn.Parameter(np.ones((3, 2))); b = nn.Parameter(np.zeros(3))
    >>> nn.functional.linear(np.array([[1.0, 2.0]]), w, b)
    tensor([[3., 3., 3.]], dtype=float64, grad_fn=<AddmmBackward0>)
    """
    return _linear(input, weight, bias, relu=False)


def _linear(input: InputLike, weight: Tensor, bias: Tensor | None, relu: bool) -> Tensor:
    """``linear``, followed by ReLU in the same node when ``relu`` (``Sequential`` fuses a
    ``Linear`` and the ``ReLU`` after it, saving a node)."""
    x = as_input(input, weight._data.dtype)
    W = weight._data
    out_features, in_features = W.shape
    shape = x._data.shape
    if not shape or shape[-1] != in_features:
        course = len(shape) == 2 and shape[0] == in_features  # (features, examples)
        raise ShapeError(
            f"mat1 and mat2 shapes cannot be multiplied ({_rows(shape)} and "
            f"{in_features}x{out_features}): Linear({in_features}, {out_features}) expects "
            f"input with last dimension {in_features}, got shape {shape}"
            + (
                f". Examples go in rows here: data in the course's layout (features x "
                f"examples, {shape}) is X.T"
                if course
                else ""
            )
        )
    x_rg, w_rg = x._rg, weight._rg
    if bias is None:
        out, backward = layer_rules.linear(x._data, W, None, relu, x_rg, w_rg)
        inputs: tuple[Tensor, ...] = (x, weight)
    else:
        out, backward = layer_rules.linear(x._data, W, bias._data, relu, x_rg, w_rg, bias._rg)
        inputs = (x, weight, bias)
    kind = ReluBackward0 if relu else AddmmBackward0 if bias is not None else MmBackward0
    saved = (weight if x_rg else None, x if w_rg else None)
    return Tensor._record(out, inputs, backward, kind, saved, result=relu)


def _rows(shape: tuple[int, ...]) -> str:
    if len(shape) <= 1:
        return f"1x{shape[0] if shape else 1}"
    return f"{int(np.prod(shape[:-1]))}x{shape[-1]}"
