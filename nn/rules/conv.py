"""Convolution and pooling rules on (N, C, H, W) arrays, each one node.

A 2-D convolution is a matrix product over windows ("im2col"): every (kh, kw) window of
every input channel, at every output position, becomes a row of ``cols``:

    cols[(n, i, j), (c, u, v)] = x_padded[n, c, i*sh + u*dh, j*sw + v*dw]
    y[n, o, i, j] = sum_(c, u, v) cols[(n, i, j), (c, u, v)] W[o, c, u, v] + b[o]

so ``y = cols @ W^T`` (per group), and backward is two more products:

    dL/dW = G^T cols        dL/dcols = G W        dL/db = sum of G over n, i, j

with ``dL/dx`` summed back from ``dL/dcols`` window position by window position ("col2im").
Windows are strided views (``sliding_window_view``); the only copies are ``cols`` and the
gradients.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from . import Array, Fresh

Pair = tuple[int, int]
Rule = tuple[Array, Callable[[Array], tuple[Any, ...]]]


def output_size(size: int, kernel: int, stride: int, pad: tuple[int, int], dilation: int) -> int:
    """floor((size + pads - dilation (kernel - 1) - 1) / stride) + 1."""
    return (size + pad[0] + pad[1] - dilation * (kernel - 1) - 1) // stride + 1


def windows(xp: Array, kernel: Pair, stride: Pair, dilation: Pair, out: Pair) -> Array:
    """View of (N, C, Ho, Wo, kh, kw): the window of each output position (no copy)."""
    span = (dilation[0] * (kernel[0] - 1) + 1, dilation[1] * (kernel[1] - 1) + 1)
    view = sliding_window_view(xp, span, axis=(2, 3))
    return view[
        :,
        :,
        : (out[0] - 1) * stride[0] + 1 : stride[0],
        : (out[1] - 1) * stride[1] + 1 : stride[1],
        :: dilation[0],
        :: dilation[1],
    ]


def scatter_windows(
    g_windows: Array, shape: tuple[int, ...], stride: Pair, dilation: Pair
) -> Array:
    """The adjoint of ``windows``: sum (N, C, Ho, Wo, kh, kw) values back into an array of
    ``shape`` (N, C, Hp, Wp), one strided slice per window position (kh * kw additions)."""
    grad = np.zeros(shape, dtype=g_windows.dtype)
    _, _, ho, wo, kh, kw = g_windows.shape
    for u in range(kh):
        top = u * dilation[0]
        for v in range(kw):
            left = v * dilation[1]
            grad[
                :,
                :,
                top : top + (ho - 1) * stride[0] + 1 : stride[0],
                left : left + (wo - 1) * stride[1] + 1 : stride[1],
            ] += g_windows[:, :, :, :, u, v]
    return grad


def pad(x: Array, pads: tuple[Pair, Pair], value: float = 0.0) -> Array:
    """``x`` with (top, bottom) and (left, right) borders of ``value`` (no copy if none)."""
    if not any(pads[0]) and not any(pads[1]):
        return x
    return np.pad(x, ((0, 0), (0, 0), pads[0], pads[1]), constant_values=value)


def unpad(grad: Array, pads: tuple[Pair, Pair]) -> Array:
    (top, bottom), (left, right) = pads
    h, w = grad.shape[2], grad.shape[3]
    return grad[:, :, top : h - bottom, left : w - right]


def conv2d(
    x: Array,
    W: Array,
    b: Array | None,
    stride: Pair,
    pads: tuple[Pair, Pair],
    dilation: Pair,
    groups: int,
    need: tuple[bool, bool, bool] = (True, True, True),
) -> Rule:
    """y = conv(x, W) + b for x (N, C, H, W) and W (O, C / groups, kh, kw)."""
    n, c, h, w = x.shape
    o, cg, kh, kw = W.shape
    xp = pad(x, pads)
    out = (
        output_size(h, kh, stride[0], pads[0], dilation[0]),
        output_size(w, kw, stride[1], pads[1], dilation[1]),
    )
    og, k = o // groups, cg * kh * kw
    win = windows(xp, (kh, kw), stride, dilation, out)  # (N, C, Ho, Wo, kh, kw)
    # cols: (groups, N * Ho * Wo, Cg * kh * kw), a copy in the layout the product wants
    cols = (
        win.reshape(n, groups, cg, out[0], out[1], kh, kw)
        .transpose(1, 0, 3, 4, 2, 5, 6)
        .reshape(groups, n * out[0] * out[1], k)
    )
    Wg = W.reshape(groups, og, k)
    y = cols @ Wg.transpose(0, 2, 1)  # (groups, N * Ho * Wo, Og)
    y = y.reshape(groups, n, out[0], out[1], og).transpose(1, 0, 4, 2, 3).reshape(n, o, *out)
    y = np.ascontiguousarray(y)
    if b is not None:
        y += b.reshape(1, o, 1, 1)

    def backward(g: Array) -> tuple[Any, ...]:
        # G as (groups, N * Ho * Wo, Og), the layout of y's product
        g2 = g.reshape(n, groups, og, out[0], out[1]).transpose(1, 0, 3, 4, 2)
        g2 = g2.reshape(groups, n * out[0] * out[1], og)
        grad_x = grad_w = grad_b = None
        if need[0]:
            g_cols = g2 @ Wg  # (groups, N * Ho * Wo, k)
            g_win = (
                g_cols.reshape(groups, n, out[0], out[1], cg, kh, kw)
                .transpose(1, 0, 4, 2, 3, 5, 6)
                .reshape(n, c, out[0], out[1], kh, kw)
            )
            grad_x = unpad(scatter_windows(g_win, xp.shape, stride, dilation), pads)
        if need[1]:
            grad_w = (g2.transpose(0, 2, 1) @ cols).reshape(W.shape)
        if b is not None and need[2]:
            grad_b = g.sum(axis=(0, 2, 3))
        return Fresh((grad_x, grad_w, grad_b))

    return y, backward


def max_pool2d(
    x: Array, kernel: Pair, stride: Pair, pads: tuple[Pair, Pair], dilation: Pair, out: Pair
) -> tuple[Array, Array, Callable[[Array], tuple[Any, ...]]]:
    """The largest value of each window, its flat index in the (H, W) plane, and the
    backward that routes each gradient to that element.

    As PyTorch's kernel: the first of equal largest values wins, but a NaN beats everything
    and the last NaN wins. ``pads`` are -inf borders (the bottom/right ones also cover
    ``ceil_mode``'s last partial window); a window that holds padding only (possible with
    dilation) gives -inf, PyTorch's index (its first dilated position at or past the
    input's start) and no gradient."""
    n, c, h, w = x.shape
    xp = pad(x, pads, -np.inf)
    win = windows(xp, kernel, stride, dilation, out).reshape(n, c, out[0], out[1], -1)
    best = np.argmax(win, axis=-1)  # the first largest, or the first NaN
    values = np.take_along_axis(win, best[..., None], axis=-1)[..., 0]
    nan = np.isnan(values)
    if nan.any():  # the last NaN instead
        last = win.shape[-1] - 1 - np.argmax(np.isnan(win[..., ::-1]), axis=-1)
        best = np.where(nan, last, best)
    u, v = np.divmod(best, kernel[1])
    top = np.arange(out[0]).reshape(-1, 1) * stride[0] - pads[0][0]
    left = np.arange(out[1]) * stride[1] - pads[1][0]
    rows, cols = top + u * dilation[0], left + v * dilation[1]
    inside = (rows >= 0) & (rows < h) & (cols >= 0) & (cols < w)
    indices = rows * w + cols
    if not inside.all():  # padding only: PyTorch's index, and the gradient goes nowhere
        first_row = np.where(top < 0, top - (top // dilation[0]) * dilation[0], top)
        first_col = np.where(left < 0, left - (left // dilation[1]) * dilation[1], left)
        indices = np.where(inside, indices, first_row * w + first_col)

    def backward(g: Array) -> tuple[Any, ...]:
        planes = np.arange(n * c).reshape(n, c, 1, 1) * (h * w)
        targets = planes + indices
        summed = np.bincount(targets[inside], weights=g[inside], minlength=n * c * h * w)
        return (summed.astype(x.dtype, copy=False).reshape(x.shape),)

    return values, indices.astype(np.int64), backward


def avg_pool2d(
    x: Array, kernel: Pair, stride: Pair, pads: tuple[Pair, Pair], divisor: Array, out: Pair
) -> Rule:
    """The sum of each window divided by ``divisor`` (Ho, Wo): window size, or the count
    of elements in it, as the caller decides."""
    xp = pad(x, pads)
    win = windows(xp, kernel, stride, (1, 1), out)
    y = (win.sum(axis=(-2, -1)) / divisor).astype(x.dtype, copy=False)

    def backward(g: Array) -> tuple[Any, ...]:
        share = (g / divisor).astype(x.dtype, copy=False)
        spread = np.broadcast_to(share[..., None, None], (*share.shape, *kernel))
        return (unpad(scatter_windows(spread, xp.shape, stride, (1, 1)), pads),)

    return y, backward


def adaptive_bins(size: int, out: int) -> list[tuple[int, int]]:
    """PyTorch's adaptive bins: bin i covers [floor(i size / out), ceil((i + 1) size / out))."""
    return [((i * size) // out, -((-(i + 1) * size) // out)) for i in range(out)]


def adaptive_avg_pool2d(x: Array, out: Pair) -> Rule:
    """The mean of each (row bin, column bin) rectangle, computed as the mean over each
    column bin of the means over each row bin (H_out + W_out NumPy calls; a NaN stays in
    its bins)."""
    rows, cols = adaptive_bins(x.shape[2], out[0]), adaptive_bins(x.shape[3], out[1])
    by_rows = np.stack([x[:, :, a:b].mean(axis=2) for a, b in rows], axis=2)
    y = np.stack([by_rows[..., a:b].mean(axis=3) for a, b in cols], axis=3)

    def backward(g: Array) -> tuple[Any, ...]:
        g_rows = np.zeros(by_rows.shape, dtype=g.dtype)
        for j, (a, b) in enumerate(cols):
            g_rows[..., a:b] += g[..., j : j + 1] / (b - a)
        grad = np.zeros(x.shape, dtype=g.dtype)
        for i, (a, b) in enumerate(rows):
            grad[:, :, a:b] += g_rows[:, :, i : i + 1] / (b - a)
        return (grad,)

    return y, backward
