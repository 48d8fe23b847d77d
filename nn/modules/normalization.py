"""Per-sample normalisation layers (no batch statistics, the same in training and
evaluation): ``nn.LayerNorm`` (each sample over its last dimensions, over the rule of
``nn/rules/layer.py``), ``nn.GroupNorm`` (over groups of channels) and
``nn.InstanceNorm1d/2d/3d`` (each channel over its positions)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .._dtype import get_default_dtype
from ..device import check_device
from ..functional.normalization import _shape, group_norm, instance_norm, layer_norm, rms_norm
from ..parameter import Parameter
from ..tensor import Tensor
from ..types import DeviceLike, DTypeLike, InputLike
from .module import Module


def _filled(
    value: float, shape: tuple[int, ...], dtype: DTypeLike | None, wanted: bool
) -> Parameter | None:
    """A Parameter of ``shape`` holding ``value`` (ones for a scale, zeros for a shift), in
    ``dtype`` or the default float dtype; None when the layer has none."""
    kind = np.dtype(dtype) if dtype is not None else get_default_dtype()
    return Parameter(np.full(shape, value, dtype=kind)) if wanted else None


class LayerNorm(Module):
    """Normalises each sample over its last dimensions (``normalized_shape``), then scales and
    shifts by learned ``weight`` (ones) and ``bias`` (zeros), as ``torch.nn.LayerNorm``.

    Examples
    --------
    >>> import nn
    >>> norm = nn.LayerNorm(3)
    >>> norm(nn.tensor([[1.0, 2.0, 3.0]])).detach().round(decimals=4)
    tensor([[-1.2247,  0.0000,  1.2247]])
    """

    def __init__(
        self,
        normalized_shape: int | Sequence[int],
        eps: float = 1e-5,
        elementwise_affine: bool = True,
        bias: bool = True,
        device: DeviceLike | None = None,
        dtype: DTypeLike | None = None,
    ) -> None:
        super().__init__()
        check_device(device)
        self.normalized_shape = _shape(normalized_shape)
        self.eps = eps
        self.elementwise_affine = elementwise_affine
        self.weight = _filled(1.0, self.normalized_shape, dtype, elementwise_affine)
        self.bias = _filled(0.0, self.normalized_shape, dtype, elementwise_affine and bias)

    def forward(self, input: InputLike) -> Tensor:
        return layer_norm(input, self.normalized_shape, self.weight, self.bias, self.eps)

    def extra_repr(self) -> str:
        return (
            f"{self.normalized_shape}, eps={self.eps}, "
            f"elementwise_affine={self.elementwise_affine}, bias={self.bias is not None}"
        )


class RMSNorm(Module):
    """Scales each sample by the root of its mean square over its last dimensions
    (``normalized_shape``), then by a learned ``weight`` (ones), as ``torch.nn.RMSNorm``;
    ``eps`` None means the dtype's machine epsilon.

    Examples
    --------
    >>> import nn
    >>> nn.RMSNorm(2, eps=0.0)(nn.tensor([[3.0, 4.0]])).detach()
    tensor([[0.8485, 1.1314]])
    """

    def __init__(
        self,
        normalized_shape: int | Sequence[int],
        eps: float | None = None,
        elementwise_affine: bool = True,
        device: DeviceLike | None = None,
        dtype: DTypeLike | None = None,
    ) -> None:
        super().__init__()
        check_device(device)
        self.normalized_shape = _shape(normalized_shape)
        self.eps = eps
        self.elementwise_affine = elementwise_affine
        self.weight = _filled(1.0, self.normalized_shape, dtype, elementwise_affine)

    def forward(self, input: InputLike) -> Tensor:
        return rms_norm(input, self.normalized_shape, self.weight, self.eps)

    def extra_repr(self) -> str:
        return (
            f"{self.normalized_shape}, eps={self.eps}, elementwise_affine={self.elementwise_affine}"
        )

    def reset_parameters(self) -> None:
        if self.weight is not None:
            self.weight.data.fill_(1.0)


class GroupNorm(Module):
    """Normalises each sample's ``num_channels`` channels in ``num_groups`` groups, then
    scales and shifts each channel by learned ``weight`` (ones) and ``bias`` (zeros), as
    ``torch.nn.GroupNorm``."""

    def __init__(
        self,
        num_groups: int,
        num_channels: int,
        eps: float = 1e-5,
        affine: bool = True,
        device: DeviceLike | None = None,
        dtype: DTypeLike | None = None,
        *,
        bias: bool = True,
    ) -> None:
        super().__init__()
        check_device(device)
        if num_channels % num_groups:
            raise ValueError("num_channels must be divisible by num_groups")
        self.num_groups, self.num_channels, self.eps, self.affine = (
            num_groups, num_channels, eps, affine,
        )  # fmt: skip
        kind = np.dtype(dtype) if dtype is not None else get_default_dtype()
        self.weight = Parameter(np.ones(num_channels, dtype=kind)) if affine else None
        self.bias = Parameter(np.zeros(num_channels, dtype=kind)) if affine and bias else None

    def forward(self, input: InputLike) -> Tensor:
        return group_norm(input, self.num_groups, self.weight, self.bias, self.eps)

    def extra_repr(self) -> str:
        return (
            f"{self.num_groups}, {self.num_channels}, eps={self.eps}, affine={self.affine}, "
            f"bias={self.bias is not None}"
        )


class _InstanceNorm(Module):
    """Normalises each channel of each sample over its positions (``dims`` of them after
    the channel), as ``torch.nn.InstanceNorm1d/2d/3d``; without running statistics."""

    dims: int

    def __init__(
        self,
        num_features: int,
        eps: float = 1e-5,
        momentum: float = 0.1,
        affine: bool = False,
        track_running_stats: bool = False,
        device: DeviceLike | None = None,
        dtype: DTypeLike | None = None,
        *,
        bias: bool = True,
    ) -> None:
        super().__init__()
        check_device(device)
        if track_running_stats:
            raise NotImplementedError(
                f"{type(self).__name__}(track_running_stats=True): descend's instance norm "
                "keeps no running statistics"
            )
        self.num_features, self.eps, self.momentum = num_features, eps, momentum
        self.affine, self.track_running_stats = affine, track_running_stats
        kind = np.dtype(dtype) if dtype is not None else get_default_dtype()
        self.weight = Parameter(np.ones(num_features, dtype=kind)) if affine else None
        self.bias = Parameter(np.zeros(num_features, dtype=kind)) if affine and bias else None

    def forward(self, input: InputLike) -> Tensor:
        x = input if isinstance(input, Tensor) else Tensor(input)
        if x.ndim not in (self.dims + 1, self.dims + 2):
            raise ValueError(
                f"expected {self.dims + 1}D or {self.dims + 2}D input (got {x.ndim}D input)"
            )
        unbatched = x.ndim == self.dims + 1
        batch = x.unsqueeze(0) if unbatched else x
        out = instance_norm(batch, weight=self.weight, bias=self.bias, eps=self.eps)
        return out.squeeze(0) if unbatched else out

    def extra_repr(self) -> str:
        return (
            f"{self.num_features}, eps={self.eps}, momentum={self.momentum}, "
            f"affine={self.affine}, bias={self.bias is not None}, "
            f"track_running_stats={self.track_running_stats}"
        )


class InstanceNorm1d(_InstanceNorm):
    """Instance norm of (N, C, L) or (C, L) inputs, as ``torch.nn.InstanceNorm1d``."""

    dims = 1


class InstanceNorm2d(_InstanceNorm):
    """Instance norm of (N, C, H, W) or (C, H, W) inputs, as ``torch.nn.InstanceNorm2d``."""

    dims = 2


class InstanceNorm3d(_InstanceNorm):
    """Instance norm of (N, C, D, H, W) or (C, D, H, W) inputs, as
    ``torch.nn.InstanceNorm3d``."""

    dims = 3
