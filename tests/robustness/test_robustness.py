"""Numerical robustness: extreme inputs stay finite, float32 stays float32, anomalies are named."""

from __future__ import annotations

import numpy as np
import pytest

import nn
import nn.functional as F
from data import DataLoader, TensorDataset
from tests.cases.optimizers import TRAINING

OPTIMIZERS = list(TRAINING.values())
IDS = list(TRAINING)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("logit", [1e4, -1e4, 88.0, -104.0])
def test_losses_and_gradients_finite_at_extreme_logits(dtype, logit):
    z = nn.tensor(np.array([[logit, -logit, 0.0]], dtype=dtype), requires_grad=True)
    for target_value in (0.0, 1.0):
        y = np.full((1, 3), target_value, dtype=dtype)
        for loss in (
            F.binary_cross_entropy_with_logits(z, y),
            F.binary_cross_entropy(z.sigmoid(), y),
            F.cross_entropy(z, np.array([0])),
            F.cross_entropy(z, np.array([1])),
            F.mse_loss(z.tanh(), y),
        ):
            z.grad = None
            loss.backward()
            assert np.isfinite(loss.item()), loss
            assert np.all(np.isfinite(z.grad)) and z.grad.dtype == dtype


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_bce_at_probabilities_exactly_zero_and_one(dtype):
    p = nn.tensor(np.array([0.0, 1.0, 0.0, 1.0], dtype=dtype), requires_grad=True)
    y = np.array([0.0, 1.0, 1.0, 0.0], dtype=dtype)
    loss = F.binary_cross_entropy(p, y, reduction="none")
    np.testing.assert_array_equal(
        loss.detach().numpy(), [0.0, 0.0, 100.0, 100.0]
    )  # logs clamped at -100
    loss.sum().backward()
    assert np.all(np.isfinite(p.grad))


@pytest.mark.parametrize("make", OPTIMIZERS[3:], ids=IDS[3:])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_adaptive_optimizers_with_all_zero_gradients_stay_finite(make, dtype):
    w = nn.Parameter(np.ones(4, dtype=dtype))
    optimizer = make([w])
    for step in range(20):
        w.grad = np.zeros(4, dtype=dtype) if step % 5 else np.full(4, 1e-30, dtype=dtype)
        optimizer.step()
        assert np.all(np.isfinite(w.detach().numpy()))
        assert all(
            np.all(np.isfinite(v)) for v in optimizer.state[w].values() if isinstance(v, np.ndarray)
        )


@pytest.mark.parametrize("make", OPTIMIZERS, ids=IDS)
def test_float32_training_never_becomes_float64(make):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(40, 3))  # float64 data into a float32 model
    y = (X[:, 0] > 0).astype(np.float64)[:, None]
    model = nn.Sequential(
        nn.Linear(3, 8), nn.BatchNorm1d(8), nn.LeakyReLU(), nn.Dropout(0.2), nn.Linear(8, 1)
    )
    optimizer = make(model.parameters())
    loader = DataLoader(TensorDataset(X, y), batch_size=16, shuffle=True, generator=0)
    for _ in range(3):
        for xb, yb in loader:
            optimizer.zero_grad()
            out = model(xb)
            assert out.dtype == np.float32
            loss = nn.BCEWithLogitsLoss()(out, yb.astype(np.float32)) + nn.MSELoss()(
                out.sigmoid(), yb.astype(np.float32)
            )
            assert loss.dtype == np.float32
            loss.backward()
            optimizer.step()
    for tensor in [*model.parameters(), *model.buffers()]:
        if tensor.dtype.kind == "f":
            assert tensor.dtype == np.float32
    for p in model.parameters():
        assert p.grad.dtype == np.float32
        for value in optimizer.state[p].values():
            if isinstance(value, np.ndarray):
                assert value.dtype == np.float32


def test_detect_anomaly_names_the_backward_function_that_made_nan():
    x = nn.tensor([0.0, 1.0], requires_grad=True)
    with (
        nn.detect_anomaly(),
        pytest.raises(RuntimeError, match="'LogBackward0' returned nan values in its 0th output"),
    ):
        (x.log() * 0).sum().backward()  # 0 * inf = nan in LogBackward0, as in PyTorch
    x.grad = None
    (x.log() * 0).sum().backward()  # outside the context nothing is checked
    assert np.isnan(x.grad[0].item())


def test_detect_anomaly_is_a_decorator_and_ignores_inf():
    x = nn.tensor([0.0, 4.0], requires_grad=True)

    @nn.detect_anomaly()
    def step():
        x.sqrt().sum().backward()

    step()  # an infinite gradient is not NaN: PyTorch lets it through too
    assert np.isinf(x.grad[0].item())


def test_detect_anomaly_passes_finite_runs():
    model = nn.Sequential(nn.Linear(2, 3), nn.Tanh(), nn.Linear(3, 1))
    with nn.detect_anomaly():
        nn.MSELoss()(model(np.ones((4, 2))), np.zeros((4, 1), dtype=np.float32)).backward()
    assert all(np.all(np.isfinite(p.grad)) for p in model.parameters())
