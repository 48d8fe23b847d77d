"""An optimizer's ``state_dict`` and its loading, as PyTorch's ``torch.optim.Optimizer`` does.

``pack``: ``{'state': {index: {...}, other keys: ...}, 'param_groups': [{..., 'params':
[indices]}]}``. Parameters become their position across groups; state entries keyed by
anything else (a step counter kept as ``self.state["k"]``) are kept under their own key.
The values are the optimizer's own objects, not copies, as in PyTorch: copy the dict
(``copy.deepcopy``) or save it (``nn.save``) to keep a snapshot.

``unpack``: the state and groups to install, every check made before anything changes.
Each parameter's state is cast as PyTorch's ``load_state_dict`` casts it: every array or
Tensor to its parameter's dtype, except ``step``, which PyTorch never casts. A rule written
on arrays (``init_state``/``update``) gets its state back as arrays of the shapes its
``init_state`` gives, and its ``step`` as the Python int it counts with (PyTorch's state
dicts hold a float32 Tensor there, which would make bias corrections run in float32).
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, Any

import numpy as np

from nn.tensor import Tensor
from nn.types import InputLike

from ._names import matched_by_name
from .types import ParamGroup, State

if TYPE_CHECKING:
    from .optimizer import Optimizer


def pack(param_groups: list[ParamGroup], state: dict[Any, Any]) -> dict[str, Any]:
    """``state_dict()``'s result (see the module's docstring)."""
    index_of: dict[int, int] = {}
    groups = []
    for group in param_groups:
        indices = [index_of.setdefault(id(p), len(index_of)) for p in group["params"]]
        groups.append({**{k: v for k, v in group.items() if k != "params"}, "params": indices})
    packed = {
        (index_of[id(key)] if isinstance(key, Tensor) else key): values
        for key, values in state.items()
        if not isinstance(key, Tensor) or id(key) in index_of
    }
    return {"state": packed, "param_groups": groups}


def unpack(
    optimizer: Optimizer, state_dict: object, match: str
) -> tuple[defaultdict[Any, State], list[ParamGroup]]:
    """The ``(state, param_groups)`` that loading ``state_dict`` installs; raises
    ``ValueError`` saying what differs, before anything changes."""
    if not isinstance(state_dict, dict) or not {"state", "param_groups"} <= set(state_dict):
        raise ValueError(
            "optimizer state_dict must be a dict with 'state' and 'param_groups' entries, "
            f"got {type(state_dict).__name__}"
            + (f" with keys {sorted(map(str, state_dict))}" if isinstance(state_dict, dict) else "")
        )
    if match not in ("order", "name"):
        raise ValueError(f"match must be 'order' or 'name', got {match!r}")
    if match == "name":
        state_dict = matched_by_name(optimizer.param_groups, state_dict)
    saved_groups = state_dict["param_groups"]
    if not isinstance(saved_groups, list | tuple) or len(saved_groups) != len(
        optimizer.param_groups
    ):
        count = len(saved_groups) if isinstance(saved_groups, list | tuple) else "no"
        raise ValueError(
            f"loaded state dict has {count} parameter groups, "
            f"the optimizer has {len(optimizer.param_groups)}"
        )
    params_by_index: dict[int, Any] = {}
    group_of: dict[int, ParamGroup] = {}
    new_groups = []
    for number, (group, saved) in enumerate(zip(optimizer.param_groups, saved_groups, strict=True)):
        saved_params = saved.get("params") if isinstance(saved, dict) else None
        if not isinstance(saved_params, list | tuple) or len(saved_params) != len(group["params"]):
            size = len(saved_params) if isinstance(saved_params, list | tuple) else "no"
            raise ValueError(
                f"loaded state dict's parameter group {number} has {size} parameters, "
                f"the optimizer's has {len(group['params'])}"
            )
        loaded = {k: _copied(v) for k, v in saved.items() if k != "params"}
        new_group = {**{k: v for k, v in group.items() if k != "params"}, **loaded}
        optimizer._check_group(new_group)
        new_group["params"] = group["params"]
        new_groups.append(new_group)
        for index, param in zip(saved_params, group["params"], strict=True):
            params_by_index[int(index)] = param
            group_of[int(index)] = new_group
    saved_state = state_dict["state"]
    if not isinstance(saved_state, dict):
        raise ValueError(
            f"optimizer state_dict['state'] must be a dict, got {type(saved_state).__name__}"
        )
    state: defaultdict[Any, State] = defaultdict(dict)
    for key, values in saved_state.items():
        if not _is_index(key):  # state not keyed by a parameter: as it is (PyTorch)
            state[key] = values
            continue
        if int(key) not in params_by_index:
            raise ValueError(f"loaded state refers to parameter {key}, which no group holds")
        param = params_by_index[int(key)]
        state[param] = _cast_state(optimizer, param, group_of[int(key)], values, int(key))
    return state, new_groups


def _is_index(key: object) -> bool:
    return isinstance(key, int | np.integer) and not isinstance(key, bool)


def _copied(value: object) -> object:
    """A group's hyperparameter as PyTorch's load keeps it: a deep copy of containers."""
    if isinstance(value, dict):
        return {k: _copied(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_copied(v) for v in value]
    return value


def _cast_state(
    optimizer: Optimizer, param: object, group: ParamGroup, values: InputLike, index: int
) -> dict[str, Any]:
    if not isinstance(values, dict):
        raise ValueError(f"state of parameter {index} must be a dict, got {type(values).__name__}")
    from .optimizer import Optimizer

    template = optimizer.init_state(param._data, group)
    if type(optimizer).update is not Optimizer.update:
        # a rule on arrays: the arrays it makes during a step are shaped as its parameter
        like_param = np.empty(param._data.shape, param._data.dtype)
        made = [k for k, v in values.items() if isinstance(v, np.ndarray) and v.ndim]
        template = {k: like_param for k in made if k not in template} | template
    return {
        key: _cast(param, key, value, template.get(key), f"state '{key}' of parameter {index}")
        for key, value in values.items()
    }


def _cast(param: Any, key: object, value: object, expected: object, what: str) -> Any:
    """One saved state value for ``param``: see the module's docstring."""
    if key == "step":
        if type(expected) is int:  # an array rule counts in Python ints
            return _step_count(value, what)
        return value
    if isinstance(value, Tensor | np.ndarray):
        array = value._data if isinstance(value, Tensor) else value
        if isinstance(expected, np.ndarray) and array.shape != expected.shape:
            raise ValueError(
                f"{what} has shape {array.shape}, the parameter needs {expected.shape}"
            )
        cast = np.asarray(array, dtype=param._data.dtype)
        if isinstance(expected, np.ndarray) or not isinstance(value, Tensor):
            return cast
        return value if cast is array else Tensor._make(cast)
    if isinstance(value, dict):
        return {k: _cast(param, k, v, None, what) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(_cast(param, None, v, None, what) for v in value)
    return value


def _step_count(value: object, what: str) -> int:
    """A saved step (a number, or a 0-d array or Tensor as PyTorch saves it) as an int."""
    number = value.item() if isinstance(value, Tensor | np.ndarray | np.generic) else value
    if isinstance(number, bool) or not isinstance(number, int | float):
        raise ValueError(f"{what} must be a number of steps, got {value!r}")
    if not float(number).is_integer() or number < 0:
        raise ValueError(f"{what} must be a whole number of steps, got {number}")
    return int(number)
