"""The primitive differentiable operations behind Tensor's operators and methods.

Each op computes its output with NumPy and records one node whose ``backward(g)`` returns
``dL/d(input)`` for each input from ``g = dL/d(output)``; broadcasting is undone by
``unbroadcast``. Constants (Python numbers, ndarrays) take the dtype of the Tensor they meet,
so a float32 Tensor stays float32.
"""

from __future__ import annotations

import builtins
from collections.abc import Callable
from typing import Any

import numpy as np

from .tensor import MaxResult, Tensor, get_default_dtype, unbroadcast

Array = np.ndarray


def lift(value: Any, like: Tensor | None = None) -> Tensor:
    """``value`` as a Tensor; numbers and arrays take the float dtype of ``like``."""
    if isinstance(value, Tensor):
        return value
    if like is not None and like.dtype.kind == "f":
        return Tensor._wrap(np.asarray(value, dtype=like.dtype))
    array = np.asarray(value)
    if array.dtype.kind == "f" and not isinstance(value, np.ndarray):
        array = array.astype(get_default_dtype())
    return Tensor._wrap(array)


def _pair(a: Any, b: Any) -> tuple[Tensor, Tensor]:
    if isinstance(a, Tensor):
        return a, lift(b, a)
    return lift(a, b), b


def add(a: Any, b: Any) -> Tensor:
    a, b = _pair(a, b)

    def backward(g: Array) -> tuple[Array, Array]:
        return unbroadcast(g, a.shape), unbroadcast(g, b.shape)

    return Tensor._from_op(_broadcasting(np.add, a, b, "add"), (a, b), backward, "Add")


def sub(a: Any, b: Any) -> Tensor:
    a, b = _pair(a, b)

    def backward(g: Array) -> tuple[Array, Array]:
        return unbroadcast(g, a.shape), unbroadcast(-g, b.shape)

    return Tensor._from_op(_broadcasting(np.subtract, a, b, "sub"), (a, b), backward, "Sub")


def mul(a: Any, b: Any) -> Tensor:
    a, b = _pair(a, b)

    def backward(g: Array) -> tuple[Array | None, Array | None]:
        return (
            unbroadcast(g * b.data, a.shape) if a.requires_grad else None,
            unbroadcast(g * a.data, b.shape) if b.requires_grad else None,
        )

    return Tensor._from_op(_broadcasting(np.multiply, a, b, "mul"), (a, b), backward, "Mul")


def div(a: Any, b: Any) -> Tensor:
    a, b = _pair(a, b)
    if a.dtype.kind in "iub" and b.dtype.kind in "iub":
        a, b = a.to(get_default_dtype()), b.to(get_default_dtype())

    def backward(g: Array) -> tuple[Array | None, Array | None]:
        return (
            unbroadcast(g / b.data, a.shape) if a.requires_grad else None,
            unbroadcast(-g * a.data / (b.data * b.data), b.shape) if b.requires_grad else None,
        )

    return Tensor._from_op(_broadcasting(np.divide, a, b, "div"), (a, b), backward, "Div")


def pow(base: Any, exponent: Any) -> Tensor:
    if isinstance(base, Tensor) and not isinstance(exponent, Tensor):
        return _pow_scalar(base, exponent)
    a, b = _pair(base, exponent)
    out = _broadcasting(np.power, a, b, "pow")

    def backward(g: Array) -> tuple[Array | None, Array | None]:
        grad_a = grad_b = None
        if a.requires_grad:
            grad_a = unbroadcast(g * b.data * np.power(a.data, b.data - 1), a.shape)
        if b.requires_grad:
            with np.errstate(divide="ignore", invalid="ignore"):
                log_a = np.where(a.data > 0, np.log(np.where(a.data > 0, a.data, 1)), 0)
            grad_b = unbroadcast(g * out * log_a, b.shape)
        return grad_a, grad_b

    return Tensor._from_op(out, (a, b), backward, "Pow")


def _pow_scalar(a: Tensor, exponent: Any) -> Tensor:
    p = exponent.item() if isinstance(exponent, np.ndarray | np.generic) else exponent
    if not isinstance(p, int | float) or isinstance(p, bool):
        raise TypeError(f"exponent must be a number or a Tensor, got {type(exponent).__name__}")
    data = a.data.astype(get_default_dtype()) if a.dtype.kind in "iub" and p < 0 else a.data

    def backward(g: Array) -> tuple[Array]:
        if p == 2:
            return (g * 2.0 * data,)
        return (g * p * data ** (p - 1),)

    return Tensor._from_op(data**p, (a,), backward, "Pow")


def _broadcasting(ufunc: np.ufunc, a: Tensor, b: Tensor, name: str) -> Array:
    try:
        result: Array = ufunc(a.data, b.data)
    except ValueError:
        raise RuntimeError(
            f"{name}: the size of tensor a {a.shape} must match the size of tensor b "
            f"{b.shape} at every non-singleton dimension (shapes do not broadcast)"
        ) from None
    return result


def matmul(a: Any, b: Any) -> Tensor:
    """Matrix product with NumPy's rules for 1-D and batched operands."""
    a, b = _pair(a, b)
    if a.ndim == 0 or b.ndim == 0:
        raise RuntimeError(
            f"matmul: both arguments need at least 1 dimension, got shapes {a.shape} and {b.shape}"
        )
    try:
        out = np.matmul(a.data, b.data)
    except ValueError:
        raise RuntimeError(
            f"mat1 and mat2 shapes cannot be multiplied ({_x(a.shape)} and {_x(b.shape)})"
        ) from None
    a2 = a.data[None, :] if a.ndim == 1 else a.data
    b2 = b.data[:, None] if b.ndim == 1 else b.data

    out2_shape = np.broadcast_shapes(a2.shape[:-2], b2.shape[:-2]) + (a2.shape[-2], b2.shape[-1])

    def backward(g: Array) -> tuple[Array | None, Array | None]:
        g = g.reshape(out2_shape)
        grad_a = grad_b = None
        if a.requires_grad:
            grad_a = unbroadcast(g @ np.swapaxes(b2, -1, -2), a2.shape).reshape(a.shape)
        if b.requires_grad:
            grad_b = unbroadcast(np.swapaxes(a2, -1, -2) @ g, b2.shape).reshape(b.shape)
        return grad_a, grad_b

    return Tensor._from_op(out, (a, b), backward, "MatMul")


def _x(shape: tuple[int, ...]) -> str:
    return "x".join(str(n) for n in shape) if shape else "scalar"


def neg(a: Tensor) -> Tensor:
    return Tensor._from_op(-a.data, (a,), lambda g: (-g,), "Neg")


def plain_index(index: Any) -> Any:
    """An index with Tensors replaced by their arrays."""
    if isinstance(index, Tensor):
        return index.data
    if isinstance(index, tuple):
        return tuple(i.data if isinstance(i, Tensor) else i for i in index)
    return index


def _is_basic(index: Any) -> bool:
    parts = index if isinstance(index, tuple) else (index,)
    return all(
        isinstance(i, int | slice | np.integer) or i is None or i is Ellipsis for i in parts
    ) and not any(isinstance(i, bool) for i in parts)


def getitem(a: Tensor, index: Any) -> Tensor:
    index = plain_index(index)
    try:
        out = a.data[index]
    except IndexError as error:
        raise IndexError(
            f"index {index!r} does not fit a tensor of shape {a.shape}: {error}"
        ) from None

    def backward(g: Array) -> tuple[Array]:
        grad = np.zeros_like(a.data)
        if _is_basic(index):
            grad[index] = g
        else:
            np.add.at(grad, index, g)
        return (grad,)

    return Tensor._from_op(np.asarray(out), (a,), backward, "Index")


def _dims(dim: Any, ndim: int) -> tuple[int, ...] | None:
    if dim is None:
        return None
    dims = (dim,) if isinstance(dim, int | np.integer) else tuple(dim)
    out = []
    for d in dims:
        if isinstance(d, bool) or not -builtins.max(ndim, 1) <= d < builtins.max(ndim, 1):
            raise IndexError(
                f"Dimension out of range (expected to be in range of "
                f"[{-builtins.max(ndim, 1)}, {builtins.max(ndim, 1) - 1}], but got {d})"
            )
        out.append(int(d) % builtins.max(ndim, 1))
    return tuple(out)


def _expand_back(
    g: Array, shape: tuple[int, ...], dims: tuple[int, ...] | None, keepdim: bool
) -> Array:
    if dims is not None and not keepdim and len(shape) > 0:
        g = np.expand_dims(g, dims)
    return np.broadcast_to(g, shape)


def sum(a: Tensor, dim: Any = None, keepdim: bool = False) -> Tensor:
    dims = _dims(dim, a.ndim)
    axis = dims if a.ndim > 0 else None
    out = np.sum(a.data, axis=axis, keepdims=keepdim)

    def backward(g: Array) -> tuple[Array]:
        return (_expand_back(g, a.shape, dims, keepdim),)

    return Tensor._from_op(np.asarray(out), (a,), backward, "Sum")


def mean(a: Tensor, dim: Any = None, keepdim: bool = False) -> Tensor:
    if a.dtype.kind not in "fc":
        raise RuntimeError(
            "mean(): could not infer output dtype. Input dtype must be floating point, "
            f"got {a.dtype}"
        )
    dims = _dims(dim, a.ndim)
    axis = dims if a.ndim > 0 else None
    out = np.mean(a.data, axis=axis, keepdims=keepdim)
    count = a.data.size // builtins.max(np.asarray(out).size, 1) if a.data.size else 1

    def backward(g: Array) -> tuple[Array]:
        return (_expand_back(g / count, a.shape, dims, keepdim),)

    return Tensor._from_op(np.asarray(out), (a,), backward, "Mean")


def extremum(a: Tensor, dim: int | None, keepdim: bool, arg: Callable[..., Any], name: str) -> Any:
    if dim is None:
        value = a.data.max() if name == "max" else a.data.min()

        def backward_all(g: Array) -> tuple[Array]:
            mask = a.data == value
            return (g * mask / np.count_nonzero(mask),)

        return Tensor._from_op(np.asarray(value), (a,), backward_all, name.capitalize())
    axis = _dims(dim, a.ndim)[0]  # type: ignore[index]
    indices = np.expand_dims(arg(a.data, axis=axis), axis)
    values = np.take_along_axis(a.data, indices, axis)

    def backward(g: Array) -> tuple[Array]:
        grad = np.zeros_like(a.data)
        np.put_along_axis(grad, indices, g if keepdim else np.expand_dims(g, axis), axis)
        return (grad,)

    kept = (values, indices) if keepdim else (values.squeeze(axis), indices.squeeze(axis))
    result = Tensor._from_op(kept[0], (a,), backward, name.capitalize())
    return MaxResult(result, Tensor._wrap(kept[1].astype(np.int64)))


def arg_extremum(a: Tensor, dim: int | None, keepdim: bool, arg: Callable[..., Any]) -> Tensor:
    if dim is None:
        return Tensor._wrap(np.asarray(arg(a.data), dtype=np.int64))
    axis = _dims(dim, a.ndim)[0]  # type: ignore[index]
    out = arg(a.data, axis=axis)
    if keepdim:
        out = np.expand_dims(out, axis)
    return Tensor._wrap(np.asarray(out, dtype=np.int64))


def compare(ufunc: np.ufunc, a: Tensor, b: Any) -> Tensor:
    b = b.data if isinstance(b, Tensor) else b
    return Tensor._wrap(np.asarray(ufunc(a.data, b)))


def reshape(a: Tensor, shape: tuple[int, ...]) -> Tensor:
    try:
        out = a.data.reshape(shape)
    except ValueError:
        raise RuntimeError(
            f"shape '{list(shape)}' is invalid for input of size {a.data.size} (shape {a.shape})"
        ) from None
    return Tensor._from_op(out, (a,), lambda g: (g.reshape(a.shape),), "Reshape")


def flatten(a: Tensor, start_dim: int = 0, end_dim: int = -1) -> Tensor:
    if a.ndim == 0:
        return reshape(a, (1,))
    start, end = _dims((start_dim, end_dim), a.ndim)  # type: ignore[misc]
    shape = a.shape[:start] + (int(np.prod(a.shape[start : end + 1])),) + a.shape[end + 1 :]
    return reshape(a, shape)


def unsqueeze(a: Tensor, dim: int) -> Tensor:
    axis = _dims(dim, a.ndim + 1)[0]  # type: ignore[index]
    return reshape(a, a.shape[:axis] + (1,) + a.shape[axis:])


def squeeze(a: Tensor, dim: int | None = None) -> Tensor:
    if dim is None:
        return reshape(a, tuple(n for n in a.shape if n != 1))
    axis = _dims(dim, a.ndim)[0]  # type: ignore[index]
    if a.ndim == 0 or a.shape[axis] != 1:
        return a
    return reshape(a, a.shape[:axis] + a.shape[axis + 1 :])


def transpose(a: Tensor, dim0: int, dim1: int) -> Tensor:
    axes = list(range(a.ndim))
    d0, d1 = _dims((dim0, dim1), a.ndim)  # type: ignore[misc]
    axes[d0], axes[d1] = axes[d1], axes[d0]
    return permute(a, tuple(axes))


def permute(a: Tensor, dims: tuple[int, ...]) -> Tensor:
    if sorted(_dims(dims, a.ndim) or ()) != list(range(a.ndim)):
        raise RuntimeError(f"permute: dims {dims} are not a permutation of the {a.ndim} dims")
    axes = _dims(dims, a.ndim) or ()
    inverse = tuple(np.argsort(axes))
    return Tensor._from_op(
        np.transpose(a.data, axes), (a,), lambda g: (np.transpose(g, inverse),), "Permute"
    )


def _floating(a: Tensor) -> Array:
    return a.data if a.dtype.kind == "f" else a.data.astype(get_default_dtype())


def exp(a: Tensor) -> Tensor:
    out = np.exp(_floating(a))
    return Tensor._from_op(out, (a,), lambda g: (g * out,), "Exp")


def log(a: Tensor) -> Tensor:
    x = _floating(a)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.log(x)
    return Tensor._from_op(out, (a,), lambda g: (g / x,), "Log")


def sqrt(a: Tensor) -> Tensor:
    with np.errstate(invalid="ignore"):
        out = np.sqrt(_floating(a))
    return Tensor._from_op(out, (a,), lambda g: (g / (2.0 * out),), "Sqrt")


def abs(a: Tensor) -> Tensor:
    return Tensor._from_op(np.abs(a.data), (a,), lambda g: (g * np.sign(a.data),), "Abs")


def clamp(a: Tensor, low: float | None = None, high: float | None = None) -> Tensor:
    if low is None and high is None:
        raise RuntimeError("clamp: at least one of 'min' or 'max' must not be None")
    out = np.clip(a.data, low, high)
    passes = np.ones(a.shape, dtype=bool)
    if low is not None:
        passes &= a.data >= low
    if high is not None:
        passes &= a.data <= high
    return Tensor._from_op(out, (a,), lambda g: (g * passes,), "Clamp")


def cast(a: Tensor, dtype: np.dtype, copy: bool = False) -> Tensor:
    """``a`` in ``dtype``; gradients are cast back to ``a``'s dtype."""
    if dtype == a.dtype and not copy:
        return a
    out = a.data.astype(dtype, copy=True)
    if dtype.kind != "f" or a.dtype.kind != "f":
        return Tensor._wrap(out)
    return Tensor._from_op(out, (a,), lambda g: (g.astype(a.dtype, copy=False),), "Cast")


def relu(a: Tensor) -> Tensor:
    """max(0, x); the gradient at 0 is 0, as PyTorch."""
    x = a if type(a) is Tensor else lift(a)
    data = x.data
    return Tensor._from_op(np.maximum(data, 0), (x,), lambda g: (g * (data > 0),), "Relu")


def leaky_relu(a: Tensor, negative_slope: float = 0.01) -> Tensor:
    """x if x > 0 else negative_slope * x."""
    x = lift(a)
    slope = np.where(x.data > 0, 1.0, negative_slope).astype(x.dtype)
    return Tensor._from_op(x.data * slope, (x,), lambda g: (g * slope,), "LeakyRelu")


def sigmoid(a: Tensor) -> Tensor:
    """1 / (1 + exp(-x)), computed without overflow; d/dx = s (1 - s)."""
    x = lift(a)
    data = _floating(x)
    e = np.exp(-np.abs(data))
    out = np.where(data >= 0, 1.0 / (1.0 + e), e / (1.0 + e)).astype(data.dtype, copy=False)
    return Tensor._from_op(out, (x,), lambda g: (g * out * (1.0 - out),), "Sigmoid")


def tanh(a: Tensor) -> Tensor:
    """tanh(x); d/dx = 1 - tanh(x)**2."""
    x = lift(a)
    out = np.tanh(_floating(x))
    return Tensor._from_op(out, (x,), lambda g: (g * (1.0 - out * out),), "Tanh")


def softmax(a: Tensor, dim: int) -> Tensor:
    """exp(x_i - max) / sum_j exp(x_j - max) along ``dim``; backward s * (g - sum(g * s))."""
    x = lift(a)
    axis = _dims(dim, x.ndim)[0] if x.ndim else None  # type: ignore[index]
    shifted = np.exp(_floating(x) - np.max(x.data, axis=axis, keepdims=True))
    out = shifted / np.sum(shifted, axis=axis, keepdims=True)

    def backward(g: Array) -> tuple[Array]:
        return (out * (g - np.sum(g * out, axis=axis, keepdims=True)),)

    return Tensor._from_op(out, (x,), backward, "Softmax")


def log_softmax(a: Tensor, dim: int) -> Tensor:
    """x_i - logsumexp(x) along ``dim``, stable for any logits; backward g - softmax * sum(g)."""
    x = lift(a)
    axis = _dims(dim, x.ndim)[0] if x.ndim else None  # type: ignore[index]
    out = log_softmax_array(_floating(x), axis)

    def backward(g: Array) -> tuple[Array]:
        return (g - np.exp(out) * np.sum(g, axis=axis, keepdims=True),)

    return Tensor._from_op(out, (x,), backward, "LogSoftmax")


def log_softmax_array(x: Array, axis: int | None) -> Array:
    shifted = x - np.max(x, axis=axis, keepdims=True)
    result: Array = shifted - np.log(np.sum(np.exp(shifted), axis=axis, keepdims=True))
    return result
