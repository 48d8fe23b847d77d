"""Tensors print as PyTorch's do (nn/tensor/printing.py): the same digits, alignment, notation,
wrapping and summaries, so that a ported script prints the same numbers."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import nn

CASES = {
    "tensor([ True, False])": lambda: nn.tensor([True, False]),
    "tensor([1.0000e-05, 1.0000e+00])": lambda: nn.tensor([1e-5, 1.0]),
    "tensor([1.5000,    nan,    inf])": lambda: nn.tensor([1.5, float("nan"), float("inf")]),
    "tensor([1., nan])": lambda: nn.tensor([1.0, float("nan")]),
    "tensor(3.)": lambda: nn.tensor(3.0),
    "tensor([[ 1,  2],\n        [ 3, 40]])": lambda: nn.tensor([[1, 2], [3, 40]]),
    "tensor([], size=(0, 3))": lambda: nn.zeros(0, 3),
    "tensor([], dtype=int64)": lambda: nn.tensor([], dtype=nn.int64),
    "tensor([-0., 0.])": lambda: nn.tensor([-0.0, 0.0]),
    "tensor([2.], requires_grad=True)": lambda: nn.tensor([2.0], requires_grad=True),
    "tensor([4.], grad_fn=<MulBackward0>)": lambda: nn.tensor([2.0], requires_grad=True) * 2,
    "tensor([0.5000], dtype=float64)": lambda: nn.tensor([0.5], dtype=nn.float64),
}


@pytest.mark.parametrize("expected", CASES)
def test_prints_as_pytorch(expected):
    assert repr(CASES[expected]()) == expected


def test_a_long_tensor_is_summarised_and_wrapped():
    text = repr(nn.arange(2000.0))
    assert text == (
        "tensor([0.0000e+00, 1.0000e+00, 2.0000e+00,  ..., 1.9970e+03, 1.9980e+03,\n"
        "        1.9990e+03])"
    )


def test_print_options():
    try:
        nn.set_printoptions(precision=2)
        assert repr(nn.tensor([1 / 3])) == "tensor([0.33])"
        nn.set_printoptions(profile="full")
        assert "..." not in repr(nn.zeros(2000))
    finally:
        nn.set_printoptions(profile="default")
    assert repr(nn.tensor([1 / 3])) == "tensor([0.3333])"


@pytest.mark.torch
@settings(max_examples=200, deadline=None)
@given(
    values=hnp.arrays(
        np.float64,
        hnp.array_shapes(min_dims=0, max_dims=3, max_side=12),
        elements=st.floats(-1e10, 1e10, width=32) | st.sampled_from([0.0, 1.0, 1e-6, np.nan]),
    ),
    dtype=st.sampled_from([np.float32, np.float64, np.int64]),
)
def test_prints_pytorchs_digits_and_layout(values, dtype):
    torch = pytest.importorskip("torch")
    values = np.nan_to_num(values).astype(dtype) if dtype == np.int64 else values.astype(dtype)
    ours = repr(nn.tensor(values))
    theirs = repr(torch.tensor(values)).replace("torch.", "")
    if "dtype=" in theirs:  # descend's dtype names are shorter: compare before the suffix
        ours, theirs = (
            ours.split("dtype=")[0].rstrip(",\n "),
            theirs.split("dtype=")[0].rstrip(",\n "),
        )
    assert ours == theirs
