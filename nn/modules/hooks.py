"""Module hooks, as PyTorch's: functions called around a module's ``forward``, and the
handle every ``register_*_hook`` returns (``torch.utils.hooks.RemovableHandle``).

    forward pre-hook:  hook(module, args) -> None or new args (a non-tuple is wrapped)
                       with_kwargs=True: hook(module, args, kwargs) -> None or (args, kwargs)
    forward hook:      hook(module, args, output) -> None or a new output
                       with_kwargs=True: hook(module, args, kwargs, output)

Hooks run in registration order (``prepend=True`` puts one first). A module with hooks is
never fused with its neighbour by ``Sequential`` (nn/modules/container.py), so a hook on a
``Linear`` or a ``ReLU`` sees that layer's own input and output. Backward hooks on modules
are not supported: ``Tensor.register_hook`` on the module's output gives ``grad_output``.
"""

from __future__ import annotations

import itertools
import warnings
from collections.abc import Callable
from typing import Any, NoReturn

_ids = itertools.count()
Hook = Callable[..., Any]


class RemovableHandle:
    """What ``register_*_hook`` returns: ``remove()`` unregisters the hook (also on leaving
    a ``with`` block).

    Examples
    --------
    >>> import numpy as np, nn
    >>> layer, seen = nn.Linear(2, 1), []
    >>> with layer.register_forward_hook(lambda m, args, out: seen.append(out.shape)):
    ...     _ = layer(np.ones((3, 2), np.float32))
    >>> _ = layer(np.ones((4, 2), np.float32)); seen
    [(3, 1)]
    """

    def __init__(self, registry: dict[int, Any]) -> None:
        self._registry, self.id = registry, next(_ids)

    def remove(self) -> None:
        self._registry.pop(self.id, None)

    def __enter__(self) -> RemovableHandle:
        return self

    def __exit__(self, *exc: object) -> None:
        self.remove()


def register(registry: dict[int, Any], entry: object, prepend: bool = False) -> RemovableHandle:
    """Add ``entry`` to ``registry`` (last, or first when ``prepend``) under a new handle."""
    handle = RemovableHandle(registry)
    if prepend:
        rest = list(registry.items())
        registry.clear()
        registry[handle.id] = entry
        registry.update(rest)
    else:
        registry[handle.id] = entry
    return handle


class ModuleHooks:
    """The hook methods of ``nn.Module``. The registries live in the instance ``__dict__``
    only once a hook was registered, so that calling a module without hooks costs nothing."""

    def _hook_registries(self) -> tuple[dict[int, Any], dict[int, Any]]:
        pre = self.__dict__.setdefault("_forward_pre_hooks", {})
        post = self.__dict__.setdefault("_forward_hooks", {})
        return pre, post

    def register_forward_pre_hook(
        self, hook: Hook, *, prepend: bool = False, with_kwargs: bool = False
    ) -> RemovableHandle:
        """Call ``hook(module, args)`` before each ``forward``; a value it returns replaces
        the positional arguments (a single value is wrapped in a tuple). With
        ``with_kwargs=True`` it is ``hook(module, args, kwargs)`` returning None or
        ``(args, kwargs)``.

        Examples
        --------
        >>> import numpy as np, nn
        >>> layer = nn.Linear(2, 1, bias=False); _ = nn.init.ones_(layer.weight)
        >>> _ = layer.register_forward_pre_hook(lambda m, args: args[0] * 10)
        >>> layer(np.ones((1, 2), np.float32))
        tensor([[20.]], grad_fn=<MmBackward0>)
        """
        return register(self._hook_registries()[0], (hook, with_kwargs), prepend)

    def register_forward_hook(
        self,
        hook: Hook,
        *,
        prepend: bool = False,
        with_kwargs: bool = False,
        always_call: bool = False,
    ) -> RemovableHandle:
        """Call ``hook(module, args, output)`` after each ``forward``; a value it returns
        replaces the output. With ``with_kwargs=True`` it is ``hook(module, args, kwargs,
        output)``; with ``always_call=True`` it also runs when ``forward`` raises (with
        the output None), before the error propagates.

        Examples
        --------
        >>> import numpy as np, nn
        >>> net = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1))
        >>> features = {}
        >>> _ = net[1].register_forward_hook(lambda m, args, out: features.update(relu=out))
        >>> _ = net(np.ones((4, 2), np.float32)); features["relu"].shape
        (4, 3)
        """
        entry = (hook, with_kwargs, always_call)
        return register(self._hook_registries()[1], entry, prepend)

    def register_full_backward_hook(self, hook: Hook, prepend: bool = False) -> NoReturn:
        """Not supported: raises ``NotImplementedError`` naming the alternative (a hook on
        the module's output Tensor receives ``grad_output``)."""
        raise NotImplementedError(
            "descend does not support backward hooks on modules; register a hook on the "
            "module's output Tensor instead (output.register_hook(fn) receives grad_output)"
        )

    register_backward_hook = register_full_backward_hook
    register_full_backward_pre_hook = register_full_backward_hook

    def _call_with_hooks(self, args: tuple[object, ...], kwargs: dict[str, object]) -> Any:
        """``forward`` between the registered pre-hooks and hooks (``Module.__call__``)."""
        pre, post = self._hook_registries()
        for hook, with_kwargs in list(pre.values()):
            if with_kwargs:
                result = hook(self, args, kwargs)
                if result is not None:
                    if not (isinstance(result, tuple) and len(result) == 2):
                        raise RuntimeError(
                            "forward pre-hook must return None or a tuple of (new_args, "
                            f"new_kwargs), but got {result}."
                        )
                    args, kwargs = result
            else:
                result = hook(self, args)
                if result is not None:
                    args = result if isinstance(result, tuple) else (result,)
        hooks = list(post.values())
        called = 0
        output = None
        try:
            output = self.forward(*args, **kwargs)  # type: ignore[attr-defined]
            for hook, with_kwargs, _ in hooks:
                called += 1
                result = (
                    hook(self, args, kwargs, output) if with_kwargs else hook(self, args, output)
                )
                if result is not None:
                    output = result
        except Exception:
            for hook, with_kwargs, always_call in hooks[called:]:
                if always_call:  # the error raised first is the one that propagates
                    try:
                        hook(self, args, kwargs, output) if with_kwargs else hook(
                            self, args, output
                        )
                    except Exception as error:
                        warnings.warn(
                            "module forward hook with ``always_call=True`` raised an exception "
                            f"that was silenced as another error was raised in forward: {error}",
                            stacklevel=2,
                        )
            raise
        return output
