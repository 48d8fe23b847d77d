"""Every differentiable rule of nn/rules, on arrays (no Tensor, no engine), against central
finite differences: for L = sum(out * W) with a random W, each input's gradient from the
rule's backward must equal (L(x + h e_i) - L(x - h e_i)) / 2h, over hypothesis-drawn
shapes and values in float64. Points where a rule's derivative jumps (|x| at 0, clamps at
their bounds, maxima with ties) are kept away by the value strategies."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nn.rules import (
    activation,
    arithmetic,
    conversion,
    elementwise,
    indexing,
    layer,
    linalg,
    loss,
    ordering,
    piecewise,
    reduction,
    regression,
    special,
)
from nn.rules import embedding as embedding_rules
from nn.rules import inplace as inplace_rules
from nn.rules import shape as shape_rules
from nn.rules._quiet import quiet

Rule = Callable[..., tuple[np.ndarray, Callable[[np.ndarray], tuple[Any, ...]]]]

STEP = 1e-6


def _numeric(rule: Rule, arrays: list[np.ndarray], weights: np.ndarray, which: int) -> np.ndarray:
    grad = np.zeros_like(arrays[which])
    for i in np.ndindex(arrays[which].shape):
        values = []
        for sign in (1, -1):
            moved = [a.copy() for a in arrays]
            moved[which][i] += sign * STEP
            values.append(float(np.sum(rule(*moved)[0] * weights)))
        grad[i] = (values[0] - values[1]) / (2 * STEP)
    return grad


def _check(
    rule: Rule, arrays: list[np.ndarray], differentiable: tuple[int, ...], seed: int
) -> None:
    with quiet():  # (as the engine runs rules: 0 / 0 is NaN silently, as in PyTorch)
        _compare(rule, arrays, differentiable, seed)


def _compare(
    rule: Rule, arrays: list[np.ndarray], differentiable: tuple[int, ...], seed: int
) -> None:
    out, backward = rule(*arrays)
    weights = np.random.default_rng(seed).standard_normal(np.shape(out))
    grads = backward(weights if np.ndim(out) else np.asarray(weights))
    for which in differentiable:
        expected = _numeric(rule, arrays, weights, which)
        got = np.broadcast_to(grads[which], arrays[which].shape)
        np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-6, err_msg=f"input {which}")


def _array(data: Any, shape: tuple[int, ...], low: float = -2.0, high: float = 2.0) -> np.ndarray:
    rng = np.random.default_rng(data.draw(st.integers(0, 2**16)))
    values = rng.uniform(low, high, shape)
    return np.where(np.abs(values) < 0.05, 0.3, values)  # (away from kinks at 0)


def _shape(data: Any, min_dims: int = 1, max_dims: int = 3) -> tuple[int, ...]:
    return tuple(data.draw(st.lists(st.integers(1, 3), min_size=min_dims, max_size=max_dims)))


# name: (rule taking the arrays, how many arrays, value range, differentiable inputs)
UNARY: dict[str, tuple[Rule, tuple[float, float]]] = {
    "exp": (elementwise.exp, (-2, 2)),
    "log": (elementwise.log, (0.2, 3)),
    "log10": (elementwise.log10, (0.2, 3)),
    "log2": (elementwise.log2, (0.2, 3)),
    "log1p": (elementwise.log1p, (-0.5, 3)),
    "expm1": (elementwise.expm1, (-2, 2)),
    "sqrt": (elementwise.sqrt, (0.2, 3)),
    "rsqrt": (elementwise.rsqrt, (0.2, 3)),
    "reciprocal": (elementwise.reciprocal, (0.3, 3)),
    "sin": (elementwise.sin, (-3, 3)),
    "cos": (elementwise.cos, (-3, 3)),
    "sinh": (elementwise.sinh, (-2, 2)),
    "cosh": (elementwise.cosh, (-2, 2)),
    "asin": (elementwise.asin, (-0.9, 0.9)),
    "acos": (elementwise.acos, (-0.9, 0.9)),
    "atan": (elementwise.atan, (-3, 3)),
    "tanh": (elementwise.tanh, (-2, 2)),
    "sigmoid": (elementwise.sigmoid, (-3, 3)),
    "erf": (elementwise.erf, (-2, 2)),
    "abs": (elementwise.abs, (-2, 2)),
    "relu": (elementwise.relu, (-2, 2)),
    "neg": (arithmetic.neg, (-2, 2)),
    "pow 3": (lambda x: arithmetic.pow_scalar(x, 3.0), (-2, 2)),
    "pow 0.5": (lambda x: arithmetic.pow_scalar(x, 0.5), (0.2, 3)),
    "leaky_relu": (lambda x: elementwise.leaky_relu(x, 0.1), (-2, 2)),
    "logit": (lambda x: elementwise.logit(x, None), (0.1, 0.9)),
    "softplus": (lambda x: activation.softplus(x, 1.0, 20.0), (-3, 3)),
    "elu": (lambda x: activation.elu(x, 1.0), (-2, 2)),
    "gelu": (activation.gelu, (-3, 3)),
    "gelu_tanh": (activation.gelu_tanh, (-3, 3)),
    "silu": (activation.silu, (-3, 3)),
    "hardtanh": (lambda x: piecewise.hardtanh(x, -1.0, 1.0), (-2, 2)),
    "hardsigmoid": (piecewise.hardsigmoid, (-2, 2)),
    "hardswish": (piecewise.hardswish, (-2, 2)),
    "log_sigmoid": (piecewise.log_sigmoid, (-3, 3)),
    "celu": (lambda x: piecewise.celu(x, 1.0), (-2, 2)),
    "selu": (piecewise.selu, (-2, 2)),
    "mish": (piecewise.mish, (-3, 3)),
    "softsign": (piecewise.softsign, (-3, 3)),
    "sum": (lambda x: reduction.sum(x, None, False), (-2, 2)),
    "mean over 0": (lambda x: reduction.mean(x, (0,), True), (-2, 2)),
    "var": (lambda x: reduction.var(x, None, 1.0, False), (-2, 2)),
    "std over 0": (lambda x: reduction.std(x, (0,), 0.0, False), (-2, 2)),
    "prod": (lambda x: reduction.prod(x, 0, False), (-2, 2)),
    "logsumexp": (lambda x: reduction.logsumexp(x, (0,), False), (-2, 2)),
    "norm 2": (lambda x: reduction.norm(x, 2.0, None, False), (-2, 2)),
    "norm 3 over 0": (lambda x: reduction.norm(x, 3.0, (0,), False), (-2, 2)),
    "cumprod": (lambda x: ordering.cumprod(x, 0), (-2, 2)),
    "softmax": (lambda x: linalg.softmax(x, x.ndim - 1), (-2, 2)),
    "log_softmax": (lambda x: linalg.log_softmax(x, 0), (-2, 2)),
    "flip": (lambda x: shape_rules.flip(x, (0,)), (-2, 2)),
    "roll": (lambda x: shape_rules.roll(x, (1,), (0,)), (-2, 2)),
    "repeat": (lambda x: shape_rules.repeat(x, (2,) * x.ndim), (-2, 2)),
    "pad": (lambda x: shape_rules.pad_constant(x, (1, 2), 0.5), (-2, 2)),
    "permute": (lambda x: shape_rules.permute(x, tuple(reversed(range(x.ndim)))), (-2, 2)),
    "tan": (special.tan, (-1.2, 1.2)),
    "asinh": (special.asinh, (-3, 3)),
    "acosh": (special.acosh, (1.2, 3)),
    "atanh": (special.atanh, (-0.9, 0.9)),
    "exp2": (special.exp2, (-2, 2)),
    "lgamma": (special.lgamma, (-2.5, 4)),
    "digamma": (special.digamma, (-2.5, 4)),
    "erfc": (special.erfc, (-2, 2)),
    "erfinv": (special.erfinv, (-0.9, 0.9)),
    "sinc": (special.sinc, (-2, 2)),
    "deg2rad": (special.deg2rad, (-3, 3)),
    "rad2deg": (special.rad2deg, (-3, 3)),
    "frac": (special.frac, (-2.9, 2.9)),
}


@pytest.mark.parametrize("name", sorted(UNARY))
@settings(max_examples=8, deadline=None)
@given(data=st.data())
def test_unary_rules_match_finite_differences(name, data):
    rule, (low, high) = UNARY[name]
    x = _array(data, _shape(data), low, high)
    _check(rule, [x], (0,), data.draw(st.integers(0, 99)))


BINARY: dict[str, tuple[Rule, tuple[float, float]]] = {
    "add": (lambda a, b: arithmetic.add(a, b, 0.5), (-2, 2)),
    "sub": (lambda a, b: arithmetic.sub(a, b, 2.0), (-2, 2)),
    "mul": (arithmetic.mul, (-2, 2)),
    "div": (arithmetic.div, (0.3, 2)),
    "pow": (arithmetic.pow_tensor, (0.3, 2)),
    "atan2": (elementwise.atan2, (-2, 2)),
    "maximum": (elementwise.maximum, (-2, 2)),
    "mse": (lambda a, b: loss.mse(a, b, "mean", True, True), (-2, 2)),
    "l1": (lambda a, b: regression.l1(a, b, "sum", (True, True)), (-2, 2)),
    "smooth_l1": (lambda a, b: regression.smooth_l1(a, b, "mean", 1.0, (True, True)), (-2, 2)),
    "huber": (lambda a, b: regression.huber(a, b, "mean", 1.0, (True, True)), (-2, 2)),
    "prelu": (lambda a, b: piecewise.prelu(a, b, (True, True)), (-2, 2)),
    "hypot": (special.hypot, (-2, 2)),
    "logaddexp": (special.logaddexp, (-2, 2)),
    "logaddexp2": (special.logaddexp2, (-2, 2)),
    "xlogy": (special.xlogy, (0.3, 2)),
    "fmod": (lambda a, b: special.fmod(a + 6.0, b + 4.0), (0.3, 2)),  # (a / b in (1, 2))
    "fmax": (special.fmax, (-2, 2)),
    "fmin": (special.fmin, (-2, 2)),
}


@pytest.mark.parametrize("name", sorted(BINARY))
@settings(max_examples=8, deadline=None)
@given(data=st.data())
def test_binary_rules_match_finite_differences(name, data):
    rule, (low, high) = BINARY[name]
    shape = _shape(data)
    if name == "prelu":
        second: tuple[int, ...] = (1,)
    else:  # (broadcasting: the second operand drops or flattens a side)
        second = data.draw(st.sampled_from([shape, shape[1:] or (1,), (1,) * len(shape)]))
    a, b = _array(data, shape, low, high), _array(data, second, low, high)
    if name in ("maximum", "l1", "smooth_l1", "huber", "fmax", "fmin"):
        b = b + 0.37  # (no ties, no zero differences)
    _check(rule, [a, b], (0, 1), data.draw(st.integers(0, 99)))


@settings(max_examples=8, deadline=None)
@given(data=st.data())
def test_matrix_rules_match_finite_differences(data):
    n, k, m = (data.draw(st.integers(1, 3)) for _ in range(3))
    batch = tuple(data.draw(st.lists(st.integers(1, 2), max_size=2)))
    a, b = _array(data, (*batch, n, k)), _array(data, (k, m))
    seed = data.draw(st.integers(0, 99))
    _check(linalg.matmul, [a, b], (0, 1), seed)  # (a weight shared by the batch: folded)
    square = _array(data, (*batch, n, n)) + 3 * np.eye(n)
    _check(linalg.inv, [square], (0,), seed)
    _check(linalg.det, [square], (0,), seed)
    rhs = _array(data, (*batch, n, 2))
    _check(lambda s, r: linalg.solve(s, r, False), [square, rhs], (0, 1), seed)
    # (eigvalsh's gradient is symmetric, PyTorch's convention: that of f((S + S^T) / 2))
    _check(lambda s: linalg.eigvalsh((s + np.swapaxes(s, -1, -2)) / 2, True), [square], (0,), seed)
    _check(linalg.trace, [square[(0,) * len(batch)]], (0,), seed)
    _check(lambda s: linalg.diagonal(s, 0, -2, -1), [square], (0,), seed)
    weight, bias = _array(data, (m, k)), _array(data, (m,))
    _check(lambda x, w, c: layer.linear(x, w, c), [a, weight, bias], (0, 1, 2), seed)


@settings(max_examples=8, deadline=None)
@given(data=st.data())
def test_joining_and_indexing_rules_match_finite_differences(data):
    shape = _shape(data, min_dims=2)
    a, b = _array(data, shape), _array(data, shape)
    seed = data.draw(st.integers(0, 99))
    _check(lambda x, y: shape_rules.cat([x, y], 0), [a, b], (0, 1), seed)
    _check(lambda x, y: shape_rules.stack([x, y], 1), [a, b], (0, 1), seed)
    skipped = np.zeros(0)  # (a legacy empty array between them, skipped by the cat)
    _check(lambda x, e, y: shape_rules.cat_of([x, e, y], [0, 2], 0), [a, skipped, b], (0, 2), seed)
    index = np.random.default_rng(seed).integers(0, shape[0], (4,))
    _check(lambda x: indexing.take(x, index, 0), [a], (0,), seed)  # (repeats summed)
    gathered = np.random.default_rng(seed).integers(0, shape[1], shape)
    _check(lambda x: indexing.gather(x, 1, gathered), [a], (0,), seed)
    _check(lambda x: indexing.getitem(x, (slice(None, None, -1), 0)), [a], (0,), seed)


@settings(max_examples=8, deadline=None)
@given(data=st.data())
def test_loss_and_normalization_rules_match_finite_differences(data):
    rows, classes = data.draw(st.integers(1, 4)), data.draw(st.integers(2, 4))
    logits = _array(data, (rows, classes))
    seed = data.draw(st.integers(0, 99))
    target = np.random.default_rng(seed).integers(0, classes, rows)
    _check(lambda z: loss.cross_entropy(z, target, None, -100, "mean"), [logits], (0,), seed)
    probability = np.random.default_rng(seed).uniform(0.1, 0.9, (rows, classes))
    _check(lambda z: loss.bce_with_logits(z, probability, None, None, "mean"), [logits], (0,), seed)
    _check(lambda x: layer.layer_norm(x, 1, None, None, 1e-5), [logits], (0,), seed)
    gamma, beta = _array(data, (classes,)), _array(data, (classes,))
    _check(
        lambda x, g, b: layer.layer_norm(x, 1, g, b, 1e-5), [logits, gamma, beta], (0, 1, 2), seed
    )


@settings(max_examples=8, deadline=None)
@given(data=st.data())
def test_write_and_lookup_rules_match_finite_differences(data):
    shape = _shape(data)
    seed = data.draw(st.integers(0, 99))
    x, source = _array(data, shape), _array(data, shape[1:] or (1,))
    _check(inplace_rules.copy, [x, source], (0, 1), seed)
    _check(inplace_rules.fill, [x, np.asarray(0.3)], (0, 1), seed)
    condition = np.random.default_rng(seed).random(shape) < 0.5
    filled = lambda x, v: inplace_rules.masked_fill(x, condition, v, True)  # noqa: E731
    _check(filled, [x, np.asarray(0.7)], (0, 1), seed)
    rows = np.array([[0, 2], [2, 3]])
    looked_up = lambda w: embedding_rules.embedding(w, rows, None, False)  # noqa: E731
    _check(looked_up, [_array(data, (4, 3))], (0,), seed)  # (padding_idx and frequency
    # scaling are PyTorch's choices, not derivatives: held in tests/nn and the harness)


@settings(max_examples=8, deadline=None)
@given(data=st.data())
def test_triangle_selection_and_distance_rules_match_finite_differences(data):
    shape = _shape(data, min_dims=2)
    a, b = _array(data, shape), _array(data, shape[1:]) + 0.37  # (no zero differences)
    seed = data.draw(st.integers(0, 99))
    diagonal = data.draw(st.integers(-2, 2))
    for lower in (True, False):
        _check(lambda x, low=lower: linalg.triangle(x, low, diagonal), [a], (0,), seed)
    mask = np.random.default_rng(seed).random(shape[1:]) < 0.5  # (broadcast over rows)
    _check(lambda x: indexing.masked_select(x, mask), [a], (0,), seed)
    for p in (1.0, 2.0, 3.0):
        _check(lambda x, y, p=p: reduction.dist(x, y, p), [a, b], (0, 1), seed)
    _check(lambda x: conversion.copy(x.copy()), [a], (0,), seed)
    _check(lambda x: elementwise.constant(np.floor(x)), [a], (0,), seed)
