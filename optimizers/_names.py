"""``load_state_dict(..., match="name")``: the saved state mapped onto this optimizer's
parameters by the names both were given through ``named_parameters()`` (PyTorch matches by
position only, and silently gives a layer another's state when the order changed)."""

from __future__ import annotations

from .types import ParamGroup, StateDict


def matched_by_name(groups: list[ParamGroup], state_dict: StateDict) -> StateDict:
    """A copy of ``state_dict`` whose parameter indices follow ``groups``' names: saved
    group i's hyperparameters go to group i, and each parameter's state to the parameter
    of the same name. Raises ``ValueError`` listing names missing on either side."""
    saved_groups = state_dict["param_groups"]
    if any("param_names" not in g for g in groups) or any(
        not isinstance(g, dict) or "param_names" not in g for g in saved_groups
    ):
        raise ValueError(
            "load_state_dict(match='name') needs names on both sides: build both optimizers "
            "from model.named_parameters()"
        )
    saved_index = {
        name: index
        for group in saved_groups
        for name, index in zip(group["param_names"], group["params"], strict=True)
    }
    ours = [name for group in groups for name in group["param_names"]]
    missing = sorted(set(ours) - set(saved_index))
    unexpected = sorted(set(saved_index) - set(ours))
    if missing or unexpected:
        raise ValueError(
            f"load_state_dict(match='name'): names not in the saved state: {missing}; saved "
            f"names this optimizer does not have: {unexpected}"
        )
    indices_saved = set(saved_index.values())
    state = {k: v for k, v in state_dict["state"].items() if k not in indices_saved}
    new_groups, position = [], 0
    for group, saved in zip(groups, saved_groups, strict=False):
        indices = []
        for name in group["param_names"]:
            old = saved_index[name]
            if old in state_dict["state"]:
                state[position] = state_dict["state"][old]
            indices.append(position)
            position += 1
        new_groups.append({**saved, "params": indices, "param_names": list(group["param_names"])})
    return {**state_dict, "state": state, "param_groups": new_groups}
