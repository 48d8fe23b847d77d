"""Functional forms of the layers, activations and losses (``import nn.functional as F``).

Inputs may be Tensors, ndarrays or lists. A layer's input is cast to the dtype of the
layer's weight (so integer or float64 data can feed a float32 network); the cast is
differentiable. ``linear``, ``batch_norm`` and every loss are one autograd node each.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from ._conv_functions import (
    adaptive_avg_pool1d,
    adaptive_avg_pool2d,
    avg_pool1d,
    avg_pool2d,
    conv1d,
    conv2d,
    dropout2d,
    max_pool1d,
    max_pool2d,
)
from ._errors import DimensionError, ShapeError
from ._graph import KEPT, node_type
from ._inputs import as_input
from ._losses import (
    binary_cross_entropy,
    binary_cross_entropy_with_logits,
    cross_entropy,
    mse_loss,
    nll_loss,
)
from ._regression_losses import huber_loss, kl_div, l1_loss, smooth_l1_loss
from .modules.activation import elu, gelu, silu, softplus
from .modules.embedding import embedding, one_hot
from .modules.normalization import layer_norm
from .modules.piecewise import (
    celu,
    hardsigmoid,
    hardswish,
    hardtanh,
    logsigmoid,
    mish,
    prelu,
    relu6,
    selu,
    softsign,
)
from .random import draw_bernoulli
from .rules import elementwise as elementwise_rules
from .rules import layer as LR
from .rules import shape as shape_rules
from .tensor import Tensor
from .tensor.linalg import MmBackward0  # (linear without a bias, as PyTorch names it)

__all__ = [
    "adaptive_avg_pool1d",
    "adaptive_avg_pool2d",
    "avg_pool1d",
    "avg_pool2d",
    "batch_norm",
    "binary_cross_entropy",
    "binary_cross_entropy_with_logits",
    "celu",
    "conv1d",
    "conv2d",
    "cosine_similarity",
    "cross_entropy",
    "dropout",
    "dropout2d",
    "elu",
    "embedding",
    "gelu",
    "hardsigmoid",
    "hardswish",
    "hardtanh",
    "huber_loss",
    "kl_div",
    "l1_loss",
    "layer_norm",
    "leaky_relu",
    "linear",
    "log_softmax",
    "logsigmoid",
    "max_pool1d",
    "max_pool2d",
    "mish",
    "mse_loss",
    "nll_loss",
    "normalize",
    "one_hot",
    "pad",
    "prelu",
    "relu",
    "relu6",
    "scaled_dot_product_attention",
    "selu",
    "sigmoid",
    "silu",
    "smooth_l1_loss",
    "softmax",
    "softmin",
    "softplus",
    "softsign",
    "tanh",
]

AddmmBackward0 = node_type("AddmmBackward0")
ReluBackward0 = node_type("ReluBackward0")
LeakyReluBackward0 = node_type("LeakyReluBackward0")
MulBackward0 = node_type("MulBackward0")  # (PyTorch's CPU dropout multiplies by a mask)
NativeBatchNormBackward0 = node_type("NativeBatchNormBackward0")
ConstantPadNdBackward0 = node_type("ConstantPadNdBackward0")


def linear(input: Any, weight: Tensor, bias: Tensor | None = None) -> Tensor:
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


def _linear(input: Any, weight: Tensor, bias: Tensor | None, relu: bool) -> Tensor:
    """``linear``, followed by ReLU in the same node when ``relu`` (``Sequential`` fuses a
    ``Linear`` and the ``ReLU`` after it, saving a node)."""
    x = as_input(input, weight._data.dtype)
    W = weight._data
    out_features, in_features = W.shape
    shape = x._data.shape
    if not shape or shape[-1] != in_features:
        raise ShapeError(
            f"mat1 and mat2 shapes cannot be multiplied ({_rows(shape)} and "
            f"{in_features}x{out_features}): Linear({in_features}, {out_features}) expects "
            f"input with last dimension {in_features}, got shape {shape}"
        )
    x_rg, w_rg = x._rg, weight._rg
    if bias is None:
        out, backward = LR.linear(x._data, W, None, relu, x_rg, w_rg)
        inputs: tuple[Tensor, ...] = (x, weight)
    else:
        out, backward = LR.linear(x._data, W, bias._data, relu, x_rg, w_rg, bias._rg)
        inputs = (x, weight, bias)
    kind = ReluBackward0 if relu else AddmmBackward0 if bias is not None else MmBackward0
    saved = (weight if x_rg else None, x if w_rg else None)
    return Tensor._record(out, inputs, backward, kind, saved, result=relu)


def _rows(shape: tuple[int, ...]) -> str:
    if len(shape) <= 1:
        return f"1x{shape[0] if shape else 1}"
    return f"{int(np.prod(shape[:-1]))}x{shape[-1]}"


def relu(input: Any, inplace: bool = False) -> Tensor:
    """max(0, x), elementwise.

    Examples
    --------
    >>> import nn
    >>> nn.F.relu([-1.0, 3.0])
    tensor([0., 3.])
    """
    x = input if type(input) is Tensor and input._data.dtype.kind == "f" else as_input(input)
    return x.relu_() if inplace else x.relu()


def leaky_relu(input: Any, negative_slope: float = 0.01, inplace: bool = False) -> Tensor:
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


def normalize(input: Any, p: float = 2.0, dim: int = 1, eps: float = 1e-12) -> Tensor:
    """input / max(||input||_p along ``dim``, eps): unit vectors along ``dim``, as PyTorch
    computes them (the norm clamped, then a division; differentiable through both).

    Examples
    --------
    >>> import nn
    >>> nn.F.normalize(nn.tensor([[3.0, 4.0], [0.0, 0.0]]))
    tensor([[0.6000, 0.8000],
            [0.0000, 0.0000]])
    """
    x = as_input(input)
    return x / x.norm(p, dim, keepdim=True).clamp(min=eps)


def cosine_similarity(x1: Any, x2: Any, dim: int = 1, eps: float = 1e-8) -> Tensor:
    """sum(x1 * x2) / (max(||x1||, eps) max(||x2||, eps)) along ``dim`` (broadcast), as
    PyTorch computes it: each input divided by its own clamped norm, then the products summed.

    Examples
    --------
    >>> import nn
    >>> a, b = nn.tensor([[1.0, 0.0], [1.0, 1.0]]), nn.tensor([[2.0, 0.0], [-1.0, 1.0]])
    >>> nn.F.cosine_similarity(a, b)
    tensor([1., 0.])
    """
    a, b = as_input(x1), as_input(x2)
    a_unit = a / a.norm(2, dim, keepdim=True).clamp(min=eps)
    b_unit = b / b.norm(2, dim, keepdim=True).clamp(min=eps)
    return (a_unit * b_unit).sum(dim)


def pad(
    input: Any, pad: Sequence[int], mode: str = "constant", value: float | None = None
) -> Tensor:
    """``input`` padded with ``value`` (0 by default): ``pad`` lists (before, after) amounts
    for the last dimension, then the one before it, and so on; a negative amount crops.
    Only ``mode="constant"``.

    Examples
    --------
    >>> import nn
    >>> nn.F.pad(nn.tensor([[1.0, 2.0]]), (1, 0, 0, 1))
    tensor([[0., 1., 2.],
            [0., 0., 0.]])
    """
    if mode != "constant":
        raise NotImplementedError(
            f"pad mode {mode!r} is not implemented in descend (only 'constant')"
        )
    x = input if isinstance(input, Tensor) else Tensor._make(np.asarray(input))
    pads = [int(p) for p in pad]
    if len(pads) % 2:
        raise RuntimeError("Padding length must be divisible by 2")
    if len(pads) // 2 > x.ndim:
        raise RuntimeError(
            "Padding length should be less than or equal to two times the input dimension but "
            f"got padding length {len(pads)} and input of dimension {x.ndim}"
        )
    out, backward = shape_rules.pad_constant(x._data, pads, 0.0 if value is None else value)
    return Tensor._record(out, (x,), backward, ConstantPadNdBackward0)


def sigmoid(input: Any) -> Tensor:
    """1 / (1 + exp(-x)), overflow-free.

    Examples
    --------
    >>> import nn
    >>> nn.F.sigmoid([-1e4, 0.0, 1e4])
    tensor([0.0000, 0.5000, 1.0000])
    """
    return as_input(input).sigmoid()


def tanh(input: Any) -> Tensor:
    """tanh(x).

    Examples
    --------
    >>> import nn
    >>> nn.F.tanh([0.0])
    tensor([0.])
    """
    return as_input(input).tanh()


def softmax(input: Any, dim: int | None = None, dtype: Any = None) -> Tensor:
    """exp(x_i) / sum_j exp(x_j) along ``dim`` (PyTorch's legacy choice when left out).

    Examples
    --------
    >>> import nn
    >>> nn.F.softmax([[1.0, 1.0, 1.0, 1.0]], dim=1)
    tensor([[0.2500, 0.2500, 0.2500, 0.2500]])
    """
    x = _as_given(input)
    return x.softmax(_softmax_dim(x.ndim) if dim is None else dim, dtype)


def log_softmax(input: Any, dim: int | None = None, dtype: Any = None) -> Tensor:
    """log(softmax(x)) along ``dim``, computed stably.

    Examples
    --------
    >>> import nn
    >>> nn.F.log_softmax([[0.0, 0.0]], dim=1).exp()
    tensor([[0.5000, 0.5000]])
    """
    x = _as_given(input)
    return x.log_softmax(_softmax_dim(x.ndim) if dim is None else dim, dtype)


def softmin(input: Any, dim: int | None = None, dtype: Any = None) -> Tensor:
    """exp(-x_i) / sum_j exp(-x_j) along ``dim``: the softmax of -x.

    Examples
    --------
    >>> import nn
    >>> nn.F.softmin([1.0, 1.0], dim=0)
    tensor([0.5000, 0.5000])
    """
    x = _as_given(input)
    return (-x).softmax(_softmax_dim(x.ndim) if dim is None else dim, dtype)


def _as_given(input: Any) -> Tensor:
    """A Tensor as it is (an integer one is refused by the op, as PyTorch refuses it);
    anything else as a Tensor of the default float dtype."""
    return input if isinstance(input, Tensor) else as_input(input)


def _softmax_dim(ndim: int) -> int:
    return 0 if ndim in (0, 1, 3) else 1


def dropout(
    input: Any, p: float = 0.5, training: bool = True, inplace: bool = False, generator: Any = None
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
    out, backward = LR.dropout(x._data, keep, p)
    if inplace:  # (the mask is saved)
        return x._inplace(lambda s: Tensor._record(out, (s,), backward, MulBackward0, (KEPT,)))
    return Tensor._record(out, (x,), backward, MulBackward0, (KEPT,))


def scaled_dot_product_attention(
    query: Tensor,
    key: Tensor,
    value: Tensor,
    attn_mask: Tensor | None = None,
    dropout_p: float = 0.0,
    is_causal: bool = False,
    scale: float | None = None,
    enable_gqa: bool = False,
) -> Tensor:
    """softmax(Q K^T scale + bias) V over the last two dimensions, as PyTorch's
    reference: scale 1 / sqrt(E) unless given; the bias -inf where a bool ``attn_mask`` is
    False or above the diagonal with ``is_causal``, else a float ``attn_mask`` added; a
    query whose keys are all masked gets zeros (PyTorch's safe softmax); dropout on the
    weights when ``dropout_p`` > 0. Made of matmul, softmax and masked_fill.

    Examples
    --------
    >>> import nn
    >>> q = k = v = nn.eye(2).reshape(1, 2, 2)
    >>> nn.F.scaled_dot_product_attention(q, k, v, is_causal=True)[0, 0]
    tensor([1., 0.])
    """
    if is_causal and attn_mask is not None:
        raise RuntimeError(
            "_scaled_dot_product_attention: Explicit attn_mask should not be set "
            "when is_causal=True"
        )
    length, source = query.shape[-2], key.shape[-2]
    factor = 1 / np.sqrt(query.shape[-1]) if scale is None else scale
    if enable_gqa:
        repeats = query.shape[-3] // key.shape[-3]
        key = key.repeat_interleave(repeats, -3)
        value = value.repeat_interleave(repeats, -3)
    scores = query.matmul(key.transpose(-2, -1)) * factor
    blocked = np.zeros((length, source), dtype=bool)
    if is_causal:
        blocked = ~np.tri(length, source, dtype=bool)
    if attn_mask is not None:
        if attn_mask.dtype == np.bool_:
            blocked = blocked | ~attn_mask._data
        else:
            scores = scores + attn_mask
            blocked = blocked | np.isneginf(attn_mask._data)
    if blocked.any():
        scores = scores.masked_fill(Tensor._make(blocked), -np.inf)
    shut = Tensor._make(np.broadcast_to(blocked.all(-1, keepdims=True), blocked.shape))
    if shut._data.any():  # (all keys masked: the row's weights are 0, not NaN)
        scores = scores.masked_fill(shut, 0.0)
    weights = scores.softmax(-1)
    if shut._data.any():
        weights = weights.masked_fill(shut, 0.0)
    if dropout_p > 0.0:
        weights = dropout(weights, dropout_p)
    return weights.matmul(value)


def batch_norm(
    input: Any,
    running_mean: Any,
    running_var: Any,
    weight: Tensor | None = None,
    bias: Tensor | None = None,
    training: bool = False,
    momentum: float | None = 0.1,
    eps: float = 1e-5,
    num_batches_tracked: Any = None,
) -> Tensor:
    """Batch normalisation over every axis but the channel axis 1, as one autograd node.

    Training: x_hat = (x - mean_B) / sqrt(var_B + eps), y = gamma * x_hat + beta, and the
    running statistics move by ``running = (1 - momentum) * running + momentum * batch_stat``
    (unbiased variance; a cumulative average when momentum is None). Evaluation uses the
    running ones.

    Examples
    --------
    >>> import numpy as np, nn
    >>> nn.F.batch_norm(np.array([[1.0], [3.0]]), None, None, training=True)[:, 0].round()
    tensor([-1.,  1.], dtype=float64)
    """
    dtype = weight._data.dtype if weight is not None else None
    x = as_input(input, dtype)
    if x._data.size == 0:  # PyTorch returns an empty input as it is, and counts the batch
        tracked = _array(num_batches_tracked)
        if training and tracked is not None:
            tracked += 1
        return Tensor._record(x._data.copy(), (x,), lambda g: (g,), NativeBatchNormBackward0)
    if x.ndim < 2:
        raise DimensionError(
            f"batch_norm expected at least 2D input (got {x.ndim}D input of shape {x.shape})"
        )
    channels = x.shape[1]
    for name, stat in (("running_mean", running_mean), ("weight", weight)):
        if stat is not None and tuple(stat.shape) != (channels,):
            raise ShapeError(
                f"batch_norm: {name} has shape {tuple(stat.shape)} but input of shape {x.shape} "
                f"has {channels} channels"
            )
    mean_array = _array(running_mean)
    var_array = _array(running_var)
    batch_stats = training or mean_array is None
    data = x._data
    axes = (0, *range(2, data.ndim))
    count = data.size // max(channels, 1)
    if batch_stats:
        if count <= 1:
            raise ValueError(
                f"Expected more than 1 value per channel when training, got input size {x.shape}"
            )
        mean = data.sum(axis=axes) / count
        shape = (1, channels) + (1,) * (data.ndim - 2)
        centered = data - mean.reshape(shape)
        var_sum = (centered * centered).sum(axis=axes)
        var = var_sum / count  # biased, for normalising
        if training and mean_array is not None and var_array is not None:
            unbiased = var_sum / (count - 1)
            _update_running(
                running_mean, running_var, mean, unbiased, momentum, num_batches_tracked
            )
    else:
        if var_array is None:
            raise ValueError("batch_norm: running_var is needed with running_mean")
        mean, var = mean_array, var_array
    out, backward = LR.batch_norm(data, mean, var, _array(weight), _array(bias), eps, batch_stats)
    parents = tuple(t for t in (x, weight, bias) if t is not None)
    return Tensor._record(out, parents, backward, NativeBatchNormBackward0, parents)


def _array(value: Any) -> np.ndarray | None:
    return None if value is None else getattr(value, "_data", value)


def _update_running(
    running_mean: Any,
    running_var: Any,
    mean: np.ndarray,
    unbiased: np.ndarray,
    momentum: float | None,
    num_batches_tracked: Any,
) -> None:
    """running = (1 - factor) running + factor batch (unbiased variance), in place."""
    tracked = _array(num_batches_tracked)
    if tracked is not None:
        tracked += 1
    factor = (
        (1.0 / float(tracked) if tracked is not None else 1.0) if momentum is None else momentum
    )
    for stat, batch in ((running_mean, mean), (running_var, unbiased)):
        array = _array(stat)
        assert array is not None
        array *= 1.0 - factor
        array += factor * batch
        if isinstance(stat, Tensor):
            stat._vc[0] += 1
