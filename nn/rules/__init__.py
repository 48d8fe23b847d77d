"""Array-level rules: each op's forward and its backward, on ndarrays, with NumPy only.

A rule takes arrays (and plain parameters) and returns ``(out, backward)``: the output array
and a closure ``backward(g)`` that maps ``g = dL/d(out)`` to one gradient per array input
(None where the caller said it is not needed); backward closures run under the engine's
``np.errstate(all="ignore")``. The gradient formulas are PyTorch's
(``derivatives.yaml``), written so that NaN, infinities and signed zeros land where
PyTorch's do. Nothing here knows about Tensors or grad modes: ``nn/tensor.py`` records a
rule's closure as a node of the graph.
"""

from __future__ import annotations

import numpy as np

Array = np.ndarray

SMALL_ELEMENTS = 2048  # below it, fewer NumPy calls beat faster ones (measured)


def unbroadcast(grad: Array, shape: tuple[int, ...]) -> Array:
    """Sum ``grad`` over the axes that broadcasting added or stretched, to get ``shape`` back.

    Examples
    --------
    >>> import numpy as np
    >>> unbroadcast(np.ones((4, 3)), (3,))
    array([4., 4., 4.])
    """
    if grad.shape == shape:
        return grad
    extra = grad.ndim - len(shape)
    if extra > 0:
        grad = grad.sum(axis=tuple(range(extra)))
    stretched = tuple(i for i, n in enumerate(shape) if n == 1 and grad.shape[i] != 1)
    if stretched:
        grad = grad.sum(axis=stretched, keepdims=True)
    return grad.reshape(shape)


def sign(x: Array) -> Array:
    """sign(x) with sign(NaN) = 0, as PyTorch's ``sgn`` on real numbers."""
    out = np.sign(x)
    if out.dtype.kind == "f":  # + 0.0: sign(-0.0) is 0.0 in PyTorch
        out = np.where(np.isnan(out), out.dtype.type(0), out) + 0.0
    return np.asarray(out)


def zeroed_where(g: Array, drop: Array) -> Array:
    """A new array: ``g``, with +0.0 where ``drop`` (PyTorch's ``where(drop, 0, g)``).

    Small arrays are copied and masked (``putmask``: fewest calls); large ones take a product
    with ``~drop`` when ``g`` is finite, 3 to 10 times faster than a masked copy or
    ``np.where`` there (inf * 0 is NaN: a gradient holding inf or NaN takes ``np.where``)."""
    if g.size <= SMALL_ELEMENTS:
        copy = np.array(g)
        np.putmask(copy, drop, 0)
        return copy
    flat = g.reshape(-1)
    if not np.isfinite(np.dot(flat, flat)):  # (an overflowing dot also takes np.where)
        return np.where(drop, g.dtype.type(0), g)
    product: Array = g * ~drop
    product += 0.0  # a negative gradient times 0 is -0.0: PyTorch's where gives +0.0
    return product


class Fresh(tuple):  # type: ignore[type-arg]
    """Gradients a backward closure has just allocated and keeps no reference to.

    Returning them in a ``Fresh`` tuple lets a leaf adopt its array as ``.grad`` instead of
    copying it (a large layer's weight gradient is then never copied).
    """

    __slots__ = ()
