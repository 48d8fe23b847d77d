"""torch's top-level functions in ``nn``: each is its Tensor method, with torch's argument
handling (``out=``, a TypeError for what is not a Tensor), and the joining and sorting ops."""

import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import nn
from tests.cases.strategies import arrays

CALLS = {  # name -> (positional arguments after the input, keyword arguments)
    "exp": ((), {}),
    "log1p": ((), {}),
    "sigmoid": ((), {}),
    "clamp": ((-0.5, 0.5), {}),
    "pow": ((3,), {}),
    "maximum": ((nn.zeros(3, 4, dtype=nn.float64),), {}),
    "add": ((nn.ones(4, dtype=nn.float64),), {"alpha": 2}),
    "sum": ((1,), {"keepdim": True}),
    "mean": ((), {"dim": 0}),
    "std": ((0,), {}),
    "argmax": ((1,), {}),
    "softmax": ((1,), {}),
    "log_softmax": ((), {"dim": -1}),
    "transpose": ((0, 1), {}),
    "permute": (((1, 0),), {}),
    "reshape": (((4, 3),), {}),
    "flatten": ((), {}),
    "unsqueeze": ((0,), {}),
    "norm": ((), {}),
    "matmul": ((nn.ones(4, 2, dtype=nn.float64),), {}),
}


@pytest.mark.parametrize("name", sorted(CALLS))
def test_a_function_is_its_method(name):
    x = nn.randn(3, 4, dtype=nn.float64, requires_grad=True)
    args, kwargs = CALLS[name]
    ours = getattr(nn, name)(x, *args, **kwargs)
    method = getattr(x, name)(*args, **kwargs)
    np.testing.assert_array_equal(ours.detach().numpy(), method.detach().numpy())
    assert type(ours.grad_fn) is type(method.grad_fn)


def test_every_function_is_exported_and_documented():
    for name in nn._functions:
        function = getattr(nn, name)
        assert name in nn.__all__ and function.__doc__, name


def test_a_list_is_refused_with_torchs_type_error():
    with pytest.raises(TypeError, match=r"exp\(\): argument 'input' \(position 1\) must be Tensor"):
        nn.exp([1.0, 2.0])
    assert nn.exp(np.zeros(2)).tolist() == [1.0, 1.0]  # an ndarray (a descend batch) is taken


def test_max_and_min_with_a_dim_give_values_and_indices():
    x = nn.tensor([[1.0, 5.0, 2.0], [7.0, 0.0, 7.0]])
    values, indices = nn.max(x, 1)
    assert values.tolist() == [5.0, 7.0] and indices.tolist() == [1, 0]
    assert nn.min(x, dim=0).indices.tolist() == [0, 1, 0]
    assert nn.max(x).item() == 7.0
    assert nn.max(x, nn.full((2, 3), 3.0)).tolist() == [[3.0, 5.0, 3.0], [7.0, 3.0, 7.0]]


# ------------------------------------------------------------------------------ out=
def test_out_receives_the_result_and_is_returned():
    out = nn.empty(3)
    result = nn.exp(nn.zeros(3), out=out)
    assert result is out and out.tolist() == [1.0, 1.0, 1.0]
    assert out._version == 1


def test_out_of_another_shape_is_resized_with_torchs_warning():
    out = nn.zeros(5)
    with pytest.warns(UserWarning, match="was resized since it had shape \\[5\\]"):
        nn.add(nn.ones(2), 1, out=out)
    assert out.tolist() == [2.0, 2.0]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        nn.sum(nn.ones(2, 2), 0, out=nn.empty(0))  # an empty out is resized silently


def test_out_refuses_autograd_and_a_narrowing_cast():
    x = nn.ones(2, requires_grad=True)
    with pytest.raises(RuntimeError, match="don't support automatic differentiation"):
        nn.exp(x, out=nn.empty(2))
    with nn.no_grad():
        nn.exp(x, out=nn.empty(2))
    with pytest.raises(RuntimeError, match="result type Float can't be cast to the desired output "
                       "type Long"):  # fmt: skip
        nn.exp(nn.ones(2), out=nn.zeros(2, dtype=nn.long))


# ------------------------------------------------------------------------ cat, stack
@given(data=st.data(), n=st.integers(1, 3), dim=st.integers(-2, 1))
def test_cat_and_stack_values_and_gradients(data, n, dim):
    parts = [
        nn.tensor(data.draw(arrays((2, data.draw(st.integers(1, 3))))), requires_grad=True)
        for _ in range(n)
    ]
    if dim % 2 == 0:  # joined along rows: equal widths
        parts = [nn.tensor(p.detach().numpy()[:, :1], requires_grad=True) for p in parts]
    joined = nn.cat(parts, dim=dim)
    np.testing.assert_array_equal(
        joined.detach().numpy(), np.concatenate([p.detach().numpy() for p in parts], axis=dim)
    )
    assert nn.gradcheck(lambda *ps: nn.cat(ps, dim), parts)
    same = [nn.tensor(data.draw(arrays((2, 3))), requires_grad=True) for _ in range(n)]
    assert nn.gradcheck(lambda *ps: nn.stack(ps, dim), same)
    assert nn.stack(same, dim).grad_fn.name() == "StackBackward0"


def test_cat_promotes_and_skips_legacy_empty_vectors():
    joined = nn.cat([nn.tensor([[1, 2]]), nn.zeros(1, 2), nn.tensor([])])
    assert joined.dtype == nn.float32 and joined.shape == (2, 2)
    assert nn.concat is nn.cat and nn.concatenate is nn.cat


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: nn.cat([]), RuntimeError, "expected a non-empty list of Tensors"),
        (lambda: nn.cat(nn.ones(2)), TypeError, "must be tuple of Tensors, not Tensor"),
        (lambda: nn.cat([nn.ones(2), 3.0]), TypeError, "element of type float at pos 1"),
        (lambda: nn.cat([nn.tensor(1.0)]), RuntimeError, "zero-dimensional tensor"),
        (
            lambda: nn.cat([nn.ones(2, 3), nn.ones(2, 4)]),
            RuntimeError,
            "Sizes of tensors must match except in dimension 0. Expected size 3 but got size 4 "
            "for tensor number 1 in the list.",
        ),
        (
            lambda: nn.cat([nn.ones(2, 3), nn.ones(3)]),
            RuntimeError,
            "Tensors must have same number of dimensions: got 2 and 1",
        ),
        (
            lambda: nn.stack([nn.ones(2), nn.ones(3)]),
            RuntimeError,
            r"stack expects each tensor to be equal size, but got \[2\] at entry 0 and \[3\] at "
            "entry 1",
        ),
        (lambda: nn.stack([nn.ones(2)], dim=2), IndexError, "Dimension out of range"),
    ],
)
def test_joining_errors_are_torchs(call, error, message):
    with pytest.raises(error, match=message):
        call()


# --------------------------------------------------------------------- sort, topk
FLOATS = st.floats(-3, 3, width=32) | st.just(float("nan")) | st.sampled_from([0.0, 1.0])


@given(
    x=hnp.arrays(np.float64, hnp.array_shapes(min_dims=1, max_dims=3, max_side=4), elements=FLOATS),
    descending=st.booleans(),
    data=st.data(),
)
def test_sort_is_stable_with_nan_largest(x, descending, data):
    dim = data.draw(st.integers(-x.ndim, x.ndim - 1))
    values, indices = nn.sort(nn.tensor(x), dim=dim, descending=descending)
    moved = np.moveaxis(x, dim, -1).reshape(-1, x.shape[dim])
    expected = []
    for row in moved:  # the reference: a stable sort by (NaN last, value), reversed keys
        key = [(np.isnan(v), 0.0 if np.isnan(v) else v) for v in row]
        # (Python's sort is stable, with reverse=True too)
        expected.append(sorted(range(len(row)), key=lambda i: key[i], reverse=descending))
    expected = np.moveaxis(np.array(expected).reshape(np.moveaxis(x, dim, -1).shape), -1, dim)
    np.testing.assert_array_equal(indices.numpy(), expected)
    np.testing.assert_array_equal(values.numpy(), np.take_along_axis(x, expected, dim))


def test_topk_and_sort_gradients_go_where_the_values_came_from():
    x = nn.tensor([[3.0, -1.0, 2.0, 5.0]], dtype=nn.float64, requires_grad=True)
    assert nn.gradcheck(lambda t: nn.topk(t, 2).values, (x,))
    assert nn.gradcheck(lambda t: nn.sort(t, descending=True).values * nn.arange(4.0), (x,))
    top = x.topk(2, largest=False)
    assert top.values.tolist() == [[-1.0, 2.0]] and top.indices.tolist() == [[1, 2]]
    with pytest.raises(RuntimeError, match="selected index k out of range"):
        x.topk(5)
    assert nn.argsort(x, descending=True).tolist() == [[3, 0, 2, 1]]


# ------------------------------------------------------------ products, where, tests
def test_matrix_products_check_dimensions_as_torch():
    a, b = nn.randn(2, 3, 4), nn.randn(2, 4, 5)
    np.testing.assert_allclose(nn.bmm(a, b).numpy(), a.numpy() @ b.numpy(), rtol=1e-6)
    assert nn.outer(nn.tensor([1.0, 2.0]), nn.tensor([1.0, 0.0, -1.0])).shape == (2, 3)
    assert nn.dot(nn.tensor([1.0, 2.0]), nn.tensor([3.0, 4.0])).item() == 11.0
    with pytest.raises(RuntimeError, match="batch1 must be a 3D tensor"):
        nn.bmm(nn.ones(3, 4), b)
    with pytest.raises(RuntimeError, match="self must be a matrix"):
        nn.mm(nn.ones(3), nn.ones(3, 2))
    with pytest.raises(RuntimeError, match="1D tensors expected, but got 2D and 1D tensors"):
        nn.dot(nn.ones(2, 2), nn.ones(2))
    with pytest.raises(RuntimeError, match="inconsistent tensor size"):
        nn.dot(nn.ones(2), nn.ones(3))
    with pytest.raises(RuntimeError, match="outer: Expected 1-D argument vec2, but got 2-D"):
        nn.outer(nn.ones(2), nn.ones(2, 2))


def test_where_forms():
    x = nn.tensor([-1.0, 2.0], requires_grad=True)
    y = nn.where(x > 0, x, 0.0)
    y.sum().backward()
    assert y.tolist() == [0.0, 2.0] and x.grad.tolist() == [0.0, 1.0]
    assert nn.where(x > 0, 5.0, x).tolist() == [-1.0, 5.0]
    assert nn.where(x > 0, 1.0, 0.0).dtype == nn.float32
    assert [i.tolist() for i in nn.where(nn.tensor([[0, 1], [1, 0]]))] == [[0, 1], [1, 0]]


def test_pow_with_a_number_base_and_comparisons():
    x = nn.tensor([1.0, 3.0], requires_grad=True)
    assert nn.pow(2, x).tolist() == [2.0, 8.0]
    assert nn.allclose(x, x + 1e-9) and not nn.allclose(x, x + 1)
    with pytest.raises(RuntimeError, match="Float did not match Double"):
        nn.allclose(x, nn.tensor([1.0, 3.0], dtype=nn.float64))
    assert nn.equal(x, nn.tensor([1.0, 3.0])) and not nn.equal(x, nn.tensor([1.0]))
    assert nn.is_tensor(x) and not nn.is_tensor(x.numpy(force=True)) and nn.numel(x) == 2


def test_older_idioms_and_constants_of_teaching_code() -> None:
    import math

    assert (nn.pi, nn.e, nn.inf) == (math.pi, math.e, math.inf) and math.isnan(nn.nan)
    data = nn.ones(2)
    v = nn.autograd.Variable(data, requires_grad=True)
    assert v.requires_grad and v.is_leaf and not data.requires_grad
    v.data.add_(1.0)  # (shares data's storage, as PyTorch's)
    assert data.tolist() == [2.0, 2.0]
    nn.use_deterministic_algorithms(True)
    assert nn.are_deterministic_algorithms_enabled()
    nn.use_deterministic_algorithms(False)
    x = nn.tensor([-1.0, 2.0])
    assert nn.abs_(x) is x and x.tolist() == [1.0, 2.0]


def test_assert_close_uses_pytorchs_tolerances_and_message() -> None:
    nn.testing.assert_close(nn.tensor([1.0]), nn.tensor([1.0 + 1e-6]))
    with pytest.raises(AssertionError, match="Tensor-likes are not close"):
        nn.testing.assert_close(nn.ones(2), nn.ones(2) * 1.001)
    with pytest.raises(AssertionError, match="'dtype' do not match"):
        nn.testing.assert_close(nn.ones(2), nn.ones(2, dtype=nn.float64))
    nn.testing.assert_close(nn.tensor([float("nan")]), nn.tensor([float("nan")]), equal_nan=True)
