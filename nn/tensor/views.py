"""Views and in-place changes in the graph: how a Tensor that shares another's storage
stays differentiable.

A view (``x[1:3]``, ``x.reshape(...)``, ``x.t()``) shares its base's storage and version
counter and remembers ``fn``, the map from the base's array to its own. When an in-place
op changes a view, the base's graph is rewritten (PyTorch's ``CopySlices``): the base's
gradient passes through unchanged except in the view's region, which goes through the op's
backward. When the base changes in place after a view was taken, the view's graph node is
re-pointed at the base's current one (``refresh_view``) the next time the view is used.
Works on Tensors through their attributes; imports NumPy and the autograd engine only.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from ..autograd.graph import KEPT, node_type

AsStridedBackward0 = node_type("AsStridedBackward0")
CopySlices = node_type("CopySlices")


class View:
    """What a view Tensor views: the root ``base``, the function from the base's array to
    this view's array, the version the view's graph node was made at, and the grad mode
    it was created in."""

    __slots__ = ("base", "fn", "grad_mode", "multiple", "version")

    def __init__(
        self,
        base: Any,
        fn: Callable[[np.ndarray], np.ndarray],
        version: int,
        grad_mode: bool,
    ) -> None:
        self.base, self.fn, self.version, self.grad_mode = base, fn, version, grad_mode
        # ("Split", number) for output ``number`` of an op returning several views (split,
        # chunk, unbind), which PyTorch refuses to change in place in a recorded graph
        self.multiple: tuple[str, int] | None = None


def edge(t: Any) -> object:
    """Where the gradient for ``t`` goes: its node, itself (a leaf that requires grad) or None."""
    node = t._node
    if node is not None:
        return node
    return t if t._rg else None


def refresh_view(t: Any) -> None:
    """Re-point a view's graph node at its base's current one if the base changed in place
    since (PyTorch regenerates a view's ``grad_fn`` the same way)."""
    info = t._view
    assert info is not None
    if info.version == t._vc[0] or not info.grad_mode:
        return
    info.version = t._vc[0]
    base = info.base
    if base._node is None and not base._rg:
        return
    before = t._node
    t._node = AsStridedBackward0((edge(base),), _scatter(info.fn, base._data))
    t._rg = True
    if before is not None and before.retain is not None:  # (a retained gradient moves too)
        t._node.retain, before.retain = before.retain, None


def _scatter(
    fn: Callable[[np.ndarray], np.ndarray], base: np.ndarray
) -> Callable[[np.ndarray], tuple[np.ndarray]]:
    """The backward of the view ``fn`` of ``base``: a view's gradient put in its places of
    a zero gradient of the base; summed where the view repeats an element (``expand``)."""
    shape, dtype = base.shape, base.dtype

    def scatter(g: np.ndarray) -> tuple[np.ndarray]:
        grad = np.zeros(shape, dtype=dtype)
        region = fn(grad)
        if region.flags.writeable:
            region[...] = g
        else:  # a broadcast view: each base element gets the sum over its copies
            places = fn(np.arange(grad.size).reshape(shape))
            np.add.at(grad.reshape(-1), np.broadcast_to(places, np.shape(g)), g)
        return (grad,)

    return scatter


def adopt(target: Any, result: Any) -> None:
    """Make ``target`` (whose storage now holds ``result``'s values) the output of
    ``result``'s node; through a view, rewrite the base's node (``CopySlices``)."""
    node = result._node
    if node is None:
        return
    before = target._node
    retain = None if before is None else before.retain
    if retain is not None:  # (a retained gradient moves to the Tensor's new node)
        before.retain = None
    node.saved = tuple(
        (target._vc, target._vc[0], None) if counter is result._vc else (counter, version, t)
        for counter, version, t in node.saved
    )
    info = target._view
    if info is None:
        target._node = node
        target._rg = True
        node.retain = retain or node.retain
        return
    base, fn = info.base, info.fn
    op_backward = node.backward

    def copy_slices(g: np.ndarray) -> tuple[Any, ...]:
        grad_base = np.array(g, copy=True)
        region = fn(grad_base)
        grads = op_backward(np.array(region, copy=True))
        region[...] = 0 if grads[0] is None else grads[0]
        return (grad_base, *grads[1:])

    # (PyTorch's CopySlices keeps the op's node, so it never runs twice)
    saved = (*node.saved, (KEPT._vc, 0, KEPT))
    base._node = CopySlices((edge(base), *node.edges[1:]), copy_slices, saved)
    base._rg = True
    target._node = AsStridedBackward0((base._node,), _scatter(fn, base._data))
    target._node.retain = retain
    target._rg = True
    info.version = target._vc[0]
