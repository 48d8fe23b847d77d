"""Exception types that are two of Python's at once.

PyTorch raises ``RuntimeError`` for shapes and dtypes that do not fit an op, but
``ValueError`` or ``IndexError`` in some functional checks; these classes let a user's
``except`` clause written for either catch the error.
"""

from __future__ import annotations


class ShapeError(RuntimeError, ValueError):
    """Shapes that do not fit an op, a layer or a loss."""


class DTypeError(RuntimeError, TypeError):
    """An array of the wrong kind (integer where floats are expected, or the reverse)."""


class TargetOutOfRangeError(IndexError, ValueError):
    """A class index outside ``[0, C)`` given to a classification loss."""
