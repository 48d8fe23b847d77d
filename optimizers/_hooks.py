"""Optimizer hooks, as PyTorch's: functions called around ``step``, ``state_dict`` and
``load_state_dict``, registered with ``register_*_hook`` and removed with the returned
handle's ``remove()``.

    step pre hook:             hook(optimizer, args, kwargs) -> None or (args, kwargs)
    step post hook:            hook(optimizer, args, kwargs)
    state_dict pre hook:       hook(optimizer)
    state_dict post hook:      hook(optimizer, state_dict) -> None or a new state_dict
    load_state_dict pre hook:  hook(optimizer, state_dict) -> None or a new state_dict
    load_state_dict post hook: hook(optimizer)

Step hooks run around every ``step``, the built-in one and a subclass's own alike: as
PyTorch's ``Optimizer.__init__`` does, the first instance of a class wraps its class's
``step`` once (``hooked_step``), so that a subclass written in PyTorch's idiom (its own
``step(self, closure=None)``) keeps its code and still gets its hooks, the global ones of
``register_optimizer_step_pre_hook`` / ``register_optimizer_step_post_hook``. (A
learning-rate scheduler wraps its optimizer's ``step`` once more, on the instance, as
PyTorch's does, to check that ``optimizer.step()`` runs first.) The order
is PyTorch's: global pre hooks, the optimizer's pre hooks, ``step``, the optimizer's post
hooks, global post hooks.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

from nn.modules.hooks import RemovableHandle, register

Hook = Callable[..., Any]
Step = TypeVar("Step", bound=Callable[..., Any])

_global_step_pre_hooks: dict[int, Hook] = {}
_global_step_post_hooks: dict[int, Hook] = {}

# the registries every optimizer has, under PyTorch's attribute names
REGISTRIES = {
    "step_pre": "_optimizer_step_pre_hooks",
    "step_post": "_optimizer_step_post_hooks",
    "state_dict_pre": "_optimizer_state_dict_pre_hooks",
    "state_dict_post": "_optimizer_state_dict_post_hooks",
    "load_pre": "_optimizer_load_state_dict_pre_hooks",
    "load_post": "_optimizer_load_state_dict_post_hooks",
}


def register_optimizer_step_pre_hook(hook: Hook) -> RemovableHandle:
    """Call ``hook(optimizer, args, kwargs)`` before the ``step`` of every optimizer (before
    its own pre hooks); it may return new ``(args, kwargs)``. As
    ``torch.optim.optimizer.register_optimizer_step_pre_hook``."""
    return register(_global_step_pre_hooks, hook)


def register_optimizer_step_post_hook(hook: Hook) -> RemovableHandle:
    """Call ``hook(optimizer, args, kwargs)`` after the ``step`` of every optimizer (after
    its own post hooks). As ``torch.optim.optimizer.register_optimizer_step_post_hook``."""
    return register(_global_step_post_hooks, hook)


def hooked_step(step: Step) -> Step:
    """``step`` with the step hooks around it, marked ``hooked`` (PyTorch's
    ``profile_hook_step``)."""

    @functools.wraps(step)
    def wrapper(self: object, *args: object, **kwargs: object) -> Any:
        own_pre = self.__dict__.get("_optimizer_step_pre_hooks")
        if _global_step_pre_hooks or own_pre:
            hooks = [*_global_step_pre_hooks.values(), *(own_pre or {}).values()]
            args, kwargs = _run_pre_hooks(self, hooks, step, args, kwargs)
        out = step(self, *args, **kwargs)
        own_post = self.__dict__.get("_optimizer_step_post_hooks")
        if own_post or _global_step_post_hooks:
            for hook in [*(own_post or {}).values(), *_global_step_post_hooks.values()]:
                hook(self, args, kwargs)
        return out

    wrapper.hooked = True  # type: ignore[attr-defined]
    return wrapper  # type: ignore[return-value]


def _run_pre_hooks(
    optimizer: object, hooks: list[Hook], step: object, args: object, kwargs: object
) -> tuple[Any, Any]:
    for hook in hooks:
        result = hook(optimizer, args, kwargs)
        if result is None:
            continue
        if not (isinstance(result, tuple) and len(result) == 2):
            raise RuntimeError(
                f"{step} must return None or a tuple of (new_args, new_kwargs), but got {result}."
            )
        args, kwargs = result
    return args, kwargs


class OptimizerHooks:
    """The registration methods of ``Optimizer``, and the wrapping of its class's ``step``."""

    def _patch_step_function(self) -> None:
        """Wrap ``type(self).step`` with the step hooks, once per class (PyTorch's)."""
        cls = type(self)
        if not getattr(cls.step, "hooked", False):  # type: ignore[attr-defined]
            cls.step = hooked_step(cls.step)  # type: ignore[attr-defined]

    def _init_hook_registries(self) -> None:
        for attribute in REGISTRIES.values():
            self.__dict__.setdefault(attribute, {})

    def _hooks(self, kind: str) -> dict[int, Hook]:
        """The registry of ``kind``: an attribute made by ``Optimizer.__init__`` (a wrapper
        that never called it has none, and registering raises ``AttributeError``, as in
        PyTorch)."""
        registry: dict[int, Hook] = getattr(self, REGISTRIES[kind])
        return registry

    def _register(self, kind: str, hook: Hook, prepend: bool = False) -> RemovableHandle:
        return register(self._hooks(kind), hook, prepend)

    def register_step_pre_hook(self, hook: Hook) -> RemovableHandle:
        """Call ``hook(optimizer, args, kwargs)`` before each ``step``; it may return new
        ``(args, kwargs)`` for the step."""
        return self._register("step_pre", hook)

    def register_step_post_hook(self, hook: Hook) -> RemovableHandle:
        """Call ``hook(optimizer, args, kwargs)`` after each ``step``."""
        return self._register("step_post", hook)

    def register_state_dict_pre_hook(self, hook: Hook, prepend: bool = False) -> RemovableHandle:
        """Call ``hook(optimizer)`` before ``state_dict`` builds its result."""
        return self._register("state_dict_pre", hook, prepend)

    def register_state_dict_post_hook(self, hook: Hook, prepend: bool = False) -> RemovableHandle:
        """Call ``hook(optimizer, state_dict)`` on ``state_dict``'s result; it may return a
        new one."""
        return self._register("state_dict_post", hook, prepend)

    def register_load_state_dict_pre_hook(
        self, hook: Hook, prepend: bool = False
    ) -> RemovableHandle:
        """Call ``hook(optimizer, state_dict)`` before loading; it may return the state_dict
        to load instead."""
        return self._register("load_pre", hook, prepend)

    def register_load_state_dict_post_hook(
        self, hook: Hook, prepend: bool = False
    ) -> RemovableHandle:
        """Call ``hook(optimizer)`` after a load."""
        return self._register("load_post", hook, prepend)
