"""Convolution and pooling against PyTorch over hypothesis-drawn shapes and arguments, when
PyTorch is installed; skipped otherwise (tests/cases/layer_cases.py covers fixed cases without it).
Values, gradients and max-pool indices must agree, or both must raise the same error type."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import nn

torch = pytest.importorskip("torch")
pytestmark = pytest.mark.torch

sizes = st.integers(1, 3)
pairs = st.one_of(sizes, st.tuples(sizes, sizes))


def _both(fn_ours, fn_theirs, *arrays, seed=0):
    """Run both; compare outputs and input gradients (or the error's builtin type)."""
    ours = [nn.tensor(a, requires_grad=True) for a in arrays]
    theirs = [torch.tensor(a, requires_grad=True) for a in arrays]
    results = []
    for fn, leaves, T in ((fn_ours, ours, nn), (fn_theirs, theirs, torch)):
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                out = fn(*leaves)
        except Exception as error:
            results.append(next(c for c in type(error).__mro__ if c.__module__ == "builtins"))
            continue
        values = out[0] if isinstance(out, tuple) else out
        upstream = np.random.default_rng(seed).standard_normal(tuple(values.shape))
        (values * T.tensor(upstream)).sum().backward()
        extras = [np.asarray(o.numpy()) for o in out[1:]] if isinstance(out, tuple) else []
        results.append([values.detach().numpy(), *extras, *(leaf.grad.numpy() for leaf in leaves)])
    mine, reference = results
    if isinstance(reference, type) or isinstance(mine, type):
        assert mine == reference
        return
    for a, b in zip(mine, reference, strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-10, atol=1e-12)


@settings(max_examples=60, deadline=None)
@given(
    data=st.data(),
    n=sizes,
    groups=st.sampled_from([1, 2]),
    stride=pairs,
    dilation=pairs,
    padding=st.one_of(st.integers(0, 2), st.tuples(st.integers(0, 2), st.integers(0, 2)),
                      st.sampled_from(["same", "valid"])),
    bias=st.booleans(),
)  # fmt: skip
def test_conv2d_matches_torch(data, n, groups, stride, dilation, padding, bias):
    c, o = 2 * data.draw(sizes), 2 * data.draw(sizes)
    kernel = (data.draw(st.integers(1, 4)), data.draw(st.integers(1, 4)))
    rng = np.random.default_rng(data.draw(st.integers(0, 2**16)))
    x = rng.standard_normal((n, c, data.draw(st.integers(3, 9)), data.draw(st.integers(3, 9))))
    w = rng.standard_normal((o, c // groups, *kernel))
    arrays = [x, w, rng.standard_normal(o)] if bias else [x, w]

    def call(F):
        return lambda *a: F.conv2d(
            a[0], a[1], a[2] if bias else None, stride, padding, dilation, groups
        )

    _both(call(nn.F), call(torch.nn.functional), *arrays)


@settings(max_examples=60, deadline=None)
@given(
    data=st.data(),
    kind=st.sampled_from(["max", "avg", "adaptive"]),
    kernel=st.one_of(st.integers(1, 4), st.tuples(st.integers(1, 4), st.integers(1, 4))),
    stride=st.one_of(st.none(), pairs),
    ceil_mode=st.booleans(),
    flag=st.booleans(),
)
def test_pooling_matches_torch(data, kind, kernel, stride, ceil_mode, flag):
    rng = np.random.default_rng(data.draw(st.integers(0, 2**16)))
    x = rng.standard_normal((2, 2, data.draw(st.integers(1, 9)), data.draw(st.integers(1, 9))))
    if data.draw(st.booleans()):
        x[0, 0, 0, :] = np.nan
    padding = data.draw(st.integers(0, 2))
    if kind == "max":
        dilation = data.draw(pairs)

        def call(F):
            return lambda a: F.max_pool2d(a, kernel, stride, padding, dilation, ceil_mode, flag)

        try:  # PyTorch's path without autograd checks the arguments more strictly
            probe = call(torch.nn.functional)(torch.tensor(x))
        except RuntimeError:
            with pytest.raises(RuntimeError):
                call(nn.F)(nn.tensor(x))
            return
        # a window of padding only (dilation): PyTorch's backward may abort the process
        assume(not torch.isinf(probe[0] if flag else probe).any())

    elif kind == "avg":
        divisor = data.draw(st.sampled_from([None, 1, 5]))

        def call(F):
            return lambda a: F.avg_pool2d(a, kernel, stride, padding, ceil_mode, flag, divisor)

    else:
        size = (data.draw(st.integers(1, 5)), data.draw(st.sampled_from([None, 1, 3])))

        def call(F):
            return lambda a: F.adaptive_avg_pool2d(a, size)

    _both(call(nn.F), call(torch.nn.functional), x)


@settings(max_examples=40, deadline=None)
@given(
    shape=st.lists(st.integers(1, 4), min_size=1, max_size=4),
    dims=st.integers(1, 3),
    affine=st.booleans(),
    eps=st.sampled_from([1e-5, 1e-2]),
    seed=st.integers(0, 2**16),
)
def test_layer_norm_matches_torch(shape, dims, affine, eps, seed):
    dims = min(dims, len(shape))
    normalized = tuple(shape[len(shape) - dims :])
    rng = np.random.default_rng(seed)
    arrays = [rng.standard_normal(shape) * rng.uniform(0.1, 10)]
    if affine:
        arrays += [rng.standard_normal(normalized), rng.standard_normal(normalized)]

    def run(F):
        return lambda x, *wb: F.layer_norm(x, normalized, *wb, eps=eps)

    _both(run(nn.F), run(torch.nn.functional), *arrays, seed=seed)


@settings(max_examples=50, deadline=None)
@given(
    data=st.data(),
    n=st.integers(0, 3),  # 0: an unbatched (C, L) input
    groups=st.sampled_from([1, 2]),
    stride=sizes,
    dilation=sizes,
    padding=st.one_of(st.integers(0, 2), st.sampled_from(["same", "valid"])),
    bias=st.booleans(),
)
def test_conv1d_matches_torch(data, n, groups, stride, dilation, padding, bias):
    c, o = 2 * data.draw(sizes), 2 * data.draw(sizes)
    kernel = data.draw(st.integers(1, 4))
    rng = np.random.default_rng(data.draw(st.integers(0, 2**16)))
    length = data.draw(st.integers(3, 12))
    x = rng.standard_normal((n, c, length) if n else (c, length))
    w = rng.standard_normal((o, c // groups, kernel))
    arrays = [x, w, rng.standard_normal(o)] if bias else [x, w]

    def call(F):
        return lambda *a: F.conv1d(
            a[0], a[1], a[2] if bias else None, stride, padding, dilation, groups
        )

    _both(call(nn.F), call(torch.nn.functional), *arrays)


def test_conv1d_module_matches_torch_from_the_same_weights():
    ours = nn.Conv1d(4, 6, 3, stride=2, padding=1, groups=2).double()
    theirs = torch.nn.Conv1d(4, 6, 3, stride=2, padding=1, groups=2).double()
    ours.load_state_dict({k: v.detach().numpy() for k, v in theirs.state_dict().items()})
    assert repr(ours) == repr(theirs)
    x = np.random.default_rng(0).standard_normal((2, 4, 9))
    np.testing.assert_allclose(
        ours(x).detach().numpy(), theirs(torch.tensor(x)).detach().numpy(), rtol=1e-12
    )


@settings(max_examples=50, deadline=None)
@given(
    data=st.data(),
    n=st.integers(0, 2),  # 0: an unbatched (C, L) input
    kernel=st.integers(1, 3),
    stride=st.one_of(st.none(), sizes),
    padding=st.integers(0, 1),
    dilation=sizes,
    ceil_mode=st.booleans(),
    count_include_pad=st.booleans(),
)
def test_1d_pooling_matches_torch(
    data, n, kernel, stride, padding, dilation, ceil_mode, count_include_pad
):
    assume(2 * padding <= kernel)  # PyTorch's own requirement (both raise otherwise)
    length = data.draw(st.integers(dilation * (kernel - 1) + 1, 10))
    x = np.random.default_rng(data.draw(st.integers(0, 2**16))).standard_normal(
        (n, 2, length) if n else (2, length)
    )
    for name, args in (
        ("max_pool1d", (kernel, stride, padding, dilation, ceil_mode, True)),
        ("avg_pool1d", (kernel, stride, padding, ceil_mode, count_include_pad)),
        ("adaptive_avg_pool1d", (data.draw(st.integers(1, length)),)),
    ):
        _both(
            lambda a, name=name, args=args: getattr(nn.F, name)(a, *args),
            lambda a, name=name, args=args: getattr(torch.nn.functional, name)(a, *args),
            x,
        )
