"""Parameter: a Tensor that a Module registers and an optimizer updates."""

from __future__ import annotations

from typing import cast

import numpy as np

from ._dtype import as_array
from .tensor import Tensor
from .types import InputLike


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
