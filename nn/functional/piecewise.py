"""Piecewise and bounded activations as functions: ``relu6``, ``hardtanh``,
``hardsigmoid``, ``hardswish``, ``logsigmoid``, ``celu``, ``selu``, ``mish``, ``softsign``,
``prelu``, ``hardshrink``, ``softshrink``, ``tanhshrink``, ``threshold``, ``glu`` and the
in-place forms ``hardtanh_``, ``selu_``, ``celu_``, ``threshold_``, over the rules of
``nn/rules/piecewise.py`` (their layers: ``nn/modules/piecewise.py``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from .._args.inputs import as_input
from .._dtype import checked_scalar, torch_name
from ..autograd.graph import node_type
from ..random import draw_slopes
from ..rules import piecewise as piecewise_rules
from ..tensor import Tensor
from ..tensor.arithmetic import DivBackward0  # softsign is x / (1 + |x|) in PyTorch
from ..types import InputLike
from .activation import EluBackward0, _as_given, _in_place, _saving_result

HardtanhBackward0 = node_type("HardtanhBackward0")


HardsigmoidBackward0 = node_type("HardsigmoidBackward0")


HardswishBackward0 = node_type("HardswishBackward0")


LogSigmoidBackward0 = node_type("LogSigmoidBackward0")


CeluBackward0 = node_type("CeluBackward0")


MishBackward0 = node_type("MishBackward0")


PreluKernelBackward0 = node_type("PreluKernelBackward0")


HardshrinkBackward0 = node_type("HardshrinkBackward0")


SoftshrinkBackward0 = node_type("SoftshrinkBackward0")


ThresholdBackward0 = node_type("ThresholdBackward0")


RreluWithNoiseBackward0 = node_type("RreluWithNoiseBackward0")


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
    in_place = _saving_result(piecewise_rules.celu, CeluBackward0)
    return _apply(in_place, piecewise_rules.celu, CeluBackward0, input, inplace, alpha)


def selu(input: InputLike, inplace: bool = False) -> Tensor:
    """scale (max(0, x) + min(0, alpha (exp(x) - 1))), alpha = 1.6733, scale = 1.0507.

    Examples
    --------
    >>> import nn
    >>> nn.F.selu(nn.tensor([-1.0, 1.0]))
    tensor([-1.1113,  1.0507])
    """
    in_place = _saving_result(piecewise_rules.selu, EluBackward0)
    return _apply(in_place, piecewise_rules.selu, EluBackward0, input, inplace)


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


def prelu(input: InputLike, weight: InputLike) -> Tensor:
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


def _floats_only(x: Tensor, kernel: str) -> None:
    if x._data.dtype.kind not in "fc":
        name = torch_name(x._data.dtype)
        raise NotImplementedError(f"\"{kernel}\" not implemented for '{name}'")


def hardshrink(input: InputLike, lambd: float = 0.5) -> Tensor:
    """0 for -lambd <= x <= lambd, else x.

    Examples
    --------
    >>> import nn
    >>> nn.F.hardshrink(nn.tensor([-1.0, 0.2, 0.7]))
    tensor([-1.0000,  0.0000,  0.7000])
    """
    x = _as_given(input)
    _floats_only(x, "hardshrink_cpu")
    out, backward = piecewise_rules.hardshrink(x._data, lambd)
    return Tensor._record(out, (x,), backward, HardshrinkBackward0, (x,))


def softshrink(input: InputLike, lambd: float = 0.5) -> Tensor:
    """x - lambd above lambd, x + lambd below -lambd, 0 between (lambd >= 0).

    Examples
    --------
    >>> import nn
    >>> nn.F.softshrink(nn.tensor([-1.0, 0.2, 0.7]))
    tensor([-0.5000,  0.0000,  0.2000])
    """
    x = _as_given(input)
    _floats_only(x, "softshrink_check")
    largest = float(np.finfo(x._data.dtype).max)
    if not 0 <= lambd <= largest:
        raise RuntimeError(
            f"lambda must be in range [0, {largest:g}] for input dtype "
            f"{torch_name(x._data.dtype)}, but found {lambd:g}"
        )
    out, backward = piecewise_rules.softshrink(x._data, lambd)
    return Tensor._record(out, (x,), backward, SoftshrinkBackward0, (x,))


def tanhshrink(input: InputLike) -> Tensor:
    """x - tanh(x) (PyTorch's composition, whose gradient it is too).

    Examples
    --------
    >>> import nn
    >>> nn.F.tanhshrink(nn.tensor([0.0, 1.0]))
    tensor([0.0000, 0.2384])
    """
    x = as_input(input)
    return x - x.tanh()


def threshold(input: InputLike, threshold: float, value: float, inplace: bool = False) -> Tensor:
    """``value`` where x <= threshold, else x.

    Examples
    --------
    >>> import nn
    >>> nn.F.threshold(nn.tensor([0.1, 0.5, 2.0]), 0.5, -1.0)
    tensor([-1., -1.,  2.])
    """
    x = _as_given(input)
    dtype = x._data.dtype
    if dtype == np.bool_:
        raise NotImplementedError("\"threshold_cpu\" not implemented for 'Bool'")
    bound, fill = (checked_scalar(v, dtype) for v in (threshold, value))  # (in x's dtype)
    if inplace:
        return x._inplace(_threshold, threshold, value)
    out, backward = piecewise_rules.threshold(x._data, bound, fill)
    return Tensor._record(out, (x,), backward, ThresholdBackward0, (x,))


_threshold = threshold  # (the function, which its parameter ``threshold`` hides inside it)


def glu(input: InputLike, dim: int = -1) -> Tensor:
    """a sigmoid(b), where a and b are the halves of the input along ``dim``.

    Examples
    --------
    >>> import nn
    >>> nn.F.glu(nn.tensor([2.0, 0.0]))
    tensor([1.])
    """
    x = as_input(input)
    if x.ndim == 0:
        raise RuntimeError("glu does not support scalars because halving size must be even")
    axis = x._axis(dim)
    if x.shape[axis] % 2:
        raise RuntimeError(
            f"Halving dimension must be even, but dimension {axis} is size {x.shape[axis]}"
        )
    first, second = x.chunk(2, axis)
    return first * second.sigmoid()


def rrelu(
    input: InputLike,
    lower: float = 1.0 / 8,
    upper: float = 1.0 / 3,
    training: bool = False,
    inplace: bool = False,
) -> Tensor:
    """Randomised leaky ReLU: in training, x times a slope drawn from U(lower, upper) for
    each x <= 0 (from the default generator, PyTorch's numbers); else leaky_relu with the
    slope (lower + upper) / 2.

    Examples
    --------
    >>> import nn
    >>> nn.F.rrelu(nn.tensor([-2.0, 3.0]), 0.1, 0.3)
    tensor([-0.4000,  3.0000])
    """
    from .activation import leaky_relu

    x = _as_given(input)
    if not training:
        return leaky_relu(x, (lower + upper) / 2, inplace)
    _floats_only(x, "rrelu_with_noise_out_cpu")
    wide = np.float64 if x._data.dtype == np.float64 else np.float32  # (PyTorch's opmath:
    low, high = float(wide(lower)), float(wide(upper))  # the bounds are rounded to it first)
    slopes = draw_slopes(None, int(np.count_nonzero(x._data <= 0)), low, high)
    if inplace:
        return x._inplace(_drawn_rrelu, slopes)
    return _drawn_rrelu(x, slopes)


def _drawn_rrelu(x: Tensor, slopes: np.ndarray) -> Tensor:
    out, backward = piecewise_rules.rrelu(x._data, slopes)
    return Tensor._record(out, (x,), backward, RreluWithNoiseBackward0, (x,))


selu_ = _in_place(selu)
celu_ = _in_place(celu)
hardtanh_ = _in_place(hardtanh)
threshold_ = _in_place(threshold)
rrelu_ = _in_place(rrelu)
