"""ParameterList and ParameterDict: parameters held in a list or a dict and registered with
the module (a plain list or dict would hide them from ``parameters()`` and optimizers), as
``torch.nn.ParameterList`` and ``torch.nn.ParameterDict``. A Tensor or array put in one
becomes a Parameter, as in PyTorch."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

import numpy as np

from ..parameter import Parameter
from ..tensor import Tensor
from .container import RegisteredDict
from .module import Module


def _as_parameter(value: object) -> Parameter:
    if isinstance(value, Parameter):
        return value
    if isinstance(value, Tensor):
        return Parameter(value.detach())
    if isinstance(value, np.ndarray):
        return Parameter(value)
    raise TypeError(f"expected a Parameter, a Tensor or an ndarray, got {type(value).__name__}")


def _listing(container: Module) -> str:
    """PyTorch's repr of a parameter container: one line per parameter."""
    lines = []
    for key, param in container._parameters.items():
        assert param is not None
        size = "x".join(str(n) for n in param.shape) or "()"
        lines.append(f"({key}): Parameter containing: [{param.dtype} of size {size}]")
    return f"{type(container).__name__}(\n    " + "\n    ".join(lines) + "\n)"


class ParameterList(Module):
    """A list of Parameters registered with the module, named "0", "1", ...

    Examples
    --------
    >>> import numpy as np, nn
    >>> scales = nn.ParameterList([nn.ones(2), nn.Parameter(nn.zeros(3))])
    >>> scales.append(np.ones(1, dtype=np.float32))
    ParameterList(
        (0): Parameter containing: [float32 of size 2]
        (1): Parameter containing: [float32 of size 3]
        (2): Parameter containing: [float32 of size 1]
    )
    >>> [name for name, _ in scales.named_parameters()]
    ['0', '1', '2']
    """

    def __init__(self, values: Iterable[Any] | None = None) -> None:
        super().__init__()
        for value in values or ():
            self.append(value)

    def append(self, value: object) -> ParameterList:
        self.register_parameter(str(len(self)), _as_parameter(value))
        return self

    def extend(self, values: Iterable[object]) -> ParameterList:
        for value in values:
            self.append(value)
        return self

    def __len__(self) -> int:
        return len(self._parameters)

    def __iter__(self) -> Iterator[Parameter]:
        return iter(list(self._parameters.values()))  # type: ignore[arg-type]

    def __getitem__(self, index: int) -> Parameter:
        if not -len(self) <= index < len(self):
            raise IndexError(f"index {index} is out of range for a list of {len(self)}")
        return self._parameters[str(index % len(self))]  # type: ignore[return-value]

    def __setitem__(self, index: int, value: Any) -> None:
        self[index]  # (the index must exist)
        self.register_parameter(str(index % len(self)), _as_parameter(value))

    def forward(self, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError("ParameterList has no forward; use its parameters in yours")

    def __repr__(self) -> str:
        return _listing(self)


class ParameterDict(RegisteredDict[Parameter], Module):
    """A dict of Parameters registered with the module under their keys, in insertion order.

    Examples
    --------
    >>> import nn
    >>> gains = nn.ParameterDict({"a": nn.ones(2)})
    >>> gains["b"] = nn.Parameter(nn.zeros(1))
    >>> list(gains), "a" in gains, [name for name, _ in gains.named_parameters()]
    (['a', 'b'], True, ['a', 'b'])
    """

    _store = "_parameters"

    def __init__(self, values: Mapping[str, Any] | Iterable[tuple[str, Any]] | None = None):
        super().__init__()
        if values is not None:
            self.update(values)

    def __setitem__(self, key: str, value: Any) -> None:
        self.register_parameter(key, _as_parameter(value))

    def __repr__(self) -> str:
        return _listing(self)
