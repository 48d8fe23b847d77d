"""AdamW: Adam with decoupled weight decay (Loshchilov & Hutter, 2019), as torch.optim.AdamW.

    W = W * (1 - alpha * weight_decay)       then the Adam step of adam.py, with dW unchanged

Weight decay here shrinks W directly instead of adding weight_decay * W to dW, so it is not
rescaled by Adam's 1 / sqrt(s_corrected). The rule is ``Adam.update`` with
``decoupled_weight_decay=True``.
"""

from __future__ import annotations

from .adam import Adam
from .types import ParamsLike


class AdamW(Adam):
    """Adam with decoupled weight decay; PyTorch's defaults (weight_decay=1e-2).

    Parameters
    ----------
    params : iterable of Parameters or dicts
        The parameters, or param groups, as ``Optimizer``'s.
    lr : float, default 0.001
        The learning rate alpha.
    betas : tuple[float, float], default (0.9, 0.999)
        (beta1, beta2): the decays of the averages v and s.
    eps : float, default 1e-08
        epsilon, added to the denominator.
    weight_decay : float, default 0.01
        Decoupled: W shrinks by (1 - lr * weight_decay) before the Adam step.
    amsgrad : bool, default False
        Use the running maximum of s (AMSGrad).
    maximize : bool, default False
        Ascend the objective instead: the step uses -dW.
    foreach, fused : bool, optional
        The executor, as ``Optimizer``'s (the same numbers whichever runs).
    capturable, differentiable : bool, default False
        PyTorch's flags, accepted as False, as ``Optimizer``'s.

    Examples
    --------
    >>> import numpy as np, nn, optimizers
    >>> w = nn.Parameter(np.array([2.0]))
    >>> opt = optimizers.AdamW([w], lr=0.1, weight_decay=0.5, eps=0.0)
    >>> w.grad = np.array([1.0]); opt.step(); w.data  # 2 * (1 - 0.05) - 0.1
    tensor([1.8000], dtype=float64)
    """

    def __init__(
        self,
        params: ParamsLike,
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 1e-2,
        amsgrad: bool = False,
        *,
        maximize: bool = False,
        foreach: bool | None = None,
        capturable: bool = False,
        differentiable: bool = False,
        fused: bool | None = None,
    ) -> None:
        super().__init__(
            params,
            lr,
            betas,
            eps,
            weight_decay,
            amsgrad,
            foreach=foreach,
            maximize=maximize,
            capturable=capturable,
            differentiable=differentiable,
            fused=fused,
            decoupled_weight_decay=True,
        )
