"""Piecewise and bounded activations, as functions (``nn.F.relu6``, ``hardtanh``,
``hardsigmoid``, ``hardswish``, ``logsigmoid``, ``celu``, ``selu``, ``mish``, ``softsign``)
and layers (``nn.ReLU6``, ``nn.Hardtanh``...), over the rules of ``nn/rules/piecewise.py``.
``inplace=True`` writes the result into the input, with PyTorch's in-place rules."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .._dtype import torch_name
from .._factories import full
from .._graph import node_type
from .._inputs import as_input
from ..parameter import Parameter
from ..rules import piecewise as piecewise_rules
from ..tensor import Tensor
from ..tensor.arithmetic import DivBackward0  # softsign is x / (1 + |x|) in PyTorch
from .activation import EluBackward0  # PyTorch's node for selu, a scaled elu
from .module import Module

HardtanhBackward0 = node_type("HardtanhBackward0")
HardsigmoidBackward0 = node_type("HardsigmoidBackward0")
HardswishBackward0 = node_type("HardswishBackward0")
LogSigmoidBackward0 = node_type("LogSigmoidBackward0")
CeluBackward0 = node_type("CeluBackward0")
MishBackward0 = node_type("MishBackward0")
PreluKernelBackward0 = node_type("PreluKernelBackward0")


def _apply(
    function: Callable[..., Tensor], rule: Any, kind: type, input: Any, inplace: bool, *args: Any
) -> Tensor:
    x = as_input(input)
    if inplace:
        return x._inplace(function, *args)
    out, backward = rule(x._data, *args)
    return Tensor._record(out, (x,), backward, kind, (x,))


def hardtanh(
    input: Any, min_val: float = -1.0, max_val: float = 1.0, inplace: bool = False
) -> Tensor:
    """min(max(x, min_val), max_val); the gradient is 1 strictly between the bounds.

    Examples
    --------
    >>> import nn
    >>> nn.F.hardtanh(nn.tensor([-3.0, 0.5, 3.0]))
    tensor([-1.0000,  0.5000,  1.0000])
    """
    if max_val < min_val:
        raise ValueError("min_val cannot be greater than max_val")
    return _apply(
        hardtanh, piecewise_rules.hardtanh, HardtanhBackward0, input, inplace, min_val, max_val
    )


def relu6(input: Any, inplace: bool = False) -> Tensor:
    """min(max(x, 0), 6), PyTorch's ``hardtanh(x, 0, 6)``.

    Examples
    --------
    >>> import nn
    >>> nn.F.relu6(nn.tensor([-1.0, 3.0, 9.0]))
    tensor([0., 3., 6.])
    """
    return hardtanh(input, 0.0, 6.0, inplace)


def hardsigmoid(input: Any, inplace: bool = False) -> Tensor:
    """0 for x <= -3, 1 for x >= 3, x / 6 + 1/2 between.

    Examples
    --------
    >>> import nn
    >>> nn.F.hardsigmoid(nn.tensor([-4.0, 0.0, 1.5]))
    tensor([0.0000, 0.5000, 0.7500])
    """
    return _apply(hardsigmoid, piecewise_rules.hardsigmoid, HardsigmoidBackward0, input, inplace)


def hardswish(input: Any, inplace: bool = False) -> Tensor:
    """x hardsigmoid(x): 0 for x <= -3, x for x >= 3, x (x + 3) / 6 between.

    Examples
    --------
    >>> import nn
    >>> nn.F.hardswish(nn.tensor([-4.0, 1.0, 4.0]))
    tensor([-0.0000, 0.6667, 4.0000])
    """
    return _apply(hardswish, piecewise_rules.hardswish, HardswishBackward0, input, inplace)


def logsigmoid(input: Any) -> Tensor:
    """log(sigmoid(x)), without overflow for any x.

    Examples
    --------
    >>> import nn
    >>> nn.F.logsigmoid(nn.tensor([-200.0, 0.0]))
    tensor([-200.0000,   -0.6931])
    """
    return _apply(logsigmoid, piecewise_rules.log_sigmoid, LogSigmoidBackward0, input, False)


def celu(input: Any, alpha: float = 1.0, inplace: bool = False) -> Tensor:
    """max(0, x) + min(0, alpha (exp(x / alpha) - 1)).

    Examples
    --------
    >>> import nn
    >>> nn.F.celu(nn.tensor([-1.0, 2.0]), alpha=2.0)
    tensor([-0.7869,  2.0000])
    """
    if alpha == 0:
        raise RuntimeError("ZeroDivisionError")
    return _apply(celu, piecewise_rules.celu, CeluBackward0, input, inplace, alpha)


def selu(input: Any, inplace: bool = False) -> Tensor:
    """scale (max(0, x) + min(0, alpha (exp(x) - 1))), alpha = 1.6733, scale = 1.0507.

    Examples
    --------
    >>> import nn
    >>> nn.F.selu(nn.tensor([-1.0, 1.0]))
    tensor([-1.1113,  1.0507])
    """
    return _apply(selu, piecewise_rules.selu, EluBackward0, input, inplace)


def mish(input: Any, inplace: bool = False) -> Tensor:
    """x tanh(softplus(x)).

    Examples
    --------
    >>> import nn
    >>> nn.F.mish(nn.tensor([-1.0, 0.0, 2.0]))
    tensor([-0.3034,  0.0000,  1.9440])
    """
    return _apply(mish, piecewise_rules.mish, MishBackward0, input, inplace)


def softsign(input: Any) -> Tensor:
    """x / (1 + |x|).

    Examples
    --------
    >>> import nn
    >>> nn.F.softsign(nn.tensor([-3.0, 1.0]))
    tensor([-0.7500,  0.5000])
    """
    return _apply(softsign, piecewise_rules.softsign, DivBackward0, input, False)


class _Activation(Module):
    """A layer that applies ``function`` with its settings (``inplace`` among them)."""

    function: Callable[..., Tensor]

    def __init__(self, inplace: bool = False) -> None:
        super().__init__()
        self.inplace = inplace

    def forward(self, input: Any) -> Tensor:
        return type(self).function(input, inplace=self.inplace)

    def extra_repr(self) -> str:
        return "inplace=True" if self.inplace else ""


class Hardtanh(_Activation):
    """min(max(x, min_val), max_val) elementwise, as ``torch.nn.Hardtanh``."""

    def __init__(self, min_val: float = -1.0, max_val: float = 1.0, inplace: bool = False):
        super().__init__(inplace)
        if max_val < min_val:
            raise ValueError("min_val cannot be greater than max_val")
        self.min_val, self.max_val = min_val, max_val

    def forward(self, input: Any) -> Tensor:
        return hardtanh(input, self.min_val, self.max_val, self.inplace)

    def extra_repr(self) -> str:
        bounds = f"min_val={self.min_val}, max_val={self.max_val}"
        return bounds + (", inplace=True" if self.inplace else "")


class ReLU6(Hardtanh):
    """min(max(x, 0), 6) elementwise, as ``torch.nn.ReLU6``."""

    def __init__(self, inplace: bool = False) -> None:
        super().__init__(0.0, 6.0, inplace)

    def extra_repr(self) -> str:
        return "inplace=True" if self.inplace else ""


class Hardsigmoid(_Activation):
    """0, x / 6 + 1/2 or 1 elementwise, as ``torch.nn.Hardsigmoid``."""

    function = staticmethod(hardsigmoid)


class Hardswish(_Activation):
    """x hardsigmoid(x) elementwise, as ``torch.nn.Hardswish``."""

    function = staticmethod(hardswish)


class SELU(_Activation):
    """The scaled ELU elementwise, as ``torch.nn.SELU``."""

    function = staticmethod(selu)


class Mish(_Activation):
    """x tanh(softplus(x)) elementwise, as ``torch.nn.Mish``."""

    function = staticmethod(mish)


class CELU(_Activation):
    """max(0, x) + min(0, alpha (exp(x / alpha) - 1)) elementwise, as ``torch.nn.CELU``."""

    def __init__(self, alpha: float = 1.0, inplace: bool = False) -> None:
        super().__init__(inplace)
        self.alpha = alpha

    def forward(self, input: Any) -> Tensor:
        return celu(input, self.alpha, self.inplace)

    def extra_repr(self) -> str:
        return f"alpha={self.alpha}" + (", inplace=True" if self.inplace else "")


class LogSigmoid(Module):
    """log(sigmoid(x)) elementwise, as ``torch.nn.LogSigmoid``."""

    def forward(self, input: Any) -> Tensor:
        return logsigmoid(input)


class Softsign(Module):
    """x / (1 + |x|) elementwise, as ``torch.nn.Softsign``."""

    def forward(self, input: Any) -> Tensor:
        return softsign(input)


def prelu(input: Any, weight: Any) -> Tensor:
    """x where x > 0, else weight x, with one weight per channel (dimension 1) or one for all.

    Examples
    --------
    >>> import nn
    >>> nn.F.prelu(nn.tensor([[-2.0, 3.0]]), nn.tensor([0.25]))
    tensor([[-0.5000,  3.0000]])
    """
    x, w = as_input(input), as_input(weight)
    if w.ndim > 1:
        raise RuntimeError(
            f"prelu: Expected `weight` to be a scalar or 1D tensor, but got: ndim = {w.ndim}"
        )
    channels = x.shape[1] if x.ndim >= 2 else 1
    if w.numel() != 1 and x.ndim == 0:
        raise RuntimeError("Not allow zero-dim input tensor.")
    if w.numel() not in (1, channels):
        raise RuntimeError(
            f"Mismatch of parameter numbers and input channel size. Found parameter numbers = "
            f"{w.shape[0]} and channel size = {channels}."
        )
    if w.dtype != x.dtype:
        raise RuntimeError(
            f"prelu: Type promoting not supported. Got {torch_name(x._data.dtype)} and "
            f"{torch_name(w._data.dtype)}"
        )
    if w.numel() == 1:
        w = w.reshape(())  # (one weight for all keeps the input's shape, 0-d included)
    elif x.ndim >= 2:
        w = w.reshape((1, channels) + (1,) * (x.ndim - 2))
    out, backward = piecewise_rules.prelu(x._data, w._data, (x._rg, w._rg))
    return Tensor._record(out, (x, w), backward, PreluKernelBackward0, (x, w))


class PReLU(Module):
    """x where x > 0, else a * x, with a learnt slope ``a`` (one, or one per channel),
    started at ``init``, as ``torch.nn.PReLU``."""

    def __init__(
        self, num_parameters: int = 1, init: float = 0.25, device: Any = None, dtype: Any = None
    ) -> None:
        super().__init__()
        self.num_parameters = num_parameters
        self.init = init
        self.weight = Parameter(full((num_parameters,), init, dtype=dtype, device=device))

    def forward(self, input: Any) -> Tensor:
        return prelu(input, self.weight)

    def extra_repr(self) -> str:
        return f"num_parameters={self.num_parameters}"
