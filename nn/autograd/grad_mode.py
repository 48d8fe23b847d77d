"""Grad modes and anomaly detection, as ``torch.autograd.grad_mode`` and
``anomaly_mode``: whether ops record the graph (``no_grad``, ``enable_grad``,
``inference_mode``, ``set_grad_enabled``, each a context manager and a decorator), and
``detect_anomaly``, which makes backward check every gradient for NaN."""

from __future__ import annotations

import contextlib
import functools
import inspect
from collections.abc import Callable
from typing import Any, TypeVar

F = TypeVar("F", bound=Callable[..., Any])


# --------------------------------------------------------------------------- grad modes
class _Mode:
    enabled = True
    anomaly = False


def is_grad_enabled() -> bool:
    """Whether new operations are recorded for autograd.

    Examples
    --------
    >>> import nn
    >>> with nn.no_grad():
    ...     nn.is_grad_enabled()
    False
    """
    return _Mode.enabled


def _decorate(func: F, context: Callable[[], contextlib.AbstractContextManager[object]]) -> F:
    """``func`` run inside ``context()``; a generator function's body too, each time it
    resumes, with the caller's mode back while it is suspended (as PyTorch's decorators)."""
    if inspect.isgeneratorfunction(func):

        @functools.wraps(func)
        def generator(*args: object, **kwargs: object) -> Any:
            inner = func(*args, **kwargs)
            try:
                with context():
                    response = inner.send(None)
                while True:
                    try:
                        request = yield response
                    except GeneratorExit:
                        with context():
                            inner.close()
                        raise
                    except BaseException as error:
                        with context():
                            response = inner.throw(error)
                    else:
                        with context():
                            response = inner.send(request)
            except StopIteration as finished:
                return finished.value

        return generator  # type: ignore[return-value]

    @functools.wraps(func)
    def wrapper(*args: object, **kwargs: object) -> Any:
        with context():
            return func(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


class _GradModeContext:
    """Sets grad mode on ``__enter__`` and restores the previous one on ``__exit__``; a
    decorator too, with or without parentheses (``@no_grad`` and ``@no_grad()``)."""

    mode = True

    def __new__(cls, *args: Any, **kwargs: Any) -> Any:
        if len(args) == 1 and callable(args[0]) and not kwargs:  # @no_grad, bare
            made = super().__new__(cls)
            made.__init__()  # type: ignore[misc]
            return made(args[0])
        return super().__new__(cls)

    def __init__(self) -> None:
        self._previous: list[bool] = []

    def __enter__(self) -> None:
        self._previous.append(_Mode.enabled)
        _Mode.enabled = self.mode

    def __exit__(self, *exc: object) -> None:
        _Mode.enabled = self._previous.pop()

    def __call__(self, func: F) -> F:
        return _decorate(func, lambda: self)


class no_grad(_GradModeContext):
    """Context manager and decorator: operations inside are not recorded.

    Examples
    --------
    >>> import nn
    >>> w = nn.tensor([1.0, 2.0], requires_grad=True)
    >>> with nn.no_grad():
    ...     y = w * 2
    >>> y.requires_grad
    False
    """

    mode = False


class enable_grad(_GradModeContext):
    """Context manager and decorator: operations inside are recorded, even under no_grad.

    Examples
    --------
    >>> import nn
    >>> with nn.no_grad(), nn.enable_grad():
    ...     (nn.tensor([1.0], requires_grad=True) * 2).requires_grad
    True
    """

    mode = True


class inference_mode(_GradModeContext):
    """``no_grad`` under PyTorch's other name (``inference_mode(False)`` records as usual).

    Examples
    --------
    >>> import nn
    >>> with nn.inference_mode():
    ...     (nn.tensor([1.0], requires_grad=True) * 2).requires_grad
    False
    """

    def __init__(self, mode: bool = True) -> None:
        super().__init__()
        self.mode = not mode


class set_grad_enabled(_GradModeContext):
    """Turn recording on or off: at once when called, and back when used as a context
    manager exits, as ``torch.set_grad_enabled``; also a decorator.

    Examples
    --------
    >>> import nn
    >>> with nn.set_grad_enabled(False):
    ...     (nn.tensor([1.0], requires_grad=True) * 2).requires_grad
    False
    >>> nn.is_grad_enabled()
    True
    """

    def __init__(self, mode: bool) -> None:
        super().__init__()
        self.mode = bool(mode)
        self._before_call = _Mode.enabled
        _Mode.enabled = self.mode

    def __enter__(self) -> None:
        self._previous.append(self._before_call)

    def __call__(self, func: F) -> F:  # used as a decorator: undo the call's effect
        _Mode.enabled = self._before_call
        mode = self.mode
        return _decorate(func, lambda: set_grad_enabled(mode))


class AnomalyError(RuntimeError, FloatingPointError):
    """A backward function returned NaN under ``detect_anomaly`` (a ``RuntimeError`` as in
    PyTorch, and a ``FloatingPointError``)."""

    __module__ = "nn.autograd"  # (where users find it)


class detect_anomaly(contextlib.ContextDecorator):
    """Raise at the first backward function that returns NaN, naming it, as PyTorch.

    Examples
    --------
    >>> import nn
    >>> x = nn.tensor([0.0], requires_grad=True)
    >>> with nn.detect_anomaly():
    ...     (x.log() * 0).sum().backward()
    Traceback (most recent call last):
    ...
    nn.autograd.AnomalyError: Function 'LogBackward0' returned nan values in its 0th output.
    """

    def __init__(self, check_nan: bool = True) -> None:
        self.check_nan = check_nan
        self._previous: list[bool] = []

    def __enter__(self) -> None:
        self._previous.append(_Mode.anomaly)
        _Mode.anomaly = self.check_nan

    def __exit__(self, *exc: object) -> None:
        _Mode.anomaly = self._previous.pop()
