"""Graph nodes: one ``Node`` per recorded op (a Tensor's ``grad_fn``), named as PyTorch
names it, holding where each input's gradient goes (``edges``), the backward closure and the
versions of the Tensors that closure reads (``saved``). NumPy and the standard library only.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from ..rules import Array, Backward

_next_seq = itertools.count(1).__next__


class Node:
    """One recorded operation (a Tensor's ``grad_fn``), named as PyTorch names it.

    Examples
    --------
    >>> import nn
    >>> x = nn.tensor([1.0, 2.0], requires_grad=True)
    >>> y = x * 2
    >>> y.grad_fn.name(), y.grad_fn.next_functions[0][0].name()
    ('MulBackward0', 'torch::autograd::AccumulateGrad')
    """

    __slots__ = ("__weakref__", "backward", "edges", "hooks", "retain", "saved", "seq")

    def __init__(
        self,
        edges: Sequence[Any],
        backward: Backward,
        saved: Sequence[tuple[list[int], int, Any]] = (),
    ) -> None:
        self.edges = edges
        self.backward = backward
        self.saved = saved
        self.seq = _next_seq()
        self.hooks: list[Callable[[Array], Array | None]] | None = None
        self.retain: Callable[[Array], None] | None = None

    def name(self) -> str:
        return type(self).__name__

    @property
    def next_functions(self) -> tuple[tuple[Any, int], ...]:
        """``(node, 0)`` per input: its ``grad_fn``, an ``AccumulateGrad`` for a leaf that
        requires grad, or None."""
        return tuple(
            (edge if edge is None or isinstance(edge, Node) else AccumulateGrad(edge), 0)
            for edge in self.edges
        )

    def __repr__(self) -> str:
        return f"<{type(self).__name__} object at {id(self):#x}>"


class _Intermediate:
    """Stands in a node's ``saved`` for a value the node computed and keeps (where PyTorch
    saves one too): nothing changes it, but a node that saved values refuses to run twice."""

    def __init__(self) -> None:
        self._vc = [0]
        self._data = np.empty(0)
        self._node = None


KEPT: Any = _Intermediate()


@functools.cache
def node_type(name: str) -> type[Node]:
    """The Node subclass called ``name`` (e.g. ``MulBackward0``), made once."""
    return type(name, (Node,), {"__slots__": ()})


class AccumulateGrad:
    """Where a leaf's gradient goes (shown in ``next_functions``); ``variable`` is the leaf."""

    __slots__ = ("variable",)

    def __init__(self, variable: Any) -> None:
        self.variable = variable

    def name(self) -> str:
        return "torch::autograd::AccumulateGrad"  # PyTorch's name, as scripts may compare it

    @property
    def next_functions(self) -> tuple[()]:
        return ()

    def __repr__(self) -> str:
        return f"<AccumulateGrad object at {id(self):#x}>"
