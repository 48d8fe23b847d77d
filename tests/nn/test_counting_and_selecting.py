"""histc, histogram, bincount, unique against NumPy's own counts; masked_select, diff,
atan2, logit, nansum, nanmean and softmin against finite differences (PyTorch parity for
all of them is in the op harness, tests/parity/ops_counting.py)."""

import numpy as np
import pytest

import nn


def test_histc_and_histogram_count_as_numpy_does_on_plain_data() -> None:
    values = np.array([0.5, 1.0, 1.5, 2.9, 3.0, -1.0, 7.0])
    counts = nn.tensor(values).histc(bins=3, min=0, max=3).numpy()
    np.testing.assert_array_equal(counts, np.histogram(values, bins=3, range=(0, 3))[0])
    hist, edges = nn.histogram(nn.tensor(values), bins=4)
    expected, expected_edges = np.histogram(values, bins=4)
    np.testing.assert_array_equal(hist.numpy(), expected)
    np.testing.assert_allclose(edges.numpy(), expected_edges)
    assert hist.dtype == nn.float64  # (the data's dtype)


def test_bincount_and_unique() -> None:
    x = nn.tensor([0, 1, 1, 3])
    np.testing.assert_array_equal(x.bincount(minlength=6).numpy(), [1, 2, 0, 1, 0, 0])
    weighted = x.bincount(nn.tensor([0.5, 1.0, 1.0, 2.0]))
    np.testing.assert_array_equal(weighted.numpy(), [0.5, 2.0, 0.0, 2.0])
    values, inverse, counts = nn.unique(
        nn.tensor([3, 1, 1, 2]), return_inverse=True, return_counts=True
    )
    assert values.tolist() == [1, 2, 3] and inverse.tolist() == [2, 0, 0, 1]
    assert counts.tolist() == [2, 1, 1]
    with pytest.raises(RuntimeError, match="non-negative"):
        nn.tensor([-1, 2]).bincount()


def test_masked_select_and_diff() -> None:
    x = nn.tensor([[1.0, -2.0], [3.0, -4.0]], dtype=nn.float64, requires_grad=True)
    assert x.masked_select(x > 0).tolist() == [1.0, 3.0]
    assert nn.gradcheck(lambda t: t.masked_select(nn.tensor([True, False])), (x,))
    assert nn.gradcheck(lambda t: t.diff(n=2, dim=0, prepend=t[:1]), (x,))
    assert nn.tensor([1, 4, 9, 16]).diff(n=2).tolist() == [2, 2]
    with pytest.raises(RuntimeError, match="BoolTensor"):
        x.masked_select(nn.tensor([1, 0]))


@pytest.mark.parametrize("dtype", [nn.float32, nn.float64])
def test_atan2_logit_and_the_nan_reductions_keep_dtype(dtype: nn.dtype) -> None:
    a = nn.tensor([1.0, -2.0, 0.5], dtype=dtype)
    b = nn.tensor([-1.0, 3.0, 0.25], dtype=dtype)
    assert nn.atan2(a, b).dtype == dtype
    np.testing.assert_allclose(nn.atan2(a, b).numpy(), np.arctan2(a.numpy(), b.numpy()), rtol=1e-6)
    assert nn.logit(nn.tensor([0.25], dtype=dtype)).dtype == dtype
    with_nan = nn.tensor([1.0, float("nan"), 3.0], dtype=dtype)
    assert with_nan.nansum().item() == 4.0 and with_nan.nanmean().item() == 2.0


def test_gradients_match_finite_differences() -> None:
    a = nn.tensor([0.3, -1.2, 2.0], dtype=nn.float64, requires_grad=True)
    b = nn.tensor([1.1, 0.4, -0.7], dtype=nn.float64, requires_grad=True)
    assert nn.gradcheck(nn.atan2, (a, b))
    p = nn.tensor([0.2, 0.5, 0.9], dtype=nn.float64, requires_grad=True)
    assert nn.gradcheck(nn.logit, (p,))
    assert nn.gradcheck(lambda t: nn.F.softmin(t, dim=0), (a,))
    with_nan = nn.tensor([1.0, float("nan"), 3.0], requires_grad=True)
    with_nan.nansum().backward()
    assert with_nan.grad.tolist() == [1.0, 0.0, 1.0]


def test_tile_pads_its_repeats_and_count_nonzero_counts() -> None:
    x = nn.tensor([[1, 0], [2, 3]])
    assert x.tile((2,)).tolist() == [[1, 0, 1, 0], [2, 3, 2, 3]]
    assert nn.tile(x, (2, 1, 1)).shape == (2, 2, 2)
    assert x.count_nonzero().item() == 3 and x.count_nonzero(dim=1).tolist() == [1, 2]


@pytest.mark.torch
def test_var_mean_and_std_mean_give_pytorchs_welford_mean():
    """PyTorch accumulates float32 moments in float64: the mean they return is (but for a
    rare last bit of Welford's rounding) the float64 mean rounded once. NumPy's float32
    pairwise mean agreed with it in 78% of elements, off by far more where values cancel."""
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(5)
    same = total = 0
    for _ in range(50):
        x = rng.uniform(-3, 3, size=(4, 4, 4)).astype(np.float32)
        for dim in (None, 0, 2):
            theirs = torch.var_mean(torch.tensor(x), dim=dim, correction=0)[1].numpy()
            ours = nn.var_mean(nn.tensor(x), dim=dim, correction=0)[1].numpy()
            np.testing.assert_array_max_ulp(ours, theirs, maxulp=1)
            same, total = same + int((ours == theirs).sum()), total + ours.size
            assert nn.std_mean(nn.tensor(x), dim=dim)[1].dtype == nn.float32
    assert same >= 0.98 * total
