"""SGD with Nesterov momentum and decoupled weight decay (SGDW, Loshchilov & Hutter), with
the flags PyTorch accepts as truthy numbers (``nesterov=1``) and a momentum buffer made by
``clone().detach()`` at the first step, as ``torch.optim.SGD`` once did."""

import torch
from torch.optim.optimizer import Optimizer, required


class SGDW(Optimizer):
    def __init__(
        self, params, lr=required, momentum=0.0, dampening=0.0, weight_decay=0.0, nesterov=False
    ):
        if lr is required:
            raise ValueError("SGDW needs a learning rate")
        if nesterov and (momentum <= 0 or dampening != 0):
            raise ValueError("Nesterov momentum requires a momentum and zero dampening")
        defaults = dict(
            lr=lr,
            momentum=momentum,
            dampening=dampening,
            weight_decay=weight_decay,
            nesterov=nesterov,
        )
        super().__init__(params, defaults)

    def __setstate__(self, state):
        super().__setstate__(state)
        for group in self.param_groups:
            group.setdefault("nesterov", False)

    @torch.no_grad()
    def step(self, closure=None):
        loss = None
        if closure is not None:
            with torch.enable_grad():
                loss = closure()
        for group in self.param_groups:
            momentum, dampening = group["momentum"], group["dampening"]
            for p in group["params"]:
                if p.grad is None:
                    continue
                d_p = p.grad
                if momentum != 0:
                    state = self.state[p]
                    if "momentum_buffer" not in state:
                        buf = state["momentum_buffer"] = torch.clone(d_p).detach()
                    else:
                        buf = state["momentum_buffer"]
                        buf.mul_(momentum).add_(d_p, alpha=1 - dampening)
                    d_p = d_p.add(buf, alpha=momentum) if group["nesterov"] else buf
                if group["weight_decay"] != 0:
                    p.mul_(1 - group["lr"] * group["weight_decay"])
                p.add_(d_p, alpha=-group["lr"])
        return loss
