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
separate ``setup_context(ctx, inputs, output)``, works too. One Tensor output per Function.
"""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np

from ._graph import node_type
from .autograd import is_grad_enabled, no_grad
from .tensor import Tensor


class FunctionCtx:
    """What ``forward`` leaves for ``backward``: saved Tensors and any attributes."""

    def __init__(self, needs_input_grad: tuple[bool, ...]) -> None:
        self.needs_input_grad = needs_input_grad
        self._saved: tuple[Any, ...] = ()
        self.materialize_grads = True

    def save_for_backward(self, *tensors: Any) -> None:
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

    def mark_non_differentiable(self, *tensors: Any) -> None:
        """Accepted; outputs here are differentiable only through ``backward`` anyway."""

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
    def setup_context(ctx: Any, inputs: tuple[Any, ...], output: Any) -> Any:
        raise NotImplementedError("setup_context is not implemented.")

    @staticmethod
    def backward(ctx: Any, *grad_outputs: Any) -> Any:
        raise NotImplementedError(
            "You must implement either the backward or vjp method for your custom "
            "autograd.Function to use it with backward mode AD."
        )

    @classmethod
    def apply(cls, *args: Any, **kwargs: Any) -> Any:
        needs = tuple(isinstance(a, Tensor) and a.requires_grad for a in args)
        ctx = FunctionCtx(needs)
        separate = cls.setup_context is not Function.setup_context
        with no_grad():
            output = cls.forward(*args, **kwargs) if separate else cls.forward(ctx, *args, **kwargs)
        if separate:
            cls.setup_context(ctx, args, output)
        if not (is_grad_enabled() and any(needs)):
            return output
        if not isinstance(output, Tensor):
            raise NotImplementedError(
                "descend's autograd.Function supports one Tensor output; got "
                f"{type(output).__name__}"
            )
        inputs = [a for a in args if isinstance(a, Tensor)]

        def backward(g: np.ndarray) -> list[Any]:
            with no_grad():
                grads = cls.backward(ctx, Tensor._make(g))
            grads = grads if isinstance(grads, tuple) else (grads,)
            if len(grads) != len(args):
                raise RuntimeError(
                    f"function {cls.__name__}Backward returned an incorrect number of gradients "
                    f"(expected {len(args)}, got {len(grads)})"
                )
            return [
                _array(grad, arg, i)
                for i, (arg, grad) in enumerate(zip(args, grads, strict=True))
                if isinstance(arg, Tensor)
            ]

        kind = cls._node_types.get(cls) or node_type(f"{cls.__name__}Backward")
        cls._node_types[cls] = kind
        saved = [t for t in ctx.saved_tensors if t is not None and t is not output]
        result = any(t is output for t in ctx.saved_tensors)
        return Tensor._record(output._data, inputs, backward, kind, saved, result=result)


def _array(grad: Any, arg: Tensor, position: int) -> np.ndarray | None:
    """A gradient ``backward`` returned, as an array of its input's shape (or None)."""
    if grad is None:
        return None
    data = grad._data if isinstance(grad, Tensor) else np.asarray(grad)
    if data.shape != arg.shape:
        try:
            data = np.broadcast_to(data, arg.shape) if data.size == 1 else data
        except ValueError:
            pass
        if data.shape != arg.shape:
            raise RuntimeError(
                f"Function backward returned an invalid gradient at index {position} - got "
                f"{list(data.shape)} but expected shape compatible with {list(arg.shape)}"
            )
    return data
