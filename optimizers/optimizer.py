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

import inspect
import warnings
from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Any, ClassVar

import numpy as np

from nn._dtype import get_default_dtype
from nn.autograd import enable_grad
from nn.tensor import Tensor

from . import _executors, _state_dict
from ._hooks import (
    OptimizerHooks,
    register_optimizer_step_post_hook,
    register_optimizer_step_pre_hook,
)
from .types import Hyper, ParamGroup, ParamsLike, State, StateDict
from .validation import ParameterError

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
        Whether ``update`` may run on any slice of the parameters (False for a subclass that
        writes its own ``update`` without declaring it again).
    needs_closure : bool
        Whether ``step`` must be given a closure that re-evaluates the loss (LBFGS).
    checks : dict
        Hyperparameter name -> ``check(name, value)``, raising ``ValueError``.

    Notes
    -----
    Every built-in optimizer also takes PyTorch's flags for how a step runs. ``foreach`` and
    ``fused`` choose the executor: ``foreach=False`` runs the rule's ``update`` on each whole
    parameter and nothing else; ``None`` (the default) may run a tuned copy of the rule
    while it is one; ``foreach=True`` runs an elementwise rule over many parameters at once;
    ``fused=True`` its compiled kernel (the fast extra); the same numbers whichever runs.
    ``capturable`` and ``differentiable`` are accepted as False; True raises ``ValueError``
    (descend runs on the CPU without CUDA graphs, and its steps are not recorded by
    autograd).

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

    def __init_subclass__(cls, **kwargs: object) -> None:
        """A class that writes its own ``update`` is elementwise only if it says so: a
        subclass of Adam whose rule takes a norm of the whole parameter must not be run on
        slices because Adam's rule could be."""
        super().__init_subclass__(**kwargs)
        if "update" in vars(cls) and "elementwise" not in vars(cls):
            cls.elementwise = False

    def __init__(self, params: ParamsLike, defaults: Hyper) -> None:
        self.defaults = dict(defaults)
        self.state: defaultdict[Any, State] = defaultdict(dict)
        self.param_groups: list[ParamGroup] = []
        self._init_hook_registries()
        self._patch_step_function()
        self._layouts: dict[Any, Any] = {}  # the multi-tensor executors' state layouts
        groups = _as_list(params, "params argument given to the optimizer")
        if not groups:
            hint = ""
            if inspect.isgenerator(params):  # (model.parameters() given to a second optimizer)
                hint = (
                    " (the generator given was already used up: model.parameters() can be "
                    "iterated once, so a second optimizer needs model.parameters() called "
                    "again, or list(model.parameters()) kept)"
                )
            raise ValueError("optimizer got an empty parameter list" + hint)
        if not isinstance(groups[0], dict):
            groups = [{"params": groups}]
        for group in groups:
            self.add_param_group(group)

    # ------------------------------------------------------------ the rule
    def init_state(self, W: np.ndarray, group: ParamGroup) -> State:
        """The state of a parameter (its array ``W``) before its first step: none here."""
        return {}

    def update(self, W: np.ndarray, dW: np.ndarray, state: State, group: ParamGroup) -> None:
        """One step on arrays: change ``W`` and the state's arrays in place, from ``dW``."""
        raise NotImplementedError(
            f"{type(self).__name__} must implement update(W, dW, state, group) (or step())"
        )

    # -------------------------------------------------------------- groups
    def add_param_group(self, param_group: ParamGroup) -> None:
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
        loss = None
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
        stepped = False
        for group, params in work:
            if params:
                _executors.run(self, group, params)
                stepped = True
        if not stepped:
            self._no_gradients()
        return loss

    def _no_gradients(self) -> None:
        """A step that found no gradient at all: warned once per optimizer (a learner's
        ``step()`` before ``loss.backward()``, or after ``zero_grad()``; PyTorch is silent),
        pointing at the caller of ``step`` (past the hooks' wrapper)."""
        if not self.__dict__.get("_warned_no_gradients"):
            self.__dict__["_warned_no_gradients"] = True
            warnings.warn(
                f"{type(self).__name__}.step() found no gradients: every parameter's .grad "
                "is None, so nothing changed. Call loss.backward() before optimizer.step().",
                UserWarning,
                stacklevel=4,
            )

    # ---------------------------------------------------------- state dicts
    def state_dict(self) -> StateDict:
        """``{'state': {index: {...}}, 'param_groups': [{..., 'params': [indices]}]}``.

        Parameters are referred to by their position across groups, as in PyTorch; state
        entries not keyed by a parameter keep their key. The values are the optimizer's own
        (as PyTorch's, not copies): ``copy.deepcopy`` the dict, or ``nn.save`` it, to keep a
        snapshot while training goes on.

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
        result = _state_dict.pack(self.param_groups, self.state)
        for hook in list(self._hooks("state_dict_post").values()):
            result = hook(self, result) or result
        return result

    def load_state_dict(self, state_dict: StateDict, match: str = "order") -> None:
        """Restore hyperparameters and state from ``state_dict()``'s output.

        Parameters are matched to the saved state by their order, as in PyTorch, or, with
        ``match="name"`` (beyond PyTorch), by the names both optimizers were given through
        ``named_parameters()``: a model whose layers were reordered still gets each layer's
        state, and names on only one side raise a ``ValueError`` listing them.

        As PyTorch's: state arrays and Tensors are cast to their parameter's dtype (``step``
        excepted) and otherwise taken as they are, state not keyed by a parameter is kept,
        and the result is installed through ``__setstate__`` (where an optimizer may upgrade
        an old checkpoint). Group counts and sizes, the shapes of a rule's state arrays and
        the hyperparameters are checked first; on any error a ``ValueError`` says what
        differs and the optimizer is left unchanged.

        Examples
        --------
        >>> import numpy as np, nn, optimizers
        >>> a, b = nn.Parameter(np.zeros(2)), nn.Parameter(np.zeros(2))
        >>> source = optimizers.Adam([a], lr=0.5); a.grad = np.ones(2); source.step()
        >>> target = optimizers.Adam([b]); target.load_state_dict(source.state_dict())
        >>> target.param_groups[0]["lr"], target.state[b]["step"]
        (0.5, 1)
        """
        if isinstance(state_dict, dict):
            state_dict = dict(state_dict)  # (a shallow copy, as PyTorch's: hooks may edit it)
        for hook in list(self._hooks("load_pre").values()):
            state_dict = hook(self, state_dict) or state_dict
        state, param_groups = _state_dict.unpack(self, state_dict, match)
        self.__setstate__({"state": state, "param_groups": param_groups})
        for hook in list(self._hooks("load_post").values()):
            hook(self)

    # ------------------------------------------------------- copies, repr
    def __getstate__(self) -> StateDict:
        """Pickled and deep-copied without the executors' layouts (rebuilt at the next step)
        and without a scheduler's wrapper of ``step`` (it belongs to this instance)."""
        return {k: v for k, v in self.__dict__.items() if k not in ("_layouts", "step")}

    def __setstate__(self, state: State) -> None:
        """Install ``state`` (``load_state_dict`` passes ``state`` and ``param_groups``)."""
        self.__dict__.update(state)
        self._layouts = {}
        self._init_hook_registries()
        self._patch_step_function()

    def __repr__(self) -> str:
        lines = [f"{type(self).__name__} ("]
        for number, group in enumerate(self.param_groups):
            lines.append(f"Parameter Group {number}")
            for key in sorted(k for k in group if k != "params"):
                lines.append(f"    {key}: {group[key]}")
        lines.append(")")
        return "\n".join(lines)


class _RequiredParameter:
    """The default of a hyperparameter that has none (``torch.optim.optimizer.required``):
    optimizers written for PyTorch write ``lr=required`` and check ``lr is required``."""

    def __repr__(self) -> str:
        return "<required parameter>"


required = _RequiredParameter()


def hyperparameters(arguments: Hyper) -> Hyper:
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


def _as_list(params: object, what: str) -> list[Any]:
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


def _check_parameter(param: object, index: int) -> None:
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


__all__ = [
    "Optimizer",
    "hyperparameters",
    "register_optimizer_step_post_hook",
    "register_optimizer_step_pre_hook",
    "required",
    "scalar_dtype",
]
