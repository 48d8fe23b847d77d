"""Parameter: a Tensor that a Module registers and an optimizer updates."""

from __future__ import annotations

from typing import Any

from .tensor import Tensor, _as_array


class Parameter(Tensor):
    """A leaf Tensor that requires grad; assigning one to a Module attribute registers it.

    ``data`` is copied from lists and ndarrays (ndarrays keep their float dtype) and shared
    with a Tensor, as ``torch.nn.Parameter``.

    Examples
    --------
    >>> import numpy as np, nn
    >>> w = nn.Parameter(np.zeros((2, 3)))
    >>> w.requires_grad, w.dtype
    (True, dtype('float64'))
    """

    __slots__ = ()

    def __init__(self, data: Any = None, requires_grad: bool = True) -> None:
        if data is None:
            data = _as_array([])
        array = data.data if isinstance(data, Tensor) else _as_array(data)
        super().__init__(0.0)
        self.data = array
        self.requires_grad_(requires_grad)

    def __repr__(self) -> str:
        return "Parameter containing:\n" + super().__repr__()
