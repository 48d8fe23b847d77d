"""The ops made of other ops (nn/tensor/composites.py) and the order statistics against
NumPy's own versions and hand-worked values; their gradients against finite differences
(nn.autograd.gradcheck). PyTorch's values are held in the op harness."""

from __future__ import annotations

import math

import numpy as np
import pytest

import nn

RNG = np.random.default_rng(0)


def _t(*shape: int) -> nn.Tensor:
    return nn.tensor(RNG.standard_normal(shape), requires_grad=True)


def test_fused_products_are_beta_input_plus_alpha_product():
    c, a, b = _t(3, 5), _t(3, 4), _t(4, 5)
    expected = 0.5 * c.detach().numpy() + 2 * a.detach().numpy() @ b.detach().numpy()
    np.testing.assert_allclose(nn.addmm(c, a, b, beta=0.5, alpha=2).detach().numpy(), expected)
    assert nn.autograd.gradcheck(lambda c, a, b: nn.addmm(c, a, b, beta=0.5, alpha=2), (c, a, b))
    batch1, batch2 = _t(2, 3, 4), _t(2, 4, 5)
    summed = np.einsum("bij,bjk->ik", batch1.detach().numpy(), batch2.detach().numpy())
    np.testing.assert_allclose(
        nn.addbmm(c, batch1, batch2).detach().numpy(), summed + c.detach().numpy()
    )


def test_beta_zero_ignores_the_input_even_nan_and_gives_it_a_zero_gradient():
    c = nn.tensor([[math.nan, math.inf]], dtype=nn.float64, requires_grad=True)
    a, b = _t(1, 3), _t(3, 2)
    out = nn.addmm(c, a, b, beta=0)
    assert np.isfinite(out.detach().numpy()).all()
    out.sum().backward()
    assert c.grad.tolist() == [[0.0, 0.0]]


def test_kron_is_numpys_and_differentiable():
    a, b = _t(2, 3), _t(3, 1, 2)
    np.testing.assert_allclose(
        nn.kron(a, b).detach().numpy(), np.kron(a.detach().numpy(), b.detach().numpy())
    )
    assert nn.autograd.gradcheck(nn.kron, (a, b))


def test_cross_picks_the_first_side_of_three_and_linalg_the_last():
    a, b = _t(3, 3), _t(3, 3)
    np.testing.assert_allclose(
        a.cross(b).detach().numpy(), np.cross(a.detach().numpy(), b.detach().numpy(), axis=0)
    )
    np.testing.assert_allclose(
        nn.linalg.cross(a, b).detach().numpy(), np.cross(a.detach().numpy(), b.detach().numpy())
    )
    assert nn.autograd.gradcheck(lambda a, b: nn.linalg.cross(a, b), (a, b))


def test_tensordot_inner_and_vdot_are_numpys():
    a, b = _t(3, 4, 2), _t(4, 2, 5)
    np.testing.assert_allclose(
        nn.tensordot(a, b).detach().numpy(), np.tensordot(a.detach().numpy(), b.detach().numpy())
    )
    dims = ([1, 0], [0, 2])
    c = _t(4, 5, 3)
    np.testing.assert_allclose(
        nn.tensordot(a, c, dims=dims).detach().numpy(),
        np.tensordot(a.detach().numpy(), c.detach().numpy(), axes=dims),
    )
    assert nn.autograd.gradcheck(lambda a, c: nn.tensordot(a, c, dims=dims), (a, c))
    x, y = _t(2, 3), _t(4, 3)
    np.testing.assert_allclose(
        nn.inner(x, y).detach().numpy(), np.inner(x.detach().numpy(), y.detach().numpy())
    )
    v = nn.tensor([1.0, 2.0])
    assert nn.vdot(v, v).item() == 5.0


def test_rot90_matches_numpy_for_every_k_and_plane():
    x = _t(2, 3, 4)
    for k in range(-2, 6):
        for dims in ((0, 1), (1, 0), (2, 0)):
            np.testing.assert_array_equal(
                x.rot90(k, dims).detach().numpy(), np.rot90(x.detach().numpy(), k, dims)
            )


def test_splits_takes_and_repeats():
    x = nn.arange(7.0)
    assert [p.tolist() for p in x.tensor_split(3)] == [[0, 1, 2], [3, 4], [5, 6]]
    assert [p.tolist() for p in x.tensor_split([1, 5])] == [[0], [1, 2, 3, 4], [5, 6]]
    grid = nn.arange(6).reshape(2, 3)
    assert grid.take(nn.tensor([[0, 5], [-1, 2]])).tolist() == [[0, 5], [5, 2]]
    assert grid.take_along_dim(nn.tensor([[2], [0]]), dim=1).tolist() == [[2], [3]]
    assert grid.repeat_interleave(2, dim=0).tolist() == [[0, 1, 2], [0, 1, 2], [3, 4, 5]] + [
        [3, 4, 5]
    ]
    assert nn.tensor([1, 2, 3]).repeat_interleave(nn.tensor([1, 0, 2])).tolist() == [1, 3, 3]
    assert nn.repeat_interleave(nn.tensor([2, 1])).tolist() == [0, 0, 1]
    y = _t(2, 3)
    assert nn.autograd.gradcheck(lambda y: y.repeat_interleave(nn.tensor([2, 0, 1]), 1), (y,))


def test_index_writes_match_their_loops():
    x = nn.zeros(3, 2)
    source = nn.tensor([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    added = x.index_add(0, nn.tensor([0, 2, 0]), source, alpha=2)
    assert added.tolist() == [[12.0, 16.0], [0.0, 0.0], [6.0, 8.0]]
    copied = x.index_copy(0, nn.tensor([2, 0]), source[:2])
    assert copied.tolist() == [[3.0, 4.0], [0.0, 0.0], [1.0, 2.0]]
    assert x.index_fill(1, nn.tensor([1]), -1.0).tolist() == [[0.0, -1.0]] * 3
    x.index_add_(1, nn.tensor([1]), nn.ones(3, 1))
    assert x.tolist() == [[0.0, 1.0]] * 3
    square = nn.zeros(3, 3).fill_diagonal_(7.0)
    assert square.tolist() == np.diag([7.0] * 3).tolist()
    with pytest.raises(IndexError, match="out of bounds"):
        nn.zeros(2).index_copy(0, nn.tensor([5]), nn.ones(1))


def test_index_add_gradient_goes_to_both():
    x, source = _t(3, 2), _t(4, 2)
    index = nn.tensor([0, 2, 0, 1])
    assert nn.autograd.gradcheck(lambda x, s: x.index_add(0, index, s, alpha=3), (x, source))


def test_median_is_the_lower_one_and_nan_wins_unless_skipped():
    x = nn.tensor([[3.0, 1.0, 4.0, 2.0], [math.nan, 5.0, 0.0, 1.0]])
    assert x[0].median().item() == 2.0
    values, indices = x.median(dim=1)
    assert values[0].item() == 2.0 and math.isnan(values[1].item())
    assert indices.tolist() == [3, 0]
    assert x.nanmedian(dim=1).values.tolist() == [2.0, 1.0]
    assert x.kthvalue(3, dim=1).values[0].item() == 3.0
    y = nn.tensor([1.0, 1.0, 2.0], requires_grad=True)
    y.median().backward()
    assert y.grad.tolist() == [0.5, 0.5, 0.0]  # (shared by the equal elements)


def test_cummax_indexes_the_latest_of_equals_and_sums_the_gradient():
    x = nn.tensor([1.0, 3.0, 2.0, 3.0, math.nan, 0.0], requires_grad=True)
    values, indices = x.cummax(0)
    assert indices.tolist() == [0, 1, 1, 3, 4, 4]
    values.sum().backward()
    assert x.grad.tolist() == [1.0, 2.0, 0.0, 1.0, 2.0, 0.0]
    assert nn.tensor([3, 1, 2]).cummin(0).indices.tolist() == [0, 1, 1]


def test_searchsorted_and_bucketize_are_numpys():
    edges = nn.tensor([1.0, 2.0, 2.0, 5.0])
    values = nn.tensor([[0.0, 2.0], [3.0, 9.0]])
    for right in (False, True):
        side = "right" if right else "left"
        expected = np.searchsorted(edges.numpy(), values.numpy(), side=side)
        assert nn.searchsorted(edges, values, right=right).tolist() == expected.tolist()
        assert nn.bucketize(values, edges, right=right).tolist() == expected.tolist()
    rows = nn.tensor([[1.0, 3.0], [0.0, 10.0]])
    assert nn.searchsorted(rows, nn.tensor([[2.0], [11.0]])).tolist() == [[1], [2]]
    assert nn.searchsorted(edges, 3.0).item() == 3


def test_isin_and_argwhere():
    assert nn.isin(nn.tensor([1, 2, 3]), nn.tensor([3, 1])).tolist() == [True, False, True]
    assert nn.isin(nn.tensor([1, 2]), 2, invert=True).tolist() == [True, False]
    assert nn.tensor([[0, 1], [2, 0]]).argwhere().tolist() == [[0, 1], [1, 0]]


def test_quantile_matches_numpy_for_each_interpolation():
    x = nn.tensor(RNG.standard_normal((3, 6)))
    for method in ("linear", "lower", "higher", "midpoint", "nearest"):
        for q in (0.0, 0.3, 0.5, 1.0):
            expected = np.quantile(x.numpy(), q, axis=1, method=method)
            got = x.quantile(q, dim=1, interpolation=method).numpy()
            np.testing.assert_allclose(got, expected, err_msg=method)
    levels = nn.tensor([0.25, 0.75], dtype=nn.float64)
    assert x.quantile(levels, dim=1, keepdim=True).shape == (2, 3, 1)
    with_nan = nn.tensor([1.0, math.nan, 3.0])
    assert math.isnan(with_nan.quantile(0.5).item()) and with_nan.nanquantile(0.5).item() == 2.0
    with pytest.raises(RuntimeError, match="range"):
        x.quantile(1.5)


def test_logcumsumexp_neither_overflows_nor_underflows():
    x = nn.tensor([-1000.0, 0.0, 1000.0], dtype=nn.float64, requires_grad=True)
    out = x.logcumsumexp(0)
    np.testing.assert_allclose(out.detach().numpy(), [-1000.0, 0.0, 1000.0])
    assert nn.autograd.gradcheck(lambda t: t.logcumsumexp(0), (_t(2, 4),))
    with pytest.raises(NotImplementedError, match="Long"):
        nn.tensor([1, 2]).logcumsumexp(0)


def test_cdist_is_the_pairwise_norm():
    a, b = _t(3, 4), _t(5, 4)
    for p in (1.0, 2.0, math.inf):
        expected = np.linalg.norm(
            a.detach().numpy()[:, None] - b.detach().numpy()[None], ord=p, axis=-1
        )
        np.testing.assert_allclose(nn.cdist(a, b, p).detach().numpy(), expected)
    assert nn.autograd.gradcheck(lambda a, b: nn.cdist(a, b), (a, b))


def test_index_helpers_and_block_diag():
    assert nn.tril_indices(3, 3).tolist() == [list(v) for v in np.tril_indices(3)]
    assert nn.triu_indices(2, 3, 1).tolist() == [[0, 0, 1], [1, 2, 2]]
    out = nn.block_diag(nn.tensor([[1, 2]]), nn.tensor(3), nn.tensor([4, 5]))
    assert out.tolist() == [[1, 2, 0, 0, 0], [0, 0, 3, 0, 0], [0, 0, 0, 4, 5]]
    assert nn.cartesian_prod(nn.tensor([1, 2]), nn.tensor([3, 4])).tolist() == [
        [1, 3],
        [1, 4],
        [2, 3],
        [2, 4],
    ]
    assert nn.combinations(nn.tensor([1, 2, 3])).tolist() == [[1, 2], [1, 3], [2, 3]]


def test_attention_is_softmax_of_scaled_scores_times_values():
    q, k, v = _t(2, 3, 4), _t(2, 5, 4), _t(2, 5, 6)
    scores = q.detach().numpy() @ k.detach().numpy().transpose(0, 2, 1) / 2.0
    weights = np.exp(scores - scores.max(-1, keepdims=True))
    weights /= weights.sum(-1, keepdims=True)
    expected = weights @ v.detach().numpy()
    got = nn.F.scaled_dot_product_attention(q, k, v).detach().numpy()
    np.testing.assert_allclose(got, expected)
    mask = nn.ones(3, 5, dtype=nn.bool)
    mask[1] = False  # (a query with every key masked: zeros, and a zero gradient)
    out = nn.F.scaled_dot_product_attention(q, k, v, attn_mask=mask)
    assert out[:, 1].detach().abs().sum().item() == 0.0
    out.sum().backward()
    assert np.isfinite(q.grad.numpy()).all() and q.grad[:, 1].abs().sum().item() == 0.0


def test_euclidean_cdist_past_25_rows_is_one_product_with_pytorchs_subgradient_at_0():
    # |a|^2 + |b|^2 - 2 a.b rounds: a point's distance to itself may be the square root of
    # a rounding error, 1e-8 in float64 (PyTorch's numbers); where it is 0 the gradient is
    # 0, not NaN.
    x = _t(30, 3)
    through_product = nn.cdist(x, x)
    assert through_product.grad_fn.next_functions[0][0].name() == "EuclideanDistBackward0"
    direct = nn.cdist(x, x, compute_mode="donot_use_mm_for_euclid_dist")
    np.testing.assert_allclose(through_product.detach().numpy(), direct.detach().numpy(), atol=1e-7)
    through_product.sum().backward()
    assert np.isfinite(x.grad.numpy()).all()
    a, b = _t(2, 26, 3), _t(5, 3)
    assert nn.autograd.gradcheck(lambda a, b: nn.cdist(a, b), (a, b))
    with pytest.raises(ValueError, match="None is not a valid value for compute_mode"):
        nn.cdist(a, b, compute_mode=None)
    with pytest.raises(RuntimeError, match="expected m1 and m2 to have the same dtype"):
        nn.cdist(_t(30, 3), _t(4, 3).float())
    with pytest.raises(RuntimeError, match="expected scalar type Double but found Float"):
        nn.cdist(_t(3, 3), _t(4, 3).float())


def test_covariance_and_correlation_of_variables_in_rows():
    data = RNG.standard_normal((3, 6))
    np.testing.assert_allclose(nn.cov(nn.tensor(data)).numpy(), np.cov(data))
    np.testing.assert_allclose(nn.corrcoef(nn.tensor(data)).numpy(), np.corrcoef(data))
    counts, importance = np.array([1, 2, 1, 3, 1, 1]), RNG.uniform(0.5, 2, 6)
    weighted = nn.cov(nn.tensor(data), fweights=nn.tensor(counts), aweights=nn.tensor(importance))
    np.testing.assert_allclose(weighted.numpy(), np.cov(data, fweights=counts, aweights=importance))
    x = _t(2, 5)
    assert nn.gradcheck(lambda t: nn.cov(t, correction=0), (x,))
    with pytest.raises(RuntimeError, match="weights sum to zero"):
        nn.cov(nn.ones(3), fweights=nn.zeros(3, dtype=nn.int64))
