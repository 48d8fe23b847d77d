"""Tensor semantics against live PyTorch (skipped without torch): each idiom of
tests/cases/semantics_scenarios.py, run in both, gives the same values and the same errors."""

from __future__ import annotations

import numpy as np
import pytest

import nn
from tests.cases.scenario_tools import assert_same
from tests.cases.semantics_scenarios import SCENARIOS

torch = pytest.importorskip("torch")
pytestmark = pytest.mark.torch


@pytest.mark.parametrize("scenario", sorted(SCENARIOS))
def test_idiom_matches_live_pytorch(scenario):
    theirs = SCENARIOS[scenario](torch, torch.nn)
    ours = SCENARIOS[scenario](nn, nn)
    assert set(ours) == set(theirs)
    for key, value in theirs.items():
        assert_same(f"{scenario}.{key}", ours[key], np.asarray(value))
