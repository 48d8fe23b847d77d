"""Parity with PyTorch's recorded results (torch is not needed here): at the minimal inputs
where descend once differed (tests/cases/parity_cases.py, tests/fixtures/torch_parity.npz) and for
the layers and functions of the tutorials (tests/cases/layer_cases.py, torch_layers.npz), both
made by tests/fixtures/make_torch_parity_fixtures.py. Values, gradients, NaN/inf placement,
signs of zeros (through ``1/x`` in the cases) and error types equal PyTorch's."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import nn
import nn.functional
from tests.cases import layer_cases, parity_cases

HERE = Path(__file__).parent.parent / "fixtures"
SOURCES = {  # fixture file -> (cases, absolute tolerance: layers sum in BLAS's order)
    "torch_parity.npz": (parity_cases.CASES, 0.0),
    "torch_layers.npz": (layer_cases.CASES, 1e-13),
}
FIXTURES = {name: np.load(HERE / name) for name in SOURCES}


def expected(source: str, case: str) -> dict[str, np.ndarray]:
    prefix, fixtures = f"{case}/", FIXTURES[source]
    return {k[len(prefix) :]: fixtures[k] for k in fixtures.files if k.startswith(prefix)}


@pytest.mark.parametrize(
    ("source", "case"),
    [(source, case) for source in SOURCES for case in sorted(SOURCES[source][0])],
)
def test_case_matches_pytorch(source, case):
    cases, atol = SOURCES[source]
    reference = expected(source, case)
    assert reference, f"no fixture for {case}: run make_torch_parity_fixtures.py"
    result = cases[case](nn, nn.functional)
    assert set(result) == set(reference), f"{case}: {sorted(result)} != {sorted(reference)}"
    for key, value in result.items():
        mine, theirs = np.asarray(value), reference[key]
        assert mine.shape == theirs.shape, f"{case}.{key}: shape {mine.shape} != {theirs.shape}"
        if theirs.dtype.kind in "US":
            np.testing.assert_array_equal(mine, theirs, err_msg=f"{case}.{key}")
        else:
            np.testing.assert_allclose(mine, theirs, rtol=1e-12, atol=atol, err_msg=f"{case}.{key}")
            numbers = ~np.isnan(theirs) & (np.abs(theirs) > atol)
            signs_agree = np.signbit(mine[numbers]) == np.signbit(theirs[numbers])
            assert signs_agree.all(), f"{case}.{key}: signs of zeros or infinities differ"
