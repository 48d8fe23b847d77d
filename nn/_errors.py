"""Exception types that are two of Python's at once.

PyTorch raises ``RuntimeError`` for shapes and dtypes that do not fit an op, but
``ValueError`` or ``IndexError`` in some functional checks; these classes let a user's
``except`` clause written for either catch the error.
"""

from __future__ import annotations


class ShapeError(RuntimeError, ValueError):
    """Shapes that do not fit an op, a layer or a loss.

    Examples
    --------
    >>> import numpy as np, nn
    >>> try:
    ...     nn.BCELoss()(np.full((3, 1), 0.5), np.ones(3))
    ... except RuntimeError as error:
    ...     print(type(error).__name__)
    ShapeError
    """


class DimensionError(ShapeError, IndexError):
    """An input with too few dimensions for the op (PyTorch raises ``IndexError``,
    ``RuntimeError`` or ``ValueError`` depending on the op; this is all three).

    Examples
    --------
    >>> import nn
    >>> try:
    ...     nn.F.cross_entropy(nn.tensor(1.0), nn.tensor(0))
    ... except IndexError as error:
    ...     print(type(error).__name__)
    DimensionError
    """


class DTypeError(RuntimeError, TypeError):
    """An array of the wrong kind (integer where floats are expected, or the reverse).

    Examples
    --------
    >>> import numpy as np, nn
    >>> try:
    ...     nn.BCELoss()(np.array([0.5]), np.array([1]))
    ... except TypeError as error:
    ...     print(type(error).__name__)
    DTypeError
    """


class NumpyGraphError(RuntimeError, TypeError):
    """A NumPy function was given a Tensor that requires grad (it would cut the graph).

    Examples
    --------
    >>> import numpy as np, nn
    >>> try:
    ...     np.exp(nn.tensor([1.0], requires_grad=True))
    ... except TypeError as error:
    ...     print(type(error).__name__)
    NumpyGraphError
    """


class TargetOutOfRangeError(IndexError, ValueError):
    """A class index outside ``[0, C)`` given to a classification loss.

    Examples
    --------
    >>> import numpy as np, nn
    >>> try:
    ...     nn.CrossEntropyLoss()(np.zeros((1, 2)), np.array([2]))
    ... except IndexError as error:
    ...     print(error)
    Target 2 is out of bounds: class indices must be in [0, 1]
    """


def read_only_error() -> RuntimeError:
    """PyTorch's error for an in-place write into an expanded (broadcast) Tensor."""
    return RuntimeError(
        "unsupported operation: more than one element of the written-to tensor refers to a "
        "single memory location. Please clone() the tensor before performing the operation."
    )


class SizeMismatchError(ValueError, AssertionError):
    """Datasets whose arrays have different numbers of rows (PyTorch's ``TensorDataset``
    asserts it, raising ``AssertionError``).

    Examples
    --------
    >>> import numpy as np
    >>> from data import TensorDataset
    >>> try:
    ...     TensorDataset(np.zeros((3, 2)), np.zeros(2))
    ... except AssertionError as error:
    ...     print(type(error).__name__)
    SizeMismatchError
    """
