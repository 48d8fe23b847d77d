"""signSGD with majority-free momentum (Bernstein et al., 2018) that registers its own step
post-hook in ``__init__`` to count its steps, as a logging add-on would."""

import torch
from torch.optim.optimizer import Optimizer


class HookedSignSGD(Optimizer):
    def __init__(self, params, lr=1e-3, momentum=0.9):
        super().__init__(params, dict(lr=lr, momentum=momentum))
        self.seen_steps = 0
        self.register_step_post_hook(HookedSignSGD._count)

    @staticmethod
    def _count(optimizer, args, kwargs):
        optimizer.seen_steps += 1

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
                state = self.state[p]
                if "momentum" not in state:
                    state["momentum"] = torch.zeros_like(p)
                buf = state["momentum"]
                buf.mul_(group["momentum"]).add_(p.grad, alpha=1 - group["momentum"])
                p.sub_(torch.sign(buf), alpha=group["lr"])
        return loss
