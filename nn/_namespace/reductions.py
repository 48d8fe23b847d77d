"""``torch.<name>`` for reductions, in-place functions, shapes and joins, and the process
settings (deterministic algorithms)."""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

import numpy as np

from .. import _dtype
from .._args.out import into
from ..tensor import Tensor
from ..types import Dim, InputLike
from .core import _function, _operand

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
    variance = _named("var_mean", lambda: x.var(*args, **kwargs))
    return variance, _moments_mean(x, dim, kwargs.get("keepdim", False))


def std_mean(input: Any, *args: Any, **kwargs: Any) -> tuple[Tensor, Tensor]:
    """``(std, mean)`` over the same ``dim``, as ``torch.std_mean``."""
    x = _operand(input, "std_mean")
    dim = args[0] if args else kwargs.get("dim")
    deviation = _named("std_mean", lambda: x.std(*args, **kwargs))
    return deviation, _moments_mean(x, dim, kwargs.get("keepdim", False))


def _named(name: str, moment: Callable[[], Tensor]) -> Tensor:
    """``moment()``, its degrees-of-freedom warning named after ``name`` (PyTorch's
    ``var_mean(): degrees of freedom is <= 0...``)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = moment()
    for warning in caught:
        message = str(warning.message)
        if "(): degrees of freedom" in message:
            message = f"{name}(): {message.split('(): ', 1)[1]}"
        warnings.warn(message, warning.category, stacklevel=3)
    return result


def _moments_mean(x: Tensor, dim: Any, keepdim: bool) -> Tensor:
    """The mean ``var_mean``/``std_mean`` return. PyTorch's Welford update accumulates
    float32 and float16 in float64, so their mean is the float64 mean rounded once (NumPy's
    pairwise float32 mean differs in the last bits, in relative terms far more where the
    values cancel); float64 is averaged as it is."""
    narrow = x.dtype.kind == "f" and x.dtype.itemsize < 8
    wide = _dtype.float64 if narrow else None
    mean = x.mean(dim, keepdim, dtype=wide) if dim is not None else x.mean(dtype=wide)
    return mean.to(x.dtype) if narrow else mean


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

    def function(input: InputLike, *args: object, **kwargs: object) -> Any:
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


def permute(input: InputLike, dims: Dim) -> Tensor:
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


def flip(input: InputLike, dims: Dim) -> Tensor:
    """``input`` with the order of its elements reversed along each of ``dims`` (a copy)."""
    return _operand(input, "flip").flip(*_dims_argument(dims, "flip"))


def _dims_argument(dims: Dim, name: str) -> tuple[Any, ...]:
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
diag_embed = _function("diag_embed")
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


def tile(input: InputLike, dims: Dim) -> Tensor:
    """``input`` repeated ``dims`` times along each dimension, as ``torch.tile``."""
    return _operand(input, "tile").tile(_dims_argument(dims, "tile"))


nonzero = _function("nonzero")
clone = _function("clone")
detach = _function("detach")


def pow(input: InputLike, exponent: InputLike, *, out: object = None) -> Tensor:
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


def is_tensor(obj: object) -> bool:
    """Whether ``obj`` is a Tensor (a Parameter is one)."""
    return isinstance(obj, Tensor)


def is_floating_point(input: InputLike) -> bool:
    """Whether ``input``'s dtype is a floating-point one."""
    return bool(_operand(input, "is_floating_point")._data.dtype.kind == "f")


def is_complex(input: InputLike) -> bool:
    """Whether ``input``'s dtype is a complex one."""
    return bool(_operand(input, "is_complex")._data.dtype.kind == "c")


def view_as_real(input: InputLike) -> Tensor:
    """A complex Tensor's storage seen as real numbers: a view with a last dimension of 2
    (real and imaginary parts), as ``torch.view_as_real``; other dtypes raise."""
    return _operand(input, "view_as_real")._view_as_real()


def view_as_complex(input: InputLike) -> Tensor:
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


def numel(input: InputLike) -> int:
    """The number of elements of ``input``."""
    return int(_operand(input, "numel")._data.size)


__all__ = sorted(
    name
    for name, value in list(globals().items())
    if not name.startswith("_") and getattr(value, "__module__", "").startswith("nn._namespace")
)
