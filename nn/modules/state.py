"""A module's state dict (a mixin of ``nn.Module``): its parameters and persistent buffers by
dotted name, and loading one into them, everything checked first, then copied."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, NamedTuple, cast

import numpy as np

from ..parameter import Parameter, is_lazy
from ..tensor import Tensor

if TYPE_CHECKING:
    from .module import Module


def load_into(
    own: Mapping[str, Tensor],
    state_dict: object,
    strict: bool,
    owner: str,
    assign: Callable[[str, Tensor], None] | None = None,
) -> tuple[list[str], list[str]]:
    """Copy ``state_dict``'s values into the tensors ``own`` (by name), keeping their dtypes
    and bumping their versions, or, with ``assign``, hand each key's value (as a Tensor, not
    copied) to ``assign(key, value)``; returns ``(missing, unexpected)`` keys. On any problem
    (missing or unexpected keys when ``strict``, a shape that differs, a value that is not
    numeric) raise a ``RuntimeError`` listing every one, having changed nothing.
    """
    if not isinstance(state_dict, Mapping):
        raise TypeError(f"Expected state_dict to be dict-like, got {type(state_dict).__name__}.")
    missing = [key for key in own if key not in state_dict]
    unexpected = [key for key in state_dict if key not in own]
    errors: list[str] = []
    if strict:  # (PyTorch's order: missing, then unexpected, then each value's problem)
        if missing:
            errors.append(
                "Missing key(s) in state_dict: " + ", ".join(f'"{k}"' for k in missing) + ". "
            )
        if unexpected:
            errors.append(
                "Unexpected key(s) in state_dict: " + ", ".join(f'"{k}"' for k in unexpected) + ". "
            )
    values: list[tuple[str, Tensor, np.ndarray]] = []
    for key, tensor in own.items():
        if key not in state_dict:
            continue
        raw = state_dict[key]
        value = (
            raw._data if isinstance(raw, Tensor) else np.asarray(raw) if _is_numeric(raw) else None
        )
        if value is None or value.dtype.kind not in "biuf":
            errors.append(
                f'value for "{key}" must be a numeric array, got {type(raw).__name__}'
                + (f" of dtype {value.dtype}" if value is not None else "")
            )
        elif not is_lazy(tensor) and value.shape != tensor.shape:
            errors.append(
                f"size mismatch for {key}: copying a param with shape {value.shape} from "
                f"checkpoint, the shape in current model is {tensor.shape}."
            )
        else:
            values.append((key, tensor, value))
    if errors:
        raise RuntimeError(f"Error(s) in loading state_dict for {owner}:\n\t" + "\n\t".join(errors))
    for key, tensor, value in values:
        if assign is not None:
            raw = state_dict[key]
            assign(key, raw if isinstance(raw, Tensor) else Tensor(value))
            continue
        if is_lazy(tensor):  # (a lazy module's parameter takes the loaded shape)
            tensor.materialize(value.shape)  # type: ignore[attr-defined]
        np.copyto(tensor._data, value, casting="unsafe")
        tensor._vc[0] += 1
    return missing, unexpected


def _is_numeric(value: object) -> bool:
    if isinstance(value, np.ndarray | np.generic | int | float | bool):
        return True
    if isinstance(value, list | tuple):
        try:
            return np.asarray(value).dtype.kind in "biuf"
        except (ValueError, TypeError):
            return False
    return False


class IncompatibleKeys(NamedTuple):
    """What ``load_state_dict(strict=False)`` skipped.

    Examples
    --------
    >>> import numpy as np, nn
    >>> nn.Linear(2, 1).load_state_dict({"weight": np.zeros((1, 2))}, strict=False)
    IncompatibleKeys(missing_keys=['bias'], unexpected_keys=[])
    """

    missing_keys: list[str]
    unexpected_keys: list[str]

    def __repr__(self) -> str:  # (PyTorch's words when nothing was skipped)
        if not self.missing_keys and not self.unexpected_keys:
            return "<All keys matched successfully>"
        return (
            f"IncompatibleKeys(missing_keys={self.missing_keys!r}, "
            f"unexpected_keys={self.unexpected_keys!r})"
        )


class ModuleState:
    """The state-dict methods of ``nn.Module``."""

    def _state_tensors(self) -> OrderedDict[str, Tensor]:
        entries: OrderedDict[str, Tensor] = OrderedDict()
        for module_name, module in cast("Module", self).named_modules(remove_duplicate=False):
            prefix = f"{module_name}." if module_name else ""
            for name, param in module._parameters.items():
                if param is not None:
                    entries[prefix + name] = param
            for name, buffer in module._buffers.items():
                if buffer is not None and name not in module._non_persistent_buffers:
                    entries[prefix + name] = buffer
        return entries

    def state_dict(
        self, *args: Any, destination: Any = None, prefix: str = "", keep_vars: bool = False
    ) -> OrderedDict[str, Any]:
        """Parameters and persistent buffers by dotted name, as Tensors that share their
        storage and are cut from the graph (as PyTorch's); ``keep_vars=True`` gives the
        Parameters themselves. Copy it (``copy.deepcopy``) to keep a snapshot.

        Examples
        --------
        >>> import nn
        >>> {k: v.shape for k, v in nn.Linear(2, 3).state_dict().items()}
        {'weight': (3, 2), 'bias': (3,)}
        """
        if args:  # PyTorch's deprecated positional (destination, prefix, keep_vars)
            destination, prefix, keep_vars = (*args, prefix, keep_vars)[:3]
        result = OrderedDict() if destination is None else destination
        for name, tensor in self._state_tensors().items():
            result[prefix + name] = tensor if keep_vars else tensor.detach()
        return result

    def load_state_dict(
        self, state_dict: Mapping[str, object], strict: bool = True, assign: bool = False
    ) -> IncompatibleKeys:
        """Copy values into the existing parameters and buffers, keeping their dtypes; with
        ``assign=True``, make the given Tensors the parameters and buffers instead (their
        dtypes and storage kept; a parameter becomes a Parameter of the value, requiring grad
        as the one it replaces did), as PyTorch's. An optimizer built before holds the old
        parameters then: build it after loading.

        Everything is checked before anything is copied: on any error (missing or
        unexpected keys when ``strict``, a shape that differs, a value that is not numeric)
        a ``RuntimeError`` lists every problem and the module is left as it was.

        Examples
        --------
        >>> import nn
        >>> a, b = nn.Linear(2, 1), nn.Linear(2, 1)
        >>> b.load_state_dict(a.state_dict())
        <All keys matched successfully>
        >>> bool((a.weight == b.weight).all())
        True
        """
        missing, unexpected = load_into(
            self._state_tensors(),
            state_dict,
            strict,
            type(self).__name__,
            self._assign_state if assign else None,
        )
        return IncompatibleKeys(missing, unexpected)

    def _assign_state(self, key: str, value: Tensor) -> None:
        """Make ``value`` the parameter or buffer called ``key`` (a dotted name)."""
        path, _, name = key.rpartition(".")
        me = cast("Module", self)
        owner = me.get_submodule(path) if path else me
        old = owner._parameters.get(name)
        if old is not None:
            if not isinstance(value, Parameter):
                value = Parameter(value, requires_grad=old.requires_grad)
            else:
                value.requires_grad_(old.requires_grad)
        setattr(owner, name, value)
