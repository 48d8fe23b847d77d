"""The margin and embedding losses (nn/functional/margin.py, nn/modules/margin.py): values
by their definitions, written out in NumPy; gradients against finite differences;
PyTorch's refusals; the layers."""

from __future__ import annotations

import numpy as np
import pytest

import nn
import nn.functional as F

RNG = np.random.default_rng(0)
X, Y, Z = (RNG.normal(size=(4, 5)) for _ in range(3))
SIGNS = np.array([1.0, -1.0, 1.0, -1.0])
CLASSES = np.array([0, 3, 4, 1])


def _t(values: np.ndarray, grad: bool = False) -> nn.Tensor:
    return nn.tensor(values, dtype=nn.float64, requires_grad=grad)


def test_values_follow_the_definitions():
    x, y, z = _t(X), _t(Y), _t(Z)
    hinge = np.where(SIGNS[:, None] > 0, X, np.maximum(0, 1 - X)).mean()
    assert F.hinge_embedding_loss(
        x, _t(np.broadcast_to(SIGNS[:, None], X.shape))
    ).item() == pytest.approx(hinge)
    ranking = np.maximum(0, -SIGNS * (X[:, 0] - Y[:, 0]) + 0.2).mean()
    assert F.margin_ranking_loss(x[:, 0], y[:, 0], _t(SIGNS), 0.2).item() == pytest.approx(ranking)
    soft = np.log1p(np.exp(-X * np.sign(Y))).sum()
    assert F.soft_margin_loss(x, _t(np.sign(Y)), reduction="sum").item() == pytest.approx(soft)
    cos = (X * Y).sum(1) / np.sqrt(((X * X).sum(1) + 1e-12) * ((Y * Y).sum(1) + 1e-12))
    cosine = np.where(SIGNS > 0, 1 - cos, np.maximum(0, cos - 0.1))
    np.testing.assert_allclose(
        F.cosine_embedding_loss(x, y, _t(SIGNS), 0.1, reduction="none").numpy(), cosine
    )
    distance = lambda a, b: np.linalg.norm(a - b + 1e-6, axis=-1)  # noqa: E731
    triplet = np.maximum(0, 1 + distance(X, Y) - distance(X, Z)).mean()
    assert F.triplet_margin_loss(x, y, z).item() == pytest.approx(triplet)
    margins = np.maximum(0, 1 - X[np.arange(4), CLASSES][:, None] + X) ** 2
    margins[np.arange(4), CLASSES] = 0
    assert F.multi_margin_loss(x, nn.tensor(CLASSES), p=2).item() == pytest.approx(
        margins.sum(1).mean() / 5
    )
    counts = np.abs(Y) * 3
    poisson = np.exp(X) - counts * X
    assert F.poisson_nll_loss(x, _t(counts), reduction="sum").item() == pytest.approx(poisson.sum())
    labels = (Y > 0) * 1.0
    logsig = lambda v: -np.log1p(np.exp(-v))  # noqa: E731
    multilabel = -(labels * logsig(X) + (1 - labels) * logsig(-X)).mean(1).mean()
    assert F.multilabel_soft_margin_loss(x, _t(labels)).item() == pytest.approx(multilabel)


@pytest.mark.parametrize(
    "loss",
    [
        lambda a, b, c: F.margin_ranking_loss(a[:, 0], b[:, 0], _t(SIGNS), 0.3),
        lambda a, b, c: F.cosine_embedding_loss(a, b, _t(SIGNS), 0.1),
        lambda a, b, c: F.triplet_margin_loss(a, b, c, p=3.0, swap=True),
        lambda a, b, c: F.multi_margin_loss(a, nn.tensor(CLASSES), weight=_t(np.arange(1, 6.0))),
        lambda a, b, c: F.poisson_nll_loss(a.exp(), b.abs(), log_input=False, full=True),
        lambda a, b, c: F.pairwise_distance(a, b, p=1.5).sum(),
    ],
)
def test_gradients_match_finite_differences(loss):
    assert nn.gradcheck(loss, (_t(X, True), _t(Y, True), _t(Z, True)))


def test_multi_margin_passes_no_gradient_at_a_margin_met_exactly():
    x = _t(np.array([-2.5, -1.5]), True)
    F.multi_margin_loss(x, nn.tensor(1)).backward()
    assert x.grad.tolist() == [0.0, 0.0]  # 1 - (-1.5) + (-2.5) = 0: not counted, as PyTorch


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: F.multi_margin_loss(_t(X), nn.tensor(CLASSES), p=3), ValueError, "only p == 1"),
        (lambda: F.multi_margin_loss(_t(X), nn.tensor([0, 1, 2, 9])), RuntimeError, "out of range"),
        (
            lambda: F.multi_margin_loss(_t(X), nn.tensor([0, 1])),
            RuntimeError,
            "inconsistent target",
        ),
        (
            lambda: F.cosine_embedding_loss(_t(X), _t(Y), _t(np.ones((4, 1)))),
            RuntimeError,
            "0D or 1D",
        ),
        (
            lambda: F.cosine_embedding_loss(_t(X), _t(Y), _t(1.0)),
            RuntimeError,
            "0D target tensor expects 1D",
        ),
        (
            lambda: F.margin_ranking_loss(_t(X), _t(Y[:, 0]), _t(SIGNS)),
            RuntimeError,
            "same dimension",
        ),
        (lambda: nn.MultiMarginLoss(p=0), ValueError, "only p == 1"),
    ],
)
def test_what_pytorch_refuses_is_refused(call, error, message):
    with pytest.raises(error, match=message):
        call()


def test_the_layers_call_their_functions():
    x, y, z = _t(X), _t(Y), _t(Z)
    signs, classes = _t(SIGNS), nn.tensor(CLASSES)
    pairs = [
        (
            nn.MarginRankingLoss(0.2)(x[:, 0], y[:, 0], signs),
            F.margin_ranking_loss(x[:, 0], y[:, 0], signs, 0.2),
        ),
        (
            nn.HingeEmbeddingLoss(reduction="sum")(x, y.sign()),
            F.hinge_embedding_loss(x, y.sign(), reduction="sum"),
        ),
        (nn.SoftMarginLoss()(x, y.sign()), F.soft_margin_loss(x, y.sign())),
        (nn.CosineEmbeddingLoss(0.1)(x, y, signs), F.cosine_embedding_loss(x, y, signs, 0.1)),
        (nn.TripletMarginLoss(swap=True)(x, y, z), F.triplet_margin_loss(x, y, z, swap=True)),
        (nn.MultiMarginLoss(2)(x, classes), F.multi_margin_loss(x, classes, 2)),
        (nn.PoissonNLLLoss(full=True)(x, y.abs()), F.poisson_nll_loss(x, y.abs(), full=True)),
        (nn.PairwiseDistance(1.0)(x, y), F.pairwise_distance(x, y, 1.0)),
        (
            nn.MultiLabelSoftMarginLoss()(x, (y > 0).double()),
            F.multilabel_soft_margin_loss(x, (y > 0).double()),
        ),
    ]
    for got, expected in pairs:
        assert got.tolist() == expected.tolist()
    weighted = nn.MultiMarginLoss(weight=nn.ones(5, dtype=nn.float64))
    assert "weight" in dict(weighted.named_buffers())


def test_gaussian_nll_loss_follows_its_definition_and_clamps_the_variance():
    variances = np.array([[1e-9], [0.5], [2.0], [1.0]])
    got = F.gaussian_nll_loss(_t(X), _t(Y), _t(variances), full=True, reduction="none")
    clamped = np.maximum(variances, 1e-6)
    expected = 0.5 * (np.log(clamped) + (X - Y) ** 2 / clamped) + 0.5 * np.log(2 * np.pi)
    np.testing.assert_allclose(got.numpy(), expected, rtol=1e-12)
    shared = F.gaussian_nll_loss(_t(X), _t(Y), _t(variances[:, 0]))  # one dimension fewer
    assert shared.item() == pytest.approx(F.gaussian_nll_loss(_t(X), _t(Y), _t(variances)).item())
    assert nn.GaussianNLLLoss()(_t(X), _t(Y), 0.5).item() == pytest.approx(
        (0.5 * (np.log(0.5) + (X - Y) ** 2 / 0.5)).mean()
    )
    with pytest.raises(ValueError, match="incorrect size"):
        F.gaussian_nll_loss(_t(X), _t(Y), _t(np.ones((4, 2))))
    with pytest.raises(ValueError, match="negative"):
        F.gaussian_nll_loss(_t(X), _t(Y), -1.0)
