"""FAMILY_DOC_activation"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .._args.inputs import as_input
from .._dtype import torch_name
from ..autograd.graph import node_type
from ..rules import activation as activation_rules
from ..rules import elementwise as elementwise_rules
from ..rules import piecewise as piecewise_rules
from ..tensor import Tensor
from ..tensor.arithmetic import DivBackward0  # softsign is x / (1 + |x|) in PyTorch
from ..types import DTypeLike, InputLike

ReluBackward0 = node_type("ReluBackward0")


LeakyReluBackward0 = node_type("LeakyReluBackward0")


def relu(input: InputLike, inplace: bool = False) -> Tensor:
    """max(0, x), elementwise.

    Examples
    --------
    >>> import nn
    >>> nn.F.relu([-1.0, 3.0])
    tensor([0., 3.])
    """
    x = input if type(input) is Tensor and input._data.dtype.kind == "f" else as_input(input)
    return x.relu_() if inplace else x.relu()


def leaky_relu(input: InputLike, negative_slope: float = 0.01, inplace: bool = False) -> Tensor:
    """x if x > 0 else negative_slope * x.

    Examples
    --------
    >>> import nn
    >>> nn.F.leaky_relu([-10.0, 3.0], 0.1)
    tensor([-1.,  3.])
    """
    x = as_input(input)
    if inplace:
        return x._inplace(leaky_relu, negative_slope)
    out, backward = elementwise_rules.leaky_relu(x._data, negative_slope)
    return Tensor._record(out, (x,), backward, LeakyReluBackward0, (x,))


def sigmoid(input: InputLike) -> Tensor:
    """1 / (1 + exp(-x)), overflow-free.

    Examples
    --------
    >>> import nn
    >>> nn.F.sigmoid([-1e4, 0.0, 1e4])
    tensor([0.0000, 0.5000, 1.0000])
    """
    return as_input(input).sigmoid()


def tanh(input: InputLike) -> Tensor:
    """tanh(x).

    Examples
    --------
    >>> import nn
    >>> nn.F.tanh([0.0])
    tensor([0.])
    """
    return as_input(input).tanh()


def softmax(input: InputLike, dim: int | None = None, dtype: DTypeLike | None = None) -> Tensor:
    """exp(x_i) / sum_j exp(x_j) along ``dim`` (PyTorch's legacy choice when left out).

    Examples
    --------
    >>> import nn
    >>> nn.F.softmax([[1.0, 1.0, 1.0, 1.0]], dim=1)
    tensor([[0.2500, 0.2500, 0.2500, 0.2500]])
    """
    x = _as_given(input)
    return x.softmax(_softmax_dim(x.ndim) if dim is None else dim, dtype)


def log_softmax(input: InputLike, dim: int | None = None, dtype: DTypeLike | None = None) -> Tensor:
    """log(softmax(x)) along ``dim``, computed stably.

    Examples
    --------
    >>> import nn
    >>> nn.F.log_softmax([[0.0, 0.0]], dim=1).exp()
    tensor([[0.5000, 0.5000]])
    """
    x = _as_given(input)
    return x.log_softmax(_softmax_dim(x.ndim) if dim is None else dim, dtype)


def softmin(input: InputLike, dim: int | None = None, dtype: DTypeLike | None = None) -> Tensor:
    """exp(-x_i) / sum_j exp(-x_j) along ``dim``: the softmax of -x.

    Examples
    --------
    >>> import nn
    >>> nn.F.softmin([1.0, 1.0], dim=0)
    tensor([0.5000, 0.5000])
    """
    x = _as_given(input)
    return (-x).softmax(_softmax_dim(x.ndim) if dim is None else dim, dtype)


def _as_given(input: InputLike) -> Tensor:
    """A Tensor as it is (an integer one is refused by the op, as PyTorch refuses it);
    anything else as a Tensor of the default float dtype."""
    return input if isinstance(input, Tensor) else as_input(input)


def _softmax_dim(ndim: int) -> int:
    return 0 if ndim in (0, 1, 3) else 1


SoftplusBackward0 = node_type("SoftplusBackward0")


EluBackward0 = node_type("EluBackward0")


GeluBackward0 = node_type("GeluBackward0")


SiluBackward0 = node_type("SiluBackward0")


def softplus(input: InputLike, beta: float = 1.0, threshold: float = 20.0) -> Tensor:
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


def elu(input: InputLike, alpha: float = 1.0, inplace: bool = False) -> Tensor:
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


def gelu(input: InputLike, approximate: str = "none") -> Tensor:
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


def silu(input: InputLike, inplace: bool = False) -> Tensor:
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


HardtanhBackward0 = node_type("HardtanhBackward0")


HardsigmoidBackward0 = node_type("HardsigmoidBackward0")


HardswishBackward0 = node_type("HardswishBackward0")


LogSigmoidBackward0 = node_type("LogSigmoidBackward0")


CeluBackward0 = node_type("CeluBackward0")


MishBackward0 = node_type("MishBackward0")


PreluKernelBackward0 = node_type("PreluKernelBackward0")


def _apply(
    function: Callable[..., Tensor],
    rule: Any,
    kind: type,
    input: InputLike,
    inplace: bool,
    *args: Any,
) -> Tensor:
    x = as_input(input)
    if inplace:
        return x._inplace(function, *args)
    out, backward = rule(x._data, *args)
    return Tensor._record(out, (x,), backward, kind, (x,))


def hardtanh(
    input: InputLike, min_val: float = -1.0, max_val: float = 1.0, inplace: bool = False
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


def relu6(input: InputLike, inplace: bool = False) -> Tensor:
    """min(max(x, 0), 6), PyTorch's ``hardtanh(x, 0, 6)``.

    Examples
    --------
    >>> import nn
    >>> nn.F.relu6(nn.tensor([-1.0, 3.0, 9.0]))
    tensor([0., 3., 6.])
    """
    return hardtanh(input, 0.0, 6.0, inplace)


def hardsigmoid(input: InputLike, inplace: bool = False) -> Tensor:
    """0 for x <= -3, 1 for x >= 3, x / 6 + 1/2 between.

    Examples
    --------
    >>> import nn
    >>> nn.F.hardsigmoid(nn.tensor([-4.0, 0.0, 1.5]))
    tensor([0.0000, 0.5000, 0.7500])
    """
    return _apply(hardsigmoid, piecewise_rules.hardsigmoid, HardsigmoidBackward0, input, inplace)


def hardswish(input: InputLike, inplace: bool = False) -> Tensor:
    """x hardsigmoid(x): 0 for x <= -3, x for x >= 3, x (x + 3) / 6 between.

    Examples
    --------
    >>> import nn
    >>> nn.F.hardswish(nn.tensor([-4.0, 1.0, 4.0]))
    tensor([-0.0000, 0.6667, 4.0000])
    """
    return _apply(hardswish, piecewise_rules.hardswish, HardswishBackward0, input, inplace)


def logsigmoid(input: InputLike) -> Tensor:
    """log(sigmoid(x)), without overflow for any x.

    Examples
    --------
    >>> import nn
    >>> nn.F.logsigmoid(nn.tensor([-200.0, 0.0]))
    tensor([-200.0000,   -0.6931])
    """
    return _apply(logsigmoid, piecewise_rules.log_sigmoid, LogSigmoidBackward0, input, False)


def celu(input: InputLike, alpha: float = 1.0, inplace: bool = False) -> Tensor:
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


def selu(input: InputLike, inplace: bool = False) -> Tensor:
    """scale (max(0, x) + min(0, alpha (exp(x) - 1))), alpha = 1.6733, scale = 1.0507.

    Examples
    --------
    >>> import nn
    >>> nn.F.selu(nn.tensor([-1.0, 1.0]))
    tensor([-1.1113,  1.0507])
    """
    return _apply(selu, piecewise_rules.selu, EluBackward0, input, inplace)


def mish(input: InputLike, inplace: bool = False) -> Tensor:
    """x tanh(softplus(x)).

    Examples
    --------
    >>> import nn
    >>> nn.F.mish(nn.tensor([-1.0, 0.0, 2.0]))
    tensor([-0.3034,  0.0000,  1.9440])
    """
    return _apply(mish, piecewise_rules.mish, MishBackward0, input, inplace)


def softsign(input: InputLike) -> Tensor:
    """x / (1 + |x|).

    Examples
    --------
    >>> import nn
    >>> nn.F.softsign(nn.tensor([-3.0, 1.0]))
    tensor([-0.7500,  0.5000])
    """
    return _apply(softsign, piecewise_rules.softsign, DivBackward0, input, False)


def prelu(input: InputLike, weight: Any) -> Tensor:
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
