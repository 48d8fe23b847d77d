"""A factored second moment (Adafactor, Shazeer & Stern, 2018, without its relative step):
a matrix keeps a row and a column average of the squared gradient, whose state is not shaped
like the parameter; a vector keeps a full one. Written with ``rsqrt_`` and
``torch.outer``."""

import torch
from torch.optim.optimizer import Optimizer


class AdafactorLite(Optimizer):
    def __init__(self, params, lr=1e-2, beta2=0.999, eps=1e-30):
        super().__init__(params, dict(lr=lr, beta2=beta2, eps=eps))

    @torch.no_grad()
    def step(self, closure=None):
        loss = None
        if closure is not None:
            with torch.enable_grad():
                loss = closure()
        for group in self.param_groups:
            for p in group["params"]:
                if p.grad is None:
                    continue
                grad = p.grad
                state = self.state[p]
                factored = grad.dim() == 2
                if len(state) == 0:
                    state["step"] = 0
                    if factored:
                        state["row"] = torch.zeros(grad.shape[0], dtype=grad.dtype)
                        state["col"] = torch.zeros(grad.shape[1], dtype=grad.dtype)
                    else:
                        state["sq"] = torch.zeros_like(grad)
                state["step"] += 1
                beta2 = group["beta2"]
                squared = grad * grad + group["eps"]
                if factored:
                    state["row"].mul_(beta2).add_(squared.mean(dim=1), alpha=1 - beta2)
                    state["col"].mul_(beta2).add_(squared.mean(dim=0), alpha=1 - beta2)
                    row = state["row"] / state["row"].mean()
                    estimate = torch.outer(row, state["col"])
                else:
                    state["sq"].mul_(beta2).add_(squared, alpha=1 - beta2)
                    estimate = state["sq"].clone()
                correction = 1 - beta2 ** state["step"]
                update = grad * estimate.div_(correction).rsqrt_()
                p.add_(update, alpha=-group["lr"])
        return loss
