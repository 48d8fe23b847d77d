"""NumPy ufuncs meeting Tensors (``Tensor.__array_ufunc__``).

- ``ndarray (op) Tensor``: NumPy hands the operator to the ufunc, which lands here; it
  becomes the Tensor operator, so the result is a Tensor and is differentiable.
- Any other ufunc (``np.exp(t)``, ``np.maximum(t, 0)``...) on a Tensor that requires grad
  raises: computing it on the array would silently cut the graph (PyTorch raises too). Use
  ``nn.exp(t)`` / ``t.exp()``, or ``t.detach()`` to leave the graph on purpose.
- On Tensors that do not require grad it computes on the arrays and returns Tensors, as
  PyTorch's ``__array_wrap__`` does.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .._errors import NumpyGraphError

# ufunc -> (the Tensor method for ``tensor (op) x``, for ``x (op) tensor``)
_OPERATORS: dict[Any, tuple[str, str]] = {
    np.add: ("__add__", "__radd__"),
    np.subtract: ("__sub__", "__rsub__"),
    np.multiply: ("__mul__", "__rmul__"),
    np.true_divide: ("__truediv__", "__rtruediv__"),
    np.floor_divide: ("__floordiv__", "__rfloordiv__"),
    np.power: ("__pow__", "__rpow__"),
    np.matmul: ("__matmul__", "__rmatmul__"),
    np.equal: ("__eq__", "__eq__"),
    np.not_equal: ("__ne__", "__ne__"),
    np.less: ("__lt__", "__gt__"),
    np.less_equal: ("__le__", "__ge__"),
    np.greater: ("__gt__", "__lt__"),
    np.greater_equal: ("__ge__", "__le__"),
}

_SUGGEST = {
    "exp": "nn.exp(t) or t.exp()",
    "log": "nn.log(t) or t.log()",
    "sqrt": "nn.sqrt(t) or t.sqrt()",
    "maximum": "nn.maximum(a, b) or nn.clamp(t, min=...)",
    "minimum": "nn.minimum(a, b) or nn.clamp(t, max=...)",
    "tanh": "nn.tanh(t) or t.tanh()",
    "absolute": "nn.abs(t) or t.abs()",
}


def array_ufunc(
    tensor_type: Any, ufunc: Any, method: str, inputs: tuple[Any, ...], kwargs: dict[str, Any]
) -> Any:
    """``Tensor.__array_ufunc__``'s work (``tensor_type`` is ``nn.Tensor``)."""
    if method == "__call__" and not kwargs and len(inputs) == 2 and ufunc in _OPERATORS:
        first, second = inputs
        forward, reflected = _OPERATORS[ufunc]
        if isinstance(first, tensor_type):
            return getattr(first, forward)(second)
        return getattr(second, reflected)(first)
    arrays = []
    for value in inputs:
        if isinstance(value, tensor_type):
            if value.requires_grad:
                suggestion = _SUGGEST.get(ufunc.__name__, "the nn function or Tensor method")
                raise NumpyGraphError(
                    f"np.{ufunc.__name__} cannot differentiate through a Tensor that requires "
                    f"grad (computing it on the array would cut the graph): use {suggestion}, "
                    "or t.detach() to leave the graph on purpose"
                )
            value = value._data
        arrays.append(value)
    out = kwargs.get("out")
    if out is not None:
        kwargs["out"] = tuple(o._data if isinstance(o, tensor_type) else o for o in out)
    result = getattr(ufunc, method)(*arrays, **kwargs)
    if out is not None:
        return out[0] if len(out) == 1 else out
    return _wrap(tensor_type, result)


def _wrap(tensor_type: Any, result: Any) -> Any:
    if isinstance(result, tuple):
        return tuple(_wrap(tensor_type, r) for r in result)
    if isinstance(result, np.ndarray | np.generic):
        return tensor_type._make(np.asarray(result))
    return result
