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

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from . import Array, Fresh, Grads, Rule

Pair = tuple[int, int]


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
    """y = conv(x, W) + b for x (N, C, H, W) and W (O, C / groups, kh, kw).

    Laid out per example and group so that every product is a stacked BLAS call and the
    output comes out in (N, O, Ho, Wo) order without a transpose:
    cols (N, G, Cg kh kw, Ho Wo), y = W (G, Og, Cg kh kw) @ cols."""
    n, c, h, w = x.shape
    o, cg, kh, kw = W.shape
    xp = pad(x, pads)
    out = (
        output_size(h, kh, stride[0], pads[0], dilation[0]),
        output_size(w, kw, stride[1], pads[1], dilation[1]),
    )
    og, k, positions = o // groups, cg * kh * kw, out[0] * out[1]
    win = windows(xp, (kh, kw), stride, dilation, out)  # (N, C, Ho, Wo, kh, kw), a view
    cols = win.transpose(0, 1, 4, 5, 2, 3).reshape(n, groups, k, positions)  # the one copy
    Wg = W.reshape(groups, og, k)
    y = (Wg @ cols).reshape(n, o, *out)
    if b is not None:
        y += b.reshape(1, o, 1, 1)

    def backward(g: Array) -> Grads:
        g4 = g.reshape(n, groups, og, positions)
        grad_x = grad_w = grad_b = None
        if need[0]:
            g_cols = Wg.transpose(0, 2, 1) @ g4  # (N, G, k, Ho Wo)
            g_win = g_cols.reshape(n, c, kh, kw, *out).transpose(0, 1, 4, 5, 2, 3)
            grad_x = unpad(scatter_windows(g_win, xp.shape, stride, dilation), pads)
        if need[1]:
            grad_w = (g4 @ cols.transpose(0, 1, 3, 2)).sum(axis=0).reshape(W.shape)
        if b is not None and need[2]:
            grad_b = g.sum(axis=(0, 2, 3))
        return Fresh((grad_x, grad_w, grad_b))

    return y, backward


def _window_slices(
    shape: tuple[int, ...], kernel: Pair, stride: Pair, dilation: Pair, out: Pair
) -> list[tuple[slice, ...]]:
    """For each window position (u, v), in order, the slice of a padded (N, C, Hp, Wp)
    array that holds that element of every window: shape (N, C, Ho, Wo)."""
    return [
        (
            slice(None),
            slice(None),
            slice(u * dilation[0], u * dilation[0] + (out[0] - 1) * stride[0] + 1, stride[0]),
            slice(v * dilation[1], v * dilation[1] + (out[1] - 1) * stride[1] + 1, stride[1]),
        )
        for u in range(kernel[0])
        for v in range(kernel[1])
    ]


def max_pool2d(
    x: Array, kernel: Pair, stride: Pair, pads: tuple[Pair, Pair], dilation: Pair, out: Pair
) -> tuple[Array, Callable[[], Array], Callable[[Array], Grads]]:
    """The largest value of each window, a function giving its flat index in the (H, W)
    plane, and the backward that routes each gradient to that element.

    As PyTorch's kernel: the first of equal largest values wins, but a NaN beats everything
    and the last NaN wins. ``pads`` are -inf borders (the bottom/right ones also cover
    ``ceil_mode``'s last partial window); a window that holds padding only (possible with
    dilation) gives -inf, PyTorch's index (its first dilated position at or past the
    input's start) and no gradient. Computed over the kh kw window positions, each a
    strided view of the input (no copy of the windows)."""
    h, w = x.shape[2:]
    xp = pad(x, pads, -np.inf)
    slices = _window_slices(xp.shape, kernel, stride, dilation, out)
    values = xp[slices[0]].copy()
    for where in slices[1:]:
        np.maximum(values, xp[where], out=values)  # (NaN wins)
    # the first position holding the largest value: count the positions passed before it
    best = np.zeros(values.shape, dtype=np.int64)
    pending = xp[slices[0]] != values
    for where in slices[1:]:
        best += pending
        pending &= xp[where] != values
    nan = np.isnan(values)
    if nan.any():  # the last NaN
        for position, where in enumerate(slices):
            np.copyto(best, position, where=np.isnan(xp[where]))

    def indices() -> Array:
        """Each winner's flat index in its (H, W) plane (PyTorch's ``return_indices``)."""
        u, v = np.divmod(best, kernel[1])
        top = np.arange(out[0]).reshape(-1, 1) * stride[0] - pads[0][0]
        left = np.arange(out[1]) * stride[1] - pads[1][0]
        rows, cols = top + u * dilation[0], left + v * dilation[1]
        flat: Array = rows * w + cols
        inside = (rows >= 0) & (rows < h) & (cols >= 0) & (cols < w)
        if inside.all():
            return flat
        # a window of padding only: PyTorch's index, its first dilated position in the input
        first_row = np.where(top < 0, top - (top // dilation[0]) * dilation[0], top)
        first_col = np.where(left < 0, left - (left // dilation[1]) * dilation[1], left)
        return np.where(inside, flat, first_row * w + first_col)

    def backward(g: Array) -> Grads:
        """Each gradient added at its winner's flat index in the padded input, in output
        order (PyTorch's order: equal sums where windows overlap); padding is cut off."""
        n, c, hp, wp = xp.shape
        offsets = np.array(
            [
                u * dilation[0] * wp + v * dilation[1]
                for u in range(kernel[0])
                for v in range(kernel[1])
            ]
        )
        corners = (
            np.arange(n * c).reshape(n, c, 1, 1) * (hp * wp)
            + np.arange(out[0]).reshape(-1, 1) * (stride[0] * wp)
            + np.arange(out[1]) * stride[1]
        )
        grad = np.zeros(xp.size, dtype=g.dtype)
        np.add.at(grad, (corners + offsets[best]).reshape(-1), g.reshape(-1))
        return (unpad(grad.reshape(xp.shape), pads),)

    return values, indices, backward


def pool_divisor(
    size: Pair,
    kernel: Pair,
    stride: Pair,
    padding: Pair,
    out: Pair,
    count_include_pad: bool,
    divisor_override: int | None,
) -> Array:
    """What each average-pooling window's sum is divided by (Ho, Wo): the window's size
    counting zero padding (``count_include_pad``) but not ``ceil_mode``'s overhang, or the
    count of input elements in it, or ``divisor_override``, as PyTorch."""
    if divisor_override is not None:
        return np.full(out, float(divisor_override))
    counts = []
    for axis in range(2):
        start = np.arange(out[axis]) * stride[axis] - padding[axis]
        end = np.minimum(start + kernel[axis], size[axis] + padding[axis])
        if not count_include_pad:
            start, end = np.maximum(start, 0), np.minimum(end, size[axis])
        counts.append(end - start)
    return np.outer(counts[0], counts[1]).astype(np.float64)


def avg_pool2d(
    x: Array, kernel: Pair, stride: Pair, pads: tuple[Pair, Pair], divisor: Array, out: Pair
) -> Rule:
    """The sum of each window divided by ``divisor`` (Ho, Wo): window size, or the count
    of elements in it, as the caller decides."""
    xp = pad(x, pads)
    win = windows(xp, kernel, stride, (1, 1), out)
    y = (win.sum(axis=(-2, -1)) / divisor).astype(x.dtype, copy=False)

    def backward(g: Array) -> Grads:
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

    def backward(g: Array) -> Grads:
        g_rows = np.zeros(by_rows.shape, dtype=g.dtype)
        for j, (a, b) in enumerate(cols):
            g_rows[..., a:b] += g[..., j : j + 1] / (b - a)
        grad = np.zeros(x.shape, dtype=g.dtype)
        for i, (a, b) in enumerate(rows):
            grad[:, :, a:b] += g_rows[:, :, i : i + 1] / (b - a)
        return (grad,)

    return y, backward
