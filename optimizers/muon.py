"""Muon: momentum whose update matrix is orthogonalized, all its singular values pushed to
about 1 by a few Newton-Schulz iterations (Jordan et al., 2024, "Muon: An optimizer for hidden
layers in neural networks"), for 2-D parameters, as PyTorch's.

Course notation (alpha is ``lr``, beta ``momentum``):

    v = beta * v + (1 - beta) * dW                momentum (the lerp of PyTorch)
    M = (1 - beta) * dW + beta * v  (nesterov)  or  v
    X = M / ||M||_F;  repeat ns_steps times:      X <- a X + (b A + c A A) X,  A = X X^T
    W = W * (1 - alpha * weight_decay) - alpha_adjusted * X

with PyTorch's coefficients (a, b, c) = (3.4445, -4.775, 2.0315) (the transposed problem
when W has more rows than columns) and alpha_adjusted = alpha * sqrt(max(1, rows / cols))
("original") or alpha * 0.2 * sqrt(max(rows, cols)) ("match_rms_adamw").

PyTorch iterates in bfloat16; NumPy has no bfloat16, so each step's result is rounded to
bfloat16's 8 significant bits here (products summed in float32 first): the updates agree
with PyTorch's to bfloat16 precision (small matrices often to the bit; the order of the sums
inside a bfloat16 product can move a rounding).
State: ``momentum_buffer`` (v).
"""

from __future__ import annotations

import math
from typing import ClassVar

import numpy as np

from .optimizer import Check, Optimizer, hyperparameters
from .types import ParamGroup, ParamsLike, State
from .validation import flag, learning_rate, non_negative


def to_bfloat16(x: np.ndarray) -> np.ndarray:
    """``x`` rounded to the nearest bfloat16 (ties to even), kept as float32."""
    bits = np.asarray(x, dtype=np.float32).view(np.uint32)
    rounding = np.uint32(0x7FFF) + ((bits >> np.uint32(16)) & np.uint32(1))
    rounded = ((bits + rounding) & np.uint32(0xFFFF0000)).view(np.float32)
    result: np.ndarray = np.where(np.isnan(x), np.float32(np.nan), rounded)
    return result


def orthogonalize(
    M: np.ndarray, coefficients: tuple[float, float, float], steps: int, eps: float
) -> np.ndarray:
    """Newton-Schulz iterations toward the orthogonal factor of ``M`` (in bfloat16)."""
    if steps >= 100:
        raise ValueError("Number of steps must be less than 100 for computational efficiency")
    if M.ndim != 2:
        raise ValueError("Input tensor gradient must be a 2D matrix")
    a, b, c = (np.float32(k) for k in coefficients)
    X = to_bfloat16(M)
    tall = M.shape[0] > M.shape[1]
    if tall:
        X = X.T
    norm = to_bfloat16(np.asarray(np.linalg.norm(X.astype(np.float32))))
    X = to_bfloat16(X / np.maximum(norm, np.float32(eps)))
    for _ in range(steps):
        A = to_bfloat16(X @ X.T)
        B = to_bfloat16(b * A + c * (A @ A))
        X = to_bfloat16(a * X + B @ X)
    return X.T if tall else X


class Muon(Optimizer):
    """Muon with PyTorch's signature, defaults and semantics (2-D parameters only).

    Parameters
    ----------
    params : iterable of Parameters or dicts
        The parameters, or param groups, as ``Optimizer``'s.
    lr : float, default 0.001
        The learning rate alpha.
    weight_decay : float, default 0.1
        Decoupled: W shrinks by (1 - lr * weight_decay).
    momentum : float, default 0.95
        The decay of the momentum buffer.
    nesterov : bool, default True
        Nesterov momentum (the gradient at the look-ahead point).
    ns_coefficients : tuple[float, float, float], default (3.4445, -4.775, 2.0315)
        (a, b, c) of the Newton-Schulz iteration that orthogonalises the update.
    eps : float, default 1e-07
        Added to the update's norm before the iteration.
    ns_steps : int, default 5
        Newton-Schulz iterations.
    adjust_lr_fn : str | None, default None
        How lr is scaled to the matrix's shape: None or 'original' (PyTorch's),
        'match_rms_adamw'.

    Examples
    --------
    >>> import numpy as np, nn, optimizers
    >>> w = nn.Parameter(np.zeros((2, 2), dtype=np.float32))
    >>> opt = optimizers.Muon([w], lr=0.1, weight_decay=0.0, nesterov=False)
    >>> w.grad = np.eye(2, dtype=np.float32); opt.step()
    >>> bool(np.allclose(w.data.numpy(), -0.1 * np.eye(2), atol=0.02))  # orthogonal: -lr I
    True
    """

    checks: ClassVar[dict[str, Check]] = {
        "lr": learning_rate,
        "weight_decay": non_negative,
        "momentum": non_negative,
        "nesterov": flag,
    }

    def __init__(
        self,
        params: ParamsLike,
        lr: float = 1e-3,
        weight_decay: float = 0.1,
        momentum: float = 0.95,
        nesterov: bool = True,
        ns_coefficients: tuple[float, float, float] = (3.4445, -4.775, 2.0315),
        eps: float = 1e-7,
        ns_steps: int = 5,
        adjust_lr_fn: str | None = None,
    ) -> None:
        if adjust_lr_fn not in (None, "original", "match_rms_adamw"):
            raise ValueError(f"Adjust learning rate function {adjust_lr_fn} is not supported")
        super().__init__(params, hyperparameters(locals()))
        for group in self.param_groups:
            for p in group["params"]:
                if p.ndim != 2:
                    raise ValueError(
                        "Muon only supports 2D parameters whereas we found a parameter with "
                        f"size: {p.shape}"
                    )

    def init_state(self, W: np.ndarray, group: ParamGroup) -> State:
        return {"momentum_buffer": np.zeros_like(W)}

    def update(self, W: np.ndarray, dW: np.ndarray, state: State, group: ParamGroup) -> None:
        alpha, beta = group["lr"], group["momentum"]
        v = state["momentum_buffer"]
        v *= beta
        v += (1 - beta) * dW  # v = beta v + (1 - beta) * dW
        M = (1 - beta) * dW + beta * v if group["nesterov"] else v
        X = orthogonalize(M, group["ns_coefficients"], group["ns_steps"], group["eps"])
        rows, cols = W.shape
        if group["adjust_lr_fn"] == "match_rms_adamw":
            adjusted = alpha * 0.2 * math.sqrt(max(rows, cols))
        else:
            adjusted = alpha * math.sqrt(max(1, rows / cols))
        W *= 1 - alpha * group["weight_decay"]
        W -= (adjusted * X).astype(W.dtype)
