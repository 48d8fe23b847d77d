"""Reading PyTorch's shape and ``dim`` arguments (NumPy only)."""

from __future__ import annotations

from typing import Any

import numpy as np

Size: type[tuple[int, ...]] = tuple  # torch.Size: descend's shapes are plain tuples


def shape_args(shape: tuple[Any, ...], size: object = None) -> tuple[int, ...]:
    """``f(2, 3)``, ``f((2, 3))`` and ``f(size=(2, 3))`` alike; ``f()`` is refused as PyTorch
    refuses it (a 0-d shape is ``f(())``), and so is a size given both ways."""
    if size is not None:
        if shape:
            raise TypeError("received an invalid combination of arguments: the size given twice")
        shape = (size,)
    if not shape:
        raise TypeError(
            "missing 1 required positional argument: the size (ints, or a tuple of ints; "
            "() for a 0-d Tensor)"
        )
    if len(shape) == 1 and isinstance(shape[0], tuple | list):
        shape = tuple(shape[0])
    for n in shape:
        if isinstance(n, bool) or (
            not isinstance(n, int | np.integer) and not hasattr(n, "__index__")
        ):
            raise TypeError(f"shape must be a sequence of ints, got {type(n).__name__}")
    return tuple(int(n) for n in shape)


def axes_of(dim: Any, ndim: int) -> tuple[int, ...] | None:
    """``dim`` (an int, a sequence of ints or None) as sorted non-negative axes."""
    if dim is None:
        return None
    dims = (dim,) if isinstance(dim, int | np.integer) else tuple(dim)
    size = max(ndim, 1)
    out = []
    for d in dims:
        if isinstance(d, bool) or not isinstance(d, int | np.integer):
            raise TypeError(f"dim must be an int or a tuple of ints, got {type(d).__name__}")
        if not -size <= d < size:
            raise IndexError(
                f"Dimension out of range (expected to be in range of [{-size}, {size - 1}], but "
                f"got {d})"
            )
        out.append(int(d) % size)
    if len(set(out)) != len(out):
        raise RuntimeError(f"dim {out} appears multiple times in the list of dims")
    return tuple(out)


def refuse_numpy_keywords(name: str, **given: object) -> None:
    """NumPy's ``out``, ``initial`` and ``where`` (``np.max(t, initial=3)`` passes them to the
    method): PyTorch's methods take none of them, and ignoring one would be a wrong number."""
    used = [key for key, value in given.items() if value is not None]
    if used:
        got = ", ".join(f"{key}={type(given[key]).__name__}" for key in used)
        raise TypeError(f"{name}() received an invalid combination of arguments - got ({got}, )")
