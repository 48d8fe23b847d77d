"""Tensor: an ndarray that records the operations made on it, for reverse-mode autograd.

A Tensor holds its values in an ndarray and, once an op that needs grad made it, the graph
node that made it (``grad_fn``). As in PyTorch:

- ``.data`` is a Tensor sharing this one's storage, cut from the graph; ``.grad`` is a
  Tensor (or None) that ``backward()`` accumulates into; ``.numpy()`` is the shared array.
- In-place operators and methods (``+=``, ``add_``, ``x[i] = v``...) change the storage.
  On a leaf that requires grad they are refused while grad mode is on; under ``no_grad``
  they change the values and the leaf stays a leaf. On anything else they are recorded, so
  that backward stays correct (an in-place change through a view rewrites the base's
  graph, PyTorch's ``CopySlices``).
- Every in-place change bumps a version counter, shared by views of the same storage, and
  backward refuses a saved value that changed after it was saved.

The class is assembled once, here, from sibling parts in this package that each inherit
only ``core.py`` (storage, graph bookkeeping, ``.data`` / ``.grad``, axes; with
``views.py`` and ``in_place.py`` for views and in-place writes), so its inheritance is
three deep. Each part is one family of methods, named as the rules it calls where it has
them (``nn/rules/<family>.py``):

- ``conversion.py`` numbers, arrays, dtypes, printing; ``autograd.py`` backward, hooks;
- ``arithmetic.py`` operators; ``elementwise.py`` functions of one variable, maximum,
  where, atan2, logit; ``special.py`` tan, the inverse hyperbolic and special functions
  (lgamma, digamma, erfinv...), hypot, logaddexp, xlogy, fmod, fmax, with their in-place
  forms; ``comparison.py`` equal, isclose, allclose;
- ``reduction.py`` sum, mean, var, max, norm...; ``counting.py`` histograms, bincount,
  unique; ``ordering.py`` sort, topk, cumsum, cumprod, diff;
- ``linalg.py`` matrix products, triangles, diagonals, trace, inverse, det, softmax;
- ``shape.py`` views and copies of another shape; ``indexing.py`` ``x[i]``, ``x[i] = v``,
  gather, narrow, split...; ``inplace.py`` in-place methods; ``blend.py`` lerp, addcmul,
  addcdiv, nan_to_num; ``scatter.py`` scatter; ``sampling.py`` normal_, uniform_,
  bernoulli, multinomial; ``composites.py`` the methods made of other methods (addmm,
  kron, cross, rot90, take, repeat_interleave, index_add...), which have no rule.

A part that calls another part's method reaches it through the assembled Tensor
(``cast("Tensor", self)``); no method is defined in two parts, and Tensor's inheritance
stays three deep (tests/nn/test_layout.py).
"""

from __future__ import annotations

from types import FunctionType

from .._dtype import as_array
from ..device import check_device
from ..types import DeviceLike, DTypeLike, InputLike
from . import core as _tensor_core
from .arithmetic import TensorMath
from .autograd import TensorAutograd
from .blend import TensorBlend
from .comparison import TensorComparison
from .composites import TensorComposites
from .conversion import TensorConvert
from .counting import TensorCounting
from .elementwise import TensorFunctions
from .indexing import TensorIndexing
from .inplace import TensorInplace
from .linalg import TensorLinalg
from .ordering import TensorOrdering
from .reduction import TensorReduce
from .sampling import TensorSampling
from .scatter import TensorScatter
from .shape import TensorShape
from .special import TensorSpecial


class Tensor(
    TensorComposites,
    TensorScatter,
    TensorBlend,
    TensorInplace,
    TensorShape,
    TensorIndexing,
    TensorOrdering,
    TensorLinalg,
    TensorSampling,
    TensorReduce,
    TensorCounting,
    TensorComparison,
    TensorSpecial,
    TensorFunctions,
    TensorMath,
    TensorAutograd,
    TensorConvert,
):
    """An n-dimensional array with reverse-mode automatic differentiation.

    ``nn.Tensor(...)`` is PyTorch's legacy constructor: ``Tensor(2, 3)`` a Tensor of that
    shape (zeros), ``Tensor(data)`` nested lists or an ndarray (copied) in the default float
    dtype (``nn.Tensor([1, 2])`` is float32, as ``torch.Tensor([1, 2])``), ``Tensor()`` an
    empty one, ``Tensor(t)`` the Tensor ``t``'s values (shared). ``nn.tensor(data)`` infers
    the dtype from the data instead.

    Parameters
    ----------
    *args : ints, or one array_like or Tensor
    requires_grad : bool
        Record operations on this Tensor so that ``backward()`` fills its ``.grad`` (a
        descend extension; PyTorch's constructor has no such argument).
    dtype : dtype, optional
        The dtype instead of the default float one (how ``nn.LongTensor`` makes its own).

    Examples
    --------
    >>> import nn
    >>> x = nn.Tensor([1.0, 2.0, 3.0], requires_grad=True)
    >>> (x ** 2).sum().backward()
    >>> x.grad
    tensor([2., 4., 6.])
    """

    __slots__ = ()

    __hash__ = object.__hash__  # (by identity: the elementwise part's __eq__ unsets it)


_tensor_core._tensor_type.append(Tensor)


def _public_names(cls: type) -> None:
    """Name every method of ``cls``'s parts ``Tensor.<name>``, so that Python's own errors
    (wrong arguments) name the public method, never the part that defines it."""
    for part in cls.__mro__[1:-1]:
        for value in vars(part).values():
            function = getattr(value, "__func__", value)
            while isinstance(function, FunctionType):  # (and what a decorator wraps)
                function.__qualname__ = f"{cls.__name__}.{function.__name__}"
                function = getattr(function, "__wrapped__", None)


_public_names(Tensor)


def tensor(
    data: InputLike,
    dtype: DTypeLike | None = None,
    device: DeviceLike | None = None,
    requires_grad: bool = False,
    pin_memory: bool = False,
) -> Tensor:
    """Build a Tensor from numbers, nested lists or an ndarray (copied), as ``torch.tensor``.

    Examples
    --------
    >>> import nn
    >>> nn.tensor([[1, 2], [3, 4]]).dtype
    dtype('int64')
    >>> nn.tensor([0.5], requires_grad=True)
    tensor([0.5000], requires_grad=True)
    """
    check_device(device)
    if isinstance(data, Tensor):
        data = data._data
    elif isinstance(data, list | tuple) and any(isinstance(x, Tensor) for x in data):
        data = [x._data if isinstance(x, Tensor) else x for x in data]
    out = Tensor._make(as_array(data, dtype))
    return out.requires_grad_(True) if requires_grad else out


__all__ = ["Tensor", "tensor"]
