"""lerp, addcmul, addcdiv and nan_to_num (with their in-place forms): values as PyTorch
computes them, gradients against finite differences, and against live torch when installed."""

from __future__ import annotations

import numpy as np
import pytest

import nn

rng = np.random.default_rng(0)
A, B = rng.standard_normal(5), rng.standard_normal(5)
C = np.abs(rng.standard_normal(5)) + 0.5
W = np.array([-0.9, -0.2, 0.3, 0.6, 1.4])  # both of lerp's formulas, and beyond [0, 1]


def leaves():
    return [nn.tensor(v.copy(), requires_grad=True) for v in (A, B, C, W)]


@pytest.mark.parametrize(
    "fn",
    [
        lambda a, b, c, w: a.lerp(b, 0.3),
        lambda a, b, c, w: a.lerp(b, -0.7),
        lambda a, b, c, w: a.lerp(b, w),
        lambda a, b, c, w: a.addcmul(b, c, value=0.3),
        lambda a, b, c, w: nn.addcdiv(a, b, c, value=-2.0),
    ],
)
def test_gradients_match_finite_differences(fn):
    assert nn.gradcheck(fn, tuple(leaves()))


def test_values_and_in_place_forms():
    a, b, c, w = (nn.tensor(v) for v in (A, B, C, W))
    np.testing.assert_allclose(a.lerp(b, w).numpy(), A + W * (B - A), rtol=1e-12)
    np.testing.assert_allclose(a.addcmul(b, c, value=0.5).numpy(), A + 0.5 * B * C, rtol=1e-12)
    np.testing.assert_allclose(a.addcdiv(b, c, value=-1).numpy(), A - B / C, rtol=1e-12)
    ema = nn.tensor(A.copy())
    same = ema.lerp_(b, 0.1).addcmul_(b, b, value=0.01).addcdiv_(b, c, value=-0.1)
    assert same is ema
    np.testing.assert_allclose(ema.numpy(), A + 0.1 * (B - A) + 0.01 * B * B - 0.1 * B / C)
    x = nn.tensor([np.nan, np.inf, -np.inf, 2.0], requires_grad=True)
    cleaned = x.nan_to_num(nan=1.0, neginf=-5.0)
    assert cleaned.tolist() == [1.0, float(np.finfo(np.float32).max), -5.0, 2.0]
    cleaned.sum().backward()
    assert x.grad.tolist() == [0.0, 0.0, 0.0, 1.0]
    with pytest.raises(RuntimeError, match="leaf Variable"):
        nn.tensor([1.0], requires_grad=True).lerp_(nn.tensor([2.0]), 0.5)


@pytest.mark.torch
def test_as_pytorchs():
    torch = pytest.importorskip("torch")
    for dtype, rtol in ((np.float32, 1e-6), (np.float64, 1e-14)):
        ours = [nn.tensor(v.astype(dtype), requires_grad=True) for v in (A, B, C, W)]
        theirs = [torch.tensor(v.astype(dtype), requires_grad=True) for v in (A, B, C, W)]
        for lib, (a, b, c, w) in ((nn, ours), (torch, theirs)):
            total = a.lerp(b, w) + a.lerp(b, 0.8) + a.addcmul(b, c, value=0.3)
            total = total + lib.addcdiv(a, b, c, value=-0.5)
            (total * lib.arange(5.0, dtype=a.dtype)).sum().backward()
        for mine, expected in zip(ours, theirs, strict=True):
            np.testing.assert_allclose(mine.grad.numpy(), expected.grad.numpy(), rtol=rtol)


def test_scatter_and_scatter_add_as_pytorchs():
    """The one-hot idiom, repeated indices (the last write wins; additions add up), the
    gradients (0 where written over; src gets the gradient at its positions) and the index
    checks, with the numbers PyTorch gives."""
    labels = nn.tensor([1, 3, 0])
    one_hot = nn.zeros(3, 4).scatter_(1, labels[:, None], 1.0)
    assert one_hot.tolist() == [[0, 1, 0, 0], [0, 0, 0, 1], [1, 0, 0, 0]]
    src = nn.arange(4.0).reshape(2, 2).requires_grad_()
    base = nn.zeros(2, 4, requires_grad=True)
    out = base.scatter(1, nn.tensor([[0, 2], [3, 3]]), src)
    assert out.tolist() == [[0, 0, 1, 0], [0, 0, 0, 3]]
    (out * nn.arange(8.0).reshape(2, 4)).sum().backward()
    assert base.grad.tolist() == [[0, 1, 0, 3], [4, 5, 6, 0]]
    assert src.grad.tolist() == [[0, 2], [7, 7]]
    added = nn.zeros(2, 3, requires_grad=True)
    ones = nn.ones(2, 2, requires_grad=True)
    total = nn.scatter_add(added, 1, nn.tensor([[0, 0], [2, 1]]), ones)
    assert total.tolist() == [[2, 0, 0], [0, 1, 1]]
    (total * nn.arange(6.0).reshape(2, 3)).sum().backward()
    assert added.grad.tolist() == [[0, 1, 2], [3, 4, 5]] and ones.grad.tolist() == [[0, 0], [5, 4]]
    with pytest.raises(RuntimeError, match="index -1 is out of bounds for dimension 1"):
        nn.zeros(3, 4).scatter(1, nn.tensor([[-1]]), 1.0)
    with pytest.raises(NotImplementedError, match="scatter_add"):
        nn.zeros(3).scatter(0, nn.tensor([0]), 1.0, reduce="add")
