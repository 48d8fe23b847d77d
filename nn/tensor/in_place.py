"""In-place changes of a Tensor's storage, with PyTorch's autograd rules: the checks that
refuse them (a leaf that requires grad, some views), whether one is recorded, running an
out-of-place op and writing its result into the storage (``CopySlices`` through a view),
and the write itself, which bumps the version counter."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import numpy as np

from .. import _dtype
from .._errors import read_only_error
from ..autograd.grad_mode import _Mode, no_grad
from .core import TensorCore
from .views import adopt

T = TypeVar("T", bound=TensorCore)


def check(t: TensorCore) -> None:
    """Refuse, as PyTorch does in grad mode, to change a leaf that requires grad (or a
    view of one), or a view made under no_grad of a Tensor that requires grad."""
    if not _Mode.enabled:
        return
    info = t._view
    if info is None:
        if t._rg and t._node is None:
            raise RuntimeError(
                "a leaf Variable that requires grad is being used in an in-place operation."
            )
        return
    base = info.base
    if info.multiple is not None and base._rg and info.grad_mode:
        op, number = info.multiple
        raise RuntimeError(
            f"Output {number} of {op} is a view and is being modified inplace. This view is "
            "the output of a function that returns multiple views. Such functions do not "
            "allow the output views to be modified inplace. You should replace the inplace "
            "operation by an out-of-place one."
        )
    if not info.grad_mode and base._rg:
        raise RuntimeError(
            "A view was created in no_grad mode and is being modified inplace with grad "
            "mode enabled. Given that this use case is ambiguous and error-prone, it is "
            "forbidden. You can clarify your code by moving both the view and the inplace "
            "either both inside the no_grad block (if you don't want the inplace to be "
            "tracked) or both outside (if you want the inplace to be tracked)."
        )
    if base._rg and base._node is None:
        raise RuntimeError(
            "a view of a leaf Variable that requires grad is being used in an in-place operation."
        )


def recording(t: TensorCore, *others: object) -> bool:
    """Whether an in-place op with ``others`` must be recorded (after the checks)."""
    check(t)
    if not _Mode.enabled:
        return False
    if t.requires_grad:
        return True
    return any(isinstance(o, TensorCore) and o.requires_grad for o in others)


def run(t: T, op: Callable[..., TensorCore], *args: object, **kwargs: object) -> T:
    """Run the out-of-place ``op(t, *args, **kwargs)`` and write its result into this
    Tensor's storage, with PyTorch's autograd rules for in-place ops."""
    if not recording(t, *args, *kwargs.values()):
        with no_grad():
            result = op(t, *args, **kwargs)
        write(t, result._data)
        return t
    source = TensorCore._make(values_before(t._data))  # (backward may need them)
    source._node, source._rg = t._node, t._rg
    args = tuple(source if a is t else a for a in args)
    result = op(source, *args, **kwargs)
    write(t, result._data)
    adopt(t, result)
    return t


def values_before(data: np.ndarray) -> np.ndarray:
    """A copy of a storage's values before an in-place op changes them (``nn.compile``
    watches it: the copy stands for the values the recording knew)."""
    copy: np.ndarray = data.copy()
    return copy


def write(t: TensorCore, values: np.ndarray) -> None:
    """Copy ``values`` (this Tensor's shape) into the storage and bump the version."""
    data = t._data
    if values.shape != data.shape:
        raise RuntimeError(
            f"output with shape {list(data.shape)} doesn't match the broadcast shape "
            f"{list(values.shape)}"
        )
    if not _dtype.can_cast(values.dtype, data.dtype):
        raise RuntimeError(
            f"result type {_dtype.torch_name(values.dtype)} can't be cast to the desired "
            f"output type {_dtype.torch_name(data.dtype)}"
        )
    try:
        np.copyto(data, values, casting="unsafe")
    except ValueError:
        raise read_only_error() from None
    t._vc[0] += 1
