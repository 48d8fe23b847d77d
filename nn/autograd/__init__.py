"""Reverse-mode automatic differentiation: the backward engine (grad modes in
``grad_mode.py``, graph nodes in ``graph.py``).

Every differentiable op on Tensors that require grad records one ``Node``: its ``edges``
(where the gradient of each input goes: the input's own node, the input itself when it is a
leaf that requires grad, or None) and a closure ``backward(g)`` mapping ``g = dL/d(output)``
to one gradient per input. ``backward()`` applies the chain rule

    dL/dx = sum over the ops y = f(x, ...) that used x of  (dL/dy) * (dy/dx)

visiting nodes from the newest down (every node is numbered when recorded, after its
inputs), so that a node's gradient is complete before it is passed on; no recursion, so a
100,000-op chain works. Leaves that require grad accumulate what reaches them into
``.grad``. Unless ``retain_graph``, each node that saved values has its closure (and the
arrays it holds) freed once used; as in PyTorch, a node that saved nothing can run again.

A node also records the version of each Tensor its closure reads (``saved``). Every
in-place change bumps a Tensor's version, so ``backward`` refuses, as PyTorch does, to use a
value that was modified after it was saved, instead of computing a wrong gradient.

This module works on arrays and on Tensors only through their attributes (``_node``,
``_rg``, ``_hooks``, ``_accumulate``); it imports NumPy alone.
"""

from __future__ import annotations

import heapq
import importlib
from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeVar

import numpy as np

from ..rules import Array, Fresh
from ..rules._quiet import quiet
from .grad_mode import (
    AnomalyError,
    _Mode,
    detect_anomaly,
    enable_grad,
    inference_mode,
    is_grad_enabled,
    no_grad,
    set_grad_enabled,
)
from .graph import AccumulateGrad, Node, node_type

F = TypeVar("F", bound=Callable[..., Any])

__all__ = [
    "AccumulateGrad",
    "AnomalyError",
    "Fresh",
    "Node",
    "backward",
    "detect_anomaly",
    "enable_grad",
    "grad",
    "inference_mode",
    "is_grad_enabled",
    "no_grad",
    "node_type",
    "set_grad_enabled",
]


def _freed(g: Array) -> tuple[Array | None, ...]:
    raise RuntimeError(
        "Trying to backward through the graph a second time (or directly access saved "
        "tensors after they have already been freed). Saved intermediate values of the graph "
        "are freed when you call .backward() or autograd.grad(). Specify retain_graph=True if "
        "you need to backward through the graph a second time or if you need to access saved "
        "tensors after calling backward."
    )


def _check_saved(node: Node, g: Array) -> None:
    """Refuse a saved value whose Tensor was changed in place after it was saved."""
    for counter, version, tensor in node.saved:
        if counter[0] != version:
            if tensor is None:  # the node's own output, which has g's shape and dtype
                what = (
                    f"[{_type_name(g.dtype)} {list(g.shape)}], which is output 0 of {node.name()}"
                )
            else:
                what = f"[{_type_name(tensor._data.dtype)} {list(tensor._data.shape)}]"
                if tensor._node is not None:
                    what += f", which is output 0 of {tensor._node.name()}"
            raise RuntimeError(
                "one of the variables needed for gradient computation has been modified by an "
                f"inplace operation: {what}, is at version {counter[0]}; expected version "
                f"{version} instead. Hint: the backtrace further above shows the operation "
                "that failed to compute its gradient; compute out of place (y = y + 1, not "
                "y += 1) or .clone() the tensor before changing it."
            )


def _type_name(dtype: np.dtype) -> str:
    names = {"float32": "Float", "float64": "Double", "float16": "Half", "int64": "Long"}
    return f"torch.{names.get(str(dtype), str(dtype))}Tensor"


# ------------------------------------------------------------------------------- engine
def _leading_to(targets: set[int], starts: list[Node]) -> set[int]:
    """The ids of the nodes reachable from ``starts`` through which some target (a node or
    a leaf, by id) is reached: only those run when gradients are asked for some inputs.
    (An edge leads to an older node, so one pass in creation order settles each node.)"""
    seen: dict[int, Node] = {}
    stack = list(starts)
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen[id(node)] = node
        stack.extend(e for e in node.edges if isinstance(e, Node) and id(e) not in seen)
    needed: set[int] = set()
    for node in sorted(seen.values(), key=lambda n: n.seq):
        if id(node) in targets or any(
            e is not None and (id(e) in needed or (not isinstance(e, Node) and id(e) in targets))
            for e in node.edges
        ):
            needed.add(id(node))
    return needed


def run_backward(
    roots: Sequence[tuple[object, Array]],
    retain_graph: bool,
    capture: dict[int, Array | None] | None = None,
    accumulate: Iterable[int] | None = None,
) -> None:
    """Propagate gradients from ``roots`` (pairs of a graph edge and dL/d(that output)).

    Nodes are visited from the highest sequence number down (a max-heap), so each node's
    gradient is summed over all its consumers before it is passed on; intermediate
    gradients are dropped once passed on. Leaves sum what reaches them and accumulate it
    into ``.grad`` at the end. ``capture`` (keyed by ``id`` of a leaf or of a node) collects
    gradients instead, for ``grad()``; then, and when ``accumulate`` lists leaf ids, only
    those leaves accumulate.
    """
    with quiet():  # inf and NaN are results here, as in PyTorch, not warnings
        _propagate(roots, retain_graph, capture, accumulate)


def _propagate(
    roots: Sequence[tuple[object, Array]],
    retain_graph: bool,
    capture: dict[int, Array | None] | None,
    accumulate: Iterable[int] | None,
) -> None:
    anomaly = _Mode.anomaly
    pop, push = heapq.heappop, heapq.heappush
    grads: dict[int, Array] = {}
    leaves: dict[int, tuple[Any, Array, bool]] = {}  # id -> (leaf, summed grad, fresh)
    heap: list[tuple[int, Node]] = []
    for edge, seed in roots:
        if isinstance(edge, Node):
            key = id(edge)
            if key in grads:
                grads[key] = grads[key] + seed
            else:
                grads[key] = seed
                push(heap, (-edge.seq, edge))
        elif edge is not None:
            entry = leaves.get(id(edge))
            leaves[id(edge)] = (edge, seed if entry is None else entry[1] + seed, entry is not None)
    capturing = capture is not None
    needed = None
    if capturing or accumulate is not None:
        targets = set(capture or ()) | set(accumulate or ())
        needed = _leading_to(targets, [node for _, node in heap])
        heap = [entry for entry in heap if id(entry[1]) in needed]
    while heap:
        node = pop(heap)[1]
        key = id(node)
        g = grads.pop(key)
        if node.hooks is not None or node.retain is not None:
            g = _run_node_hooks(node, g)
        if capturing and key in capture:  # type: ignore[operator]
            capture[key] = g  # type: ignore[index]
        saved = node.saved
        if saved:
            for counter, version, _ in saved:
                if counter[0] != version:
                    _check_saved(node, g)
        input_grads = node.backward(g)
        fresh = type(input_grads) is Fresh
        if saved and not retain_graph:  # (a node that saved nothing can run again)
            node.backward = _freed
            node.saved = ()
        if anomaly:
            _check_nan(node, input_grads)
        for edge, input_grad in zip(node.edges, input_grads, strict=False):
            if input_grad is None or edge is None:
                continue
            key = id(edge)
            if isinstance(edge, Node):
                if needed is not None and key not in needed:
                    continue  # (no input asked for lies behind it: PyTorch's engine skips it)
                previous = grads.get(key)
                if previous is None:
                    grads[key] = input_grad
                    push(heap, (-edge.seq, edge))
                else:
                    grads[key] = previous + input_grad
            else:  # a leaf that requires grad: its gradients are summed, then accumulated
                entry = leaves.get(key)
                if entry is None:
                    leaves[key] = (edge, input_grad, fresh)
                else:  # a sum is a new array
                    leaves[key] = (edge, entry[1] + input_grad, True)
    if not capturing and accumulate is None:  # the common case: every leaf accumulates
        for leaf, g, owned in leaves.values():
            if leaf._hooks is not None:
                g, owned = leaf._run_hooks(g), False
            leaf._accumulate(g, owned)
        return
    chosen = None if accumulate is None else set(accumulate)
    for key, (leaf, g, owned) in leaves.items():
        if leaf._hooks is not None:
            g, owned = leaf._run_hooks(g), False
        if capture is not None:
            if key in capture:
                capture[key] = g
            if chosen is None or key not in chosen:
                continue
        elif chosen is not None and key not in chosen:
            continue
        leaf._accumulate(g, owned)


def _run_node_hooks(node: Node, g: Array) -> Array:
    for hook in node.hooks or ():
        replaced = hook(g)
        if replaced is not None:
            g = replaced
    if node.retain is not None:
        node.retain(g)
    return g


def _check_nan(node: Node, input_grads: Sequence[Array | None]) -> None:
    """Under ``detect_anomaly``: refuse a backward function that returned NaN."""
    for number, (edge, input_grad) in enumerate(zip(node.edges, input_grads, strict=False)):
        if (
            edge is not None
            and isinstance(input_grad, np.ndarray)  # (not a several-output Function's gradients)
            and np.isnan(input_grad).any()
        ):
            raise AnomalyError(
                f"Function '{node.name()}' returned nan values in its {_ordinal(number)} output."
            )


def _ordinal(number: int) -> str:
    suffix = {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{'th' if 10 <= number % 100 <= 20 else suffix}"


def _seed(output: Any, gradient: object) -> Array:
    """dL/d(output): the given gradient (as an array of the output's shape), or 1 for a
    one-element output."""
    data = output._data
    if gradient is None:
        if data.size != 1:
            raise RuntimeError(
                "grad can be implicitly created only for scalar outputs; this tensor has "
                f"shape {data.shape}, so pass backward(gradient=...) of that shape"
            )
        one: Array = np.array(1, dtype=data.dtype).reshape(data.shape)
        return one
    seed = np.asarray(getattr(gradient, "_data", gradient), dtype=data.dtype)
    if seed.shape != data.shape:
        raise RuntimeError(
            f"Mismatch in shape: grad_output[0] has a shape of {seed.shape} and output[0] "
            f"has a shape of {data.shape}."
        )
    return seed


def _edge_of(tensor: Any) -> object:
    node = tensor.grad_fn
    return node if node is not None else tensor


def _as_sequence(value: object) -> list[Any]:
    return list(value) if isinstance(value, list | tuple) else [value]


def backward(
    tensors: object,
    grad_tensors: object = None,
    retain_graph: bool | None = None,
    create_graph: bool = False,
    inputs: object = None,
) -> None:
    """Accumulate the gradients of ``tensors`` (weighted by ``grad_tensors``) into the
    ``.grad`` of the leaves, as ``torch.autograd.backward`` (``Tensor.backward`` calls it).

    ``inputs`` restricts accumulation to those leaves. ``create_graph=True`` (higher-order
    gradients) is not supported: backward closures work on arrays.

    Examples
    --------
    >>> import nn
    >>> x = nn.tensor([1.0, 2.0], requires_grad=True)
    >>> nn.autograd.backward([(x * x).sum()]); x.grad
    tensor([2., 4.])
    """
    if create_graph:
        raise NotImplementedError(
            "descend does not support create_graph=True (higher-order gradients): its "
            "backward functions compute with NumPy arrays, not with recorded Tensors"
        )
    outputs = _as_sequence(tensors)
    seeds = _as_sequence(grad_tensors) if grad_tensors is not None else [None] * len(outputs)
    if len(seeds) != len(outputs):
        raise RuntimeError(
            f"got {len(seeds)} gradients for {len(outputs)} tensors; pass one per tensor"
        )
    roots = []
    for number, (output, gradient) in enumerate(zip(outputs, seeds, strict=True)):
        if not output.requires_grad:
            raise RuntimeError(
                f"element {number} of tensors does not require grad and does not have a grad_fn"
            )
        roots.append((_edge_of(output), _seed(output, gradient)))
    chosen = None
    if inputs is not None:
        chosen = [id(t) for t in _as_sequence(inputs)]
        if not chosen:
            raise RuntimeError("'inputs' argument to backward() cannot be empty.")
        for t in _as_sequence(inputs):
            if t.grad_fn is not None:
                raise NotImplementedError(
                    "backward(inputs=...) with a non-leaf input is not supported; pass leaves"
                )
    run_backward(roots, bool(retain_graph), accumulate=chosen)


def grad(
    outputs: object,
    inputs: object,
    grad_outputs: object = None,
    retain_graph: bool | None = None,
    create_graph: bool = False,
    allow_unused: bool | None = None,
    materialize_grads: bool = False,
) -> tuple[Any, ...]:
    """The gradients of ``outputs`` with respect to ``inputs``, returned (not accumulated
    into ``.grad``), as ``torch.autograd.grad``.

    Examples
    --------
    >>> import nn
    >>> x = nn.tensor([1.0, 2.0], requires_grad=True)
    >>> nn.autograd.grad((x * x).sum(), x), x.grad
    ((tensor([2., 4.]),), None)
    """
    if create_graph:
        raise NotImplementedError(
            "descend does not support create_graph=True (higher-order gradients): its "
            "backward functions compute with NumPy arrays, not with recorded Tensors"
        )
    outs = _as_sequence(outputs)
    ins = _as_sequence(inputs)
    seeds = _as_sequence(grad_outputs) if grad_outputs is not None else [None] * len(outs)
    for number, t in enumerate(ins):
        if not t.requires_grad:
            raise RuntimeError(f"element {number} of the inputs does not require grad")
    roots = []
    for number, (output, gradient) in enumerate(zip(outs, seeds, strict=True)):
        if not output.requires_grad:
            raise RuntimeError(
                f"element {number} of tensors does not require grad and does not have a grad_fn"
            )
        roots.append((_edge_of(output), _seed(output, gradient)))
    keys = [id(_edge_of(t)) for t in ins]
    capture: dict[int, Array | None] = dict.fromkeys(keys)
    run_backward(roots, bool(retain_graph), capture=capture, accumulate=())
    results = []
    for number, (t, key) in enumerate(zip(ins, keys, strict=True)):
        g = capture[key]
        if g is None:
            if materialize_grads:
                g = np.zeros_like(t._data)
            elif not allow_unused:
                raise RuntimeError(
                    f"The differentiated Tensor at index {number} appears to not have been used "
                    "in the graph. Set allow_unused=True if this is the desired behavior."
                )
        results.append(None if g is None else t._wrap_grad(g))
    return tuple(results)


_LATE = {  # (name: its module) built on Tensor, which imports this module: found on first use
    **dict.fromkeys(("Function", "FunctionCtx"), ".function"),
    "Variable": "nn.tensor.legacy",
    **dict.fromkeys(("gradcheck", "GradcheckError"), ".finite_differences"),
}


def __getattr__(name: str) -> Any:
    """``Function`` (ops with a custom backward), the legacy ``Variable``, ``gradcheck``,
    the ``functional`` module (jacobian, vjp, jvp)."""
    if name == "functional":
        return importlib.import_module(".functional", __package__)
    if name in _LATE:
        return getattr(importlib.import_module(_LATE[name], __package__), name)
    raise AttributeError(f"module 'nn.autograd' has no attribute '{name}'")
