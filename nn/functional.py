"""Functional forms of the layers, activations and losses (``import nn.functional as F``).

Inputs may be Tensors, ndarrays or lists. A layer's input is cast to the dtype of the
layer's weight (so integer or float64 data can feed a float32 network); the cast is
differentiable. ``linear``, ``batch_norm`` and every loss are one autograd node each.
"""

from __future__ import annotations

import functools
from typing import Any

import numpy as np

from . import _ops
from ._errors import ShapeError
from ._losses import (
    binary_cross_entropy,
    binary_cross_entropy_with_logits,
    cross_entropy,
    mse_loss,
)
from .random import resolve_generator
from .tensor import Fresh, Tensor, _as_array, get_default_dtype

Array = np.ndarray

__all__ = [
    "batch_norm",
    "binary_cross_entropy",
    "binary_cross_entropy_with_logits",
    "cross_entropy",
    "dropout",
    "leaky_relu",
    "linear",
    "log_softmax",
    "mse_loss",
    "relu",
    "sigmoid",
    "softmax",
    "tanh",
]


def as_input(value: Any, dtype: Any = None) -> Tensor:
    """``value`` as a Tensor of ``dtype`` (float default), casting differentiably."""
    kind = type(value)
    if (
        (kind is Tensor or kind is np.ndarray)
        and value.dtype.kind == "f"
        and (dtype is None or value.dtype == dtype)
    ):
        return value if kind is Tensor else Tensor._wrap(value)  # the common case, fast
    if isinstance(value, Tensor):
        tensor = value
    else:
        try:
            tensor = Tensor._wrap(_as_array(value, copy=False))
        except (TypeError, ValueError) as error:
            raise TypeError(
                f"expected a Tensor, an ndarray or a list of numbers, got {type(value).__name__}"
            ) from error
    if tensor.dtype.kind not in "fiub":
        raise TypeError(f"expected numeric data, got an array of dtype {tensor.dtype}")
    target = np.dtype(dtype) if dtype is not None else None
    if target is None and tensor.dtype.kind != "f":
        target = get_default_dtype()
    return tensor if target is None or tensor.dtype == target else _ops.cast(tensor, target)


def linear(input: Any, weight: Tensor, bias: Tensor | None = None) -> Tensor:
    """y = x W^T + b, as one autograd node (course: Z = W A + b with examples in columns).

    Backward, with G = dL/dy and X, G flattened to rows:
        dL/dX = G W      dL/dW = G^T X      dL/db = sum of G's rows

    Examples
    --------
    >>> import numpy as np, nn
    >>> w = nn.Parameter(np.ones((3, 2))); b = nn.Parameter(np.zeros(3))
    >>> nn.functional.linear(np.array([[1.0, 2.0]]), w, b).data
    array([[3., 3., 3.]])
    """
    return _linear(input, weight, bias, relu=False)


def _linear(input: Any, weight: Tensor, bias: Tensor | None, relu: bool) -> Tensor:
    """``linear``, followed by ReLU in the same node when ``relu`` (``Sequential`` fuses a
    ``Linear`` and the ``ReLU`` after it, saving a node: G is masked by y > 0 first)."""
    x = as_input(input, weight.dtype)
    W = weight.data
    out_features, in_features = W.shape
    shape = x.data.shape
    if not shape or shape[-1] != in_features:
        raise ShapeError(
            f"mat1 and mat2 shapes cannot be multiplied ({_rows(shape)} and "
            f"{in_features}x{out_features}): Linear({in_features}, {out_features}) expects "
            f"input with last dimension {in_features}, got shape {shape}"
        )
    rows = len(shape) != 2  # other than (N, in): computed as 2-D rows and shaped back
    x2 = x.data.reshape(-1, in_features) if rows else x.data
    out = x2 @ W.T
    if bias is not None:
        out += bias.data
    if relu:
        np.maximum(out, 0, out=out)

    def backward(g: Array) -> tuple[Array | None, ...]:
        if rows:
            g = g.reshape(-1, out_features)
        if relu:
            g = g * (out > 0)
        grad_x = None
        if x.requires_grad:
            grad_x = g @ W
            if rows:
                grad_x = grad_x.reshape(shape)
        grad_w = g.T @ x2 if weight.requires_grad else None
        if bias is None:
            return Fresh((grad_x, grad_w))
        return Fresh((grad_x, grad_w, _sum_rows(g) if bias.requires_grad else None))

    parents = (x, weight) if bias is None else (x, weight, bias)
    y = out.reshape(shape[:-1] + (out_features,)) if rows else out
    return Tensor._from_op(y, parents, backward, "Relu" if relu else "Linear")


@functools.lru_cache(maxsize=64)
def _ones(count: int, dtype: np.dtype) -> Array:
    ones = np.ones(count, dtype=dtype)
    ones.flags.writeable = False
    return ones


def _sum_rows(g: Array) -> Array:
    """The sum of a 2-D array's rows, as a BLAS product with ones (about twice as fast as
    ``g.sum(axis=0)`` on the small and tall arrays of a bias gradient; the additions run in
    BLAS's order, so the last bits can differ from NumPy's)."""
    total: Array = _ones(g.shape[0], g.dtype) @ g
    return total


def _rows(shape: tuple[int, ...]) -> str:
    if len(shape) <= 1:
        return f"1x{shape[0] if shape else 1}"
    return f"{int(np.prod(shape[:-1]))}x{shape[-1]}"


def relu(input: Any) -> Tensor:
    """max(0, x), elementwise.

    Examples
    --------
    >>> import nn
    >>> nn.F.relu([-1.0, 3.0])
    tensor([0., 3.])
    """
    return _ops.relu(
        input if type(input) is Tensor and input.dtype.kind == "f" else as_input(input)
    )


def leaky_relu(input: Any, negative_slope: float = 0.01) -> Tensor:
    """x if x > 0 else negative_slope * x.

    Examples
    --------
    >>> import nn
    >>> nn.F.leaky_relu([-10.0, 3.0], 0.1)
    tensor([-1.,  3.])
    """
    return _ops.leaky_relu(as_input(input), negative_slope)


def sigmoid(input: Any) -> Tensor:
    """1 / (1 + exp(-x)), overflow-free.

    Examples
    --------
    >>> import nn
    >>> nn.F.sigmoid([-1e4, 0.0, 1e4])
    tensor([0. , 0.5, 1. ])
    """
    return _ops.sigmoid(as_input(input))


def tanh(input: Any) -> Tensor:
    """tanh(x).

    Examples
    --------
    >>> import nn
    >>> nn.F.tanh([0.0])
    tensor([0.])
    """
    return _ops.tanh(as_input(input))


def softmax(input: Any, dim: int | None = None) -> Tensor:
    """exp(x_i) / sum_j exp(x_j) along ``dim`` (PyTorch's legacy choice when left out).

    Examples
    --------
    >>> import nn
    >>> nn.F.softmax([[1.0, 1.0, 1.0, 1.0]], dim=1)
    tensor([[0.25, 0.25, 0.25, 0.25]])
    """
    x = as_input(input)
    return _ops.softmax(x, _softmax_dim(x.ndim) if dim is None else dim)


def log_softmax(input: Any, dim: int | None = None) -> Tensor:
    """log(softmax(x)) along ``dim``, computed stably.

    Examples
    --------
    >>> import nn
    >>> nn.F.log_softmax([[0.0, 0.0]], dim=1).exp()
    tensor([[0.5, 0.5]])
    """
    x = as_input(input)
    return _ops.log_softmax(x, _softmax_dim(x.ndim) if dim is None else dim)


def _softmax_dim(ndim: int) -> int:
    return 0 if ndim in (0, 1, 3) else 1


def dropout(input: Any, p: float = 0.5, training: bool = True, generator: Any = None) -> Tensor:
    """Zero each element with probability p and scale the rest by 1 / (1 - p) (inverted dropout).

    The course's ``D = rand < keep_prob; A = A * D / keep_prob`` with keep_prob = 1 - p.

    Examples
    --------
    >>> import numpy as np, nn
    >>> nn.F.dropout(np.ones(4), p=0.5, training=False).data
    array([1., 1., 1., 1.])
    """
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
    x = as_input(input)
    if not training or p == 0.0:
        return x
    if p == 1.0:
        mask = np.zeros(x.shape, dtype=x.dtype)
    else:
        keep = resolve_generator(generator).random(x.shape) >= p
        mask = keep.astype(x.dtype) * x.dtype.type(1.0 / (1.0 - p))
    return Tensor._from_op(x.data * mask, (x,), lambda g: (g * mask,), "Dropout")


def batch_norm(
    input: Any,
    running_mean: Array | None,
    running_var: Array | None,
    weight: Tensor | None = None,
    bias: Tensor | None = None,
    training: bool = False,
    momentum: float | None = 0.1,
    eps: float = 1e-5,
    num_batches_tracked: Array | None = None,
) -> Tensor:
    """Batch normalisation over axis 0 (and 2 for (N, C, L) input), as one autograd node.

    Training: x_hat = (x - mean_B) / sqrt(var_B + eps), y = gamma * x_hat + beta, and the running
    statistics move by ``running = (1 - momentum) * running + momentum * batch_stat`` (unbiased
    variance; a cumulative average when momentum is None). Evaluation uses the running ones.

    Examples
    --------
    >>> import numpy as np, nn
    >>> nn.F.batch_norm(np.array([[1.0], [3.0]]), None, None, training=True).data[:, 0].round(3)
    array([-1.,  1.])
    """
    dtype = weight.dtype if weight is not None else None
    x = as_input(input, dtype)
    if x.ndim not in (2, 3):
        raise ShapeError(
            f"BatchNorm1d expected 2D or 3D input (got {x.ndim}D input of shape {x.shape})"
        )
    channels = x.shape[1]
    for name, stat in (("running_mean", running_mean), ("weight", weight)):
        if stat is not None and stat.shape != (channels,):
            raise ShapeError(
                f"batch_norm: {name} has shape {tuple(stat.shape)} but input of shape {x.shape} "
                f"has {channels} channels"
            )
    axes = (0,) if x.ndim == 2 else (0, 2)
    count = x.data.size // channels
    shape = (1, channels) if x.ndim == 2 else (1, channels, 1)
    use_batch_stats = training or running_mean is None
    if use_batch_stats:
        if count <= 1:
            raise ValueError(
                f"Expected more than 1 value per channel when training, got input size {x.shape}"
            )
        mean = x.data.mean(axis=axes)
        var = x.data.var(axis=axes)
        if training and running_mean is not None and running_var is not None:
            _update_running(
                running_mean, running_var, mean, var, count, momentum, num_batches_tracked
            )
    else:
        assert running_var is not None
        mean, var = running_mean, running_var
    inv_std = (1.0 / np.sqrt(var + eps)).astype(x.dtype, copy=False).reshape(shape)
    x_hat = (x.data - mean.reshape(shape)) * inv_std
    gamma = weight.data.reshape(shape) if weight is not None else None
    out = x_hat * gamma if gamma is not None else x_hat.copy()
    if bias is not None:
        out += bias.data.reshape(shape)

    def backward(g: Array) -> tuple[Array | None, ...]:
        g_hat = g * gamma if gamma is not None else g
        if use_batch_stats:
            sum_g = g_hat.sum(axis=axes, keepdims=True)
            sum_gx = (g_hat * x_hat).sum(axis=axes, keepdims=True)
            grad_x = inv_std * (g_hat - sum_g / count - x_hat * (sum_gx / count))
        else:
            grad_x = g_hat * inv_std
        grads: list[Array | None] = [grad_x]
        if weight is not None:
            grads.append((g * x_hat).sum(axis=axes))
        if bias is not None:
            grads.append(g.sum(axis=axes))
        return tuple(grads)

    parents = tuple(t for t in (x, weight, bias) if t is not None)
    return Tensor._from_op(out, parents, backward, "BatchNorm")


def _update_running(
    running_mean: Array,
    running_var: Array,
    mean: Array,
    var: Array,
    count: int,
    momentum: float | None,
    num_batches_tracked: Array | None,
) -> None:
    if num_batches_tracked is not None:
        num_batches_tracked += 1
    if momentum is None:
        factor = 1.0 / float(num_batches_tracked) if num_batches_tracked is not None else 1.0
    else:
        factor = momentum
    unbiased = var * (count / (count - 1))
    running_mean *= 1.0 - factor
    running_mean += factor * mean
    running_var *= 1.0 - factor
    running_var += factor * unbiased
