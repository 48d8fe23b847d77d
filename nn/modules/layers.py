"""Layers: Linear, activations, Identity, Flatten, Unflatten, Dropout, BatchNorm1d/2d."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .. import functional as F
from .. import init
from .._args.inputs import as_input
from .._dtype import get_default_dtype
from .._errors import ShapeError
from ..autograd import no_grad
from ..device import check_device
from ..parameter import Parameter
from ..random import resolve_generator
from ..tensor import Tensor
from ..types import DeviceLike, DTypeLike, GeneratorLike, InputLike
from .module import Module


def _check_size(name: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int | np.integer):
        raise TypeError(f"{name} must be an int, got {type(value).__name__}")
    if value < 0:
        raise ValueError(f"{name} must be non-negative, got {value}")
    return int(value)


class Linear(Module):
    """y = x W^T + b, with weight of shape (out_features, in_features), as ``torch.nn.Linear``.

    Initialised as PyTorch does: W and b ~ U(-1/sqrt(in_features), 1/sqrt(in_features))
    (kaiming_uniform_ with a = sqrt(5)). The course's layer l has W[l] of shape
    (n_l, n_(l-1)) and Z = W A + b with examples in columns; here examples are rows.

    Examples
    --------
    >>> import nn
    >>> layer = nn.Linear(3, 5)
    >>> layer.weight.shape, layer(nn.tensor([[1.0, 2.0, 3.0]])).shape
    ((5, 3), (1, 5))
    """

    def __init__(
        self,
        in_features: int,
        out_features: int,
        bias: bool = True,
        device: DeviceLike | None = None,
        dtype: DTypeLike | None = None,
        generator: GeneratorLike | None = None,
    ) -> None:
        super().__init__()
        check_device(device)
        self.in_features = _check_size("in_features", in_features)
        self.out_features = _check_size("out_features", out_features)
        dtype = np.dtype(dtype) if dtype is not None else get_default_dtype()
        self.weight = Parameter(np.empty((out_features, in_features), dtype=dtype))
        self.bias = Parameter(np.empty(out_features, dtype=dtype)) if bias else None
        self.reset_parameters(generator)

    def reset_parameters(self, generator: GeneratorLike | None = None) -> None:
        """PyTorch's default initialisation (drawn from ``generator`` or the default one)."""
        rng = resolve_generator(generator)
        init.kaiming_uniform_(self.weight, a=math.sqrt(5), generator=rng)
        if self.bias is not None:
            bound = 1.0 / math.sqrt(self.in_features) if self.in_features > 0 else 0.0
            init.uniform_(self.bias, -bound, bound, generator=rng)

    def forward(self, input: InputLike) -> Tensor:
        return F.linear(input, self.weight, self.bias)

    def extra_repr(self) -> str:
        has_bias = self.bias is not None
        return f"in_features={self.in_features}, out_features={self.out_features}, bias={has_bias}"


class CosineSimilarity(Module):
    """The cosine of the angle between ``x1`` and ``x2`` along ``dim``, as
    ``torch.nn.CosineSimilarity`` (``F.cosine_similarity``)."""

    def __init__(self, dim: int = 1, eps: float = 1e-8) -> None:
        super().__init__()
        self.dim, self.eps = dim, eps

    def forward(self, x1: Any, x2: Any) -> Tensor:
        return F.cosine_similarity(x1, x2, self.dim, self.eps)


class Identity(Module):
    """Returns its input unchanged (a placeholder layer).

    Examples
    --------
    >>> import nn
    >>> nn.Identity()(nn.tensor([1.0, 2.0]))
    tensor([1., 2.])
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__()

    def forward(self, input: InputLike) -> Any:
        return input


class Flatten(Module):
    """Flattens dims start_dim..end_dim into one (default: everything but the batch axis).

    Examples
    --------
    >>> import numpy as np, nn
    >>> nn.Flatten()(np.zeros((4, 2, 3))).shape
    (4, 6)
    """

    def __init__(self, start_dim: int = 1, end_dim: int = -1) -> None:
        super().__init__()
        self.start_dim = start_dim
        self.end_dim = end_dim

    def forward(self, input: InputLike) -> Tensor:
        return as_input(input).flatten(self.start_dim, self.end_dim)

    def extra_repr(self) -> str:
        return f"start_dim={self.start_dim}, end_dim={self.end_dim}"


class Unflatten(Module):
    """Splits dimension ``dim`` into ``unflattened_size`` (one -1 is inferred), the inverse
    of ``Flatten``.

    Examples
    --------
    >>> import nn
    >>> nn.Unflatten(1, (2, 3))(nn.zeros(4, 6)).shape
    (4, 2, 3)
    """

    def __init__(self, dim: int, unflattened_size: Any) -> None:
        super().__init__()
        self.dim, self.unflattened_size = dim, tuple(unflattened_size)

    def forward(self, input: InputLike) -> Tensor:
        x = as_input(input)
        axis = self.dim % x.ndim if x.ndim else 0
        return x.reshape(*x.shape[:axis], *self.unflattened_size, *x.shape[axis + 1 :])

    def extra_repr(self) -> str:
        return f"dim={self.dim}, unflattened_size={self.unflattened_size}"


class ReLU(Module):
    """max(0, x), elementwise; the course's hidden activation.

    Examples
    --------
    >>> import nn
    >>> nn.ReLU()(nn.tensor([-1.0, 2.0]))
    tensor([0., 2.])
    """

    def __init__(self, inplace: bool = False) -> None:
        super().__init__()
        self.inplace = inplace

    def forward(self, input: InputLike) -> Tensor:
        return F.relu(input, self.inplace)

    def extra_repr(self) -> str:
        return "inplace=True" if self.inplace else ""


class LeakyReLU(Module):
    """x if x > 0 else negative_slope * x.

    Examples
    --------
    >>> import nn
    >>> nn.LeakyReLU(0.1)(nn.tensor([-1.0, 2.0]))
    tensor([-0.1000,  2.0000])
    """

    def __init__(self, negative_slope: float = 0.01, inplace: bool = False) -> None:
        super().__init__()
        self.negative_slope = negative_slope
        self.inplace = inplace

    def forward(self, input: InputLike) -> Tensor:
        return F.leaky_relu(input, self.negative_slope, self.inplace)

    def extra_repr(self) -> str:
        return f"negative_slope={self.negative_slope}"


class Sigmoid(Module):
    """1 / (1 + exp(-x)), without overflow; the course's output activation.

    Examples
    --------
    >>> import nn
    >>> nn.Sigmoid()(nn.tensor([0.0]))
    tensor([0.5000])
    """

    def forward(self, input: InputLike) -> Tensor:
        return F.sigmoid(input)


class Tanh(Module):
    """tanh(x), elementwise.

    Examples
    --------
    >>> import nn
    >>> nn.Tanh()(nn.tensor([0.0]))
    tensor([0.])
    """

    def forward(self, input: InputLike) -> Tensor:
        return F.tanh(input)


class Softmax(Module):
    """exp(x_i) / sum_j exp(x_j) along ``dim``.

    Examples
    --------
    >>> import nn
    >>> nn.Softmax(dim=1)(nn.tensor([[0.0, 0.0]]))
    tensor([[0.5000, 0.5000]])
    """

    def __init__(self, dim: int | None = None) -> None:
        super().__init__()
        self.dim = dim

    def forward(self, input: InputLike) -> Tensor:
        return F.softmax(input, self.dim)

    def extra_repr(self) -> str:
        return f"dim={self.dim}"


class LogSoftmax(Softmax):
    """log(softmax(x)) along ``dim``, computed stably.

    Examples
    --------
    >>> import nn
    >>> nn.LogSoftmax(dim=1)(nn.tensor([[1e4, 0.0]]))
    tensor([[     0., -10000.]])
    """

    def forward(self, input: InputLike) -> Tensor:
        return F.log_softmax(input, self.dim)


class Softmin(Softmax):
    """exp(-x_i) / sum_j exp(-x_j) along ``dim``: softmax of -x.

    Examples
    --------
    >>> import nn
    >>> nn.Softmin(dim=0)(nn.tensor([0.0, 0.0]))
    tensor([0.5000, 0.5000])
    """

    def forward(self, input: InputLike) -> Tensor:
        return F.softmin(input, self.dim)


class Dropout(Module):
    """In training, zero each element with probability p and scale the rest by 1/(1-p).

    In eval mode it is the identity. Masks come from ``generator`` (an int seed makes this
    layer's own generator) or, by default, from the default generator at call time, so
    ``nn.manual_seed`` and ``nn.set_rng_state`` control it.

    Examples
    --------
    >>> import numpy as np, nn
    >>> drop = nn.Dropout(0.5, generator=0)
    >>> sorted(set(drop(np.ones(8)).tolist()))  # kept values are scaled by 1 / (1 - p)
    [0.0, 2.0]
    >>> drop.eval()(np.ones(3))
    tensor([1., 1., 1.], dtype=float64)
    """

    def __init__(
        self, p: float = 0.5, inplace: bool = False, generator: GeneratorLike | None = None
    ) -> None:
        super().__init__()
        if not 0.0 <= p <= 1.0:
            raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
        self.p = p
        self.inplace = inplace
        self._generator = None if generator is None else resolve_generator(generator)

    def forward(self, input: InputLike) -> Tensor:
        return F.dropout(input, self.p, self.training, self.inplace, self._generator)

    def extra_repr(self) -> str:
        return f"p={self.p}, inplace={self.inplace}"


class BatchNorm1d(Module):
    """Batch normalisation of (N, C) or (N, C, L) input over the batch, as ``torch.nn.BatchNorm1d``.

    Each channel c is normalised over every other axis (the batch, and L).

    y = gamma * (x - mean) / sqrt(var + eps) + beta; running_mean and running_var are buffers
    updated in training with ``momentum`` and used in eval mode.

    Examples
    --------
    >>> import numpy as np, nn
    >>> bn = nn.BatchNorm1d(2)
    >>> out = bn(np.array([[1.0, 10.0], [3.0, 30.0]]))
    >>> out.detach().round(decimals=3)
    tensor([[-1., -1.],
            [ 1.,  1.]])
    >>> bn.running_mean
    tensor([0.2000, 2.0000])
    """

    _dims: tuple[int, ...] = (2, 3)
    _expected = "2D or 3D"

    def __init__(
        self,
        num_features: int,
        eps: float = 1e-5,
        momentum: float | None = 0.1,
        affine: bool = True,
        track_running_stats: bool = True,
        device: DeviceLike | None = None,
        dtype: DTypeLike | None = None,
        *,
        bias: bool = True,
    ) -> None:
        super().__init__()
        check_device(device)
        self.num_features = _check_size("num_features", num_features)
        if not eps > 0:
            raise ValueError(f"eps must be positive, got {eps}")
        if momentum is not None and not 0.0 <= momentum <= 1.0:
            raise ValueError(f"momentum must be in [0, 1] or None, got {momentum}")
        self.eps = eps
        self.momentum = momentum
        self.affine = affine
        self.track_running_stats = track_running_stats
        dtype = np.dtype(dtype) if dtype is not None else get_default_dtype()
        self.weight = Parameter(np.ones(num_features, dtype=dtype)) if affine else None
        self.bias = Parameter(np.zeros(num_features, dtype=dtype)) if affine and bias else None
        if track_running_stats:
            self.register_buffer("running_mean", np.zeros(num_features, dtype=dtype))
            self.register_buffer("running_var", np.ones(num_features, dtype=dtype))
            self.register_buffer("num_batches_tracked", np.array(0, dtype=np.int64))
        else:
            self.running_mean = self.running_var = self.num_batches_tracked = None

    def reset_running_stats(self) -> None:
        """Running mean 0, variance 1, no batches counted (as PyTorch's)."""
        if self.track_running_stats and self.running_mean is not None:
            with no_grad():
                self.running_mean.zero_()
                self.running_var.fill_(1)
                self.num_batches_tracked.zero_()

    def forward(self, input: InputLike) -> Tensor:
        input = as_input(input, self.weight.dtype if self.weight is not None else None)
        if input.ndim not in self._dims:
            raise ShapeError(f"expected {self._expected} input (got {input.ndim}D input)")
        mean, var, count = self.running_mean, self.running_var, self.num_batches_tracked
        tracking = self.track_running_stats and mean is not None and var is not None
        return F.batch_norm(
            input,
            mean if tracking else None,
            var if tracking else None,
            self.weight,
            self.bias,
            training=self.training or not tracking,
            momentum=self.momentum,
            eps=self.eps,
            num_batches_tracked=count if tracking and self.training else None,
        )

    def extra_repr(self) -> str:
        return (
            f"{self.num_features}, eps={self.eps}, momentum={self.momentum}, affine={self.affine}, "
            f"bias={self.bias is not None}, track_running_stats={self.track_running_stats}"
        )


class BatchNorm2d(BatchNorm1d):
    """Batch normalisation of (N, C, H, W) input, each channel over the batch and the image,
    as ``torch.nn.BatchNorm2d``.

    Examples
    --------
    >>> import nn
    >>> nn.BatchNorm2d(3)(nn.randn(4, 3, 5, 5)).shape
    (4, 3, 5, 5)
    """

    _dims = (4,)
    _expected = "4D"
