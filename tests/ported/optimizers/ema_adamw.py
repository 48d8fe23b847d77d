"""AdamW that also keeps an exponential moving average of the weights in its state (used
for evaluation), built from ``lerp_``, ``addcdiv_``, ``maximum`` for AMSGrad, and
``torch.clone``; its step uses a subclass of a built-in optimizer's idea: it calls no base
``step``, only ``self.state``."""

import math

import torch
from torch.optim.optimizer import Optimizer


class EMAAdamW(Optimizer):
    def __init__(
        self,
        params,
        lr=1e-3,
        betas=(0.9, 0.999),
        eps=1e-8,
        weight_decay=1e-2,
        ema_decay=0.9,
        amsgrad=True,
    ):
        defaults = dict(
            lr=lr,
            betas=betas,
            eps=eps,
            weight_decay=weight_decay,
            ema_decay=ema_decay,
            amsgrad=amsgrad,
        )
        super().__init__(params, defaults)

    @torch.no_grad()
    def step(self, closure=None):
        loss = None
        if closure is not None:
            with torch.enable_grad():
                loss = closure()
        for group in self.param_groups:
            beta1, beta2 = group["betas"]
            for p in group["params"]:
                if p.grad is None:
                    continue
                state = self.state[p]
                if not state:
                    state["step"] = 0
                    state["exp_avg"] = torch.zeros_like(p)
                    state["exp_avg_sq"] = torch.zeros_like(p)
                    state["max_exp_avg_sq"] = torch.zeros_like(p)
                    state["ema"] = torch.clone(p).detach()
                state["step"] += 1
                p.mul_(1 - group["lr"] * group["weight_decay"])
                state["exp_avg"].lerp_(p.grad, 1 - beta1)
                state["exp_avg_sq"].mul_(beta2).addcmul_(p.grad, p.grad, value=1 - beta2)
                if group["amsgrad"]:
                    torch.maximum(
                        state["max_exp_avg_sq"], state["exp_avg_sq"], out=state["max_exp_avg_sq"]
                    )
                    second = state["max_exp_avg_sq"]
                else:
                    second = state["exp_avg_sq"]
                bias1 = 1 - beta1 ** state["step"]
                bias2_sqrt = math.sqrt(1 - beta2 ** state["step"])
                denom = (second.sqrt() / bias2_sqrt).add_(group["eps"])
                p.addcdiv_(state["exp_avg"], denom, value=-group["lr"] / bias1)
                state["ema"].lerp_(p, 1 - group["ema_decay"])
        return loss
