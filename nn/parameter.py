"""Parameter: a Tensor that a Module registers and an optimizer updates."""

from __future__ import annotations

from typing import NoReturn, cast

import numpy as np

from ._dtype import as_array, get_default_dtype, to_dtype
from .device import check_device
from .tensor import Tensor
from .types import DeviceLike, DTypeLike, InputLike


class Parameter(Tensor):
    """A leaf Tensor that requires grad; assigning one to a Module attribute registers it.

    ``data`` is shared with a Tensor (as ``torch.nn.Parameter``) and copied from lists and
    ndarrays (ndarrays keep their dtype).

    Examples
    --------
    >>> import numpy as np, nn
    >>> w = nn.Parameter(np.zeros((2, 3)))
    >>> w.requires_grad, w.dtype
    (True, dtype('float64'))
    """

    __slots__ = ()

    def __init__(self, data: InputLike | None = None, requires_grad: bool = True) -> None:
        if data is None:
            array = np.empty(0, dtype=as_array(0.0).dtype)
        elif isinstance(data, Tensor):
            array = data._data
        else:
            array = as_array(data)
        self._data = array
        self._grad = None
        self._node = None
        self._rg = False
        self._vc = [0] if not isinstance(data, Tensor) else data._vc
        self._view = None
        self._hooks = None
        self.requires_grad_(requires_grad)

    def __repr__(self) -> str:
        return "Parameter containing:\n" + super().__repr__()

    def __deepcopy__(self, memo: dict[int, object]) -> Parameter:
        if id(self) in memo:
            return cast(Parameter, memo[id(self)])
        result = Parameter(self._data.copy(), self._rg)  # .grad is not copied, as PyTorch
        if self.__dict__:
            import copy

            result.__dict__.update(copy.deepcopy(self.__dict__, memo))
        memo[id(self)] = result
        return result


_UNREADABLE = (
    "Can't access the shape of an uninitialized parameter or buffer. This error usually "
    "happens in `load_state_dict` when trying to load an uninitialized parameter into an "
    "initialized one. Call `forward` to initialize the parameters before accessing their "
    "attributes."
)


def _no_values(device: DeviceLike | None, dtype: DTypeLike | None) -> np.ndarray:
    check_device(device)
    return np.empty(0, dtype=get_default_dtype() if dtype is None else to_dtype(dtype))


class UninitializedParameter(Parameter):
    """A lazy module's Parameter before its first call, as PyTorch's: no shape yet (reading
    it raises), ``materialize(shape)`` gives it one and makes this same object a
    ``Parameter`` (so an optimizer holding it keeps working)."""

    __slots__ = ()
    cls_to_become: type[Tensor] = Parameter

    def __init__(
        self,
        requires_grad: bool = True,
        device: DeviceLike | None = None,
        dtype: DTypeLike | None = None,
    ) -> None:
        super().__init__(_no_values(device, dtype), requires_grad)

    def materialize(
        self,
        shape: tuple[int, ...] | int,
        device: DeviceLike | None = None,
        dtype: DTypeLike | None = None,
    ) -> None:
        """Become a Parameter of ``shape`` (zeros until the module initialises it)."""
        check_device(device)
        kind = self._data.dtype if dtype is None else to_dtype(dtype)
        self._data = np.zeros(shape, dtype=kind)
        self.__class__ = self.cls_to_become  # type: ignore[assignment]

    @property
    def shape(self) -> NoReturn:
        raise RuntimeError(_UNREADABLE)

    def numel(self) -> NoReturn:
        raise ValueError(
            "Attempted to use an uninitialized parameter in numel. This error happens when "
            "you are using a `LazyModule`: call `forward` with a dummy batch first"
        )

    def __repr__(self) -> str:
        return f"<{type(self).__name__}>"

    def __deepcopy__(self, memo: dict[int, object]) -> UninitializedParameter:
        if id(self) not in memo:
            memo[id(self)] = type(self)(self._rg, dtype=self._data.dtype)
        return cast(UninitializedParameter, memo[id(self)])


class UninitializedBuffer(Tensor):
    """A lazy module's buffer before its first call (a running mean of unknown size), as
    ``UninitializedParameter`` but becoming a plain Tensor."""

    __slots__ = ()
    cls_to_become: type[Tensor] = Tensor

    def __init__(
        self,
        requires_grad: bool = False,
        device: DeviceLike | None = None,
        dtype: DTypeLike | None = None,
    ) -> None:
        super().__init__()
        self._data = _no_values(device, dtype)
        self.requires_grad_(requires_grad)

    materialize = UninitializedParameter.materialize
    shape = UninitializedParameter.shape
    numel = UninitializedParameter.numel
    __repr__ = UninitializedParameter.__repr__
    __deepcopy__ = UninitializedParameter.__deepcopy__


def is_lazy(value: object) -> bool:
    """Whether ``value`` is a Parameter or buffer still waiting for its shape."""
    return isinstance(value, UninitializedParameter | UninitializedBuffer)
