"""Optimizer cases that the common fixture grid cannot hold (Muon takes 2-D parameters only;
LBFGS needs a closure), shared by tests/fixtures/make_torch_optim_fixtures.py and
tests/parity/test_torch_parity_optim.py."""

from __future__ import annotations

from typing import Any

import numpy as np

MUON_CASES = [
    {"lr": 0.02},
    {"lr": 0.02, "nesterov": False, "adjust_lr_fn": "match_rms_adamw", "weight_decay": 0.0},
]

LBFGS_CASES = [
    {},
    {"line_search_fn": "strong_wolfe", "history_size": 3, "max_iter": 6},
    {"lr": 0.5, "history_size": 2, "max_iter": 7},
]


def lbfgs_problem(T: Any, w: Any) -> Any:
    """The loss LBFGS minimizes in the fixtures (``T`` is torch or nn): a least squares
    problem plus a quartic term."""
    A = T.tensor(np.linspace(-1, 1, 24).reshape(6, 4) ** 3 + np.eye(6, 4))
    b = T.tensor(np.linspace(0, 1, 6))
    return ((A @ w - b) ** 2).sum() + 0.1 * (w**4).sum()
