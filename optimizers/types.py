"""The types the optimizers' seams use: what a param group, a parameter's state and an
optimizer's ``params`` argument hold (as ``nn/types.py`` for the networks)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, TypeAlias

if TYPE_CHECKING:
    from nn.tensor import Tensor

ParamGroup: TypeAlias = dict[str, Any]
"""A param group: ``"params"`` (a list of Tensors) and the group's hyperparameters."""
State: TypeAlias = dict[str, Any]
"""One parameter's state (``exp_avg``, ``step``...): arrays and numbers by name."""
ParamsLike: TypeAlias = Iterable["Tensor | ParamGroup"]
"""What an optimizer is built from: Tensors, or param groups."""
Hyper: TypeAlias = dict[str, Any]
"""Hyperparameters by name (``lr``, ``betas``...): a group's settings, or an optimizer's
defaults."""
StateDict: TypeAlias = dict[str, Any]
"""What ``state_dict()`` returns and ``load_state_dict`` takes (an optimizer's or a
scheduler's): plain containers of numbers and arrays."""
