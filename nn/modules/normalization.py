"""Layer normalisation, as ``torch.nn.LayerNorm`` and ``torch.nn.functional.layer_norm``:
each sample normalised over its last dimensions (no batch statistics, the same in training
and evaluation), over the rule of ``nn/rules/layer.py``."""

from __future__ import annotations

from typing import Any

import numpy as np

from .._dtype import get_default_dtype
from .._errors import ShapeError
from .._graph import node_type
from .._inputs import as_input
from ..device import check_device
from ..parameter import Parameter
from ..rules import layer as LR
from ..tensor import Tensor
from .module import Module

NativeLayerNormBackward0 = node_type("NativeLayerNormBackward0")


def _shape(normalized_shape: Any) -> tuple[int, ...]:
    shape = (normalized_shape,) if isinstance(normalized_shape, int) else tuple(normalized_shape)
    if not shape or not all(isinstance(n, int) and n > 0 for n in shape):
        raise ValueError(
            f"normalized_shape must be a positive int or a non-empty sequence of them, got "
            f"{normalized_shape!r}"
        )
    return shape


def layer_norm(
    input: Any,
    normalized_shape: Any,
    weight: Tensor | None = None,
    bias: Tensor | None = None,
    eps: float = 1e-5,
) -> Tensor:
    """(x - mean) / sqrt(var + eps) * weight + bias, mean and (biased) variance over the
    last ``len(normalized_shape)`` dimensions of each sample.

    Examples
    --------
    >>> import nn
    >>> nn.F.layer_norm(nn.tensor([[1.0, 3.0], [2.0, 2.0]]), (2,))
    tensor([[-1.0000,  1.0000],
            [ 0.0000,  0.0000]])
    """
    shape = _shape(normalized_shape)
    x = as_input(input, weight.dtype if weight is not None else None)
    if x._data.shape[x.ndim - len(shape) :] != shape or x.ndim < len(shape):
        raise ShapeError(
            f"Given normalized_shape={list(shape)}, expected input with shape "
            f"[*, {', '.join(map(str, shape))}], but got input of size {x.shape}"
        )
    for name, param in (("weight", weight), ("bias", bias)):
        if param is not None and param.shape != shape:
            raise ShapeError(f"layer_norm: {name} of shape {param.shape}, expected {shape}")
    inputs = [x] + [t for t in (weight, bias) if t is not None]
    out, backward = LR.layer_norm(
        x._data,
        len(shape),
        None if weight is None else weight._data,
        None if bias is None else bias._data,
        eps,
    )
    saved = (x, weight, bias)  # (PyTorch saves all three)
    return Tensor._record(out, inputs, backward, NativeLayerNormBackward0, saved)


class LayerNorm(Module):
    """Normalises each sample over its last dimensions (``normalized_shape``), then scales and
    shifts by learned ``weight`` (ones) and ``bias`` (zeros), as ``torch.nn.LayerNorm``.

    Examples
    --------
    >>> import nn
    >>> norm = nn.LayerNorm(3)
    >>> norm(nn.tensor([[1.0, 2.0, 3.0]])).detach().round(decimals=4)
    tensor([[-1.2247,  0.0000,  1.2247]])
    """

    def __init__(
        self,
        normalized_shape: Any,
        eps: float = 1e-5,
        elementwise_affine: bool = True,
        bias: bool = True,
        device: Any = None,
        dtype: Any = None,
    ) -> None:
        super().__init__()
        check_device(device)
        self.normalized_shape = _shape(normalized_shape)
        self.eps = eps
        self.elementwise_affine = elementwise_affine
        kind = np.dtype(dtype) if dtype is not None else get_default_dtype()
        self.weight = (
            Parameter(np.ones(self.normalized_shape, dtype=kind)) if elementwise_affine else None
        )
        self.bias = (
            Parameter(np.zeros(self.normalized_shape, dtype=kind))
            if elementwise_affine and bias
            else None
        )

    def forward(self, input: Any) -> Tensor:
        return layer_norm(input, self.normalized_shape, self.weight, self.bias, self.eps)

    def extra_repr(self) -> str:
        return (
            f"{self.normalized_shape}, eps={self.eps}, "
            f"elementwise_affine={self.elementwise_affine}, bias={self.bias is not None}"
        )
