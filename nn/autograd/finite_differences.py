"""gradcheck: compare autograd's gradients with central finite differences."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from ..tensor import Tensor
from . import no_grad


class GradcheckError(RuntimeError):
    """Analytic and numerical gradients disagree (raised by ``nn.gradcheck``).

    Examples
    --------
    >>> import numpy as np, nn
    >>> x = nn.tensor(np.array([1.0]), requires_grad=True)
    >>> Wrong = nn.autograd.node_type("WrongBackward0")
    >>> wrong = lambda t: nn.Tensor._record(t.detach().numpy() ** 2, (t,), lambda g: (g,), Wrong)
    >>> nn.gradcheck(wrong, (x,), raise_exception=False)
    False
    """


def _outputs(result: object) -> tuple[Tensor, ...]:
    items = result if isinstance(result, tuple | list) else (result,)
    return tuple(item for item in items if isinstance(item, Tensor))


def gradcheck(
    fn: Callable[..., Any],
    inputs: Tensor | Sequence[Any],
    eps: float = 1e-6,
    atol: float = 1e-5,
    rtol: float = 1e-3,
    raise_exception: bool = True,
) -> bool:
    """Check d(outputs)/d(inputs) from ``backward`` against central differences.

    numerical J[i, j] = (f(x + eps e_j)_i - f(x - eps e_j)_i) / (2 eps); analytic J[i, :] is
    the gradient of output element i from one backward pass. Passes when
    ``|analytic - numerical| <= atol + rtol * |numerical|`` everywhere. Use float64 inputs.

    Returns True, or raises ``GradcheckError`` naming the input, the element and both
    values (returns False instead when ``raise_exception=False``).

    Examples
    --------
    >>> import numpy as np, nn
    >>> x = nn.tensor(np.array([0.3, -1.2]), requires_grad=True)
    >>> nn.gradcheck(lambda t: (t * t).sigmoid(), (x,))
    True
    """
    args = (inputs,) if isinstance(inputs, Tensor) else tuple(inputs)
    checked = [i for i, a in enumerate(args) if isinstance(a, Tensor) and a.requires_grad]
    if not checked:
        raise ValueError("gradcheck expects at least one input tensor to require gradient")
    saved = [args[i]._grad for i in checked]
    try:
        analytic = _analytic_jacobians(fn, args, checked)
        numerical = _numerical_jacobians(fn, args, checked, eps)
    finally:
        for i, grad in zip(checked, saved, strict=True):
            args[i]._grad = grad
    for i, a_jac, n_jac in zip(checked, analytic, numerical, strict=True):
        bad = ~np.isclose(a_jac, n_jac, rtol=rtol, atol=atol)
        if np.any(bad):
            out_el, in_el = (int(k) for k in np.argwhere(bad)[0])
            message = (
                f"Jacobian mismatch for output element {out_el} with respect to input {i}, "
                f"element {in_el}: numerical {n_jac[out_el, in_el]!r} vs analytic "
                f"{a_jac[out_el, in_el]!r} (atol={atol}, rtol={rtol})"
            )
            if raise_exception:
                raise GradcheckError(message)
            return False
    return True


def _analytic_jacobians(
    fn: Callable[..., Any], args: tuple[Any, ...], checked: list[int]
) -> list[np.ndarray]:
    outputs = _outputs(fn(*args))
    sizes = [o._data.size for o in outputs]
    jacobians = [np.zeros((sum(sizes), args[i]._data.size)) for i in checked]
    row = 0
    for out in outputs:
        for element in range(out._data.size):
            if out.requires_grad:
                for i in checked:
                    args[i]._grad = None
                seed = np.zeros(out.shape, dtype=out.dtype)
                seed.reshape(-1)[element] = 1
                out.backward(seed, retain_graph=True)
                for jac, i in zip(jacobians, checked, strict=True):
                    grad = args[i]._grad
                    if grad is not None:
                        jac[row] = grad._data.reshape(-1)
            row += 1
    return jacobians


def _numerical_jacobians(
    fn: Callable[..., Any], args: tuple[Any, ...], checked: list[int], eps: float
) -> list[np.ndarray]:
    def evaluate() -> np.ndarray:
        with no_grad():
            return np.concatenate([o._data.astype(np.float64).ravel() for o in _outputs(fn(*args))])

    jacobians = []
    for i in checked:
        flat = args[i]._data.reshape(-1)
        if not np.shares_memory(flat, args[i]._data):
            raise ValueError(f"gradcheck needs input {i} to be contiguous")
        columns = []
        for element in range(flat.size):
            original = flat[element].copy()
            flat[element] = original + eps
            plus = evaluate()
            flat[element] = original - eps
            minus = evaluate()
            flat[element] = original
            columns.append((plus - minus) / (2 * eps))
        jacobians.append(np.stack(columns, axis=1) if columns else np.zeros((evaluate().size, 0)))
    return jacobians
