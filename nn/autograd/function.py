"""``nn.autograd.Function``: an op with a hand-written backward, as PyTorch's.

    class Cube(nn.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x ** 3

        @staticmethod
        def backward(ctx, grad_output):
            (x,) = ctx.saved_tensors
            return grad_output * 3 * x ** 2

    y = Cube.apply(x)

``forward`` runs without recording (grad mode off); the result is one node of the graph
whose backward calls yours with Tensors, one gradient per argument of ``forward`` (None for
arguments that are not Tensors or need none). PyTorch 2's form, ``forward(*args)`` with a
separate ``setup_context(ctx, inputs, output)``, works too.

A ``forward`` may return a tuple: its Tensors all lead to one call of your backward, which
then takes one gradient per output (zeros for an output that got none, or None after
``ctx.set_materialize_grads(False)``; None for outputs that are not Tensors). Outputs given to
``ctx.mark_non_differentiable`` come back not requiring grad, as in PyTorch.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, ClassVar

import numpy as np

from ..rules import unbroadcast
from ..tensor import Tensor
from . import is_grad_enabled, no_grad
from .graph import Node, node_type


class FunctionCtx:
    """What ``forward`` leaves for ``backward``: saved Tensors and any attributes."""

    def __init__(self, needs_input_grad: tuple[bool, ...]) -> None:
        self.needs_input_grad = needs_input_grad
        self._saved: tuple[Any, ...] = ()
        self._non_differentiable: set[int] = set()
        self.materialize_grads = True

    def save_for_backward(self, *tensors: object) -> None:
        for t in tensors:
            if t is not None and not isinstance(t, Tensor):
                raise TypeError(
                    "save_for_backward can only save variables, but argument 0 is of type "
                    f"{type(t).__name__}"
                )
        self._saved = tensors

    @property
    def saved_tensors(self) -> tuple[Any, ...]:
        return self._saved

    def mark_non_differentiable(self, *tensors: object) -> None:
        """Outputs (from ``forward``) that come back not requiring grad; backward gets zeros
        (or None) for them."""
        self._non_differentiable.update(id(t) for t in tensors)

    def set_materialize_grads(self, value: bool) -> None:
        self.materialize_grads = value


class Function:
    """Base class of ops with a custom backward (see the module's docstring)."""

    _node_types: ClassVar[dict[type, type]] = {}

    @staticmethod
    def forward(*args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError(
            "You must implement the forward function for custom autograd.Function."
        )

    @staticmethod
    def setup_context(ctx: object, inputs: tuple[object, ...], output: object) -> Any:
        raise NotImplementedError("setup_context is not implemented.")

    @staticmethod
    def backward(ctx: object, *grad_outputs: object) -> Any:
        raise NotImplementedError(
            "You must implement either the backward or vjp method for your custom "
            "autograd.Function to use it with backward mode AD."
        )

    @classmethod
    def apply(cls, *args: object, **kwargs: object) -> Any:
        needs = tuple(isinstance(a, Tensor) and a.requires_grad for a in args)
        ctx = FunctionCtx(needs)
        separate = cls.setup_context is not Function.setup_context
        with no_grad():
            output = cls.forward(*args, **kwargs) if separate else cls.forward(ctx, *args, **kwargs)
        if separate:
            cls.setup_context(ctx, args, output)
        if not (is_grad_enabled() and any(needs)):
            return output
        if isinstance(output, tuple):
            return _record_outputs(cls, ctx, args, output)
        if not isinstance(output, Tensor) or id(output) in ctx._non_differentiable:
            return output
        inputs = [a for a in args if isinstance(a, Tensor)]

        def backward(g: np.ndarray) -> list[Any]:
            with no_grad():
                grads = cls.backward(ctx, Tensor._make(g))
            return _input_grads(cls, args, grads)

        saved = [t for t in ctx.saved_tensors if t is not None and t is not output]
        result = any(t is output for t in ctx.saved_tensors)
        return Tensor._record(output._data, inputs, backward, _node_type(cls), saved, result)


def _node_type(cls: type[Function]) -> type:
    kind = Function._node_types.get(cls) or node_type(f"{cls.__name__}Backward")
    Function._node_types[cls] = kind
    return kind


def _input_grads(cls: type[Function], args: tuple[object, ...], grads: object) -> list[Any]:
    """What ``backward`` returned, checked and shaped: one array (or None) per Tensor input."""
    grads = grads if isinstance(grads, tuple) else (grads,)
    if len(grads) != len(args):
        raise RuntimeError(
            f"function {cls.__name__}Backward returned an incorrect number of gradients "
            f"(expected {len(args)}, got {len(grads)})"
        )
    return [
        _array(grad, arg, i, f"{cls.__name__}Backward")
        for i, (arg, grad) in enumerate(zip(args, grads, strict=True))
        if isinstance(arg, Tensor)
    ]


class _PerOutput:
    """The gradients of a several-output Function's outputs, gathered on their way to its
    one backward call (each output's node sends its own; the engine sums them with ``+``)."""

    __slots__ = ("grads",)

    def __init__(self, grads: list[np.ndarray | None]) -> None:
        self.grads = grads

    def __add__(self, other: _PerOutput) -> _PerOutput:
        return _PerOutput(
            [
                b if a is None else a if b is None else a + b
                for a, b in zip(self.grads, other.grads, strict=True)
            ]
        )


def record_several(
    outputs: Sequence[np.ndarray],
    inputs: Sequence[Tensor],
    backward: Callable[[list[np.ndarray | None]], Sequence[np.ndarray | None]],
    kind: type[Node],
    differentiable: Sequence[bool],
    saved: Sequence[Tensor] = (),
    outputs_saved: bool = True,
) -> tuple[Tensor, ...]:
    """Several outputs of one op (a factorization's factors), recorded as PyTorch records
    them: one node of ``kind`` calls ``backward`` once with each output's gradient (None
    for an output that got none); each differentiable output has its own node, which
    passes its gradient into its slot. ``backward`` reads the inputs in ``saved`` and every
    output (unless not ``outputs_saved``): a later in-place change of any is refused at
    backward, as PyTorch's."""
    count = len(outputs)

    def joint_backward(g: _PerOutput) -> list[np.ndarray | None]:
        return list(backward(g.grads))

    joint = Tensor._record(np.empty(0), inputs, joint_backward, kind, saved)  # type: ignore[arg-type]
    recorded = []
    for number, (data, wanted) in enumerate(zip(outputs, differentiable, strict=True)):
        if not wanted:
            recorded.append(Tensor._make(data))
            continue

        def select(g: np.ndarray, number: int = number) -> list[_PerOutput]:
            grads: list[np.ndarray | None] = [None] * count
            grads[number] = g
            return [_PerOutput(grads)]

        out = Tensor._record(data, (joint,), select, kind)
        if joint._node is not None and outputs_saved:
            joint._node.saved = [*joint._node.saved, (out._vc, 0, out)]
        recorded.append(out)
    return tuple(recorded)


def _record_outputs(
    cls: type[Function], ctx: FunctionCtx, args: tuple[Any, ...], outputs: tuple[Any, ...]
) -> tuple[Any, ...]:
    """The outputs of a Function whose ``forward`` returned a tuple, recorded.

    One node holds the call of ``backward``; each differentiable output gets a node of the
    same name that passes its gradient to it, in its slot."""
    count = len(outputs)
    differentiable = [
        isinstance(o, Tensor)
        and id(o) not in ctx._non_differentiable
        and o._data.dtype.kind in "fc"
        for o in outputs
    ]

    def backward(g: _PerOutput) -> list[Any]:
        grad_outputs = []
        for output, grad in zip(outputs, g.grads, strict=True):
            if grad is None and isinstance(output, Tensor) and ctx.materialize_grads:
                grad = np.zeros_like(output._data)
            grad_outputs.append(None if grad is None else Tensor._make(grad))
        with no_grad():
            grads = cls.backward(ctx, *grad_outputs)
        return _input_grads(cls, args, grads)

    kind = _node_type(cls)
    inputs = [a for a in args if isinstance(a, Tensor)]
    saved = [t for t in ctx.saved_tensors if t is not None and all(t is not o for o in outputs)]
    joint = Tensor._record(np.empty(0), inputs, backward, kind, saved)  # type: ignore[arg-type]
    recorded: list[Any] = []
    for number, (output, wanted) in enumerate(zip(outputs, differentiable, strict=True)):
        if not wanted:
            recorded.append(output)
            continue

        def select(g: np.ndarray, number: int = number) -> list[Any]:
            grads: list[np.ndarray | None] = [None] * count
            grads[number] = g
            return [_PerOutput(grads)]

        out = Tensor._record(output._data, (joint,), select, kind)
        if any(t is output for t in ctx.saved_tensors) and joint._node is not None:
            joint._node.saved = [*joint._node.saved, (out._vc, 0, out)]
        recorded.append(out)
    return tuple(recorded)


def _array(grad: Any, arg: Tensor, position: int, name: str) -> np.ndarray | None:
    """A gradient ``backward`` returned, as an array of its input's shape (or None).

    PyTorch's rule: a gradient of another shape is accepted only when the input's shape
    broadcasts to it, and is then summed down to the input's shape; anything else raises.
    """
    if grad is None:
        return None
    data = grad._data if isinstance(grad, Tensor) else np.asarray(grad)
    if data.shape != arg.shape:
        if not _expands_to(arg.shape, data.shape):
            raise RuntimeError(
                f"Function {name} returned an invalid gradient at index {position} - got "
                f"{list(data.shape)} but expected shape compatible with {list(arg.shape)}"
            )
        data = unbroadcast(data, arg.shape)
    return data


def _expands_to(shape: tuple[int, ...], target: tuple[int, ...]) -> bool:
    """Whether a Tensor of ``shape`` broadcasts to ``target`` (PyTorch's is_expandable_to)."""
    if len(shape) > len(target):
        return False
    return all(s in (1, t) for s, t in zip(reversed(shape), reversed(target), strict=False))
