"""Normalisations as functions: ``normalize`` (x / max(||x||_p, eps)), ``batch_norm`` and
``layer_norm`` ((x - mean) / sqrt(var + eps) * weight + bias), over ``nn/rules/layer.py``
(their layers: ``nn/modules/normalization.py``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from .._args.inputs import as_input
from .._errors import DimensionError, ShapeError
from ..autograd.graph import node_type
from ..rules import conversion as conversion_rules
from ..rules import layer as layer_rules
from ..tensor import Tensor
from ..types import InputLike

NativeBatchNormBackward0 = node_type("NativeBatchNormBackward0")


def normalize(input: InputLike, p: float = 2.0, dim: int = 1, eps: float = 1e-12) -> Tensor:
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


def batch_norm(
    input: InputLike,
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
        out, backward = conversion_rules.copy(x._data.copy())
        return Tensor._record(out, (x,), backward, NativeBatchNormBackward0)
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
    count = data.size // max(channels, 1)
    if batch_stats:
        if count <= 1:
            raise ValueError(
                f"Expected more than 1 value per channel when training, got input size {x.shape}"
            )
        mean, var, unbiased = layer_rules.batch_statistics(data)
        if training and mean_array is not None and var_array is not None:
            layer_rules.update_running(
                mean_array, var_array, _array(num_batches_tracked), mean, unbiased, momentum
            )
            for stat in (running_mean, running_var):
                if isinstance(stat, Tensor):
                    stat._vc[0] += 1
    else:
        if var_array is None:
            raise ValueError("batch_norm: running_var is needed with running_mean")
        assert mean_array is not None  # (else the batch's statistics are used)
        mean, var = mean_array, var_array
    out, backward = layer_rules.batch_norm(
        data, mean, var, _array(weight), _array(bias), eps, batch_stats
    )
    parents = tuple(t for t in (x, weight, bias) if t is not None)
    return Tensor._record(out, parents, backward, NativeBatchNormBackward0, parents)


def _array(value: Any) -> np.ndarray | None:
    return None if value is None else getattr(value, "_data", value)


NativeLayerNormBackward0 = node_type("NativeLayerNormBackward0")


def _shape(normalized_shape: int | Sequence[int]) -> tuple[int, ...]:
    shape = (normalized_shape,) if isinstance(normalized_shape, int) else tuple(normalized_shape)
    if not shape or not all(isinstance(n, int) and n > 0 for n in shape):
        raise ValueError(
            f"normalized_shape must be a positive int or a non-empty sequence of them, got "
            f"{normalized_shape!r}"
        )
    return shape


def layer_norm(
    input: InputLike,
    normalized_shape: int | Sequence[int],
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
    out, backward = layer_rules.layer_norm(
        x._data,
        len(shape),
        None if weight is None else weight._data,
        None if bias is None else bias._data,
        eps,
    )
    saved = (x, weight, bias)  # (PyTorch saves all three)
    return Tensor._record(out, inputs, backward, NativeLayerNormBackward0, saved)


def rms_norm(
    input: InputLike,
    normalized_shape: int | Sequence[int],
    weight: Tensor | None = None,
    eps: float | None = None,
) -> Tensor:
    """x / sqrt(mean(x^2) + eps) * weight, the mean over the last ``len(normalized_shape)``
    dimensions; ``eps`` defaults to the dtype's machine epsilon. Made of Tensor ops in
    PyTorch's order (x * rsqrt(mean(x^2) + eps)), so its gradient is theirs.

    Examples
    --------
    >>> import nn
    >>> nn.F.rms_norm(nn.tensor([[3.0, 4.0]]), (2,), eps=0.0)
    tensor([[0.8485, 1.1314]])
    """
    shape = _shape(normalized_shape)
    x = as_input(input, weight.dtype if weight is not None else None)
    if x.ndim < len(shape) or x._data.shape[x.ndim - len(shape) :] != shape:
        raise RuntimeError(
            f"Given normalized_shape={list(shape)}, expected input with shape "
            f"[*{', '.join(map(str, shape))}], but got input of size{list(x.shape)}"
        )
    if eps is None:
        eps = float(np.finfo(x.dtype).eps) if x.dtype.kind == "f" else 1e-7
    dims = tuple(range(x.ndim - len(shape), x.ndim))
    result = x * ((x**2).mean(dims, keepdim=True) + eps).rsqrt()
    return result if weight is None else result * weight


def group_norm(
    input: InputLike,
    num_groups: int,
    weight: Tensor | None = None,
    bias: Tensor | None = None,
    eps: float = 1e-5,
) -> Tensor:
    """Normalise each sample's channels in ``num_groups`` groups: (x - mean) / sqrt(var +
    eps) over each group's channels and positions (``layer_norm`` of the grouped sample),
    then ``weight`` and ``bias`` per channel.

    Examples
    --------
    >>> import nn
    >>> nn.F.group_norm(nn.tensor([[[1.0], [3.0], [5.0], [5.0]]]), 2).flatten()
    tensor([-1.0000,  1.0000,  0.0000,  0.0000])
    """
    x = as_input(input, weight.dtype if weight is not None else None)
    if x.ndim < 2:
        raise RuntimeError(f"Expected at least 2 dimensions for input tensor but received {x.ndim}")
    batch, channels = x.shape[0], x.shape[1]
    if num_groups <= 0 or channels % num_groups:
        raise RuntimeError(
            "Expected number of channels in input to be divisible by num_groups, but got "
            f"input of shape {list(x.shape)} and num_groups={num_groups}"
        )
    grouped = x.reshape(batch, num_groups, -1)
    out = layer_norm(grouped, (grouped.shape[-1],), eps=eps).reshape(x.shape)
    per_channel = (1, channels) + (1,) * (x.ndim - 2)
    if weight is not None:
        out = out * weight.reshape(per_channel)
    if bias is not None:
        out = out + bias.reshape(per_channel)
    return out


def instance_norm(
    input: InputLike,
    running_mean: Tensor | None = None,
    running_var: Tensor | None = None,
    weight: Tensor | None = None,
    bias: Tensor | None = None,
    use_input_stats: bool = True,
    momentum: float = 0.1,
    eps: float = 1e-5,
) -> Tensor:
    """Normalise each channel of each sample over its positions (``group_norm`` with one
    group per channel). Running statistics are not kept: passing them raises
    ``NotImplementedError`` rather than leaving them unchanged.

    Examples
    --------
    >>> import nn
    >>> nn.F.instance_norm(nn.tensor([[[1.0, 3.0], [2.0, 2.0]]]))
    tensor([[[-1.0000,  1.0000],
             [ 0.0000,  0.0000]]])
    """
    if running_mean is not None or running_var is not None or not use_input_stats:
        raise NotImplementedError(
            "descend's instance_norm keeps no running statistics (track_running_stats=False "
            "only): normalise with each instance's own statistics"
        )
    x = as_input(input, weight.dtype if weight is not None else None)
    if x.ndim < 3:
        raise ValueError(f"expected a (N, C, ...) input of 3 or more dimensions, got {x.ndim}")
    return group_norm(x, x.shape[1], weight, bias, eps)
