"""The special functions and the less common elementwise ops (nn/tensor/special.py) against
values known in closed form or from Python's math module; their gradients are checked
against finite differences in test_rules_finite_differences.py and against PyTorch in the
op harness."""

from __future__ import annotations

import math

import numpy as np
import pytest

import nn

EULER = 0.5772156649015329


@pytest.mark.parametrize("dtype", [nn.float64, nn.float32])
def test_digamma_at_known_points(dtype):
    x = nn.tensor([1.0, 0.5, 2.0, -0.5, 10.0, 30.5], dtype=dtype)
    expected = [
        -EULER,
        -EULER - 2 * math.log(2),
        1 - EULER,
        0.03648997397857652,  # psi(1/2) + 2 (the recurrence, then psi(1/2))
        2.251752589066721,
        3.401243668961661,  # (PyTorch's, float64)
    ]
    tolerance = 1e-12 if dtype == nn.float64 else 2e-6
    np.testing.assert_allclose(x.digamma().numpy(), expected, rtol=tolerance, atol=tolerance)
    assert x.digamma().dtype == dtype


def test_digamma_poles_and_its_gradient_the_trigamma():
    x = nn.tensor([0.0, -0.0, -1.0, -2.0])
    out = x.digamma().tolist()
    assert out[0] == -math.inf and out[1] == math.inf
    assert math.isnan(out[2]) and math.isnan(out[3])
    one = nn.tensor([1.0, 0.5], dtype=nn.float64, requires_grad=True)
    one.digamma().sum().backward()
    # (PyTorch's own trigamma is within 1e-9 of these)
    np.testing.assert_allclose(one.grad.numpy(), [math.pi**2 / 6, math.pi**2 / 2], rtol=1e-10)


def test_lgamma_is_pythons_and_infinite_at_the_poles():
    grid = np.concatenate([np.arange(-4.4, 0, 0.5), np.linspace(0.1, 20, 50)])
    np.testing.assert_allclose(nn.tensor(grid).lgamma().numpy(), [math.lgamma(v) for v in grid])
    assert nn.tensor([0.0, -1.0, -3.0]).lgamma().tolist() == [math.inf] * 3


def test_erfinv_inverts_erf_up_to_its_ends():
    x = np.array([-3.5, -1.0, -0.1, 0.0, 0.3, 2.0, 4.0])
    y = nn.tensor(x).erf()
    np.testing.assert_allclose(y.erfinv().numpy(), x, rtol=1e-9, atol=1e-12)
    ends = nn.tensor([1.0, -1.0, 1.5]).erfinv().tolist()
    assert ends[:2] == [math.inf, -math.inf] and math.isnan(ends[2])


def test_erfc_keeps_its_tail_where_one_minus_erf_is_zero():
    assert nn.tensor([10.0]).erfc().item() == pytest.approx(math.erfc(10.0), rel=1e-14)
    assert nn.tensor([10.0]).erf().item() == 1.0


def test_hypot_does_not_overflow_and_logaddexp_does_not_either():
    big = nn.tensor([3e200, 4e200], dtype=nn.float64)
    assert big[0].hypot(big[1]).item() == pytest.approx(5e200)
    assert nn.tensor([1000.0]).logaddexp(nn.tensor([1000.0])).item() == pytest.approx(
        1000 + math.log(2)
    )
    assert nn.tensor([1000.0]).logaddexp2(nn.tensor([1000.0])).item() == pytest.approx(1001)


def test_xlogy_is_zero_at_zero_unless_y_is_nan():
    out = nn.xlogy(nn.tensor([0.0, 0.0, 2.0]), nn.tensor([0.0, math.nan, math.e])).tolist()
    assert out[0] == 0.0 and math.isnan(out[1]) and out[2] == pytest.approx(2.0)
    assert nn.xlogy(2, nn.tensor([math.e])).item() == pytest.approx(2.0)


def test_fmod_takes_the_dividends_sign_and_refuses_an_integer_zero():
    assert nn.tensor([-7.0, 7.0]).fmod(3).tolist() == [-1.0, 1.0]
    assert nn.tensor([-7.0, 7.0]).remainder(3).tolist() == [2.0, 1.0]
    with pytest.raises(RuntimeError, match="ZeroDivisionError"):
        nn.tensor([1, 2]).fmod(0)


def test_float_power_is_double_and_the_float32_in_place_form_refuses():
    x = nn.tensor([2.0, 3.0], dtype=nn.float32)
    assert x.float_power(2).dtype == nn.float64
    assert nn.float_power(2, nn.tensor([3])).item() == 8.0
    with pytest.raises(RuntimeError, match="requires dtype Double"):
        x.float_power_(2)


def test_heaviside_values_and_no_gradient():
    x = nn.tensor([-1.0, 0.0, 2.0], requires_grad=True)
    out = x.heaviside(nn.tensor([0.5]))
    assert out.tolist() == [0.0, 0.5, 1.0]
    with pytest.raises(RuntimeError, match="not implemented"):
        out.sum().backward()
    with pytest.raises(RuntimeError, match="different dtypes"):
        x.heaviside(nn.tensor([1]))


def test_fmax_ignores_nan_and_gives_ties_to_the_first():
    a = nn.tensor([1.0, math.nan, 2.0], requires_grad=True)
    b = nn.tensor([math.nan, 3.0, 2.0], requires_grad=True)
    out = nn.fmax(a, b)
    assert out.tolist() == [1.0, 3.0, 2.0]
    out.sum().backward()
    assert a.grad.tolist() == [1.0, 0.0, 1.0] and b.grad.tolist() == [0.0, 1.0, 0.0]


def test_in_place_inverse_hyperbolics_cannot_be_differentiated():
    x = nn.tensor([0.5], requires_grad=True)
    y = x.clone()
    y.asinh_()
    assert y.item() == pytest.approx(math.asinh(0.5))
    with pytest.raises(NotImplementedError, match="inplace version of asinh"):
        y.sum().backward()


def test_integer_inputs_become_float_from_their_own_dtype():
    assert nn.tensor([1, 2]).tan().dtype == nn.float32
    assert math.isnan(nn.xlogy(nn.tensor([3], dtype=nn.uint8), nn.tensor(-1)).item())
    with pytest.raises(NotImplementedError, match="hypot_cpu"):
        nn.tensor([1]).hypot(nn.tensor([2]))
    with pytest.raises(TypeError, match="must be Tensor"):
        nn.tensor([1.0]).hypot(2.0)
