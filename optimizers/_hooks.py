"""Optimizer hooks, as PyTorch's: functions called around ``step``, ``state_dict`` and
``load_state_dict``, registered with ``register_*_hook`` and removed with the returned
handle's ``remove()``.

    step pre hook:             hook(optimizer, args, kwargs) -> None or (args, kwargs)
    step post hook:            hook(optimizer, args, kwargs)
    state_dict pre hook:       hook(optimizer)
    state_dict post hook:      hook(optimizer, state_dict) -> None or a new state_dict
    load_state_dict pre hook:  hook(optimizer, state_dict) -> None or a new state_dict
    load_state_dict post hook: hook(optimizer)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from nn.hooks import RemovableHandle, register


class OptimizerHooks:
    """The registration methods of ``Optimizer``."""

    def _hooks(self, kind: str) -> dict[int, Callable[..., Any]]:
        registry: dict[str, dict[int, Callable[..., Any]]] = self.__dict__.setdefault(
            "_hook_registry", {}
        )
        return registry.setdefault(kind, {})

    def _register(
        self, kind: str, hook: Callable[..., Any], prepend: bool = False
    ) -> RemovableHandle:
        return register(self._hooks(kind), hook, prepend)

    def register_step_pre_hook(self, hook: Callable[..., Any]) -> RemovableHandle:
        """Call ``hook(optimizer, args, kwargs)`` before each ``step``; it may return new
        ``(args, kwargs)`` for the step."""
        return self._register("step_pre", hook)

    def register_step_post_hook(self, hook: Callable[..., Any]) -> RemovableHandle:
        """Call ``hook(optimizer, args, kwargs)`` after each ``step``."""
        return self._register("step_post", hook)

    def register_state_dict_pre_hook(
        self, hook: Callable[..., Any], prepend: bool = False
    ) -> RemovableHandle:
        """Call ``hook(optimizer)`` before ``state_dict`` builds its result."""
        return self._register("state_dict_pre", hook, prepend)

    def register_state_dict_post_hook(
        self, hook: Callable[..., Any], prepend: bool = False
    ) -> RemovableHandle:
        """Call ``hook(optimizer, state_dict)`` on ``state_dict``'s result; it may return a
        new one."""
        return self._register("state_dict_post", hook, prepend)

    def register_load_state_dict_pre_hook(
        self, hook: Callable[..., Any], prepend: bool = False
    ) -> RemovableHandle:
        """Call ``hook(optimizer, state_dict)`` before loading; it may return the state_dict
        to load instead."""
        return self._register("load_pre", hook, prepend)

    def register_load_state_dict_post_hook(
        self, hook: Callable[..., Any], prepend: bool = False
    ) -> RemovableHandle:
        """Call ``hook(optimizer)`` after a load."""
        return self._register("load_post", hook, prepend)

    def _run_step_pre_hooks(self, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
        for hook in list(self._hooks("step_pre").values()):
            result = hook(self, args, kwargs)
            if result is None:
                continue
            if not (isinstance(result, tuple) and len(result) == 2):
                raise RuntimeError(
                    f"{hook} must return None or a tuple of (new_args, new_kwargs), but got "
                    f"{result}."
                )
            args, kwargs = result
        return args, kwargs
