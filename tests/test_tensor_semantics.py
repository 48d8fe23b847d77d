"""Tensor semantics against PyTorch: PyTorch's idioms (tests/semantics_scenarios.py) run in
descend give the values and errors PyTorch gave (tests/fixtures/torch_semantics.npz, made
by tests/fixtures/make_torch_semantics_fixtures.py; torch is not needed here)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import nn
from tests.semantics_scenarios import SCENARIOS

FIXTURES = np.load(Path(__file__).parent / "fixtures" / "torch_semantics.npz")


def expected(scenario: str) -> dict[str, np.ndarray]:
    prefix = f"{scenario}/"
    return {k[len(prefix) :]: FIXTURES[k] for k in FIXTURES.files if k.startswith(prefix)}


def assert_same(name: str, ours: object, theirs: np.ndarray) -> None:
    mine = np.asarray(ours)
    assert mine.shape == theirs.shape, f"{name}: shape {mine.shape} != PyTorch's {theirs.shape}"
    if theirs.dtype.kind in "USb":
        np.testing.assert_array_equal(mine, theirs, err_msg=name)
    else:
        np.testing.assert_allclose(mine, theirs, rtol=1e-12, atol=1e-300, err_msg=name)


@pytest.mark.parametrize("scenario", sorted(SCENARIOS))
def test_idiom_behaves_as_in_pytorch(scenario):
    reference = expected(scenario)
    assert reference, f"no fixture for {scenario}: run make_torch_semantics_fixtures.py"
    result = SCENARIOS[scenario](nn, nn)
    assert set(result) == set(reference)
    for key, value in result.items():
        assert_same(f"{scenario}.{key}", value, reference[key])
