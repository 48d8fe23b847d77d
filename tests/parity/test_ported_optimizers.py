"""Optimizers written in PyTorch's idiom (a ``torch.optim.Optimizer`` subclass with its own
``step``, as third-party optimizers are written; tests/ported/optimizers) run on descend after
changing imports only, and with PyTorch installed take PyTorch's trajectory in every
scenario of tests/ported/optimizer_scenarios.py: two param groups, a resume through
``state_dict`` and through a saved file, ``step(closure)``, and a scheduler with step hooks
(hook counts and scheduler warnings equal)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from tests.ported.optimizer_scenarios import SCENARIOS, SOURCES, Framework, run

# LegacyAdam uses PyTorch's deprecated overloads on purpose (their warning is tested in
# tests/optimizers/test_optimizer_author_names.py)
pytestmark = pytest.mark.filterwarnings("ignore:This overload of")


def _plain(file: str, cls: str, **kwargs: Any) -> Any:
    def build(fw: Framework, module: Any, groups: Any) -> Any:
        return getattr(module, cls)(groups, **kwargs)

    build.file = file  # type: ignore[attr-defined]
    return build


def _lookahead(fw: Framework, module: Any, groups: Any) -> Any:
    inner = fw.optim.Adam(groups, lr=0.05)
    return module.Lookahead(inner, k=3, alpha=0.5)


_lookahead.file = "lookahead"  # type: ignore[attr-defined]
_armijo = _plain("armijo_sgd", "ArmijoSGD", lr=1.0)
_armijo.needs_closure = True  # type: ignore[attr-defined]

CASES = {
    "counted_sgd": _plain("counted_sgd", "CountedSGD", lr=0.3, decay=0.2, weight_decay=0.01),
    "lookahead": _lookahead,
    "armijo_sgd": _armijo,
    "float32_state_adam": _plain("half_state_adam", "Float32StateAdam", lr=0.05),
    "legacy_adam": _plain("legacy_adam", "LegacyAdam", lr=0.05, weight_decay=0.01),
    "legacy_adam_amsgrad": _plain("legacy_adam", "LegacyAdam", lr=0.05, amsgrad=True),
    "foreach_lion": _plain("foreach_lion", "ForeachLion", lr=0.01, weight_decay=0.1),
    "nesterov_sgdw": _plain("nesterov_sgdw", "SGDW", lr=0.1, momentum=0.9, nesterov=1),
    "lamb": _plain("lamb", "Lamb", lr=0.05, weight_decay=0.01),
    "adafactor_lite": _plain("adafactor_lite", "AdafactorLite", lr=0.05),
    "hooked_sign_sgd": _plain("hooked_sign_sgd", "HookedSignSGD", lr=0.01),
    "ema_adamw": _plain("ema_adamw", "EMAAdamW", lr=0.05),
}


def test_every_source_has_a_case():
    used = {build.file for build in CASES.values()}
    assert used == {path.stem for path in SOURCES.glob("*.py")}


@pytest.mark.parametrize("scenario", SCENARIOS)
@pytest.mark.parametrize("name", sorted(CASES))
def test_the_ported_optimizer_runs_and_trains(name, scenario):
    build = CASES[name]
    result = run(Framework("descend"), build, build.file, scenario)
    losses = result["losses"]
    assert len(result["params"]) == 10 and all(np.isfinite(losses))
    assert min(losses[1:]) < losses[0]  # it trains
    if scenario == "scheduler_hooks" and result["own_hooks"] == "registered":
        assert result["counts"] == {"pre": 10, "post": 10, "global_pre": 10, "global_post": 10}
        assert result["order_warnings"] == 0


@pytest.mark.torch
@pytest.mark.parametrize("scenario", SCENARIOS)
@pytest.mark.parametrize("name", sorted(CASES))
def test_the_ported_optimizer_follows_pytorch(name, scenario):
    pytest.importorskip("torch")
    build = CASES[name]
    theirs = run(Framework("torch"), build, build.file, scenario)
    ours = run(Framework("descend"), build, build.file, scenario)
    for step, (a, b) in enumerate(zip(ours["params"], theirs["params"], strict=True)):
        for mine, expected in zip(a, b, strict=True):
            np.testing.assert_allclose(
                mine, expected, rtol=1e-12, atol=1e-14, err_msg=f"after step {step + 1}"
            )
    np.testing.assert_allclose(ours["losses"], theirs["losses"], rtol=1e-12)
    for key in ("counts", "order_warnings", "own_hooks", "lrs"):
        assert ours.get(key) == theirs.get(key), key
