"""Lookahead (Zhang et al., 2019) around any inner optimizer: every ``k`` steps the slow
weights move ``alpha`` of the way to the fast ones, which restart from there. It shares the
inner optimizer's param groups (never calling ``Optimizer.__init__``, as such wrappers do)
and keeps its slow weights in its own ``state``, saved beside the inner optimizer's."""

from collections import defaultdict

import torch
from torch.optim import Optimizer


class Lookahead(Optimizer):
    def __init__(self, optimizer, k=5, alpha=0.5):
        if not 0.0 <= alpha <= 1.0:
            raise ValueError(f"Invalid slow update rate: {alpha}")
        if not 1 <= k:
            raise ValueError(f"Invalid lookahead steps: {k}")
        self.optimizer = optimizer
        self.defaults = dict(optimizer.defaults, lookahead_k=k, lookahead_alpha=alpha)
        self.param_groups = optimizer.param_groups
        self.state = defaultdict(dict)
        self.state["lookahead_step"] = 0
        for group in self.param_groups:
            group.setdefault("lookahead_k", k)
            group.setdefault("lookahead_alpha", alpha)

    @torch.no_grad()
    def _update_slow(self, group):
        for fast in group["params"]:
            state = self.state[fast]
            if "slow" not in state:
                state["slow"] = fast.detach().clone()
            slow = state["slow"]
            slow.add_(fast - slow, alpha=group["lookahead_alpha"])
            fast.copy_(slow)

    def zero_grad(self, set_to_none=True):
        self.optimizer.zero_grad(set_to_none)

    def step(self, closure=None):
        loss = self.optimizer.step(closure)
        self.state["lookahead_step"] += 1
        for group in self.param_groups:
            if self.state["lookahead_step"] % group["lookahead_k"] == 0:
                self._update_slow(group)
        return loss

    def state_dict(self):
        positions = {}
        for group in self.param_groups:
            for p in group["params"]:
                positions.setdefault(id(p), len(positions))
        slow = {positions[id(p)]: dict(s) for p, s in self.state.items() if id(p) in positions}
        return {
            "inner": self.optimizer.state_dict(),
            "slow": slow,
            "lookahead_step": self.state["lookahead_step"],
        }

    def load_state_dict(self, state_dict):
        self.optimizer.load_state_dict(state_dict["inner"])
        self.param_groups = self.optimizer.param_groups
        params = [p for group in self.param_groups for p in group["params"]]
        self.state = defaultdict(dict)
        self.state["lookahead_step"] = state_dict["lookahead_step"]
        for index, saved in state_dict["slow"].items():
            self.state[params[index]] = {k: v.clone() for k, v in saved.items()}
