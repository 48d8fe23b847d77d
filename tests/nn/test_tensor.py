"""Tensor ops: values against NumPy, gradients against finite differences, autograd mechanics."""

import math
import warnings

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

import nn
from tests.cases.strategies import (
    arrays,
    away_from,
    broadcastable_pair,
    float_dtypes,
    nonempty_shapes,
    shapes,
)


def leaf(array):
    return nn.tensor(np.asarray(array, dtype=np.float64), requires_grad=True)


@pytest.mark.parametrize(
    "op",
    [
        lambda a, b: a + b,
        lambda a, b: a - b,
        lambda a, b: a * b,
        lambda a, b: a / (b * b + 1.0),
    ],
    ids=["add", "sub", "mul", "div"],
)
@given(data=st.data())
def test_binary_op_gradients_broadcast(op, data):
    shape_a, shape_b = data.draw(broadcastable_pair())
    a = leaf(data.draw(arrays(shape_a)))
    b = leaf(data.draw(arrays(shape_b)))
    assert nn.gradcheck(op, (a, b))


@given(data=st.data())
def test_pow_gradients(data):
    shape_a, shape_b = data.draw(broadcastable_pair())
    base = leaf(data.draw(arrays(shape_a, low=0.5, high=2.0)))
    exponent = leaf(data.draw(arrays(shape_b, low=-2.0, high=2.0)))
    assert nn.gradcheck(lambda x, y: x**y, (base, exponent))
    assert nn.gradcheck(lambda x: x**3 + x**2 + 2.0**x, (base,))


@given(data=st.data(), n=st.integers(1, 4), k=st.integers(1, 4), m=st.integers(1, 4))
def test_matmul_gradients_all_ranks(data, n, k, m):
    batch = data.draw(st.sampled_from([(), (2,), (2, 1)]))
    a_shape = data.draw(st.sampled_from([(k,), (*batch, n, k)]))
    b_shape = data.draw(st.sampled_from([(k,), (k, m), (*batch, k, m)]))
    a, b = leaf(data.draw(arrays(a_shape))), leaf(data.draw(arrays(b_shape)))
    out = a @ b
    np.testing.assert_allclose(out.detach(), a.detach().numpy() @ b.detach().numpy())
    assert nn.gradcheck(lambda x, y: x @ y, (a, b))


@pytest.mark.parametrize("name", ["exp", "log", "sqrt", "abs", "relu", "sigmoid", "tanh", "neg"])
@given(shape=shapes, data=st.data())
def test_unary_gradients(name, shape, data):
    positive = name in ("log", "sqrt")
    x = data.draw(arrays(shape, low=0.2 if positive else -3.0, high=3.0))
    assume(away_from(x, [0.0], 1e-3))
    fn = {"neg": lambda t: -t}.get(name, lambda t: getattr(t, name)())
    assert nn.gradcheck(fn, (leaf(x),))


@given(shape=nonempty_shapes, data=st.data())
def test_reductions_gradients(shape, data):
    x = leaf(data.draw(arrays(shape)))
    dim = data.draw(st.integers(-len(shape), len(shape) - 1))
    keepdim = data.draw(st.booleans())
    assert nn.gradcheck(lambda t: t.sum(dim=dim, keepdim=keepdim), (x,))
    assert nn.gradcheck(lambda t: t.mean(dim=dim, keepdim=keepdim), (x,))
    assert nn.gradcheck(lambda t: t.sum(), (x,))
    assert nn.gradcheck(lambda t: t.mean(dim=(0,), keepdim=True), (x,))
    np.testing.assert_allclose(
        x.sum(dim=dim, keepdim=keepdim).detach(), x.detach().numpy().sum(axis=dim, keepdims=keepdim)
    )


@given(shape=nonempty_shapes, data=st.data())
def test_max_min_gradients_and_indices(shape, data):
    x = data.draw(arrays(shape))
    assume(x.size == 1 or np.diff(np.sort(x.ravel())).min() > 1e-3)  # ties: not differentiable
    t = leaf(x)
    dim = data.draw(st.integers(0, len(shape) - 1))
    values, indices = t.max(dim=dim)
    np.testing.assert_array_equal(values.detach(), x.max(axis=dim))
    np.testing.assert_array_equal(indices, x.argmax(axis=dim))
    assert nn.gradcheck(lambda u: u.max(dim=dim, keepdim=True).values, (t,))
    assert nn.gradcheck(lambda u: u.min(dim=dim).values, (t,))
    assert nn.gradcheck(lambda u: u.max(), (t,))


def test_amax_and_amin_share_the_gradient_of_ties_as_pytorch():
    """torch.amax/amin split a slice's gradient equally among its tied extremes (max(dim)
    gives it to one index); a NaN slice's gradient is NaN."""
    x = nn.tensor(
        [[1.0, 3.0, 3.0, 0.0], [-2.0, 0.0, 5.0, 5.0], [0.5, 2.0, 2.0, 2.0]], requires_grad=True
    )
    x.amax(1).sum().backward()
    np.testing.assert_allclose(
        x.grad.numpy(), [[0, 0.5, 0.5, 0], [0, 0, 0.5, 0.5], [0, 1 / 3, 1 / 3, 1 / 3]]
    )
    x.grad = None
    x.amin((0, 1), keepdim=True).sum().backward()  # one slice: every element
    assert x.grad.numpy()[1, 0] == 1.0 and x.grad.numpy().sum() == 1.0
    assert x.amax((0, 1), keepdim=True).shape == (1, 1)
    assert x.amax(1).grad_fn.name() == "AmaxBackward0"
    y = nn.tensor([[1.0, float("nan")], [2.0, 2.0]], requires_grad=True)
    y.amax(1).sum().backward()
    assert np.isnan(y.grad.numpy()[0]).all() and y.grad.numpy()[1].tolist() == [0.5, 0.5]
    with pytest.raises(IndexError, match="amax"):
        nn.zeros(0, 3).amax(0)


@given(shape=nonempty_shapes, data=st.data())
def test_softmax_and_log_softmax(shape, data):
    x = leaf(data.draw(arrays(shape)))
    dim = data.draw(st.integers(-len(shape), len(shape) - 1))
    s = x.softmax(dim)
    np.testing.assert_allclose(s.detach().numpy().sum(axis=dim), 1.0)
    np.testing.assert_allclose(x.log_softmax(dim).detach(), np.log(s.detach()), atol=1e-12)
    weights = np.linspace(-1, 1, x.numel()).reshape(shape)
    assert nn.gradcheck(lambda t: t.softmax(dim) * weights, (x,))
    assert nn.gradcheck(lambda t: t.log_softmax(dim) * weights, (x,))


def test_softmax_is_stable_for_huge_logits():
    x = nn.tensor([[1e4, 0.0, -1e4]], requires_grad=True)
    out = x.log_softmax(dim=1)
    np.testing.assert_array_equal(out.detach().numpy(), [[0.0, -1e4, -2e4]])
    out.sum().backward()  # d/dx_i of sum_j log_softmax_j = 1 - 3 softmax_i
    np.testing.assert_allclose(x.grad.numpy(), [[-2.0, 1.0, 1.0]])


@given(data=st.data())
def test_shape_ops_gradients(data):
    x = leaf(data.draw(arrays((2, 3, 2))))
    assert nn.gradcheck(lambda t: t.reshape(3, 4) * np.arange(12.0).reshape(3, 4), (x,))
    assert nn.gradcheck(lambda t: t.view(-1) * np.arange(12.0), (x,))
    assert nn.gradcheck(lambda t: t.transpose(0, 2) * np.arange(12.0).reshape(2, 3, 2), (x,))
    assert nn.gradcheck(lambda t: t.permute(1, 2, 0), (x,))
    assert nn.gradcheck(lambda t: t.T, (x,))
    assert nn.gradcheck(lambda t: t.flatten(1), (x,))
    assert nn.gradcheck(lambda t: t.unsqueeze(1).squeeze(1), (x,))


def test_clamp_gradient_passes_inside_only():
    x = leaf([-2.0, -0.3, 0.2, 0.9])
    assert nn.gradcheck(lambda t: t.clamp(-0.5, 0.5), (x,))
    x.clamp(min=0.0).sum().backward()
    np.testing.assert_array_equal(x.grad, [0, 0, 1, 1])


def test_indexing_gradients_with_repeats():
    x = leaf(np.arange(6.0).reshape(3, 2))
    assert nn.gradcheck(lambda t: t[1], (x,))
    assert nn.gradcheck(lambda t: t[:, 1:], (x,))
    assert nn.gradcheck(lambda t: t[[0, 0, 2]], (x,))
    assert nn.gradcheck(lambda t: t[np.array([True, False, True])], (x,))
    x[[0, 0, 2], 1].sum().backward()
    np.testing.assert_array_equal(x.grad, [[0, 2], [0, 0], [0, 1]])


def test_leaky_relu_and_cast_gradients():
    x = leaf([-2.0, -0.5, 0.7, 3.0])
    assert nn.gradcheck(lambda t: nn.F.leaky_relu(t, 0.2), (x,))
    assert nn.gradcheck(lambda t: t.double() * 2.0, (x,))


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_ops_keep_dtype(dtype):
    x = nn.tensor(np.ones((2, 3), dtype=dtype), requires_grad=True)
    y = ((x * 0.5 + 1.0) / 3.0 - 2.0) ** 2
    z = (
        (y @ nn.ones(3, 2, dtype=dtype))
        .sigmoid()
        .tanh()
        .exp()
        .log()
        .sqrt()
        .softmax(1)
        .log_softmax(0)
        .mean()
    )
    assert z.dtype == dtype
    z.backward()
    assert x.grad.dtype == dtype
    assert (2.0**x).dtype == dtype
    assert (np.ones(3, dtype=dtype) + x[0]).dtype == dtype
    assert (x[0] + 1.5).dtype == dtype  # Python numbers do not promote, as in PyTorch


def test_integer_powers_stay_integers_as_in_pytorch():
    """int ** int-tensor and int-tensor ** int-tensor are integers (a negative exponent
    truncates: 2 ** -1 == 0, 1 and -1 keep their powers); bool ** int is int64."""
    base = nn.tensor([0, 1, -1, 2, -2, 3])
    exponent = nn.tensor([-1, -3, -3, -2, -1, 0])
    np.testing.assert_array_equal(base.pow(exponent).numpy(), [0, 1, -1, 0, 0, 1])
    powers = 2 ** nn.tensor([1, -1, 3], dtype=nn.int32)
    assert powers.dtype == nn.int32 and powers.tolist() == [2, 0, 8]
    assert (2 ** nn.tensor([True, False])).tolist() == [2, 1]
    assert (2 ** nn.tensor([True])).dtype == nn.int64
    squared = nn.tensor([True, False]) ** 2
    assert squared.dtype == nn.int64 and squared.tolist() == [1, 0]
    assert (2.5 ** nn.tensor([1, 2])).dtype == nn.float32
    with pytest.raises(RuntimeError, match="negative integer powers"):
        nn.tensor([2, 3]) ** -1


def test_integer_division_is_exact_and_refuses_zero_as_pytorch():
    a = nn.tensor([-7, 7, -7, 7, 2**62 + 1])
    b = nn.tensor([2, -2, -2, 2, 3])
    assert (a // b).tolist() == [-4, -4, 3, 3, (2**62 + 1) // 3]
    truncated = a.div(b, rounding_mode="trunc")
    assert truncated.dtype == nn.int64  # exact beyond 2**53, where a float quotient is not
    assert truncated.tolist() == [-3, -3, 3, 3, (2**62 + 1) // 3]
    assert (7 % nn.tensor([-3, 3])).tolist() == [-2, 1]
    for divide in (
        lambda: nn.tensor([1]) // 0,
        lambda: nn.tensor([1]) % nn.tensor([0]),
        lambda: 5 // nn.tensor([0]),
        lambda: nn.tensor([5]).div(0, rounding_mode="trunc"),
    ):
        with pytest.raises(RuntimeError, match="ZeroDivisionError"):
            divide()
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # floats: inf and NaN, silently, as PyTorch
        assert (nn.tensor([5.0]) // 0).item() == np.inf
        assert np.isnan((nn.tensor([5.0]) % 0).item())


def test_python_data_uses_default_dtype():
    assert nn.tensor([1.0, 2.0]).dtype == np.float32
    assert nn.tensor([1, 2]).dtype == np.int64
    nn.set_default_dtype(np.float64)
    assert nn.tensor([1.0]).dtype == np.float64
    assert nn.Linear(2, 3).weight.dtype == np.float64
    with pytest.raises(TypeError, match="float32 or float64"):
        nn.set_default_dtype(np.int32)


def test_gradients_accumulate_until_zeroed():
    x = nn.tensor([1.0, 2.0], requires_grad=True)
    (x * 3).sum().backward()
    (x * x).sum().backward()
    np.testing.assert_allclose(x.grad, [3 + 2, 3 + 4])
    x.grad = None
    (x * 3).sum().backward()
    np.testing.assert_allclose(x.grad, [3, 3])


def test_shared_subexpression_accumulates_once_per_path():
    x = nn.tensor(2.0, requires_grad=True)
    y = x * x
    z = y * y + y  # x**4 + x**2
    z.backward()
    assert x.grad == pytest.approx(4 * 8 + 2 * 2)


def test_backward_through_100000_op_chain():
    x = nn.tensor(1.0, requires_grad=True)
    y = x
    for _ in range(100_000):
        y = y + 1.0
    y.backward()
    assert x.grad == 1.0


def test_graph_is_freed_after_backward():
    x = nn.tensor([1.0], requires_grad=True)
    y = (x * 2).sum()
    y.backward()
    with pytest.raises(RuntimeError, match="second time"):
        y.backward()
    z = (x * 2).sum()
    z.backward(retain_graph=True)
    z.backward()
    np.testing.assert_allclose(x.grad, [2 + 2 + 2])


def test_backward_needs_gradient_for_non_scalar():
    x = nn.tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(RuntimeError, match=r"scalar outputs.*\(2,\)"):
        (x * 2).backward()
    (x * 2).backward(np.array([1.0, 10.0]))
    np.testing.assert_allclose(x.grad, [2, 20])
    with pytest.raises(RuntimeError, match="Mismatch in shape"):
        (x * 2).backward(np.ones(3))


def test_backward_on_tensor_without_grad():
    with pytest.raises(RuntimeError, match="does not require grad"):
        nn.tensor([1.0]).sum().backward()


def test_no_grad_and_detach():
    x = nn.tensor([1.0], requires_grad=True)
    with nn.no_grad():
        y = x * 2
    assert not y.requires_grad and y.is_leaf

    @nn.no_grad()
    def double(t):
        return t * 2

    assert not double(x).requires_grad
    assert (x * 2).requires_grad
    d = x.detach()
    assert not d.requires_grad and d.numpy() is x.detach().numpy()
    with nn.no_grad(), nn.enable_grad():
        assert (x * 2).requires_grad


def test_integer_tensors_cannot_require_grad():
    with pytest.raises(RuntimeError, match="floating point"):
        nn.tensor([1, 2], requires_grad=True)


def test_matmul_shape_error_names_both_shapes():
    with pytest.raises(RuntimeError, match=r"\(2x3 and 4x5\)"):
        nn.tensor(np.ones((2, 3))) @ nn.tensor(np.ones((4, 5)))


def test_broadcast_error_names_both_shapes():
    with pytest.raises(RuntimeError, match=r"\(2, 3\).*\(4,\)"):
        nn.tensor(np.ones((2, 3))) + nn.tensor(np.ones(4))


def test_item_numpy_and_conversions():
    x = nn.tensor([[1.5]], requires_grad=True)
    assert x.item() == 1.5
    with pytest.raises(RuntimeError, match="detach"):
        x.numpy()
    assert x.detach().numpy() is x.detach().numpy()
    with pytest.raises(RuntimeError, match="2 elements"):
        nn.tensor([1.0, 2.0]).item()
    assert np.asarray(x.detach()).shape == (1, 1)
    assert nn.tensor([1.0, 3.0]).argmax().item() == 1
    assert (nn.tensor([1.0, 3.0]) > 2).tolist() == [False, True]


@pytest.mark.parametrize("convert", [float, int, complex, math.isfinite])
def test_a_python_number_from_several_elements_is_a_value_error(convert):
    """PyTorch's type (matplotlib's contour of a meshgrid relies on it): ``item()`` alone
    raises ``RuntimeError``."""
    with pytest.raises(ValueError, match="only one element tensors"):
        convert(nn.zeros(3))
    assert convert(nn.tensor([2.0])) == convert(2.0)


def test_matplotlib_plots_and_contours_tensors():
    pyplot = pytest.importorskip("matplotlib.pyplot")
    x1, x2 = nn.meshgrid(nn.arange(-2.0, 1.0, 0.5), nn.arange(-1.0, 1.0, 0.5), indexing="ij")
    figure = pyplot.figure()
    try:
        contours = pyplot.contour(x1, x2, x1**2 + 2 * x2**2)
        (line,) = pyplot.plot(nn.arange(3.0), nn.tensor([1.0, 0.5, 0.25]), "-o")
    finally:
        pyplot.close(figure)
    assert len(contours.levels) > 1
    np.testing.assert_array_equal(line.get_ydata(), [1.0, 0.5, 0.25])


def test_setitem_respects_grad():
    x = nn.tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(RuntimeError, match="in-place"):
        x[0] = 5.0
    with nn.no_grad():
        x[0] = 5.0
    assert x[0].item() == 5.0


def test_repr_looks_like_torch():
    assert repr(nn.tensor([1.0, 2.0])) == "tensor([1., 2.])"
    assert "requires_grad=True" in repr(nn.tensor([1.0], requires_grad=True))
    assert "grad_fn=<MulBackward0>" in repr(nn.tensor([1.0], requires_grad=True) * 2)


@given(dtype=float_dtypes)
def test_unbroadcast_sums_back(dtype):
    a = nn.tensor(np.ones((3, 1), dtype=dtype), requires_grad=True)
    b = nn.tensor(np.ones((4,), dtype=dtype), requires_grad=True)
    (a * b).sum().backward()
    np.testing.assert_allclose(a.grad, np.full((3, 1), 4.0))
    np.testing.assert_allclose(b.grad, np.full((4,), 3.0))
    assert a.grad.dtype == dtype and b.grad.dtype == dtype


def test_quiet_silences_numpy_inside_and_restores_the_state_after():
    """Ops give inf and NaN without RuntimeWarnings, as PyTorch; the user's error state is
    untouched outside (and nests, as np.errstate does). The NumPy 1 fallback is np.errstate."""
    from nn.rules import _quiet
    from nn.rules._quiet import quiet

    before = np.geterr()
    for make in (quiet, _quiet._errstate):
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            with make():
                assert np.isinf(np.float32(1) / np.float32(0))
                with np.errstate(divide="raise"), pytest.raises(FloatingPointError):
                    np.float32(1) / np.float32(0)
                assert np.isinf(np.float32(1) / np.float32(0))  # back to ignoring
        assert np.geterr() == before


@pytest.mark.parametrize("zeros", [(), (2,), (1, 3), (0, 4)])
def test_cumprod_gradient_matches_finite_differences_with_zeros(zeros: tuple[int, ...]) -> None:
    x = nn.tensor(np.linspace(0.5, 1.7, 15).reshape(3, 5), dtype=nn.float64, requires_grad=True)
    with nn.no_grad():
        for column in zeros:
            x[1, column] = 0.0
    assert nn.gradcheck(lambda t: t.cumprod(1), (x,))
    assert nn.gradcheck(lambda t: t.cumprod(0), (x,))


def test_diagonal_is_a_view_and_diag_trace_differentiate() -> None:
    m = nn.zeros(3, 4)
    m.diagonal(offset=1).fill_(2.0)
    np.testing.assert_array_equal(m.numpy(), np.eye(3, 4, k=1, dtype=np.float32) * 2)
    x = nn.tensor(np.arange(12.0).reshape(3, 4), dtype=nn.float64, requires_grad=True)
    assert nn.gradcheck(lambda t: t.diagonal(-1), (x,))
    assert nn.gradcheck(lambda t: t.diag(1), (x,))
    assert nn.gradcheck(lambda t: t.trace(), (x,))
    v = nn.tensor([1.0, 2.0], dtype=nn.float64, requires_grad=True)
    assert nn.gradcheck(lambda t: nn.diag(t, -1), (v,))
    assert nn.tensor([[1, 2], [3, 4]], dtype=nn.int32).trace().dtype == nn.int64
    with pytest.raises(RuntimeError, match="Supports 1D or 2D"):
        nn.diag(nn.zeros(2, 2, 2))


def test_itemsize_and_nbytes_count_the_elements_of_a_view():
    view = nn.ones(3, 4)[:, :2]
    assert view.itemsize == view.element_size() == 4
    assert view.nbytes == 6 * 4
    assert nn.ones(2, dtype=nn.float64).nbytes == 16


def test_the_mean_of_nothing_is_nan_without_numpys_warning():
    """PyTorch's mean of no elements is NaN, silently (NumPy's warns); its var and std
    give NaN with PyTorch's degrees-of-freedom warning only, never NumPy's."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert math.isnan(nn.tensor([]).mean().item())
        assert np.isnan(nn.zeros(0, 3).mean(0).numpy()).all()
        warnings.filterwarnings("ignore", "(var|std)\\(\\): degrees of freedom", UserWarning)
        assert math.isnan(nn.tensor([]).var().item())
        assert np.isnan(nn.zeros(0, 3).std(0).numpy()).all()


def test_float_of_a_tensor_requiring_grad_warns_once_as_pytorch(monkeypatch):
    """PyTorch warns (once a process) that float() of a Tensor requiring grad drops its
    graph; .item(), int() and float() under no_grad are silent."""
    from nn.tensor import conversion

    monkeypatch.setattr(conversion, "_warned_float", False)
    x = nn.tensor(2.0, requires_grad=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with nn.no_grad():
            assert float(x) == 2.0
        assert x.item() == 2.0 and int(x) == 2 and float(x.detach()) == 2.0
    with pytest.warns(UserWarning, match="Consider using tensor.detach"):
        assert float(x * 2) == 4.0
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert float(x) == 2.0  # (once)


@pytest.mark.parametrize(
    ("name", "compute"),
    [
        ("var", lambda x: x.var()),
        ("std", lambda x: x.std(dim=0)),
        ("var_mean", lambda x: nn.var_mean(x)[0]),
        ("std_mean", lambda x: nn.std_mean(x, dim=0)[0]),
    ],
)
def test_a_variance_without_degrees_of_freedom_warns_as_pytorch(name, compute):
    with pytest.warns(UserWarning, match=rf"^{name}\(\): degrees of freedom is <= 0"):
        assert np.isnan(compute(nn.tensor([3.0])).numpy()).all()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        compute(nn.tensor([3.0, 4.0]))
        nn.tensor([3.0]).var(correction=0)
