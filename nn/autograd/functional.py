"""``torch.autograd.functional``'s first-order half: ``jacobian``, ``vjp`` and ``jvp`` of a
function of Tensors, each computed by reverse mode, one backward per output element:

    J[i..., j...] = d out[i...] / d in[j...],    vjp = v^T J,    jvp = J v.

``hessian``, ``hvp`` and ``vhp`` differentiate a gradient, which needs the gradient to be
recorded (``create_graph=True``); descend's backward functions compute with NumPy arrays,
not recorded Tensors, so these raise ``NotImplementedError`` instead of a wrong number.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

import numpy as np

from . import grad
from .grad_mode import enable_grad

if TYPE_CHECKING:
    from ..tensor import Tensor

_HIGHER_ORDER = (
    "descend does not compute {name}: it differentiates a gradient, which needs "
    "create_graph=True, and descend's backward functions compute with NumPy arrays, not "
    "with recorded Tensors (use nn.autograd.functional.jacobian of your own gradient "
    "function, or finite differences of it)"
)


def _tensors(value: object, what: str, where: str) -> tuple[bool, tuple[Tensor, ...]]:
    """(whether ``value`` is one Tensor, ``value`` as a tuple of Tensors)."""
    from ..tensor import Tensor

    single = isinstance(value, Tensor)
    items = (value,) if single else value
    if not isinstance(items, tuple | list) or not all(isinstance(t, Tensor) for t in items):
        raise TypeError(
            f"The {what} given to {where} must be either a Tensor or a tuple of Tensors but "
            f"the given {what} has type {type(value)}."
        )
    return single, tuple(items)


def _leaves(inputs: object, where: str) -> tuple[bool, tuple[Tensor, ...]]:
    single, tensors = _tensors(inputs, "inputs", where)
    return single, tuple(t.detach().requires_grad_(True) for t in tensors)


def _refuse_create_graph(create_graph: bool, name: str) -> None:
    if create_graph:
        raise NotImplementedError(_HIGHER_ORDER.format(name=f"{name}(create_graph=True)"))


def _independent(strict: bool, i: int, j: int) -> None:
    if strict:
        raise RuntimeError(
            f"Output {i} of the user-provided function is independent of input {j}. This is "
            "not allowed in strict mode."
        )


def _gradients(
    out: Tensor, ins: tuple[Tensor, ...], seed: Tensor, strict: bool, i: int
) -> list[Tensor]:
    """seed^T d out / d in for each input (zeros where ``out`` does not depend on it)."""
    if not out.requires_grad and strict:
        raise RuntimeError(
            f"Output {i} of the user-provided function does not require gradients. The "
            "outputs must be computed in a differentiable manner from the input when running "
            "in strict mode."
        )
    found = (
        grad(out, ins, seed, retain_graph=True, allow_unused=True)
        if out.requires_grad
        else (None,) * len(ins)
    )
    results = []
    for j, (g, t) in enumerate(zip(found, ins, strict=True)):
        if g is None:
            _independent(strict, i, j)
            g = t.new_zeros(t.shape)
        results.append(g)
    return results


def _rows(out: Tensor, ins: tuple[Tensor, ...], strict: bool, i: int) -> Iterator[list[Tensor]]:
    """For each element of ``out`` in order, its gradient with respect to each input."""
    for k in range(out.numel()):
        seed = np.zeros(out.shape, dtype=out.dtype)
        seed.flat[k] = 1
        yield _gradients(out, ins, out.new_tensor(seed), strict, i)


def _vectors(v: object, against: tuple[Tensor, ...], where: str, what: str) -> tuple[Tensor, ...]:
    """``v`` as Tensors of ``against``'s shapes; None only where ``against`` is one element
    (then ones)."""
    if v is None:
        if len(against) != 1 or against[0].numel() != 1:
            raise RuntimeError(f"The vector v can only be None if {what}.")
        return (against[0].new_ones(against[0].shape),)
    vs = _tensors(v, "v", where)[1]
    _check_shapes(vs, against)
    return vs


def jacobian(
    func: Callable[..., object],
    inputs: object,
    create_graph: bool = False,
    strict: bool = False,
    vectorize: bool = False,
    strategy: str = "reverse-mode",
) -> object:
    """d func(*inputs) / d inputs: for an output of shape S and an input of shape T, a
    Tensor of shape S + T (in the input's dtype); a tuple over inputs when ``inputs`` is a
    tuple, over outputs when ``func`` returns one (outputs first). ``vectorize`` and
    ``strategy`` choose how PyTorch computes it, not what: both give the same numbers here.

    Examples
    --------
    >>> import nn
    >>> from nn.autograd.functional import jacobian
    >>> jacobian(lambda x: x**2, nn.tensor([1.0, 2.0]))
    tensor([[2., 0.],
            [0., 4.]])
    """
    if strategy not in ("forward-mode", "reverse-mode"):
        raise ValueError(
            'Expected strategy to be either "forward-mode" or "reverse-mode". Hint: If your '
            'function has more outputs than inputs, "forward-mode" tends to be more '
            'performant. Otherwise, prefer to use "reverse-mode".'
        )
    if strategy == "forward-mode" and not vectorize:
        raise NotImplementedError(
            "Computing Jacobian using forward-AD or forward-over-reverse Hessian is only "
            "implemented for `vectorize=True`."
        )
    _refuse_create_graph(create_graph, "jacobian")
    single_in, ins = _leaves(inputs, "jacobian")
    with enable_grad():
        outputs = func(*ins)
    single_out, outs = _tensors(outputs, "outputs of the user-provided function", "jacobian")
    rows = []
    for i, out in enumerate(outs):
        columns: list[list[Tensor]] = [[] for _ in ins]
        for row in _rows(out, ins, strict, i):
            for j, g in enumerate(row):
                columns[j].append(g)
        rows.append(
            tuple(
                _stacked(column, tuple(out.shape) + tuple(t.shape), t)
                for column, t in zip(columns, ins, strict=True)
            )
        )
    if single_out:
        return rows[0][0] if single_in else rows[0]
    return tuple(row[0] for row in rows) if single_in else tuple(rows)


def _stacked(gradients: list[Tensor], shape: tuple[int, ...], like: Tensor) -> Tensor:
    from .. import stack

    if not gradients:  # (an empty output)
        return like.new_zeros(shape)
    return stack([g.detach() for g in gradients]).reshape(shape)


def vjp(
    func: Callable[..., object],
    inputs: object,
    v: object = None,
    create_graph: bool = False,
    strict: bool = False,
) -> tuple[object, object]:
    """(func(*inputs), v^T J): the outputs (detached) and the vector-Jacobian product, one
    gradient per input. ``v`` may be None only when ``func`` returns one element."""
    _refuse_create_graph(create_graph, "vjp")
    single_in, ins = _leaves(inputs, "vjp")
    with enable_grad():
        outputs = func(*ins)
    single_out, outs = _tensors(outputs, "outputs of the user-provided function", "vjp")
    single = "the user-provided function returns a single Tensor with a single element"
    vs = _vectors(v, outs, "vjp", single)
    totals = [t.new_zeros(t.shape) for t in ins]
    for i, (out, seed) in enumerate(zip(outs, vs, strict=True)):
        for j, g in enumerate(_gradients(out, ins, seed, strict, i)):
            totals[j] = totals[j] + g.detach()
    detached = tuple(out.detach() for out in outs)
    return (
        detached[0] if single_out else detached,
        totals[0] if single_in else tuple(totals),
    )


def jvp(
    func: Callable[..., object],
    inputs: object,
    v: object = None,
    create_graph: bool = False,
    strict: bool = False,
) -> tuple[object, object]:
    """(func(*inputs), J v): the outputs (detached) and the Jacobian-vector product, one
    Tensor per output (from the Jacobian, so in reverse mode). ``v`` may be None only when
    the inputs are one element."""
    _refuse_create_graph(create_graph, "jvp")
    ins = _leaves(inputs, "jvp")[1]
    single = "the input to the user-provided function is a single Tensor with a single element"
    vs = _vectors(v, ins, "jvp", single)
    with enable_grad():
        outputs = func(*ins)
    single_out, outs = _tensors(outputs, "outputs of the user-provided function", "jvp")
    products = []
    for i, out in enumerate(outs):
        total = out.detach().new_zeros(out.shape)
        for k, row in enumerate(_rows(out, ins, strict, i)):
            dot = sum(float((g.detach() * u).sum().item()) for g, u in zip(row, vs, strict=True))
            total.view(-1)[k] = dot
        products.append(total)
    detached = tuple(out.detach() for out in outs)
    if single_out:
        return detached[0], products[0]
    return detached, tuple(products)


def _check_shapes(vs: tuple[Tensor, ...], against: tuple[Tensor, ...]) -> None:
    if len(vs) != len(against):
        raise RuntimeError(
            f"v is a tuple of invalid length: should be {len(against)} but got {len(vs)}."
        )
    for number, (u, t) in enumerate(zip(vs, against, strict=True)):
        if tuple(u.shape) != tuple(t.shape):
            raise RuntimeError(
                f"Entry {number} in v has invalid size: should be {tuple(t.shape)} but got "
                f"{tuple(u.shape)}."
            )


def hessian(func: Callable[..., object], inputs: object, **kwargs: object) -> object:
    """Refused: see the module's docstring."""
    raise NotImplementedError(_HIGHER_ORDER.format(name="hessian"))


def hvp(func: Callable[..., object], inputs: object, v: object = None, **kwargs: object) -> object:
    """Refused: see the module's docstring."""
    raise NotImplementedError(_HIGHER_ORDER.format(name="hvp"))


def vhp(func: Callable[..., object], inputs: object, v: object = None, **kwargs: object) -> object:
    """Refused: see the module's docstring."""
    raise NotImplementedError(_HIGHER_ORDER.format(name="vhp"))


__all__ = ["hessian", "hvp", "jacobian", "jvp", "vhp", "vjp"]
