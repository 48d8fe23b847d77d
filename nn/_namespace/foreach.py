"""PyTorch's ``torch._foreach_*`` functions: one op over a list of Tensors, as multi-tensor
optimizers written for PyTorch call them (``torch._foreach_mul_(exp_avgs, beta1)``).

Each is the Tensor method of the same name applied tensor by tensor, so there is one
implementation of each op. As PyTorch's: the out-of-place forms return a tuple of new
Tensors, the in-place forms (``_foreach_add_``) change each Tensor and return the list
they were given; a second operand is a list of Tensors, a list of numbers (one per
Tensor), or one number or Tensor for all; ``alpha=`` scales it in ``add`` and ``sub``.
Lists of different lengths or an empty list raise ``RuntimeError`` as PyTorch's do.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from ..tensor import Tensor
from ..types import DTypeLike, InputLike

_UNARY = [
    "abs",
    "ceil",
    "cos",
    "erf",
    "exp",
    "expm1",
    "floor",
    "log",
    "log10",
    "log1p",
    "log2",
    "neg",
    "reciprocal",
    "round",
    "rsqrt",
    "sigmoid",
    "sign",
    "sin",
    "sqrt",
    "tanh",
    "trunc",
]
_BINARY = ["add", "sub", "mul", "div", "maximum", "minimum", "clamp_min", "clamp_max", "pow"]


def _tensors(tensors: object, name: str) -> list[Tensor]:
    if not isinstance(tensors, list | tuple) or not all(isinstance(t, Tensor) for t in tensors):
        raise TypeError(
            f"_foreach_{name}(): argument 'self' must be a list or tuple of Tensors, got "
            f"{type(tensors).__name__}"
        )
    if not tensors:
        raise RuntimeError("Tensor list must have at least one tensor.")
    return list(tensors)


def _per_tensor(other: InputLike, count: int, what: str) -> list[Any]:
    """``other`` as one operand per Tensor: a list (of Tensors or numbers) as it is, checked
    for length, anything else repeated."""
    if isinstance(other, list | tuple):
        if len(other) != count:
            raise RuntimeError(
                f"Tensor list must have same number of elements as {what} list, got {count} "
                f"and {len(other)}"
            )
        return list(other)
    if isinstance(other, Tensor) and what == "scalars":  # one value per Tensor, as a 1-d Tensor
        if other.ndim != 1 or len(other) != count:
            raise RuntimeError(
                f"Expected a 1-d Tensor of {count} scalars, got a Tensor of shape "
                f"{list(other.shape)}"
            )
        return [other[i] for i in range(count)]
    return [other] * count


def _apply(t: Tensor, name: str, in_place: bool, *args: object, **kwargs: object) -> Tensor:
    """``t.<name>(...)``, or in place ``t.<name>_(...)`` (``t.copy_(t.<name>(...))`` for an
    op without an in-place method, as ``maximum``)."""
    if not in_place:
        result: Tensor = getattr(t, name)(*args, **kwargs)
        return result
    method = getattr(t, name + "_", None)
    if method is None:
        return t.copy_(getattr(t, name)(*args, **kwargs))
    changed: Tensor = method(*args, **kwargs)
    return changed


def _unary(name: str, in_place: bool) -> Callable[..., Any]:
    def function(self: Sequence[Tensor]) -> Any:
        results = [_apply(t, name, in_place) for t in _tensors(self, name)]
        return self if in_place else tuple(results)

    return _named(function, name, in_place, "()")


def _binary(name: str, in_place: bool) -> Callable[..., Any]:
    def function(self: Sequence[Tensor], other: InputLike, **kwargs: object) -> Any:
        tensors = _tensors(self, name)
        others = _per_tensor(other, len(tensors), "tensor" if _listed_tensors(other) else "scalar")
        if kwargs.get("alpha", 1) == 1:
            kwargs.pop("alpha", None)
        if name in ("maximum", "minimum"):  # (the methods take Tensors; these, numbers too)
            others = [
                o if isinstance(o, Tensor) else t._lift(o)
                for t, o in zip(tensors, others, strict=True)
            ]
        results = [
            _apply(t, name, in_place, o, **kwargs) for t, o in zip(tensors, others, strict=True)
        ]
        return self if in_place else tuple(results)

    return _named(function, name, in_place, "(other)")


def _listed_tensors(other: InputLike) -> bool:
    return isinstance(other, list | tuple) and any(isinstance(o, Tensor) for o in other)


def _pointwise(name: str, in_place: bool) -> Callable[..., Any]:
    """``addcmul`` / ``addcdiv``: ``value`` a number, a list of numbers or a 1-d Tensor."""

    def function(self: Sequence[Tensor], tensor1: Any, tensor2: Any, value: InputLike = 1) -> Any:
        tensors = _tensors(self, name)
        firsts = _per_tensor(tensor1, len(tensors), "tensor")
        seconds = _per_tensor(tensor2, len(tensors), "tensor")
        values = _per_tensor(value, len(tensors), "scalars")
        results = [
            _apply(t, name, in_place, a, b, value=v.item() if isinstance(v, Tensor) else v)
            for t, a, b, v in zip(tensors, firsts, seconds, values, strict=True)
        ]
        return self if in_place else tuple(results)

    return _named(function, name, in_place, "(tensor1, tensor2, value=value)")


def _lerp(in_place: bool) -> Callable[..., Any]:
    def function(self: Sequence[Tensor], tensors1: Any, weight: InputLike) -> Any:
        tensors = _tensors(self, "lerp")
        ends = _per_tensor(tensors1, len(tensors), "tensor")
        kind = "tensor" if _listed_tensors(weight) else "scalar"
        weights = _per_tensor(weight, len(tensors), kind)
        results = [
            _apply(t, "lerp", in_place, e, w)
            for t, e, w in zip(tensors, ends, weights, strict=True)
        ]
        return self if in_place else tuple(results)

    return _named(function, "lerp", in_place, "(end, weight)")


def _named(
    function: Callable[..., object], name: str, in_place: bool, args: str
) -> Callable[..., Any]:
    method = name + "_" if in_place else name
    function.__name__ = function.__qualname__ = f"_foreach_{method}"
    function.__doc__ = f"``torch._foreach_{method}``: ``t.{method}{args}`` for each Tensor ``t``."
    return function


def _foreach_pow_scalar_first(self: object, exponent: InputLike) -> tuple[Tensor, ...]:
    """``torch._foreach_pow(number, tensors)``: ``number ** t`` for each Tensor ``t``."""
    return tuple(t.__rpow__(self) for t in _tensors(exponent, "pow"))


def _foreach_norm(
    self: Sequence[Tensor], ord: object = 2, dtype: DTypeLike | None = None
) -> tuple[Tensor, ...]:
    """``torch._foreach_norm``: the ``ord``-norm of each Tensor, flattened."""
    return tuple(t.norm(ord, dtype=dtype) for t in _tensors(self, "norm"))


def _foreach_max(self: Sequence[Tensor]) -> tuple[Tensor, ...]:
    """``torch._foreach_max``: the largest element of each Tensor."""
    return tuple(t.max() for t in _tensors(self, "max"))


def _foreach_zero_(self: Sequence[Tensor]) -> Sequence[Tensor]:
    """``torch._foreach_zero_``: each Tensor filled with zeros."""
    for t in _tensors(self, "zero_"):
        t.zero_()
    return self


def _foreach_copy_(
    self: Sequence[Tensor], src: Sequence[Tensor], non_blocking: bool = False
) -> Sequence[Tensor]:
    """``torch._foreach_copy_``: each Tensor's values copied from its partner in ``src``."""
    tensors = _tensors(self, "copy_")
    for t, s in zip(tensors, _per_tensor(src, len(tensors), "tensor"), strict=True):
        t.copy_(s)
    return self


def _foreach_clone(self: Sequence[Tensor]) -> tuple[Tensor, ...]:
    """``torch._foreach_clone``: a copy of each Tensor."""
    return tuple(t.clone() for t in _tensors(self, "clone"))


def _make_all() -> dict[str, Callable[..., Any]]:
    functions: dict[str, Callable[..., Any]] = {}
    for in_place in (False, True):
        suffix = "_" if in_place else ""
        for name in _UNARY:
            if hasattr(Tensor, name + suffix):
                functions[f"_foreach_{name}{suffix}"] = _unary(name, in_place)
        for name in _BINARY:
            functions[f"_foreach_{name}{suffix}"] = _binary(name, in_place)
        for name in ("addcmul", "addcdiv"):
            functions[f"_foreach_{name}{suffix}"] = _pointwise(name, in_place)
        functions[f"_foreach_lerp{suffix}"] = _lerp(in_place)
    return functions


FUNCTIONS = _make_all()
plain_pow = FUNCTIONS["_foreach_pow"]


def _foreach_pow(self: object, exponent: InputLike) -> tuple[Tensor, ...]:
    """``torch._foreach_pow``: ``t ** e`` for each Tensor ``t`` (``self`` may be a number,
    then ``self ** t`` for each Tensor ``t`` of ``exponent``)."""
    if isinstance(self, int | float):
        return _foreach_pow_scalar_first(self, exponent)
    result: tuple[Tensor, ...] = plain_pow(self, exponent)
    return result


FUNCTIONS.update(
    _foreach_pow=_foreach_pow,
    _foreach_norm=_foreach_norm,
    _foreach_max=_foreach_max,
    _foreach_zero_=_foreach_zero_,
    _foreach_copy_=_foreach_copy_,
    _foreach_clone=_foreach_clone,
)
