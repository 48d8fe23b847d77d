"""optimizers.swa_utils: SWA and EMA averages, SWALR, update_bn, as torch.optim.swa_utils."""

from __future__ import annotations

import numpy as np
import pytest

import nn
import optimizers
from optimizers import swa_utils

WEIGHTS = [np.random.default_rng(i).standard_normal((3, 2)) for i in range(6)]


def _averaged(make_avg, T, Module):
    model = Module.Linear(2, 3).double()
    averaged = make_avg(model)
    for weights in WEIGHTS:
        with T.no_grad():
            model.weight.copy_(T.tensor(weights))
            model.bias.copy_(T.tensor(weights[:, 0]))
        averaged.update_parameters(model)
    return averaged.module.weight.detach().numpy(), int(averaged.n_averaged)


def test_swa_is_the_mean_and_ema_the_weighted_average():
    mean, count = _averaged(lambda m: swa_utils.AveragedModel(m), nn, nn)
    np.testing.assert_allclose(mean, np.mean(WEIGHTS, axis=0), rtol=1e-12)
    assert count == len(WEIGHTS)
    ema, _ = _averaged(
        lambda m: swa_utils.AveragedModel(m, multi_avg_fn=swa_utils.get_ema_multi_avg_fn(0.9)),
        nn, nn,
    )  # fmt: skip
    expected = WEIGHTS[0]
    for weights in WEIGHTS[1:]:
        expected = 0.9 * expected + 0.1 * weights
    np.testing.assert_allclose(ema, expected, rtol=1e-12)
    with pytest.raises(ValueError, match="Invalid decay value"):
        swa_utils.get_ema_avg_fn(1.5)


def test_update_bn_recomputes_the_statistics_and_restores_the_mode():
    model = nn.Sequential(nn.Linear(2, 4), nn.BatchNorm1d(4)).double()
    model.eval()
    batches = [np.random.default_rng(i).standard_normal((8, 2)) for i in range(3)]
    swa_utils.update_bn([(b, None) for b in batches], model)
    hidden = np.concatenate([model[0](b).detach().numpy() for b in batches])
    np.testing.assert_allclose(model[1].running_mean.numpy(), hidden.mean(0), rtol=1e-10)
    assert not model.training and model[1].momentum == 0.1


@pytest.mark.torch
@pytest.mark.parametrize(
    "kind", ["swa", "ema_multi", "ema_single", "swa_multi", "custom", "buffers"]
)
def test_averages_match_pytorch(kind):
    torch = pytest.importorskip("torch")

    def make(T, U):
        options = {
            "swa": {},
            "ema_multi": {"multi_avg_fn": U.get_ema_multi_avg_fn(0.8)},
            "ema_single": {"avg_fn": U.get_ema_avg_fn(0.8)},
            "swa_multi": {"multi_avg_fn": U.get_swa_multi_avg_fn()},
            "custom": {"avg_fn": lambda a, c, n: 0.3 * a + 0.7 * c},
            "buffers": {"use_buffers": True},
        }[kind]
        return lambda m: U.AveragedModel(m, **options)

    ours, _ = _averaged(make(nn, swa_utils), nn, nn)
    theirs, _ = _averaged(make(torch, torch.optim.swa_utils), torch, torch.nn)
    np.testing.assert_allclose(ours, theirs, rtol=1e-13, atol=1e-15)


@pytest.mark.torch
@pytest.mark.parametrize(
    ("swa_lr", "epochs", "strategy"), [(0.05, 5, "cos"), (0.05, 3, "linear"), (0.2, 0, "cos")]
)
def test_swalr_matches_pytorch(swa_lr, epochs, strategy):
    torch = pytest.importorskip("torch")

    def sequence(T, O, U):
        param = T.nn.Parameter(T.zeros(1)) if T is torch else nn.Parameter(np.zeros(1))
        optimizer = O.SGD([param], lr=0.5)
        scheduler = U.SWALR(optimizer, swa_lr, anneal_epochs=epochs, anneal_strategy=strategy)
        lrs = []
        for _ in range(12):
            lrs.append(optimizer.param_groups[0]["lr"])
            optimizer.step()
            scheduler.step()
        return lrs

    np.testing.assert_allclose(
        sequence(nn, optimizers, swa_utils),
        sequence(torch, torch.optim, torch.optim.swa_utils),
        rtol=1e-13,
    )
