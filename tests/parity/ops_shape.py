"""Shape ops for the harness: views (reshape, permute, transpose, expand, narrow, select,
chunk, split, unbind...) and copies (repeat, flip, roll, tril...), their in-place forms, and
joining, over every layout: whether a result is a view or a copy, and what backward refuses
after an in-place change, are compared with PyTorch's, as are the errors of bad sizes and
dims (negative, out of range, repeated)."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from tests.parity.opinfo import OpInfo
from tests.parity.ops_elementwise import in_place, with_via
from tests.parity.samples import ALL, Arg, Sample, arg, broadcast_shapes, dim, shape


def _tensor(data: Any, min_dims: int = 0, max_dims: int = 3) -> Arg:
    return arg(
        data, shape(data, min_dims=min_dims, max_dims=max_dims), data.draw(st.sampled_from(ALL))
    )


def _target_shape(data: Any, n: int) -> tuple[int, ...]:
    """A shape of ``n`` elements (one -1 inferred, sometimes), or a wrong one (rarely)."""
    if data.draw(st.integers(0, 9)) == 0:
        return (n + 1,)
    sides: list[int] = []
    rest = n
    for _ in range(data.draw(st.integers(0, 3))):
        divisors = [d for d in range(1, 5) if rest % d == 0] if rest else [0, 1, 2]
        side = data.draw(st.sampled_from(divisors))
        sides.append(side)
        rest = rest // side if side else 0
    if rest != 1 or not sides:
        sides.append(rest)
    if data.draw(st.booleans()) and n:
        sides[data.draw(st.integers(0, len(sides) - 1))] = -1
    return tuple(sides)


def _reshape_sampler(data: Any) -> Sample:
    x = _tensor(data)
    return Sample((x, _target_shape(data, x.values.size)))


def _dim_sampler(count: int = 1, extra: int = 0) -> Any:
    """A Tensor and ``count`` dims (``extra``: dims of a result with that many more)."""

    def sampler(data: Any) -> Sample:
        x = _tensor(data)
        dims = tuple(dim(data, x.values.ndim + extra) for _ in range(count))
        if data.draw(st.integers(0, 14)) == 0:
            dims = (*dims[:-1], x.values.ndim + extra + 1)  # out of range
        return Sample((x, *dims))

    return sampler


def _permute_sampler(data: Any) -> Sample:
    x = _tensor(data)
    order = list(data.draw(st.permutations(range(x.values.ndim))))
    if order and data.draw(st.booleans()):
        order = [d - x.values.ndim if data.draw(st.booleans()) else d for d in order]
    if data.draw(st.integers(0, 9)) == 0:
        order = [*order, 0]  # one too many
    return Sample((x, *order))


def _movedim_sampler(data: Any) -> Sample:
    x = _tensor(data, min_dims=1)
    ndim = x.values.ndim
    count = data.draw(st.integers(1, ndim))
    source = data.draw(st.permutations(range(ndim)))[:count]
    target = data.draw(st.permutations(range(ndim)))[:count]
    if count == 1 and data.draw(st.booleans()):
        return Sample((x, source[0] - ndim, target[0]))
    return Sample((x, tuple(source), tuple(target)))


def _expand_sampler(data: Any) -> Sample:
    x = _tensor(data)
    sizes = [n if n != 1 else data.draw(st.sampled_from([1, 2, 3])) for n in x.values.shape]
    sizes = [data.draw(st.sampled_from([1, 2]))] * data.draw(st.integers(0, 1)) + sizes
    if sizes and data.draw(st.booleans()):
        sizes[-1] = -1
    return Sample((x, *sizes))


def _repeat_sampler(data: Any) -> Sample:
    x = _tensor(data)
    count = x.values.ndim + data.draw(st.integers(0, 1))
    return Sample((x, *(data.draw(st.integers(0, 3)) for _ in range(count))))


def _tile_sampler(data: Any) -> Sample:
    """A Tensor and fewer, as many or more repeats than it has dimensions."""
    x = _tensor(data)
    count = data.draw(st.integers(0, x.values.ndim + 1))
    return Sample((x, tuple(data.draw(st.integers(0, 3)) for _ in range(count))))


def _roll_sampler(data: Any) -> Sample:
    x = _tensor(data)
    shift = data.draw(st.integers(-5, 5))
    if data.draw(st.booleans()) or not x.values.ndim:
        return Sample((x, shift))  # no dims: the flattened Tensor
    return Sample((x, shift), {"dims": dim(data, x.values.ndim)})


def _narrow_sampler(data: Any) -> Sample:
    x = _tensor(data, min_dims=1)
    axis = dim(data, x.values.ndim)
    size = x.values.shape[axis]
    start = data.draw(st.integers(-size, size))
    return Sample((x, axis, start, data.draw(st.integers(0, size + 1))))


def _unfold_sampler(data: Any) -> Sample:
    """A dimension, a window size (sometimes past its length) and a step (sometimes 0)."""
    x = _tensor(data)
    axis = dim(data, x.values.ndim)
    size = x.values.shape[axis] if x.values.ndim else 1
    window = data.draw(st.integers(-1, size + 1))
    return Sample((x, axis, window, data.draw(st.integers(0, 3))))


def _select_sampler(data: Any) -> Sample:
    x = _tensor(data, min_dims=1)
    axis = dim(data, x.values.ndim)
    size = x.values.shape[axis]
    return Sample((x, axis, data.draw(st.integers(-size - 1, size))))


def _split_sampler(kind: str) -> Any:
    def sampler(data: Any) -> Sample:
        x = _tensor(data, min_dims=1)
        axis = dim(data, x.values.ndim)
        size = x.values.shape[axis]
        if kind == "chunk":
            return Sample((x, data.draw(st.integers(1, 5))), {"dim": axis})
        if data.draw(st.booleans()):
            return Sample((x, data.draw(st.integers(0, 4))), {"dim": axis})
        cut = data.draw(st.integers(0, size))
        return Sample((x, [cut, size - cut + data.draw(st.sampled_from([0, 0, 1]))]), {"dim": axis})

    return sampler


def _join_sampler(data: Any) -> Sample:
    base = shape(data, min_dims=1)
    axis = dim(data, len(base))
    dtype = data.draw(st.sampled_from(ALL))
    parts = []
    for _ in range(data.draw(st.integers(1, 3))):
        own = list(base)
        own[axis] = data.draw(st.integers(0, 3))
        parts.append(arg(data, tuple(own), data.draw(st.sampled_from([dtype, dtype, *ALL]))))
    return Sample((parts,), {"dim": axis})


def _stack_sampler(data: Any) -> Sample:
    base = shape(data)
    dtype = data.draw(st.sampled_from(ALL))
    parts = [arg(data, base, dtype) for _ in range(data.draw(st.integers(1, 3)))]
    return Sample((parts,), {"dim": dim(data, len(base) + 1)})


def _tri_sampler(data: Any) -> Sample:
    x = _tensor(data)
    return Sample((x, data.draw(st.integers(-2, 2))))


def _unflatten_sampler(data: Any) -> Sample:
    x = _tensor(data, min_dims=1)
    axis = dim(data, x.values.ndim)
    return Sample((x, axis, _target_shape(data, x.values.shape[axis])))


def _as_sampler(data: Any) -> Sample:
    x = _tensor(data)
    other = arg(
        data, tuple(abs(n) for n in _target_shape(data, x.values.size) if n != -1) or (), "float32"
    )
    return Sample((x, other))


def _complex_sampler(data: Any) -> Sample:
    """A real Tensor with a last dimension of 2 (viewed as complex), or not."""
    own = (*shape(data, max_dims=2), data.draw(st.sampled_from([2, 2, 2, 3])))
    return Sample(
        (arg(data, own, data.draw(st.sampled_from(["float32", "float64", "int64"])), grad=False),)
    )


def _broadcast_tensors_sampler(data: Any) -> Sample:
    """One to three Tensors that broadcast together (now and then one that does not)."""
    shapes = broadcast_shapes(data, data.draw(st.integers(1, 3)))
    if data.draw(st.integers(0, 7)) == 0:
        shapes[-1] += (data.draw(st.integers(2, 3)),)
    return Sample(tuple(arg(data, s, data.draw(st.sampled_from(ALL))) for s in shapes))


def _broadcast_shapes_sampler(data: Any) -> Sample:
    shapes: list[Any] = broadcast_shapes(data, data.draw(st.integers(0, 3)))
    if shapes and data.draw(st.integers(0, 7)) == 0:
        shapes[-1] += (data.draw(st.integers(2, 3)),)
    if shapes and len(shapes[0]) == 1 and data.draw(st.booleans()):
        shapes[0] = shapes[0][0]  # (an int is a 1-D shape)
    return Sample(tuple(shapes))


def _atleast_sampler(data: Any) -> Sample:
    """Tensors of 0 to 3 dimensions, as arguments or as one list."""
    dtype = data.draw(st.sampled_from(ALL))
    parts = [arg(data, shape(data, max_dims=3), dtype) for _ in range(data.draw(st.integers(1, 3)))]
    return Sample((parts,) if data.draw(st.booleans()) else tuple(parts))


def _method(name: str) -> Any:
    def call(T: Any, F: Any, x: Any, *args: Any, **kwargs: Any) -> Any:
        return getattr(x, name)(*args, **kwargs)

    return call


def _function(name: str) -> Any:
    def call(T: Any, F: Any, *args: Any, **kwargs: Any) -> Any:
        return getattr(T, name)(*args, **kwargs)

    return call


def _view_as_complex(T: Any, F: Any, x: Any) -> Any:
    return T.view_as_real(
        T.view_as_complex(x.contiguous())
    )  # (the complex side is compared as reals)


def _plain(data: Any) -> Sample:
    return Sample((_tensor(data),))


def _diagonal_sampler(data: Any) -> Sample:
    """A Tensor (mostly 2-D or 3-D), an offset (sometimes past its sides), two dims."""
    x = _tensor(data, min_dims=data.draw(st.sampled_from([0, 1, 2, 2])))
    offset = data.draw(st.integers(-4, 4))
    dims = (dim(data, x.values.ndim), dim(data, x.values.ndim))
    return Sample((x, offset, *dims))


def _diag_sampler(data: Any) -> Sample:
    x = _tensor(data, max_dims=data.draw(st.sampled_from([1, 2, 2, 3])))
    return Sample((x, data.draw(st.integers(-3, 3))))


def _diag_embed_sampler(data: Any) -> Sample:
    """A Tensor of 0 to 3 dimensions, an offset, two dims of the result (one more)."""
    x = _tensor(data, max_dims=data.draw(st.sampled_from([1, 2, 3])))
    ndim = x.values.ndim + 1
    return Sample((x, data.draw(st.integers(-3, 3)), dim(data, ndim), dim(data, ndim)))


def _matrix(data: Any) -> Sample:
    return Sample((_tensor(data, min_dims=data.draw(st.sampled_from([1, 2, 2, 2]))),))


SHAPES = {  # name: (sampler, in nn's namespace, in-place form)
    "reshape": (_reshape_sampler, True, False),
    "view": (_reshape_sampler, False, False),
    "flatten": (_dim_sampler(2), True, False),
    "unflatten": (_unflatten_sampler, False, False),
    "ravel": (_plain, False, False),
    "squeeze": (_dim_sampler(), True, True),
    "unsqueeze": (_dim_sampler(extra=1), True, True),
    "permute": (_permute_sampler, True, False),
    "transpose": (_dim_sampler(2), True, True),
    "swapaxes": (_dim_sampler(2), True, True),
    "swapdims": (_dim_sampler(2), False, True),
    "t": (_plain, True, True),
    "movedim": (_movedim_sampler, True, False),
    "moveaxis": (_movedim_sampler, True, False),
    "expand": (_expand_sampler, False, False),
    "repeat": (_repeat_sampler, False, False),
    "flip": (_dim_sampler(2), True, False),
    "roll": (_roll_sampler, True, False),
    "narrow": (_narrow_sampler, True, False),
    "unfold": (_unfold_sampler, False, False),
    "select": (_select_sampler, True, False),
    "chunk": (_split_sampler("chunk"), True, False),
    "split": (_split_sampler("split"), True, False),
    "unbind": (_dim_sampler(), True, False),
    "contiguous": (_plain, False, False),
    "clone": (_plain, True, False),
    "detach": (_plain, True, True),
    "tril": (_tri_sampler, True, False),
    "diagonal": (_diagonal_sampler, True, False),
    "diag": (_diag_sampler, True, False),
    "diag_embed": (_diag_embed_sampler, True, False),
    "trace": (_matrix, True, False),
    "triu": (_tri_sampler, True, False),
}


ATLEAST = ("atleast_1d", "atleast_2d", "atleast_3d")


def family() -> list[OpInfo]:
    ops = []
    for name, (sampler, function, has_in_place) in SHAPES.items():
        ops.append(OpInfo(f"Tensor.{name}", _method(name), sampler))
        if function:
            ops.append(OpInfo(f"nn.{name}", _function(name), sampler))
        if has_in_place:
            ops.append(OpInfo(f"Tensor.{name}_", in_place(name + "_"), with_via(sampler)))
    ops += [
        OpInfo("Tensor.T", lambda T, F, x: x.T, _plain),
        OpInfo("Tensor.mT", lambda T, F, x: x.mT, _plain),
        OpInfo("Tensor.view_as", _method("view_as"), _as_sampler),
        OpInfo("Tensor.reshape_as", _method("reshape_as"), _as_sampler),
        OpInfo("Tensor.expand_as", lambda T, F, x, o: x.expand_as(o), _as_sampler),
        OpInfo("nn.cat", _function("cat"), _join_sampler),
        OpInfo("nn.concat", _function("concat"), _join_sampler),
        OpInfo("nn.concatenate", lambda T, F, parts, dim: T.concatenate(parts, dim), _join_sampler),
        OpInfo("nn.stack", _function("stack"), _stack_sampler),
        OpInfo("nn.hstack", lambda T, F, parts, dim: T.hstack(parts), _join_sampler),
        OpInfo("nn.vstack", lambda T, F, parts, dim: T.vstack(parts), _join_sampler),
        OpInfo("nn.row_stack", lambda T, F, parts, dim: T.row_stack(parts), _join_sampler),
        OpInfo("nn.column_stack", lambda T, F, parts, dim: T.column_stack(parts), _join_sampler),
        OpInfo("Tensor.tile", lambda T, F, x, dims: x.tile(dims), _tile_sampler),
        OpInfo("nn.tile", lambda T, F, x, dims: T.tile(x, dims), _tile_sampler),
        OpInfo("nn.broadcast_to", lambda T, F, x, *s: T.broadcast_to(x, s), _expand_sampler),
        OpInfo("nn.view_as_real", lambda T, F, x: T.view_as_real(x.to(T.complex64)), _plain),
        OpInfo("nn.view_as_complex", _view_as_complex, _complex_sampler),
        OpInfo("nn.broadcast_tensors", _function("broadcast_tensors"), _broadcast_tensors_sampler),
        OpInfo(
            "nn.broadcast_shapes",
            lambda T, F, *shapes: T.tensor(list(T.broadcast_shapes(*shapes)), dtype=T.int64),
            _broadcast_shapes_sampler,
        ),
        *(OpInfo(f"nn.{n}", _function(n), _atleast_sampler) for n in ATLEAST),
    ]
    return ops


__all__ = ["family"]
