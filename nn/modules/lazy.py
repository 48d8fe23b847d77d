"""Lazy layers, as ``torch.nn.LazyLinear`` and its siblings: the input size is left out and
read from the first input. Until that first call the parameters (and BatchNorm's running
statistics) are ``UninitializedParameter`` / ``UninitializedBuffer`` objects without a
shape; the first call gives them their shapes, initialises them as the eager layer does
(drawing from the default generator then, as PyTorch draws), and turns the module into
that layer (``LazyLinear`` becomes ``Linear``). Loading a state dict into a lazy module
gives its parameters the loaded shapes.
"""

from __future__ import annotations

import numpy as np

from ..parameter import UninitializedBuffer, UninitializedParameter, is_lazy
from ..tensor import Tensor
from ..types import DeviceLike, DTypeLike, GeneratorLike, IntOrTuple, Padding
from .conv import Conv1d, Conv2d, _ConvNd
from .layers import BatchNorm1d, BatchNorm2d, Linear
from .module import Module


class LazyModuleMixin:
    """What lazy layers share: the hook that initialises them at their first call.

    A lazy layer sets its uninitialised parameters, then calls ``_wait_for_input``; its
    ``initialize_parameters(input)`` gives them shapes from ``input`` and initialises them.
    """

    cls_to_become: type[Module] | None = None

    def _wait_for_input(self) -> None:
        module = self._as_module()
        self._initialize_hook = module.register_forward_pre_hook(self._infer_parameters)

    def _as_module(self) -> Module:
        assert isinstance(self, Module)
        return self

    def has_uninitialized_params(self) -> bool:
        """Whether a parameter or buffer still waits for its shape."""
        module = self._as_module()
        values = [*module._parameters.values(), *module._buffers.values()]
        return any(is_lazy(value) for value in values)

    def initialize_parameters(self, input: object, *args: object, **kwargs: object) -> None:
        """Give the parameters their shapes from the first call's ``input`` and initialise
        them (each lazy layer's own)."""
        raise NotImplementedError(
            f"initialize_parameters is not implemented for {type(self).__name__}"
        )

    def _infer_parameters(self, module: Module, args: tuple[object, ...]) -> None:
        self.initialize_parameters(*args)
        if self.has_uninitialized_params():
            raise RuntimeError(f"module {type(self).__name__} has not been fully initialized")
        self._initialize_hook.remove()
        del self.__dict__["_initialize_hook"]
        if self.cls_to_become is not None:
            self.__class__ = self.cls_to_become  # type: ignore[assignment]


def _shape_of(input: object) -> tuple[int, ...]:
    if not isinstance(input, Tensor):
        raise TypeError(f"a lazy layer's first input must be a Tensor, got {type(input).__name__}")
    return input._data.shape


class LazyLinear(LazyModuleMixin, Linear):
    """``Linear`` with ``in_features`` read from the first input's last dimension.

    Examples
    --------
    >>> import nn
    >>> layer = nn.LazyLinear(4)
    >>> layer(nn.ones(2, 3)).shape, type(layer).__name__, layer.weight.shape
    ((2, 4), 'Linear', (4, 3))
    """

    cls_to_become = Linear

    def __init__(
        self,
        out_features: int,
        bias: bool = True,
        device: DeviceLike | None = None,
        dtype: DTypeLike | None = None,
    ) -> None:
        super().__init__(0, 0, False, device, dtype)
        self.out_features = out_features
        self.weight = UninitializedParameter(device=device, dtype=dtype)
        if bias:
            self.bias = UninitializedParameter(device=device, dtype=dtype)
        self._wait_for_input()

    def reset_parameters(self, generator: GeneratorLike | None = None) -> None:
        if not self.has_uninitialized_params() and self.in_features != 0:
            super().reset_parameters(generator)

    def initialize_parameters(self, input: object, *args: object, **kwargs: object) -> None:
        if self.has_uninitialized_params():
            self.in_features = _shape_of(input)[-1]
            self.weight.materialize((self.out_features, self.in_features))  # type: ignore[attr-defined]
            if self.bias is not None:
                self.bias.materialize((self.out_features,))  # type: ignore[attr-defined]
            self.reset_parameters()
        if self.in_features == 0:  # (parameters loaded from a state dict: their size)
            self.in_features = self.weight.shape[-1]


class _LazyConvMixin(LazyModuleMixin):
    """``in_channels`` from the first input: its dimension 1 (0 when unbatched)."""

    def __init__(
        self,
        out_channels: int,
        kernel_size: IntOrTuple,
        stride: IntOrTuple = 1,
        padding: Padding = 0,
        dilation: IntOrTuple = 1,
        groups: int = 1,
        bias: bool = True,
        padding_mode: str = "zeros",
        device: DeviceLike | None = None,
        dtype: DTypeLike | None = None,
    ) -> None:
        conv = self._as_conv()  # (a Conv1d or Conv2d: its own __init__, with no channels yet)
        _ConvNd.__init__(conv, 0, 0, kernel_size, stride, padding, dilation, groups, False,
                         padding_mode)  # fmt: skip
        conv.out_channels = out_channels
        self._lazy_init(bias, device, dtype)

    def _lazy_init(self, bias: bool, device: DeviceLike | None, dtype: DTypeLike | None) -> None:
        conv = self._as_conv()
        conv.weight = UninitializedParameter(device=device, dtype=dtype)
        if bias:
            conv.bias = UninitializedParameter(device=device, dtype=dtype)
        self._wait_for_input()

    def _as_conv(self) -> _ConvNd:
        assert isinstance(self, _ConvNd)
        return self

    def reset_parameters(self, generator: GeneratorLike | None = None) -> None:
        if not self.has_uninitialized_params() and self._as_conv().in_channels != 0:
            _ConvNd.reset_parameters(self._as_conv(), generator)

    def initialize_parameters(self, input: object, *args: object, **kwargs: object) -> None:
        conv = self._as_conv()
        if self.has_uninitialized_params():
            shape = _shape_of(input)
            conv.in_channels = shape[0] if len(shape) == conv._dims + 1 else shape[1]
            if conv.in_channels % conv.groups != 0:
                raise ValueError("in_channels must be divisible by groups")
            weight = (conv.out_channels, conv.in_channels // conv.groups, *conv.kernel_size)
            conv.weight.materialize(weight)  # type: ignore[attr-defined]
            if conv.bias is not None:
                conv.bias.materialize((conv.out_channels,))  # type: ignore[attr-defined]
            self.reset_parameters()


class LazyConv1d(_LazyConvMixin, Conv1d):
    """``Conv1d`` with ``in_channels`` read from the first input."""

    cls_to_become = Conv1d


class LazyConv2d(_LazyConvMixin, Conv2d):
    """``Conv2d`` with ``in_channels`` read from the first input.

    Examples
    --------
    >>> import nn
    >>> conv = nn.LazyConv2d(6, kernel_size=5, padding=2)
    >>> conv(nn.ones(1, 3, 8, 8)).shape, conv.weight.shape
    ((1, 6, 8, 8), (6, 3, 5, 5))
    """

    cls_to_become = Conv2d


class _LazyNormMixin(LazyModuleMixin):
    """``num_features`` from the first input's dimension 1; ones, zeros, running statistics
    0 and 1 once known."""

    def __init__(
        self,
        eps: float = 1e-5,
        momentum: float | None = 0.1,
        affine: bool = True,
        track_running_stats: bool = True,
        device: DeviceLike | None = None,
        dtype: DTypeLike | None = None,
    ) -> None:
        norm = self._as_norm()  # (its eager class's __init__, with no features and no state)
        BatchNorm1d.__init__(norm, 0, eps, momentum, False, False, device, dtype)
        self._lazy_init(affine, track_running_stats, device, dtype)

    def _lazy_init(
        self,
        affine: bool,
        track_running_stats: bool,
        device: DeviceLike | None,
        dtype: DTypeLike | None,
    ) -> None:
        norm = self._as_norm()
        if affine:
            norm.weight = UninitializedParameter(device=device, dtype=dtype)
            norm.bias = UninitializedParameter(device=device, dtype=dtype)
        norm.affine, norm.track_running_stats = affine, track_running_stats
        if track_running_stats:
            del norm.running_mean, norm.running_var, norm.num_batches_tracked
            norm.register_buffer("running_mean", UninitializedBuffer(device=device, dtype=dtype))
            norm.register_buffer("running_var", UninitializedBuffer(device=device, dtype=dtype))
            norm.register_buffer("num_batches_tracked", np.array(0, dtype=np.int64))
        self._wait_for_input()

    def _as_norm(self) -> BatchNorm1d:
        assert isinstance(self, BatchNorm1d)
        return self

    def initialize_parameters(self, input: object, *args: object, **kwargs: object) -> None:
        norm = self._as_norm()
        if self.has_uninitialized_params():
            norm.num_features = _shape_of(input)[1]
            for name, fill in (
                ("weight", 1.0),
                ("bias", 0.0),
                ("running_mean", 0.0),
                ("running_var", 1.0),
            ):
                value = getattr(norm, name)
                if value is not None:
                    value.materialize((norm.num_features,))
                    value._data[...] = fill


class LazyBatchNorm1d(_LazyNormMixin, BatchNorm1d):
    """``BatchNorm1d`` with ``num_features`` read from the first input."""

    cls_to_become = BatchNorm1d


class LazyBatchNorm2d(_LazyNormMixin, BatchNorm2d):
    """``BatchNorm2d`` with ``num_features`` read from the first input."""

    cls_to_become = BatchNorm2d
