"""In-place operations, views and the version counter: in place and out of place agree, in
values and in gradients; storage is shared where PyTorch shares it."""

from __future__ import annotations

import copy
import pickle

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import nn
from tests.cases.strategies import arrays

# (in-place method, out-of-place equivalent, argument drawn in [-2, 2])
OPS = {
    "add_": (lambda t, a: t.add_(a), lambda t, a: t + a),
    "sub_": (lambda t, a: t.sub_(a, alpha=0.5), lambda t, a: t - 0.5 * a),
    "mul_": (lambda t, a: t.mul_(a), lambda t, a: t * a),
    "div_": (lambda t, a: t.div_(abs(a) + 1.0), lambda t, a: t / (abs(a) + 1.0)),
    "clamp_": (lambda t, a: t.clamp_(min=-abs(a)), lambda t, a: t.clamp(min=-abs(a))),
    "pow_": (lambda t, a: t.pow_(2), lambda t, a: t**2),
    "neg_": (lambda t, a: t.neg_(), lambda t, a: -t),
    "tanh_": (lambda t, a: t.tanh_(), lambda t, a: t.tanh()),
    "iadd": (lambda t, a: t.__iadd__(a), lambda t, a: t + a),
    "imul": (lambda t, a: t.__imul__(a), lambda t, a: t * a),
    "setitem": (lambda t, a: t.__setitem__(0, a), None),
    "addcmul_": (lambda t, a: t.addcmul_(t.detach(), a, value=0.5), None),
}
SEQUENCES = st.lists(
    st.tuples(st.sampled_from(sorted(OPS)), st.floats(-2, 2, allow_nan=False)),
    min_size=1,
    max_size=6,
)


def out_of_place(name, t, a):
    if name == "setitem":
        mask = np.zeros(t.shape, dtype=bool)
        mask[0] = True
        return t.masked_fill(mask, a)
    if name == "addcmul_":
        return t + 0.5 * (t.detach() * a)
    return OPS[name][1](t, a)


@given(values=arrays((3,)), steps=SEQUENCES)
def test_in_place_under_no_grad_then_backward_equals_out_of_place(values, steps):
    w = nn.tensor(values, requires_grad=True)
    with nn.no_grad():
        for name, a in steps:
            OPS[name][0](w, a)
    expected = nn.tensor(values)
    for name, a in steps:
        expected = out_of_place(name, expected, a)
    np.testing.assert_allclose(w.detach(), expected, rtol=1e-12)
    assert w.is_leaf and w.requires_grad and w._version == len(steps)
    (w * w).sum().backward()  # the leaf is still a leaf: the gradient uses its new values
    np.testing.assert_allclose(w.grad, 2 * expected.numpy(), rtol=1e-12)


@given(values=arrays((3,)), steps=SEQUENCES.filter(lambda s: all(n != "tanh_" for n, _ in s)))
def test_recorded_in_place_on_a_non_leaf_differentiates_like_out_of_place(values, steps):
    x = nn.tensor(values, requires_grad=True)
    y = x * 1.5
    for name, a in steps:
        OPS[name][0](y, a)
    y.sum().backward()
    x2 = nn.tensor(values, requires_grad=True)
    z = x2 * 1.5
    for name, a in steps:
        z = out_of_place(name, z, a)
    z.sum().backward()
    np.testing.assert_allclose(y.detach(), z.detach(), rtol=1e-12)
    np.testing.assert_allclose(x.grad, x2.grad, rtol=1e-12, atol=1e-300)


@given(values=arrays((4, 3)), which=st.sampled_from(["row", "column", "slice", "t"]))
def test_in_place_through_a_view_differentiates_like_out_of_place(values, which):
    views = {
        "row": lambda t: t[1],
        "column": lambda t: t[:, 2],
        "slice": lambda t: t[1:3, :2],
        "t": lambda t: t.T,
    }
    x = nn.tensor(values, requires_grad=True)
    y = x * 2.0
    views[which](y).mul_(3.0)
    (y * y).sum().backward()
    expected = values * 2.0
    views[which](expected)[...] *= 3.0
    factor = np.full(values.shape, 2.0)
    views[which](factor)[...] *= 3.0
    np.testing.assert_allclose(y.detach(), expected, rtol=1e-12)
    np.testing.assert_allclose(x.grad, 2 * expected * factor, rtol=1e-12)


def test_changing_a_saved_result_in_place_is_refused_as_in_pytorch():
    x = nn.tensor([0.5, 1.0], requires_grad=True)
    y = x * 1.5
    y.tanh_()  # tanh's backward reads its result...
    y.add_(1.0)  # ... which this changes
    with pytest.raises(RuntimeError, match="output 0 of TanhBackward0, is at version 2"):
        y.sum().backward()


def test_views_share_storage_and_version_data_does_not():
    x = nn.tensor([1.0, 2.0, 3.0, 4.0])
    view, flat, detached, data = x[1:3], x.view(2, 2), x.detach(), x.data
    view.fill_(0.0)
    assert x.tolist() == [1.0, 0.0, 0.0, 4.0] and flat.tolist() == [[1.0, 0.0], [0.0, 4.0]]
    assert x._version == view._version == flat._version == detached._version == 1
    data.add_(1.0)
    assert x.tolist() == [2.0, 1.0, 1.0, 5.0]
    assert x._version == 1 and data._version == 1  # .data has its own counter, as in PyTorch
    assert view._base is x and x[0]._base is x and detached._base is None


def test_expanded_views_refuse_writes():
    x = nn.tensor([1.0, 2.0]).expand(3, 2)
    with pytest.raises(RuntimeError, match="single memory location"):
        x.add_(1.0)


def test_view_made_under_no_grad_refuses_in_place_with_grad():
    w = nn.tensor([1.0, 2.0], requires_grad=True)
    with nn.no_grad():
        view = w[:1]
        view.mul_(2.0)  # allowed: both in no_grad
    with pytest.raises(RuntimeError, match="created in no_grad mode"):
        view.mul_(2.0)


def test_in_place_results_must_fit_the_tensor():
    x = nn.tensor([1, 2, 3])
    with pytest.raises(RuntimeError, match=r"result type Float can.t be cast.*Long"):
        x.add_(0.5)
    with pytest.raises(RuntimeError, match="result type Float"):
        x /= 2
    with pytest.raises(RuntimeError, match=r"output with shape \[3\].*broadcast shape \[2, 3\]"):
        nn.ones(3).add_(nn.ones(2, 3))
    assert x.add_(1).tolist() == [2, 3, 4]


def test_numpy_ufuncs_refuse_tensors_that_require_grad_and_wrap_the_rest():
    w = nn.tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(TypeError, match=r"np\.exp.*nn\.exp\(t\)"):
        np.exp(w)
    with pytest.raises(RuntimeError, match="detach"):
        np.asarray(w)
    plain = nn.tensor([0.0, 1.0])
    result = np.exp(plain)
    assert isinstance(result, nn.Tensor) and result.dtype == np.float32
    np.testing.assert_allclose(result, [1.0, np.e], rtol=1e-6)
    assert np.asarray(plain) is plain.numpy()
    assert np.mean(plain) == pytest.approx(0.5) and isinstance(np.sum(plain), nn.Tensor)


def test_ndarray_operators_give_differentiable_tensors():
    w = nn.tensor([1.0, 2.0], requires_grad=True)
    for result in (np.array([3.0, 4.0]) * w, np.array([3.0, 4.0]) + w, np.float64(2.0) * w):
        assert isinstance(result, nn.Tensor) and result.requires_grad
    (np.array([3.0, 4.0]) * w).sum().backward()
    np.testing.assert_allclose(w.grad, [3.0, 4.0])
    assert (np.ones(2, dtype=np.float32) < w).tolist() == [False, True]


def test_type_promotion_follows_pytorch():
    f32, f64, i64 = nn.ones(2), nn.ones(2, dtype=nn.float64), nn.tensor([1, 2])
    assert (f32 * 2.5).dtype == nn.float32  # Python numbers do not promote
    assert (i64 * 2.5).dtype == nn.float32  # ... except into floats: the default dtype
    assert (f32 + f64).dtype == nn.float64
    assert (f32 + nn.tensor(1.0, dtype=nn.float64)).dtype == nn.float32  # 0-d does not
    assert (i64 / i64).dtype == nn.float32  # true division
    assert (i64 // 2).dtype == nn.int64
    with pytest.raises(RuntimeError, match="same dtype"):
        f32.reshape(1, 2) @ f64.reshape(2, 1)


def test_hooks_retain_grad_and_autograd_grad():
    x = nn.tensor([1.0, 2.0], requires_grad=True)
    handle = x.register_hook(lambda g: g * 10)
    y = x * 3
    y.register_hook(lambda g: g + 1)
    y.retain_grad()
    (y * y).sum().backward()
    np.testing.assert_allclose(y.grad, [6.0 + 1, 12.0 + 1])  # retained after the hook
    np.testing.assert_allclose(x.grad, [(6.0 + 1) * 3 * 10, (12.0 + 1) * 3 * 10])
    handle.remove()
    x.grad = None
    (gx,) = nn.autograd.grad((x * x).sum(), x)
    np.testing.assert_allclose(gx, [2.0, 4.0])
    assert x.grad is None  # grad() returns, it does not accumulate
    with pytest.raises(RuntimeError, match="not have been used"):
        nn.autograd.grad((x * 2).sum(), [x, nn.tensor([1.0], requires_grad=True)])
    with pytest.raises(NotImplementedError, match="create_graph"):
        (x * x).sum().backward(create_graph=True)


def test_backward_inputs_accumulate_only_into_those_leaves():
    a, b = nn.tensor([1.0], requires_grad=True), nn.tensor([2.0], requires_grad=True)
    (a * b).sum().backward(inputs=[a])
    assert a.grad.tolist() == [2.0] and b.grad is None


def test_set_grad_enabled_acts_at_once_and_as_context_and_decorator():
    w = nn.tensor([1.0], requires_grad=True)
    nn.set_grad_enabled(False)
    try:
        assert not (w * 2).requires_grad
    finally:
        nn.set_grad_enabled(True)
    with nn.set_grad_enabled(False):
        assert not nn.is_grad_enabled()
    assert nn.is_grad_enabled()

    @nn.set_grad_enabled(False)
    def double(t):
        return t * 2

    assert nn.is_grad_enabled() and not double(w).requires_grad
    with nn.inference_mode():
        assert not (w * 2).requires_grad


def test_leaves_deep_copy_and_pickle_non_leaves_refuse():
    w = nn.Parameter(np.array([1.0, 2.0]))
    w.grad = nn.ones(2, dtype=nn.float64)
    clone = copy.deepcopy(w)
    assert type(clone) is nn.Parameter and clone.requires_grad and clone.grad is None
    assert clone.tolist() == w.tolist() and clone.detach().numpy() is not w.detach().numpy()
    t = nn.tensor([3.0], requires_grad=True)
    restored = pickle.loads(pickle.dumps(t))
    assert restored.requires_grad and restored.tolist() == [3.0]
    with pytest.raises(RuntimeError, match="graph leaves"):
        copy.deepcopy(t * 2)


def test_grad_of_a_non_leaf_warns_and_is_none():
    y = nn.tensor([1.0], requires_grad=True) * 2
    with pytest.warns(UserWarning, match="retain_grad"):
        assert y.grad is None


def test_zero_d_tensors_format_and_index():
    assert f"{nn.tensor(2.0):.2f}" == "2.00" and format(nn.tensor([1.0])) == "tensor([1.])"
    with pytest.raises(TypeError, match="unsupported format string"):
        format(nn.tensor([1.0]), ".2f")
    assert [10, 20, 30][nn.tensor(1)] == 20


def test_comparisons_in_place_write_ones_and_zeros_and_pass_a_zero_gradient():
    x = nn.tensor([0.5, 2.0], requires_grad=True)
    y = x * 2
    y.lt_(2.0)
    assert y.tolist() == [1.0, 0.0] and y.requires_grad  # (recorded, as PyTorch)
    y.sum().backward()
    assert x.grad.tolist() == [0.0, 0.0]
    n = nn.tensor([1, 2, 3])
    n.ge_(nn.tensor(2))
    assert n.tolist() == [0, 1, 1] and n.dtype == nn.int64
    with pytest.raises(RuntimeError, match="doesn't match the broadcast shape"):
        nn.tensor([1.0]).eq_(nn.ones(2))


def test_logical_ops_in_place_are_outside_autograd_as_pytorchs_and_bitwise_ones_take_integers():
    x = nn.tensor([0.5, 0.0], requires_grad=True)
    x.logical_not_()  # (PyTorch's: no leaf check, nothing recorded)
    assert x.tolist() == [0.0, 1.0] and x.is_leaf
    with pytest.raises(TypeError, match=r"logical_and_\(\): argument 'other'"):
        x.logical_and_(1)
    bits = nn.tensor([6, 3])
    bits &= 3
    assert bits.tolist() == [2, 3]
    bits.bitwise_xor_(nn.tensor([1, 1]))
    assert bits.tolist() == [3, 2]
    assert nn.bitwise_or(4, nn.tensor([1])).tolist() == [5]
    assert nn.greater(nn.tensor([1, 3]), 2).tolist() == [False, True]
    with pytest.raises(NotImplementedError, match="bitwise_and_cpu"):
        nn.tensor([1.0]).bitwise_and_(1)
