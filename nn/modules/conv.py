"""Convolution and pooling layers: Conv1d, Conv2d, MaxPool1d, MaxPool2d, AvgPool1d,
AdaptiveAvgPool1d, AvgPool2d, AdaptiveAvgPool2d,
Dropout2d, as PyTorch's (same arguments, defaults, initialisation, ``repr``)."""

from __future__ import annotations

import math
from typing import Any, ClassVar

import numpy as np

from .. import init
from .._dtype import get_default_dtype
from ..device import check_device
from ..functional import conv as conv_functions
from ..functional.padding import pad
from ..parameter import Parameter
from ..random import resolve_generator
from ..tensor import Tensor
from ..types import DeviceLike, DTypeLike, GeneratorLike, InputLike
from .layers import Dropout
from .module import Module

_PADDING_MODES = ("zeros", "reflect", "replicate", "circular")


class _ConvNd(Module):
    """What Conv1d and Conv2d share: PyTorch's arguments, checks, initialisation and repr,
    for ``_dims`` spatial dimensions."""

    _dims: ClassVar[int]

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        kernel_size: Any,
        stride: Any = 1,
        padding: Any = 0,
        dilation: Any = 1,
        groups: int = 1,
        bias: bool = True,
        padding_mode: str = "zeros",
        device: DeviceLike | None = None,
        dtype: DTypeLike | None = None,
        generator: GeneratorLike | None = None,
    ) -> None:
        super().__init__()
        check_device(device)
        if groups <= 0:
            raise ValueError("groups must be a positive integer")
        if in_channels % groups:
            raise ValueError("in_channels must be divisible by groups")
        if out_channels % groups:
            raise ValueError("out_channels must be divisible by groups")
        if padding_mode not in _PADDING_MODES:
            raise ValueError(
                f"padding_mode must be one of {list(_PADDING_MODES)}, but got "
                f"padding_mode='{padding_mode}'"
            )
        if isinstance(padding, str):
            if padding not in ("same", "valid"):
                raise ValueError(
                    f"Invalid padding string {padding!r}, should be one of {{'valid', 'same'}}"
                )
            if padding == "same" and set(self._tuple(stride, "stride")) != {1}:
                raise ValueError("padding='same' is not supported for strided convolutions")
        self.in_channels, self.out_channels = in_channels, out_channels
        self.kernel_size = self._tuple(kernel_size, "kernel_size")
        self.stride = self._tuple(stride, "stride")
        self.padding = padding if isinstance(padding, str) else self._tuple(padding, "padding")
        self.dilation = self._tuple(dilation, "dilation")
        self.groups, self.padding_mode = groups, padding_mode
        dtype = np.dtype(dtype) if dtype is not None else get_default_dtype()
        shape = (out_channels, in_channels // groups, *self.kernel_size)
        self.weight = Parameter(np.empty(shape, dtype=dtype))
        self.bias = Parameter(np.empty(out_channels, dtype=dtype)) if bias else None
        self.reset_parameters(generator)

    def _tuple(self, value: Any, name: str) -> tuple[int, ...]:
        return (
            conv_functions.pair(value, name)
            if self._dims == 2
            else (conv_functions.single(value, name),)
        )

    def reset_parameters(self, generator: GeneratorLike | None = None) -> None:
        """PyTorch's default initialisation (drawn from ``generator`` or the default one)."""
        rng = resolve_generator(generator)
        init.kaiming_uniform_(self.weight, a=math.sqrt(5), generator=rng)
        if self.bias is not None:
            fan_in = self.weight.shape[1] * math.prod(self.kernel_size)
            bound = 1.0 / math.sqrt(fan_in) if fan_in > 0 else 0.0
            init.uniform_(self.bias, -bound, bound, generator=rng)

    def _padded(self, input: InputLike) -> tuple[InputLike, tuple[int, ...] | str]:
        """The input and the convolution's padding: with ``padding_mode`` other than
        "zeros", the input padded by ``F.pad`` in that mode (each side of each dimension by
        its padding; "same" split as PyTorch, the odd one after) and no more padding."""
        if self.padding_mode == "zeros":
            return input, self.padding
        if self.padding == "same":
            totals = [d * (k - 1) for d, k in zip(self.dilation, self.kernel_size, strict=True)]
            sides = [(t // 2, t - t // 2) for t in totals]
        elif isinstance(self.padding, str):  # ("valid")
            sides = [(0, 0)] * self._dims
        else:
            sides = [(p, p) for p in self.padding]
        amounts = [n for pair in reversed(sides) for n in pair]
        return pad(input, amounts, self.padding_mode), (0,) * self._dims

    def extra_repr(self) -> str:
        text = (
            f"{self.in_channels}, {self.out_channels}, kernel_size={self.kernel_size}, "
            f"stride={self.stride}"
        )
        if self.padding != (0,) * self._dims:
            text += f", padding={self.padding}"
        if self.dilation != (1,) * self._dims:
            text += f", dilation={self.dilation}"
        if self.groups != 1:
            text += f", groups={self.groups}"
        if self.bias is None:
            text += ", bias=False"
        if self.padding_mode != "zeros":
            text += f", padding_mode={self.padding_mode}"
        return text


class Conv1d(_ConvNd):
    """1-D convolution of (N, C_in, L) inputs with ``out_channels`` filters of
    (C_in / groups, k), as ``torch.nn.Conv1d`` (initialised as Conv2d).

    Examples
    --------
    >>> import nn
    >>> conv = nn.Conv1d(4, 8, 3, padding=1)
    >>> conv.weight.shape, conv(nn.ones(2, 4, 10)).shape
    ((8, 4, 3), (2, 8, 10))
    """

    _dims = 1

    def forward(self, input: InputLike) -> Tensor:
        x, padding = self._padded(input)
        return conv_functions.conv1d(
            x, self.weight, self.bias, self.stride, padding, self.dilation, self.groups
        )


class Conv2d(_ConvNd):
    """2-D convolution of (N, C_in, H, W) inputs with ``out_channels`` filters of
    (C_in / groups, kh, kw), as ``torch.nn.Conv2d``.

    Initialised as PyTorch: weight and bias ~ U(-1/sqrt(fan_in), 1/sqrt(fan_in)) with
    fan_in = C_in / groups * kh * kw (kaiming_uniform_ with a = sqrt(5)).

    Examples
    --------
    >>> import nn
    >>> conv = nn.Conv2d(1, 6, 5, padding=2)
    >>> conv.weight.shape, conv(nn.ones(8, 1, 28, 28)).shape
    ((6, 1, 5, 5), (8, 6, 28, 28))
    """

    _dims = 2

    def forward(self, input: InputLike) -> Tensor:
        x, padding = self._padded(input)
        return conv_functions.conv2d(
            x, self.weight, self.bias, self.stride, padding, self.dilation, self.groups
        )


class _MaxPoolNd(Module):
    """MaxPool1d's and MaxPool2d's arguments and repr, as PyTorch's."""

    def __init__(
        self,
        kernel_size: Any,
        stride: Any = None,
        padding: Any = 0,
        dilation: Any = 1,
        return_indices: bool = False,
        ceil_mode: bool = False,
    ) -> None:
        super().__init__()
        self.kernel_size, self.stride = kernel_size, stride if stride is not None else kernel_size
        self.padding, self.dilation = padding, dilation
        self.return_indices, self.ceil_mode = return_indices, ceil_mode

    def _arguments(self) -> tuple[Any, ...]:
        return (
            self.kernel_size,
            self.stride,
            self.padding,
            self.dilation,
            self.ceil_mode,
            self.return_indices,
        )

    def extra_repr(self) -> str:
        return (
            f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}, "
            f"dilation={self.dilation}, ceil_mode={self.ceil_mode}"
        )


class MaxPool1d(_MaxPoolNd):
    """The largest value of each window along L, as ``torch.nn.MaxPool1d``.

    Examples
    --------
    >>> import nn
    >>> nn.MaxPool1d(2)(nn.ones(1, 3, 10)).shape
    (1, 3, 5)
    """

    def forward(self, input: InputLike) -> Any:
        return conv_functions.max_pool1d(input, *self._arguments())


class MaxPool2d(_MaxPoolNd):
    """The largest value of each window, as ``torch.nn.MaxPool2d``.

    Examples
    --------
    >>> import nn
    >>> nn.MaxPool2d(2)(nn.ones(1, 3, 28, 28)).shape
    (1, 3, 14, 14)
    """

    def forward(self, input: InputLike) -> Any:
        return conv_functions.max_pool2d(input, *self._arguments())


class AvgPool2d(Module):
    """The mean of each window, as ``torch.nn.AvgPool2d``.

    Examples
    --------
    >>> import nn
    >>> nn.AvgPool2d(2, stride=2)(nn.ones(1, 3, 28, 28)).shape
    (1, 3, 14, 14)
    """

    def __init__(
        self,
        kernel_size: Any,
        stride: Any = None,
        padding: Any = 0,
        ceil_mode: bool = False,
        count_include_pad: bool = True,
        divisor_override: int | None = None,
    ) -> None:
        super().__init__()
        self.kernel_size, self.stride = kernel_size, stride if stride is not None else kernel_size
        self.padding, self.ceil_mode = padding, ceil_mode
        self.count_include_pad, self.divisor_override = count_include_pad, divisor_override

    def forward(self, input: InputLike) -> Tensor:
        return conv_functions.avg_pool2d(
            input,
            self.kernel_size,
            self.stride,
            self.padding,
            self.ceil_mode,
            self.count_include_pad,
            self.divisor_override,
        )

    def extra_repr(self) -> str:
        return f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}"


class _AdaptiveAvgPoolNd(Module):
    def __init__(self, output_size: Any) -> None:
        super().__init__()
        self.output_size = output_size

    def extra_repr(self) -> str:
        return f"output_size={self.output_size}"


class AdaptiveAvgPool2d(_AdaptiveAvgPoolNd):
    """The mean over bins that divide the input into ``output_size``, as
    ``torch.nn.AdaptiveAvgPool2d``.

    Examples
    --------
    >>> import nn
    >>> nn.AdaptiveAvgPool2d((1, 1))(nn.ones(2, 8, 7, 7)).shape
    (2, 8, 1, 1)
    """

    def forward(self, input: InputLike) -> Tensor:
        return conv_functions.adaptive_avg_pool2d(input, self.output_size)


class AvgPool1d(Module):
    """The mean of each window along L, as ``torch.nn.AvgPool1d``.

    Examples
    --------
    >>> import nn
    >>> nn.AvgPool1d(3, stride=2, padding=1)
    AvgPool1d(kernel_size=(3,), stride=(2,), padding=(1,))
    """

    def __init__(
        self,
        kernel_size: Any,
        stride: Any = None,
        padding: Any = 0,
        ceil_mode: bool = False,
        count_include_pad: bool = True,
    ) -> None:
        super().__init__()
        self.kernel_size = (conv_functions.single(kernel_size, "kernel_size"),)
        self.stride = (
            self.kernel_size if stride is None else (conv_functions.single(stride, "stride"),)
        )
        self.padding = (conv_functions.single(padding, "padding"),)
        self.ceil_mode, self.count_include_pad = ceil_mode, count_include_pad

    def forward(self, input: InputLike) -> Tensor:
        return conv_functions.avg_pool1d(
            input,
            self.kernel_size,
            self.stride,
            self.padding,
            self.ceil_mode,
            self.count_include_pad,
        )

    def extra_repr(self) -> str:
        return f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}"


class AdaptiveAvgPool1d(_AdaptiveAvgPoolNd):
    """The mean over bins that divide L into ``output_size``, as
    ``torch.nn.AdaptiveAvgPool1d``.

    Examples
    --------
    >>> import nn
    >>> nn.AdaptiveAvgPool1d(1)(nn.ones(2, 8, 7)).shape
    (2, 8, 1)
    """

    def forward(self, input: InputLike) -> Tensor:
        return conv_functions.adaptive_avg_pool1d(input, self.output_size)


class Dropout2d(Dropout):
    """In training, zero each whole channel with probability p and scale the rest by
    1/(1-p), as ``torch.nn.Dropout2d``.

    Examples
    --------
    >>> import nn
    >>> nn.Dropout2d(0.5).eval()(nn.ones(1, 2, 3, 3)).shape
    (1, 2, 3, 3)
    """

    def forward(self, input: InputLike) -> Tensor:
        return conv_functions.dropout2d(input, self.p, self.training, self.inplace, self._generator)
