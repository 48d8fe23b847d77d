"""Smooth activations as functions: ``relu``, ``leaky_relu``, ``sigmoid``, ``tanh``,
``softmax``, ``log_softmax``, ``softmin``, ``gumbel_softmax``, ``softplus``, ``elu``,
``gelu``, ``silu`` and the in-place forms ``relu_``, ``leaky_relu_``, ``elu_``, over the rules of
``nn/rules/activation.py`` and ``nn/rules/elementwise.py`` (their layers:
``nn/modules/activation.py``; the piecewise ones: ``nn/functional/piecewise.py``)."""

from __future__ import annotations

import warnings
from collections.abc import Callable

from .._args.inputs import as_input
from ..autograd.graph import node_type
from ..rules import Rule
from ..rules import activation as activation_rules
from ..rules import elementwise as elementwise_rules
from ..tensor import Tensor
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
        in_place = _saving_result(elementwise_rules.leaky_relu, LeakyReluBackward0)
        return x._inplace(in_place, negative_slope)
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


def gumbel_softmax(
    logits: Tensor, tau: float = 1.0, hard: bool = False, eps: float = 1e-10, dim: int = -1
) -> Tensor:
    """A sample of the Gumbel-softmax (concrete) distribution over ``dim`` (Jang et al.,
    2016): softmax((logits + g) / tau), g = -log(e) with e ~ Exp(1) drawn by
    ``exponential_`` from the default generator (so PyTorch's seed gives PyTorch's sample).
    ``hard``: the one-hot of that sample's argmax, with the soft sample's gradient
    (straight-through: ``y_hard - y_soft.detach() + y_soft``). ``eps`` is unused, as in
    PyTorch (which warns when it is set)."""
    if eps != 1e-10:
        warnings.warn("`eps` parameter is deprecated and has no effect.", stacklevel=2)
    noise = -_as_given(logits).new_empty(logits.shape).exponential_().log()
    soft = ((logits + noise) / tau).softmax(dim)
    if not hard:
        return soft
    index = soft.max(dim, keepdim=True)[1]
    one_hot = soft.new_zeros(logits.shape).scatter_(dim, index, 1.0)
    return one_hot - soft.detach() + soft


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
        return x._inplace(_saving_result(activation_rules.elu, EluBackward0), alpha)
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


def _saving_result(rule: Callable[..., Rule], kind: type) -> Callable[..., Tensor]:
    """The out-of-place op an in-place form runs when PyTorch's backward of that form reads
    the result (``elu_``, ``leaky_relu_``, ``selu_``, ``celu_``): changing the result
    afterwards is then refused at backward, as PyTorch refuses it."""

    def op(x: Tensor, *args: float) -> Tensor:
        out, backward = rule(x._data, *args)
        return Tensor._record(out, (x,), backward, kind, (), result=True)

    return op


def _in_place(function: Callable[..., Tensor]) -> Callable[..., Tensor]:
    def in_place(input: Tensor, *args: float, **kwargs: float) -> Tensor:
        return function(input, *args, inplace=True, **kwargs)

    in_place.__name__ = in_place.__qualname__ = f"{function.__name__}_"
    in_place.__doc__ = f"``{function.__name__}(input, ..., inplace=True)``."
    return in_place


relu_ = _in_place(relu)
leaky_relu_ = _in_place(leaky_relu)
elu_ = _in_place(elu)
