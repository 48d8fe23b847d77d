"""NAdam: Adam with Nesterov momentum (Dozat, 2016, "Incorporating Nesterov Momentum into
Adam"), with PyTorch's momentum schedule.

Course notation (alpha is ``lr``; mu_t is the momentum of step t, warmed up by
``momentum_decay``):

    mu_t = beta1 * (1 - 0.5 * 0.96**(t * momentum_decay))
    v = beta1 * v + (1 - beta1) * dW
    s = beta2 * s + (1 - beta2) * dW**2
    s_corrected = s / (1 - beta2**t)
    W = W - alpha * (1 - mu_t) / (1 - mu_1 ... mu_t) * dW / (sqrt(s_corrected) + epsilon)
          - alpha * mu_(t+1) / (1 - mu_1 ... mu_(t+1)) * v / (sqrt(s_corrected) + epsilon)

The first term is the current gradient, the second the momentum one step ahead (Nesterov's
look-ahead). As torch.optim.NAdam: ``weight_decay`` adds weight_decay * W to dW, or, with
``decoupled_weight_decay``, shrinks W by (1 - alpha * weight_decay) first (NAdamW).
State: ``step``, ``mu_product`` (mu_1 ... mu_t, kept in the default float dtype as PyTorch
keeps it), ``exp_avg`` (v), ``exp_avg_sq`` (s).
"""

from __future__ import annotations

from typing import ClassVar

import numpy as np

from .optimizer import Check, Optimizer, hyperparameters, scalar_dtype
from .types import ParamGroup, ParamsLike, State
from .validation import betas, flag, learning_rate, non_negative


class NAdam(Optimizer):
    """NAdam with PyTorch's signature, defaults and semantics.

    Parameters
    ----------
    params : iterable of Parameters or dicts
        The parameters, or param groups, as ``Optimizer``'s.
    lr : float, default 0.002
        The learning rate alpha.
    betas : tuple[float, float], default (0.9, 0.999)
        (beta1, beta2): the decays of the averages v and s.
    eps : float, default 1e-08
        epsilon, added to the denominator.
    weight_decay : float, default 0
        L2 penalty: weight_decay * W added to dW (as torch.optim's).
    momentum_decay : float, default 0.004
        psi of NAdam's momentum schedule mu_t = beta1 (1 - 0.5 * 0.96**(t * psi)).
    decoupled_weight_decay : bool, default False
        Shrink W by (1 - lr * weight_decay) instead of adding weight_decay * W to dW.
    foreach : bool, optional
        The executor, as ``Optimizer``'s (the same numbers whichever runs).
    maximize : bool, default False
        Ascend the objective instead: the step uses -dW.
    capturable, differentiable : bool, default False
        PyTorch's flags, accepted as False, as ``Optimizer``'s.

    Examples
    --------
    >>> import numpy as np, nn, optimizers
    >>> w = nn.Parameter(np.array([1.0]))
    >>> opt = optimizers.NAdam([w], lr=0.1)
    >>> w.grad = np.array([2.0]); opt.step(); w.data.numpy().round(4)
    array([0.8944])
    """

    elementwise = False  # mu_product is one number per parameter
    checks: ClassVar[dict[str, Check]] = {
        "lr": learning_rate,
        "betas": betas,
        "eps": non_negative,
        "weight_decay": non_negative,
        "momentum_decay": non_negative,
        "decoupled_weight_decay": flag,
        "maximize": flag,
    }

    def __init__(
        self,
        params: ParamsLike,
        lr: float = 2e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0,
        momentum_decay: float = 4e-3,
        decoupled_weight_decay: bool = False,
        *,
        foreach: bool | None = None,
        maximize: bool = False,
        capturable: bool = False,
        differentiable: bool = False,
    ) -> None:
        super().__init__(params, hyperparameters(locals()))

    def init_state(self, W: np.ndarray, group: ParamGroup) -> State:
        return {
            "step": 0,
            "mu_product": np.ones((), dtype=scalar_dtype()),
            "exp_avg": np.zeros_like(W),
            "exp_avg_sq": np.zeros_like(W),
        }

    def update(self, W: np.ndarray, dW: np.ndarray, state: State, group: ParamGroup) -> None:
        alpha, (beta1, beta2), epsilon = group["lr"], group["betas"], group["eps"]
        t, v, s = state["step"], state["exp_avg"], state["exp_avg_sq"]
        if group["maximize"]:
            dW = -dW
        if group["weight_decay"] != 0:
            if group["decoupled_weight_decay"]:  # NAdamW: shrink W itself
                W *= 1 - alpha * group["weight_decay"]
            else:  # the gradient of an L2 penalty
                dW = dW + group["weight_decay"] * W

        decay = group["momentum_decay"]
        mu = beta1 * (1.0 - 0.5 * 0.96 ** (t * decay))
        mu_next = beta1 * (1.0 - 0.5 * 0.96 ** ((t + 1) * decay))
        product = state["mu_product"]  # a scalar Tensor in PyTorch, of the default dtype
        product[...] = product * product.dtype.type(mu)
        mu_product = float(product)

        v *= beta1
        v += (1 - beta1) * dW  # v = beta1 v + (1 - beta1) * dW
        s *= beta2
        s += (1 - beta2) * dW**2  # s = beta2 s + (1 - beta2) * dW**2
        denominator = np.sqrt(s / (1 - beta2**t)) + epsilon
        W -= alpha * (1.0 - mu) / (1.0 - mu_product) * dW / denominator
        W -= alpha * mu_next / (1.0 - mu_product * mu_next) * v / denominator
