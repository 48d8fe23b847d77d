"""The fast copies of the built-in rules, one file per rule (``adam.py`` for
``optimizers/adam.py``'s ``Adam.update``...), each a copy of its rule and never its
definition:

- a **NumPy kernel** (BatchGD, SGD, Momentum, Adam): the rule's operations in its order
  with the temporaries written into two scratch arrays, which the default executor
  (``foreach=None``) runs on large parameters, where a temporary per operation costs the
  most;
- a **numba loop**, the loop over elements of the rule, for ``fused=True`` (the optional
  ``fast`` extra; ``pip install -e ".[fast]"``), compiled at its first use.

Both give the rule's numbers bit for bit (tests/optimizers/test_kernels.py and
test_executors.py). A rule's class names its copies (``kernels = adam.KERNELS``), and
they run only while they are copies of the rule that runs: never for a class that defines
its own ``update`` (a subclass of a built-in included), and never once the rule's source
has changed since they were proven (``RuleKernels.copies`` is the fingerprint of the
``update`` they copy): a learner who edits ``adam.py`` sees the edit at once, every
parameter stepped by it.
"""

from __future__ import annotations

import hashlib
import inspect
import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from types import CodeType
from typing import TYPE_CHECKING

import numpy as np

from ..types import ParamGroup, State

if TYPE_CHECKING:
    from ..optimizer import Optimizer

Update = Callable[[np.ndarray, np.ndarray, State, ParamGroup], None]
Scalar = float | np.float32 | np.float64
"""A hyperparameter as a compiled loop takes it: cast to the parameter's dtype."""
NumpyKernel = Callable[[np.ndarray, np.ndarray, State, ParamGroup, np.ndarray, np.ndarray], None]
"""(W, dW, state, group, scratch_a, scratch_b), on flat slices of W's dtype."""

# Bytes per slice a NumPy kernel steps: its scratch and slices stay in the caches, and
# with no temporaries the slices can be larger than the readable rules' (measured: 256 KiB).
KERNEL_CHUNK_BYTES = 1 << 18


@dataclass(frozen=True)
class RuleKernels:
    """The fast copies of one rule: ``fused`` (numba, ``update``'s signature), ``numpy``
    (for the options ``numpy_applies`` accepts), and ``copies``, the fingerprint of the
    ``update`` they were proven against."""

    copies: str
    fused: Update
    numpy: NumpyKernel | None = None
    numpy_applies: Callable[[ParamGroup], bool] | None = None


def fingerprint(update: Callable[..., object]) -> str | None:
    """The first 16 hex digits of the SHA-256 of ``update``'s source, dedented (None when
    Python cannot read its source). Read from its code object: the code that runs, not
    what a ``__wrapped__`` attribute points to."""
    try:
        source = textwrap.dedent(inspect.getsource(update.__code__))
    except (OSError, TypeError, AttributeError):
        return None
    return hashlib.sha256(source.encode()).hexdigest()[:16]


_fingerprints: dict[CodeType, str | None] = {}


def _declared(cls: type) -> tuple[type, RuleKernels] | None:
    """The class whose rule ``cls`` runs and the kernels it declares, unless a class below
    it defines ``update`` (a kernel is its own rule's, never a subclass's)."""
    for klass in cls.__mro__:
        own = vars(klass)
        if "kernels" in own:
            return (klass, own["kernels"]) if own["kernels"] is not None else None
        if "update" in own:
            return None
    return None


def _proven(klass: type, kernels: RuleKernels) -> bool:
    """Whether ``klass.update`` is still the source ``kernels`` copy (read once per code
    object: an edited and reloaded rule is read again)."""
    update = klass.update  # type: ignore[attr-defined]
    code = update.__code__
    if code not in _fingerprints:
        _fingerprints[code] = fingerprint(update)
    found = _fingerprints[code]
    return found is None or found == kernels.copies  # (no source: nothing was edited)


def kernels_of(cls: type) -> RuleKernels | None:
    """The fast copies of the rule instances of ``cls`` run, while they are its copies."""
    declared = _declared(cls)
    if declared is None or not _proven(*declared):
        return None
    return declared[1]


def fused_for(optimizer: Optimizer) -> Update:
    """The compiled kernel of ``optimizer``'s rule (compiled at its first call).

    Raises ``ValueError`` when the rule has none (a class that writes its own ``update``,
    even a subclass of a built-in, has none: the kernel would not be its rule) or when the
    rule was edited since its kernel was proven."""
    name = type(optimizer).__name__
    declared = _declared(type(optimizer))
    if declared is None:
        raise ValueError(
            f"{name} has no fused kernel (fused=True is for the built-in rules: BatchGD, "
            "SGD, Momentum, Adam, AdamW, RMSprop, Adagrad); use foreach=True for a rule of "
            "your own"
        )
    if not _proven(*declared):
        raise ValueError(
            f"{declared[0].__name__}.update has changed since its fused kernel "
            f"(optimizers/_kernels/) was proven against it: fused=True would not run your "
            "rule; use foreach=True or the default"
        )
    return declared[1].fused


def numpy_for(optimizer: object, group: ParamGroup) -> NumpyKernel | None:
    """The NumPy kernel of ``optimizer``'s rule for ``group``'s options, or None."""
    kernels = kernels_of(type(optimizer))
    if kernels is None or kernels.numpy is None or kernels.numpy_applies is None:
        return None
    return kernels.numpy if kernels.numpy_applies(group) else None


_compiled: dict[tuple[object, ...], Callable[..., None]] = {}


def compile_loop(factory: Callable[..., Callable[..., None]], *flags: bool) -> Callable[..., None]:
    """The loop ``factory(*flags)`` makes, compiled by numba (once per flags; cached on
    disk), or ImportError naming the extra.

    The flags that decide which optional state arrays a loop touches are constants of its
    closure, so that numba compiles those branches away: a loop that only names its arrays
    is vectorised (an array it might touch, even in a branch not taken, stops that)."""
    key = (factory.__module__, factory.__name__, *flags)
    if key not in _compiled:
        try:
            import numba
        except ImportError as error:
            raise ImportError(
                "fused=True compiles its kernels with numba, which is not installed: "
                'pip install "descend[fast]" (pip install -e ".[fast]" from a clone)'
            ) from error
        # error_model="numpy": x / 0 is inf or NaN, as in the NumPy rule (numba's default
        # raises ZeroDivisionError, and its check at every division stops vectorization)
        _compiled[key] = numba.njit(cache=True, error_model="numpy")(factory(*flags))
    return _compiled[key]


def require_numba() -> None:
    """Raise the ImportError naming the ``fast`` extra when numba is missing."""
    from .gradient_descent import make_loop

    compile_loop(make_loop)
