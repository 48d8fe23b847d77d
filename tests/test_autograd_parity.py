"""Autograd and loss parity at the minimal inputs where descend once differed from PyTorch
(tests/parity_cases.py): values, gradients, NaN/inf placement, signs of zeros (through
``1/x`` in the cases) and error types equal PyTorch's recorded ones
(tests/fixtures/torch_parity.npz, made by tests/fixtures/make_torch_parity_fixtures.py;
torch is not needed here)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import nn
import nn.functional
from tests.parity_cases import CASES

FIXTURES = np.load(Path(__file__).parent / "fixtures" / "torch_parity.npz")


def expected(case: str) -> dict[str, np.ndarray]:
    prefix = f"{case}/"
    return {k[len(prefix) :]: FIXTURES[k] for k in FIXTURES.files if k.startswith(prefix)}


@pytest.mark.parametrize("case", sorted(CASES))
def test_case_matches_pytorch(case):
    reference = expected(case)
    assert reference, f"no fixture for {case}: run make_torch_parity_fixtures.py"
    result = CASES[case](nn, nn.functional)
    assert set(result) == set(reference), f"{case}: {sorted(result)} != {sorted(reference)}"
    for key, value in result.items():
        mine, theirs = np.asarray(value), reference[key]
        assert mine.shape == theirs.shape, f"{case}.{key}: shape {mine.shape} != {theirs.shape}"
        if theirs.dtype.kind in "US":
            np.testing.assert_array_equal(mine, theirs, err_msg=f"{case}.{key}")
        else:
            np.testing.assert_allclose(mine, theirs, rtol=1e-12, atol=0, err_msg=f"{case}.{key}")
            numbers = ~np.isnan(theirs)
            signs_agree = np.signbit(mine[numbers]) == np.signbit(theirs[numbers])
            assert signs_agree.all(), f"{case}.{key}: signs of zeros or infinities differ"
