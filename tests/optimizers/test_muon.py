"""Muon: Newton-Schulz orthogonalization (in emulated bfloat16) and the update, against
PyTorch when installed."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import nn
import optimizers
from optimizers.muon import orthogonalize, to_bfloat16


@given(st.integers(2, 8), st.integers(2, 8), st.integers(0, 2**16))
def test_orthogonalization_pushes_singular_values_toward_one(rows, cols, seed):
    """For a matrix whose singular values are within a factor 5 of each other (5 steps lift a
    much smaller one only part of the way, as in PyTorch)."""
    rng = np.random.default_rng(seed)
    U, _ = np.linalg.qr(rng.standard_normal((rows, rows)))
    V, _ = np.linalg.qr(rng.standard_normal((cols, cols)))
    spread = np.zeros((rows, cols))
    k = min(rows, cols)
    spread[range(k), range(k)] = rng.uniform(0.2, 1.0, k) * rng.uniform(0.01, 100)
    M = (U @ spread @ V.T).astype(np.float32)
    X = orthogonalize(M, (3.4445, -4.775, 2.0315), 5, 1e-7)
    singular = np.linalg.svd(X.astype(np.float64), compute_uv=False)
    assert X.shape == M.shape and X.dtype == np.float32
    assert np.all(singular > 0.5) and np.all(singular < 1.3)  # the quintic's band around 1


def test_bfloat16_rounding_keeps_eight_significant_bits():
    x = np.array([1.0, 1.0 + 2**-8, 1.0 + 3 * 2**-9, -3.14159, np.inf, np.nan], np.float32)
    rounded = to_bfloat16(x)
    assert rounded[1] == 1.0 and rounded[2] == 1.0 + 2**-7  # ties to even
    assert np.isinf(rounded[4]) and np.isnan(rounded[5])


def test_only_2d_parameters_and_known_lr_adjustments():
    with pytest.raises(ValueError, match="Muon only supports 2D parameters"):
        optimizers.Muon([nn.Parameter(np.zeros(3))])
    with pytest.raises(ValueError, match="is not supported"):
        optimizers.Muon([nn.Parameter(np.zeros((2, 2)))], adjust_lr_fn="fancy")


# ------------------------------------------------- an independent reference, from the paper
PAPER_COEFFICIENTS = (3.4445, -4.775, 2.0315)  # the quintic of Jordan et al. (2024)


def newton_schulz_float64(G, steps, eps):
    """The paper's orthogonalization in exact-ish arithmetic: X = G / ||G||_F, then
    X <- a X + (b A + c A^2) X with A = X X^T, on the wide orientation."""
    a, b, c = PAPER_COEFFICIENTS
    tall = G.shape[0] > G.shape[1]
    X = G.T if tall else G
    X = X / max(np.linalg.norm(X), eps)
    for _ in range(steps):
        A = X @ X.T
        X = a * X + (b * A + c * A @ A) @ X
    return X.T if tall else X


def adjusted_lr(lr, rows, cols, adjust_lr_fn):
    """The step size of the orthogonal update: scaled to the matrix's shape."""
    if adjust_lr_fn == "match_rms_adamw":
        return lr * 0.2 * np.sqrt(max(rows, cols))
    return lr * np.sqrt(max(1.0, rows / cols))


def reference_muon(W, grads, lr, momentum, nesterov, weight_decay, adjust_lr_fn, ns_steps):
    """Muon from the paper (momentum as PyTorch's lerp, then decoupled decay), in float64:
    the final W and momentum buffer."""
    scaled = adjusted_lr(lr, *W.shape, adjust_lr_fn)
    buffer = np.zeros_like(W)
    for G in grads:
        buffer = buffer + (1 - momentum) * (G - buffer)
        direction = G + momentum * (buffer - G) if nesterov else buffer
        W = W * (1 - lr * weight_decay) - scaled * newton_schulz_float64(direction, ns_steps, 1e-7)
    return W, buffer


@settings(max_examples=40, deadline=None)
@given(
    rows=st.integers(1, 6),
    cols=st.integers(1, 6),
    steps=st.integers(1, 6),
    lr=st.floats(1e-4, 0.1),
    momentum=st.floats(0.0, 0.99),
    nesterov=st.booleans(),
    weight_decay=st.floats(0.0, 0.2),
    adjust=st.sampled_from([None, "original", "match_rms_adamw"]),
    ns_steps=st.integers(1, 6),
    seed=st.integers(0, 2**16),
)
def test_matches_the_papers_rule(
    rows, cols, steps, lr, momentum, nesterov, weight_decay, adjust, ns_steps, seed
):
    """The momentum buffer equals the reference's to float64 rounding; each step's update
    within bfloat16's reach of the float64 orthogonalization (entries of X differ by < 0.1
    in 3,000 random matrices: a wrong coefficient, scale or decay moves them by far more)."""
    rng = np.random.default_rng(seed)
    W0 = rng.uniform(-1, 1, (rows, cols))
    grads = rng.uniform(-1, 1, (steps, rows, cols)) * 10 ** rng.uniform(-2, 2)
    w = nn.Parameter(W0.copy())
    options = {
        "lr": lr,
        "momentum": momentum,
        "nesterov": nesterov,
        "weight_decay": weight_decay,
        "adjust_lr_fn": adjust,
        "ns_steps": ns_steps,
    }
    optimizer = optimizers.Muon([w], **options)
    for G in grads:
        w.grad = G.copy()
        optimizer.step()
    expected_W, expected_buffer = reference_muon(W0, grads, **options)
    buffer = optimizer.state[w]["momentum_buffer"]
    np.testing.assert_allclose(buffer, expected_buffer, rtol=1e-12, atol=1e-12)
    bound = 0.15 * steps * adjusted_lr(lr, rows, cols, adjust)
    np.testing.assert_allclose(w.detach().numpy(), expected_W, rtol=0, atol=bound)


@pytest.mark.torch
@settings(max_examples=20, deadline=None)
@given(
    rows=st.integers(2, 6),
    cols=st.integers(2, 6),
    nesterov=st.booleans(),
    adjust=st.sampled_from([None, "original", "match_rms_adamw"]),
    weight_decay=st.sampled_from([0.0, 0.1]),
    seed=st.integers(0, 2**16),
)
def test_matches_pytorch(rows, cols, nesterov, adjust, weight_decay, seed):
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(seed)
    W0 = rng.standard_normal((rows, cols)).astype(np.float32)
    ours, theirs = nn.Parameter(W0.copy()), torch.tensor(W0.copy(), requires_grad=True)
    options = {"lr": 0.02, "nesterov": nesterov, "adjust_lr_fn": adjust}
    a = optimizers.Muon([ours], weight_decay=weight_decay, **options)
    b = torch.optim.Muon([theirs], weight_decay=weight_decay, **options)
    for _ in range(5):
        g = rng.standard_normal((rows, cols)).astype(np.float32)
        ours.grad, theirs.grad = g.copy(), torch.tensor(g.copy())
        a.step()
        b.step()
    # bfloat16 keeps 8 bits: each update agrees to about lr * 2**-7 (the order of the sums
    # inside a bfloat16 product can move a rounding)
    np.testing.assert_allclose(ours.detach().numpy(), theirs.detach().numpy(), rtol=0, atol=1e-3)


def test_state_dict_resume_continues_bit_identically():
    rng = np.random.default_rng(3)
    W0, grads = rng.standard_normal((3, 4)), rng.standard_normal((6, 3, 4))

    def run(split=None):
        w = nn.Parameter(W0.copy())
        optimizer = optimizers.Muon([w], lr=0.05)
        for number, g in enumerate(grads):
            if number == split:
                saved = optimizer.state_dict()
                w = nn.Parameter(w.detach().numpy().copy())
                optimizer = optimizers.Muon([w], lr=0.05)
                optimizer.load_state_dict(saved)
            w.grad = g.copy()
            optimizer.step()
        return w.detach().numpy()

    np.testing.assert_array_equal(run(split=3), run())
