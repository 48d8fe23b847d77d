"""The differential op harness against live PyTorch (skipped without it): for every entry of
the table (tests/parity/opinfo.py), hypothesis draws samples and both frameworks run them;
values, dtypes, shapes, view or copy, in-place effects and version counters, exception
types, gradients and backward's refusals of stale saved values must agree.

CI runs a few examples per op; the long run is one command (docs/testing-against-pytorch.md):

    DESCEND_HARNESS_EXAMPLES=300 HYPOTHESIS_PROFILE=dev \
        python -m pytest tests/parity/test_opinfo.py -m torch
"""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from tests.parity.coverage import public_names
from tests.parity.ops import EXEMPT, OPS
from tests.parity.runner import Framework, compare, execute

EXAMPLES = int(os.environ.get("DESCEND_HARNESS_EXAMPLES", "12"))


def test_every_public_name_has_an_entry_or_a_reason():
    names = public_names()
    missing = sorted(n for n in names if n not in OPS and n not in EXEMPT)
    assert not missing, f"public names with no harness entry and no exemption: {missing}"
    stale = sorted(n for n in [*OPS, *EXEMPT] if n not in names and not n.startswith("Tensor.__"))
    assert not stale, f"harness entries for names that are not public: {stale}"


@pytest.mark.torch
@pytest.mark.parametrize("name", sorted(OPS))
def test_the_op_agrees_with_pytorch(name):
    pytest.importorskip("torch")
    op = OPS[name]
    ours, theirs = Framework("descend"), Framework("torch")

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )
    @given(data=st.data(), seed=st.integers(0, 2**16))
    def agree(data, seed):
        sample = op.sampler(data)
        assume(op.known(sample) is None)
        expected = execute(theirs, op.call, sample, seed, op.stale)
        got = execute(ours, op.call, sample, seed, op.stale)
        problems = compare(got, expected, op.rtol, op.grad_rtol)
        assert not problems, f"{name} on {sample}:\n  " + "\n  ".join(problems)

    agree()
