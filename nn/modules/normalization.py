"""Layer normalisation, as ``torch.nn.LayerNorm`` and ``torch.nn.functional.layer_norm``:
each sample normalised over its last dimensions (no batch statistics, the same in training
and evaluation), over the rule of ``nn/rules/layer.py``."""

from __future__ import annotations

from typing import Any

import numpy as np

from .._dtype import get_default_dtype
from ..device import check_device
from ..functional.normalization import _shape, layer_norm
from ..parameter import Parameter
from ..tensor import Tensor
from ..types import DeviceLike, DTypeLike, InputLike
from .module import Module


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
        device: DeviceLike | None = None,
        dtype: DTypeLike | None = None,
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

    def forward(self, input: InputLike) -> Tensor:
        return layer_norm(input, self.normalized_shape, self.weight, self.bias, self.eps)

    def extra_repr(self) -> str:
        return (
            f"{self.normalized_shape}, eps={self.eps}, "
            f"elementwise_affine={self.elementwise_affine}, bias={self.bias is not None}"
        )
