"""Tensor conversions (a mixin of ``Tensor``): to Python numbers, NumPy arrays, strings,
other dtypes and the CPU, and the pickle / deepcopy protocol."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, cast

import numpy as np

from .. import _dtype, _memory_format
from .._args.dims import shape_args
from ..autograd.grad_mode import _Mode
from ..autograd.graph import node_type
from ..device import check_device, no_accelerator
from ..rules import conversion as conversion_rules
from ..types import DeviceLike, DTypeLike, InputLike
from .core import TensorCore, _new
from .numpy_interop import array_ufunc
from .printing import tensor_repr

_warned_float = False


def _warned_once() -> None:
    global _warned_float
    _warned_float = True


if TYPE_CHECKING:
    from ..tensor import Tensor

ToCopyBackward0 = node_type("ToCopyBackward0")
CloneBackward0 = node_type("CloneBackward0")


class TensorConvert(TensorCore):
    """Conversion methods of ``Tensor``."""

    __slots__ = ()

    # ---------------------------------------------------------------- conversion
    def item(self) -> Any:
        """The value of a one-element Tensor as a Python number.

        Examples
        --------
        >>> import nn
        >>> nn.tensor([[2.5]]).item()
        2.5
        """
        if self._data.size != 1:
            raise RuntimeError(
                f"a Tensor with {self._data.size} elements cannot be converted to Scalar"
            )
        return self._data.item()

    def tolist(self) -> Any:
        """The values as (nested lists of) Python numbers."""
        return self._data.tolist()

    def numpy(self, force: bool = False) -> np.ndarray:
        """The underlying ndarray (shared, not copied), as ``torch.Tensor.numpy``; refused for
        a Tensor that requires grad unless ``force``.

        Examples
        --------
        >>> import nn
        >>> nn.tensor([1.0, 2.0]).numpy()
        array([1., 2.], dtype=float32)
        """
        if self._rg and not force:
            raise RuntimeError(
                "Can't call numpy() on Tensor that requires grad. "
                "Use tensor.detach().numpy() instead."
            )
        return self._data

    def __array__(self, dtype: DTypeLike | None = None, copy: object = None) -> np.ndarray:
        if self._rg:
            raise RuntimeError(
                "Can't call numpy() on Tensor that requires grad. "
                "Use tensor.detach().numpy() instead."
            )
        if dtype is not None and np.dtype(dtype) != self._data.dtype:
            return self._data.astype(dtype)
        return self._data.copy() if copy else self._data

    def __array_ufunc__(
        self, ufunc: np.ufunc, method: str, *inputs: object, **kwargs: object
    ) -> Any:
        """NumPy ufuncs on Tensors. ``ndarray (op) Tensor`` arrives here and becomes the
        Tensor op (differentiable); any other ufunc refuses a Tensor that requires grad
        (it would cut the graph) and otherwise computes on arrays, giving Tensors."""
        return array_ufunc(TensorCore, ufunc, method, inputs, kwargs)

    def _scalar(self) -> np.ndarray:
        """The one value (0-d), for ``float()``, ``int()`` and ``complex()``: a ``ValueError``
        for any other size, as PyTorch's (``math.isfinite`` and matplotlib rely on that type)."""
        if self._data.size != 1:
            raise ValueError("only one element tensors can be converted to Python scalars")
        return self._data.reshape(())

    def __float__(self) -> float:
        if self._rg and _Mode.enabled and not _warned_float:  # (PyTorch's, once a process;
            _warned_once()  # .item() and no_grad are silent)
            warnings.warn(
                "Converting a tensor with requires_grad=True to a scalar may lead to unexpected "
                "behavior.\nConsider using tensor.detach() first.",
                UserWarning,
                stacklevel=2,
            )
        return float(self._scalar())

    def __int__(self) -> int:
        return int(self._scalar())

    def __complex__(self) -> complex:
        return complex(self._scalar())

    def __index__(self) -> int:
        if self._data.dtype.kind not in "iu" or self._data.size != 1:
            raise TypeError("only integer tensors of a single element can be converted to an index")
        return int(self._data.item())

    def element_size(self) -> int:
        """Bytes per element, as ``torch.Tensor.element_size``."""
        return int(self._data.itemsize)

    @property
    def itemsize(self) -> int:
        """Bytes per element (``element_size()``)."""
        return int(self._data.itemsize)

    @property
    def nbytes(self) -> int:
        """Bytes of the elements: numel() * itemsize (a view counts its own elements)."""
        return int(self._data.size * self._data.itemsize)

    def __bool__(self) -> bool:
        if self._data.size != 1:
            count = "more than one value" if self._data.size else "no values"
            raise RuntimeError(f"Boolean value of Tensor with {count} is ambiguous")
        return bool(self._data.item())

    def __format__(self, spec: str) -> str:
        if self._data.ndim == 0:
            return format(self._data.item(), spec)
        if not spec:
            return str(self)
        raise TypeError("unsupported format string passed to Tensor.__format__")

    def __repr__(self) -> str:
        """PyTorch's layout (``nn/tensor/printing.py``)."""
        if self._node is not None:
            trailing = [f"grad_fn=<{self._node.name()}>"]
        else:
            trailing = ["requires_grad=True"] if self._rg else []
        return tensor_repr(self._data, str(self._data.dtype), trailing)

    def __iter__(self) -> Iterator[Tensor]:
        if self._data.ndim == 0:
            raise TypeError("iteration over a 0-d tensor")
        me = cast("Tensor", self)
        return (me[i] for i in range(len(self._data)))

    def __contains__(self, element: object) -> bool:
        return bool(np.any(self._data == getattr(element, "_data", element)))

    def __reduce_ex__(self, protocol: object) -> tuple[object, ...]:
        if self._node is not None:
            raise RuntimeError(
                "Only Tensors created explicitly by the user (graph leaves) support the deepcopy "
                "protocol at the moment; detach() it first"
            )
        grad = None if self._grad is None else self._grad._data
        return (_rebuild, (type(self), self._data, self._rg, grad, self.__dict__ or None))

    def _cast(self, dtype: np.dtype) -> Tensor:
        """This Tensor in ``dtype``; recorded (the gradient cast back) between float dtypes."""
        me: Tensor = self  # type: ignore[assignment]
        if self._data.dtype == dtype:
            return me
        if dtype.kind in "fc" and self._data.dtype.kind in "fc":
            out, backward = conversion_rules.cast(self._data, dtype)
            return self._record(out, (me,), backward, ToCopyBackward0)
        return self._make(self._data.astype(dtype))

    # ------------------------------------------------------------------ dtypes
    def clone(self, *, memory_format: object = None) -> Tensor:
        """A differentiable copy with its own storage, in ``memory_format``'s layout (by
        default this Tensor's own, as PyTorch's ``preserve_format``)."""
        out = _memory_format.laid_out(_memory_format.preserved_copy(self._data), memory_format)
        out, backward = conversion_rules.copy(out)
        return self._record(out, (self,), backward, CloneBackward0)

    def to(self, *args: Any, **kwargs: Any) -> Tensor:
        """This Tensor in another dtype (differentiable between floats) and/or on the CPU:
        ``to(dtype)``, ``to("cpu")``, ``to(device, dtype)``, ``to(other)``; itself if
        nothing changes (a copy with ``copy=True``)."""
        dtype = kwargs.pop("dtype", None)
        device = kwargs.pop("device", None)
        copy = kwargs.pop("copy", False)
        kwargs.pop("non_blocking", None)
        memory_format = kwargs.pop("memory_format", None)
        if kwargs:
            raise TypeError(f"to() got unexpected keyword arguments {sorted(kwargs)}")
        for arg in args:
            if isinstance(arg, TensorCore):
                dtype = arg._data.dtype
            elif isinstance(arg, str) or type(arg).__name__ == "device":
                device = arg
            elif isinstance(arg, bool):
                continue
            else:
                dtype = arg
        check_device(device)
        result = self if dtype is None else self._cast(_dtype.to_dtype(dtype))
        if copy and result is self:
            return self.clone(memory_format=memory_format)
        if memory_format is not None and not _memory_format.is_laid_out(
            result._data, memory_format
        ):
            return result.clone(memory_format=memory_format)
        return result  # type: ignore[return-value]

    def type(self, dtype: DTypeLike | None = None) -> Tensor | str:
        """``type()`` is PyTorch's type name ("torch.FloatTensor"); ``type(dtype)`` converts."""
        if dtype is None:
            return f"torch.{_dtype.torch_name(self._data.dtype)}Tensor"
        legacy = getattr(dtype, "dtype", None) if isinstance(dtype, type) else None
        if isinstance(legacy, np.dtype):
            dtype = legacy  # (a legacy type: nn.FloatTensor)
        if isinstance(dtype, str):
            names = {f"torch.{_dtype.torch_name(d)}Tensor": d for d in _dtype.TORCH_NAMES}
            if dtype not in names:
                raise ValueError(f"invalid type: '{dtype}'")
            dtype = names[dtype]
        return self.to(dtype)

    # ------------------------------------------------------------ new Tensors
    def _new(self, array: np.ndarray, device: DeviceLike, requires_grad: bool) -> Tensor:
        check_device(device)
        out = self._make(array)
        if requires_grad:
            out.requires_grad_(True)
        return out

    def _new_dtype(self, dtype: DTypeLike | None) -> np.dtype:
        return self._data.dtype if dtype is None else _dtype.to_dtype(dtype)

    def new_zeros(
        self,
        *sizes: object,
        size: object = None,
        dtype: DTypeLike | None = None,
        device: DeviceLike | None = None,
        requires_grad: bool = False,
    ) -> Tensor:
        """Zeros of ``size``, this Tensor's dtype unless given (as PyTorch's ``new_*``)."""
        shape = shape_args(sizes, size)
        return self._new(np.zeros(shape, self._new_dtype(dtype)), device, requires_grad)

    def new_ones(
        self,
        *sizes: object,
        size: object = None,
        dtype: DTypeLike | None = None,
        device: DeviceLike | None = None,
        requires_grad: bool = False,
    ) -> Tensor:
        shape = shape_args(sizes, size)
        return self._new(np.ones(shape, self._new_dtype(dtype)), device, requires_grad)

    def new(
        self, *args: Any, dtype: DTypeLike | None = None, device: DeviceLike | None = None
    ) -> Tensor:
        """The legacy constructor, in this Tensor's dtype: ``new(2, 3)`` an uninitialised
        (here: zero) Tensor of that size, ``new(data)`` a copy of a list, array or Tensor,
        ``new()`` an empty one. A tuple is refused: PyTorch reads ``torch.Size`` as a size
        and any other tuple as data, and descend's shapes are plain tuples."""
        if len(args) == 1 and isinstance(args[0], tuple):
            raise TypeError(
                "Tensor.new(tuple) is ambiguous in descend (its shapes are plain tuples): "
                "write new_zeros(size) or new_empty(size) for a size, new_tensor(data) for data"
            )
        if len(args) == 1 and not isinstance(args[0], int | np.integer):
            if isinstance(args[0], float):
                raise TypeError(f"new(): data must be a sequence (got {type(args[0]).__name__})")
            return self.new_tensor(args[0], dtype=dtype, device=device)
        return self.new_zeros(*args, dtype=dtype, device=device) if args else self.new_zeros(0)

    def new_empty(
        self,
        *sizes: object,
        size: object = None,
        dtype: DTypeLike | None = None,
        device: DeviceLike | None = None,
        requires_grad: bool = False,
    ) -> Tensor:
        shape = shape_args(sizes, size)
        return self._new(np.empty(shape, self._new_dtype(dtype)), device, requires_grad)

    def new_full(
        self,
        size: object,
        fill_value: InputLike,
        *,
        dtype: DTypeLike | None = None,
        device: DeviceLike | None = None,
        requires_grad: bool = False,
    ) -> Tensor:
        shape = shape_args((size,))
        array = np.full(shape, fill_value, self._new_dtype(dtype))
        return self._new(array, device, requires_grad)

    def new_tensor(
        self,
        data: InputLike,
        *,
        dtype: DTypeLike | None = None,
        device: DeviceLike | None = None,
        requires_grad: bool = False,
    ) -> Tensor:
        """A copy of ``data`` in this Tensor's dtype unless given."""
        values = data._data if isinstance(data, TensorCore) else data
        array = np.array(values, dtype=self._new_dtype(dtype))
        return self._new(array, device, requires_grad)

    def type_as(self, other: Any) -> Tensor:
        return self.to(other._data.dtype)

    def float(self) -> Tensor:
        return self.to(_dtype.float32)

    def double(self) -> Tensor:
        return self.to(_dtype.float64)

    def half(self) -> Tensor:
        return self.to(_dtype.float16)

    def long(self) -> Tensor:
        return self.to(_dtype.int64)

    def int(self) -> Tensor:
        return self.to(_dtype.int32)

    def short(self) -> Tensor:
        return self.to(_dtype.int16)

    def byte(self) -> Tensor:
        return self.to(_dtype.uint8)

    def bool(self) -> Tensor:
        return self.to(_dtype.bool_)

    def cpu(self) -> Tensor:
        return self  # type: ignore[return-value]

    def cuda(self, *args: object, **kwargs: object) -> Tensor:
        raise no_accelerator("cuda")


def _rebuild(
    cls: type, data: np.ndarray, requires_grad: bool, grad: np.ndarray | None, extra: Any
) -> Tensor:
    t: TensorCore = _new(cls)
    t._data = data
    t._grad = None if grad is None else TensorCore._make(grad)
    t._node = None
    t._rg = requires_grad
    t._vc = [0]
    t._view = None
    t._hooks = None
    if extra:
        t.__dict__.update(extra)
    return cast("Tensor", t)
