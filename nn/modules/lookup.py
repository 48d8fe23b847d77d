"""Looking a submodule, parameter or buffer up by its dotted name, as PyTorch's
``Module.get_submodule`` / ``get_parameter`` / ``get_buffer`` (a mixin of ``nn.Module``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

if TYPE_CHECKING:
    from ..parameter import Parameter
    from ..tensor import Tensor
    from .module import Module


class ModuleLookup:
    """The dotted-name lookups of ``nn.Module``."""

    _modules: dict[str, Module | None]
    _parameters: dict[str, Parameter | None]
    _buffers: dict[str, Tensor | None]

    def get_submodule(self, target: str) -> Module:
        """The submodule at ``target`` (``"head.2"``; ``""`` is this module); raises
        ``AttributeError`` naming the first missing part.

        Examples
        --------
        >>> import nn
        >>> net = nn.Sequential(nn.Linear(2, 3), nn.Sequential(nn.ReLU(), nn.Linear(3, 1)))
        >>> net.get_submodule("1.1")
        Linear(in_features=3, out_features=1, bias=True)
        """
        module = cast("Module", self)
        if target == "":
            return module
        for part in target.split("."):
            child = module._modules.get(part) if part in module._modules else None
            if child is None:
                raise AttributeError(f"{type(module).__name__} has no attribute `{part}`")
            module = child
        return module

    def get_parameter(self, target: str) -> Parameter:
        """The parameter at ``target`` (``"head.0.weight"``).

        Examples
        --------
        >>> import nn
        >>> nn.Sequential(nn.Linear(2, 3)).get_parameter("0.bias").shape
        (3,)
        """
        return cast("Parameter", self._registered(target, "_parameters", "an nn.Parameter"))

    def get_buffer(self, target: str) -> Tensor:
        """The buffer at ``target`` (``"bn.running_mean"``).

        Examples
        --------
        >>> import nn
        >>> nn.Sequential(nn.BatchNorm1d(2)).get_buffer("0.running_var")
        tensor([1., 1.])
        """
        return self._registered(target, "_buffers", "a buffer")

    def _registered(self, target: str, store: str, what: str) -> Tensor:
        """The entry of ``store`` at ``target``; ``AttributeError`` saying which part is
        missing, or that the attribute there is not ``what``."""
        owner, name = self._owner_of(target)
        entry: Tensor | None = getattr(owner, store).get(name)
        if entry is None:
            if not hasattr(owner, name):
                raise AttributeError(f"{type(owner).__name__} has no attribute `{name}`")
            raise AttributeError(f"`{name}` is not {what}")
        return entry

    def _owner_of(self, target: str) -> tuple[Module, str]:
        path, _, name = target.rpartition(".")
        return self.get_submodule(path), name
