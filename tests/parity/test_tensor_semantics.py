"""Tensor semantics against PyTorch: PyTorch's idioms (tests/cases/semantics_scenarios.py) run in
descend give the values and errors PyTorch gave (tests/fixtures/torch_semantics.npz, made
by tests/fixtures/make_torch_semantics_fixtures.py; torch is not needed here)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import nn
from tests.cases.scenario_tools import assert_same
from tests.cases.semantics_scenarios import SCENARIOS

FIXTURES = np.load(Path(__file__).parent.parent / "fixtures" / "torch_semantics.npz")


def expected(scenario: str) -> dict[str, np.ndarray]:
    prefix = f"{scenario}/"
    return {k[len(prefix) :]: FIXTURES[k] for k in FIXTURES.files if k.startswith(prefix)}


@pytest.mark.parametrize("scenario", sorted(SCENARIOS))
def test_idiom_behaves_as_in_pytorch(scenario):
    reference = expected(scenario)
    assert reference, f"no fixture for {scenario}: run make_torch_semantics_fixtures.py"
    result = SCENARIOS[scenario](nn, nn)
    assert set(result) == set(reference)
    for key, value in result.items():
        assert_same(f"{scenario}.{key}", value, reference[key])


def test_remainder_and_rounded_division_differentiate_as_pytorchs():
    """x % y has PyTorch's gradients (1, and -floor(x / y) for y); a division rounded by
    rounding_mode gives zeros; x // y and number % x are recorded, and backward through them
    raises as PyTorch's does. None of them cuts the graph."""
    x = nn.tensor([1.5, -2.3, 3.7], requires_grad=True)
    y = nn.tensor([0.4, 0.7, -1.1], requires_grad=True)
    (x % y).sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [1.0, 1.0, 1.0])
    np.testing.assert_array_equal(y.grad.numpy(), [-3.0, 4.0, 4.0])  # torch's numbers
    assert (x % 0.3).grad_fn.name() == "RemainderBackward0"
    x.grad = y.grad = None
    nn.div(x, y, rounding_mode="floor").sum().backward()
    assert not x.grad.numpy().any() and not y.grad.numpy().any()
    for undifferentiable, op in ((x // 0.3, "floor_divide"), (0.3 % x, "remainder")):
        assert undifferentiable.requires_grad
        with pytest.raises(RuntimeError, match=f"derivative for aten::{op} is not implemented"):
            undifferentiable.sum().backward()
    a = nn.tensor([3.7, 1.2], requires_grad=True)
    b = a * 1.0
    b %= 1.0
    b.sum().backward()
    np.testing.assert_array_equal(a.grad.numpy(), [1.0, 1.0])
    counts = nn.tensor([7, -7])
    counts //= 2
    assert counts.tolist() == [3, -4]


def test_indices_are_checked_as_pytorch_checks_them():
    """gather takes an index smaller than the input on the other dimensions; a negative or
    too large index in gather, index_select or embedding raises (NumPy would count a
    negative one from the end: a silent wrong row); narrow counts a negative start from the
    end, as PyTorch does."""
    x = nn.tensor(np.arange(60.0).reshape(3, 4, 5), requires_grad=True)
    index = nn.tensor(np.array([[[4], [0]], [[1], [1]], [[2], [3]]]))
    out = x.gather(2, index)
    assert out.tolist() == [[[4.0], [5.0]], [[21.0], [26.0]], [[42.0], [48.0]]]
    out.sum().backward()
    assert x.grad.numpy().sum() == 6 and x.grad.numpy()[1, 1, 1] == 1
    with pytest.raises(RuntimeError, match="index -1 is out of bounds for dimension 2 with size 5"):
        x.gather(2, nn.tensor(np.full((3, 2, 1), -1)))
    with pytest.raises(RuntimeError, match="to be no larger than self"):
        x.gather(2, nn.tensor(np.zeros((3, 5, 1), np.int64)))
    m = nn.arange(6.0).reshape(2, 3)
    with pytest.raises(RuntimeError, match="out of DATA bounds, id=-1 axis_dim=3"):
        m.index_select(1, nn.tensor([-1]))
    with pytest.raises(IndexError, match="index out of range in self"):  # (as PyTorch's)
        m.index_select(0, nn.tensor([2]))
    assert m.index_select(1, nn.tensor([2, 0])).tolist() == [[2.0, 0.0], [5.0, 3.0]]
    with pytest.raises(IndexError, match="index out of range in self"):
        nn.F.embedding(nn.tensor([-1]), m)
    assert m.narrow(1, -1, 1).tolist() == [[2.0], [5.0]]
    with pytest.raises(RuntimeError, match="exceeds dimension size"):
        m.narrow(1, 2, 2)


def test_integer_products_and_bool_negation_as_pytorch():
    """prod of bool and integer Tensors is int64 (True * True is 1, not True); -mask is an
    error that says to use ~, as in PyTorch."""
    product = nn.tensor([True, True]).prod()
    assert product.dtype == nn.int64 and product.item() == 1
    assert nn.tensor([2, 3], dtype=nn.int32).prod(0).dtype == nn.int64
    with pytest.raises(RuntimeError, match="use the `~`"):
        _ = -nn.tensor([True, False])
