"""Gradient descent with a backtracking (Armijo) line search: the step evaluates the
closure again at each trial point, halving the step until the loss falls enough."""

import torch
from torch.optim.optimizer import Optimizer


class ArmijoSGD(Optimizer):
    def __init__(self, params, lr=1.0, c=1e-4, shrink=0.5, max_trials=10):
        defaults = dict(lr=lr, c=c, shrink=shrink, max_trials=max_trials)
        super().__init__(params, defaults)

    @torch.no_grad()
    def step(self, closure):
        if closure is None:
            raise RuntimeError("ArmijoSGD needs a closure")
        with torch.enable_grad():
            loss = closure()
        for group in self.param_groups:
            params = [p for p in group["params"] if p.grad is not None]
            grads = [p.grad.clone() for p in params]
            start = [p.clone() for p in params]
            slope = sum(float((g * g).sum()) for g in grads)
            step_size = group["lr"]
            for _ in range(group["max_trials"]):
                for p, p0, g in zip(params, start, grads):
                    p.copy_(p0).add_(g, alpha=-step_size)
                with torch.enable_grad():
                    trial = closure().item()
                if trial <= loss.item() - group["c"] * step_size * slope:
                    break
                step_size *= group["shrink"]
            state = self.state[params[0]]
            state["last_step_size"] = step_size
            state["trials"] = state.get("trials", 0) + 1
        return loss
