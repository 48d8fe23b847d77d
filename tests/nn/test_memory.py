"""descend never allocates what PyTorch does not: peak memory of forward and backward,
measured by tracemalloc (NumPy reports its buffers to it), against the sizes involved."""

import tracemalloc
from collections.abc import Callable

import numpy as np

import nn


def _peak_bytes(run: Callable[[], object]) -> int:
    tracemalloc.start()
    try:
        run()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_a_weight_shared_by_a_batch_gets_its_gradient_without_a_per_example_copy() -> None:
    # (B, T, C) @ (C, V): the per-example products would be B x C x V = 400 MB in float32.
    x = nn.randn(1000, 4, 100, requires_grad=True)
    w = nn.randn(100, 1000, requires_grad=True)
    out_bytes = 1000 * 4 * 1000 * 4
    peak = _peak_bytes(lambda: (x @ w).sum().backward())
    assert peak < 4 * out_bytes, f"peak {peak / 1e6:.0f} MB for a {out_bytes / 1e6:.0f} MB output"
    expected = x.detach().numpy().reshape(-1, 100).sum(axis=0)[:, None] * np.ones((1, 1000))
    np.testing.assert_allclose(w.grad.numpy(), expected, rtol=1e-4, atol=1e-3)


def test_an_expanded_tensor_stays_a_view_through_sum_and_backward() -> None:
    x = nn.randn(1, 1000, requires_grad=True)
    peak = _peak_bytes(lambda: x.expand(100_000, 1000).sum().backward())
    assert peak < 1_000_000, f"peak {peak / 1e6:.0f} MB for a 400 MB virtual tensor"
    np.testing.assert_array_equal(x.grad.numpy(), np.full((1, 1000), 100_000.0, np.float32))


def test_euclidean_cdist_takes_memory_for_its_output_not_every_difference() -> None:
    # (P, M) against (R, M) for p = 2: one product, as PyTorch past 25 rows; the differences
    # (P, R, M) would be 80 MB in float64, the output 0.8 MB.
    x1, x2 = nn.randn(500, 200, dtype=nn.float64), nn.randn(200, 200, dtype=nn.float64)
    x1.requires_grad_()
    out_bytes = 500 * 200 * 8
    peak = _peak_bytes(lambda: nn.cdist(x1, x2).sum().backward())
    assert peak < 10 * out_bytes, f"peak {peak / 1e6:.0f} MB for a {out_bytes / 1e6:.1f} MB output"
    exact = np.linalg.norm(x1.detach().numpy()[:, None] - x2.numpy()[None], axis=-1)
    np.testing.assert_allclose(nn.cdist(x1, x2).detach().numpy(), exact, rtol=1e-10)
