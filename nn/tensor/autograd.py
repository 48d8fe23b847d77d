"""Autograd on a Tensor (a mixin of ``Tensor``): ``backward``, gradient accumulation into
``.grad``, hooks and ``retain_grad``."""

from __future__ import annotations

import weakref
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import numpy as np

from ..autograd import backward as _autograd_backward
from ..autograd import run_backward
from .core import TensorCore, _new, _tensor_type

if TYPE_CHECKING:
    from ..tensor import Tensor


class TensorAutograd(TensorCore):
    """Autograd methods of ``Tensor``."""

    __slots__ = ()

    # ------------------------------------------------------------------ autograd
    def backward(
        self,
        gradient: object = None,
        retain_graph: bool | None = None,
        create_graph: bool = False,
        inputs: object = None,
    ) -> None:
        """Accumulate d(self)/d(leaf), weighted by ``gradient``, into ``leaf.grad``.

        Parameters
        ----------
        gradient : Tensor or array_like, optional
            dL/d(self); may be left out only when this Tensor has one element (it is 1).
        retain_graph : bool
            Keep the graph so that backward can run through it again.
        inputs : Tensors, optional
            Accumulate only into these leaves.

        Examples
        --------
        >>> import nn
        >>> x = nn.tensor([1.0, 2.0], requires_grad=True)
        >>> (x * x).sum().backward(); x.grad
        tensor([2., 4.])
        >>> (x * 3).backward(gradient=nn.tensor([1.0, 0.0])); x.grad  # accumulates
        tensor([5., 4.])
        """
        if (
            gradient is None
            and inputs is None
            and not create_graph
            and self._node is not None
            and self._data.size == 1
        ):  # the common case: a scalar loss
            seed = np.array(1, dtype=self._data.dtype).reshape(self._data.shape)
            run_backward(((self._node, seed),), bool(retain_graph))
            return
        _autograd_backward(
            [self], None if gradient is None else [gradient], retain_graph, create_graph, inputs
        )

    def _accumulate(self, g: np.ndarray, owned: bool = False) -> None:
        """Add ``g`` into ``.grad``; an ``owned`` array (fresh and writeable, referenced
        nowhere else: a rule's ``Fresh`` result) of the right dtype becomes ``.grad``
        without a copy."""
        grad = self._grad
        if grad is not None:
            grad._data += g
            return
        data = self._data
        if not (
            owned and type(g) is np.ndarray and g.dtype == data.dtype and g.shape == data.shape
        ):  # (a sum of 0-d arrays is a NumPy scalar, and a broadcast view is read-only)
            g = np.array(np.broadcast_to(g, data.shape), dtype=data.dtype)
        grad = _new(_tensor_type[0])  # (_make, written out: once per leaf per backward)
        grad._data = g
        grad._grad = grad._node = grad._view = grad._hooks = None
        grad._rg = False
        grad._vc = [0]
        self._grad = grad

    def _run_hooks(self, g: np.ndarray) -> np.ndarray:
        for hook in self._hooks or ():
            replaced = hook(TensorCore._make(g))
            if replaced is not None:
                g = replaced._data if isinstance(replaced, TensorCore) else np.asarray(replaced)
        return g

    def register_hook(self, hook: Callable[[Tensor], Tensor | None]) -> _HookHandle:
        """Call ``hook(grad)`` whenever the gradient with respect to this Tensor is computed;
        a Tensor it returns replaces the gradient. Returns a handle with ``remove()``.

        Examples
        --------
        >>> import nn
        >>> x = nn.tensor([1.0, 2.0], requires_grad=True)
        >>> _ = x.register_hook(lambda g: g * 10)
        >>> (x * 2).sum().backward(); x.grad
        tensor([20., 20.])
        """
        if not self._rg:
            raise RuntimeError("cannot register a hook on a tensor that doesn't require gradient")
        node = self.grad_fn
        if node is None:
            if self._hooks is None:
                self._hooks = []
            hooks: list[Any] = self._hooks
            entry: Any = hook
        else:
            if node.hooks is None:
                node.hooks = []
            hooks = node.hooks

            def entry(g: np.ndarray) -> np.ndarray | None:
                replaced = hook(TensorCore._make(g))
                if replaced is None:
                    return None
                return replaced._data if isinstance(replaced, TensorCore) else np.asarray(replaced)

        hooks.append(entry)
        return _HookHandle(hooks, entry)

    def retain_grad(self) -> None:
        """Keep ``.grad`` for this non-leaf Tensor too at the next backward: it accumulates
        out of place (a new Tensor each backward, so a reference to the old one keeps its
        values), and follows the Tensor through in-place changes, as PyTorch's since 2.0.

        Examples
        --------
        >>> import nn
        >>> x = nn.tensor([1.0, 2.0], requires_grad=True)
        >>> y = x * 3; y.retain_grad(); (y * y).sum().backward(); y.grad
        tensor([ 6., 12.])
        """
        node = self.grad_fn
        if not self._rg:
            raise RuntimeError("can't retain_grad on Tensor that has requires_grad=False")
        if node is not None and node.retain is None:
            ref = weakref.ref(self)

            def keep(g: np.ndarray) -> None:
                tensor = ref()
                if tensor is None:
                    return
                if tensor._grad is None:
                    tensor._accumulate(g)
                else:
                    tensor._grad = TensorCore._make(tensor._grad._data + g)

            node.retain = keep

    @property
    def retains_grad(self) -> bool:
        node = self.grad_fn
        return node is not None and node.retain is not None


class _HookHandle:
    """Returned by ``register_hook``; ``remove()`` takes the hook off."""

    def __init__(self, hooks: list[Any], entry: Any) -> None:
        self._hooks, self._entry = hooks, entry

    def remove(self) -> None:
        if self._entry in self._hooks:
            self._hooks.remove(self._entry)
