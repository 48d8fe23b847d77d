"""Optimizers and schedulers against torch.optim, from fixtures recorded by
tests/fixtures/make_torch_optim_fixtures.py (these tests never need torch)."""

import json
from pathlib import Path

import numpy as np
import pytest

import nn
import optimizers
from optimizers import lr_scheduler
from tests.cases.optim_cases import LBFGS_CASES, MUON_CASES, lbfgs_problem

FIXTURES = np.load(Path(__file__).parent.parent / "fixtures" / "torch_optim.npz")
STEPS = 30
OPTIM_CASES = sorted(
    {"/".join(k.split("/")[1:3]) for k in FIXTURES.files if k.startswith("optim/")}
)
SCHED_CASES = sorted({k.split("/")[1] for k in FIXTURES.files if k.startswith("sched/")})


def test_fixtures_cover_every_torch_algorithm():
    assert {case.split("/")[0] for case in OPTIM_CASES} == {
        "SGD", "Adam", "AdamW", "RMSprop", "Adagrad", "Adadelta", "Adamax", "NAdam", "RAdam",
        "ASGD", "Rprop", "Adafactor",
    }  # fmt: skip
    assert len(OPTIM_CASES) >= 41


@pytest.fixture
def float64_default():
    """The fixtures were recorded with torch's default dtype float64 (so NAdam's and ASGD's
    per-parameter scalars were float64): the same here."""
    previous = nn.get_default_dtype()
    nn.set_default_dtype(nn.float64)
    yield
    nn.set_default_dtype(previous)


@pytest.mark.parametrize("case", OPTIM_CASES)
def test_trajectory_matches_torch(case, float64_default):
    name, _ = case.split("/")
    config = json.loads(str(FIXTURES[f"optim/{case}/config"]))
    config = {k: tuple(v) if isinstance(v, list) else v for k, v in config.items()}
    params = [
        nn.Parameter(FIXTURES["initial/0"].copy()),
        nn.Parameter(FIXTURES["initial/1"].copy()),
    ]
    optimizer = getattr(optimizers, name)(params, **config)
    for t in range(STEPS):
        for i, p in enumerate(params):
            p.grad = FIXTURES[f"grads/{t}/{i}"].copy()
        optimizer.step()
        for i, p in enumerate(params):
            np.testing.assert_allclose(
                p.detach().numpy(),
                FIXTURES[f"optim/{case}/{t}/{i}"],
                rtol=1e-12,
                atol=1e-13,
                err_msg=f"step {t + 1}",
            )


@pytest.mark.parametrize("name", SCHED_CASES)
def test_schedule_matches_torch(name):
    config = json.loads(str(FIXTURES[f"sched/{name}/config"]))
    optimizer = optimizers.SGD([nn.Parameter(np.zeros(1))], lr=0.1)
    if name == "LambdaLR":
        scheduler = lr_scheduler.LambdaLR(optimizer, lambda e: 1 / (1 + e))
    else:
        scheduler = getattr(lr_scheduler, name)(optimizer, **config)
    lrs = []
    for _ in range(STEPS):
        lrs.append(scheduler.get_last_lr()[0])
        optimizer.step()
        scheduler.step()
    np.testing.assert_allclose(lrs, FIXTURES[f"sched/{name}/lrs"], rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("number", range(len(MUON_CASES)))
def test_muon_matches_recorded_pytorch(number):
    config = json.loads(str(FIXTURES[f"muon/{number}/config"]))
    assert config == MUON_CASES[number]
    w = nn.Parameter(FIXTURES["muon/initial"].copy())
    optimizer = optimizers.Muon([w], **config)
    for g in FIXTURES["muon/grads"]:
        w.grad = g.copy()
        optimizer.step()
    # (bfloat16 Newton-Schulz: PyTorch's to bfloat16 precision, see optimizers/muon.py)
    np.testing.assert_allclose(w.detach().numpy(), FIXTURES[f"muon/{number}/final"], atol=2e-3)


@pytest.mark.parametrize("number", range(len(LBFGS_CASES)))
def test_lbfgs_matches_recorded_pytorch(number):
    config = json.loads(str(FIXTURES[f"lbfgs/{number}/config"]))
    w = nn.Parameter(np.zeros(4))
    optimizer = optimizers.LBFGS([w], **config)

    def closure():
        optimizer.zero_grad()
        loss = lbfgs_problem(nn, w)
        loss.backward()
        return loss

    losses = [float(optimizer.step(closure)) for _ in range(3)]
    np.testing.assert_allclose(losses, FIXTURES[f"lbfgs/{number}/losses"], rtol=1e-12)
    np.testing.assert_allclose(w.detach().numpy(), FIXTURES[f"lbfgs/{number}/final"], rtol=1e-10)
    assert optimizer.state[w]["func_evals"] == int(FIXTURES[f"lbfgs/{number}/func_evals"])
