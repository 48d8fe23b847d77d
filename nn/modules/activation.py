"""Smooth activations, as functions (``nn.F.softplus``, ``elu``, ``gelu``, ``silu``) and
layers (``nn.Softplus``, ``nn.ELU``, ``nn.GELU``, ``nn.SiLU``), over the rules of
``nn/rules/activation.py``."""

from __future__ import annotations

from ..functional.activation import elu, gelu, silu, softplus
from ..tensor import Tensor
from ..types import InputLike
from .module import Module


class Softplus(Module):
    """log(1 + exp(beta x)) / beta elementwise, as ``torch.nn.Softplus``."""

    def __init__(self, beta: float = 1.0, threshold: float = 20.0) -> None:
        super().__init__()
        self.beta, self.threshold = beta, threshold

    def forward(self, input: InputLike) -> Tensor:
        return softplus(input, self.beta, self.threshold)

    def extra_repr(self) -> str:
        return f"beta={self.beta}, threshold={self.threshold}"


class ELU(Module):
    """x if x > 0 else alpha (exp(x) - 1) elementwise, as ``torch.nn.ELU``."""

    def __init__(self, alpha: float = 1.0, inplace: bool = False) -> None:
        super().__init__()
        self.alpha, self.inplace = alpha, inplace

    def forward(self, input: InputLike) -> Tensor:
        return elu(input, self.alpha, self.inplace)

    def extra_repr(self) -> str:
        return f"alpha={self.alpha}" + (", inplace=True" if self.inplace else "")


class GELU(Module):
    """x Phi(x) elementwise, as ``torch.nn.GELU``."""

    def __init__(self, approximate: str = "none") -> None:
        super().__init__()
        self.approximate = approximate

    def forward(self, input: InputLike) -> Tensor:
        return gelu(input, self.approximate)

    def extra_repr(self) -> str:
        return f"approximate={self.approximate!r}"


class SiLU(Module):
    """x sigmoid(x) elementwise, as ``torch.nn.SiLU``."""

    def __init__(self, inplace: bool = False) -> None:
        super().__init__()
        self.inplace = inplace

    def forward(self, input: InputLike) -> Tensor:
        return silu(input, self.inplace)

    def extra_repr(self) -> str:
        return "inplace=True" if self.inplace else ""
