"""The core of Tensor: storage, graph bookkeeping, ``.data`` / ``.grad``, in-place writes.

(``nn/tensor/__init__.py`` puts the core and the op parts together; this is the part that knows
how a Tensor records itself in the graph.)

A Tensor is an ndarray that records the operations made on it, for reverse-mode autograd.

A Tensor holds its values in an ndarray (``_data``) and, once an op that needs grad made
it, the graph node that made it (``grad_fn``). As in PyTorch:

- ``.data`` is a Tensor sharing this one's storage, cut from the graph; ``.grad`` is a
  Tensor (or None) that ``backward()`` accumulates into; ``.numpy()`` is the shared array.
- In-place operators and methods (``+=``, ``add_``, ``x[i] = v``...) change the storage.
  On a leaf that requires grad they are refused while grad mode is on; under ``no_grad``
  they change the values and the leaf stays a leaf. On anything else they are recorded, so
  that backward stays correct (an in-place change through a view rewrites the base's
  graph, PyTorch's ``CopySlices``).
- Every in-place change bumps a version counter, shared by views of the same storage, and
  backward refuses a saved value that changed after it was saved.

The ops themselves are in sibling parts (``arithmetic.py``, ``shape.py``, ``inplace.py``...
of this package) over the array rules of ``nn/rules``.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, TypeVar, cast

import numpy as np

from .. import _dtype, _memory_format
from .._args.dims import axes_of
from .._dtype import as_array, get_default_dtype, to_dtype, torch_name
from ..autograd.grad_mode import _Mode
from ..autograd.graph import Node, _next_seq
from ..device import cpu
from ..rules import Backward
from ..types import Dim, DTypeLike, InputLike
from .views import View, refresh_view

if TYPE_CHECKING:
    from ..tensor import Tensor

T = TypeVar("T", bound="TensorCore")

_new = object.__new__
_tensor_type: list[type[Tensor]] = []  # nn.tensor.Tensor, registered by nn/tensor/__init__.py


def _legacy_array(args: tuple[Any, ...], dtype: DTypeLike | None, into: Any) -> np.ndarray:
    """The array of ``torch.Tensor(*args)`` (see ``TensorCore``); a Tensor given shares its
    storage and version counter with ``into``."""
    target = to_dtype(dtype) if dtype is not None else get_default_dtype()
    if all(isinstance(a, int | np.integer) and not isinstance(a, bool) for a in args):
        return np.zeros(tuple(int(a) for a in args) if args else (0,), dtype=target)
    if len(args) != 1:
        raise TypeError(
            f"Tensor() takes a size (ints) or one sequence of data, got {len(args)} arguments"
        )
    data = args[0]
    if isinstance(data, TensorCore):
        if dtype is not None and data._data.dtype != target:
            raise TypeError(
                f"expected {torch_name(target)} data, got a {torch_name(data._data.dtype)} "
                "Tensor (use .to(dtype))"
            )
        into._vc = data._vc
        return data._data
    if not isinstance(data, list | tuple | np.ndarray | range):
        raise TypeError(f"new(): data must be a sequence (got {type(data).__name__})")
    return as_array(data, target)


class TensorCore:
    """The storage and graph bookkeeping of ``nn.Tensor``; its constructor is PyTorch's
    legacy one (``nn.Tensor([1, 2])`` is float32, ``nn.Tensor(2, 3)`` a shape), documented
    with ``nn.tensor.Tensor``."""

    __slots__ = (
        "__dict__",
        "__weakref__",
        "_data",
        "_grad",
        "_hooks",
        "_node",
        "_rg",
        "_vc",
        "_view",
    )
    __array_priority__ = 1000
    _data: np.ndarray
    _grad: Tensor | None
    _node: Node | None
    _rg: bool
    _vc: list[int]
    _view: View | None
    _hooks: list[Callable[[Tensor], Any]] | None

    def __init__(
        self, *args: Any, requires_grad: bool = False, dtype: DTypeLike | None = None
    ) -> None:
        self._grad = None
        self._node = None
        self._rg = False
        self._vc = [0]
        self._view = None
        self._hooks = None
        self._data = _legacy_array(args, dtype, self)
        if requires_grad:
            self.requires_grad_(True)

    # --------------------------------------------------------------- construction
    @staticmethod
    def _make(data: np.ndarray) -> Tensor:
        """A Tensor around ``data`` (not copied), with a fresh version counter; not recorded.

        (NumPy gives scalars, not 0-d arrays, from ufuncs on 0-d arrays: they are wrapped.)"""
        t = _new(_tensor_type[0])
        t._data = data if type(data) is np.ndarray else np.asarray(data)
        t._grad = t._node = t._view = t._hooks = None
        t._rg = False
        t._vc = [0]
        return t

    def _axis(self, dim: Dim) -> int:
        """``dim`` as a non-negative axis of this Tensor (PyTorch's IndexError if out of range)."""
        axes = axes_of(dim, self._data.ndim)
        assert axes is not None
        return axes[0]

    @staticmethod
    def _record(
        data: np.ndarray,
        inputs: Sequence[TensorCore],
        backward: Backward,
        kind: type[Node],
        saved: Sequence[TensorCore | None] = (),
        result: bool = False,
    ) -> Tensor:
        """The output of an op; recorded as a node of ``kind`` when grad mode is on and an
        input requires grad. ``saved`` lists the inputs whose values the backward reads,
        ``result`` whether it reads the output: their versions are checked at backward."""
        # (written out, _make included, without helpers or comprehensions: this runs for
        # every op)
        out = _new(_tensor_type[0])
        out._data = data if type(data) is np.ndarray else np.asarray(data)
        out._grad = out._node = out._view = out._hooks = None
        out._rg = False
        out._vc = [0]
        if not _Mode.enabled:
            return out
        needed = False
        edges: list[Any] = []
        for t in inputs:
            if t._view is not None:
                refresh_view(t)
            if t._node is not None:
                edges.append(t._node)
                needed = True
            elif t._rg:
                edges.append(t)
                needed = True
            else:
                edges.append(None)
        if needed:
            entries: list[tuple[list[int], int, Any]] = []
            for s in saved:
                if s is not None:
                    entries.append((s._vc, s._vc[0], s))
            if result:
                entries.append((out._vc, 0, None))
            node = _new(kind)
            node.edges = edges
            node.backward = backward
            node.saved = entries
            node.seq = _next_seq()
            node.hooks = node.retain = None
            out._node = node
            out._rg = True
        return out

    @staticmethod
    def _record_view(
        data: np.ndarray,
        source: TensorCore,
        backward: Backward,
        kind: type[Node],
        fn: Callable[[np.ndarray], np.ndarray],
    ) -> Tensor:
        """``_record`` for an op whose output may view ``source``'s storage (``fn`` maps the
        source's array to the output's): a true view shares the version counter."""
        out = TensorCore._record(data, (source,), backward, kind)
        # (an empty result shares nothing NumPy can see, but is a view all the same)
        if np.may_share_memory(data, source._data) or (data.size == 0 and data.base is not None):
            out._vc = source._vc
            info = source._view
            if info is None:
                out._view = View(source, fn, source._vc[0], _Mode.enabled)
            else:
                outer = info.fn
                out._view = View(info.base, lambda a: fn(outer(a)), source._vc[0], _Mode.enabled)
        return out

    def _wrap_grad(self, g: np.ndarray) -> Tensor:
        return TensorCore._make(np.array(g, dtype=self._data.dtype))

    # ---------------------------------------------------------------- attributes
    @property
    def data(self) -> Tensor:
        """This Tensor's values as a Tensor that shares the storage and is cut from the graph
        (changes through it are not tracked, as PyTorch's ``.data``).

        Examples
        --------
        >>> import nn
        >>> w = nn.tensor([1.0, 2.0], requires_grad=True)
        >>> w.data.requires_grad, w.data.mul_(10), w
        (False, tensor([10., 20.]), tensor([10., 20.], requires_grad=True))
        """
        return TensorCore._make(self._data)

    @data.setter
    def data(self, value: InputLike) -> None:
        if isinstance(value, TensorCore):
            self._data = value._data
        elif isinstance(value, np.ndarray | np.generic):
            self._data = np.asarray(value)
        else:
            raise TypeError(
                f"Variable data has to be a tensor (or an ndarray), but got {type(value).__name__}"
            )

    @property
    def grad(self) -> Tensor | None:
        """The accumulated gradient (a Tensor of this shape and dtype), or None.

        Examples
        --------
        >>> import nn
        >>> w = nn.tensor([1.0, 2.0], requires_grad=True)
        >>> (w * w).sum().backward(); w.grad
        tensor([2., 4.])
        """
        if self._node is not None and self._grad is None and self._node.retain is None:
            warnings.warn(
                "The .grad attribute of a Tensor that is not a leaf Tensor is being accessed. "
                "Its .grad attribute won't be populated during autograd.backward(). If you "
                "indeed want the gradient for a non-leaf Tensor, use .retain_grad() on it.",
                UserWarning,
                stacklevel=2,
            )
        return self._grad

    @grad.setter
    def grad(self, value: Any) -> None:
        if value is None:
            self._grad = None
            return
        g: Tensor
        if isinstance(value, TensorCore):
            g = cast("Tensor", value)
        elif isinstance(value, np.ndarray | np.generic):
            g = TensorCore._make(np.asarray(value))
        else:
            raise TypeError(
                "assigned grad expected to be a Tensor (or an ndarray) or None but got grad of "
                f"type {type(value).__name__}"
            )
        if g._data.shape != self._data.shape:
            raise RuntimeError(
                f"attempting to assign a gradient of size '{list(g._data.shape)}' to a tensor of "
                f"size '{list(self._data.shape)}'. Please ensure that the gradient and the "
                "tensor are the same size"
            )
        if g._data.dtype != self._data.dtype:
            raise RuntimeError(
                f"attempting to assign a gradient with dtype '{_dtype.torch_c_name(g.dtype)}' to "
                f"a tensor with dtype '{_dtype.torch_c_name(self.dtype)}'. The gradient must "
                "match the tensor's dtype"
            )
        self._grad = g

    @property
    def requires_grad(self) -> bool:
        """Whether ops on this Tensor are recorded for autograd."""
        if self._view is not None:
            refresh_view(self)
        return self._rg

    @requires_grad.setter
    def requires_grad(self, value: bool) -> None:
        self.requires_grad_(value)

    def requires_grad_(self: T, requires_grad: bool = True) -> T:
        """Set ``requires_grad`` in place (only a float leaf can be changed); returns self.

        Examples
        --------
        >>> import nn
        >>> nn.zeros(2).requires_grad_()
        tensor([0., 0.], requires_grad=True)
        """
        if requires_grad and self._data.dtype.kind not in "fc":
            raise RuntimeError("only Tensors of floating point dtype can require gradients")
        if self._node is not None:
            if not requires_grad:
                raise RuntimeError(
                    "you can only change requires_grad flags of leaf variables. If you want to "
                    "use a computed variable in a subgraph that doesn't require differentiation "
                    "use var_no_grad = var.detach()."
                )
            return self
        self._rg = bool(requires_grad)
        return self

    @property
    def is_leaf(self) -> bool:
        """True for Tensors not made by a recorded op (user-made Tensors, Parameters).

        Examples
        --------
        >>> import nn
        >>> w = nn.tensor([1.0], requires_grad=True)
        >>> w.is_leaf, (w * 2).is_leaf
        (True, False)
        """
        return self.grad_fn is None

    @property
    def grad_fn(self) -> Node | None:
        """The node that made this Tensor (None for a leaf), with ``next_functions``."""
        if self._view is not None:
            refresh_view(self)
        return self._node

    @property
    def _version(self) -> int:
        """How many in-place changes this storage has seen (PyTorch's ``_version``)."""
        return self._vc[0]

    @property
    def _base(self) -> Tensor | None:
        """The Tensor this one is a view of, or None."""
        return None if self._view is None else cast("Tensor", self._view.base)

    def _is_view(self) -> bool:
        return self._view is not None

    @property
    def shape(self) -> tuple[int, ...]:
        """The shape, a tuple (``torch.Size`` in PyTorch).

        Examples
        --------
        >>> import nn
        >>> nn.tensor([[1.0, 2.0, 3.0]]).shape
        (1, 3)
        """
        return self._data.shape

    @property
    def dtype(self) -> np.dtype:
        """The dtype (``nn.float32`` is ``np.dtype("float32")``).

        Examples
        --------
        >>> import numpy as np, nn
        >>> nn.tensor(np.zeros(2)).dtype == nn.float64
        True
        """
        return self._data.dtype

    @property
    def ndim(self) -> int:
        """The number of dimensions."""
        return self._data.ndim

    @property
    def device(self) -> Any:
        """Always the CPU: descend computes with NumPy."""
        return cpu

    is_cuda = False
    is_cpu = True
    is_sparse = False
    is_quantized = False
    is_meta = False

    def size(self, dim: int | None = None) -> Any:
        """The shape, or the length of dimension ``dim``.

        Examples
        --------
        >>> import nn
        >>> nn.zeros(2, 3).size(), nn.zeros(2, 3).size(-1)
        ((2, 3), 3)
        """
        if dim is None:
            return self._data.shape
        return self._data.shape[_axis(dim, self._data.ndim)]

    def dim(self) -> int:
        """The number of dimensions."""
        return self._data.ndim

    ndimension = dim

    def numel(self) -> int:
        """The number of elements."""
        return int(self._data.size)

    nelement = numel

    def data_ptr(self) -> int:
        """The address of the first element, as PyTorch's: two Tensors with the same one
        start at the same memory (a view from the start of its base does)."""
        return int(self._data.__array_interface__["data"][0])

    def is_floating_point(self) -> bool:
        return self._data.dtype.kind == "f"

    def is_complex(self) -> bool:
        return self._data.dtype.kind == "c"

    def is_contiguous(self, memory_format: object = None) -> bool:
        """Whether the elements lie densely in row-major order (or ``memory_format``'s)."""
        if memory_format is None:
            return bool(self._data.flags.c_contiguous)
        return _memory_format.is_laid_out(self._data, memory_format)

    def __len__(self) -> int:
        if self._data.ndim == 0:
            raise TypeError("len() of a 0-d tensor")
        return len(self._data)

    def detach(self) -> Tensor:
        """A Tensor sharing this one's storage (and version counter), cut from the graph.

        Examples
        --------
        >>> import nn
        >>> w = nn.tensor([1.0], requires_grad=True)
        >>> (w * 2).detach().requires_grad
        False
        """
        out = TensorCore._make(self._data)
        out._vc = self._vc
        return out

    def detach_(self: T) -> T:
        """Cut this Tensor from the graph in place (it becomes a leaf)."""
        if self._view is not None:
            raise RuntimeError("Can't detach views in-place. Use detach() instead.")
        self._node = None
        self._rg = False
        return self


def plain_index(index: object) -> object:
    """An index with Tensors replaced by their arrays, and NumPy arrays of any integer
    dtype as int64 (PyTorch converts those; an index Tensor of a dtype other than int64,
    int32, uint8 or bool it refuses, which ``index_rules.parse`` does in PyTorch's order)."""
    if isinstance(index, tuple):
        return tuple(_plain(i) for i in index)
    if isinstance(index, list) and any(isinstance(i, TensorCore | np.ndarray) for i in index):
        return [_plain(i) for i in index]
    return _plain(index)


def _plain(part: object) -> object:
    if isinstance(part, TensorCore):
        return part._data
    if isinstance(part, np.ndarray) and part.dtype.kind in "iu" and part.dtype != np.uint8:
        return part.astype(np.int64, copy=False)
    return part


def _axis(dim: Dim, ndim: int) -> int:
    """``dim`` as a non-negative axis of an ``ndim``-dimensional Tensor (0-d: -1 and 0 ok)."""
    size = max(ndim, 1)
    if isinstance(dim, bool) or not isinstance(dim, int | np.integer):
        raise TypeError(f"dim must be an int, got {type(dim).__name__}")
    if not -size <= dim < size:
        raise IndexError(
            f"Dimension out of range (expected to be in range of [{-size}, {size - 1}], but got "
            f"{dim})"
        )
    return int(dim) % size
