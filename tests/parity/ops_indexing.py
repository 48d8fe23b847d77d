"""Indexing and selections for the harness: reads and writes with every combination of
index kinds (int, slice with steps, None, ``...``, a list, an integer Tensor of 1 or 2
dimensions, a 0-d Tensor, a bool mask, a uint8 mask, a bool, a list of lists, a range, a
NumPy array of any integer dtype, an int8 or int16 Tensor, which PyTorch refuses), through
views and in place, with their gradients; gather, scatter, index_select, masked_fill,
where, clamp, the blends and the fills."""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import strategies as st

from tests.parity.opinfo import OpInfo
from tests.parity.ops_elementwise import in_place, with_via
from tests.parity.samples import ALL, FLOATS, Arg, Ints, Sample, arg, number, shape

KINDS = ("int", "int", "slice", "slice", "none", "ellipsis", "list", "tensor", "tensor2d",
         "zero_d", "mask", "uint8", "bool", "range", "numpy", "small_int")  # fmt: skip


def _index_entry(data: Any, size: int, kind: str) -> tuple[Any, int]:
    """One entry of an index for a dimension of ``size``: (entry, dims it consumes)."""
    rng = np.random.default_rng(data.draw(st.integers(0, 2**16)))
    if kind == "int":
        return data.draw(st.integers(-size - 1, size) if size else st.just(0)), 1
    if kind == "slice":
        start = data.draw(st.one_of(st.none(), st.integers(-size - 1, size + 1)))
        stop = data.draw(st.one_of(st.none(), st.integers(-size - 1, size + 1)))
        step = data.draw(
            st.sampled_from(
                [None, 1, 2, 3, -1] if data.draw(st.integers(0, 9)) == 0 else [None, 1, 2, 3]
            )
        )
        return slice(start, stop, step), 1
    if kind == "none":
        return None, 0
    if kind == "ellipsis":
        return Ellipsis, 0
    if kind == "bool":
        return data.draw(st.booleans()), 0
    count = data.draw(st.integers(0, 3))
    positions = rng.integers(-size, max(size, 1), count) if size else np.zeros(0, np.int64)
    if kind == "list":
        return [int(p) for p in positions], 1
    if kind == "tensor":
        return Ints(positions.astype(np.int64)), 1
    if kind == "tensor2d":
        return Ints(positions.astype(np.int64).reshape(1, -1)), 1
    if kind == "range":
        step = data.draw(st.sampled_from([1, 2, -1]))
        start = int(positions[0]) if positions.size else 0
        return range(start, start + step * count, step), 1
    if kind == "numpy":
        return positions.astype(data.draw(st.sampled_from(["int8", "int16", "int32", "uint16"]))), 1
    if kind == "small_int":
        return Ints(positions.astype(data.draw(st.sampled_from(["int8", "int16"])))), 1
    if kind == "zero_d":
        return Ints(np.array(int(positions[0]) if positions.size else 0)), 1
    mask = rng.random(size) < 0.5
    return Ints(mask.astype(np.uint8) if kind == "uint8" else mask), 1


def draw_index(data: Any, shape_: tuple[int, ...]) -> Any:
    """An index for a Tensor of ``shape_``: one entry or a tuple of them, or rarely a list
    holding lists (read as a tuple, with PyTorch's warning)."""
    entries: list[Any] = []
    dims = 0
    ellipsis = False
    for _ in range(data.draw(st.integers(1, max(len(shape_), 1) + 1))):
        kind = data.draw(st.sampled_from(KINDS))
        if kind == "ellipsis" and ellipsis:
            continue
        size = shape_[dims] if dims < len(shape_) else 0
        entry, used = _index_entry(data, size, kind)
        ellipsis |= entry is Ellipsis
        entries.append(entry)
        dims += used
    if len(entries) == 1 and data.draw(st.booleans()):
        return entries[0]
    if data.draw(st.integers(0, 14)) == 0 and all(isinstance(e, list) for e in entries):
        return entries  # a list of lists
    return tuple(entries)


def _getitem_sampler(data: Any) -> Sample:
    x = arg(data, shape(data, min_dims=1), data.draw(st.sampled_from(ALL)))
    return Sample((x, draw_index(data, x.values.shape)))


def _setitem_sampler(data: Any) -> Sample:
    sample = _getitem_sampler(data)
    x = sample.args[0]
    if data.draw(st.booleans()):
        value: Any = number(data)
    else:
        value = arg(
            data,
            data.draw(st.sampled_from([(), (1,), _tail(x.values.shape)])),
            data.draw(st.sampled_from(ALL)),
        )
    sample.args = (*sample.args, value)
    sample.kwargs["via"] = data.draw(st.sampled_from(["direct", "clone", "view"]))
    return sample


def _tail(shape_: tuple[int, ...]) -> tuple[int, ...]:
    return shape_[-1:]


def _getitem(T: Any, F: Any, x: Any, index: Any) -> Any:
    return x[index]


def _setitem(T: Any, F: Any, x: Any, index: Any, value: Any, via: str = "direct") -> Any:
    """``x[index] = value`` on the drawn Tensor, on a clone, or on a view of a clone."""
    if via == "direct":
        x[index] = value
        return x
    copy = x.clone()
    (copy if via == "clone" else copy[...])[index] = value
    return copy


def _gather_sampler(data: Any) -> Sample:
    x = arg(data, shape(data, min_dims=1), data.draw(st.sampled_from(ALL)))
    axis = data.draw(st.integers(-x.values.ndim, x.values.ndim - 1))
    shape_ = [data.draw(st.integers(0, n)) for n in x.values.shape]
    shape_[axis] = data.draw(st.integers(0, 3))
    size = x.values.shape[axis]
    rng = np.random.default_rng(data.draw(st.integers(0, 2**16)))
    index = rng.integers(0, max(size, 1) + data.draw(st.sampled_from([0, 0, 0, 1])), shape_)
    return Sample((x, axis, Ints(index.astype(np.int64))))


def _scatter_sampler(data: Any) -> Sample:
    sample = _gather_sampler(data)
    x, axis, index = sample.args
    if data.draw(st.booleans()):
        src: Any = number(data, ("int", "float"))
    else:
        src = arg(data, index.values.shape, str(x.values.dtype))
    return Sample((x, axis, index, src), {"via": data.draw(st.sampled_from(["direct", "clone"]))})


def _index_select_sampler(data: Any) -> Sample:
    x = arg(data, shape(data), data.draw(st.sampled_from(ALL)))
    axis = data.draw(st.integers(-max(x.values.ndim, 1), max(x.values.ndim, 1) - 1))
    size = x.values.shape[axis] if x.values.ndim else 1
    rng = np.random.default_rng(data.draw(st.integers(0, 2**16)))
    index = rng.integers(
        -1 if data.draw(st.integers(0, 9)) == 0 else 0, max(size, 1), data.draw(st.integers(0, 4))
    )
    return Sample((x, axis, Ints(index.astype(np.int64))))


def _mask_sampler(data: Any) -> Sample:
    x = arg(data, shape(data), data.draw(st.sampled_from(ALL)))
    rng = np.random.default_rng(data.draw(st.integers(0, 2**16)))
    own = x.values.shape[data.draw(st.integers(0, x.values.ndim)) :]
    mask = Ints(rng.random(own) < 0.5)
    value = (
        number(data) if data.draw(st.booleans()) else arg(data, (), data.draw(st.sampled_from(ALL)))
    )
    return Sample(
        (x, mask, value), {"via": data.draw(st.sampled_from(["direct", "clone", "view"]))}
    )


def _where_sampler(data: Any) -> Sample:
    first, second = shape(data), shape(data)
    rng = np.random.default_rng(data.draw(st.integers(0, 2**16)))
    condition = Ints(rng.random(first) < 0.5)
    a = arg(data, first[data.draw(st.integers(0, len(first))) :], data.draw(st.sampled_from(ALL)))
    tail = (
        first[data.draw(st.integers(0, len(first))) :] if data.draw(st.integers(0, 5)) else second
    )
    b = (
        number(data)
        if data.draw(st.booleans())
        else arg(data, tail, data.draw(st.sampled_from(ALL)))
    )
    return Sample((condition, a, b))


def _clamp_sampler(data: Any) -> Sample:
    x = arg(data, shape(data), data.draw(st.sampled_from(ALL)), special=True)
    low = data.draw(st.sampled_from([None, -1, -0.5, 0, "tensor"]))
    high = data.draw(st.sampled_from([None, 1, 0.5, 0, "tensor"]))
    bounds = [
        arg(data, x.values.shape[data.draw(st.integers(0, x.values.ndim)) :], str(x.values.dtype))
        if b == "tensor"
        else b
        for b in (low, high)
    ]
    return Sample((x, *bounds), {"via": data.draw(st.sampled_from(["direct", "clone", "view"]))})


def _blend_sampler(count: int) -> Any:
    def sampler(data: Any) -> Sample:
        dtype = data.draw(st.sampled_from(FLOATS))
        base = shape(data)
        parts = [
            arg(data, base[data.draw(st.integers(0, len(base))) :], dtype) for _ in range(count)
        ]
        kwargs: dict[str, Any] = {"via": data.draw(st.sampled_from(["direct", "clone", "view"]))}
        return Sample((arg(data, base, dtype), *parts), kwargs)

    return sampler


def _lerp_sampler(data: Any) -> Sample:
    sample = _blend_sampler(1)(data)
    start, end = sample.args
    weight = data.draw(st.sampled_from([0.25, 0.5, 0.75, -1.0, 2.0, "tensor"]))
    if weight == "tensor":
        weight = arg(data, start.values.shape, str(start.values.dtype), low=-1, high=2)
    sample.args = (start, end, weight)
    return sample


def _fill_sampler(data: Any) -> Sample:
    x = arg(data, shape(data), data.draw(st.sampled_from(ALL)))
    value = (
        number(data) if data.draw(st.booleans()) else arg(data, (), data.draw(st.sampled_from(ALL)))
    )
    return Sample((x, value), {"via": data.draw(st.sampled_from(["direct", "clone", "view"]))})


def _copy_sampler(data: Any) -> Sample:
    first, second = shape(data), shape(data)
    x = arg(data, first, data.draw(st.sampled_from(ALL)))
    src = arg(
        data,
        first[data.draw(st.integers(0, len(first))) :] if data.draw(st.integers(0, 5)) else second,
        data.draw(st.sampled_from(ALL)),
    )
    return Sample((x, src), {"via": data.draw(st.sampled_from(["direct", "clone", "view"]))})


def _nan_sampler(data: Any) -> Sample:
    x = arg(data, shape(data), data.draw(st.sampled_from(ALL)), special=True)
    kwargs: dict[str, Any] = {"via": data.draw(st.sampled_from(["direct", "clone", "view"]))}
    for key in ("nan", "posinf", "neginf"):
        if data.draw(st.booleans()):
            kwargs[key] = data.draw(st.sampled_from([0.0, 1.5, -2.0]))
    return Sample((x,), kwargs)


def _method(name: str) -> Any:
    def call(T: Any, F: Any, x: Any, *args: Any, **kwargs: Any) -> Any:
        return getattr(x, name)(*args, **kwargs)

    return call


def _function(name: str) -> Any:
    def call(T: Any, F: Any, *args: Any, **kwargs: Any) -> Any:
        kwargs.pop("via", None)
        return getattr(T, name)(*args, **kwargs)

    return call


def _no_via(call: Any) -> Any:
    def without(T: Any, F: Any, *args: Any, via: str = "", **kwargs: Any) -> Any:
        return call(T, F, *args, **kwargs)

    return without


def _where_method(T: Any, F: Any, condition: Any, a: Any, b: Any) -> Any:
    return a.where(condition, b) if isinstance(a, (T.Tensor,)) else T.where(condition, a, b)


def family() -> list[OpInfo]:
    ops = [
        OpInfo("Tensor.__getitem__", _getitem, _getitem_sampler),
        OpInfo("Tensor.__setitem__", _setitem, _setitem_sampler, known=_write_known),
        OpInfo("Tensor.gather", _method("gather"), _gather_sampler),
        OpInfo("nn.gather", _function("gather"), _gather_sampler),
        OpInfo(
            "Tensor.index_select",
            _method("index_select"),
            _index_select_sampler,
        ),
        OpInfo("nn.index_select", _function("index_select"), _index_select_sampler),
        OpInfo("Tensor.masked_fill", _no_via(_method("masked_fill")), _mask_sampler),
        OpInfo("nn.masked_fill", _function("masked_fill"), _mask_sampler),
        OpInfo("Tensor.masked_fill_", in_place("masked_fill_"), _mask_sampler, known=_write_known),
        OpInfo("Tensor.where", _where_method, _where_sampler),
        OpInfo("nn.where", _function("where"), _where_sampler),
        OpInfo("Tensor.fill_", in_place("fill_"), _fill_sampler, known=_int_with_grad),
        OpInfo(
            "Tensor.zero_",
            in_place("zero_"),
            with_via(
                lambda data: Sample((arg(data, shape(data), data.draw(st.sampled_from(ALL))),))
            ),
        ),
        OpInfo("Tensor.copy_", in_place("copy_"), _copy_sampler),
        OpInfo(
            "Tensor.nonzero",
            _method("nonzero"),
            lambda data: Sample((arg(data, shape(data), data.draw(st.sampled_from(ALL))),)),
        ),
        OpInfo(
            "nn.nonzero",
            _function("nonzero"),
            lambda data: Sample((arg(data, shape(data), data.draw(st.sampled_from(ALL))),)),
        ),
    ]
    for name in ("scatter", "scatter_add"):
        ops.append(OpInfo(f"Tensor.{name}", _no_via(_method(name)), _scatter_sampler))
        ops.append(OpInfo(f"nn.{name}", _function(name), _scatter_sampler))
        ops.append(OpInfo(f"Tensor.{name}_", in_place(f"{name}_"), _scatter_sampler))
    for name in ("clamp", "clip"):
        ops.append(OpInfo(f"Tensor.{name}", _no_via(_method(name)), _clamp_sampler))
        ops.append(OpInfo(f"nn.{name}", _function(name), _clamp_sampler))
        ops.append(
            OpInfo(f"Tensor.{name}_", in_place(f"{name}_"), _clamp_sampler, known=_bounds_in_place)
        )
    for name, keep in (("clamp_min", 0), ("clamp_max", 1)):
        sampler = _one_bound(keep)
        ops.append(OpInfo(f"Tensor.{name}", _no_via(_method(name)), sampler))
        ops.append(OpInfo(f"nn.{name}", _function(name), sampler))
        ops.append(OpInfo(f"Tensor.{name}_", in_place(f"{name}_"), sampler, known=_bounds_in_place))
    for name, sampler in (
        ("lerp", _lerp_sampler),
        ("addcmul", _blend_sampler(2)),
        ("addcdiv", _blend_sampler(2)),
    ):
        ops.append(OpInfo(f"Tensor.{name}", _no_via(_method(name)), sampler, 1e-6))
        ops.append(OpInfo(f"nn.{name}", _function(name), sampler, 1e-6))
        ops.append(OpInfo(f"Tensor.{name}_", in_place(f"{name}_"), sampler, 1e-6))
    ops.append(OpInfo("Tensor.nan_to_num", _no_via(_method("nan_to_num")), _nan_sampler))
    ops.append(OpInfo("nn.nan_to_num", _function("nan_to_num"), _nan_sampler))
    ops.append(OpInfo("Tensor.nan_to_num_", in_place("nan_to_num_"), _nan_sampler))
    return ops


def _int_with_grad(sample: Sample) -> str | None:
    """PyTorch's ``masked_fill_`` and ``fill_`` of an integer Tensor with a value that
    requires grad give the integer Tensor a grad_fn; descend refuses or leaves it without
    (decisions.md, "PyTorch's own slips")."""
    x, value = sample.args[0], sample.args[-1]
    if x.values.dtype.kind not in "f" and isinstance(value, Arg) and value.requires_grad:
        return "PyTorch's own slips: an integer Tensor with a grad_fn"
    return None


def _write_known(sample: Sample) -> str | None:
    """``_int_with_grad``, and a recorded write into an expanded Tensor (decisions.md, "A
    recorded write into an expanded Tensor")."""
    x, value = sample.args[0], sample.args[-1]
    recorded = x.requires_grad or (isinstance(value, Arg) and value.requires_grad)
    if x.layout == "expanded" and recorded:
        return "a recorded write into an expanded Tensor"
    return _int_with_grad(sample)


def _bounds_in_place(sample: Sample) -> str | None:
    """PyTorch's ``clamp_`` with bounds that require grad differentiates them against the
    clamped values (so a bound that was hit gets no gradient); descend gives PyTorch's
    out-of-place gradient (decisions.md, "PyTorch's own slips")."""
    if any(isinstance(b, Arg) and b.requires_grad for b in sample.args[1:]):
        return "PyTorch's own slips: the gradient of clamp_'s Tensor bounds"
    return None


def _one_bound(keep: int) -> Any:
    def sampler(data: Any) -> Sample:
        sample = _clamp_sampler(data)
        bound = sample.args[1 + keep]
        if bound is None:
            bound = 0.5
        sample.args = (sample.args[0], bound)
        return sample

    return sampler


__all__ = ["Arg", "draw_index", "family"]
