"""Smooth activations, as functions (``nn.F.softplus``, ``elu``, ``gelu``, ``silu``) and
layers (``nn.Softplus``, ``nn.ELU``, ``nn.GELU``, ``nn.SiLU``), over the rules of
``nn/rules/activation.py``."""

from __future__ import annotations

from typing import Any

from .._graph import node_type
from .._inputs import as_input
from ..rules import activation as activation_rules
from ..tensor import Tensor
from .module import Module

SoftplusBackward0 = node_type("SoftplusBackward0")
EluBackward0 = node_type("EluBackward0")
GeluBackward0 = node_type("GeluBackward0")
SiluBackward0 = node_type("SiluBackward0")


def softplus(input: Any, beta: float = 1.0, threshold: float = 20.0) -> Tensor:
    """log(1 + exp(beta x)) / beta, a smooth ReLU; x itself where beta x > threshold.

    Examples
    --------
    >>> import nn
    >>> nn.F.softplus(nn.tensor([0.0, 30.0]))
    tensor([ 0.6931, 30.0000])
    """
    x = as_input(input)
    out, backward = activation_rules.softplus(x._data, beta, threshold)
    return Tensor._record(out, (x,), backward, SoftplusBackward0, (x,))


def elu(input: Any, alpha: float = 1.0, inplace: bool = False) -> Tensor:
    """x where x > 0, else alpha (exp(x) - 1).

    Examples
    --------
    >>> import nn
    >>> nn.F.elu(nn.tensor([-1.0, 2.0]))
    tensor([-0.6321,  2.0000])
    """
    x = as_input(input)
    if inplace:
        return x._inplace(elu, alpha)
    out, backward = activation_rules.elu(x._data, alpha)
    return Tensor._record(out, (x,), backward, EluBackward0, (x,))


def gelu(input: Any, approximate: str = "none") -> Tensor:
    """x Phi(x), Phi the standard normal CDF (``approximate="tanh"``: its tanh form).

    Examples
    --------
    >>> import nn
    >>> nn.F.gelu(nn.tensor([-1.0, 0.0, 1.0]))
    tensor([-0.1587,  0.0000,  0.8413])
    """
    if approximate not in ("none", "tanh"):
        raise RuntimeError(f"approximate argument must be either none or tanh, got {approximate}")
    x = as_input(input)
    rule = activation_rules.gelu if approximate == "none" else activation_rules.gelu_tanh
    out, backward = rule(x._data)
    return Tensor._record(out, (x,), backward, GeluBackward0, (x,))


def silu(input: Any, inplace: bool = False) -> Tensor:
    """x sigmoid(x) (the swish).

    Examples
    --------
    >>> import nn
    >>> nn.F.silu(nn.tensor([-1.0, 0.0, 2.0]))
    tensor([-0.2689,  0.0000,  1.7616])
    """
    x = as_input(input)
    if inplace:
        return x._inplace(silu)
    out, backward = activation_rules.silu(x._data)
    return Tensor._record(out, (x,), backward, SiluBackward0, (x,))


class Softplus(Module):
    """log(1 + exp(beta x)) / beta elementwise, as ``torch.nn.Softplus``."""

    def __init__(self, beta: float = 1.0, threshold: float = 20.0) -> None:
        super().__init__()
        self.beta, self.threshold = beta, threshold

    def forward(self, input: Any) -> Tensor:
        return softplus(input, self.beta, self.threshold)

    def extra_repr(self) -> str:
        return f"beta={self.beta}, threshold={self.threshold}"


class ELU(Module):
    """x if x > 0 else alpha (exp(x) - 1) elementwise, as ``torch.nn.ELU``."""

    def __init__(self, alpha: float = 1.0, inplace: bool = False) -> None:
        super().__init__()
        self.alpha, self.inplace = alpha, inplace

    def forward(self, input: Any) -> Tensor:
        return elu(input, self.alpha, self.inplace)

    def extra_repr(self) -> str:
        return f"alpha={self.alpha}" + (", inplace=True" if self.inplace else "")


class GELU(Module):
    """x Phi(x) elementwise, as ``torch.nn.GELU``."""

    def __init__(self, approximate: str = "none") -> None:
        super().__init__()
        self.approximate = approximate

    def forward(self, input: Any) -> Tensor:
        return gelu(input, self.approximate)

    def extra_repr(self) -> str:
        return f"approximate={self.approximate!r}"


class SiLU(Module):
    """x sigmoid(x) elementwise, as ``torch.nn.SiLU``."""

    def __init__(self, inplace: bool = False) -> None:
        super().__init__()
        self.inplace = inplace

    def forward(self, input: Any) -> Tensor:
        return silu(input, self.inplace)

    def extra_repr(self) -> str:
        return "inplace=True" if self.inplace else ""
