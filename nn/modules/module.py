"""Module: the base class of layers and networks, with PyTorch's registration and state dicts."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np

from .._dtype import as_array, to_dtype
from ..device import check_device, device, no_accelerator
from ..parameter import Parameter
from ..tensor import Tensor
from ..types import DeviceLike
from .hooks import ModuleHooks
from .lookup import ModuleLookup
from .state import ModuleState


class Module(ModuleHooks, ModuleLookup, ModuleState):
    """Base class for every layer and network; subclass it and write ``forward``.

    Assigning a Parameter, a Module or (through ``register_buffer``) a buffer to an attribute
    registers it, in definition order, so that ``parameters()``, ``state_dict()``, ``train()``
    and ``repr`` see it.

    Examples
    --------
    >>> import nn
    >>> class Net(nn.Module):
    ...     def __init__(self):
    ...         super().__init__()
    ...         self.hidden = nn.Linear(2, 5)
    ...         self.out = nn.Linear(5, 1)
    ...     def forward(self, x):
    ...         return self.out(self.hidden(x).relu()).sigmoid()
    >>> [name for name, _ in Net().named_parameters()]
    ['hidden.weight', 'hidden.bias', 'out.weight', 'out.bias']
    """

    training: bool
    _parameters: OrderedDict[str, Parameter | None]
    _buffers: OrderedDict[str, Tensor | None]
    _modules: OrderedDict[str, Module | None]
    _non_persistent_buffers: set[str]

    def __init__(self) -> None:
        object.__setattr__(self, "training", True)
        object.__setattr__(self, "_parameters", OrderedDict())
        object.__setattr__(self, "_buffers", OrderedDict())
        object.__setattr__(self, "_non_persistent_buffers", set())
        object.__setattr__(self, "_modules", OrderedDict())

    # ------------------------------------------------------------ registration
    def __setattr__(self, name: str, value: object) -> None:
        for kind, store_name, label in (
            (Parameter, "_parameters", "parameter"),
            (Module, "_modules", "module"),
        ):
            store = self.__dict__.get(store_name)
            if isinstance(value, kind):
                if store is None:
                    raise AttributeError(
                        f"cannot assign {label} '{name}' before Module.__init__() call; "
                        "call super().__init__() first in your __init__"
                    )
                self._forget(name, keep=store_name)
                store[name] = self.__dict__[name] = value
                return
            if store is not None and name in store:
                if value is not None:
                    raise TypeError(
                        f"cannot assign '{type(value).__name__}' as {label} '{name}' "
                        f"(nn.{kind.__name__} or None expected)"
                    )
                store[name] = self.__dict__[name] = None
                return
        buffers = self.__dict__.get("_buffers")
        if buffers is not None and name in buffers:
            buffers[name] = self.__dict__[name] = _as_buffer(name, value)
        else:
            object.__setattr__(self, name, value)

    # Registered members are also kept in the instance __dict__, so that reading
    # ``self.weight`` is a plain attribute lookup; __getattr__ runs only for missing names.
    def __getattr__(self, name: str) -> Any:
        for store in ("_parameters", "_buffers", "_modules"):
            registered = self.__dict__.get(store)
            if registered is not None and name in registered:
                return registered[name]
        raise AttributeError(f"'{type(self).__name__}' object has no attribute '{name}'")

    def __delattr__(self, name: str) -> None:
        for store in ("_parameters", "_buffers", "_modules"):
            registered = self.__dict__.get(store)
            if registered is not None and name in registered:
                del registered[name]
                self.__dict__.pop(name, None)
                self.__dict__["_non_persistent_buffers"].discard(name)
                return
        object.__delattr__(self, name)

    def _forget(self, name: str, keep: str = "") -> None:
        """Remove ``name`` from every store but ``keep`` (re-assignment keeps its position)."""
        self.__dict__.pop(name, None)
        for store in ("_parameters", "_buffers", "_modules"):
            if store != keep:
                self.__dict__[store].pop(name, None)
        self.__dict__["_non_persistent_buffers"].discard(name)

    def _check_name(self, name: object, kind: str) -> None:
        if "_parameters" not in self.__dict__:
            raise AttributeError(f"cannot assign {kind} before Module.__init__() call")
        if not isinstance(name, str):
            raise TypeError(f"{kind} name should be a string, got {type(name).__name__}")
        if not name or "." in name:
            raise KeyError(f'{kind} name can\'t be empty or contain ".", got "{name}"')
        if (
            hasattr(self, name)
            and name not in self._parameters
            and name not in self._buffers
            and name not in self._modules
        ):
            raise KeyError(f"attribute '{name}' already exists")

    def register_parameter(self, name: str, param: Parameter | None) -> None:
        """Add a Parameter (or None, a placeholder) under ``name``."""
        self._check_name(name, "parameter")
        if param is not None and not isinstance(param, Parameter):
            raise TypeError(
                f"cannot assign '{type(param).__name__}' object to parameter '{name}' "
                "(nn.Parameter or None required)"
            )
        self._forget(name)
        self._parameters[name] = self.__dict__[name] = param

    def register_buffer(self, name: str, tensor: Any, persistent: bool = True) -> None:
        """Add a buffer: state saved in ``state_dict`` but not trained (e.g. a running mean).

        Examples
        --------
        >>> import numpy as np, nn
        >>> m = nn.Module(); m.register_buffer("steps", np.zeros(1)); list(m.state_dict())
        ['steps']
        """
        self._check_name(name, "buffer")
        self._forget(name)
        self._buffers[name] = self.__dict__[name] = _as_buffer(name, tensor)
        if not persistent:
            self._non_persistent_buffers.add(name)

    def add_module(self, name: str, module: Module | None) -> None:
        """Add a child module under ``name``."""
        self._check_name(name, "module")
        if module is not None and not isinstance(module, Module):
            raise TypeError(f"{type(module).__name__} is not a Module subclass")
        self._forget(name)
        self._modules[name] = self.__dict__[name] = module

    register_module = add_module

    # ------------------------------------------------------------- traversal
    def named_modules(
        self, memo: set[int] | None = None, prefix: str = "", remove_duplicate: bool = True
    ) -> Iterator[tuple[str, Module]]:
        """This module and every descendant, depth-first, with dotted names.

        Examples
        --------
        >>> import nn
        >>> [name for name, _ in nn.Sequential(nn.Sequential(nn.ReLU())).named_modules()]
        ['', '0', '0.0']
        """
        memo = set() if memo is None else memo
        stack: list[tuple[str, Module]] = [(prefix, self)]
        while stack:
            name, module = stack.pop()
            if remove_duplicate:
                if id(module) in memo:
                    continue
                memo.add(id(module))
            yield name, module
            children = [
                (f"{name}.{child_name}" if name else child_name, child)
                for child_name, child in module._modules.items()
                if child is not None
            ]
            stack.extend(reversed(children))

    def modules(self) -> Iterator[Module]:
        """This module and every descendant, depth-first.

        Examples
        --------
        >>> import nn
        >>> [type(m).__name__ for m in nn.Sequential(nn.Linear(1, 1), nn.ReLU()).modules()]
        ['Sequential', 'Linear', 'ReLU']
        """
        for _, module in self.named_modules():
            yield module

    def named_children(self) -> Iterator[tuple[str, Module]]:
        """``(name, module)`` for the direct children, in definition order.

        Examples
        --------
        >>> import nn
        >>> [name for name, _ in nn.Sequential(nn.Linear(1, 1), nn.ReLU()).named_children()]
        ['0', '1']
        """
        seen: set[int] = set()
        for name, module in self._modules.items():
            if module is not None and id(module) not in seen:
                seen.add(id(module))
                yield name, module

    def children(self) -> Iterator[Module]:
        """The direct children, in definition order.

        Examples
        --------
        >>> import nn
        >>> len(list(nn.Sequential(nn.Linear(1, 1), nn.Sequential(nn.ReLU())).children()))
        2
        """
        for _, module in self.named_children():
            yield module

    def _named_members(
        self, store: str, prefix: str, recurse: bool, remove_duplicate: bool = True
    ) -> Iterator[tuple[str, Any]]:
        seen: set[int] = set()
        modules = (
            self.named_modules(prefix=prefix, remove_duplicate=remove_duplicate)
            if recurse
            else iter([(prefix, self)])
        )
        for module_name, module in modules:
            for name, member in module.__dict__[store].items():
                if member is None or (remove_duplicate and id(member) in seen):
                    continue
                seen.add(id(member))
                yield (f"{module_name}.{name}" if module_name else name), member

    def named_parameters(
        self, prefix: str = "", recurse: bool = True, remove_duplicate: bool = True
    ) -> Iterator[tuple[str, Parameter]]:
        """``(dotted name, Parameter)`` pairs; a Parameter shared by two modules comes once.

        Examples
        --------
        >>> import nn
        >>> [name for name, _ in nn.Sequential(nn.Linear(2, 3)).named_parameters()]
        ['0.weight', '0.bias']
        """
        return self._named_members("_parameters", prefix, recurse, remove_duplicate)

    def parameters(self, recurse: bool = True) -> Iterator[Parameter]:
        """Every Parameter of this module and (with ``recurse``) its descendants.

        Examples
        --------
        >>> import nn
        >>> [tuple(p.shape) for p in nn.Linear(2, 3).parameters()]
        [(3, 2), (3,)]
        """
        for _, param in self.named_parameters(recurse=recurse):
            yield param

    def named_buffers(
        self, prefix: str = "", recurse: bool = True, remove_duplicate: bool = True
    ) -> Iterator[tuple[str, Tensor]]:
        return self._named_members("_buffers", prefix, recurse, remove_duplicate)

    def buffers(self, recurse: bool = True) -> Iterator[Tensor]:
        """Every buffer (state that is saved but not trained, e.g. BatchNorm's running mean).

        Examples
        --------
        >>> import nn
        >>> [tuple(b.shape) for b in nn.BatchNorm1d(3).buffers()]
        [(3,), (3,), ()]
        """
        for _, buffer in self.named_buffers(recurse=recurse):
            yield buffer

    def apply(self, fn: Callable[[Module], object]) -> Module:
        """Call ``fn`` on every submodule (children first) and on this module; returns self.

        Examples
        --------
        >>> import nn
        >>> def init(m):
        ...     if isinstance(m, nn.Linear):
        ...         nn.init.zeros_(m.weight)
        >>> nn.Sequential(nn.Linear(2, 2)).apply(init)[0].weight.sum().item()
        0.0
        """
        for child in self.children():
            child.apply(fn)
        fn(self)
        return self

    # ----------------------------------------------------------------- modes
    def train(self, mode: bool = True) -> Module:
        """Set training mode (Dropout drops, BatchNorm uses batch statistics) recursively.

        Examples
        --------
        >>> import nn
        >>> net = nn.Sequential(nn.Dropout()).train(False)
        >>> net[0].training
        False
        """
        if not isinstance(mode, bool):
            raise ValueError(f"training mode is expected to be boolean, got {type(mode).__name__}")
        for module in self.modules():
            object.__setattr__(module, "training", mode)
        return self

    def eval(self) -> Module:
        """Set evaluation mode; same as ``train(False)``.

        Examples
        --------
        >>> import nn
        >>> nn.Dropout().eval().training
        False
        """
        return self.train(False)

    def requires_grad_(self, requires_grad: bool = True) -> Module:
        for param in self.parameters():
            param.requires_grad_(requires_grad)
        return self

    def zero_grad(self, set_to_none: bool = True) -> None:
        """Reset every parameter's gradient: to None (default) or to zeros.

        Examples
        --------
        >>> import numpy as np, nn
        >>> layer = nn.Linear(2, 1); layer(np.ones((1, 2))).sum().backward()
        >>> layer.zero_grad(); layer.weight.grad is None
        True
        """
        for param in self.parameters():
            if set_to_none:
                param._grad = None
            elif param._grad is not None:
                param._grad._data[...] = 0

    def to(self, *args: Any, **kwargs: Any) -> Module:
        """Convert every float parameter and buffer in place (the objects stay) to a float
        dtype, and/or move them to a device (only the CPU exists): ``to(dtype)``,
        ``to("cpu")``, ``to(device, dtype)``, ``to(tensor)``; returns the module.

        Examples
        --------
        >>> import nn
        >>> nn.Linear(2, 1).to("cpu").double().weight.dtype == nn.float64
        True
        """
        dtype = kwargs.pop("dtype", None)
        check_device(kwargs.pop("device", None))
        kwargs.pop("non_blocking", None)
        kwargs.pop("memory_format", None)
        if kwargs:
            raise TypeError(f"to() got unexpected keyword arguments {sorted(kwargs)}")
        for arg in args:
            if isinstance(arg, Tensor):
                dtype = arg.dtype
            elif isinstance(arg, str | device):
                check_device(arg)
            elif not isinstance(arg, bool):
                dtype = arg
        if dtype is None:
            return self
        target = to_dtype(dtype)
        if target.kind != "f":
            raise TypeError(
                f"nn.Module.to only accepts floating point or complex dtypes, but got desired "
                f"dtype={target}"
            )
        for tensor in [*self.parameters(), *self.buffers()]:
            if tensor.dtype.kind == "f":
                tensor._data = tensor._data.astype(target)
                if tensor._grad is not None:
                    tensor._grad = Tensor._make(tensor._grad._data.astype(target))
        return self

    def float(self) -> Module:
        return self.to(np.float32)

    def double(self) -> Module:
        return self.to(np.float64)

    def half(self) -> Module:
        return self.to(np.float16)

    def cpu(self) -> Module:
        return self

    def cuda(self, device: DeviceLike | None = None) -> Module:
        raise no_accelerator("cuda")

    # -------------------------------------------------------------- running
    def forward(self, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError(
            f'Module [{type(self).__name__}] is missing the required "forward" function'
        )

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if "_forward_hooks" in self.__dict__:  # (only once a hook was registered)
            return self._call_with_hooks(args, kwargs)
        return self.forward(*args, **kwargs)

    # ----------------------------------------------------------------- repr
    def extra_repr(self) -> str:
        """Text shown inside this module's parentheses in ``repr``."""
        return ""

    def __repr__(self) -> str:
        extra = self.extra_repr()
        children = [
            f"({name}): " + repr(module).replace("\n", "\n  ")
            for name, module in self._modules.items()
        ]
        if not children:
            return f"{type(self).__name__}({extra})"
        lines = ([extra] if extra else []) + children
        return f"{type(self).__name__}(\n  " + "\n  ".join(lines) + "\n)"


def _as_buffer(name: str, value: object) -> Tensor | None:
    if value is None or isinstance(value, Tensor):
        return value
    if isinstance(value, np.ndarray | np.generic | int | float | list):
        return Tensor._make(as_array(value))  # (its dtype inferred, as torch.tensor's)
    raise TypeError(
        f"cannot assign '{type(value).__name__}' object to buffer '{name}' "
        "(Tensor or None required)"
    )
