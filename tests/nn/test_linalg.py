"""nn.linalg's inv, det, solve and eigvalsh: values against NumPy's, gradients against
finite differences (a singular matrix's determinant too), errors as PyTorch's. PyTorch
parity over drawn matrices is in the op harness (tests/parity/ops_counting.py)."""

import numpy as np
import pytest

import nn

A = np.array([[4.0, 1.0, 0.5], [1.0, 3.0, 0.2], [0.5, 0.2, 2.0]])


def _leaf(values: np.ndarray) -> nn.Tensor:
    return nn.tensor(values, dtype=nn.float64, requires_grad=True)


def test_values_are_numpys() -> None:
    np.testing.assert_allclose(nn.linalg.inv(nn.tensor(A)).numpy(), np.linalg.inv(A))
    assert nn.det(nn.tensor(A)).item() == pytest.approx(np.linalg.det(A))
    b = np.array([1.0, -2.0, 0.5])
    np.testing.assert_allclose(
        nn.linalg.solve(nn.tensor(A), nn.tensor(b)).numpy(), np.linalg.solve(A, b)
    )
    np.testing.assert_allclose(nn.linalg.eigvalsh(nn.tensor(A)).numpy(), np.linalg.eigvalsh(A))
    assert nn.tensor(A, dtype=nn.float32).inverse().dtype == nn.float32


def test_gradients_match_finite_differences() -> None:
    batch = np.stack([A, A.T @ A])
    assert nn.gradcheck(nn.linalg.inv, (_leaf(batch),))
    assert nn.gradcheck(nn.linalg.det, (_leaf(batch),))
    assert nn.gradcheck(nn.linalg.solve, (_leaf(batch), _leaf(np.ones((2, 3, 2)))))
    assert nn.gradcheck(nn.linalg.solve, (_leaf(A), _leaf(np.array([1.0, 0.0, 2.0]))))
    assert nn.gradcheck(lambda a: nn.linalg.eigvalsh(a + a.mT), (_leaf(A),))


def test_the_determinant_of_a_singular_matrix_has_the_cofactor_gradient() -> None:
    singular = _leaf(np.array([[1.0, 2.0], [2.0, 4.0]]))
    nn.linalg.det(singular).backward()
    np.testing.assert_allclose(singular.grad.numpy(), [[4.0, -2.0], [-2.0, 1.0]], atol=1e-12)


def test_errors_are_pytorchs() -> None:
    with pytest.raises(nn.linalg.LinAlgError, match="singular"):
        nn.linalg.inv(nn.tensor([[1.0, 2.0], [2.0, 4.0]]))
    with pytest.raises(RuntimeError, match="square matrices, but they are 2 by 3"):
        nn.linalg.det(nn.zeros(2, 3))
    with pytest.raises(RuntimeError, match="Expected a floating point"):
        nn.linalg.inv(nn.tensor([[1, 0], [0, 1]]))
    with pytest.raises(RuntimeError, match="Incompatible shapes"):
        nn.linalg.solve(nn.eye(2), nn.ones(3))


def test_matrix_norms_are_pytorchs_not_vector_norms() -> None:
    m = nn.tensor([[1.0, 2.0], [3.0, 4.0]])
    assert nn.linalg.norm(m, 1).item() == 6.0  # the largest column sum
    assert nn.linalg.norm(m, float("inf")).item() == 7.0  # the largest row sum
    assert nn.linalg.matrix_norm(m, -1).item() == 4.0
    assert nn.linalg.norm(m, dim=1).tolist() == pytest.approx([5**0.5, 5.0])
    assert nn.linalg.norm(m, 2).item() == pytest.approx(np.linalg.norm(m.numpy(), 2))


def test_a_norm_of_one_element_is_its_magnitude_whatever_the_order() -> None:
    for order in (0.5, 1, 2, 3, float("inf")):
        assert nn.tensor([-1e30]).norm(order).item() == pytest.approx(1e30)
    assert nn.tensor([1e30, -1.0]).std(correction=0).item() == pytest.approx(5e29)


def test_out_receives_the_result_of_each_linalg_function():
    a = nn.tensor([[2.0, 0.0], [0.0, 4.0]])
    for function, args, expected in (
        (nn.linalg.inv, (a,), [[0.5, 0.0], [0.0, 0.25]]),
        (nn.linalg.det, (a,), 8.0),
        (nn.linalg.solve, (a, nn.tensor([1.0, 1.0])), [0.5, 0.25]),
        (nn.linalg.eigvalsh, (a,), [2.0, 4.0]),
    ):
        out = nn.zeros(0)
        assert function(*args, out=out) is out
        assert out.tolist() == expected


def test_linalg_cross_takes_the_last_dimension_and_tensor_cross_the_first_of_size_3():
    a = nn.tensor([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]])
    b = a.roll(1, 0)  # rows e3, e1, e2
    assert nn.linalg.cross(a, b).tolist() == [[0.0, -1.0, 0.0], [0.0, 0.0, -1.0], [-1.0, 0.0, 0.0]]
    assert a.cross(b).tolist() == nn.linalg.cross(a, b, dim=0).tolist()
