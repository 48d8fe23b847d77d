"""PyTorch's top-level functions: ``nn.exp(x)`` is ``x.exp()``, ``nn.max(x, 1)`` is
``x.max(1)``, with torch's ``out=`` and torch's ``TypeError`` for an argument that is not a
Tensor (an ndarray is accepted: descend's batches may be ndarrays).

Each function forwards to the Tensor method of the same name, so there is one
implementation of each op; what is here is the argument handling that differs between a
function and a method.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

import numpy as np

from . import _dtype
from ._out import into
from .tensor import Tensor
from .tensor.arithmetic import _refuse_bool_subtraction


def _operand(value: Any, function: str, argument: str = "input", position: int = 1) -> Tensor:
    """``value`` if it is a Tensor (an ndarray is wrapped without a copy), else torch's
    ``TypeError``."""
    if isinstance(value, Tensor):
        return value
    if isinstance(value, np.ndarray):
        return Tensor._make(value)
    raise TypeError(
        f"{function}(): argument '{argument}' (position {position}) must be Tensor, not "
        f"{type(value).__name__}"
    )


def _written(out: Any, result: Any, name: str) -> Any:
    if out is None:
        return result
    if isinstance(result, tuple):  # (values, indices): out is a pair of Tensors
        return type(result)(*(into(o, r, name) for o, r in zip(out, result, strict=True)))
    return into(out, result, name)


def _function(name: str) -> Callable[..., Any]:
    """torch.<name>(input, *args, out=None, **kwargs) as input.<name>(*args, **kwargs)."""

    def function(input: Any, *args: Any, out: Any = None, **kwargs: Any) -> Any:
        return _written(out, getattr(_operand(input, name), name)(*args, **kwargs), name)

    function.__name__ = function.__qualname__ = name
    function.__doc__ = f"``torch.{name}(input, ...)``: ``input.{name}(...)``."
    return function


mv = _function("mv")
isclose = _function("isclose")


def broadcast_to(input: Any, size: Any) -> Tensor:
    """``input`` expanded to ``size`` (a view), as ``torch.broadcast_to``."""
    return _operand(input, "broadcast_to").expand(tuple(size))


# random draws from a Tensor's values
bernoulli = _function("bernoulli")
multinomial = _function("multinomial")

# elementwise functions of one Tensor
exp = _function("exp")
log = _function("log")
log1p = _function("log1p")
log10 = _function("log10")
log2 = _function("log2")
expm1 = _function("expm1")
sqrt = _function("sqrt")
erf = _function("erf")
rsqrt = _function("rsqrt")
sin = _function("sin")
cos = _function("cos")
sinh = _function("sinh")
cosh = _function("cosh")
asin = arcsin = _function("asin")
acos = arccos = _function("acos")
atan = arctan = _function("atan")
atan2 = arctan2 = _function("atan2")
tanh = _function("tanh")
sigmoid = _function("sigmoid")
relu = _function("relu")
abs = _function("abs")
absolute = abs
neg = _function("neg")
negative = neg
sign = _function("sign")
sgn = _function("sgn")
floor = _function("floor")
ceil = _function("ceil")
round = _function("round")
trunc = fix = _function("trunc")
square = _function("square")
reciprocal = _function("reciprocal")
isnan = _function("isnan")
isfinite = _function("isfinite")
isinf = _function("isinf")
logical_not = _function("logical_not")
clamp = _function("clamp")
clip = clamp
clamp_min = _function("clamp_min")
clamp_max = _function("clamp_max")

# the rest of the elementwise math (nn/tensor/special.py)
tan = _function("tan")
asinh = arcsinh = _function("asinh")
acosh = arccosh = _function("acosh")
atanh = arctanh = _function("atanh")
exp2 = _function("exp2")
lgamma = _function("lgamma")
digamma = _function("digamma")
erfc = _function("erfc")
erfinv = _function("erfinv")
sinc = _function("sinc")
deg2rad = _function("deg2rad")
rad2deg = _function("rad2deg")
frac = _function("frac")
signbit = _function("signbit")
positive = _function("positive")
isposinf = _function("isposinf")
isneginf = _function("isneginf")
isreal = _function("isreal")
hypot = _function("hypot")
logaddexp = _function("logaddexp")
logaddexp2 = _function("logaddexp2")
copysign = _function("copysign")
fmod = _function("fmod")
fmax = _function("fmax")
fmin = _function("fmin")
heaviside = _function("heaviside")


def xlogy(input: Any, other: Any, *, out: Any = None) -> Any:
    """``input * log(other)``, 0 where input is 0; either operand may be a number."""
    if isinstance(input, Tensor | np.ndarray) or not isinstance(other, Tensor):
        return _written(out, _operand(input, "xlogy").xlogy(other), "xlogy")
    base = Tensor._make(np.asarray(input, dtype=_dtype.get_default_dtype()))
    return _written(out, base.xlogy(other), "xlogy")


def float_power(input: Any, exponent: Any, *, out: Any = None) -> Any:
    """``input ** exponent`` in double precision; the base may be a number."""
    if isinstance(input, Tensor | np.ndarray) or not isinstance(exponent, Tensor):
        return _written(out, _operand(input, "float_power").float_power(exponent), "float_power")
    wide = np.complex128 if isinstance(input, complex) or exponent.is_complex() else np.float64
    return _written(out, exponent.to(wide).__rpow__(wide(input)), "float_power")


# of two operands
maximum = _function("maximum")
minimum = _function("minimum")


def _number_first(name: str) -> Callable[..., Any]:
    """torch.<name>(input, other, ...), where ``input`` may also be a Python number when
    ``other`` is a Tensor (``torch.sub(1, x)``): the number takes part as PyTorch's wrapped
    numbers do (so ``torch.div(1, x)`` divides and saves ``x``, where ``1 / x`` multiplies
    the reciprocal)."""
    method = _function(name)

    def function(input: Any, other: Any, *args: Any, out: Any = None, **kwargs: Any) -> Any:
        if _is_number(input) and isinstance(other, Tensor) and not args:
            if name == "sub":
                _refuse_bool_subtraction(input, other)
            return _written(out, other._number_first(name, input, **kwargs), name)
        return method(input, other, *args, out=out, **kwargs)

    function.__name__ = function.__qualname__ = name
    function.__doc__ = (
        f"``torch.{name}(input, other, ...)``: ``input.{name}(other, ...)``; ``input`` may be "
        "a number when ``other`` is a Tensor."
    )
    return function


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float | complex | np.number | np.bool_)


add = _number_first("add")
sub = _number_first("sub")
subtract = sub
mul = _number_first("mul")
multiply = mul
div = _number_first("div")
divide = div
true_divide = _number_first("true_divide")
floor_divide = _number_first("floor_divide")
remainder = _number_first("remainder")
lerp = _function("lerp")
addcmul = _function("addcmul")
addcdiv = _function("addcdiv")
nan_to_num = _function("nan_to_num")
scatter = _function("scatter")
scatter_add = _function("scatter_add")
eq = _function("eq")
ne = _function("ne")
gt = _function("gt")
lt = _function("lt")
ge = _function("ge")
le = _function("le")
logical_and = _function("logical_and")
logical_or = _function("logical_or")
matmul = _function("matmul")
mm = _function("mm")
bmm = _function("bmm")
dot = _function("dot")
outer = _function("outer")
ger = outer

# reductions
sum = _function("sum")
mean = _function("mean")
std = _function("std")
var = _function("var")


def var_mean(input: Any, *args: Any, **kwargs: Any) -> tuple[Tensor, Tensor]:
    """``(var, mean)`` over the same ``dim``, as ``torch.var_mean`` (``correction`` or
    ``unbiased`` as ``var``'s)."""
    x = _operand(input, "var_mean")
    dim = args[0] if args else kwargs.get("dim")
    keepdim = kwargs.get("keepdim", False)
    return x.var(*args, **kwargs), x.mean(dim, keepdim) if dim is not None else x.mean()


def std_mean(input: Any, *args: Any, **kwargs: Any) -> tuple[Tensor, Tensor]:
    """``(std, mean)`` over the same ``dim``, as ``torch.std_mean``."""
    x = _operand(input, "std_mean")
    dim = args[0] if args else kwargs.get("dim")
    keepdim = kwargs.get("keepdim", False)
    return x.std(*args, **kwargs), x.mean(dim, keepdim) if dim is not None else x.mean()


def dist(input: Any, other: Any, p: float = 2) -> Tensor:
    """The ``p``-norm of ``input - other`` (broadcast), as ``torch.dist``."""
    return _operand(input, "dist").dist(other, p)


_deterministic = [False]


def use_deterministic_algorithms(mode: bool, *, warn_only: bool = False) -> None:
    """Accepted as PyTorch's switch; descend's algorithms are deterministic either way."""
    _deterministic[0] = bool(mode)


def are_deterministic_algorithms_enabled() -> bool:
    """What ``use_deterministic_algorithms`` last set (descend is deterministic always)."""
    return _deterministic[0]


def _in_place_function(name: str) -> Callable[..., Any]:
    """torch.<name>_(input, ...) as input.<name>_(...)."""

    def function(input: Any, *args: Any, **kwargs: Any) -> Any:
        return getattr(_operand(input, f"{name}_"), f"{name}_")(*args, **kwargs)

    function.__name__ = function.__qualname__ = f"{name}_"
    function.__doc__ = f"``torch.{name}_(input)``: ``input.{name}_()`` (in place)."
    return function


abs_ = _in_place_function("abs")
relu_ = _in_place_function("relu")
sigmoid_ = _in_place_function("sigmoid")
tanh_ = _in_place_function("tanh")
exp_ = _in_place_function("exp")
sqrt_ = _in_place_function("sqrt")
neg_ = _in_place_function("neg")
clamp_ = _in_place_function("clamp")
prod = _function("prod")
max = _function("max")
min = _function("min")
amax = _function("amax")
amin = _function("amin")
argmax = _function("argmax")
argmin = _function("argmin")
logsumexp = _function("logsumexp")
norm = _function("norm")
any = _function("any")
all = _function("all")
softmax = _function("softmax")
log_softmax = _function("log_softmax")
sort = _function("sort")
argsort = _function("argsort")
topk = _function("topk")

# shapes
flatten = _function("flatten")
reshape = _function("reshape")
transpose = _function("transpose")
swapaxes = _function("swapaxes")


def permute(input: Any, dims: Any) -> Tensor:
    """``input`` with its dimensions in the order ``dims`` (a view)."""
    return _operand(input, "permute").permute(*_dims_argument(dims, "permute"))


squeeze = _function("squeeze")
unsqueeze = _function("unsqueeze")
chunk = _function("chunk")
split = _function("split")
narrow = _function("narrow")
gather = _function("gather")
index_select = _function("index_select")
masked_fill = _function("masked_fill")
roll = _function("roll")
movedim = _function("movedim")
moveaxis = movedim


def flip(input: Any, dims: Any) -> Tensor:
    """``input`` with the order of its elements reversed along each of ``dims`` (a copy)."""
    return _operand(input, "flip").flip(*_dims_argument(dims, "flip"))


def _dims_argument(dims: Any, name: str) -> tuple[Any, ...]:
    if not isinstance(dims, list | tuple):
        raise TypeError(
            f"{name}(): argument 'dims' (position 2) must be tuple of ints, not "
            f"{type(dims).__name__}"
        )
    return tuple(dims)


unbind = _function("unbind")
select = _function("select")
t = _function("t")
tril = _function("tril")
triu = _function("triu")
cumsum = _function("cumsum")
cumprod = _function("cumprod")
diag = _function("diag")
diagonal = _function("diagonal")
trace = _function("trace")
nansum = _function("nansum")
nanmean = _function("nanmean")
histc = _function("histc")
histogram = _function("histogram")
bincount = _function("bincount")
unique = _function("unique")
masked_select = _function("masked_select")
diff = _function("diff")
logit = _function("logit")
count_nonzero = _function("count_nonzero")
inverse = _function("inverse")
det = _function("det")


def tile(input: Any, dims: Any) -> Tensor:
    """``input`` repeated ``dims`` times along each dimension, as ``torch.tile``."""
    return _operand(input, "tile").tile(_dims_argument(dims, "tile"))


nonzero = _function("nonzero")
clone = _function("clone")
detach = _function("detach")


def pow(input: Any, exponent: Any, *, out: Any = None) -> Tensor:
    """input ** exponent, elementwise; ``input`` may be a number when ``exponent`` is a
    Tensor (``torch.pow(2, x)``)."""
    if not isinstance(input, Tensor | np.ndarray) and isinstance(exponent, Tensor):
        return into(out, exponent.__rpow__(input), "pow")
    return into(out, _operand(input, "pow").pow(exponent), "pow")


def where(condition: Any, input: Any = None, other: Any = None, *, out: Any = None) -> Any:
    """``input`` where ``condition`` holds, else ``other`` (either may be a number); with
    the condition alone, the indices of its nonzero elements (``torch.where(c)``)."""
    cond = _operand(condition, "where", "condition")
    if input is None and other is None:
        return tuple(Tensor._make(i) for i in np.nonzero(cond._data))
    if isinstance(input, Tensor | np.ndarray):
        result = _operand(input, "where", "input", 2).where(cond, other)
    elif isinstance(other, Tensor | np.ndarray):  # where(c, x, y) is where(~c, y, x)
        result = _operand(other, "where", "other", 3).where(~cond._data.astype(bool), input)
        if result._node is not None:  # (the condition is saved, not its negation)
            result._node.saved = [*result._node.saved, (cond._vc, cond._vc[0], cond)]
    else:
        numbers = [_dtype.scalar_dtype(input), _dtype.scalar_dtype(other)]
        dtype = _dtype.result_dtype([], [], numbers)
        result = Tensor._make(np.where(cond._data.astype(bool), input, other).astype(dtype))
    return into(out, result, "where")


allclose = _function("allclose")
equal = _function("equal")


def is_tensor(obj: Any) -> bool:
    """Whether ``obj`` is a Tensor (a Parameter is one)."""
    return isinstance(obj, Tensor)


def is_floating_point(input: Any) -> bool:
    """Whether ``input``'s dtype is a floating-point one."""
    return bool(_operand(input, "is_floating_point")._data.dtype.kind == "f")


def is_complex(input: Any) -> bool:
    """Whether ``input``'s dtype is a complex one."""
    return bool(_operand(input, "is_complex")._data.dtype.kind == "c")


def view_as_real(input: Any) -> Tensor:
    """A complex Tensor's storage seen as real numbers: a view with a last dimension of 2
    (real and imaginary parts), as ``torch.view_as_real``; other dtypes raise."""
    return _operand(input, "view_as_real")._view_as_real()


def view_as_complex(input: Any) -> Tensor:
    """The inverse of ``view_as_real``: a view of a real Tensor whose last dimension is 2
    (of stride 1) as complex numbers."""
    return _operand(input, "view_as_complex")._view_as_complex()


def meshgrid(*tensors: Any, indexing: str | None = None) -> tuple[Tensor, ...]:
    """Coordinate grids from 1-D Tensors, as ``torch.meshgrid``: output i holds tensor i's
    values along dimension i ("ij", PyTorch's default, with its warning when not given) or
    with the first two dimensions swapped ("xy", NumPy's default); each an expanded view of
    its input (differentiable)."""
    if len(tensors) == 1 and isinstance(tensors[0], list | tuple):
        tensors = tuple(tensors[0])
    if indexing is None:
        warnings.warn(
            "torch.meshgrid: in an upcoming release, it will be required to pass the indexing "
            "argument.",
            UserWarning,
            stacklevel=2,
        )
        indexing = "ij"
    if indexing not in ("ij", "xy"):
        raise ValueError(
            f'torch.meshgrid: indexing must be one of "xy" or "ij", but received: {indexing}'
        )
    grids = [_operand(t, "meshgrid") for t in tensors]
    for grid in grids:
        if grid._data.ndim > 1:
            raise RuntimeError(
                f"torch.meshgrid: Expected 0D or 1D tensor in the tensor list but got: {grid}"
            )
    if len({g._data.dtype for g in grids}) > 1:
        raise RuntimeError("meshgrid expects all tensors to have the same dtype")
    sizes = [g._data.size for g in grids]
    swap = indexing == "xy" and len(grids) >= 2
    if swap:
        sizes[0], sizes[1] = sizes[1], sizes[0]
    out = []
    for number, grid in enumerate(grids):
        axis = {0: 1, 1: 0}.get(number, number) if swap else number
        shape = [1] * len(grids)
        shape[axis] = -1
        out.append(grid.reshape(shape).expand(*sizes))
    return tuple(out)


def numel(input: Any) -> int:
    """The number of elements of ``input``."""
    return int(_operand(input, "numel")._data.size)


__all__ = sorted(
    name
    for name, value in list(globals().items())
    if not name.startswith("_") and getattr(value, "__module__", None) == __name__
)
