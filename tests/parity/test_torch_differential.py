"""A differential fuzz against PyTorch (skipped without torch): hypothesis draws programs of
differentiable ops (tests/cases/differential.py) over broadcasting shapes and float64 values from
tiny to huge with the odd inf, NaN and signed zero; both frameworks run them; every value and
every leaf gradient must agree (NaN and inf in the same places), and where PyTorch raises,
descend raises the same builtin error type at the same step. The one allowance: where a
summing op's terms cancel, the two summation orders may round differently (within n eps of
the largest term); the comparison stops there, as everything after inherits it."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import nn
import nn.functional as NF
from tests.cases.differential import OPS, SUMMING, builtin, run

torch = pytest.importorskip("torch")
pytestmark = pytest.mark.torch
import torch.nn.functional as TF  # noqa: E402

SPECIAL = [0.0, -0.0, 1.0, -1.0, 1e-300, -1e-300, 1e300, -1e300, 1e-8, math.inf, -math.inf]
ELEMENTS = st.one_of(
    st.floats(-3, 3),
    st.floats(-3, 3),
    st.floats(-3, 3),
    st.floats(-1e300, 1e300),  # hypothesis favours the edges: huge, tiny, subnormal
    st.sampled_from(SPECIAL),
    st.just(math.nan),
)


class Draw:
    """``params`` functions' view of hypothesis: ``draw(options)`` picks one, ``shuffle``."""

    def __init__(self, data: st.DataObject) -> None:
        self.data = data

    def __call__(self, options):
        return self.data.draw(st.sampled_from(list(options)))

    def shuffle(self, items: list) -> None:
        items[:] = self.data.draw(st.permutations(items))

    def rng(self) -> np.random.Generator:
        return np.random.default_rng(self.data.draw(st.integers(0, 2**32 - 1)))


@st.composite
def programs(draw, max_steps=12, ops=None):
    """Up to ``max_steps`` ops from ``ops`` (every op by default) over 1-3 float64 leaves of
    mutually broadcastable shapes; torch runs along to track shapes and stop at an error."""
    ops = tuple(sorted(OPS)) if ops is None else ops
    shapes = draw(
        hnp.mutually_broadcastable_shapes(num_shapes=3, min_dims=0, max_dims=3, max_side=3)
    ).input_shapes
    count = draw(st.integers(1, 3))
    leaves = [draw(hnp.arrays(np.float64, shapes[i], elements=ELEMENTS)) for i in range(count)]
    tensors = [torch.tensor(x) for x in leaves]  # tracks the shapes while the program grows
    steps = []
    choose = Draw(draw(st.data()))
    for _ in range(draw(st.integers(1, max_steps))):
        name = draw(st.sampled_from(ops))
        spec = OPS[name]
        operands = tuple(draw(st.integers(0, len(tensors) - 1)) for _ in range(spec.arity))
        params = spec.params(choose, [tuple(tensors[i].shape) for i in operands])
        steps.append((name, operands, params))
        try:
            tensors.append(spec.fn(torch, TF, params, *(tensors[i] for i in operands)))
        except Exception:
            break  # the program ends at an error; both must raise it
    return leaves, steps, draw(st.integers(0, 2**16))


def assert_close(ours, theirs, what):
    assert ours.shape == theirs.shape, f"{what}: shape {ours.shape} != PyTorch's {theirs.shape}"
    np.testing.assert_array_equal(np.isnan(ours), np.isnan(theirs), err_msg=f"{what}: NaN")
    np.testing.assert_array_equal(np.isposinf(ours), np.isposinf(theirs), err_msg=f"{what}: +inf")
    np.testing.assert_array_equal(np.isneginf(ours), np.isneginf(theirs), err_msg=f"{what}: -inf")
    finite = np.isfinite(theirs)
    # atol: results that are 0 in exact arithmetic come out as round-off that depends on the
    # order of operations (and on PyTorch's fused multiply-adds, e.g. 1e-13 from batch norm
    # of a constant channel); tiny values are pinned in tests/parity/test_autograd_parity.py
    np.testing.assert_allclose(ours[finite], theirs[finite], rtol=1e-9, atol=1e-12, err_msg=what)


def summation_order_explains(ours, theirs, name, operands):
    """Whether a summing op's mismatch (NaN and inf in the same places) is within the
    round-off of adding its terms in another order: 8 n eps times the largest term's
    magnitude (the operands' maxima multiplied for matmul, the largest squared for var and
    mse, the largest otherwise; linear's weights are normal, so below 10)."""
    same_places = all(
        np.array_equal(test(ours), test(theirs)) for test in (np.isnan, np.isposinf, np.isneginf)
    )
    if name not in SUMMING or ours.shape != theirs.shape or not same_places:
        return False
    maxima = [np.max(np.abs(x[np.isfinite(x)]), initial=0.0) for x in operands]
    largest = max(maxima)
    with np.errstate(over="ignore"):
        product = np.prod(maxima) if name == "matmul" else largest * largest
    term = {"matmul": product, "var": product, "mse": product, "linear": 10 * largest}
    scale = max(term.get(name, largest), 1.0)
    bound = 8 * (max(x.size for x in operands) + 1) * np.finfo(np.float64).eps * scale
    finite_both = np.isfinite(theirs)
    return bool(np.all(np.abs(ours[finite_both] - theirs[finite_both]) <= bound))


def compare(program):
    leaves, steps, seed = program
    theirs = run(torch, TF, leaves, steps, seed)
    ours = run(nn, NF, leaves, steps, seed)
    if theirs["error"] is None or ours["error"] is None:
        assert ours["error"] == theirs["error"], (ours["error"], theirs["error"])
    else:  # the same step, and an error of PyTorch's (builtin) type
        assert ours["error"][0] == theirs["error"][0], (ours["error"], theirs["error"])
        assert issubclass(ours["error"][1], builtin(theirs["error"][1])), (
            ours["error"],
            theirs["error"],
        )
    known = list(leaves) + theirs["values"]
    for number, (a, b) in enumerate(zip(ours["values"], theirs["values"], strict=True)):
        name, operands, _ = steps[number]
        try:
            assert_close(a, b, f"step {number} ({name})")
        except AssertionError:
            if not summation_order_explains(a, b, name, [known[i] for i in operands]):
                raise
            return  # the programs diverged by round-off; later values and gradients inherit it
    if theirs["grads"] is None:
        assert ours["grads"] is None or theirs["error"] is not None
        return
    for number, (a, b) in enumerate(zip(ours["grads"], theirs["grads"], strict=True)):
        assert (a is None) == (b is None), f"leaf {number}: gradient None in one only"
        if a is not None:
            assert_close(a, b, f"gradient of leaf {number}")


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(program=programs())
def test_random_programs_agree_with_pytorch(program):
    compare(program)


@pytest.mark.parametrize("name", sorted(OPS))
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_each_op_agrees_with_pytorch(name, data):
    compare(data.draw(programs(max_steps=2, ops=(name,))))
