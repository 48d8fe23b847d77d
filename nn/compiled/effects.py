"""Python effects of a forward that a replay would not repeat, watched while it is recorded.

A replay runs the recorded rules and nothing else: an append to a list, a counter in a
dictionary, ``self.x = ...``, a ``print``, a draw from Python's or NumPy's global random
generator would happen once, at the recording, and never again (and the proof, which runs
the forward twice more, would repeat them). So while a forward is recorded, the code that
is not descend's, NumPy's or the standard library's (the user's ``forward``, its helpers)
is watched through ``sys.setprofile``: each of its functions is read for stores other than
into its own variables (``STORE_ATTR``, ``STORE_SUBSCR``, ``STORE_GLOBAL``, a closure's
``STORE_DEREF``, their ``DELETE_``), and each function written in C it calls must be one
without effects (``len``, ``isinstance``, ``math.sqrt``, a string's or tuple's method, a
dictionary's ``get``...). Anything else makes the module run eagerly, with the reason.
"""

from __future__ import annotations

import dis
import gc
import sys
import sysconfig
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import CodeType, FrameType, ModuleType

import numpy as np

_PACKAGES = Path(__file__).resolve().parents[2]
_PATHS = sysconfig.get_paths()
_OURS = tuple(
    str(path)
    for path in (
        *(_PACKAGES / name for name in ("nn", "optimizers", "data")),
        Path(np.__file__).resolve().parent,
    )
)
_STDLIB = str(Path(_PATHS["stdlib"]).resolve())
_SITE = tuple(str(Path(_PATHS[key]).resolve()) for key in ("purelib", "platlib"))
"""Code whose effects descend knows (its own: a parameter, buffer or input changed is seen
by the recording), or that a forward calls for values (NumPy, the standard library; not
the third-party packages installed beside it)."""

_STORES = frozenset(
    {
        "STORE_ATTR", "STORE_SUBSCR", "STORE_GLOBAL", "DELETE_ATTR", "DELETE_SUBSCR",
        "DELETE_GLOBAL", "STORE_SLICE", "DELETE_SLICE",
    }
)  # fmt: skip

_PURE_BUILTINS = frozenset(
    {
        "abs", "all", "any", "ascii", "bin", "callable", "chr", "divmod", "format", "getattr",
        "hasattr", "hash", "hex", "id", "isinstance", "issubclass", "iter", "len", "max",
        "min", "next", "oct", "ord", "pow", "repr", "round", "sorted", "sum",
    }
)  # fmt: skip
_READING: dict[type, frozenset[str]] = {
    dict: frozenset({"get", "keys", "values", "items", "copy", "__getitem__", "__contains__"}),
    list: frozenset({"index", "count", "copy", "__getitem__", "__contains__"}),
    set: frozenset({"copy", "union", "intersection", "difference", "issubset", "isdisjoint"}),
}
_VALUES = (str, bytes, tuple, int, float, complex, bool, frozenset, range, slice, type(None))
_WRITING_OPERATORS = frozenset(
    {
        "setitem", "delitem", "iadd", "iand", "iconcat", "ifloordiv", "ilshift", "imod",
        "imul", "imatmul", "ior", "ipow", "irshift", "isub", "itruediv", "ixor",
    }
)  # fmt: skip
_WRITING_NUMPY = frozenset({"copyto", "put", "place", "putmask", "fill_diagonal", "seed"})


_trusted_codes: dict[CodeType, bool] = {}


def vouch(function: Callable[..., object]) -> None:
    """Trust ``function``'s code as descend's own: its effects are its caller's business
    (a test harness that wraps ``Module.__call__`` to compile every model of a script)."""
    _trusted_codes[function.__code__] = True


def _trusted(code: CodeType) -> bool:
    known = _trusted_codes.get(code)
    if known is None:
        path = code.co_filename
        known = (
            path.startswith(_OURS)
            or (path.startswith(_STDLIB) and not path.startswith(_SITE))
            or path.startswith("<frozen ")  # (the standard library's frozen modules: abc)
            or (path == "<string>" and code.co_name.startswith("__"))  # (a dataclass's)
        )
        _trusted_codes[code] = known
    return known


_stores_of: dict[CodeType, str | None] = {}


def _store_in(code: CodeType) -> str | None:
    """The first store of ``code`` outside its own variables, as ``STORE_ATTR seen``."""
    if code not in _stores_of:
        found = None
        for instruction in dis.get_instructions(code):
            name = instruction.opname
            if name in _STORES or (
                name in ("STORE_DEREF", "DELETE_DEREF") and instruction.argval in code.co_freevars
            ):
                found = f"{name} {instruction.argval}" if instruction.argval else name
                break
        _stores_of[code] = found
    return _stores_of[code]


def _pure(function: object) -> bool:
    """Whether a function written in C, called from the user's code, has no effect."""
    owner = getattr(function, "__self__", None)
    name = getattr(function, "__name__", "")
    if owner is None or isinstance(owner, ModuleType):
        module = owner.__name__ if owner is not None else getattr(function, "__module__", "")
        if module == "builtins":
            return name in _PURE_BUILTINS
        if module == "math":
            return True
        if module == "_operator":
            return name not in _WRITING_OPERATORS
        return str(module).startswith("numpy") and name not in _WRITING_NUMPY
    if isinstance(owner, _VALUES) or (isinstance(owner, type) and name == "__new__"):
        return True  # (a value's method, or a new object: a namedtuple's)
    return name in _READING.get(type(owner), frozenset())


def _name(function: object) -> str:
    owner = getattr(function, "__self__", None)
    name = getattr(function, "__name__", "?")
    if isinstance(owner, ModuleType):
        return name if owner.__name__ == "builtins" else f"{owner.__name__}.{name}"
    return name if owner is None else f"{type(owner).__name__}.{name}"


@contextmanager
def watched(breaks: Callable[[str], None]) -> Iterator[None]:
    """The user's code run inside, watched: ``breaks(reason)`` at each effect found."""
    if sys.getprofile() is not None:  # (a profiler's own hook: not replaced)
        breaks("a profiler is watching (sys.setprofile), so the forward's effects cannot be")
        yield
        return
    # (not the forward's: garbage collection's callbacks and finalizers run where they fall)
    aside = {c.__code__ for c in gc.callbacks if hasattr(c, "__code__")}
    seen: set[CodeType] = set()

    def profile(frame: FrameType, event: str, arg: object) -> None:
        code = frame.f_code
        if code in aside or code.co_name == "__del__":
            return
        if event == "call":
            if code not in seen:
                seen.add(code)
                if not _trusted(code):
                    store = _store_in(code)
                    if store is not None:
                        breaks(f"{code.co_name} writes in Python ({store}), which a replay "
                               "would not repeat")  # fmt: skip
        elif event == "c_call" and not _trusted(code) and not _pure(arg):
            breaks(f"{code.co_name} calls {_name(arg)}, an effect a replay would not repeat")

    sys.setprofile(profile)
    try:
        yield
    finally:
        sys.setprofile(None)
