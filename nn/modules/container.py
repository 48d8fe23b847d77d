"""Containers of modules: Sequential, ModuleList and ModuleDict."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable, Iterator, Mapping
from typing import Any, ClassVar, Generic, TypeVar, cast, overload

from ..types import InputLike
from .module import Module


class Sequential(Module):
    """Modules applied one after the other; children are named "0", "1", ... (or by an OrderedDict).

    Examples
    --------
    >>> import nn
    >>> net = nn.Sequential(nn.Linear(2, 5), nn.ReLU(), nn.Linear(5, 1), nn.Sigmoid())
    >>> net(nn.tensor([[0.5, -1.0]])).shape
    (1, 1)
    """

    def __init__(self, *modules: Module | OrderedDict[str, Module]) -> None:
        super().__init__()
        if len(modules) == 1 and isinstance(modules[0], OrderedDict):
            for name, module in modules[0].items():
                self.add_module(name, module)
        else:
            for index, module in enumerate(modules):  # type: ignore[assignment]
                if not isinstance(module, Module):
                    raise TypeError(
                        f"Sequential argument {index} is not a Module: {type(module).__name__}"
                    )
                self.add_module(str(index), module)

    def forward(self, input: InputLike) -> Any:
        for module in self._modules.values():
            if module is not None:
                input = module(input)
        return input

    def append(self, module: Module) -> Sequential:
        self.add_module(str(len(self._modules)), module)
        return self

    def __len__(self) -> int:
        return len(self._modules)

    def __iter__(self) -> Iterator[Module]:
        return iter([m for m in self._modules.values() if m is not None])

    @overload
    def __getitem__(self, index: int) -> Module: ...

    @overload
    def __getitem__(self, index: slice) -> Sequential: ...

    def __getitem__(self, index: int | slice) -> Module:
        modules = [(name, m) for name, m in self._modules.items() if m is not None]
        if isinstance(index, slice):
            return Sequential(OrderedDict(modules[index]))
        return modules[_checked_index(index, len(modules))][1]

    def __setitem__(self, index: int, module: Module) -> None:
        """Replace the module at ``index`` (under its name: the state_dict keys stay)."""
        names = list(self._modules)
        setattr(self, names[_checked_index(index, len(names))], module)

    def __delitem__(self, index: int | slice) -> None:
        """Remove the module(s) at ``index``; the rest are numbered again from 0, as
        PyTorch's."""
        names = list(self._modules)
        doomed = (
            names[index] if isinstance(index, slice) else [names[_checked_index(index, len(names))]]
        )
        for name in doomed:
            delattr(self, name)
        kept = list(self._modules.values())
        self._modules.clear()
        for number, module in enumerate(kept):
            self._modules[str(number)] = module


class ModuleList(Module):
    """A list of Modules whose parameters are registered (a plain list would hide them).

    Examples
    --------
    >>> import nn
    >>> layers = nn.ModuleList([nn.Linear(2, 2) for _ in range(3)])
    >>> len(list(layers.parameters()))
    6
    """

    def __init__(self, modules: Iterable[Module] | None = None) -> None:
        super().__init__()
        for module in modules or ():
            self.append(module)

    def append(self, module: Module) -> ModuleList:
        self.add_module(str(len(self._modules)), module)
        return self

    def extend(self, modules: Iterable[Module]) -> ModuleList:
        for module in modules:
            self.append(module)
        return self

    def insert(self, index: int, module: Module) -> None:
        """Put ``module`` before position ``index`` (the later ones are renumbered)."""
        modules = list(self._modules.values())
        modules.insert(index, module)
        self._renumber(modules)

    def pop(self, index: int = -1) -> Module:
        module = self[index]
        del self[index]
        return module

    def __delitem__(self, index: int | slice) -> None:
        modules = list(self._modules.values())
        if isinstance(index, slice):
            del modules[index]
        else:
            del modules[_checked_index(index, len(modules))]
        self._renumber(modules)

    def _renumber(self, modules: list[Module | None]) -> None:
        """Register ``modules`` as this list's, keyed 0, 1, ... as PyTorch keeps them."""
        for key in list(self._modules):
            del self._modules[key]
            self.__dict__.pop(key, None)
        for number, module in enumerate(modules):
            self._modules[str(number)] = self.__dict__[str(number)] = module

    def __iadd__(self, modules: Iterable[Module]) -> ModuleList:
        return self.extend(modules)

    def __add__(self, other: Iterable[Module]) -> ModuleList:
        return ModuleList([*self, *other])

    def __len__(self) -> int:
        return len(self._modules)

    def __iter__(self) -> Iterator[Module]:
        return iter([m for m in self._modules.values() if m is not None])

    def __getitem__(self, index: int) -> Module:
        modules = [m for m in self._modules.values() if m is not None]
        return modules[_checked_index(index, len(modules))]

    def __setitem__(self, index: int, module: Module) -> None:
        key = str(_checked_index(index, len(self)))
        self._modules[key] = self.__dict__[key] = module

    def __repr__(self) -> str:
        """PyTorch's: a run of children with the same repr is shown once, ``(0-2): 3 x``."""
        reprs = [repr(module) for module in self]
        if not reprs:
            return "ModuleList()"
        runs: list[tuple[int, int, str]] = []  # (first, last, repr)
        for number, text in enumerate(reprs):
            if runs and runs[-1][2] == text:
                runs[-1] = (runs[-1][0], number, text)
            else:
                runs.append((number, number, text))
        lines = [
            (f"({first}): " if first == last else f"({first}-{last}): {last - first + 1} x ")
            + text.replace("\n", "\n  ")
            for first, last, text in runs
        ]
        return "ModuleList(\n  " + "\n  ".join(lines) + "\n)"

    def forward(self, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError("ModuleList has no forward; iterate over it in your own forward")


V = TypeVar("V")


class RegisteredDict(Generic[V]):
    """Dict access to one of a module's registries (``_store``: ``"_modules"`` or
    ``"_parameters"``), for ModuleDict and ParameterDict; ``self[key] = value`` registers."""

    _store: ClassVar[str]

    def _registry(self) -> dict[str, V]:
        return cast("dict[str, V]", self.__dict__[self._store])

    def __getitem__(self, key: str) -> V:
        return self._registry()[key]

    def __setitem__(self, key: str, value: V) -> None:
        raise NotImplementedError

    def __delitem__(self, key: str) -> None:
        del self._registry()[key]
        self.__dict__.pop(key, None)

    def __len__(self) -> int:
        return len(self._registry())

    def __iter__(self) -> Iterator[str]:
        return iter(list(self._registry()))

    def __contains__(self, key: object) -> bool:
        return key in self._registry()

    def keys(self) -> Iterable[str]:
        return self._registry().keys()

    def items(self) -> Iterable[tuple[str, V]]:
        return self._registry().items()

    def values(self) -> Iterable[V]:
        return self._registry().values()

    def get(self, key: str, default: V | None = None) -> V | None:
        return self._registry().get(key, default)

    def update(self, entries: Mapping[str, object] | Iterable[tuple[str, object]]) -> None:
        """Add (or replace) entries from a mapping or from (name, value) pairs."""
        pairs = entries.items() if isinstance(entries, Mapping) else entries
        for entry in pairs:
            if not isinstance(entry, tuple | list) or len(entry) != 2:
                raise TypeError(
                    f"{type(self).__name__}.update expects a mapping or (name, value) pairs, "
                    f"got {type(entry).__name__}"
                )
            self[entry[0]] = cast(V, entry[1])

    def pop(self, key: str) -> V:
        value = self[key]
        del self[key]
        return value

    def clear(self) -> None:
        for key in list(self._registry()):
            del self[key]

    def forward(self, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError(
            f"{type(self).__name__} has no forward; use its entries in your own forward"
        )


class ModuleDict(RegisteredDict[Module], Module):
    """A dict of Modules whose parameters are registered, in insertion order, as
    ``torch.nn.ModuleDict``.

    Examples
    --------
    >>> import nn
    >>> heads = nn.ModuleDict({"mean": nn.Linear(4, 1), "scale": nn.Linear(4, 1)})
    >>> heads["act"] = nn.ReLU()
    >>> list(heads), [name for name, _ in heads.named_parameters()][:2]
    (['mean', 'scale', 'act'], ['mean.weight', 'mean.bias'])
    """

    _store = "_modules"

    def __init__(self, modules: Mapping[str, Module] | Iterable[tuple[str, Module]] | None = None):
        super().__init__()
        if modules is not None:
            self.update(modules)

    def __setitem__(self, key: str, module: Module) -> None:
        self.add_module(key, module)


def _checked_index(index: int, length: int) -> int:
    if not -length <= index < length:
        raise IndexError(f"index {index} is out of range for a container of {length} modules")
    return index % length
