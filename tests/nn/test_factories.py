"""Tensor factories as PyTorch's: signatures (sizes as varargs or a tuple, dtype=, device=,
requires_grad=, generator=, out=), dtype rules and values (linspace to the last bit)."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import nn


@pytest.mark.parametrize(
    ("make", "shape", "dtype"),
    [
        (lambda: nn.zeros(2, 3), (2, 3), nn.float32),
        (lambda: nn.ones((2, 3)), (2, 3), nn.float32),
        (lambda: nn.empty([4]), (4,), nn.float32),
        (lambda: nn.full((2,), 3), (2,), nn.int64),
        (lambda: nn.full((2,), True), (2,), nn.bool),
        (lambda: nn.full((2,), 1.5), (2,), nn.float32),
        (lambda: nn.eye(2, 3), (2, 3), nn.float32),
        (lambda: nn.arange(5), (5,), nn.int64),
        (lambda: nn.arange(0, 1, 0.1), (10,), nn.float32),
        (lambda: nn.linspace(0, 1, 7), (7,), nn.float32),
        (lambda: nn.tensor([1, 2]), (2,), nn.int64),
        (lambda: nn.tensor([1, 2.5]), (2,), nn.float32),
        (lambda: nn.tensor(np.array([1.0])), (1,), nn.float64),
        (lambda: nn.rand(2, 2, dtype=nn.float64), (2, 2), nn.float64),
        (lambda: nn.randn((3,)), (3,), nn.float32),
        (lambda: nn.randint(0, 5, (3,)), (3,), nn.int64),
        (lambda: nn.randperm(4), (4,), nn.int64),
        (lambda: nn.zeros_like(nn.tensor([1, 2])), (2,), nn.int64),
        (lambda: nn.rand_like(nn.ones(2, dtype=nn.float64)), (2,), nn.float64),
        (lambda: nn.full_like(nn.tensor([1, 2]), 2.7), (2,), nn.int64),
        (lambda: nn.zeros(size=(2, 3)), (2, 3), nn.float32),
        (lambda: nn.randn(size=[2]), (2,), nn.float32),
        (lambda: nn.rand(size=(1, 2)), (1, 2), nn.float32),
        (lambda: nn.ones(size=(2,), dtype=float), (2,), nn.float64),
        (lambda: nn.empty(size=(3,)), (3,), nn.float32),
        (lambda: nn.ones(2).new_zeros(size=(4,)), (4,), nn.float32),
        (lambda: nn.randint(5, size=(3,)), (3,), nn.int64),
        (lambda: nn.randint(high=5, size=(3,)), (3,), nn.int64),
        (lambda: nn.tensor([1], dtype=float), (1,), nn.float64),
        (lambda: nn.ones(1).to(float), (1,), nn.float64),
        (lambda: nn.zeros(1, dtype=complex), (1,), nn.complex128),
    ],
)
def test_shapes_and_dtypes_as_torch(make, shape, dtype):
    t = make()
    assert t.shape == shape and t.dtype == dtype


def test_arguments_as_torch():
    assert nn.zeros(2, requires_grad=True).requires_grad
    assert nn.ones(2, device="cpu").device == nn.device("cpu")
    out = nn.empty(3)
    assert nn.zeros(3, out=out) is out and out.tolist() == [0.0] * 3
    with pytest.raises(RuntimeError, match="CPU"):
        nn.zeros(2, device="cuda")
    assert nn.full_like(nn.tensor([1, 2]), 2.7).tolist() == [2, 2]


@pytest.mark.parametrize(
    "make",
    [lambda: nn.zeros(2, size=(2,)), lambda: nn.randint(2, 5), lambda: nn.randint(high=5)],
)
def test_sizes_given_twice_or_not_at_all_are_refused(make):
    with pytest.raises(TypeError, match="size"):
        make()


def test_python_float_is_float64_whatever_the_default():
    """``dtype=float`` is float64 in PyTorch even while the default dtype is float32."""
    assert nn.get_default_dtype() == nn.float32
    assert nn.zeros(2, dtype=float).dtype == nn.float64


def test_from_numpy_and_as_tensor_share_memory_tensor_copies():
    a = np.zeros(3)
    nn.from_numpy(a).add_(1)
    nn.as_tensor(a).add_(1)
    nn.tensor(a).add_(1)
    assert a.tolist() == [2.0, 2.0, 2.0]


def test_random_factories_follow_the_seed_and_their_ranges():
    nn.manual_seed(7)
    first = (nn.rand(100), nn.randn(5), nn.randint(3, 9, (100,)), nn.randperm(10))
    nn.manual_seed(7)
    again = (nn.rand(100), nn.randn(5), nn.randint(3, 9, (100,)), nn.randperm(10))
    for a, b in zip(first, again, strict=True):
        assert nn.equal(a, b)
    assert 0 <= first[0].min().item() and first[0].max().item() < 1
    assert 3 <= first[2].min().item() and first[2].max().item() < 9
    assert sorted(first[3].tolist()) == list(range(10))


def test_linspace_ends_are_exact_and_halves_count_from_each_end():
    values = nn.linspace(-math.pi, math.pi, 2000).numpy()
    assert values[0] == np.float32(-math.pi) and values[-1] == np.float32(math.pi)
    assert nn.linspace(2, 5, 1).tolist() == [2.0] and nn.linspace(2, 5, 0).shape == (0,)
    assert nn.linspace(0, 10, 5, dtype=nn.int64).tolist() == [0, 2, 5, 7, 10]
    with pytest.raises(RuntimeError, match="number of steps must be non-negative"):
        nn.linspace(0, 1, -1)


@pytest.mark.torch
@settings(max_examples=300, deadline=None)
@given(  # (the emulated fused multiply-add can double-round a tie when one end is tiny)
    start=st.floats(-1e3, 1e3).filter(lambda x: x == 0 or abs(x) > 1e-6),
    end=st.floats(-1e3, 1e3).filter(lambda x: x == 0 or abs(x) > 1e-6),
    steps=st.integers(0, 3000),
    dtype=st.sampled_from(["float32", "float64", "int64"]),
)
def test_linspace_and_logspace_are_torchs_to_the_last_bit(start, end, steps, dtype):
    torch = pytest.importorskip("torch")
    ours = nn.linspace(start, end, steps, dtype=getattr(nn, dtype)).numpy()
    theirs = torch.linspace(start, end, steps, dtype=getattr(torch, dtype)).numpy()
    np.testing.assert_array_equal(ours, theirs)
    small = (start / 400, end / 400, min(steps, 200))
    ours = nn.logspace(*small, dtype=nn.float64).numpy()
    np.testing.assert_array_equal(ours, torch.logspace(*small, dtype=torch.float64).numpy())


@pytest.mark.torch
@settings(max_examples=200, deadline=None)
@given(
    start=st.integers(-20, 20) | st.floats(-20, 20).map(lambda x: round(x, 2)),
    stop=st.integers(-20, 20) | st.floats(-20, 20).map(lambda x: round(x, 2)),
    step=st.sampled_from([1, 2, -1, 0.5, -0.3, 0.1, 3]),
)
def test_arange_is_torchs(start, stop, step):
    torch = pytest.importorskip("torch")
    try:
        theirs = torch.arange(start, stop, step)
    except RuntimeError:
        with pytest.raises(RuntimeError):
            nn.arange(start, stop, step)
        return
    ours = nn.arange(start, stop, step)
    assert str(ours.dtype) == str(theirs.dtype).replace("torch.", "")
    np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-6, atol=1e-6)


@settings(max_examples=300, deadline=None)
@given(
    x=st.floats(-1e6, 1e6).filter(lambda v: v == 0 or abs(v) > 1e-100),
    a=st.floats(-1e6, 1e6).filter(lambda v: v == 0 or abs(v) > 1e-100),
    nudge=st.sampled_from([0.0, 2.0**-53, -(2.0**-53), 2.0**-52, 1e-16]),
    offset=st.sampled_from([0.0, 1.0, -1000.0, 999.9999999999999]),
)
def test_fused_multiply_add_rounds_once(x, a, nudge, offset):
    """x a + b rounded once (the correctly rounded value of the exact sum), float64, also
    where the emulation's sum falls exactly between two doubles (b near -x a); products far
    from the subnormal range, where Dekker's split is exact."""
    from fractions import Fraction

    from nn.rules import fused_multiply_add

    b = -(x * a) * (1 + nudge) + offset
    got = fused_multiply_add(np.array([x]), np.array([a]), np.array([b]))[0]
    assert got == float(Fraction(x) * Fraction(a) + Fraction(b))


def test_fused_multiply_add_breaks_a_double_rounding_tie():
    """27 * s + 999.9999999999999 lies a hair below the midpoint to 1000: it rounds down
    (torch.linspace(1000, 999.9999999999999, 55)[27]), not to the even 1000."""
    from nn.rules import fused_multiply_add

    last = 999.9999999999999
    step = (last - 1000.0) / 54
    got = fused_multiply_add(np.array([27.0]), np.array([-step]), np.array([last]))[0]
    assert got == last
