"""``with quiet():`` turns NumPy's floating-point warnings off for a block, as
``np.errstate(all="ignore")`` does: ops return inf and NaN as results, as PyTorch does,
without RuntimeWarnings.

``np.errstate`` builds its error state anew at every entry (about 11,000 instructions on
NumPy 2, more than an op on a small array costs). On NumPy 2 the ignoring state is built
once, here, and set and reset directly in NumPy's context variable (its private
``numpy._core._ufunc_config``; the state keeps the buffer size and error callback of import
time, which matter only to speed and to warnings that are off). Where that is not
available (NumPy 1), ``quiet`` is ``np.errstate(all="ignore")`` itself.
"""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["quiet"]


def _errstate() -> Any:
    return np.errstate(all="ignore")


try:
    from numpy._core._ufunc_config import (  # type: ignore[attr-defined]
        _extobj_contextvar,
        _make_extobj,
    )

    _IGNORE = _make_extobj(all="ignore")
except (ImportError, AttributeError, TypeError):  # NumPy 1, or its internals changed
    quiet: Any = _errstate
else:
    _set, _reset = _extobj_contextvar.set, _extobj_contextvar.reset

    class quiet:  # type: ignore[no-redef]
        """NumPy's floating-point warnings off inside the ``with`` block."""

        __slots__ = ("_token",)

        def __enter__(self) -> None:
            self._token = _set(_IGNORE)

        def __exit__(self, *exc_info: object) -> None:
            _reset(self._token)
