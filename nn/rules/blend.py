"""Blending rules: lerp, addcmul, addcdiv (the optimizers' fused updates), nan_to_num and
the fused products' ignored input (beta = 0), on arrays. Each is rounded once where
PyTorch's kernel is (a fused multiply-add)."""

from __future__ import annotations

import numpy as np

from . import Array, Grads, Rule, fused_multiply_add, unbroadcast
from ._quiet import quiet


def addcmul(s: Array, t1: Array, t2: Array, value: float, needs: tuple[bool, ...]) -> Rule:
    """s + value * t1 * t2, rounded as PyTorch's kernel rounds it (the product value * t1,
    then one fused multiply-add); d/ds = 1, d/dt1 = value t2, d/dt2 = value t1. The arrays
    share one dtype."""
    scale = np.asarray(value, dtype=s.dtype)
    scaled = t1 * scale
    if s.dtype.kind == "f":
        out = fused_multiply_add(scaled, t2, s)
    else:
        out = np.asarray(s + scaled * t2)

    def backward(g: Array) -> Grads:
        return (
            unbroadcast(g, s.shape) if needs[0] else None,
            unbroadcast(g * t2 * scale, t1.shape) if needs[1] else None,
            unbroadcast(g * t1 * scale, t2.shape) if needs[2] else None,
        )

    return out, backward


def addcdiv(s: Array, t1: Array, t2: Array, value: float, needs: tuple[bool, ...]) -> Rule:
    """s + value * t1 / t2, as PyTorch's kernel computes it; d/ds = 1, d/dt1 = value / t2,
    d/dt2 = -value * t1 / t2**2. The arrays share one dtype."""
    scale = np.asarray(value, dtype=s.dtype)
    with quiet():
        out = np.asarray(s + scale * t1 / t2)

    def backward(g: Array) -> Grads:
        return (
            unbroadcast(g, s.shape) if needs[0] else None,
            unbroadcast(g * scale / t2, t1.shape) if needs[1] else None,
            unbroadcast(-g * scale * t1 / (t2 * t2), t2.shape) if needs[2] else None,
        )

    return out, backward


def nan_to_num(x: Array, nan: float, posinf: float | None, neginf: float | None) -> Rule:
    """NaN, inf and -inf replaced (by default 0 and the dtype's largest and lowest finite
    values); the gradient is 0 where replaced, as PyTorch's."""
    info = np.finfo(x.dtype)
    top = info.max if posinf is None else posinf
    bottom = info.min if neginf is None else neginf
    finite = np.isfinite(x)
    replaced = np.where(np.isnan(x), nan, np.where(x > 0, top, bottom)).astype(x.dtype)
    out = np.where(finite, x, replaced)
    return out, lambda g: (np.where(finite, g, g.dtype.type(0)),)


def lerp(start: Array, end: Array, weight: Array, needs: tuple[bool, ...]) -> Rule:
    """start + weight (end - start), computed from the nearer end as PyTorch computes it:
    where |weight| < 0.5, fma(weight, end - start, start), else fma(-(1 - weight), end -
    start, end); d/dstart = 1 - weight, d/dend = weight, d/dweight = end - start. The
    arrays share one dtype (``weight`` may be 0-d)."""
    span = end - start
    one = np.asarray(1, dtype=weight.dtype)
    rest = one - weight
    with quiet():
        near = np.abs(weight) < 0.5
    if weight.ndim == 0:
        out = (
            fused_multiply_add(span, weight, start)
            if near
            else fused_multiply_add(span, -rest, end)
        )
    else:
        out = np.where(
            near, fused_multiply_add(span, weight, start), fused_multiply_add(span, -rest, end)
        )

    def backward(g: Array) -> Grads:
        return (
            unbroadcast(g * rest, start.shape) if needs[0] else None,
            unbroadcast(g * weight, end.shape) if needs[1] else None,
            unbroadcast(g * span, weight.shape) if needs[2] else None,
        )

    return np.asarray(out), backward


def ignored_beside(ignored: Array, kept: Array) -> Rule:
    """``kept`` broadcast with ``ignored`` (whose values are not read: beta = 0 in addmm and
    its kin); d/d(ignored) = 0, d/d(kept) = g summed back to its shape."""
    shape = np.broadcast_shapes(ignored.shape, kept.shape)
    out = np.array(np.broadcast_to(kept, shape))

    def backward(g: Array) -> Grads:
        return (np.zeros(ignored.shape, dtype=g.dtype), unbroadcast(g, kept.shape))

    return out, backward
