"""Counting and selecting for the harness: histc, histogram, bincount, unique (none of them
differentiable), masked_select, diff, nansum/nanmean, atan2, logit and softmin: values,
dtypes, views or copies, errors, gradients where there are any."""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import strategies as st

from tests.parity.opinfo import OpInfo
from tests.parity.samples import (
    ALL,
    FLOATS,
    INTEGERS,
    SUMMING,
    Arg,
    Sample,
    arg,
    broadcast_shapes,
    dim,
    shape,
)

LAPACK = 1e-4  # (MKL's LAPACK in PyTorch, OpenBLAS's in NumPy: other orders of operations)


def _histc_sampler(data: Any) -> Sample:
    x = arg(data, shape(data), data.draw(st.sampled_from(ALL)), special=True)
    low = data.draw(st.sampled_from([0.0, -1.0, -3.0, 0.5, 2.0]))
    high = data.draw(st.sampled_from([0.0, 1.0, 3.0, -1.0, 2.5]))
    return Sample((x,), {"bins": data.draw(st.integers(0, 7)), "min": low, "max": high})


def _histogram_sampler(data: Any) -> Sample:
    dtype = data.draw(st.sampled_from([*FLOATS, "int64"]))
    x = arg(data, shape(data), dtype, special=True)
    kwargs: dict[str, Any] = {}
    if data.draw(st.booleans()):
        kwargs["range"] = tuple(
            sorted(
                data.draw(st.lists(st.sampled_from([-2.0, 0.0, 0.5, 3.0]), min_size=2, max_size=2))
            )
        )
    if data.draw(st.booleans()):
        kwargs["weight"] = arg(data, x.values.shape, dtype, grad=False, low=0, high=2)
    kwargs["density"] = data.draw(st.booleans())
    if data.draw(st.integers(0, 3)) == 0:  # edges given as a Tensor
        edges = np.sort(np.random.default_rng(data.draw(st.integers(0, 99))).uniform(-3, 3, 4))
        return Sample(
            (x, arg(data, (4,), dtype, grad=False).__class__(edges.astype(dtype))), kwargs
        )
    return Sample((x, data.draw(st.integers(0, 6))), kwargs)


def _histogram(T: Any, F: Any, x: Any, bins: Any, **kwargs: Any) -> Any:
    hist, edges = x.histogram(bins, **kwargs)
    return hist, edges


def _bincount_sampler(data: Any) -> Sample:
    dtype = data.draw(st.sampled_from([*INTEGERS, "int64", "bool", "float32"]))
    x = arg(
        data,
        shape(data, min_dims=1, max_dims=data.draw(st.sampled_from([1, 1, 2]))),
        dtype,
        low=-1 if data.draw(st.integers(0, 9)) == 0 else 0,
        high=6,
    )
    kwargs: dict[str, Any] = {"minlength": data.draw(st.sampled_from([0, 0, 3, 9]))}
    if data.draw(st.booleans()):
        kwargs["weights"] = arg(
            data, x.values.shape, data.draw(st.sampled_from([*FLOATS, "int64"])), grad=False
        )
    return Sample((x,), kwargs)


def _unique_sampler(data: Any) -> Sample:
    x = arg(data, shape(data), data.draw(st.sampled_from(ALL)), grad=False, special=True)
    kwargs: dict[str, Any] = {
        "return_inverse": data.draw(st.booleans()),
        "return_counts": data.draw(st.booleans()),
    }
    if data.draw(st.integers(0, 2)) == 0 and x.values.ndim:
        kwargs["dim"] = dim(data, x.values.ndim)
    return Sample((x,), kwargs)


def _nan_slices(sample: Sample) -> str | None:
    values = sample.args[0].values
    if "dim" in sample.kwargs and values.dtype.kind == "f" and np.isnan(values).any():
        return "unique(dim=...) of slices holding NaN is refused (PyTorch's order is its sort's)"
    return None


def _masked_select_sampler(data: Any) -> Sample:
    first, second = broadcast_shapes(data)
    x = arg(data, first, data.draw(st.sampled_from(ALL)), special=True)
    mask_dtype = "bool" if data.draw(st.integers(0, 9)) else "uint8"
    return Sample((x, arg(data, second, mask_dtype, grad=False)))


def _diff_sampler(data: Any) -> Sample:
    dtype = data.draw(st.sampled_from(ALL))
    x = arg(data, shape(data, min_dims=data.draw(st.sampled_from([0, 1, 1, 2]))), dtype)
    kwargs: dict[str, Any] = {"n": data.draw(st.integers(0, 3))}
    if x.values.ndim:
        kwargs["dim"] = dim(data, x.values.ndim)
        side = list(x.values.shape)
        side[kwargs["dim"]] = data.draw(st.integers(0, 2))
        for end in ("prepend", "append"):
            if data.draw(st.integers(0, 2)) == 0:
                kwargs[end] = arg(data, tuple(side), dtype)
    return Sample((x,), kwargs)


def _negated_uint8(sample: Sample) -> str | None:
    """PyTorch's atan2 gradient negates and squares the operands in their own dtypes: a
    uint8 wraps around (-3 is 253), a bool cannot be negated (its backward fails)."""
    a, b = sample.args
    if any(x.values.dtype in (np.uint8, np.bool_) for x in (a, b)) and (
        a.requires_grad or b.requires_grad
    ):
        return "PyTorch's own slips: atan2's gradient with a uint8 or bool input"
    return None


def _atan2_sampler(data: Any) -> Sample:
    first, second = broadcast_shapes(data)
    dtypes = st.sampled_from(ALL)
    a = arg(data, first, data.draw(dtypes), special=True)
    return Sample((a, arg(data, second, data.draw(dtypes), special=True)))


def _negative_zero(sample: Sample) -> str | None:
    x = sample.args[0]
    if x.requires_grad and np.any((x.values == 0) & np.signbit(x.values)):
        return "logit's gradient at -0.0 depends on the element's position in PyTorch"
    return None


def _logit_sampler(data: Any) -> Sample:
    x = arg(data, shape(data), data.draw(st.sampled_from(ALL)), low=-0.5, high=1.5, special=True)
    eps = data.draw(st.sampled_from([None, None, 0.0, 0.1, 0.5]))
    return Sample((x,), {} if eps is None else {"eps": eps})


def _reduced(data: Any) -> Sample:
    x = arg(data, shape(data), data.draw(st.sampled_from(ALL)), special=True)
    kwargs: dict[str, Any] = {}
    if x.values.ndim and data.draw(st.booleans()):
        kwargs = {"dim": dim(data, x.values.ndim), "keepdim": data.draw(st.booleans())}
    return Sample((x,), kwargs)


def _count_sampler(data: Any) -> Sample:
    x = arg(data, shape(data), data.draw(st.sampled_from(ALL)), special=True)
    if not x.values.ndim or data.draw(st.booleans()):
        return Sample((x,))
    dims = tuple({dim(data, x.values.ndim) for _ in range(data.draw(st.integers(1, 2)))})
    return Sample((x,), {"dim": dims[0] if len(dims) == 1 else dims})


def _square_sampler(data: Any) -> Sample:
    """Well-conditioned square matrices (diagonally dominant), in a batch of 0 to 2 sides,
    rarely not square or of integers (both refused)."""
    side = data.draw(st.integers(0, 4))
    batch = tuple(data.draw(st.integers(1, 2)) for _ in range(data.draw(st.integers(0, 2))))
    wide = side + (data.draw(st.integers(0, 19)) == 0)
    dtype = "int64" if data.draw(st.integers(0, 19)) == 0 else data.draw(st.sampled_from(FLOATS))
    rng = np.random.default_rng(data.draw(st.integers(0, 2**16)))
    values = rng.uniform(-1, 1, (*batch, side, wide)) + 2 * side * np.eye(side, wide)
    if data.draw(st.booleans()):
        values = (values + np.swapaxes(values, -1, -2)) / 2 if side == wide else values
    grad = dtype in FLOATS and data.draw(st.booleans())
    return Sample((Arg(values.astype(dtype), "contiguous", grad),))


def _solve_sampler(data: Any) -> Sample:
    (a,) = _square_sampler(data).args
    n = a.values.shape[-1]
    vector = data.draw(st.booleans())
    shape = (
        (*a.values.shape[:-1],) if vector else (*a.values.shape[:-1], data.draw(st.integers(1, 2)))
    )
    if data.draw(st.integers(0, 9)) == 0:
        shape = (n + 1,)
    rng = np.random.default_rng(n)
    dtype = str(a.values.dtype) if a.values.dtype.kind == "f" else "float32"
    b = Arg(
        rng.uniform(-1, 1, shape).astype(dtype),
        "contiguous",
        data.draw(st.booleans()) and dtype in FLOATS,
    )
    return Sample((a, b))


def _dist_sampler(data: Any) -> Sample:
    first, second = broadcast_shapes(data)
    dtype = data.draw(st.sampled_from(ALL))
    a = arg(data, first, dtype, special=True)
    b = arg(data, second, dtype, special=True)
    return Sample((a, b), {"p": data.draw(st.sampled_from([2, 1, 0, 3, float("inf")]))})


def _moments_sampler(data: Any) -> Sample:
    x = arg(data, shape(data), data.draw(st.sampled_from(FLOATS)), special=True)
    kwargs: dict[str, Any] = {"correction": data.draw(st.sampled_from([0, 1]))}
    if x.values.ndim and data.draw(st.booleans()):
        kwargs |= {"dim": dim(data, x.values.ndim), "keepdim": data.draw(st.booleans())}
    return Sample((x,), kwargs)


def _norm_sampler(data: Any) -> Sample:
    """A Tensor, an order (None, numeric or a matrix order's name) and a dim: none, one, or
    two (a matrix norm)."""
    x = arg(data, shape(data), data.draw(st.sampled_from(FLOATS)), special=True)
    orders = [None, 2, 1, -1, 0, 3, float("inf"), float("-inf"), "fro", "nuc", -2]
    kwargs: dict[str, Any] = {"ord": data.draw(st.sampled_from(orders))}
    count = data.draw(st.integers(0, min(2, x.values.ndim)))
    if count:
        dims = tuple({dim(data, x.values.ndim) for _ in range(count)})
        kwargs |= {"dim": dims[0] if len(dims) == 1 and data.draw(st.booleans()) else dims}
        kwargs["keepdim"] = data.draw(st.booleans())
    return Sample((x,), kwargs)


def _matrix_norm_sampler(data: Any) -> Sample:
    x = arg(data, shape(data, min_dims=2), data.draw(st.sampled_from(FLOATS)), special=True)
    ord = data.draw(st.sampled_from(["fro", 1, -1, float("inf"), float("-inf"), 2, "nuc", 3]))
    return Sample((x,), {"ord": ord, "keepdim": data.draw(st.booleans())})


def _singular_ties(sample: Sample) -> str | None:
    """Norms of order 2, -2 or "nuc" of a matrix with a 0 or repeated singular value:
    its singular vectors, so the subgradient, are LAPACK's choice (NumPy's and PyTorch's
    differ)."""
    ord, x = sample.kwargs.get("ord"), sample.args[0].values
    if ord not in (2, -2, "nuc") or x.ndim < 2 or not x.size or not np.isfinite(x).all():
        return None
    dim = sample.kwargs.get("dim", (-2, -1))
    if not (isinstance(dim, tuple) and len(dim) == 2) or dim[0] % x.ndim == dim[1] % x.ndim:
        return None
    values = np.linalg.svd(np.moveaxis(x.astype(np.float64), dim, (-2, -1)), compute_uv=False)
    if (values < 1e-6).any() or (np.abs(np.diff(values, axis=-1)) < 1e-6).any():
        return "a 0 or repeated singular value: the subgradient is LAPACK's choice"
    return None


def _welford_mean(sample: Sample) -> str | None:
    """PyTorch's var_mean/std_mean take the mean from Welford's running update: with an
    infinite element it is NaN or inf by the element's position; of equal values the
    variance is exactly 0 (descend's two-pass variance, as its ``var``, is rounding noise
    there, 1e-31 for values near 3)."""
    values = sample.args[0].values
    if np.isinf(values).any():
        return "var_mean/std_mean: PyTorch's Welford mean of infinite values"
    if values.size > 1 and np.all(values == values.flat[0]):
        return "var_mean/std_mean: PyTorch's Welford variance of equal values is exactly 0"
    if not values.size or not np.any(values):
        return None
    means = np.mean(values.astype(np.float64), axis=sample.kwargs.get("dim"))
    if np.any(means == 0):
        return "var_mean/std_mean: a mean of exactly 0 is PyTorch's Welford rounding (4e-17)"
    return None


def _dist_p0(sample: Sample) -> str | None:
    if sample.kwargs.get("p") == 0 and any(a.requires_grad for a in sample.args):
        return "PyTorch's own slips: dist's backward with p=0 fails"
    return None


IN_PLACE_FUNCTIONS = ("abs", "relu", "sigmoid", "tanh", "exp", "sqrt", "neg")


def _in_place_function(name: str) -> Any:
    def call(T: Any, F: Any, x: Any) -> Any:
        copy = x.clone()
        getattr(T, f"{name}_")(copy)
        return copy

    return call


def _softmin_sampler(data: Any) -> Sample:
    x = arg(data, shape(data), data.draw(st.sampled_from(ALL)), special=True)
    return Sample((x,), {"dim": dim(data, x.values.ndim)})


def _both(
    name: str, sampler: Any, rtol: float = 0.0, grad_rtol: float = 1e-6, known: Any = None
) -> list[OpInfo]:
    method = lambda T, F, x, *a, **k: getattr(x, name)(*a, **k)  # noqa: E731
    function = lambda T, F, x, *a, **k: getattr(T, name)(x, *a, **k)  # noqa: E731
    options: dict[str, Any] = {} if known is None else {"known": known}
    return [
        OpInfo(f"Tensor.{name}", method, sampler, rtol, grad_rtol, **options),
        OpInfo(f"nn.{name}", function, sampler, rtol, grad_rtol, **options),
    ]


def family() -> list[OpInfo]:
    ops = [
        *_both("histc", _histc_sampler),
        *_both("bincount", _bincount_sampler, SUMMING),
        *_both("unique", _unique_sampler, known=_nan_slices),
        *_both("masked_select", _masked_select_sampler),
        *_both("diff", _diff_sampler),
        *_both("atan2", _atan2_sampler, 1e-6, 1e-5, _negated_uint8),
        *_both("arctan2", _atan2_sampler, 1e-6, 1e-5, _negated_uint8),
        *_both("logit", _logit_sampler, 1e-6, 1e-5, _negative_zero),
        *_both("count_nonzero", _count_sampler),
        *_both("nansum", _reduced, SUMMING, 1e-5),
        *_both("nanmean", _reduced, SUMMING, 1e-5),
        OpInfo("Tensor.histogram", _histogram, _histogram_sampler, SUMMING),
        OpInfo(
            "nn.histogram",
            lambda T, F, x, b, **k: tuple(T.histogram(x, b, **k)),
            _histogram_sampler,
            SUMMING,
        ),
        *_both("det", _square_sampler, LAPACK, LAPACK),
        *_both("inverse", _square_sampler, LAPACK, LAPACK),
        OpInfo("nn.linalg.inv", lambda T, F, a: T.linalg.inv(a), _square_sampler, LAPACK, LAPACK),
        OpInfo("nn.linalg.det", lambda T, F, a: T.linalg.det(a), _square_sampler, LAPACK, LAPACK),
        OpInfo(
            "nn.linalg.eigvalsh",
            lambda T, F, a: T.linalg.eigvalsh(a),
            _square_sampler,
            LAPACK,
            LAPACK,
        ),
        OpInfo(
            "nn.linalg.solve",
            lambda T, F, a, b: T.linalg.solve(a, b),
            _solve_sampler,
            LAPACK,
            LAPACK,
        ),
        *_both("dist", _dist_sampler, SUMMING, 1e-5, _dist_p0),
        OpInfo(
            "nn.var_mean",
            lambda T, F, x, **k: T.var_mean(x, **k),
            _moments_sampler,
            SUMMING,
            1e-5,
            known=_welford_mean,
        ),
        OpInfo(
            "nn.std_mean",
            lambda T, F, x, **k: T.std_mean(x, **k),
            _moments_sampler,
            SUMMING,
            1e-5,
            known=_welford_mean,
        ),
        OpInfo("nn.clamp_", lambda T, F, x: T.clamp_(x.clone(), -1, 1), _reduced),
        OpInfo(
            "nn.linalg.vector_norm",
            lambda T, F, x, **k: T.linalg.vector_norm(x, **k),
            _norm_sampler,
            SUMMING,
            1e-5,
        ),
        OpInfo(
            "nn.linalg.norm",
            lambda T, F, x, **k: T.linalg.norm(x, **k),
            _norm_sampler,
            SUMMING,
            1e-5,
            known=_singular_ties,
        ),
        OpInfo(
            "nn.linalg.matrix_norm",
            lambda T, F, x, **k: T.linalg.matrix_norm(x, **k),
            _matrix_norm_sampler,
            SUMMING,
            1e-5,
            known=_singular_ties,
        ),
        OpInfo(
            "F.softmin", lambda T, F, x, **k: F.softmin(x, **k), _softmin_sampler, SUMMING, 1e-5
        ),
    ]
    for name in IN_PLACE_FUNCTIONS:
        ops.append(OpInfo(f"nn.{name}_", _in_place_function(name), _reduced, 1e-6, 1e-5))
    return ops


__all__ = ["family"]
