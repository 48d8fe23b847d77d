"""SGD whose learning rate decays with a step counter kept in ``self.state["k"]``, a state
entry not keyed by a parameter (PyTorch saves and restores it with the rest)."""

import torch
from torch.optim.optimizer import Optimizer, required


class CountedSGD(Optimizer):
    def __init__(self, params, lr=required, decay=0.1, weight_decay=0.0):
        if lr is not required and lr < 0.0:
            raise ValueError(f"Invalid learning rate: {lr}")
        defaults = dict(lr=lr, decay=decay, weight_decay=weight_decay)
        super().__init__(params, defaults)
        self.state["k"] = 0

    @torch.no_grad()
    def step(self, closure=None):
        loss = None
        if closure is not None:
            with torch.enable_grad():
                loss = closure()
        self.state["k"] += 1
        k = self.state["k"]
        for group in self.param_groups:
            scale = group["lr"] / (1.0 + group["decay"] * k)
            for p in group["params"]:
                if p.grad is None:
                    continue
                d_p = p.grad
                if group["weight_decay"] != 0:
                    d_p = d_p.add(p, alpha=group["weight_decay"])
                p.add_(d_p, alpha=-scale)
        return loss
