"""Tensor: an ndarray that records the operations made on it, for reverse-mode autograd.

Every operation on Tensors that require grad adds one node to a tape: the output Tensor
keeps its parents and a closure ``backward(g)`` that maps ``dL/d(out)`` to
``(dL/d(parent) for each parent)``. ``loss.backward()`` walks the nodes in reverse
topological order (found without recursion, so a 100,000-op chain works), applies the
chain rule

    dL/dx = sum over the ops y = f(x, ...) that used x of  (dL/dy) * (dy/dx)

and accumulates the result into ``.grad`` of the leaves, as PyTorch does. The graph is freed
afterwards unless ``retain_graph=True``.
"""

from __future__ import annotations

import contextlib
import heapq
import itertools
from collections.abc import Callable, Iterator, Sequence
from typing import Any, NamedTuple

import numpy as np

BackwardFn = Callable[[np.ndarray], Sequence["np.ndarray | None"]]

_FLOAT_DTYPES = (np.dtype(np.float16), np.dtype(np.float32), np.dtype(np.float64))


class _GradMode:
    enabled = True
    anomaly = False


# Every recorded op takes the next number: an op's output is numbered after its inputs, so
# walking nodes from the highest number down visits every node after all its consumers.
_next_seq = itertools.count().__next__


_default_dtype = np.dtype(np.float32)


def set_default_dtype(dtype: Any) -> None:
    """Set the dtype of float Tensors and Parameters made from Python data (float32 or float64).

    Examples
    --------
    >>> import numpy as np, nn
    >>> nn.set_default_dtype(np.float64); nn.tensor([1.0]).dtype
    dtype('float64')
    >>> nn.set_default_dtype(np.float32)
    """
    global _default_dtype
    resolved = np.dtype(dtype)
    if resolved not in (np.dtype(np.float32), np.dtype(np.float64)):
        raise TypeError(f"default dtype must be float32 or float64, got {resolved}")
    _default_dtype = resolved


def get_default_dtype() -> np.dtype:
    """The dtype of float Tensors made from Python data (float32 unless changed).

    Examples
    --------
    >>> import nn; nn.get_default_dtype()
    dtype('float32')
    """
    return _default_dtype


def is_grad_enabled() -> bool:
    """Whether new operations are recorded for autograd.

    Examples
    --------
    >>> import nn
    >>> with nn.no_grad():
    ...     nn.is_grad_enabled()
    False
    """
    return _GradMode.enabled


class set_grad_enabled(contextlib.ContextDecorator):
    """Context manager and decorator turning recording on or off, as ``torch.set_grad_enabled``.

    Examples
    --------
    >>> import nn
    >>> with nn.set_grad_enabled(False):
    ...     (nn.tensor([1.0], requires_grad=True) * 2).requires_grad
    False
    """

    def __init__(self, mode: bool) -> None:
        self.mode = bool(mode)
        self._previous: list[bool] = []

    def __enter__(self) -> None:
        self._previous.append(_GradMode.enabled)
        _GradMode.enabled = self.mode

    def __exit__(self, *exc: object) -> None:
        _GradMode.enabled = self._previous.pop()


class no_grad(set_grad_enabled):
    """Context manager and decorator: operations inside are not recorded.

    Examples
    --------
    >>> import nn
    >>> w = nn.tensor([1.0, 2.0], requires_grad=True)
    >>> with nn.no_grad():
    ...     y = w * 2
    >>> y.requires_grad
    False
    """

    def __init__(self) -> None:
        super().__init__(False)


class enable_grad(set_grad_enabled):
    """Context manager and decorator: operations inside are recorded, even under no_grad.

    Examples
    --------
    >>> import nn
    >>> with nn.no_grad(), nn.enable_grad():
    ...     (nn.tensor([1.0], requires_grad=True) * 2).requires_grad
    True
    """

    def __init__(self) -> None:
        super().__init__(True)


class detect_anomaly(contextlib.ContextDecorator):
    """Raise at the first operation whose output or gradient is NaN or infinite, naming it.

    Examples
    --------
    >>> import nn
    >>> x = nn.tensor([0.0], requires_grad=True)
    >>> with nn.detect_anomaly():
    ...     (x.log() * 0).sum().backward()
    Traceback (most recent call last):
    ...
    FloatingPointError: Function 'Log' returned non-finite values in its output (shape (1,))
    """

    def __init__(self) -> None:
        self._previous: list[bool] = []

    def __enter__(self) -> None:
        self._previous.append(_GradMode.anomaly)
        _GradMode.anomaly = True

    def __exit__(self, *exc: object) -> None:
        _GradMode.anomaly = self._previous.pop()


def _check_finite(array: np.ndarray, op: str, where: str) -> None:
    if array.dtype.kind in "fc" and not np.all(np.isfinite(array)):
        raise FloatingPointError(
            f"Function '{op}' returned non-finite values in its {where} (shape {array.shape})"
        )


def _freed_graph(g: np.ndarray) -> Sequence[np.ndarray | None]:
    raise RuntimeError(
        "Trying to backward through the graph a second time (or directly access saved "
        "tensors after they have already been freed). Specify retain_graph=True if you need "
        "to backward through the graph a second time."
    )


class Fresh(tuple):  # type: ignore[type-arg]
    """Gradients a backward closure has just allocated and keeps no reference to.

    Returning them in a ``Fresh`` tuple lets a leaf adopt its array as ``.grad`` instead of
    copying it (a large layer's weight gradient is then never copied).
    """

    __slots__ = ()


def unbroadcast(grad: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """Sum ``grad`` over the axes that broadcasting added or stretched, to get ``shape`` back."""
    if grad.shape == shape:
        return grad
    extra = grad.ndim - len(shape)
    if extra > 0:
        grad = grad.sum(axis=tuple(range(extra)))
    stretched = tuple(i for i, n in enumerate(shape) if n == 1 and grad.shape[i] != 1)
    if stretched:
        grad = grad.sum(axis=stretched, keepdims=True)
    return grad.reshape(shape)


def _as_array(data: Any, dtype: Any = None, copy: bool = True) -> np.ndarray:
    """Turn Python data, an ndarray or a Tensor into an ndarray with PyTorch's dtype rules.

    Python floats become the default dtype, Python ints int64, ndarrays keep their dtype.
    """
    if isinstance(data, Tensor):
        data = data.data
    if dtype is not None:
        return (
            np.array(data, dtype=np.dtype(dtype))
            if copy
            else np.asarray(data, dtype=np.dtype(dtype))
        )
    if isinstance(data, np.ndarray | np.generic):
        return np.array(data) if copy else np.asarray(data)
    array = np.asarray(data)
    if array.dtype.kind == "f":
        return array.astype(_default_dtype)
    if array.dtype.kind in "iu":
        return array.astype(np.int64)
    if array.dtype.kind not in "b":
        raise TypeError(
            f"could not make a Tensor from {type(data).__name__} (numpy dtype {array.dtype}); "
            "expected numbers, nested lists of numbers or an ndarray"
        )
    return array


class MaxResult(NamedTuple):
    """``(values, indices)`` of a reduction along a dimension, as ``torch.max(x, dim)``.

    Examples
    --------
    >>> import nn
    >>> nn.tensor([[1.0, 5.0], [7.0, 2.0]]).max(dim=1).indices
    tensor([1, 0])
    """

    values: Tensor
    indices: Tensor


class Tensor:
    """An n-dimensional array with reverse-mode automatic differentiation.

    Parameters
    ----------
    data : array_like
        Numbers, nested lists or an ndarray (copied). Python floats become
        ``nn.get_default_dtype()``; ndarrays keep their dtype.
    requires_grad : bool
        Record operations on this Tensor so that ``backward()`` fills its ``.grad``.
    dtype : numpy dtype, optional

    Examples
    --------
    >>> import nn
    >>> x = nn.Tensor([1.0, 2.0, 3.0], requires_grad=True)
    >>> (x ** 2).sum().backward()
    >>> x.grad
    array([2., 4., 6.], dtype=float32)
    """

    __slots__ = (
        "__weakref__",
        "_backward",
        "_op",
        "_parents",
        "_seq",
        "data",
        "grad",
        "requires_grad",
    )
    __array_priority__ = 1000  # ndarray (op) Tensor defers to Tensor's reflected operators
    data: np.ndarray
    grad: np.ndarray | None
    requires_grad: bool
    _parents: tuple[Tensor, ...]
    _backward: BackwardFn | None
    _op: str | None
    _seq: int

    def __init__(self, data: Any, requires_grad: bool = False, dtype: Any = None) -> None:
        self.data = _as_array(data, dtype)
        self.grad = None
        self.requires_grad = False
        self._parents = ()
        self._backward = None
        self._op = None
        self._seq = 0
        self.requires_grad_(requires_grad)

    @classmethod
    def _wrap(cls, array: np.ndarray) -> Tensor:
        """A Tensor around ``array`` without copying it; not recorded."""
        out = Tensor.__new__(Tensor)
        out.data = array
        out.grad = None
        out.requires_grad = False
        out._parents = ()
        out._backward = None
        out._op = None
        out._seq = 0
        return out

    @staticmethod
    def _from_op(
        data: np.ndarray, parents: tuple[Tensor, ...], backward: BackwardFn, op: str
    ) -> Tensor:
        """The output of an op; recorded only if grad mode is on and a parent requires grad."""
        out = Tensor._wrap(data)
        if _GradMode.enabled:
            for parent in parents:
                if parent.requires_grad:
                    out.requires_grad = True
                    out._parents = parents
                    out._backward = backward
                    out._op = op
                    out._seq = _next_seq()
                    break
        if _GradMode.anomaly:
            _check_finite(data, op, "output")
        return out

    # ----------------------------------------------------------------- attributes
    @property
    def shape(self) -> tuple[int, ...]:
        """The shape, a tuple as NumPy's (``torch.Size`` in PyTorch).

        Examples
        --------
        >>> import nn
        >>> nn.tensor([[1.0, 2.0, 3.0]]).shape
        (1, 3)
        """
        return self.data.shape

    @property
    def dtype(self) -> np.dtype:
        """The NumPy dtype of the data.

        Examples
        --------
        >>> import numpy as np, nn
        >>> nn.tensor(np.zeros(2)).dtype
        dtype('float64')
        """
        return self.data.dtype

    @property
    def ndim(self) -> int:
        """The number of dimensions.

        Examples
        --------
        >>> import nn
        >>> nn.tensor([[1.0]]).ndim
        2
        """
        return self.data.ndim

    @property
    def is_leaf(self) -> bool:
        """True for Tensors not made by a recorded op (user-made Tensors, Parameters)."""
        return self._backward is None

    @property
    def T(self) -> Tensor:
        """The Tensor with its dimensions reversed (the transpose of a matrix).

        Examples
        --------
        >>> import nn
        >>> nn.tensor([[1.0, 2.0]]).T.shape
        (2, 1)
        """
        return self.permute(*reversed(range(self.ndim)))

    def size(self, dim: int | None = None) -> Any:
        return self.data.shape if dim is None else self.data.shape[dim]

    def dim(self) -> int:
        return self.data.ndim

    def numel(self) -> int:
        return int(self.data.size)

    def __len__(self) -> int:
        if self.data.ndim == 0:
            raise TypeError("len() of a 0-d tensor")
        return len(self.data)

    def requires_grad_(self, requires_grad: bool = True) -> Tensor:
        """Set ``requires_grad`` in place (only float Tensors can require grad)."""
        if requires_grad and self.data.dtype not in _FLOAT_DTYPES:
            raise RuntimeError(
                f"only Tensors of floating point dtype can require gradients, got {self.dtype}"
            )
        if not requires_grad and not self.is_leaf:
            raise RuntimeError(
                "you can only change requires_grad flags of leaf variables; use detach()"
            )
        self.requires_grad = bool(requires_grad)
        return self

    # --------------------------------------------------------------- conversion
    def item(self) -> Any:
        """The value of a one-element Tensor as a Python number.

        Examples
        --------
        >>> import nn
        >>> nn.tensor([[2.5]]).item()
        2.5
        """
        if self.data.size != 1:
            raise RuntimeError(
                f"a Tensor with {self.data.size} elements cannot be converted to Scalar"
            )
        return self.data.item()

    def tolist(self) -> Any:
        return self.data.tolist()

    def numpy(self) -> np.ndarray:
        """The underlying ndarray (shared, not copied), as ``torch.Tensor.numpy``.

        Examples
        --------
        >>> import nn
        >>> nn.tensor([1.0, 2.0]).numpy()
        array([1., 2.], dtype=float32)
        """
        if self.requires_grad:
            raise RuntimeError(
                "Can't call numpy() on Tensor that requires grad. "
                "Use tensor.detach().numpy() instead."
            )
        return self.data

    def __array__(self, dtype: Any = None, copy: Any = None) -> np.ndarray:
        if dtype is not None and np.dtype(dtype) != self.data.dtype:
            return self.data.astype(dtype)
        return self.data.copy() if copy else self.data

    def __float__(self) -> float:
        return float(self.item())

    def __int__(self) -> int:
        return int(self.item())

    def __index__(self) -> int:
        if self.data.dtype.kind not in "iu":
            raise TypeError(f"only integer tensors can be used as an index, got {self.dtype}")
        return int(self.item())

    def __bool__(self) -> bool:
        if self.data.size != 1:
            raise RuntimeError(
                "Boolean value of Tensor with more than one value is ambiguous "
                f"(shape {self.shape})"
            )
        return bool(self.data.item())

    def detach(self) -> Tensor:
        """A Tensor sharing this one's data, cut from the graph.

        Examples
        --------
        >>> import nn
        >>> w = nn.tensor([1.0], requires_grad=True)
        >>> (w * 2).detach().requires_grad
        False
        """
        return Tensor._wrap(self.data)

    def zero_(self) -> Tensor:
        """Set every element to 0 in place.

        Examples
        --------
        >>> import nn
        >>> nn.tensor([1.0, 2.0]).zero_()
        tensor([0., 0.])
        """
        self.data[...] = 0
        return self

    def fill_(self, value: float) -> Tensor:
        """Set every element to ``value`` in place."""
        self.data[...] = value
        return self

    def copy_(self, src: Any) -> Tensor:
        """Copy ``src`` into this Tensor in place, keeping this Tensor's dtype."""
        source = src.data if isinstance(src, Tensor) else np.asarray(src)
        try:
            np.copyto(self.data, np.broadcast_to(source, self.shape), casting="unsafe")
        except ValueError:
            raise RuntimeError(
                f"copy_: source of shape {np.shape(source)} does not broadcast to {self.shape}"
            ) from None
        return self

    def __repr__(self) -> str:
        body = np.array2string(self.data, separator=", ", prefix="tensor(")
        extras = []
        if self.data.dtype not in (_default_dtype, np.dtype(np.int64), np.dtype(np.bool_)):
            extras.append(f"dtype={self.data.dtype}")
        if self._op is not None:
            extras.append(f"grad_fn=<{self._op}>")
        elif self.requires_grad:
            extras.append("requires_grad=True")
        return "tensor(" + ", ".join([body, *extras]) + ")"

    # ----------------------------------------------------------------- autograd
    def backward(self, gradient: Any = None, retain_graph: bool = False) -> None:
        """Accumulate d(self)/d(leaf), weighted by ``gradient``, into ``leaf.grad``.

        Parameters
        ----------
        gradient : array_like, optional
            dL/d(self); may be left out only when this Tensor has one element (it is then 1).
        retain_graph : bool
            Keep the graph so that backward can run through it again.

        Raises
        ------
        RuntimeError
            If this Tensor does not require grad, if ``gradient`` is missing for a
            non-scalar or has the wrong shape, or if the graph was already freed.

        Examples
        --------
        >>> import nn
        >>> x = nn.tensor([1.0, 2.0], requires_grad=True)
        >>> (x * x).sum().backward(); x.grad
        array([2., 4.], dtype=float32)
        >>> (x * 3).backward(gradient=[1.0, 0.0]); x.grad  # accumulates
        array([5., 4.], dtype=float32)
        """
        if not self.requires_grad:
            raise RuntimeError(
                "element 0 of tensors does not require grad and does not have a grad_fn"
            )
        if gradient is None:
            if self.data.size != 1:
                raise RuntimeError(
                    "grad can be implicitly created only for scalar outputs; this tensor has "
                    f"shape {self.shape}, so pass backward(gradient=...) of that shape"
                )
            seed = np.array(1, dtype=self.data.dtype).reshape(self.shape)  # ones_like, faster
        else:
            seed = _as_array(gradient, self.data.dtype)
            if seed.shape != self.shape:
                raise RuntimeError(
                    f"Mismatch in shape: gradient has shape {seed.shape} and output has shape "
                    f"{self.shape}"
                )
        _run_backward(self, seed, retain_graph)

    def _accumulate(self, grad: np.ndarray, owned: bool = False) -> None:
        """Add ``grad`` into ``.grad``; an ``owned`` array (fresh, referenced nowhere else)
        of the right dtype becomes ``.grad`` without a copy."""
        if self.grad is None:
            if owned and grad.dtype == self.data.dtype and grad.shape == self.data.shape:
                self.grad = grad
            else:
                self.grad = np.array(grad, dtype=self.data.dtype)
        else:
            self.grad += grad

    # ------------------------------------------------------------ operators
    def __add__(self, other: Any) -> Tensor:
        return _ops.add(self, other)

    def __radd__(self, other: Any) -> Tensor:
        return _ops.add(other, self)

    def __sub__(self, other: Any) -> Tensor:
        return _ops.sub(self, other)

    def __rsub__(self, other: Any) -> Tensor:
        return _ops.sub(other, self)

    def __mul__(self, other: Any) -> Tensor:
        return _ops.mul(self, other)

    def __rmul__(self, other: Any) -> Tensor:
        return _ops.mul(other, self)

    def __truediv__(self, other: Any) -> Tensor:
        return _ops.div(self, other)

    def __rtruediv__(self, other: Any) -> Tensor:
        return _ops.div(other, self)

    def __pow__(self, exponent: Any) -> Tensor:
        return _ops.pow(self, exponent)

    def __rpow__(self, base: Any) -> Tensor:
        return _ops.pow(base, self)

    def __matmul__(self, other: Any) -> Tensor:
        return _ops.matmul(self, other)

    def __rmatmul__(self, other: Any) -> Tensor:
        return _ops.matmul(other, self)

    def __neg__(self) -> Tensor:
        return _ops.neg(self)

    def __pos__(self) -> Tensor:
        return self

    def __getitem__(self, index: Any) -> Tensor:
        return _ops.getitem(self, index)

    def __setitem__(self, index: Any, value: Any) -> None:
        if self.requires_grad and _GradMode.enabled:
            raise RuntimeError(
                "a leaf Variable that requires grad is being used in an in-place operation; "
                "wrap the assignment in `with nn.no_grad():`"
            )
        self.data[_ops.plain_index(index)] = value.data if isinstance(value, Tensor) else value

    def __iter__(self) -> Iterator[Tensor]:
        if self.data.ndim == 0:
            raise TypeError("iteration over a 0-d tensor")
        return (self[i] for i in range(len(self.data)))

    __hash__ = object.__hash__

    def __eq__(self, other: Any) -> Tensor:  # type: ignore[override]
        return _ops.compare(np.equal, self, other)

    def __ne__(self, other: Any) -> Tensor:  # type: ignore[override]
        return _ops.compare(np.not_equal, self, other)

    def __lt__(self, other: Any) -> Tensor:
        return _ops.compare(np.less, self, other)

    def __le__(self, other: Any) -> Tensor:
        return _ops.compare(np.less_equal, self, other)

    def __gt__(self, other: Any) -> Tensor:
        return _ops.compare(np.greater, self, other)

    def __ge__(self, other: Any) -> Tensor:
        return _ops.compare(np.greater_equal, self, other)

    # --------------------------------------------------------------- methods
    def sum(self, dim: Any = None, keepdim: bool = False) -> Tensor:
        """Sum over ``dim`` (all elements when None); gradient: ones spread back.

        Examples
        --------
        >>> import nn
        >>> nn.tensor([[1.0, 2.0], [3.0, 4.0]]).sum(dim=0)
        tensor([4., 6.])
        """
        return _ops.sum(self, dim, keepdim)

    def mean(self, dim: Any = None, keepdim: bool = False) -> Tensor:
        """Mean over ``dim`` (all elements when None); gradient: 1/n spread back.

        Examples
        --------
        >>> import nn
        >>> nn.tensor([[1.0, 2.0], [3.0, 4.0]]).mean(dim=1, keepdim=True).tolist()
        [[1.5], [3.5]]
        """
        return _ops.mean(self, dim, keepdim)

    def max(self, dim: int | None = None, keepdim: bool = False) -> Any:
        """The largest element, or ``(values, indices)`` along ``dim`` as ``torch.max``.

        Examples
        --------
        >>> import nn
        >>> x = nn.tensor([[1.0, 5.0], [7.0, 2.0]])
        >>> x.max(), x.max(dim=0).values
        (tensor(7.), tensor([7., 5.]))
        """
        return _ops.extremum(self, dim, keepdim, np.argmax, "max")

    def min(self, dim: int | None = None, keepdim: bool = False) -> Any:
        """The smallest element, or ``(values, indices)`` along ``dim`` as ``torch.min``."""
        return _ops.extremum(self, dim, keepdim, np.argmin, "min")

    def argmax(self, dim: int | None = None, keepdim: bool = False) -> Tensor:
        return _ops.arg_extremum(self, dim, keepdim, np.argmax)

    def argmin(self, dim: int | None = None, keepdim: bool = False) -> Tensor:
        return _ops.arg_extremum(self, dim, keepdim, np.argmin)

    def reshape(self, *shape: Any) -> Tensor:
        """The same elements in a new shape (one -1 is inferred).

        Examples
        --------
        >>> import nn
        >>> nn.tensor([1.0, 2.0, 3.0, 4.0]).reshape(2, -1).shape
        (2, 2)
        """
        return _ops.reshape(self, _shape_args(shape))

    def view(self, *shape: Any) -> Tensor:
        """Same as ``reshape`` (NumPy decides whether a copy is needed).

        Examples
        --------
        >>> import nn
        >>> nn.tensor([1.0, 2.0, 3.0, 4.0]).view(-1, 1).shape
        (4, 1)
        """
        return _ops.reshape(self, _shape_args(shape))

    def flatten(self, start_dim: int = 0, end_dim: int = -1) -> Tensor:
        return _ops.flatten(self, start_dim, end_dim)

    def unsqueeze(self, dim: int) -> Tensor:
        return _ops.unsqueeze(self, dim)

    def squeeze(self, dim: int | None = None) -> Tensor:
        return _ops.squeeze(self, dim)

    def transpose(self, dim0: int, dim1: int) -> Tensor:
        """Swap two dimensions.

        Examples
        --------
        >>> import nn
        >>> nn.tensor([[1.0, 2.0]]).transpose(0, 1).shape
        (2, 1)
        """
        return _ops.transpose(self, dim0, dim1)

    def permute(self, *dims: Any) -> Tensor:
        return _ops.permute(self, _shape_args(dims))

    def exp(self) -> Tensor:
        """e**x, elementwise.

        Examples
        --------
        >>> import nn
        >>> nn.tensor([0.0]).exp()
        tensor([1.])
        """
        return _ops.exp(self)

    def log(self) -> Tensor:
        """Natural log, elementwise; gradient 1/x.

        Examples
        --------
        >>> import nn
        >>> nn.tensor([1.0]).log()
        tensor([0.])
        """
        return _ops.log(self)

    def sqrt(self) -> Tensor:
        """Square root, elementwise; gradient 1 / (2 sqrt(x)).

        Examples
        --------
        >>> import nn
        >>> nn.tensor([4.0]).sqrt()
        tensor([2.])
        """
        return _ops.sqrt(self)

    def abs(self) -> Tensor:
        """|x|, elementwise; gradient sign(x) (0 at 0).

        Examples
        --------
        >>> import nn
        >>> nn.tensor([-2.0]).abs()
        tensor([2.])
        """
        return _ops.abs(self)

    def clamp(self, min: float | None = None, max: float | None = None) -> Tensor:
        """x limited to [min, max]; the gradient passes where x is inside.

        Examples
        --------
        >>> import nn
        >>> nn.tensor([-2.0, 0.5, 2.0]).clamp(-1.0, 1.0)
        tensor([-1. ,  0.5,  1. ])
        """
        return _ops.clamp(self, min, max)

    clip = clamp

    def relu(self) -> Tensor:
        """max(0, x).

        Examples
        --------
        >>> import nn
        >>> nn.tensor([-1.0, 1.0]).relu()
        tensor([0., 1.])
        """
        return _ops.relu(self)

    def sigmoid(self) -> Tensor:
        """1 / (1 + exp(-x)), overflow-free.

        Examples
        --------
        >>> import nn
        >>> nn.tensor([0.0]).sigmoid()
        tensor([0.5])
        """
        return _ops.sigmoid(self)

    def tanh(self) -> Tensor:
        """tanh(x).

        Examples
        --------
        >>> import nn
        >>> nn.tensor([0.0]).tanh()
        tensor([0.])
        """
        return _ops.tanh(self)

    def softmax(self, dim: int) -> Tensor:
        """exp(x) / sum(exp(x)) along ``dim``.

        Examples
        --------
        >>> import nn
        >>> nn.tensor([0.0, 0.0]).softmax(0)
        tensor([0.5, 0.5])
        """
        return _ops.softmax(self, dim)

    def log_softmax(self, dim: int) -> Tensor:
        """log(softmax(x)) along ``dim``, computed stably.

        Examples
        --------
        >>> import nn
        >>> nn.tensor([0.0, 0.0]).log_softmax(0).exp()
        tensor([0.5, 0.5])
        """
        return _ops.log_softmax(self, dim)

    def clone(self) -> Tensor:
        """A differentiable copy."""
        return _ops.cast(self, self.dtype, copy=True)

    def to(self, dtype: Any) -> Tensor:
        """This Tensor in ``dtype`` (itself if it already is); differentiable between floats."""
        return _ops.cast(self, np.dtype(dtype))

    def type(self, dtype: Any) -> Tensor:
        return self.to(dtype)

    def float(self) -> Tensor:
        return self.to(np.float32)

    def double(self) -> Tensor:
        return self.to(np.float64)

    def long(self) -> Tensor:
        return self.to(np.int64)

    def int(self) -> Tensor:
        return self.to(np.int32)

    def bool(self) -> Tensor:
        return self.to(np.bool_)

    def add(self, other: Any) -> Tensor:
        """``self + other``, as ``torch.Tensor.add``.

        >>> import nn
        >>> nn.tensor([1.0]).add(2.0)
        tensor([3.])
        """
        return _ops.add(self, other)

    def sub(self, other: Any) -> Tensor:
        """``self - other``."""
        return _ops.sub(self, other)

    def mul(self, other: Any) -> Tensor:
        """``self * other``."""
        return _ops.mul(self, other)

    def div(self, other: Any) -> Tensor:
        """``self / other``."""
        return _ops.div(self, other)

    def pow(self, exponent: Any) -> Tensor:
        """``self ** exponent``.

        >>> import nn
        >>> nn.tensor([3.0]).pow(2)
        tensor([9.])
        """
        return _ops.pow(self, exponent)

    def matmul(self, other: Any) -> Tensor:
        """``self @ other``; ``mm`` is the same.

        >>> import nn
        >>> nn.tensor([[1.0, 2.0]]).matmul(nn.tensor([[3.0], [4.0]]))
        tensor([[11.]])
        """
        return _ops.matmul(self, other)

    mm = matmul

    def eq(self, other: Any) -> Tensor:
        return _ops.compare(np.equal, self, other)


def _shape_args(shape: tuple[Any, ...]) -> tuple[int, ...]:
    if len(shape) == 1 and isinstance(shape[0], tuple | list):
        return tuple(shape[0])
    return tuple(shape)


def _run_backward(root: Tensor, seed: np.ndarray, retain_graph: bool) -> None:
    """Apply the chain rule from ``root`` down to the leaves, without recursion.

    Nodes are visited from the highest sequence number down (a max-heap), so each node's
    gradient is complete, summed over all its consumers, before it is passed on. Leaves
    sum what reaches them and accumulate it into ``.grad`` at the end, as PyTorch does;
    intermediate gradients are dropped once passed on; unless ``retain_graph``, each
    node's parents and closure are released after use.
    """
    if root._backward is None:
        root._accumulate(seed)
        return
    anomaly = _GradMode.anomaly
    pop, push = heapq.heappop, heapq.heappush
    grads: dict[int, np.ndarray] = {id(root): seed}
    leaves: dict[int, tuple[Tensor, np.ndarray, bool]] = {}
    heap: list[tuple[int, Tensor]] = [(-root._seq, root)]
    while heap:
        node = pop(heap)[1]
        parents = node._parents
        parent_grads = node._backward(grads.pop(id(node)))  # type: ignore[misc]
        fresh = type(parent_grads) is Fresh
        if not retain_graph:
            node._parents = ()
            node._backward = _freed_graph
        for parent, parent_grad in zip(parents, parent_grads, strict=False):  # equal by design
            if parent_grad is None or not parent.requires_grad:
                continue
            if anomaly:
                _check_finite(parent_grad, f"{node._op}Backward", "gradient")
            key = id(parent)
            if parent._backward is None:  # a leaf
                entry = leaves.get(key)
                if entry is None:
                    leaves[key] = (parent, parent_grad, fresh)
                else:  # a sum is a new array
                    leaves[key] = (parent, entry[1] + parent_grad, True)
                continue
            previous = grads.get(key)
            if previous is None:
                grads[key] = parent_grad
                push(heap, (-parent._seq, parent))
            else:
                grads[key] = previous + parent_grad
    for leaf, grad, owned in leaves.values():
        leaf._accumulate(grad, owned)


def tensor(data: Any, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    """Build a Tensor from numbers, nested lists or an ndarray (copied), as ``torch.tensor``.

    Examples
    --------
    >>> import nn
    >>> nn.tensor([[1, 2], [3, 4]]).dtype
    dtype('int64')
    >>> nn.tensor([0.5], requires_grad=True)
    tensor([0.5], requires_grad=True)
    """
    return Tensor(data, requires_grad=requires_grad, dtype=dtype)


def as_tensor(data: Any, dtype: Any = None) -> Tensor:
    """``data`` as a Tensor, sharing memory with an ndarray when the dtype allows.

    Examples
    --------
    >>> import numpy as np, nn
    >>> a = np.zeros(2); nn.as_tensor(a).data is a
    True
    """
    if isinstance(data, Tensor):
        return data if dtype is None else data.to(dtype)
    return Tensor._wrap(_as_array(data, dtype, copy=False))


from . import _ops  # noqa: E402  (the ops module needs Tensor defined first)
