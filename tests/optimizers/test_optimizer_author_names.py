"""What optimizers written for PyTorch call, beyond the optimizer base: memory formats,
float16/bfloat16, ``_foreach_*`` functions, complex views, the deprecated positional
overloads (with PyTorch's warning), numbers as first operands, the legacy ``Tensor.new``,
dtype limits, the runtime queries (``torch.jit``, ``torch.compiler``), ``torch.linalg``'s
norms, and PyTorch's rounding of ``add(alpha=)``, ``addcmul`` and ``lerp`` (one fused
multiply-add), held against live PyTorch where it is installed."""

from __future__ import annotations

import copy
import pickle

import numpy as np
import pytest

import nn

FOREACH_CASES = [  # (name, arguments after the list of Tensors, keyword arguments)
    ("_foreach_add", ("others",), {"alpha": 2.0}),
    ("_foreach_add", (1.5,), {}),
    ("_foreach_add", ("scalars",), {}),
    ("_foreach_sub", ("others",), {"alpha": 0.5}),
    ("_foreach_mul", (3.0,), {}),
    ("_foreach_mul", ("others",), {}),
    ("_foreach_div", ("scalars",), {}),
    ("_foreach_maximum", ("others",), {}),
    ("_foreach_minimum", (0.1,), {}),
    ("_foreach_clamp_min", (0.0,), {}),
    ("_foreach_pow", (2.0,), {}),
    ("_foreach_lerp", ("others", 0.25), {}),
    ("_foreach_lerp", ("others", "positive"), {}),
    ("_foreach_addcmul", ("others", "positive"), {"value": 0.5}),
    ("_foreach_addcdiv", ("others", "positive", "scalars"), {}),
    ("_foreach_sqrt", ("positive_self",), {}),
    ("_foreach_sign", (), {}),
    ("_foreach_neg", (), {}),
    ("_foreach_exp", (), {}),
    ("_foreach_norm", (), {}),
    ("_foreach_max", (), {}),
]


def _foreach_arguments(module, args, rng_seed=0):
    rng = np.random.default_rng(rng_seed)
    shapes = [(3,), (2, 2), ()]
    selfs = [rng.standard_normal(s) for s in shapes]
    made = {
        "others": [module.tensor(rng.standard_normal(s)) for s in shapes],
        "positive": [module.tensor(np.abs(rng.standard_normal(s)) + 0.5) for s in shapes],
        "scalars": [0.5, -2.0, 3.0],
    }
    tensors = [module.tensor(np.abs(a) if "positive_self" in args else a) for a in selfs]
    rest = [made.get(a, a) for a in args if a != "positive_self"]
    return tensors, rest


@pytest.mark.parametrize(("name", "args", "kwargs"), FOREACH_CASES)
def test_foreach_functions_are_the_tensor_methods_per_tensor(name, args, kwargs):
    tensors, rest = _foreach_arguments(nn, args)
    out = getattr(nn, name)(tensors, *rest, **kwargs)
    assert isinstance(out, tuple) and len(out) == len(tensors)
    in_place = getattr(nn, name + "_", None)
    if in_place is not None:
        copies = [t.clone() for t in tensors]
        assert in_place(copies, *rest, **kwargs) is copies
        for changed, expected in zip(copies, out, strict=True):
            np.testing.assert_array_equal(changed.numpy(), expected.numpy())


@pytest.mark.torch
@pytest.mark.parametrize(("name", "args", "kwargs"), FOREACH_CASES)
def test_foreach_functions_match_pytorch(name, args, kwargs):
    torch = pytest.importorskip("torch")
    ours, rest = _foreach_arguments(nn, args)
    theirs, their_rest = _foreach_arguments(torch, args)
    got = getattr(nn, name)(ours, *rest, **kwargs)
    expected = getattr(torch, name)(theirs, *their_rest, **kwargs)
    for a, b in zip(got, expected, strict=True):
        assert a.dtype == b.numpy().dtype
        # exact, but for exp (NumPy's and PyTorch's exp part in the last bit)
        np.testing.assert_array_max_ulp(a.numpy(), b.numpy(), maxulp=int(name == "_foreach_exp"))


def test_foreach_refuses_lists_of_other_lengths_and_empty_lists():
    with pytest.raises(RuntimeError, match="same number of elements"):
        nn._foreach_add([nn.ones(2), nn.ones(2)], [1.0])
    with pytest.raises(RuntimeError, match="at least one tensor"):
        nn._foreach_mul_([], 2.0)


def test_memory_formats_are_accepted_and_keep_values():
    x = nn.arange(24.0).reshape(1, 2, 3, 4)
    last = x.contiguous(memory_format=nn.channels_last)
    assert last.is_contiguous(memory_format=nn.channels_last) and not last.is_contiguous()
    np.testing.assert_array_equal(last.numpy(), x.numpy())
    like = nn.zeros_like(last, memory_format=nn.preserve_format)
    assert like.is_contiguous(memory_format=nn.channels_last)
    assert nn.zeros_like(last, memory_format=nn.contiguous_format).is_contiguous()
    assert last.clone().is_contiguous(memory_format=nn.channels_last)  # preserve_format
    with pytest.raises(RuntimeError, match="required rank 4 tensor to use channels_last"):
        nn.zeros_like(nn.ones(3), memory_format=nn.channels_last)
    with pytest.raises(TypeError, match="memory_format must be"):
        nn.ones(2).clone(memory_format="channels_last")
    assert copy.deepcopy(nn.preserve_format) is nn.preserve_format
    assert pickle.loads(pickle.dumps(nn.channels_last)) is nn.channels_last


def test_float16_and_bfloat16_compare_as_pytorch_and_bfloat16_cannot_hold_values():
    assert nn.half == nn.float16 and nn.ones(2, dtype=nn.half).dtype == nn.float16
    assert nn.bfloat16 == nn.bfloat16 and nn.bfloat16 != nn.float16 != nn.float32
    assert nn.float32 in {nn.float32, nn.bfloat16} and nn.float64 not in {nn.bfloat16}
    assert repr(nn.bfloat16) == "bfloat16" and nn.finfo(nn.bfloat16).eps == 2.0**-7
    with pytest.raises(TypeError, match="NumPy has no bfloat16"):
        nn.zeros(2, dtype=nn.bfloat16)
    with pytest.raises(TypeError, match="NumPy has no bfloat16"):
        nn.ones(2).to(nn.bfloat16)


def test_dtype_limits_and_runtime_queries():
    assert nn.finfo(nn.float32).eps == float(np.finfo(np.float32).eps)
    assert nn.finfo().tiny == float(np.finfo(np.float32).tiny)  # the default dtype's
    assert nn.iinfo(nn.int8).max == 127 and nn.iinfo(nn.int64).min == -(2**63)
    with pytest.raises(TypeError, match="floating point"):
        nn.finfo(nn.int32)
    assert not nn.jit.is_scripting() and not nn.compiler.is_compiling()
    assert not nn.distributed.is_initialized()

    @nn.jit.script
    def doubled(x):
        return 2 * x

    assert doubled(3) == 6 and isinstance(nn.ones(2, 3).shape, nn.Size)


def test_complex_checks_and_views():
    z = nn.tensor(np.array([1 + 2j, 3 - 1j]))
    assert nn.is_complex(z) and not nn.is_complex(nn.ones(1)) and nn.is_floating_point(nn.ones(1))
    real = nn.view_as_real(z)
    assert real.shape == (2, 2) and real.dtype == nn.float64
    real[0, 0] = 9.0
    assert z[0].item() == 9 + 2j and nn.view_as_complex(real)[0].item() == 9 + 2j
    with pytest.raises(RuntimeError, match="only supported for complex tensors"):
        nn.view_as_real(nn.ones(2))
    assert z.conj()[0].item() == 9 - 2j and nn.ones(2).conj().dtype == nn.float32
    assert z.real[1].item() == 3.0 and z.imag[1].item() == -1.0
    assert repr(nn.tensor(np.array([9 + 2j, 3 - 1j], dtype=np.complex64))) == (
        "tensor([9.+2.j, 3.-1.j])"
    )


def test_view_as_dtype_reinterprets_the_bytes_and_shares_storage():
    x = nn.tensor([1.0, 2.0])
    bits = x.view(nn.int32)
    assert bits.tolist() == [1065353216, 1073741824]
    bits[0] = 0
    assert x.tolist() == [0.0, 2.0] and x._version == 1
    assert nn.zeros(2, 4).view(nn.float64).shape == (2, 2)
    with pytest.raises(RuntimeError, match="must be divisible by 2"):
        nn.zeros(3).view(nn.float64)


@pytest.mark.parametrize(
    ("call", "expected", "signature"),
    [
        (lambda x, y: x.add(2, y), [7.0, 7.0], r"add\(Number alpha, Tensor other\)"),
        (lambda x, y: x.add_(2, y), [7.0, 7.0], r"add_\(Number alpha, Tensor other\)"),
        (lambda x, y: x.sub_(2, y), [-5.0, -5.0], r"sub_\(Number alpha, Tensor other\)"),
        (lambda x, y: x.addcmul_(2, y, y), [19.0, 19.0], r"addcmul_\(Number value, Tensor"),
        (lambda x, y: x.addcdiv_(2, y, y), [3.0, 3.0], r"addcdiv_\(Number value, Tensor"),
    ],
)
def test_deprecated_positional_overloads_run_with_pytorchs_warning(call, expected, signature):
    x, y = nn.ones(2), nn.full((2,), 3.0)
    with pytest.warns(UserWarning, match="This overload of .* is deprecated:\n\t" + signature):
        result = call(x, y)
    assert result.tolist() == expected


def test_a_number_may_come_first_where_pytorch_takes_it():
    y = nn.full((2,), 3.0)
    assert nn.add(2, y).tolist() == [5.0, 5.0] and nn.sub(2, y, alpha=2).tolist() == [-4.0, -4.0]
    assert nn.mul(2, y).tolist() == [6.0, 6.0] and nn.true_divide(6, y).tolist() == [2.0, 2.0]
    assert nn.div(7, y, rounding_mode="floor").tolist() == [2.0, 2.0]
    assert nn.add(2, y).dtype == nn.float32


def test_legacy_new_and_in_place_forms():
    x = nn.ones(2, 3, dtype=nn.float64)
    assert x.new(2, 3).shape == (2, 3) and x.new([1, 2]).dtype == nn.float64
    assert x.new().shape == (0,)
    with pytest.raises(TypeError, match="ambiguous"):
        x.new((2, 3))
    t = nn.tensor([4.0, 16.0])
    assert t.clone().rsqrt_().tolist() == [0.5, 0.25] and t.clone().square_().tolist() == [16, 256]
    m = nn.zeros(2, 3)
    assert m.transpose_(0, 1).shape == (3, 2) and m.unsqueeze_(0).shape == (1, 3, 2)
    with pytest.raises(RuntimeError, match="a leaf Variable that requires grad"):
        nn.zeros(2, 3, requires_grad=True).t_()
    graph = nn.zeros(2, 3, requires_grad=True) * 1
    graph.t_()  # recorded, as PyTorch records it
    assert graph.shape == (3, 2) and graph.grad_fn.name() == "TBackward0"
    assert nn.eye(2, out=nn.empty(0, dtype=nn.float64)).dtype == nn.float64


def test_errors_name_the_public_method():
    with pytest.raises(TypeError, match=r"^Tensor\.add_\(\) takes 2 positional arguments"):
        nn.ones(1).add_(1, 2, 3)
    with pytest.raises(TypeError, match=r"^Tensor\.mul\(\)"):
        nn.ones(1).mul(1, 2)


def test_linalg_norms():
    x = nn.tensor([[3.0, 0.0], [0.0, 4.0]])
    assert nn.linalg.vector_norm(x).item() == 5.0
    assert nn.linalg.vector_norm(x, ord=1, dim=1).tolist() == [3.0, 4.0]
    assert nn.linalg.matrix_norm(x).item() == 5.0 and nn.linalg.norm(x).item() == 5.0
    assert nn.linalg.vector_norm(x, keepdim=True).shape == (1, 1)


@pytest.mark.torch
@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize(
    "op",
    [
        lambda m, a, b, c: a.add(b, alpha=0.3),
        lambda m, a, b, c: a.clone().add_(b, alpha=-0.7),
        lambda m, a, b, c: a.clone().sub_(b, alpha=0.3),
        lambda m, a, b, c: a.addcmul(b, c, value=-0.37),
        lambda m, a, b, c: a.clone().addcmul_(b, c, value=0.1),
        lambda m, a, b, c: a.addcdiv(b, c.abs() + 0.1, value=0.2),
        lambda m, a, b, c: a.lerp(b, 0.1),
        lambda m, a, b, c: a.clone().lerp_(b, 0.9),
        lambda m, a, b, c: a.lerp(b, m.tensor(np.linspace(-1, 2, 1000)).to(a.dtype)),
        lambda m, a, b, c: m._foreach_lerp([a], [b], 0.3)[0],
    ],
)
def test_fused_multiply_adds_round_as_pytorchs_kernels(op, dtype):
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(5)
    arrays = [rng.standard_normal(1000).astype(dtype) for _ in range(3)]
    ours = op(nn, *(nn.tensor(a) for a in arrays)).numpy()
    theirs = op(torch, *(torch.tensor(a) for a in arrays)).numpy()
    np.testing.assert_array_equal(ours, theirs)


@pytest.mark.parametrize("name", ["lerp", "addcmul"])
def test_blends_are_one_node_with_correct_gradients(name):
    rng = np.random.default_rng(0)
    a, b, c = (nn.tensor(rng.standard_normal(4), requires_grad=True) for _ in range(3))
    if name == "lerp":
        assert a.lerp(b, 0.3).grad_fn.name() == "LerpBackward0"
        assert a.lerp(b, c).grad_fn.name() == "LerpBackward1"
        assert nn.gradcheck(lambda x, y, w: x.lerp(y, w), (a, b, c))
    else:
        assert a.addcmul(b, c).grad_fn.name() == "AddcmulBackward0"
        assert nn.gradcheck(lambda x, y, z: x.addcmul(y, z, value=0.7), (a, b, c))
