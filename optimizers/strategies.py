"""The hypothesis strategies of the optimizer test kit (``optimizers.testing``), public for
your own tests: parameters (``params``), sequences of gradients for them
(``gradient_sequences``) and an optimizer's hyperparameters (``hyperparameters``). Needs
the test extra (``pip install -e ".[test]"``)."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

try:
    from hypothesis import strategies as st
    from hypothesis.extra import numpy as hnp
except ImportError as missing:  # (hypothesis comes with the test extra)
    raise ImportError(
        f'{__name__} needs hypothesis, which the test extra installs: pip install -e ".[test]"'
    ) from missing

from nn.parameter import Parameter

from .optimizer import Optimizer
from .types import Hyper

Factory = Callable[..., Optimizer]

SHAPES = hnp.array_shapes(min_dims=0, max_dims=3, min_side=1, max_side=4)
_SEEDS = st.integers(0, 2**32 - 1)


def params(
    dtypes: Sequence[Any] = (np.float32, np.float64),
    shapes: st.SearchStrategy[tuple[int, ...]] = SHAPES,
    min_count: int = 1,
    max_count: int = 3,
) -> st.SearchStrategy[list[Parameter]]:
    """Lists of Parameters of one drawn dtype, each with a gradient of its shape.

    Examples
    --------
    >>> from hypothesis import given
    >>> from optimizers.testing import params
    >>> @given(params())
    ... def test_shapes(ps):
    ...     assert all(p.grad.shape == p.shape for p in ps)
    >>> test_shapes()
    """

    @st.composite
    def build(draw: Any) -> list[Parameter]:
        dtype = draw(st.sampled_from(list(dtypes)))
        shapes_drawn = draw(st.lists(shapes, min_size=min_count, max_size=max_count))
        rng = np.random.default_rng(draw(_SEEDS))  # values from a seed: cheap to draw and shrink
        result = []
        for shape in shapes_drawn:
            param = Parameter(rng.uniform(-1.0, 1.0, shape).astype(dtype))
            param.grad = rng.uniform(-1.0, 1.0, shape).astype(dtype)
            result.append(param)
        return result

    return build()


def gradient_sequences(
    like: Sequence[Parameter], min_steps: int = 1, max_steps: int = 20
) -> st.SearchStrategy[list[list[np.ndarray]]]:
    """For each step, one gradient per parameter of ``like`` (its shape and dtype), in [-1, 1]."""

    def build(steps_and_seed: tuple[int, int]) -> list[list[np.ndarray]]:
        steps, seed = steps_and_seed
        rng = np.random.default_rng(seed)
        return [
            [rng.uniform(-1.0, 1.0, p.shape).astype(p.dtype) for p in like] for _ in range(steps)
        ]

    return st.tuples(st.integers(min_steps, max_steps), _SEEDS).map(build)


# Ranges for the hyperparameter names of torch.optim and the course; a name not here gets
# values around its default, kept when the class's own validation accepts them.
_KNOWN: dict[str, st.SearchStrategy[Any]] = {
    "lr": st.floats(1e-4, 0.1),
    "betas": st.tuples(st.floats(0.0, 0.95), st.floats(0.5, 0.999)),
    "beta": st.floats(0.0, 0.95),
    "beta1": st.floats(0.0, 0.95),
    "beta2": st.floats(0.5, 0.999),
    "eps": st.floats(1e-8, 1e-3),
    "weight_decay": st.floats(0.0, 0.1),
    "momentum": st.floats(0.0, 0.95),
    "dampening": st.floats(0.0, 0.5),
    "alpha": st.floats(0.5, 0.99),
    "lr_decay": st.floats(0.0, 0.1),
    "initial_accumulator_value": st.floats(0.0, 1.0),
}


_PAIRS = {"betas"}  # the known names whose values are pairs
_EXECUTOR_FLAGS = ("foreach", "fused", "capturable", "differentiable")


def probe() -> Parameter:
    """A parameter every built-in accepts (Muon's are matrices)."""
    return Parameter(np.zeros((1, 1)))


def accepts(cls: Factory, hyper: Hyper) -> bool:
    try:
        cls([probe()], **hyper)
    except (ValueError, TypeError):
        return False
    return True


def hyperparameters(cls: Factory, **overrides: object) -> st.SearchStrategy[Hyper]:
    """Valid keyword arguments for ``cls`` (an Optimizer class), drawn from its signature.

    Every argument after ``params`` but the executor flags (``foreach``, ``fused``,
    ``capturable``, ``differentiable``) is drawn: booleans as booleans, known names
    (``lr``, ``betas``, ``eps``, ``momentum``, ...) from their usual ranges, other numbers
    from half to twice their default (positive integers as integers); combinations the class's
    validation refuses are discarded.
    ``overrides`` fix an argument (a value) or give its strategy.

    Examples
    --------
    >>> import optimizers
    >>> from optimizers.testing import hyperparameters
    >>> sorted(hyperparameters(optimizers.Momentum).example())
    ['beta', 'lr']
    """
    fields: dict[str, st.SearchStrategy[Any]] = {}
    for name, parameter in list(inspect.signature(cls).parameters.items())[1:]:
        if parameter.kind in (parameter.VAR_POSITIONAL, parameter.VAR_KEYWORD):
            continue
        if name in _EXECUTOR_FLAGS and name not in overrides:
            continue  # how a step runs, not the rule: the "executors agree" property's
        default = parameter.default
        if name in overrides:
            value = overrides[name]
            fields[name] = value if isinstance(value, st.SearchStrategy) else st.just(value)
        elif isinstance(default, bool):
            fields[name] = st.booleans()
        elif name in _KNOWN and isinstance(default, tuple) == (name in _PAIRS):
            fields[name] = _KNOWN[name]  # (a pair under a known scalar's name, as Adafactor's
            # eps, keeps its default)
        elif isinstance(default, int) and default > 0:  # a count (LBFGS's max_iter)
            fields[name] = st.integers(max(1, default // 2), 2 * default)
        elif isinstance(default, int | float):  # (an int 0 is a rate written as 0)
            low, high = sorted((0.5 * default, 2.0 * default or 1.0))
            fields[name] = st.floats(low, high)
    return st.fixed_dictionaries(fields).filter(lambda hyper: accepts(cls, hyper))


# ------------------------------------------------------------------------- properties
