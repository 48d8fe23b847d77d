"""nn.linalg's factorizations: the factors put back together give A, gradients of every
factor against finite differences (the signs LAPACK chose stay put under a small change),
PyTorch's errors, and what is built on them (pinv, lstsq, rank, cond, matrix norms)."""

import numpy as np
import pytest

import nn

RNG = np.random.default_rng(0)


def _matrix(*shape: int, symmetric: bool = False) -> nn.Tensor:
    values = RNG.standard_normal(shape) + 3 * np.eye(shape[-2], shape[-1])
    if symmetric:
        values = values + np.swapaxes(values, -1, -2)
    return nn.tensor(values, requires_grad=True)


@pytest.mark.parametrize("shape", [(3, 3), (4, 2), (2, 4), (2, 3, 3)])
def test_svd_reconstructs_and_its_factors_have_finite_difference_gradients(shape):
    a = _matrix(*shape)
    u, s, vh = nn.linalg.svd(a, full_matrices=False)
    np.testing.assert_allclose(((u * s.unsqueeze(-2)) @ vh).detach().numpy(), a.detach().numpy())
    for factor in range(3):
        assert nn.autograd.gradcheck(lambda x, k=factor: nn.linalg.svd(x, False)[k], (a,))
    assert nn.autograd.gradcheck(nn.linalg.svdvals, (a,))


def test_eigh_qr_cholesky_and_slogdet_gradients_match_finite_differences():
    sym = _matrix(3, 3, symmetric=True)
    values = nn.linalg.eigh(sym).eigenvalues
    np.testing.assert_allclose(values.detach().numpy(), np.linalg.eigvalsh(sym.detach().numpy()))

    def eigenpairs(x):  # (symmetrized: eigh reads one triangle, its gradient is symmetric)
        values, vectors = nn.linalg.eigh((x + x.mT) / 2)
        return vectors * values

    assert nn.autograd.gradcheck(eigenpairs, (sym,))
    for shape in ((4, 3), (3, 3), (2, 4)):
        a = _matrix(*shape)
        q, r = nn.linalg.qr(a)
        np.testing.assert_allclose((q @ r).detach().numpy(), a.detach().numpy(), atol=1e-12)
        assert nn.autograd.gradcheck(lambda x: nn.linalg.qr(x)[0], (a,))
        assert nn.autograd.gradcheck(lambda x: nn.linalg.qr(x)[1], (a,))
    spd = nn.tensor(
        np.array([[4.0, 1.0, 0.5], [1.0, 3.0, 0.2], [0.5, 0.2, 2.0]]), requires_grad=True
    )
    for upper in (False, True):
        assert nn.autograd.gradcheck(
            lambda x, u=upper: nn.linalg.cholesky((x + x.mT) / 2, upper=u), (spd,)
        )
    assert nn.autograd.gradcheck(lambda x: nn.linalg.slogdet(x).logabsdet, (_matrix(3, 3),))


def test_pinv_lstsq_and_triangular_solves_match_numpy_and_finite_differences():
    wide, tall = _matrix(2, 4), _matrix(5, 3)
    np.testing.assert_allclose(
        nn.linalg.pinv(wide).detach().numpy(), np.linalg.pinv(wide.detach().numpy()), atol=1e-12
    )
    assert nn.autograd.gradcheck(nn.linalg.pinv, (wide,))
    assert nn.autograd.gradcheck(nn.linalg.pinv, (tall,))
    b = nn.tensor(RNG.standard_normal((5, 2)), requires_grad=True)
    result = nn.linalg.lstsq(tall, b, driver="gelsd")
    expected, residuals, _, _ = np.linalg.lstsq(tall.detach().numpy(), b.detach().numpy())
    np.testing.assert_allclose(result.solution.detach().numpy(), expected)
    np.testing.assert_allclose(result.residuals.detach().numpy(), residuals)
    assert nn.autograd.gradcheck(lambda a, y: nn.linalg.lstsq(a, y).solution, (tall, b))
    assert nn.autograd.gradcheck(
        lambda a, y: nn.linalg.lstsq(a, y, driver="gels").residuals, (tall, b)
    )
    lower = _matrix(3, 3)
    rhs = nn.tensor(RNG.standard_normal((3, 2)), requires_grad=True)
    x = nn.linalg.solve_triangular(lower, rhs, upper=False)
    np.testing.assert_allclose(
        (lower.detach().tril() @ x).detach().numpy(), rhs.detach().numpy(), atol=1e-12
    )
    for kwargs in ({"upper": True}, {"upper": False, "unitriangular": True}):
        assert nn.autograd.gradcheck(
            lambda a, y, k=kwargs: nn.linalg.solve_triangular(a, y, **k), (lower, rhs)
        )


def test_rank_condition_powers_and_chains():
    singular = nn.tensor([[1.0, 2.0], [2.0, 4.0]])
    assert nn.linalg.matrix_rank(singular).item() == 1
    assert nn.linalg.matrix_rank(nn.eye(3)).item() == 3
    a = _matrix(3, 3)
    values = np.linalg.svd(a.detach().numpy(), compute_uv=False)
    assert nn.linalg.cond(a).item() == pytest.approx(values[0] / values[-1])
    assert nn.linalg.matrix_norm(a, 2).item() == pytest.approx(values[0])
    assert nn.linalg.matrix_norm(a, "nuc").item() == pytest.approx(values.sum())
    np.testing.assert_allclose(
        nn.linalg.matrix_power(a, 5).detach().numpy(),
        np.linalg.matrix_power(a.detach().numpy(), 5),
    )
    np.testing.assert_allclose(
        nn.linalg.matrix_power(a, -2).detach().numpy(),
        np.linalg.matrix_power(a.detach().numpy(), -2),
    )
    chain = [_matrix(2, 5), _matrix(5, 1), _matrix(1, 4)]
    np.testing.assert_allclose(
        nn.linalg.multi_dot(chain).detach().numpy(),
        np.linalg.multi_dot([c.detach().numpy() for c in chain]),
    )


def test_errors_are_pytorchs():
    with pytest.raises(nn.linalg.LinAlgError, match="leading minor of order 2"):
        nn.linalg.cholesky(nn.tensor([[1.0, 2.0], [2.0, 1.0]]))
    with pytest.raises(RuntimeError, match="Expected a floating point"):
        nn.linalg.svd(nn.tensor([[1, 2], [3, 4]]))
    with pytest.raises(NotImplementedError, match="rank-deficient"):
        nn.linalg.lstsq(nn.tensor([[1.0, 2.0], [2.0, 4.0], [3.0, 6.0]]), nn.ones(3, 1))
    with pytest.raises(RuntimeError, match="driver"):
        nn.linalg.lstsq(nn.eye(2), nn.ones(2, 1), driver="qr")
    with pytest.raises(RuntimeError, match="not differentiable when mode='complete'"):
        q, _ = nn.linalg.qr(_matrix(3, 2), mode="complete")
        q.sum().backward()
