"""Optimizer: the bookkeeping every update rule shares, with ``torch.optim.Optimizer``'s API.

An update rule is two methods on arrays, the same contract for the built-ins and for yours:

- ``init_state(W, group) -> dict``: the state of a parameter before its first step (arrays
  shaped like ``W``; put ``"step": 0`` in it to have the step counted);
- ``update(W, dW, state, group)``: one step, in place on ``W`` and the state's arrays, with
  ``dW`` (never modified) and the group's hyperparameters; ``state["step"]`` has already
  been counted for this step.

A class attribute ``elementwise = True`` declares that ``update`` may run on any slice of
the parameters (every operation elementwise, scalars in the state the same for every
slice), which lets the multi-tensor executors (``foreach=True``, ``fused=True``) run it;
``checks`` names each hyperparameter's validation. The base class does the rest once:
param groups with defaults, lazy per-parameter state, skipping parameters whose ``.grad``
is None, ``zero_grad``, ``step(closure)``, ``state_dict`` / ``load_state_dict`` in
PyTorch's format, and the choice of executor (``optimizers._executors``). No executor ever
replaces a parameter's storage.
"""

from __future__ import annotations

import copy
from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Any, ClassVar

import numpy as np

from nn._dtype import get_default_dtype
from nn.autograd import enable_grad
from nn.tensor import Tensor

from . import _executors
from ._hooks import OptimizerHooks
from ._names import matched_by_name
from .validation import ParameterError

ParamGroup = dict[str, Any]
Check = Callable[[str, Any], None]


class Optimizer(OptimizerHooks):
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
        can write ``state = self.state[p]``. A parameter gets an entry at its first step
        with a gradient, when its rule keeps any state.
    elementwise : bool
        Whether ``update`` may run on any slice of the parameters.
    needs_closure : bool
        Whether ``step`` must be given a closure that re-evaluates the loss (LBFGS).
    checks : dict
        Hyperparameter name -> ``check(name, value)``, raising ``ValueError``.

    Examples
    --------
    A rule of your own (the course's gradient descent with a decaying step):

    >>> import numpy as np, nn, optimizers
    >>> class DecayingGD(optimizers.Optimizer):
    ...     elementwise = True
    ...     def __init__(self, params, lr):
    ...         super().__init__(params, {"lr": lr})
    ...     def init_state(self, W, group):
    ...         return {"step": 0}
    ...     def update(self, W, dW, state, group):
    ...         W -= group["lr"] / state["step"] * dW
    >>> w = nn.Parameter(np.array([1.0, -2.0]))
    >>> opt = DecayingGD([w], lr=0.1)
    >>> for _ in range(2):
    ...     w.grad = np.array([1.0, 1.0]); opt.step()
    >>> w.data  # 1 - 0.1 - 0.05
    tensor([ 0.8500, -2.1500], dtype=float64)
    """

    elementwise: ClassVar[bool] = False
    needs_closure: ClassVar[bool] = False
    checks: ClassVar[dict[str, Check]] = {}

    def __init__(self, params: Iterable[Any], defaults: dict[str, Any]) -> None:
        self.defaults = dict(defaults)
        self.state: defaultdict[Any, dict[str, Any]] = defaultdict(dict)
        self.param_groups: list[ParamGroup] = []
        self._stepped = False  # step() has run (see LRScheduler.step)
        self._layouts: dict[Any, Any] = {}  # the multi-tensor executors' state layouts
        groups = _as_list(params, "params argument given to the optimizer")
        if not groups:
            raise ValueError("optimizer got an empty parameter list")
        if not isinstance(groups[0], dict):
            groups = [{"params": groups}]
        for group in groups:
            self.add_param_group(group)

    # ------------------------------------------------------------ the rule
    def init_state(self, W: np.ndarray, group: ParamGroup) -> dict[str, Any]:
        """The state of a parameter (its array ``W``) before its first step: none here."""
        return {}

    def update(
        self, W: np.ndarray, dW: np.ndarray, state: dict[str, Any], group: ParamGroup
    ) -> None:
        """One step on arrays: change ``W`` and the state's arrays in place, from ``dW``."""
        raise NotImplementedError(
            f"{type(self).__name__} must implement update(W, dW, state, group) (or step())"
        )

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
        params = [params] if isinstance(params, Tensor) else _as_list(params, "params of a group")
        names = None
        if params and all(isinstance(p, tuple) and len(p) == 2 for p in params):
            names = [str(name) for name, _ in params]  # named_parameters(), as PyTorch 2
            params = [p for _, p in params]
        named = [("param_names" in g) for g in self.param_groups]
        if (any(named) and names is None) or (named and not all(named) and names is not None):
            raise ValueError("all optimizer param groups should be with/without names.")
        if self.param_groups and (names is not None) != all(named):
            raise ValueError("all optimizer param groups should be with/without names.")
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
        if names is not None:
            group["param_names"] = names
        self.param_groups.append(group)

    def _check_group(self, group: ParamGroup) -> None:
        """Raise naming any invalid hyperparameter or executor flag of ``group``."""
        for name, check in self.checks.items():
            check(name, group[name])
        _executors.check_flags(self, group)

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
        enabled, before the update), as in PyTorch. Every gradient is checked before any
        parameter changes.

        Examples
        --------
        >>> import numpy as np, nn, optimizers
        >>> w = nn.Parameter(np.array([3.0])); opt = optimizers.SGD([w], lr=0.1)
        >>> def closure():
        ...     opt.zero_grad(); loss = (w * w).sum(); loss.backward(); return loss
        >>> opt.step(closure).item(), w.data
        (9.0, tensor([2.4000], dtype=float64))
        """
        args: tuple[Any, ...] = (closure,) if closure is not None else ()
        kwargs: dict[str, Any] = {}
        if "_hook_registry" in self.__dict__ and self._hooks("step_pre"):
            args, kwargs = self._run_step_pre_hooks(args, kwargs)
            closure = (args[0] if args else None) if "closure" not in kwargs else kwargs["closure"]
        loss = None
        self._stepped = True  # (a scheduler warns when it is stepped before the optimizer)
        if closure is not None:
            with enable_grad():
                loss = closure()
        work = []
        for group in self.param_groups:
            params = [p for p in group["params"] if p._grad is not None]
            for param in params:
                if param._grad._data.shape != param._data.shape:
                    _wrong_gradient(param)
            work.append((group, params))
        for group, params in work:
            if params:
                _executors.run(self, group, params)
        if "_hook_registry" in self.__dict__:  # (the closure may have registered one)
            for hook in list(self._hooks("step_post").values()):
                hook(self, args, kwargs)
        return loss

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
        [{'lr': 0.1, 'beta': 0.9, 'foreach': None, 'fused': None, 'params': [0]}]
        """
        for hook in list(self._hooks("state_dict_pre").values()):
            hook(self)
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
        result = {"state": state, "param_groups": groups}
        for hook in list(self._hooks("state_dict_post").values()):
            result = hook(self, result) or result
        return result

    def load_state_dict(self, state_dict: dict[str, Any], match: str = "order") -> None:
        """Restore hyperparameters and state from ``state_dict()``'s output (deep-copied).

        Parameters are matched to the saved state by their order, as in PyTorch, or, with
        ``match="name"`` (beyond PyTorch), by the names both optimizers were given through
        ``named_parameters()``: a model whose layers were reordered still gets each layer's
        state, and names on only one side raise a ``ValueError`` listing them.

        Group counts and sizes, every state array's shape (its parameter's, or the one
        ``init_state`` gives) and the hyperparameters are all checked first; on any error a
        ``ValueError`` says what differs and the optimizer is left unchanged.

        Examples
        --------
        >>> import numpy as np, nn, optimizers
        >>> a, b = nn.Parameter(np.zeros(2)), nn.Parameter(np.zeros(2))
        >>> source = optimizers.Adam([a], lr=0.5); a.grad = np.ones(2); source.step()
        >>> target = optimizers.Adam([b]); target.load_state_dict(source.state_dict())
        >>> target.param_groups[0]["lr"], target.state[b]["step"]
        (0.5, 1)
        """
        for hook in list(self._hooks("load_pre").values()):
            state_dict = hook(self, state_dict) or state_dict
        if not isinstance(state_dict, dict) or not {"state", "param_groups"} <= set(state_dict):
            raise ValueError(
                "optimizer state_dict must be a dict with 'state' and 'param_groups' entries, "
                f"got {type(state_dict).__name__}"
                + (f" with keys {sorted(state_dict)}" if isinstance(state_dict, dict) else "")
            )
        if match not in ("order", "name"):
            raise ValueError(f"match must be 'order' or 'name', got {match!r}")
        if match == "name":
            state_dict = matched_by_name(self.param_groups, state_dict)
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
        group_of: dict[int, ParamGroup] = {}
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
            loaded = {
                k: tuple(v) if isinstance(v, list) else copy.deepcopy(v)
                for k, v in saved.items()
                if k != "params"
            }
            new_group = {**{k: v for k, v in group.items() if k != "params"}, **loaded}
            self._check_group(new_group)
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
        new_state: defaultdict[Any, dict[str, Any]] = defaultdict(dict)
        for key, values in saved_state.items():
            index = int(key)
            if index not in params_by_index:
                raise ValueError(f"loaded state refers to parameter {index}, which no group holds")
            param = params_by_index[index]
            new_state[param] = self._checked_state(param, group_of[index], values, index)
        self.param_groups = new_groups
        self.state = new_state
        self._layouts = {}
        for hook in list(self._hooks("load_post").values()):
            hook(self)

    def _checked_state(
        self, param: Any, group: ParamGroup, values: Any, index: int
    ) -> dict[str, Any]:
        """A copy of one parameter's saved state, every array of the shape it must have (the
        one ``init_state`` gives it, else the parameter's) and float arrays in its dtype."""
        if not isinstance(values, dict):
            raise ValueError(
                f"state of parameter {index} must be a dict, got {type(values).__name__}"
            )
        template = self.init_state(param._data, group)
        state: dict[str, Any] = {}
        for key, value in values.items():
            if not isinstance(value, np.ndarray) or value.ndim == 0:
                state[key] = copy.deepcopy(value)
                continue
            expected = template.get(key)
            shape = expected.shape if isinstance(expected, np.ndarray) else param._data.shape
            if value.shape != shape:
                raise ValueError(
                    f"state '{key}' of parameter {index} has shape {value.shape}, "
                    f"the parameter needs {shape}"
                )
            floating = value.dtype.kind == "f"
            state[key] = np.array(value, dtype=param._data.dtype if floating else None, copy=True)
        return state

    # ------------------------------------------------------- copies, repr
    def __getstate__(self) -> dict[str, Any]:
        """Pickled and deep-copied without the executors' layouts (rebuilt at the next step)."""
        return {k: v for k, v in self.__dict__.items() if k != "_layouts"}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._layouts = {}

    def __repr__(self) -> str:
        lines = [f"{type(self).__name__} ("]
        for number, group in enumerate(self.param_groups):
            lines.append(f"Parameter Group {number}")
            for key in sorted(k for k in group if k != "params"):
                lines.append(f"    {key}: {group[key]}")
        lines.append(")")
        return "\n".join(lines)


def hyperparameters(arguments: dict[str, Any]) -> dict[str, Any]:
    """An ``__init__``'s arguments (its ``locals()``) as defaults, in the signature's order:
    all but ``self``, ``params`` and Python's own names.

    Examples
    --------
    >>> def init(self, params, lr=0.1, betas=(0.9, 0.99)):
    ...     return hyperparameters(locals())
    >>> init(None, [])
    {'lr': 0.1, 'betas': (0.9, 0.99)}
    """
    return {
        name: tuple(value) if name == "betas" and isinstance(value, list) else value
        for name, value in arguments.items()
        if name not in ("self", "params") and not name.startswith("__")
    }


def _wrong_gradient(param: Any) -> None:
    raise RuntimeError(
        f"a parameter of shape {param._data.shape} has a gradient of shape "
        f"{param._grad._data.shape}; .grad must match the parameter"
    )


def _as_list(params: Any, what: str) -> list[Any]:
    if isinstance(params, Tensor):
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
    if not isinstance(param, Tensor):
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


def scalar_dtype() -> np.dtype:
    """The dtype PyTorch keeps an optimizer's per-parameter scalars in (NAdam's
    ``mu_product``, ASGD's ``eta`` and ``mu``): the default float dtype."""
    return np.dtype(get_default_dtype())
