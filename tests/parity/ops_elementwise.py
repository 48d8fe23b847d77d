"""Elementwise ops for the harness: functions of one Tensor, of two (with broadcasting,
numbers of each kind and mixed dtypes: type promotion), comparisons, and every in-place
form, called directly on the drawn Tensor (a leaf, or a view of one: refusals included), on
a clone, or through a view of a clone (the base's gradient rewritten)."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from tests.parity.opinfo import OpInfo
from tests.parity.samples import ALL, FLOATS, Arg, Sample, arg, broadcast_shapes, number, shape

TRANSCENDENTAL = 1e-6  # libm's and PyTorch's functions part in the last bits
# (PyTorch's float32 sqrt is not always correctly rounded: 1 unit in the last place)

# name: (input dtypes, value range, rtol, in nn's namespace, in-place form)
UNARY: dict[str, tuple[tuple[str, ...], tuple[float, float], float, bool, bool]] = {
    "exp": (ALL, (-3, 3), TRANSCENDENTAL, True, True),
    "expm1": (ALL, (-3, 3), TRANSCENDENTAL, True, True),
    "log": (ALL, (0, 4), TRANSCENDENTAL, True, True),
    "log1p": (ALL, (-0.5, 4), TRANSCENDENTAL, True, True),
    "log10": (ALL, (0, 4), TRANSCENDENTAL, True, True),
    "log2": (ALL, (0, 4), TRANSCENDENTAL, True, True),
    "sqrt": (ALL, (0, 4), TRANSCENDENTAL, True, True),
    "rsqrt": (ALL, (0, 4), TRANSCENDENTAL, True, True),
    "sin": (ALL, (-3, 3), TRANSCENDENTAL, True, True),
    "cos": (ALL, (-3, 3), TRANSCENDENTAL, True, True),
    "sinh": (ALL, (-3, 3), TRANSCENDENTAL, True, True),
    "cosh": (ALL, (-3, 3), TRANSCENDENTAL, True, True),
    "asin": (ALL, (-1.2, 1.2), TRANSCENDENTAL, True, True),
    "acos": (ALL, (-1.2, 1.2), TRANSCENDENTAL, True, True),
    "atan": (ALL, (-3, 3), TRANSCENDENTAL, True, True),
    "arcsin": (ALL, (-1.2, 1.2), TRANSCENDENTAL, True, True),
    "arccos": (ALL, (-1.2, 1.2), TRANSCENDENTAL, True, True),
    "arctan": (ALL, (-3, 3), TRANSCENDENTAL, True, True),
    "tan": (ALL, (-1.5, 1.5), TRANSCENDENTAL, True, True),
    "asinh": (ALL, (-3, 3), TRANSCENDENTAL, True, True),
    "acosh": (ALL, (0.5, 4), TRANSCENDENTAL, True, True),
    "atanh": (ALL, (-1.2, 1.2), TRANSCENDENTAL, True, True),
    "arcsinh": (ALL, (-3, 3), TRANSCENDENTAL, True, True),
    "arccosh": (ALL, (0.5, 4), TRANSCENDENTAL, True, True),
    "arctanh": (ALL, (-1.2, 1.2), TRANSCENDENTAL, True, True),
    "exp2": (ALL, (-3, 3), TRANSCENDENTAL, True, True),
    "lgamma": (ALL, (-3, 4), TRANSCENDENTAL, True, True),
    "digamma": (ALL, (-3, 4), TRANSCENDENTAL, True, True),
    "erfc": (ALL, (-3, 3), TRANSCENDENTAL, True, True),
    "erfinv": (ALL, (-1.2, 1.2), TRANSCENDENTAL, True, True),
    "sinc": (ALL, (-3, 3), TRANSCENDENTAL, True, True),
    "deg2rad": (ALL, (-3, 3), 0.0, True, True),
    "rad2deg": (ALL, (-3, 3), 0.0, True, True),
    "frac": (ALL, (-3, 3), 0.0, True, True),
    "fix": (ALL, (-3, 3), 0.0, True, True),
    "signbit": (ALL, (-3, 3), 0.0, True, False),
    "positive": (ALL, (-3, 3), 0.0, True, False),
    "isposinf": (ALL, (-3, 3), 0.0, True, False),
    "isneginf": (ALL, (-3, 3), 0.0, True, False),
    "isreal": (ALL, (-3, 3), 0.0, True, False),
    "tanh": (ALL, (-3, 3), TRANSCENDENTAL, True, True),
    "sigmoid": (ALL, (-3, 3), TRANSCENDENTAL, True, True),
    "erf": (ALL, (-3, 3), TRANSCENDENTAL, True, True),
    "reciprocal": (ALL, (-3, 3), 0.0, True, True),
    "abs": (ALL, (-3, 3), 0.0, True, True),
    "absolute": (ALL, (-3, 3), 0.0, True, True),
    "neg": (ALL, (-3, 3), 0.0, True, True),
    "negative": (ALL, (-3, 3), 0.0, True, True),
    "sign": (ALL, (-3, 3), 0.0, True, True),
    "sgn": (ALL, (-3, 3), 0.0, True, True),
    "floor": (ALL, (-3, 3), 0.0, True, True),
    "ceil": (ALL, (-3, 3), 0.0, True, True),
    "trunc": (ALL, (-3, 3), 0.0, True, True),
    "round": (ALL, (-3, 3), 0.0, True, True),
    "square": (ALL, (-3, 3), 0.0, True, True),
    "relu": (ALL, (-3, 3), 0.0, True, True),
    "isnan": (ALL, (-3, 3), 0.0, True, False),
    "isinf": (ALL, (-3, 3), 0.0, True, False),
    "isfinite": (ALL, (-3, 3), 0.0, True, False),
    "logical_not": (ALL, (-3, 3), 0.0, True, True),
}

# name: (dtypes, rtol, in nn's namespace, in-place form)
BINARY: dict[str, tuple[tuple[str, ...], float, bool, bool]] = {
    "add": (ALL, 0.0, True, True),
    "sub": (ALL, 0.0, True, True),
    "subtract": (ALL, 0.0, True, True),
    "mul": (ALL, 0.0, True, True),
    "multiply": (ALL, 0.0, True, True),
    "div": (ALL, 0.0, True, True),
    "divide": (ALL, 0.0, True, True),
    "true_divide": (ALL, 0.0, True, True),
    "floor_divide": (ALL, 0.0, True, True),
    "remainder": (ALL, 0.0, True, True),
    "pow": (ALL, TRANSCENDENTAL, True, True),
    "maximum": (ALL, 0.0, True, False),
    "hypot": (ALL, TRANSCENDENTAL, True, True),
    "logaddexp": (ALL, TRANSCENDENTAL, True, False),
    "logaddexp2": (ALL, TRANSCENDENTAL, True, False),
    "xlogy": (ALL, TRANSCENDENTAL, True, True),
    "copysign": (ALL, 0.0, True, True),
    "fmod": (ALL, 0.0, True, True),
    "float_power": (ALL, TRANSCENDENTAL, True, True),
    "fmax": (ALL, 0.0, True, False),
    "fmin": (ALL, 0.0, True, False),
    "heaviside": (ALL, 0.0, True, True),
    "minimum": (ALL, 0.0, True, False),
    "eq": (ALL, 0.0, True, True),
    "ne": (ALL, 0.0, True, True),
    "not_equal": (ALL, 0.0, True, True),
    "lt": (ALL, 0.0, True, True),
    "less": (ALL, 0.0, True, True),
    "le": (ALL, 0.0, True, True),
    "less_equal": (ALL, 0.0, True, True),
    "gt": (ALL, 0.0, True, True),
    "greater": (ALL, 0.0, True, True),
    "ge": (ALL, 0.0, True, True),
    "greater_equal": (ALL, 0.0, True, True),
    "logical_and": (ALL, 0.0, True, True),
    "logical_or": (ALL, 0.0, True, True),
    "logical_xor": (ALL, 0.0, True, True),
    "bitwise_and": (ALL, 0.0, True, True),
    "bitwise_or": (ALL, 0.0, True, True),
    "bitwise_xor": (ALL, 0.0, True, True),
}

OPERATORS = {  # the Python operators (public through the methods they call)
    "__add__": "add", "__radd__": "add", "__sub__": "sub", "__rsub__": "sub",
    "__mul__": "mul", "__rmul__": "mul", "__truediv__": "div", "__rtruediv__": "div",
    "__floordiv__": "floor_divide", "__rfloordiv__": "floor_divide", "__mod__": "remainder",
    "__rmod__": "remainder", "__pow__": "pow", "__rpow__": "pow", "__eq__": "eq",
    "__ne__": "ne", "__lt__": "lt", "__le__": "le", "__gt__": "gt", "__ge__": "ge",
    "__and__": "bitwise_and", "__or__": "bitwise_or", "__xor__": "bitwise_xor",
}  # fmt: skip


def unary_sampler(dtypes: tuple[str, ...], low: float, high: float) -> Any:
    def sampler(data: Any) -> Sample:
        dtype = data.draw(st.sampled_from(dtypes))
        return Sample((arg(data, shape(data), dtype, low=low, high=high, special=True),))

    return sampler


def binary_sampler(dtypes: tuple[str, ...], bool_first: bool = True) -> Any:
    """Two broadcastable Tensors, or a Tensor and a number (first, rarely); never a bool
    number when ``bool_first`` is False (PyTorch's ``pow(False, x)`` fails its own internal
    assert at backward, and ``x.__rpow__(False)`` is that)."""

    def sampler(data: Any) -> Sample:
        first, second = broadcast_shapes(data)
        a = arg(data, first, data.draw(st.sampled_from(dtypes)), special=True)
        kind = data.draw(st.sampled_from(["tensor", "tensor", "number", "0-d"]))
        if kind == "number":
            b: Any = number(data, ("int", "float", "bool") if bool_first else ("int", "float"))
        else:
            dtype = data.draw(st.sampled_from(dtypes))
            b = arg(data, () if kind == "0-d" else second, dtype, special=True)
        if data.draw(st.integers(0, 4)) == 0 and (bool_first or not isinstance(b, bool)):
            a, b = b, a  # a number first: only the nn. function takes it
        return Sample((a, b))

    return sampler


def _method(name: str) -> Any:
    def call(T: Any, F: Any, x: Any, *args: Any) -> Any:
        return getattr(x, name)(*args)

    return call


def _function(name: str) -> Any:
    def call(T: Any, F: Any, *args: Any) -> Any:
        return getattr(T, name)(*args)

    return call


def in_place(name: str) -> Any:
    """``x.<name>(...)`` on the drawn Tensor, on a clone, or through a view of a clone
    (``via`` is drawn with the sample); returns what was changed."""

    def call(T: Any, F: Any, x: Any, *args: Any, via: str = "direct", **kwargs: Any) -> Any:
        if via == "direct":
            getattr(x, name)(*args, **kwargs)
            return x
        copy = x.clone()
        target = copy if via == "clone" or not copy.dim() else copy[..., :1]
        getattr(target, name)(*args, **kwargs)
        return copy

    return call


def with_via(sampler: Any) -> Any:
    def drawn(data: Any) -> Sample:
        sample = sampler(data)
        sample.kwargs["via"] = data.draw(st.sampled_from(["direct", "clone", "view"]))
        return sample

    return drawn


def _first_is_tensor(sampler: Any) -> Any:
    def drawn(data: Any) -> Sample:
        sample = sampler(data)
        if not isinstance(sample.args[0], Arg):
            sample.args = (sample.args[1], sample.args[0])
        return sample

    return drawn


COMPARED = {
    "eq", "ne", "lt", "le", "gt", "ge", "not_equal", "less", "less_equal", "greater",
    "greater_equal",
}  # fmt: skip


def _nothing_known(sample: Sample) -> str | None:
    return None


def _integer_recorded(sample: Sample) -> str | None:
    """An integer or bool Tensor compared in place with one that requires grad: PyTorch
    records it (an integer Tensor that requires grad) and refuses its backward; descend
    leaves it out of the graph. Neither gives a gradient."""
    x, other = sample.args[:2]
    if x.values.dtype.kind in "biu" and isinstance(other, Arg) and other.requires_grad:
        return "an integer Tensor compared in place with one that requires grad"
    return None


def family() -> list[OpInfo]:
    ops = []
    for name, (dtypes, (low, high), rtol, function, has_in_place) in UNARY.items():
        sampler = unary_sampler(dtypes, low, high)
        ops.append(OpInfo(f"Tensor.{name}", _method(name), sampler, rtol, 1e-6))
        if function:
            ops.append(OpInfo(f"nn.{name}", _function(name), sampler, rtol, 1e-6))
        if has_in_place:
            ops.append(OpInfo(f"Tensor.{name}_", in_place(name + "_"), with_via(sampler), rtol))
    for name, (dtypes, rtol, function, has_in_place) in BINARY.items():
        sampler = binary_sampler(dtypes, bool_first=name != "pow")
        tensor_first = _first_is_tensor(sampler)
        ops.append(OpInfo(f"Tensor.{name}", _method(name), tensor_first, rtol))
        if function:
            ops.append(OpInfo(f"nn.{name}", _function(name), sampler, rtol))
        if has_in_place:
            known = _integer_recorded if name in COMPARED else _nothing_known
            ops.append(
                OpInfo(
                    f"Tensor.{name}_",
                    in_place(name + "_"),
                    with_via(tensor_first),
                    rtol,
                    known=known,
                )
            )
    for operator, like in OPERATORS.items():
        rtol = BINARY[like][1]
        sampler = _first_is_tensor(binary_sampler(ALL, bool_first=operator != "__rpow__"))
        ops.append(OpInfo(f"Tensor.{operator}", _method(operator), sampler, rtol))
    for operator in (
        "__iand__",
        "__ior__",
        "__ixor__",
        "__iadd__",
        "__isub__",
        "__imul__",
        "__itruediv__",
        "__ifloordiv__",
        "__imod__",
        "__ipow__",
    ):
        ops.append(
            OpInfo(
                f"Tensor.{operator}",
                in_place(operator),
                with_via(_first_is_tensor(binary_sampler(ALL))),
                TRANSCENDENTAL if "pow" in operator else 0.0,
            )
        )
    ops.append(OpInfo("Tensor.bitwise_not", _method("bitwise_not"), unary_sampler(ALL, -3, 3)))
    ops.append(OpInfo("nn.bitwise_not", _function("bitwise_not"), unary_sampler(ALL, -3, 3)))
    ops.append(
        OpInfo("Tensor.bitwise_not_", in_place("bitwise_not_"), with_via(unary_sampler(ALL, -3, 3)))
    )
    for operator in ("__neg__", "__abs__", "__invert__"):
        ops.append(OpInfo(f"Tensor.{operator}", _method(operator), unary_sampler(ALL, -3, 3)))
    return ops


__all__ = ["FLOATS", "family", "in_place", "with_via"]
