"""Optimizer: the bookkeeping every update rule shares, with ``torch.optim.Optimizer``'s API.

A subclass validates its hyperparameters in ``_check_group`` and writes its rule as hooks:
``_init_state(p, group)`` (the state a parameter starts with, made lazily at its first step)
and ``_kernel(W, dW, state, group, scratch)`` (one step on arrays, calling a pure function
from ``optimizers.functional``), or ``_update(p, state, group)`` for a rule that needs the
parameter itself. The base class does the rest once: param groups with defaults, lazy
per-parameter state (its ``"step"`` counted), skipping parameters whose ``.grad`` is None,
``zero_grad``, ``step(closure)``, and ``state_dict`` / ``load_state_dict`` in PyTorch's
format. A rule written as a ``_kernel`` that lists its state arrays in ``_state_keys`` also
runs over whole groups at once (``optimizers._flat``), bit-identically.
"""

from __future__ import annotations

import copy
from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Any

import numpy as np

from nn.autograd import enable_grad
from nn.tensor import Tensor

from ._checks import ParameterError
from ._flat import FlatGroup

ParamGroup = dict[str, Any]
_Ready = tuple[FlatGroup, list[dict[str, Any]], Any]  # a laid-out group, its states, step


class Optimizer:
    """Base class of all optimizers.

    Parameters
    ----------
    params : iterable of Parameters, or of dicts
        The parameters to optimize, or param groups: dicts with a ``"params"`` entry and
        their own hyperparameters, which fall back to ``defaults``.
    defaults : dict
        Default hyperparameters of every group.

    Attributes
    ----------
    param_groups : list of dict
    state : defaultdict(dict)
        Per-parameter state keyed by the Parameter, as in PyTorch, so a subclass's ``step``
        can write ``state = self.state[p]``.

    Examples
    --------
    >>> import numpy as np, nn, optimizers
    >>> w = nn.Parameter(np.array([1.0, -2.0]))
    >>> opt = optimizers.SGD([w], lr=0.1)
    >>> w.grad = np.array([1.0, 1.0]); opt.step(); w.data
    tensor([ 0.9, -2.1], dtype=float64)
    """

    _flat = False  # whether whole groups may be stepped at once through _kernel (see _flat.py)

    def __init_subclass__(cls, **kwargs: Any) -> None:
        """A subclass that changes how a step is made without saying ``_flat`` opts out."""
        super().__init_subclass__(**kwargs)
        own = vars(cls)
        if "_flat" not in own and any(name in own for name in ("_update", "_kernel", "step")):
            cls._flat = False

    def __init__(self, params: Iterable[Any], defaults: dict[str, Any]) -> None:
        self.defaults = dict(defaults)
        self.state: defaultdict[Any, dict[str, Any]] = defaultdict(dict)
        self.param_groups: list[ParamGroup] = []
        self._flat_groups: dict[int, FlatGroup] = {}
        groups = _as_list(params, "params argument given to the optimizer")
        if not groups:
            raise ValueError("optimizer got an empty parameter list")
        if not isinstance(groups[0], dict):
            groups = [{"params": groups}]
        for group in groups:
            self.add_param_group(group)

    # -------------------------------------------------------------- groups
    def add_param_group(self, param_group: dict[str, Any]) -> None:
        """Add a group of parameters with its own hyperparameters (e.g. a new layer to fine-tune).

        Raises ``ValueError`` for an empty group, a parameter already in a group, a value that
        is not a float-array Parameter, or an invalid hyperparameter.

        Examples
        --------
        >>> import numpy as np, nn, optimizers
        >>> opt = optimizers.SGD([nn.Parameter(np.zeros(1))], lr=0.1)
        >>> opt.add_param_group({"params": [nn.Parameter(np.zeros(2))], "lr": 0.01})
        >>> [group["lr"] for group in opt.param_groups]
        [0.1, 0.01]
        """
        if not isinstance(param_group, dict):
            raise ParameterError(f"param_group must be a dict, got {type(param_group).__name__}")
        if "params" not in param_group:
            raise ValueError("param_group must have a 'params' entry")
        params = param_group["params"]
        params = [params] if _is_parameter_like(params) else _as_list(params, "params of a group")
        for index, param in enumerate(params):
            _check_parameter(param, index)
        if not params:
            raise ValueError("optimizer got an empty parameter list")
        ids = [id(p) for p in params]
        if len(set(ids)) != len(ids):
            raise ValueError("optimizer got a parameter group with duplicate parameters")
        existing = {id(p) for group in self.param_groups for p in group["params"]}
        if existing.intersection(ids):
            raise ValueError("some parameters appear in more than one parameter group")
        group = {**self.defaults, **{k: v for k, v in param_group.items() if k != "params"}}
        self._check_group(group)
        group["params"] = params
        self.param_groups.append(group)

    def _check_group(self, group: ParamGroup) -> None:
        """Raise ``ValueError`` naming any invalid hyperparameter of ``group``."""

    # ---------------------------------------------------------------- steps
    def zero_grad(self, set_to_none: bool = True) -> None:
        """Reset the gradients of all parameters: to None (default) or to zeros in place.

        Examples
        --------
        >>> import numpy as np, nn, optimizers
        >>> w = nn.Parameter(np.ones(2)); w.grad = np.ones(2)
        >>> optimizers.SGD([w], lr=0.1).zero_grad(); w.grad is None
        True
        """
        for group in self.param_groups:
            for param in group["params"]:
                if set_to_none:
                    param._grad = None
                elif param._grad is not None:
                    param._grad._data[...] = 0

    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """Update every parameter that has a gradient; returns ``closure()``'s loss if given.

        ``closure`` re-evaluates the model and returns the loss (it is called with grad
        enabled, before the update), as in PyTorch.

        Examples
        --------
        >>> import numpy as np, nn, optimizers
        >>> w = nn.Parameter(np.array([3.0])); opt = optimizers.SGD([w], lr=0.1)
        >>> def closure():
        ...     opt.zero_grad(); loss = (w * w).sum(); loss.backward(); return loss
        >>> opt.step(closure).item(), w.data
        (9.0, tensor([2.4], dtype=float64))
        """
        loss = None
        if closure is not None:
            with enable_grad():
                loss = closure()
        groups = self.param_groups
        ready = [self._flat_ready(index, group) for index, group in enumerate(groups)]
        for group, flat in zip(groups, ready, strict=True):
            if flat is None:  # check every gradient before changing anything
                for param in group["params"]:
                    if param._grad is not None:
                        _check_grad(param)
        for index, (group, flat) in enumerate(zip(groups, ready, strict=True)):
            if self._step_flat(index, group, flat):
                continue
            for param in group["params"]:
                if param._grad is None:
                    continue
                state = self.state[param]
                if not state:
                    state.update(self._init_state(param, group))
                self._update(param, state, group)
        return loss

    def _init_state(self, param: Any, group: ParamGroup) -> dict[str, Any]:
        """The state of ``param`` before its first step."""
        return {}

    def _state_keys(self, group: ParamGroup) -> tuple[str, ...]:
        """The state arrays (shaped like the parameter) that the rule reads and writes."""
        return ()

    def _kernel(
        self, W: Any, dW: Any, state: dict[str, Any], group: ParamGroup, scratch: Any
    ) -> None:
        """One step on arrays: update ``W`` and the state arrays in place from ``dW``."""
        raise NotImplementedError(f"{type(self).__name__} must implement _kernel, _update or step")

    def _update(self, param: Any, state: dict[str, Any], group: ParamGroup) -> None:
        """One step for one parameter: count it, then run the rule on its arrays."""
        if "step" in state:
            state["step"] += 1
        self._kernel(param._data, param._grad._data, state, group, None)
        param._vc[0] += 1

    def _flat_ready(self, index: int, group: ParamGroup) -> _Ready | None:
        """The group's flat layout with its states and step count when the group can be
        stepped whole as laid out (every gradient present and of its parameter's shape)."""
        flat = self._flat_groups.get(index) if self._flat else None
        if flat is None or flat.keys != self._state_keys(group):
            return None
        ready = flat.ready(group["params"], self.state)
        return None if ready is None else (flat, *ready)

    def _step_flat(self, index: int, group: ParamGroup, ready: _Ready | None) -> bool:
        """Step the whole group at once when every parameter is ready; False otherwise.

        Ready: the optimizer opts in (``_flat``), every parameter has a gradient, a
        contiguous float array of the group's dtype, and complete state at the same step.
        A group that is ready but not yet laid out (or no longer) is laid out here.
        """
        if ready is None:
            if not self._flat:
                return False
            ready = self._layout(index, group["params"], self._state_keys(group))
            if ready is None:
                return False
        flat, states, step = ready
        scalars: dict[str, Any] = {}
        if step is not None:
            step += 1
            for state in states:
                state["step"] = step
            scalars["step"] = step
        flat.run(self._kernel, group, scalars)
        return True

    def _layout(self, index: int, params: list[Any], keys: tuple[str, ...]) -> _Ready | None:
        """Check that every parameter is ready and (re)build the group's flat layout."""
        needed = set(keys)
        dtype = params[0]._data.dtype
        states = []
        step = None
        for param in params:
            state = self.state.get(param)
            if state is None and not keys:  # a rule without state (gradient descent)
                state = self.state[param]
            if param._grad is None or state is None or not state.keys() >= needed:
                return None
            data = param._data
            if data.dtype != dtype or not data.flags.c_contiguous:
                return None
            if step is None:
                step = state.get("step")
            elif state.get("step") != step:
                return None
            states.append(state)
        flat = self._flat_groups[index] = FlatGroup(params, states, keys)
        return flat, states, step

    # ---------------------------------------------------------- state dicts
    def state_dict(self) -> dict[str, Any]:
        """``{'state': {index: {...}}, 'param_groups': [{..., 'params': [indices]}]}``.

        Parameters are referred to by their position across groups, as in PyTorch; arrays
        are copies, so the dict is a snapshot.

        Examples
        --------
        >>> import numpy as np, nn, optimizers
        >>> w = nn.Parameter(np.zeros(2)); opt = optimizers.Momentum([w], lr=0.1)
        >>> w.grad = np.ones(2); opt.step()
        >>> saved = opt.state_dict()
        >>> saved["state"]
        {0: {'velocity': array([0.1, 0.1])}}
        >>> saved["param_groups"]
        [{'lr': 0.1, 'beta': 0.9, 'params': [0]}]
        """
        index_of: dict[int, int] = {}
        groups = []
        for group in self.param_groups:
            indices = []
            for param in group["params"]:
                index_of.setdefault(id(param), len(index_of))
                indices.append(index_of[id(param)])
            packed = {k: copy.deepcopy(v) for k, v in group.items() if k != "params"}
            packed["params"] = indices
            groups.append(packed)
        state = {
            index_of[id(param)]: copy.deepcopy(values)
            for param, values in self.state.items()
            if id(param) in index_of
        }
        return {"state": state, "param_groups": groups}

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        """Restore hyperparameters and state from ``state_dict()``'s output (deep-copied).

        Group counts and sizes, state shapes and hyperparameters are all checked first; on any
        error a ``ValueError`` says what differs and the optimizer is left unchanged.

        Examples
        --------
        >>> import numpy as np, nn, optimizers
        >>> a, b = nn.Parameter(np.zeros(2)), nn.Parameter(np.zeros(2))
        >>> source = optimizers.Adam([a], lr=0.5); a.grad = np.ones(2); source.step()
        >>> target = optimizers.Adam([b]); target.load_state_dict(source.state_dict())
        >>> target.param_groups[0]["lr"], target.state[b]["step"]
        (0.5, 1)
        """
        if not isinstance(state_dict, dict) or not {"state", "param_groups"} <= set(state_dict):
            raise ValueError(
                "optimizer state_dict must be a dict with 'state' and 'param_groups' entries, "
                f"got {type(state_dict).__name__}"
                + (f" with keys {sorted(state_dict)}" if isinstance(state_dict, dict) else "")
            )
        saved_groups = state_dict["param_groups"]
        if not isinstance(saved_groups, list | tuple) or len(saved_groups) != len(
            self.param_groups
        ):
            count = len(saved_groups) if isinstance(saved_groups, list | tuple) else "no"
            raise ValueError(
                f"loaded state dict has {count} parameter groups, "
                f"the optimizer has {len(self.param_groups)}"
            )
        params_by_index: dict[int, Any] = {}
        new_groups = []
        for number, (group, saved) in enumerate(zip(self.param_groups, saved_groups, strict=True)):
            saved_params = saved.get("params") if isinstance(saved, dict) else None
            if not isinstance(saved_params, list | tuple) or len(saved_params) != len(
                group["params"]
            ):
                size = len(saved_params) if isinstance(saved_params, list | tuple) else "no"
                raise ValueError(
                    f"loaded state dict's parameter group {number} has {size} parameters, "
                    f"the optimizer's has {len(group['params'])}"
                )
            for index, param in zip(saved_params, group["params"], strict=True):
                params_by_index[int(index)] = param
            loaded = {
                k: tuple(v) if isinstance(v, list) else copy.deepcopy(v)
                for k, v in saved.items()
                if k != "params"
            }
            new_group = {**{k: v for k, v in group.items() if k != "params"}, **loaded}
            self._check_group(new_group)
            new_group["params"] = group["params"]
            new_groups.append(new_group)
        saved_state = state_dict["state"]
        if not isinstance(saved_state, dict):
            raise ValueError(
                f"optimizer state_dict['state'] must be a dict, got {type(saved_state).__name__}"
            )
        new_state: defaultdict[Any, dict[str, Any]] = defaultdict(dict)
        for key, values in saved_state.items():
            index = int(key)
            if index not in params_by_index:
                raise ValueError(f"loaded state refers to parameter {index}, which no group holds")
            param = params_by_index[index]
            group = next(g for g in new_groups if any(p is param for p in g["params"]))
            new_state[param] = self._checked_state(param, group, values, index)
        self.param_groups = new_groups
        self.state = new_state
        self._flat_groups = {}

    def _checked_state(
        self, param: Any, group: ParamGroup, values: Any, index: int
    ) -> dict[str, Any]:
        if not isinstance(values, dict):
            raise ValueError(
                f"state of parameter {index} must be a dict, got {type(values).__name__}"
            )
        template = self._init_state(param, group)
        state: dict[str, Any] = {}
        for key, value in values.items():
            expected = template.get(key)
            if isinstance(expected, np.ndarray):
                array = np.asarray(value)
                if array.shape != expected.shape:
                    raise ValueError(
                        f"state '{key}' of parameter {index} has shape {array.shape}, "
                        f"the parameter needs {expected.shape}"
                    )
                state[key] = np.array(array, dtype=expected.dtype, copy=True)
            elif isinstance(value, np.ndarray):
                state[key] = np.array(
                    value, dtype=param._data.dtype if value.dtype.kind == "f" else None, copy=True
                )
            else:
                state[key] = copy.deepcopy(value)
        return state

    # ---------------------------------------------------------------- repr
    def __repr__(self) -> str:
        lines = [f"{type(self).__name__} ("]
        for number, group in enumerate(self.param_groups):
            lines.append(f"Parameter Group {number}")
            for key in sorted(k for k in group if k != "params"):
                lines.append(f"    {key}: {group[key]}")
        lines.append(")")
        return "\n".join(lines)


def _check_grad(param: Any) -> None:
    grad = param._grad
    if getattr(grad, "shape", None) != param._data.shape:
        raise RuntimeError(
            f"a parameter of shape {param._data.shape} has a gradient of shape "
            f"{getattr(grad, 'shape', type(grad).__name__)}; .grad must match the parameter"
        )


def _is_parameter_like(value: Any) -> bool:
    return isinstance(value, Tensor)


def _as_list(params: Any, what: str) -> list[Any]:
    if _is_parameter_like(params):
        raise ParameterError(
            f"{what} should be an iterable of Parameters or dicts, but got a single "
            f"{type(params).__name__}; wrap it in a list"
        )
    if isinstance(params, set | frozenset):
        raise ParameterError(
            f"{what} should be an iterable of Parameters or dicts, but the ordering of "
            "tensors in sets will change between runs; please use a list instead"
        )
    if (
        isinstance(params, dict)
        or isinstance(params, str | bytes)
        or not isinstance(params, Iterable)
    ):
        raise ParameterError(
            f"{what} should be an iterable of Parameters or dicts, but got {type(params).__name__}"
        )
    return list(params)


def _check_parameter(param: Any, index: int) -> None:
    if not _is_parameter_like(param):
        raise ParameterError(
            f"optimizer can only optimize Tensors (Parameters), but params[{index}] is a "
            f"{type(param).__name__}"
        )
    if param._data.dtype.kind != "f":
        raise ParameterError(
            f"optimizer can only optimize floating point parameters, params[{index}] has dtype "
            f"{param._data.dtype}"
        )
    if getattr(param, "is_leaf", True) is False:
        raise ValueError(f"can't optimize a non-leaf Tensor (params[{index}])")
