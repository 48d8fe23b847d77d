"""The harness's entries for the ops made of other ops (nn/tensor/composites.py: the fused
products, kron, cross, tensordot, rot90, take, repeat_interleave, index_add...) and the
order statistics (median, kthvalue, cummax, searchsorted...): values, dtypes, errors and
gradients against PyTorch, through views and in place."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np
from hypothesis import strategies as st

from tests.parity.opinfo import OpInfo
from tests.parity.ops_elementwise import in_place, with_via
from tests.parity.samples import (
    ALL,
    FLOATS,
    SUMMING,
    Arg,
    Ints,
    Sample,
    arg,
    broadcast_shapes,
    dim,
    shape,
)


def _rng(data: Any) -> np.random.Generator:
    return np.random.default_rng(data.draw(st.integers(0, 2**32 - 1)))


# ------------------------------------------------------------------ fused products
def _fused_sampler(kind: str) -> Any:
    """input, the two factors and beta/alpha: sizes of 0 to 3 (rarely a wrong one), an input
    that broadcasts, NaN in it sometimes (beta = 0 must ignore it), integers sometimes."""

    def sampler(data: Any) -> Sample:
        dtype = data.draw(st.sampled_from([*FLOATS, *FLOATS, "int64"]))
        b, n, m, k = (data.draw(st.integers(0, 3)) for _ in range(4))
        wrong = int(data.draw(st.integers(0, 14)) == 0)
        factors = {
            "addmm": ((n, k), (k + wrong, m), (n, m)),
            "addmv": ((n, k), (k + wrong,), (n,)),
            "addr": ((n,), (m,), (n + wrong, m)),
            "baddbmm": ((b, n, k), (b, k + wrong, m), (b, n, m)),
            "addbmm": ((b, n, k), (b, k + wrong, m), (n, m)),
        }[kind]
        full = factors[2]
        out_shape = data.draw(st.sampled_from([full, full, full[1:], (1,) * len(full), ()]))
        special = data.draw(st.booleans())
        first = arg(data, out_shape, dtype, special=special)
        beta = data.draw(st.sampled_from([1, 1, 0, 0.5, 2]))
        alpha = data.draw(st.sampled_from([1, 1, -2, 0.5]))
        if dtype == "int64":  # (float scales for integers: PyTorch truncates or refuses,
            beta, alpha = int(beta), int(alpha)  # by path; docs/decisions.md)
        args = (first, arg(data, factors[0], dtype), arg(data, factors[1], dtype))
        return Sample(args, {"beta": beta, "alpha": alpha})

    return sampler


def _pair_sampler(kind: str) -> Any:
    def sampler(data: Any) -> Sample:
        dtype = data.draw(st.sampled_from([*FLOATS, *FLOATS, "int64"]))
        second_dtype = data.draw(st.sampled_from([dtype, dtype, dtype, *FLOATS]))
        kwargs: dict[str, Any] = {}
        if kind == "kron":
            shapes = [shape(data, max_dims=2), shape(data, max_dims=3)]
        elif kind == "cross":
            left, right = broadcast_shapes(data)
            side = data.draw(st.integers(0, max(len(left), len(right))))
            left, right = (tuple(s[:side]) + (3,) + tuple(s[side:]) for s in (left, right))
            ndim = max(len(left), len(right))
            left, right = ((1,) * (ndim - len(s)) + s for s in (left, right))
            shapes = [left, right]
            if data.draw(st.booleans()):
                kwargs["dim"] = side - ndim if data.draw(st.booleans()) else ndim - len(left) + side
        elif kind == "inner":
            k = data.draw(st.integers(0, 3))
            wrong = int(data.draw(st.integers(0, 14)) == 0)
            shapes = [shape(data, max_dims=2) + (k,), shape(data, max_dims=1) + (k + wrong,)]
            if data.draw(st.integers(0, 5)) == 0:
                shapes[data.draw(st.integers(0, 1))] = ()
        else:  # vdot
            n = data.draw(st.integers(0, 4))
            shapes = [(n,), (n + int(data.draw(st.integers(0, 14)) == 0),)]
        return Sample((arg(data, shapes[0], dtype), arg(data, shapes[1], second_dtype)), kwargs)

    return sampler


def _tensordot_sampler(data: Any) -> Sample:
    contracted = [data.draw(st.integers(1, 3)) for _ in range(data.draw(st.integers(0, 2)))]
    free_a, free_b = shape(data, max_dims=2, min_side=1), shape(data, max_dims=2, min_side=1)
    a_dims = list(range(len(free_a), len(free_a) + len(contracted)))
    if data.draw(st.booleans()):  # the last dims of a, the first of b: dims=n
        a = Arg(_rng(data).uniform(-2, 2, free_a + tuple(contracted)))
        b = Arg(_rng(data).uniform(-2, 2, tuple(contracted) + free_b), requires_grad=True)
        return Sample((a, b), {"dims": len(contracted)})
    order = data.draw(st.permutations(range(len(contracted))))
    b_shape = tuple(contracted[i] for i in order) + free_b
    a = Arg(_rng(data).uniform(-2, 2, free_a + tuple(contracted)), requires_grad=True)
    b = Arg(_rng(data).uniform(-2, 2, b_shape))
    b_dims = [order.index(i) for i in range(len(contracted))]
    return Sample((a, b), {"dims": (a_dims, b_dims)})


# ------------------------------------------------------------------ views and copies
def _any(data: Any, min_dims: int = 0) -> Arg:
    return arg(data, shape(data, min_dims=min_dims), data.draw(st.sampled_from(ALL)))


def _rot90_sampler(data: Any) -> Sample:
    x = _any(data, min_dims=data.draw(st.sampled_from([2, 2, 2, 1])))
    ndim = max(x.values.ndim, 1)
    dims = [dim(data, ndim), dim(data, ndim)]
    return Sample((x, data.draw(st.integers(-2, 5)), dims))


def _tensor_split_sampler(data: Any) -> Sample:
    x = _any(data, min_dims=1)
    axis = dim(data, x.values.ndim)
    size = x.values.shape[axis]
    if data.draw(st.booleans()):
        return Sample((x, data.draw(st.integers(0, 4))), {"dim": axis})
    points = sorted(data.draw(st.lists(st.integers(-size - 1, size + 2), max_size=3)))
    given: Any = Ints(np.asarray(points, dtype=np.int64)) if data.draw(st.booleans()) else points
    return Sample((x, given), {"dim": axis})


def _take_sampler(data: Any) -> Sample:
    x = _any(data)
    count = max(x.values.size, 1)
    positions = _rng(data).integers(-count, count, shape(data, max_dims=2))
    return Sample((x, Ints(positions.astype(np.int64))))


def _take_along_sampler(data: Any) -> Sample:
    x = _any(data, min_dims=1)
    if data.draw(st.integers(0, 3)) == 0:
        count = max(x.values.size, 1)
        return Sample((x, Ints(_rng(data).integers(0, count, (3,)))))
    axis = dim(data, x.values.ndim)
    sides = [1 if data.draw(st.booleans()) else n for n in x.values.shape]
    sides[axis] = data.draw(st.integers(0, 3))
    top = max(x.values.shape[axis], 1)
    index = _rng(data).integers(-top, top, sides).astype(np.int64)
    return Sample((x, Ints(index)), {"dim": axis})


def _repeat_interleave_sampler(data: Any) -> Sample:
    x = _any(data)
    kwargs: dict[str, Any] = {}
    size = x.values.size
    if x.values.ndim and data.draw(st.booleans()):
        kwargs["dim"] = dim(data, x.values.ndim)
        size = x.values.shape[kwargs["dim"]]
    if data.draw(st.booleans()):
        return Sample((x, data.draw(st.integers(0, 3))), kwargs)
    counts = _rng(data).integers(0, 3, data.draw(st.sampled_from([size, size, 1])))
    return Sample((x, Ints(counts.astype(np.int64))), kwargs)


def _broadcast_to_sampler(data: Any) -> Sample:
    own, target = broadcast_shapes(data)
    full = np.broadcast_shapes(own, target)
    return Sample((arg(data, own, data.draw(st.sampled_from(ALL))), tuple(full)))


def _counts_or_not(data: Any) -> Sample:
    """``repeat_interleave``'s arguments, or (as the function alone takes) counts alone."""
    if data.draw(st.integers(0, 3)):
        return _repeat_interleave_sampler(data)
    return Sample((Ints(_rng(data).integers(0, 3, data.draw(st.integers(0, 4)))),))


# ------------------------------------------------------------------ writes at indices
def _index_write_sampler(kind: str) -> Any:
    def sampler(data: Any) -> Sample:
        dtype = data.draw(st.sampled_from([*FLOATS, *FLOATS, "int64"]))
        x = arg(data, shape(data, min_dims=1, min_side=1), dtype)
        axis = dim(data, x.values.ndim)
        size = x.values.shape[axis]
        count = data.draw(st.integers(0, size))
        rng = _rng(data)
        if kind == "copy":  # (distinct: PyTorch leaves repeated writes undefined)
            positions = rng.permutation(size)[:count]
        else:
            positions = rng.integers(0, size, count)
        index = Ints(positions.astype(np.int64))
        if kind == "fill":
            value: Any = data.draw(st.sampled_from([1.5, -2, 0]))
            if data.draw(st.booleans()):
                value = arg(data, (), dtype)
            return Sample((x, axis, index, value))
        source_shape = list(x.values.shape)
        source_shape[axis] = count
        source = arg(data, tuple(source_shape), dtype)
        kwargs = {"alpha": data.draw(st.sampled_from([1, 2]))} if kind == "add" else {}
        return Sample((x, axis, index, source), kwargs)

    return sampler


def _fill_diagonal_sampler(data: Any) -> Sample:
    ndim = data.draw(st.sampled_from([2, 2, 3]))
    sides = shape(data, min_dims=2, max_dims=2) if ndim == 2 else (2, 2, 2)
    x = arg(data, sides, data.draw(st.sampled_from([*FLOATS, "int64"])))
    return Sample((x, data.draw(st.sampled_from([7, -1.5]))), {"wrap": data.draw(st.booleans())})


def _triangle_sampler(data: Any) -> Sample:
    x = arg(data, shape(data, min_dims=2), data.draw(st.sampled_from(ALL)))
    return Sample((x, data.draw(st.integers(-2, 2))))


# ------------------------------------------------------------------ order statistics
def _distinct_sampler(data: Any) -> Sample:
    """Values without ties (PyTorch picks any of equal elements: its index is not a rule),
    at most one NaN, a dim and keepdim sometimes."""
    sides = shape(data)
    dtype = data.draw(st.sampled_from([*FLOATS, *FLOATS, "int64"]))
    count = int(np.prod(sides))
    values = _rng(data).permutation(count).reshape(sides).astype(dtype)
    if dtype != "int64" and count and data.draw(st.booleans()):
        values = values / 2 - 1
        if data.draw(st.booleans()):
            values.flat[data.draw(st.integers(0, count - 1))] = np.nan
    layout = data.draw(st.sampled_from(["contiguous", "transposed", "strided"]))
    x = Arg(values, layout, dtype != "int64" and data.draw(st.booleans()))
    if not sides or data.draw(st.integers(0, 3)) == 0:
        return Sample((x,))
    return Sample((x, dim(data, len(sides)), data.draw(st.booleans())))


def _kth_sampler(data: Any) -> Sample:
    sample = _distinct_sampler(data)
    x = sample.args[0]
    axis = sample.args[1] if len(sample.args) > 1 else -1
    size = x.values.shape[axis] if x.values.ndim else 1
    k = data.draw(st.integers(0, size + 1))
    return Sample((x, k, axis, len(sample.args) > 2 and sample.args[2]))


def _running_sampler(data: Any) -> Sample:
    x = arg(data, shape(data), data.draw(st.sampled_from(ALL)), special=True)
    return Sample((x, dim(data, x.values.ndim)))


def _searchsorted_sampler(data: Any) -> Sample:
    dtype = data.draw(st.sampled_from([*FLOATS, "int64"]))
    rng = _rng(data)
    batch = shape(data, max_dims=1, min_side=1) if data.draw(st.booleans()) else ()
    rows = np.sort(np.round(rng.uniform(-3, 3, batch + (data.draw(st.integers(0, 5)),)) * 2) / 2)
    kwargs: dict[str, Any] = {"right": data.draw(st.booleans())}
    if data.draw(st.booleans()):
        kwargs["out_int32"] = True
    values: Any = np.round(rng.uniform(-4, 4, batch + (data.draw(st.integers(0, 3)),)) * 2) / 2
    if not batch and data.draw(st.integers(0, 4)) == 0:
        return Sample((Arg(rows.astype(dtype)), float(values.flat[0]) if values.size else 0.5))
    return Sample((Arg(rows.astype(dtype)), Arg(values.astype(dtype))), kwargs)


def _bucketize_sampler(data: Any) -> Sample:
    sample = _searchsorted_sampler(data)
    boundaries, values = sample.args
    if boundaries.values.ndim != 1 or not isinstance(values, Arg):
        return Sample((Arg(np.zeros(2)), Arg(np.sort(np.arange(3.0)))))
    return Sample((values, boundaries), sample.kwargs)


def _isin_sampler(data: Any) -> Sample:
    dtype = data.draw(st.sampled_from(["int64", "float64"]))
    rng = _rng(data)
    elements = Arg(rng.integers(0, 5, shape(data)).astype(dtype))
    tests = Arg(rng.integers(0, 5, shape(data, max_dims=1)).astype(dtype))
    return Sample((elements, tests), {"invert": data.draw(st.booleans())})


def _kron_strided(sample: Sample) -> str | None:
    if any(a.layout != "contiguous" for a in sample.args):
        return "PyTorch's kron views its inputs: a strided one refuses (descend's reshapes)"
    return None


def _addmv_empty(sample: Sample) -> str | None:
    if sample.args[1].values.size == 0:
        return "PyTorch's addmv of an empty matrix: its result's shape depends on beta, and "
        "its backward fails (descend: beta * input, in the input's shape)"
    return None


def _index_outside(sample: Sample) -> str | None:
    x, axis, index = sample.args[0], sample.args[1], sample.args[2]
    size = x.values.shape[axis] if x.values.ndim else 1
    if sample.kwargs.get("via") == "view" and (index.values >= min(size, 1)).any():
        return "an index outside the view: PyTorch's error type depends on the dim"
    return None


def _empty_block(sample: Sample) -> str | None:
    if any(a.values.shape == (0,) for a in sample.args[:-1]):
        return "PyTorch's block_diag backward misplaces the gradients after an empty 1-D block"
    return None


def _expanded(sample: Sample) -> str | None:
    if sample.args[0].layout == "expanded" and sample.kwargs.get("via") == "direct":
        return "descend refuses any in-place write into an expanded Tensor; PyTorch's may write"
    return None


def _tied_ranks(sample: Sample) -> str | None:
    """Which of equal elements PyTorch's sort puts first above 16 elements is unspecified
    (its sort is not stable there), and the gradient of a quantile follows that pick."""
    x = sample.args[0]
    if x.requires_grad and x.values.size > 16 and np.unique(x.values).size < x.values.size:
        return "unspecified in PyTorch: which of tied elements its unstable sort ranks first"
    return None


def _tied_largest(sample: Sample) -> str | None:
    """cdist(p=inf) of rows whose largest differences tie: PyTorch's cdist backward gives
    each tied coordinate the whole gradient, its vector_norm (and descend) splits it."""
    if sample.kwargs.get("p") != np.inf:
        return None
    a, b = sample.args[0].values, sample.args[1].values
    try:  # (samples that PyTorch refuses do not broadcast)
        gaps = np.abs(a[..., :, None, :] - b[..., None, :, :])
    except ValueError:
        return None
    largest = gaps.max(-1, keepdims=True) if gaps.size else gaps
    if gaps.size and np.any((gaps == largest).sum(-1) > 1):
        return "cdist(p=inf) at tied largest differences: PyTorch's cdist gives each the gradient"
    return None


def _quantile_sampler(data: Any) -> Sample:
    dtype = data.draw(st.sampled_from([*FLOATS, *FLOATS, "int64"]))
    x = arg(data, shape(data), dtype, special=True)
    if data.draw(st.booleans()):
        q: Any = data.draw(st.sampled_from([0.0, 0.25, 0.5, 0.7, 1.0, 1.5]))
    else:
        levels = _rng(data).choice([0.0, 0.1, 0.5, 0.75, 1.0], data.draw(st.integers(0, 3)))
        q = Arg(levels.astype(data.draw(st.sampled_from([dtype, dtype, "float64"]))))
    kwargs: dict[str, Any] = {
        "interpolation": data.draw(
            st.sampled_from(["linear", "linear", "lower", "higher", "midpoint", "nearest"])
        )
    }
    if x.values.ndim and data.draw(st.booleans()):
        kwargs["dim"] = dim(data, x.values.ndim)
        kwargs["keepdim"] = data.draw(st.booleans())
    return Sample((x, q), kwargs)


def _running_float_sampler(data: Any) -> Sample:
    x = arg(data, shape(data), data.draw(st.sampled_from(ALL)), special=True, low=-30, high=30)
    return Sample((x, dim(data, x.values.ndim)))


def _cdist_sampler(data: Any) -> Sample:
    """Rows on either side: up to 3, or 24 to 28 (PyTorch's p = 2 takes one matrix product
    past 25); a batch broadcast or not; now and then mixed dtypes or a compute_mode."""
    batch = shape(data, max_dims=1, min_side=1)
    m = data.draw(st.integers(0, 3))
    rows = st.one_of(st.integers(0, 3), st.integers(24, 28))
    first = batch + (data.draw(rows), m)
    second = data.draw(st.sampled_from([batch, batch, ()]))
    second += (data.draw(rows), m + int(data.draw(st.integers(0, 14)) == 0))
    dtype = data.draw(st.sampled_from(FLOATS))
    other = data.draw(st.sampled_from([dtype] * 9 + list(FLOATS)))
    p = data.draw(st.sampled_from([2.0, 2.0, 2.0, 1.0, 0.0, 3.0, float("inf")]))
    kwargs: dict[str, Any] = {"p": p}
    if data.draw(st.integers(0, 3)) == 0:
        kwargs["compute_mode"] = data.draw(
            st.sampled_from(
                [
                    "use_mm_for_euclid_dist_if_necessary",
                    "use_mm_for_euclid_dist",
                    "donot_use_mm_for_euclid_dist",
                ]
            )
        )
    return Sample((arg(data, first, dtype), arg(data, second, other)), kwargs)


def _triangle_indices_sampler(data: Any) -> Sample:
    row, col = data.draw(st.integers(0, 4)), data.draw(st.integers(0, 4))
    return Sample((row, col, data.draw(st.integers(-3, 3))))


def _blocks_sampler(data: Any) -> Sample:
    count = data.draw(st.integers(1, 3))
    dtypes = [data.draw(st.sampled_from([*FLOATS, "int64"])) for _ in range(count)]
    return Sample(tuple(arg(data, shape(data, max_dims=2), d) for d in dtypes))


def _vectors_sampler(data: Any) -> Sample:
    count = data.draw(st.integers(1, 3))
    dtype = data.draw(st.sampled_from([*FLOATS, "int64"]))
    return Sample(tuple(arg(data, (data.draw(st.integers(0, 3)),), dtype) for _ in range(count)))


def _combinations_sampler(data: Any) -> Sample:
    x = arg(data, (data.draw(st.integers(0, 4)),), data.draw(st.sampled_from([*FLOATS, "int64"])))
    return Sample((x, data.draw(st.integers(0, 3))), {"with_replacement": data.draw(st.booleans())})


def _attention_sampler(data: Any) -> Sample:
    batch = shape(data, max_dims=2, min_side=1)
    length, source = data.draw(st.integers(1, 3)), data.draw(st.integers(1, 3))
    width, out = data.draw(st.integers(1, 4)), data.draw(st.integers(1, 3))
    dtype = data.draw(st.sampled_from(FLOATS))
    args = (
        arg(data, batch + (length, width), dtype),
        arg(data, batch + (source, width), dtype),
        arg(data, batch + (source, out), dtype),
    )
    kwargs: dict[str, Any] = {}
    kind = data.draw(st.sampled_from(["none", "causal", "bool", "float", "scale"]))
    rng = _rng(data)
    if kind == "causal":
        kwargs["is_causal"] = True
    elif kind == "bool":
        kwargs["attn_mask"] = Ints(rng.random((length, source)) < 0.7)
    elif kind == "float":
        bias = rng.standard_normal((length, source))
        bias[rng.random((length, source)) < 0.2] = -np.inf
        kwargs["attn_mask"] = Arg(bias.astype(dtype))
    elif kind == "scale":
        kwargs["scale"] = data.draw(st.sampled_from([0.5, 2.0]))
    return Sample(args, kwargs)


# ------------------------------------------------------------------ the table
def _method(name: str) -> Any:
    return lambda T, F, x, *a, **k: getattr(x, name)(*a, **k)


def _function(name: str) -> Any:
    return lambda T, F, *a, **k: getattr(T, name)(*a, **k)


def _both(name: str, sampler: Any, rtol: float = 0.0, **options: Any) -> list[OpInfo]:
    if options.get("known") is None:
        options.pop("known", None)
    return [
        OpInfo(f"Tensor.{name}", _method(name), sampler, rtol, **options),
        OpInfo(f"nn.{name}", _function(name), sampler, rtol, **options),
    ]


# The ops made of other ops save what their parts save, not what PyTorch's own kernels
# save: after an input or output changed in place, or at a second backward, one framework
# may refuse where the other computes (the right gradient: each part checks what it saved).
# docs/decisions.md, "Ops made of other ops".
COMPOSITE = {"stale": False}


def family() -> list[OpInfo]:
    ops: list[OpInfo] = []
    for kind in ("addmm", "addmv", "addr", "baddbmm", "addbmm"):
        known = _addmv_empty if kind == "addmv" else None
        ops += _both(kind, _fused_sampler(kind), SUMMING, known=known, **COMPOSITE)
    for kind in ("kron", "inner", "vdot"):
        known = _kron_strided if kind == "kron" else None
        ops += _both(kind, _pair_sampler(kind), SUMMING, known=known, **COMPOSITE)
    ops += _both("cross", _pair_sampler("cross"), SUMMING)
    linalg_cross = lambda T, F, a, b, **k: T.linalg.cross(a, b, **k)  # noqa: E731
    ops.append(OpInfo("nn.linalg.cross", linalg_cross, _pair_sampler("cross")))
    tensordot = _function("tensordot")
    ops.append(OpInfo("nn.tensordot", tensordot, _tensordot_sampler, SUMMING, **COMPOSITE))
    for name in ("fliplr", "flipud", "argwhere", "msort"):
        ops += _both(name, lambda data: Sample((_any(data),)), **COMPOSITE)
    ops += _both("rot90", _rot90_sampler, **COMPOSITE)
    ops += _both("tensor_split", _tensor_split_sampler, **COMPOSITE)
    ops += _both("take", _take_sampler, **COMPOSITE)
    ops += _both("take_along_dim", _take_along_sampler, **COMPOSITE)
    repeat = _method("repeat_interleave")
    ops.append(OpInfo("Tensor.repeat_interleave", repeat, _repeat_interleave_sampler, **COMPOSITE))
    repeat = _function("repeat_interleave")
    ops.append(OpInfo("nn.repeat_interleave", repeat, _counts_or_not, **COMPOSITE))
    ops.append(OpInfo("Tensor.broadcast_to", _method("broadcast_to"), _broadcast_to_sampler))
    for kind in ("add", "copy", "fill"):
        sampler, name = _index_write_sampler(kind), f"index_{kind}_"
        ops += _both(f"index_{kind}", sampler, **COMPOSITE)
        writes, sampler = in_place(name), with_via(sampler)
        known = lambda sample: _expanded(sample) or _index_outside(sample)  # noqa: E731
        ops.append(OpInfo(f"Tensor.{name}", writes, sampler, known=known, **COMPOSITE))
    fill = in_place("fill_diagonal_")
    ops.append(OpInfo("Tensor.fill_diagonal_", fill, with_via(_fill_diagonal_sampler), **COMPOSITE))
    for name in ("tril_", "triu_"):
        triangle = in_place(name)
        ops.append(
            OpInfo(
                f"Tensor.{name}",
                triangle,
                with_via(_triangle_sampler),
                known=_expanded,
                **COMPOSITE,
            )
        )
    for name in ("median", "nanmedian"):
        ops += _both(name, _distinct_sampler)
    ops += _both("kthvalue", _kth_sampler)
    for name in ("cummax", "cummin"):
        ops += _both(name, _running_sampler)
    ops.append(OpInfo("nn.searchsorted", _function("searchsorted"), _searchsorted_sampler))
    ops.append(OpInfo("nn.bucketize", _function("bucketize"), _bucketize_sampler))
    ops.append(OpInfo("nn.isin", _function("isin"), _isin_sampler))
    for name in ("quantile", "nanquantile"):
        ops += _both(name, _quantile_sampler, SUMMING, known=_tied_ranks, **COMPOSITE)
    ops += _both("logcumsumexp", _running_float_sampler, 1e-6)
    cdist = OpInfo("nn.cdist", _function("cdist"), _cdist_sampler, SUMMING, **COMPOSITE)
    ops.append(replace(cdist, known=_tied_largest))
    for name in ("tril_indices", "triu_indices"):
        ops.append(OpInfo(f"nn.{name}", _function(name), _triangle_indices_sampler))
    blocks = _function("block_diag")
    ops.append(OpInfo("nn.block_diag", blocks, _blocks_sampler, known=_empty_block, **COMPOSITE))
    product = _function("cartesian_prod")
    ops.append(OpInfo("nn.cartesian_prod", product, _vectors_sampler, **COMPOSITE))
    choose = _function("combinations")
    ops.append(OpInfo("nn.combinations", choose, _combinations_sampler, **COMPOSITE))
    attention = lambda T, F, *a, **k: F.scaled_dot_product_attention(*a, **k)  # noqa: E731
    ops.append(
        OpInfo(
            "F.scaled_dot_product_attention", attention, _attention_sampler, SUMMING, **COMPOSITE
        )
    )
    return ops


__all__ = ["family"]
