"""A kit for property-based tests of any optimizer, built on hypothesis.

``check_optimizer(factory, reference)`` runs the contract every optimizer must keep, over
hypothesis-drawn parameters, gradients and hyperparameters, and fails naming the first
broken property with a shrunk, minimal example:

- ``shape and dtype``: parameters and state arrays keep their shapes and dtypes (float32
  stays float32);
- ``grads untouched``: ``step()`` does not modify the gradients it reads;
- ``no grad, no change``: a parameter whose ``.grad`` is None is left exactly as it was;
- ``zero_grad then step``: after ``zero_grad()`` a step changes nothing;
- ``param groups``: two groups with their own learning rates move exactly as two separate
  optimizers would (skipped for a class that refuses groups with ``ValueError``, as LBFGS);
- ``state_dict round trip``: a fresh optimizer loaded from ``state_dict()`` mid-run continues
  bit-identically (with the default dtype set to the parameters': loading casts every state
  array to its parameter's dtype, as PyTorch's does, so a rule that keeps scalars in the
  default dtype, as NAdam and ASGD do, resumes bit for bit only where the two agree);
- ``executors agree``: for an ``elementwise`` rule, ``foreach=True`` (and ``fused=True``
  where the rule has a compiled kernel and numba is installed) gives the per-parameter
  numbers bit for bit;
- ``invalid hyperparameters``: a negative or NaN learning rate raises ``ValueError``;
- ``parameters move`` (checked first): five steps with a constant gradient move a parameter
  (an ``update`` that rebinds ``W = W - lr * dW`` instead of writing ``W -= lr * dW`` is
  the commonest slip, and the message says so, naming the file and line of ``update``);
- ``reference``: when ``reference(W, grads, **hyper)`` is given (plain NumPy, float64), every
  parameter's trajectory ends where the reference says.

An optimizer whose ``step`` needs a closure (``needs_closure``, as LBFGS) is stepped with
one: the drawn gradients ``g`` of a step define that step's objective
``sum(g * W + W**2 / 2)``, whose closure sets ``.grad = g + W`` (None stays None), so that
every evaluation inside a step is of one smooth, bounded function. A ``reference`` is refused
for such an optimizer (its step is not a function of the gradients alone).

The strategies ``params``, ``gradient_sequences`` and ``hyperparameters`` are public for
your own tests. Needs the test extra (``pip install -e ".[test]"``).

Examples
--------
>>> import numpy as np, optimizers
>>> from optimizers.testing import check_optimizer
>>> def reference(W, grads, lr):
...     for dW in grads:
...         W = W - lr * dW
...     return W
>>> check_optimizer(optimizers.BatchGD, reference, max_examples=5)
"""

from __future__ import annotations

import contextlib
import copy
import inspect
import math
import warnings
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import numpy as np

try:
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st
except ImportError as missing:  # (hypothesis comes with the test extra)
    raise ImportError(
        f'{__name__} needs hypothesis, which the test extra installs: pip install -e ".[test]"'
    ) from missing

from nn import get_default_dtype, set_default_dtype
from nn.parameter import Parameter
from nn.tensor import Tensor
from nn.types import DTypeLike

from .optimizer import Optimizer
from .strategies import (
    SHAPES,
    Factory,
    accepts,
    gradient_sequences,
    hyperparameters,
    params,
    probe,
)
from .types import Hyper

__all__ = [
    "OptimizerCheckError",
    "check_optimizer",
    "gradient_sequences",
    "hyperparameters",
    "params",
]

Reference = Callable[..., np.ndarray]


class OptimizerCheckError(AssertionError):
    """An optimizer broke a property of the contract; the message names the property."""


def _fail(prop: str, detail: str) -> None:
    raise OptimizerCheckError(f"property '{prop}' failed: {detail}")


def _values(t: Any) -> np.ndarray:
    """The array behind a Tensor (a parameter or a gradient)."""
    return t.detach().numpy()  # type: ignore[no-any-return]


def _same(a: np.ndarray | None, b: np.ndarray | None) -> bool:
    """Both None, or equal arrays (NaN equal to NaN)."""
    if a is None or b is None:
        return a is b
    return bool(np.array_equal(a, b, equal_nan=True))


@contextlib.contextmanager
def _default_dtype(dtype: DTypeLike) -> Iterator[None]:
    """The default float dtype set to ``dtype`` inside the block."""
    before = get_default_dtype()
    set_default_dtype(dtype)
    try:
        yield
    finally:
        set_default_dtype(before)


def _copy_params(ps: Sequence[Parameter]) -> list[Parameter]:
    result = []
    for p in ps:
        q = Parameter(_values(p).copy())
        q.grad = None if p.grad is None else _values(p.grad).copy()
        result.append(q)
    return result


def _step_quietly(optimizer: Optimizer, closure: Callable[[], float] | None = None) -> None:
    """``optimizer.step(closure)`` without the learner's hint that no parameter had a
    gradient: the kit steps without gradients on purpose."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", ".*found no gradients", UserWarning)
        optimizer.step(closure)


def _step(
    optimizer: Optimizer, ps: Sequence[Parameter], grads: Sequence[np.ndarray | None]
) -> list[np.ndarray | None]:
    """One ``step()`` with these gradients (None: no gradient); returns the gradients the
    parameters held when the step last read them.

    A closure-driven optimizer gets the closure of ``sum(g * W + W**2 / 2)``.
    """
    if not optimizer.needs_closure:
        for p, g in zip(ps, grads, strict=True):
            p.grad = None if g is None else g.copy()
        _step_quietly(optimizer)
        return list(grads)
    read: list[np.ndarray | None] = []

    def closure() -> float:
        read.clear()
        loss = 0.0
        for p, g in zip(ps, grads, strict=True):
            W = _values(p)
            p.grad = None if g is None else (g + W).astype(W.dtype)
            read.append(None if p.grad is None else _values(p.grad).copy())
            if g is not None:
                loss += float(np.sum(g * W + W * W / 2))
        return loss

    optimizer.step(closure)
    return read


def _run(
    optimizer: Optimizer, ps: Sequence[Parameter], grads: Sequence[Sequence[np.ndarray]]
) -> None:
    for step in grads:
        _step(optimizer, ps, step)


def _arrays(state: object) -> list[np.ndarray]:
    """Every array of a parameter's state (a Tensor's too: PyTorch-style steps keep those)."""
    if isinstance(state, np.ndarray):
        return [state]
    if isinstance(state, Tensor):
        return [state._data]
    if isinstance(state, dict):
        return [a for value in state.values() for a in _arrays(value)]
    if isinstance(state, list | tuple):
        return [a for value in state for a in _arrays(value)]
    return []


def _rebinding_hint(factory: Factory) -> str:
    """What to look at when the parameters never move: the commonest beginner bug."""
    update = getattr(factory, "update", None)
    where = ""
    if update is not None:
        with contextlib.suppress(OSError, TypeError):
            first = inspect.getsourcelines(update)[1]
            name = getattr(factory, "__qualname__", type(factory).__name__)
            where = f" ({name}.update, {inspect.getsourcefile(update)}:{first})"
    return (
        f"the parameters never moved{where}: does update rebind W (`W = W - lr * dW`, a "
        "new array the optimizer never sees) instead of changing it in place "
        "(`W -= lr * dW`, or `W[...] = ...`)? update must write into the arrays it is given "
        "(W and the state's arrays)"
    )


def _never_moves(factory: Factory) -> bool:
    """Whether five steps with a constant gradient leave a parameter exactly where it was
    (constructed with the factory's defaults, or lr=0.1 when it needs one); False when the
    factory cannot be called that way (the other properties will say why)."""
    start = np.linspace(-1.0, 1.0, 6).reshape(2, 3)
    p = Parameter(start.copy())
    try:
        try:
            optimizer = factory([p])
        except TypeError:
            optimizer = factory([p], lr=0.1)
        if optimizer.needs_closure:
            return False
        for _ in range(5):
            _step(optimizer, [p], [np.full_like(start, 0.5)])
    except Exception:  # (the contract's properties report it)
        return False
    return bool(np.array_equal(_values(p), start))


def _executors_of(optimizer: Optimizer) -> list[dict[str, bool]]:
    """The multi-tensor executors ``optimizer``'s rule can run under here."""
    from . import _kernels

    flags = [{"foreach": True}]
    if _kernels.kernels_of(type(optimizer)) is not None:
        try:
            _kernels.require_numba()
        except ImportError:
            return flags
        flags.append({"fused": True})
    return flags


def check_optimizer(
    factory: Factory,
    reference: Reference | None = None,
    *,
    hyper: st.SearchStrategy[Hyper] | None = None,
    dtypes: Sequence[Any] = (np.float32, np.float64),
    shapes: st.SearchStrategy[tuple[int, ...]] = SHAPES,
    max_examples: int = 25,
    max_steps: int = 10,
) -> None:
    """Check the optimizer contract on ``factory`` (an Optimizer class, or any callable
    ``factory(params, **hyper)`` returning an optimizer); raise on the first broken property.

    Parameters
    ----------
    factory : Optimizer class or callable
    reference : callable, optional
        ``reference(W, grads, **hyper)``: the final parameter after the gradient sequence
        ``grads``, from ``W`` (both float64 arrays), in plain NumPy.
    hyper : strategy of dicts, optional
        Hyperparameters to draw; by default ``hyperparameters(factory)`` for a class, and
        none (``{}``) for another callable.
    dtypes, shapes, max_examples, max_steps
        Parameter dtypes and shapes drawn (0 to 3 dimensions of 1 to 4 by default; Muon
        takes ``hypothesis.extra.numpy.array_shapes(min_dims=2, max_dims=2)``), examples per
        property, most steps per run.

    Raises
    ------
    OptimizerCheckError
        Naming the property, with hypothesis's minimal falsifying example attached.
    """
    is_class = inspect.isclass(factory)
    if reference is not None and getattr(factory, "needs_closure", False):
        raise TypeError(
            f"{factory.__name__} needs a closure: its steps are not a function of the "
            "gradients alone, so no reference(W, grads) can describe them"
        )
    if hyper is None:
        hyper = hyperparameters(factory) if is_class else st.just({})
    config = settings(
        max_examples=max_examples,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )
    problem = params(dtypes=dtypes, shapes=shapes).flatmap(
        lambda ps: st.tuples(st.just(ps), gradient_sequences(ps, 1, max_steps))
    )

    @config
    @given(problem=problem, h=hyper)
    def shape_dtype_and_grads(problem: Any, h: Hyper) -> None:
        ps, grads = problem
        ps = _copy_params(ps)
        optimizer = factory(ps, **h)
        for step in grads:
            seen = _step(optimizer, ps, step)
            for p, g, before in zip(ps, step, seen, strict=True):
                if p.shape != g.shape or p.dtype != g.dtype:
                    _fail(
                        "shape and dtype",
                        f"a {g.dtype} parameter of shape {g.shape} became "
                        f"{p.dtype} of shape {p.shape}",
                    )
                if not _same(None if p.grad is None else _values(p.grad), before):
                    _fail("grads untouched", "step() modified a parameter's .grad")
        for p in ps:
            for array in _arrays(optimizer.state.get(p, {})):
                scalar = array.ndim == 0 and array.dtype == get_default_dtype()  # PyTorch's
                # per-parameter scalars (NAdam's mu_product, ASGD's eta) are of the default dtype
                if array.dtype.kind == "f" and array.dtype != p.dtype and not scalar:
                    _fail(
                        "shape and dtype",
                        f"state array of dtype {array.dtype} for a {p.dtype} parameter",
                    )

    @config
    @given(problem=problem, h=hyper)
    def untouched_without_grad(problem: Any, h: Hyper) -> None:
        ps, grads = problem
        ps = _copy_params(ps)
        optimizer = factory(ps, **h)
        frozen = ps[0]
        original = _values(frozen).copy()
        for step in grads:
            _step(optimizer, ps, [None, *step[1:]])
        if not np.array_equal(_values(frozen), original, equal_nan=True):
            _fail("no grad, no change", "a parameter whose .grad is None was changed")
        _run(optimizer, ps, grads)
        optimizer.zero_grad()
        snapshot = [_values(p).copy() for p in ps]
        _step_quietly(optimizer, (lambda: 0.0) if optimizer.needs_closure else None)
        for p, before in zip(ps, snapshot, strict=True):
            if not np.array_equal(_values(p), before, equal_nan=True):
                _fail("zero_grad then step", "step() after zero_grad() changed a parameter")

    @config
    @given(problem=problem, h=hyper, ratio=st.sampled_from([0.5, 2.0]))
    def groups_honoured(problem: Any, h: Hyper, ratio: float) -> None:
        ps, grads = problem
        if len(ps) < 2 or "lr" not in h:
            return
        h2 = {**h, "lr": h["lr"] * ratio}
        if is_class and not accepts(factory, h2):
            return
        grouped = _copy_params(ps)
        try:
            optimizer = factory(
                [{"params": grouped[:1], "lr": h2["lr"]}, {"params": grouped[1:]}], **h
            )
        except ValueError:
            return  # the class refuses parameter groups (as LBFGS does), saying so
        _run(optimizer, grouped, grads)
        first, rest = _copy_params(ps[:1]), _copy_params(ps[1:])
        _run(factory(first, **h2), first, [s[:1] for s in grads])
        _run(factory(rest, **h), rest, [s[1:] for s in grads])
        for p, q in zip(grouped, first + rest, strict=True):
            if not np.array_equal(_values(p), _values(q), equal_nan=True):
                _fail(
                    "param groups",
                    "a group's own lr was not honoured (groups differ from separate optimizers)",
                )

    @config
    @given(problem=problem, h=hyper, split=st.integers(0, max_steps))
    def state_dict_round_trip(problem: Any, h: Hyper, split: int) -> None:
        ps, grads = problem
        split = 1 + split % (len(grads) - 1) if len(grads) > 1 else 0  # steps on both sides
        original = _copy_params(ps)
        with _default_dtype(ps[0].dtype):
            optimizer = factory(original, **h)
            _run(optimizer, original, grads[:split])
            saved = copy.deepcopy(optimizer.state_dict())
            resumed_params = _copy_params(original)
            resumed = factory(resumed_params, **h)
            resumed.load_state_dict(saved)
            _run(optimizer, original, grads[split:])
            _run(resumed, resumed_params, grads[split:])
        for p, q in zip(original, resumed_params, strict=True):
            if not np.array_equal(_values(p), _values(q), equal_nan=True):
                _fail(
                    "state_dict round trip",
                    f"after loading state_dict() at step {split}, a "
                    "fresh optimizer did not continue identically (is all state saved?)",
                )

    @config
    @given(problem=problem, h=hyper)
    def executors_agree(problem: Any, h: Hyper) -> None:
        ps, grads = problem
        reference_params = _copy_params(ps)
        optimizer = factory(reference_params, **h)
        if not optimizer.elementwise:
            return
        _run(optimizer, reference_params, grads)
        for flags in _executors_of(optimizer):
            run_params = _copy_params(ps)
            other = factory(run_params, **h)
            for group in other.param_groups:
                group.update(flags)
            _run(other, run_params, grads)
            for p, q in zip(reference_params, run_params, strict=True):
                if not np.array_equal(_values(p), _values(q), equal_nan=True):
                    _fail(
                        "executors agree",
                        f"{flags} differs from the per-parameter step (is every operation "
                        "of update elementwise, and the state written in place?)",
                    )

    @config
    @given(problem=problem, h=hyper)
    def matches_reference(problem: Any, h: Hyper) -> None:
        assert reference is not None
        ps, grads = problem
        run_params = _copy_params(ps)
        _run(factory(run_params, **h), run_params, grads)
        for i, p in enumerate(run_params):
            expected = reference(
                _values(ps[i]).astype(np.float64),
                [step[i].astype(np.float64) for step in grads],
                **h,
            )
            tolerance = 1e-9 if p.dtype == np.float64 else 2e-4
            values = _values(p)
            if not np.allclose(values, expected, rtol=tolerance, atol=tolerance, equal_nan=True):
                if np.array_equal(values, _values(ps[i])):
                    _fail("reference", _rebinding_hint(factory))
                worst = float(np.max(np.abs(values - expected)))
                _fail(
                    "reference",
                    f"parameter {i} ended {worst:.3g} away from the reference after "
                    f"{len(grads)} steps",
                )

    def invalid_hyperparameters() -> None:
        if not is_class or "lr" not in inspect.signature(factory).parameters:
            return
        for bad in (-1.0, math.nan):
            try:
                factory([probe()], lr=bad)
            except ValueError:
                continue
            _fail("invalid hyperparameters", f"lr={bad} was accepted; expected ValueError")

    def parameters_move() -> None:
        if _never_moves(factory):
            _fail("parameters move", _rebinding_hint(factory))

    checks: list[Callable[[], None]] = [
        parameters_move,
        shape_dtype_and_grads,
        untouched_without_grad,
        groups_honoured,
        state_dict_round_trip,
        executors_agree,
        invalid_hyperparameters,
    ]
    if reference is not None:
        checks.append(matches_reference)
    for check in checks:
        check()
