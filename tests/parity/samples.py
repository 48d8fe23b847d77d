"""Sample inputs for the differential op harness: what an op is called with, described in
NumPy so that PyTorch and descend build the same thing.

An ``Arg`` is a Tensor argument: its values, the memory layout it is handed over in (the
places frameworks differ: a transposed, step-sliced, offset or expanded view rather than a
fresh contiguous Tensor), and whether its leaf requires grad. ``Ints`` is an integer or
bool Tensor given as an index or a target. Everything else in a sample (numbers, dims,
shapes, dtypes by name) is passed as it is. The ``draw_*`` functions take a hypothesis
``DataObject`` and draw the cases where frameworks differ: 0-d and empty Tensors,
broadcasting, integer and bool dtypes, numbers of each kind (type promotion), non-contiguous
views, special values.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from hypothesis import strategies as st

FLOATS = ("float32", "float64")
INTEGERS = ("int64", "int32", "uint8")
ALL = (*FLOATS, *INTEGERS, "bool")
LAYOUTS = ("contiguous", "contiguous", "transposed", "strided", "offset", "expanded")
SUMMING = 1e-5  # NumPy's and PyTorch's summation orders part in the last bits
SPECIAL = (0.0, -0.0, 1.0, -1.0, 0.5, 2.0, 1e-30, 1e30, np.inf, -np.inf, np.nan)


@dataclass(frozen=True)
class Arg:
    """A Tensor argument (see the module's docstring)."""

    values: np.ndarray
    layout: str = "contiguous"
    requires_grad: bool = False

    def build(self, T: Any) -> tuple[Any, Any]:
        """``(leaf, tensor)`` in framework ``T`` (torch or nn): the tensor the op gets is
        the leaf itself or a view of it in this layout."""
        values = self.values
        dtype = getattr(T, str(values.dtype)) if str(values.dtype) != "bool" else T.bool
        rg = self.requires_grad and values.dtype.kind == "f"
        if self.layout == "transposed" and values.ndim >= 2:
            leaf = T.tensor(np.ascontiguousarray(np.swapaxes(values, -1, -2)), dtype=dtype)
            return _grad(leaf, rg), _grad(leaf, rg).transpose(-1, -2)
        if self.layout == "strided" and values.ndim >= 1:
            wide = np.zeros((*values.shape[:-1], 2 * values.shape[-1]), dtype=values.dtype)
            wide[..., ::2] = values
            leaf = _grad(T.tensor(wide, dtype=dtype), rg)
            return leaf, leaf[..., ::2]
        if self.layout == "offset" and values.ndim >= 1:
            padded = np.concatenate([np.zeros((1, *values.shape[1:]), values.dtype), values])
            leaf = _grad(T.tensor(padded, dtype=dtype), rg)
            return leaf, leaf[1:]
        if self.layout == "expanded" and values.ndim >= 1 and values.shape[0] > 1:
            # values are the first row repeated (the sampler makes them so)
            leaf = _grad(T.tensor(values[:1], dtype=dtype), rg)
            return leaf, leaf.expand(*values.shape)
        leaf = _grad(T.tensor(values, dtype=dtype), rg)
        return leaf, leaf


def _grad(t: Any, requires_grad: bool) -> Any:
    return t.requires_grad_() if requires_grad and not t.requires_grad else t


@dataclass(frozen=True)
class Ints:
    """An integer or bool Tensor given as an index, a mask or a target (never requires grad)."""

    values: np.ndarray

    def build(self, T: Any) -> Any:
        kind = str(self.values.dtype)
        return T.tensor(self.values, dtype=getattr(T, kind) if kind != "bool" else T.bool)


@dataclass
class Sample:
    """One call: positional and keyword arguments (``Arg``/``Ints`` built per framework)."""

    args: tuple[Any, ...]
    kwargs: dict[str, Any] = field(default_factory=dict)

    def __repr__(self) -> str:
        parts = [_show(a) for a in self.args] + [f"{k}={_show(v)}" for k, v in self.kwargs.items()]
        return f"Sample({', '.join(parts)})"


def _show(value: Any) -> str:
    if isinstance(value, Arg):
        grad = ", requires_grad" if value.requires_grad else ""
        described = f"{value.values.dtype}{list(value.values.shape)} {value.layout}{grad}"
        return f"Arg({described}: {value.values.tolist()})"
    if isinstance(value, Ints):
        return f"Ints({value.values.tolist()}, {value.values.dtype})"
    if isinstance(value, list | tuple):
        inside = ", ".join(_show(v) for v in value)
        return f"[{inside}]" if isinstance(value, list) else f"({inside}{',' * (len(value) == 1)})"
    return repr(value)


# ---------------------------------------------------------------------------- drawing
def shape(data: Any, min_dims: int = 0, max_dims: int = 3, min_side: int = 0) -> tuple[int, ...]:
    """A shape of 0 to 3 sides of 0 (rarely) to 4."""
    ndim = data.draw(st.integers(min_dims, max_dims))
    sides = st.one_of(st.integers(max(min_side, 1), 4), st.just(max(min_side, 0)))
    return tuple(data.draw(sides) for _ in range(ndim))


def values(
    data: Any,
    shape: tuple[int, ...],
    dtype: str,
    low: float = -3,
    high: float = 3,
    special: bool = False,
) -> np.ndarray:
    """Values of ``dtype`` (few distinct ones, so that ties and repeats occur), with the odd
    special value (signed zeros, huge, tiny, inf, NaN) when ``special``."""
    rng = np.random.default_rng(data.draw(st.integers(0, 2**32 - 1)))
    if dtype == "bool":
        return rng.random(shape) < 0.5
    if dtype in INTEGERS:
        lo = 0 if dtype == "uint8" else int(low)
        return rng.integers(lo, max(int(high), lo + 1) + 1, shape).astype(dtype)
    out = rng.uniform(low, high, shape)
    if data.draw(st.booleans()):  # coarse values: ties, exact halves, integers
        out = np.round(out * 2) / 2
    if special and out.size and data.draw(st.integers(0, 3)) == 0:
        out.flat[rng.integers(0, out.size)] = data.draw(st.sampled_from(SPECIAL))
    return out.astype(dtype)


def arg(
    data: Any, shape: tuple[int, ...], dtype: str, grad: bool = True, **value_options: Any
) -> Arg:
    """A Tensor argument of ``shape`` and ``dtype`` in a drawn layout."""
    layout = data.draw(st.sampled_from(LAYOUTS))
    array = values(data, shape, dtype, **value_options)
    if layout == "expanded" and array.ndim and array.shape[0] > 1:
        array = np.repeat(array[:1], array.shape[0], axis=0)
    requires_grad = grad and dtype in FLOATS and data.draw(st.booleans())
    return Arg(array, layout, requires_grad)


def number(data: Any, kinds: tuple[str, ...] = ("int", "float", "bool")) -> Any:
    """A Python number of a drawn kind (PyTorch's "wrapped numbers" in type promotion)."""
    kind = data.draw(st.sampled_from(kinds))
    if kind == "bool":
        return data.draw(st.booleans())
    if kind == "int":
        return data.draw(st.integers(-3, 3))
    return data.draw(st.sampled_from([0.5, -1.5, 2.0, 0.0, -0.0, 3.25]))


def broadcast_shapes(data: Any, count: int = 2) -> list[tuple[int, ...]]:
    """``count`` shapes that broadcast together (sides of 0 to 3, some of 1)."""
    base = shape(data, max_dims=3)
    shapes = []
    for _ in range(count):
        cut = data.draw(st.integers(0, len(base)))
        own = list(base[cut:])
        for i in range(len(own)):
            if data.draw(st.integers(0, 3)) == 0:
                own[i] = 1
        shapes.append(tuple(own))
    return shapes


def dim(data: Any, ndim: int) -> int:
    """A valid dim of an ``ndim``-dimensional Tensor (negative ones included)."""
    size = max(ndim, 1)
    return data.draw(st.integers(-size, size - 1))
