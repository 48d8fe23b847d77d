"""L-BFGS: a quasi-Newton method that builds an approximation of the inverse Hessian from
the last ``history_size`` pairs of steps s and gradient changes y (Liu & Nocedal, 1989, "On
the limited memory BFGS method for large scale optimization"), as PyTorch's LBFGS.

Each iteration, with g the gradient of all parameters flattened into one vector:

    s = t * d_previous,  y = g - g_previous            (kept when y.s > 1e-10)
    d = -H g   by the two-loop recursion:
        q = -g;  for i newest to oldest:  a_i = (s_i . q) / (y_i . s_i);  q -= a_i y_i
        r = q * (y.s / y.y) (the newest pair's scale);  for i oldest to newest:
                 b_i = (y_i . r) / (y_i . s_i);  r += (a_i - b_i) s_i
        d = r
    W = W + t d   with t = lr (the first step: lr * min(1, 1 / |g|_1)), or t from a strong
                  Wolfe line search (``line_search_fn="strong_wolfe"``, line_search.py)

``step(closure)`` runs up to ``max_iter`` iterations (``max_eval`` loss evaluations), stopping
early when the gradient is below ``tolerance_grad`` or the loss or step change less than
``tolerance_change``. LBFGS is not elementwise: it needs the closure (which re-evaluates the
loss and its gradients) and one parameter group. Its state lives under the first parameter,
with PyTorch's keys.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

import numpy as np

from nn.autograd import enable_grad, no_grad
from nn.types import InputLike

from .line_search import strong_wolfe
from .optimizer import Optimizer
from .types import ParamGroup, ParamsLike, State


class LBFGS(Optimizer):
    """L-BFGS with PyTorch's signature, defaults and semantics.

    Parameters
    ----------
    params : iterable of Parameters or dicts
        The parameters, or param groups, as ``Optimizer``'s.
    lr : float, default 1
        The step length (scaling the search direction; the line search may change it).
    max_iter : int, default 20
        Iterations per step().
    max_eval : int | None, default None
        Closure evaluations per step() (None: max_iter * 5 / 4).
    tolerance_grad : float, default 1e-07
        Stop when the largest |dW| is at most this.
    tolerance_change : float, default 1e-09
        Stop when the step or the loss changes by at most this.
    history_size : int, default 100
        The curvature pairs kept.
    line_search_fn : str | None, default None
        None (a fixed step) or 'strong_wolfe'.

    Examples
    --------
    >>> import numpy as np, nn, optimizers
    >>> w = nn.Parameter(np.array([3.0, -2.0]))
    >>> opt = optimizers.LBFGS([w], line_search_fn="strong_wolfe")
    >>> def closure():
    ...     opt.zero_grad(); loss = ((w - 1.0) ** 2).sum(); loss.backward(); return loss
    >>> _ = opt.step(closure); np.round(w.detach().numpy(), 6)
    array([1., 1.])
    """

    needs_closure = True

    def __init__(
        self,
        params: ParamsLike,
        lr: float = 1,
        max_iter: int = 20,
        max_eval: int | None = None,
        tolerance_grad: float = 1e-7,
        tolerance_change: float = 1e-9,
        history_size: int = 100,
        line_search_fn: str | None = None,
    ) -> None:
        if not 0.0 <= float(lr):
            raise ValueError(f"Invalid learning rate: {lr}")
        if max_eval is None:
            max_eval = max_iter * 5 // 4
        if line_search_fn not in (None, "strong_wolfe"):
            raise RuntimeError("only 'strong_wolfe' is supported")
        defaults = {
            "lr": lr,
            "max_iter": max_iter,
            "max_eval": max_eval,
            "tolerance_grad": tolerance_grad,
            "tolerance_change": tolerance_change,
            "history_size": history_size,
            "line_search_fn": line_search_fn,
        }
        super().__init__(params, defaults)
        if len(self.param_groups) != 1:
            raise ValueError("LBFGS doesn't support per-parameter options (parameter groups)")
        self._params = self.param_groups[0]["params"]

    # --------------------------------------------------------- flat vectors
    def _flat_grad(self) -> np.ndarray:
        parts = [
            np.zeros(p._data.size, p._data.dtype) if p._grad is None else p._grad._data.reshape(-1)
            for p in self._params
        ]
        return np.concatenate(parts)

    def _add(self, t: float, d: np.ndarray) -> None:
        """W = W + t d, d cut back into each parameter's shape."""
        offset = 0
        for p in self._params:
            n = p._data.size
            p._data += (t * d[offset : offset + n]).reshape(p._data.shape)
            p._vc[0] += 1
            offset += n

    def _evaluate(
        self, closure: Callable[[], Any], x: list[np.ndarray], d: np.ndarray, t: float
    ) -> tuple[float, np.ndarray]:
        """The loss and flat gradient at x + t d (then the parameters are x again)."""
        self._add(t, d)
        with enable_grad():
            value = closure()
        loss = float(value)  # (under the step's no_grad, as PyTorch's)
        flat = self._flat_grad()
        for p, saved in zip(self._params, x, strict=True):
            p._data[...] = saved
        return loss, flat

    # ----------------------------------------------------------------- step
    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """Up to ``max_iter`` iterations; ``closure`` re-evaluates the loss and gradients and
        is required. Returns the loss of the first evaluation."""
        if closure is None:
            raise RuntimeError("LBFGS requires a closure that re-evaluates the model")
        with no_grad():
            return self._iterate(closure)

    def _iterate(self, closure: Callable[[], Any]) -> Any:
        group = self.param_groups[0]
        lr, max_iter, max_eval = float(group["lr"]), group["max_iter"], group["max_eval"]
        tolerance_grad, tolerance_change = group["tolerance_grad"], group["tolerance_change"]
        state = self.state[self._params[0]]
        state.setdefault("func_evals", 0)
        state.setdefault("n_iter", 0)

        with enable_grad():
            first_loss = closure()
        loss = float(first_loss)
        evaluations = 1
        state["func_evals"] += 1
        g = self._flat_grad()
        if np.abs(g).max() <= tolerance_grad:
            return first_loss

        d: Any = state.get("d")
        t: Any = state.get("t")
        old_dirs: Any = state.get("old_dirs")
        old_stps: Any = state.get("old_stps")
        ro: Any = state.get("ro")
        H_diag: Any = state.get("H_diag")
        g_prev: Any = state.get("prev_flat_grad")
        prev_loss: Any = state.get("prev_loss")
        iteration = 0
        while iteration < max_iter:
            iteration += 1
            state["n_iter"] += 1
            if state["n_iter"] == 1:  # steepest descent to start
                d = -g
                old_dirs, old_stps, ro, H_diag = [], [], [], 1.0
            else:
                y = g - g_prev
                s = d * t
                ys = float(y @ s)
                if ys > 1e-10:  # a pair with positive curvature joins the memory
                    if len(old_dirs) == group["history_size"]:
                        old_dirs.pop(0)
                        old_stps.pop(0)
                        ro.pop(0)
                    old_dirs.append(y)
                    old_stps.append(s)
                    ro.append(1.0 / ys)
                    H_diag = ys / float(y @ y)
                d = _two_loop(g, old_dirs, old_stps, ro, H_diag, state, group["history_size"])
            g_prev = g.copy()
            prev_loss = loss
            t = min(1.0, 1.0 / float(np.abs(g).sum())) * lr if state["n_iter"] == 1 else lr
            gtd = float(g @ d)
            if gtd > -tolerance_change:  # not a descent direction any more
                break

            searched = 0
            if group["line_search_fn"] == "strong_wolfe":
                x = [p._data.copy() for p in self._params]
                loss, g, t, searched = strong_wolfe(
                    partial(self._evaluate, closure, x, d),
                    t, d, loss, g, gtd, max_ls=max_eval - evaluations,
                )  # fmt: skip
                self._add(t, d)
                converged = np.abs(g).max() <= tolerance_grad
            else:
                self._add(t, d)
                converged = False
                if iteration != max_iter:  # the next iteration needs the new gradient
                    with enable_grad():
                        value = closure()
                    loss = float(value)
                    g = self._flat_grad()
                    converged = np.abs(g).max() <= tolerance_grad
                    searched = 1
            evaluations += searched
            state["func_evals"] += searched
            if iteration == max_iter or evaluations >= max_eval or converged:
                break
            if np.abs(d * t).max() <= tolerance_change:
                break
            if abs(loss - prev_loss) < tolerance_change:
                break

        state.update(
            d=d, t=t, old_dirs=old_dirs, old_stps=old_stps, ro=ro, H_diag=H_diag,
            prev_flat_grad=g_prev, prev_loss=prev_loss,
        )  # fmt: skip
        return first_loss

    def _checked_state(
        self, param: object, group: ParamGroup, values: InputLike, index: int
    ) -> dict[str, Any]:
        """LBFGS's state holds flat vectors of all parameters: each must have their total
        size."""
        if not isinstance(values, dict):
            raise ValueError(
                f"state of parameter {index} must be a dict, got {type(values).__name__}"
            )
        total = sum(p._data.size for p in group["params"])
        for key in ("d", "prev_flat_grad"):
            value = values.get(key)
            if isinstance(value, np.ndarray) and value.size != total:
                raise ValueError(
                    f"LBFGS state '{key}' has {value.size} elements, the parameters have {total}"
                )
        return {key: _copy(value) for key, value in values.items()}


def _copy(value: object) -> object:
    if isinstance(value, np.ndarray):
        return value.copy()
    if isinstance(value, list | tuple):
        return [_copy(v) for v in value]
    return value


def _two_loop(
    g: np.ndarray,
    old_dirs: list[np.ndarray],
    old_stps: list[np.ndarray],
    ro: list[float],
    H_diag: float,
    state: State,
    history_size: int,
) -> np.ndarray:
    """-H g from the stored pairs (y_i in old_dirs, s_i in old_stps, ro_i = 1 / y_i.s_i)."""
    if "al" not in state:
        state["al"] = [None] * history_size
    al = state["al"]
    q = -g
    for i in range(len(old_dirs) - 1, -1, -1):
        al[i] = float(old_stps[i] @ q) * ro[i]
        q = q - al[i] * old_dirs[i]
    r = q * H_diag
    for i in range(len(old_dirs)):
        be_i = float(old_dirs[i] @ r) * ro[i]
        r = r + (al[i] - be_i) * old_stps[i]
    return r
