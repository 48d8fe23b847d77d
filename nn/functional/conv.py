"""2-D convolution, pooling and channel dropout as functions (``nn.F.conv2d``...), with
PyTorch's arguments, output sizes and error messages, over the rules of ``nn/rules/conv.py``.

Inputs are (N, C, H, W), or (C, H, W) unbatched (as PyTorch: computed with a batch of one
and returned without it).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .._args.inputs import as_input
from ..autograd.graph import node_type
from ..random import draw_bernoulli
from ..rules import conv as conv_rules
from ..rules import layer as layer_rules
from ..tensor import Tensor
from ..types import GeneratorLike, InputLike, IntOrTuple, Padding

ConvolutionBackward0 = node_type("ConvolutionBackward0")
MaxPool2DWithIndicesBackward0 = node_type("MaxPool2DWithIndicesBackward0")
AvgPool2DBackward0 = node_type("AvgPool2DBackward0")
AdaptiveAvgPool2DBackward0 = node_type("AdaptiveAvgPool2DBackward0")
MulBackward0 = node_type("MulBackward0")

Pair = tuple[int, int]


def pair(value: InputLike, name: str) -> Pair:
    """An int or a pair of ints as (height, width)."""
    items = tuple(value) if isinstance(value, tuple | list) else (value, value)
    if len(items) != 2 or not all(
        isinstance(i, int | np.integer) and not isinstance(i, bool) for i in items
    ):
        raise TypeError(f"{name} must be an int or a tuple of two ints, got {value!r}")
    return int(items[0]), int(items[1])


def _batched(input: InputLike, dtype: Any, name: str) -> tuple[Tensor, bool]:
    """The input as a 4-D Tensor, and whether it came without a batch axis."""
    x = as_input(input, dtype)
    if x.ndim not in (3, 4):
        raise RuntimeError(
            f"Expected 3D (unbatched) or 4D (batched) input to {name}, but got input of size: "
            f"{list(x.shape)}"
        )
    return (x.unsqueeze(0), True) if x.ndim == 3 else (x, False)


def _unbatched(y: Tensor, was: bool) -> Tensor:
    return y.squeeze(0) if was else y


def conv2d(
    input: InputLike,
    weight: Tensor,
    bias: Tensor | None = None,
    stride: Any = 1,
    padding: object = 0,
    dilation: Any = 1,
    groups: int = 1,
) -> Tensor:
    """y[n, o] = b[o] + sum over c, u, v of W[o, c, u, v] x[n, c, i*s + u*d, j*s + v*d]
    (cross-correlation, as PyTorch and every deep-learning library call convolution).

    ``padding`` is an int, a pair, ``"valid"`` (none) or ``"same"`` (output as large as the
    input, stride 1; an odd total padding puts the extra row and column at the bottom and
    right, as PyTorch). Computed as one matrix product over the input's windows.

    Examples
    --------
    >>> import nn
    >>> x = nn.ones(1, 1, 4, 4); w = nn.ones(2, 1, 3, 3)
    >>> nn.F.conv2d(x, w, padding=1)[0, 0]
    tensor([[4., 6., 6., 4.],
            [6., 9., 9., 6.],
            [6., 9., 9., 6.],
            [4., 6., 6., 4.]])
    """
    x, unbatched = _batched(input, weight._data.dtype, "conv2d")
    s, d = pair(stride, "stride"), pair(dilation, "dilation")
    _, cg, kh, kw = weight.shape
    if x.shape[1] != cg * groups:
        raise RuntimeError(
            f"Given groups={groups}, weight of size {list(weight.shape)}, expected "
            f"input{list(x.shape)} to have {cg * groups} channels, but got {x.shape[1]} "
            "channels instead"
        )
    pads = _conv_pads(padding, (kh, kw), s, d)
    padded = (x.shape[2] + sum(pads[0]), x.shape[3] + sum(pads[1]))
    span = (d[0] * (kh - 1) + 1, d[1] * (kw - 1) + 1)
    if padded[0] < span[0] or padded[1] < span[1]:
        raise RuntimeError(
            f"Calculated padded input size per channel: ({padded[0]} x {padded[1]}). Kernel "
            f"size: ({span[0]} x {span[1]}). Kernel size can't be greater than actual input size"
        )
    need = (x._rg, weight._rg, bias is not None and bias._rg)
    b = None if bias is None else bias._data
    y, backward = conv_rules.conv2d(x._data, weight._data, b, s, pads, d, groups, need)
    inputs = (x, weight) if bias is None else (x, weight, bias)
    out = Tensor._record(y, inputs, backward, ConvolutionBackward0, (x, weight))
    return _unbatched(out, unbatched)


def single(value: Any, name: str) -> int:
    """An int, or a 1-tuple of one, as PyTorch's 1-D arguments take."""
    items = tuple(value) if isinstance(value, tuple | list) else (value,)
    if len(items) != 1 or not isinstance(items[0], int | np.integer) or isinstance(items[0], bool):
        raise TypeError(f"{name} must be an int or a tuple of one int, got {value!r}")
    return int(items[0])


def conv1d(
    input: InputLike,
    weight: Tensor,
    bias: Tensor | None = None,
    stride: IntOrTuple = 1,
    padding: Padding = 0,
    dilation: IntOrTuple = 1,
    groups: int = 1,
) -> Tensor:
    """y[n, o, i] = b[o] + sum over c, u of W[o, c, u] x[n, c, i*s + u*d]: ``conv2d`` on
    inputs and filters of height 1 (``padding``: an int, ``"valid"`` or ``"same"``).

    Examples
    --------
    >>> import nn
    >>> nn.F.conv1d(nn.ones(1, 1, 5), nn.ones(1, 1, 3), padding=1)
    tensor([[[2., 3., 3., 3., 2.]]])
    """
    x = as_input(input, weight._data.dtype)
    if x.ndim not in (2, 3) or weight.ndim != 3:
        raise RuntimeError(
            "Expected 2D (unbatched) or 3D (batched) input to conv1d, but got input of size: "
            f"{list(x.shape)}"
            if x.ndim not in (2, 3)
            else f"conv1d expects a weight of 3 dimensions, got size {list(weight.shape)}"
        )
    wide = padding if isinstance(padding, str) else (0, single(padding, "padding"))
    out = conv2d(
        x.unsqueeze(-2),
        weight.unsqueeze(-2),
        bias,
        (1, single(stride, "stride")),
        wide,
        (1, single(dilation, "dilation")),
        groups,
    )
    return out.squeeze(-2)


def _conv_pads(padding: Any, kernel: Pair, stride: Pair, dilation: Pair) -> tuple[Pair, Pair]:
    if isinstance(padding, str):
        if padding == "valid":
            return (0, 0), (0, 0)
        if padding != "same":
            raise RuntimeError(f"Invalid padding string: '{padding}'")
        if stride != (1, 1):
            raise RuntimeError("padding='same' is not supported for strided convolutions")
        rows, cols = (dilation[i] * (kernel[i] - 1) for i in range(2))  # total padding
        return (rows // 2, rows - rows // 2), (cols // 2, cols - cols // 2)
    p = pair(padding, "padding")
    if p[0] < 0 or p[1] < 0:
        raise RuntimeError("negative padding is not supported")
    return (p[0], p[0]), (p[1], p[1])


def _pool_geometry(
    x: Tensor,
    kernel_size: Any,
    stride: Any,
    padding: Any,
    dilation: Any,
    ceil_mode: bool,
) -> tuple[Pair, Pair, Pair, Pair, Pair]:
    """Kernel, stride, padding, dilation and output size of a pooling, as PyTorch computes
    them (``ceil_mode`` rounds up, but the last window must start inside the input or the
    left padding)."""
    k = pair(kernel_size, "kernel_size")
    s = k if stride is None or stride == [] or stride == () else pair(stride, "stride")
    p, d = pair(padding, "padding"), pair(dilation, "dilation")
    if 2 * p[0] > k[0] or 2 * p[1] > k[1]:  # (with autograd PyTorch allows half the dilated
        # kernel, then may abort in backward: the stricter check of its default path)
        raise RuntimeError(
            "pad should be smaller than or equal to half of kernel size, but got "
            f"padW = {p[1]}, padH = {p[0]}, kW = {k[1]}, kH = {k[0]}"
        )
    out = []
    for axis in range(2):
        size = x.shape[2 + axis]
        span = d[axis] * (k[axis] - 1) + 1
        numerator = size + 2 * p[axis] - span + (s[axis] - 1 if ceil_mode else 0)
        n = numerator // s[axis] + 1
        if ceil_mode and (n - 1) * s[axis] >= size + p[axis]:
            n -= 1
        out.append(n)
    if out[0] < 1 or out[1] < 1:
        raise RuntimeError(
            f"Given input size: ({x.shape[1]}x{x.shape[2]}x{x.shape[3]}). Calculated output "
            f"size: ({x.shape[1]}x{out[0]}x{out[1]}). Output size is too small"
        )
    return k, s, p, d, (out[0], out[1])


def _pool_pads(x: Tensor, k: Pair, s: Pair, p: Pair, d: Pair, out: Pair) -> tuple[Pair, Pair]:
    """(top, bottom), (left, right): the padding, and at the bottom and right what the
    last window (of ``ceil_mode``) reaches beyond it."""
    pads = []
    for axis in range(2):
        reach = (out[axis] - 1) * s[axis] + d[axis] * (k[axis] - 1) + 1
        pads.append((p[axis], max(reach - x.shape[2 + axis] - p[axis], 0)))
    return pads[0], pads[1]


def max_pool2d(
    input: InputLike,
    kernel_size: Any,
    stride: Any = None,
    padding: object = 0,
    dilation: object = 1,
    ceil_mode: bool = False,
    return_indices: bool = False,
) -> Any:
    """The largest value in each window (stride defaults to the kernel size); NaN wins, and
    among equal values the first; ``return_indices`` adds each one's flat index in its
    (H, W) plane, as PyTorch.

    Examples
    --------
    >>> import nn
    >>> x = nn.arange(16.0).reshape(1, 1, 4, 4)
    >>> nn.F.max_pool2d(x, 2)
    tensor([[[[ 5.,  7.],
              [13., 15.]]]])
    """
    x, unbatched = _batched(input, None, "max_pool2d")
    k, s, p, d, out = _pool_geometry(x, kernel_size, stride, padding, dilation, ceil_mode)
    pads = _pool_pads(x, k, s, p, d, out)
    values, indices, backward = conv_rules.max_pool2d(x._data, k, s, pads, d, out)
    y = _unbatched(
        Tensor._record(values, (x,), backward, MaxPool2DWithIndicesBackward0, (x,)), unbatched
    )
    if return_indices:
        return y, _unbatched(Tensor._make(indices()), unbatched)
    return y


def avg_pool2d(
    input: InputLike,
    kernel_size: Any,
    stride: Any = None,
    padding: object = 0,
    ceil_mode: bool = False,
    count_include_pad: bool = True,
    divisor_override: int | None = None,
) -> Tensor:
    """The mean of each window (stride defaults to the kernel size). The divisor is the
    window's size counting zero padding (``count_include_pad``) but not ``ceil_mode``'s
    overhang, or the count of input elements in it, or ``divisor_override``, as PyTorch.

    Examples
    --------
    >>> import nn
    >>> nn.F.avg_pool2d(nn.arange(16.0).reshape(1, 1, 4, 4), 2)
    tensor([[[[ 2.5000,  4.5000],
              [10.5000, 12.5000]]]])
    """
    x, unbatched = _batched(input, None, "avg_pool2d")
    if divisor_override is not None and divisor_override == 0:
        raise RuntimeError("divisor must be not zero")
    k, s, p, _, out = _pool_geometry(x, kernel_size, stride, padding, 1, ceil_mode)
    pads = _pool_pads(x, k, s, p, (1, 1), out)
    size = (x.shape[2], x.shape[3])
    divisor = conv_rules.pool_divisor(size, k, s, p, out, count_include_pad, divisor_override)
    y, backward = conv_rules.avg_pool2d(x._data, k, s, pads, divisor, out)
    return _unbatched(Tensor._record(y, (x,), backward, AvgPool2DBackward0, (x,)), unbatched)


def adaptive_avg_pool2d(input: InputLike, output_size: Any) -> Tensor:
    """The mean over PyTorch's adaptive bins: output row i averages input rows
    floor(i H / Ho) to ceil((i + 1) H / Ho) - 1 (and columns likewise); ``None`` in
    ``output_size`` keeps that size.

    Examples
    --------
    >>> import nn
    >>> nn.F.adaptive_avg_pool2d(nn.arange(16.0).reshape(1, 1, 4, 4), 1)
    tensor([[[[7.5000]]]])
    """
    x, unbatched = _batched(input, None, "adaptive_avg_pool2d")
    sizes = output_size if isinstance(output_size, tuple | list) else (output_size, output_size)
    kept = tuple(x.shape[2 + i] if n is None else n for i, n in enumerate(sizes))
    out = pair(kept, "output_size")
    y, backward = conv_rules.adaptive_avg_pool2d(x._data, out)
    return _unbatched(
        Tensor._record(y, (x,), backward, AdaptiveAvgPool2DBackward0, (x,)), unbatched
    )


def dropout2d(
    input: InputLike,
    p: float = 0.5,
    training: bool = True,
    inplace: bool = False,
    generator: GeneratorLike | None = None,
) -> Tensor:
    """Zero whole channels with probability p, scaling the kept ones by 1 / (1 - p).

    Examples
    --------
    >>> import nn
    >>> y = nn.F.dropout2d(nn.ones(1, 4, 2, 2), 0.5, generator=0)
    >>> sorted(set(y.reshape(4, 4).mean(1).tolist()))  # each channel: all 0 or all 2
    [0.0, 2.0]
    """
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
    x = as_input(input)
    if x.ndim not in (3, 4):
        raise RuntimeError(
            f"dropout2d: Received a {x.ndim}-D input to dropout2d, which is deprecated and will "
            "result in an error in a future release. Expected a 3-D (unbatched) or 4-D input"
        )
    if not training or p == 0.0:
        return x
    channels = x.shape[:-2] + (1, 1)
    keep = draw_bernoulli(generator, 1.0 - p, channels, np.bool_) if p < 1.0 else None
    out, backward = layer_rules.dropout(x._data, keep, p)
    if inplace:
        return x._inplace(lambda t: Tensor._record(out, (t,), backward, MulBackward0))
    return Tensor._record(out, (x,), backward, MulBackward0)


__all__: list[str] = [
    "adaptive_avg_pool2d",
    "avg_pool2d",
    "conv2d",
    "dropout2d",
    "max_pool2d",
]


def _rows_of_one(input: InputLike, name: str) -> Tensor:
    """(N, C, L) or (C, L) input as (N, C, 1, L) or (C, 1, L): the 2-D pools on height 1."""
    x = as_input(input)
    if x.ndim not in (2, 3):
        raise RuntimeError(f"{name}: expected 2D or 3D input, but got {x.ndim}D input")
    return x.unsqueeze(-2)


def max_pool1d(
    input: InputLike,
    kernel_size: IntOrTuple,
    stride: IntOrTuple | None = None,
    padding: Padding = 0,
    dilation: IntOrTuple = 1,
    ceil_mode: bool = False,
    return_indices: bool = False,
) -> Any:
    """``max_pool2d`` along the last axis of (N, C, L) or (C, L) input (indices along L).

    Examples
    --------
    >>> import nn
    >>> nn.F.max_pool1d(nn.tensor([[[1.0, 3.0, 2.0, 5.0]]]), 2)
    tensor([[[3., 5.]]])
    """
    k = single(kernel_size, "kernel_size")
    s = k if stride is None or stride == () else single(stride, "stride")
    out = max_pool2d(
        _rows_of_one(input, "max_pool1d"),
        (1, k),
        (1, s),
        (0, single(padding, "padding")),
        (1, single(dilation, "dilation")),
        ceil_mode,
        return_indices,
    )
    if return_indices:
        return out[0].squeeze(-2), out[1].squeeze(-2)
    return out.squeeze(-2)


def avg_pool1d(
    input: InputLike,
    kernel_size: IntOrTuple,
    stride: IntOrTuple | None = None,
    padding: Padding = 0,
    ceil_mode: bool = False,
    count_include_pad: bool = True,
) -> Tensor:
    """``avg_pool2d`` along the last axis of (N, C, L) or (C, L) input.

    Examples
    --------
    >>> import nn
    >>> nn.F.avg_pool1d(nn.tensor([[[1.0, 3.0, 2.0, 5.0]]]), 2)
    tensor([[[2.0000, 3.5000]]])
    """
    k = single(kernel_size, "kernel_size")
    s = k if stride is None or stride == () else single(stride, "stride")
    out = avg_pool2d(
        _rows_of_one(input, "avg_pool1d"),
        (1, k),
        (1, s),
        (0, single(padding, "padding")),
        ceil_mode,
        count_include_pad,
    )
    return out.squeeze(-2)


def adaptive_avg_pool1d(input: InputLike, output_size: IntOrTuple) -> Tensor:
    """``adaptive_avg_pool2d`` along the last axis of (N, C, L) or (C, L) input.

    Examples
    --------
    >>> import nn
    >>> nn.F.adaptive_avg_pool1d(nn.tensor([[[1.0, 3.0, 2.0, 5.0]]]), 1)
    tensor([[[2.7500]]])
    """
    size = single(output_size, "output_size")
    return adaptive_avg_pool2d(_rows_of_one(input, "adaptive_avg_pool1d"), (1, size)).squeeze(-2)
