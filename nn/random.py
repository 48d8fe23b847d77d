"""The default random generator, and how every random thing in descend draws.

The default generator is an ``nn.Generator`` (nn/generator.py): PyTorch's CPU generator, so
``nn.manual_seed(0)`` followed by ``nn.randn``, ``nn.Linear(...)``'s initialisation,
``nn.rand``, ``randint``, ``randperm``, ``multinomial`` or dropout gives PyTorch's numbers
for the same seed. Unseeded, it starts from PyTorch's default seed, 67280421310721.

Everything random takes ``generator=``: an ``nn.Generator``; or, as before, an
``np.random.Generator``, a legacy ``np.random.RandomState`` (how the course's code seeds:
``np.random.RandomState(3)`` reproduces its numbers) or an int seed (a fresh NumPy generator),
which draw with NumPy's methods. The ``draw_*`` functions below are the one place where a
draw is made, for either kind.
"""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any

import numpy as np

from .generator import DEFAULT_SEED, Generator
from .types import DTypeLike, GeneratorLike

if TYPE_CHECKING:
    from .tensor import Tensor

_default = Generator()


def manual_seed(seed: int) -> Generator:
    """Seed the default generator, as ``torch.manual_seed``; returns it.

    Examples
    --------
    >>> import nn
    >>> _ = nn.manual_seed(0); a = nn.Linear(2, 2).weight.detach().clone()
    >>> _ = nn.manual_seed(0); bool((nn.Linear(2, 2).weight == a).all())
    True
    >>> _ = nn.manual_seed(0); nn.rand(2)  # PyTorch's numbers for seed 0
    tensor([0.4963, 0.7682])
    """
    return _default.manual_seed(seed)


def seed() -> int:
    """Seed the default generator from the operating system's entropy; returns the seed.

    Examples
    --------
    >>> import nn
    >>> isinstance(nn.seed(), int)
    True
    """
    return _default.seed()


def initial_seed() -> int:
    """The seed the default generator was last seeded with."""
    return _default.initial_seed()


def default_generator() -> Generator:
    """The generator used when no ``generator=`` is given."""
    return _default


def get_rng_state() -> Tensor:
    """A copy of the default generator's state, a uint8 Tensor (as PyTorch's).

    Examples
    --------
    >>> import nn
    >>> state = nn.get_rng_state(); a = nn.Linear(2, 2).weight.detach().clone()
    >>> nn.set_rng_state(state); bool((nn.Linear(2, 2).weight == a).all())
    True
    """
    return _default.get_state()


def set_rng_state(new_state: object) -> None:
    """Restore the default generator to a state from ``get_rng_state``."""
    _default.set_state(new_state)


Rng = Generator | np.random.Generator | np.random.RandomState
"""Where draws come from, resolved: PyTorch's streams, or a NumPy generator."""


def resolve_generator(generator: GeneratorLike | None) -> Rng:
    """``generator`` itself, a new NumPy generator from an int seed, or the default one for
    None."""
    if generator is None:
        return _default
    if isinstance(generator, Generator | np.random.Generator | np.random.RandomState):
        return generator
    if isinstance(generator, int | np.integer) and not isinstance(generator, bool):
        return np.random.default_rng(int(generator))
    raise TypeError(
        "generator must be an nn.Generator, an np.random.Generator, an int seed or None, "
        f"got {type(generator).__name__}"
    )


def numpy_generator(generator: GeneratorLike) -> np.random.Generator | np.random.RandomState:
    """A NumPy generator for code that needs NumPy's methods (the synthetic datasets): a
    NumPy one as it is; from an ``nn.Generator``, a new one seeded by one of its draws."""
    rng = resolve_generator(generator)
    if isinstance(rng, Generator):
        return np.random.default_rng(int(rng.integers(0, 2**62, (1,), np.int64)[0]))
    return rng


# ------------------------------------------------------------------------------ draws
def draw_uniform(
    generator: GeneratorLike | None,
    shape: tuple[int, ...],
    dtype: DTypeLike,
    low: float = 0.0,
    high: float = 1.0,
) -> np.ndarray:
    """U(low, high) of ``dtype`` (PyTorch's ``uniform_`` for an ``nn.Generator``)."""
    rng = resolve_generator(generator)
    if isinstance(rng, Generator):
        return rng.uniform(shape, dtype, low, high)
    return np.asarray(rng.uniform(low, high, shape), dtype=dtype)


def draw_slopes(generator: GeneratorLike | None, count: int, low: float, high: float) -> np.ndarray:
    """``count`` float64 draws u (high - low) + low, u a uniform in [0, 1), rounded twice
    (PyTorch's ``rrelu`` computes them so: its ``uniform_`` rounds once)."""
    rng = resolve_generator(generator)
    if isinstance(rng, Generator):
        units = rng._unit(count, np.dtype(np.float64))
    else:
        units = rng.random(count)
    return np.asarray(units * (high - low) + low)


def draw_normal(
    generator: GeneratorLike | None,
    shape: tuple[int, ...],
    dtype: DTypeLike,
    mean: float = 0.0,
    std: float = 1.0,
    contiguous: bool = True,
) -> np.ndarray:
    """N(mean, std**2) of ``dtype`` (PyTorch's ``normal_`` for an ``nn.Generator``; its
    algorithm depends on whether the Tensor filled is ``contiguous``)."""
    rng = resolve_generator(generator)
    if isinstance(rng, Generator):
        return rng.normal(shape, dtype, mean, std, contiguous)
    return np.asarray(mean + std * rng.standard_normal(shape), dtype=dtype)


def draw_integers(
    generator: GeneratorLike | None, low: int, high: int, shape: tuple[int, ...], dtype: DTypeLike
) -> np.ndarray:
    """Integers in [low, high) (PyTorch's ``random_(low, high)`` for an ``nn.Generator``)."""
    rng = resolve_generator(generator)
    if isinstance(rng, Generator):
        return rng.integers(low, high, shape, dtype)
    if isinstance(rng, np.random.RandomState):
        return np.asarray(rng.randint(low, high, shape), dtype=dtype)
    return np.asarray(rng.integers(low, high, shape), dtype=dtype)


def draw_permutation(generator: GeneratorLike | None, n: int) -> np.ndarray:
    """A permutation of range(n) (PyTorch's ``randperm`` for an ``nn.Generator``)."""
    rng = resolve_generator(generator)
    if isinstance(rng, Generator):
        return rng.permutation(n)
    return np.asarray(rng.permutation(n), dtype=np.int64)


def draw_bernoulli(
    generator: GeneratorLike | None, p: float | np.ndarray, shape: tuple[int, ...], dtype: DTypeLike
) -> np.ndarray:
    """1 with probability ``p`` (a number, or an array broadcast to ``shape``), else 0."""
    rng = resolve_generator(generator)
    if isinstance(rng, Generator):
        return rng.bernoulli(p, shape, dtype)
    return np.asarray(rng.random(shape) < p, dtype=dtype)


def draw_exponential(
    generator: GeneratorLike | None, shape: tuple[int, ...], dtype: DTypeLike, lambd: float
) -> np.ndarray:
    """Exponential draws of rate ``lambd``."""
    rng = resolve_generator(generator)
    if isinstance(rng, Generator):
        return rng.exponential(shape, dtype, lambd)
    return np.asarray(rng.exponential(1.0 / lambd, shape), dtype=dtype)


def draw_cauchy(
    generator: GeneratorLike | None,
    shape: tuple[int, ...],
    dtype: np.dtype,
    median: float,
    sigma: float,
) -> np.ndarray:
    """Cauchy draws centred on ``median`` with half-width ``sigma``."""
    rng = resolve_generator(generator)
    if isinstance(rng, Generator):
        return rng.cauchy(shape, dtype, median, sigma)
    return np.asarray(median + sigma * rng.standard_cauchy(shape), dtype=dtype)


def draw_log_normal(
    generator: GeneratorLike | None,
    shape: tuple[int, ...],
    dtype: np.dtype,
    mean: float,
    std: float,
) -> np.ndarray:
    """exp of normal draws with ``mean`` and ``std``."""
    rng = resolve_generator(generator)
    if isinstance(rng, Generator):
        return rng.log_normal(shape, dtype, mean, std)
    return np.asarray(rng.lognormal(mean, std, shape), dtype=dtype)


def draw_geometric(
    generator: GeneratorLike | None, shape: tuple[int, ...], dtype: np.dtype, p: float
) -> np.ndarray:
    """The number of Bernoulli(``p``) trials up to the first success (1, 2, ...)."""
    rng = resolve_generator(generator)
    if isinstance(rng, Generator):
        return rng.geometric(shape, dtype, p)
    return np.asarray(rng.geometric(p, shape), dtype=dtype)


def draw_multinomial(
    generator: GeneratorLike | None, probs: np.ndarray, samples: int, replacement: bool
) -> np.ndarray:
    """Indices drawn from each row of ``probs`` in proportion to its values (PyTorch's
    ``multinomial`` for an ``nn.Generator``; NumPy's choice or exponential keys else)."""
    rng = resolve_generator(generator)
    if isinstance(rng, Generator):
        return rng.multinomial(probs, samples, replacement)
    rows = probs.reshape(-1, probs.shape[-1]).astype(np.float64)
    out = np.empty((rows.shape[0], samples), dtype=np.int64)
    for r, row in enumerate(rows):
        if replacement:
            out[r] = rng.choice(row.size, size=samples, p=row / row.sum())
        else:  # the smallest exponential keys over the weights
            with np.errstate(divide="ignore"):
                keys = rng.exponential(size=row.size) / row
            out[r] = np.argsort(keys, kind="stable")[:samples]
    return out.reshape((*probs.shape[:-1], samples))


def draw_seed(generator: GeneratorLike | None) -> int:
    """A 63-bit seed drawn as PyTorch's ``torch.empty((), dtype=torch.int64).random_()``
    draws one (how its DataLoader seeds an epoch)."""
    rng = resolve_generator(generator)
    if isinstance(rng, Generator):
        return int(rng._random64(1)[0] % np.uint64(2**63))
    return int(draw_integers(rng, 0, 2**62, (1,), np.int64)[0])


# ----------------------------------------------------------------------------- states
def generator_state(generator: Rng) -> dict[str, Any]:
    """A copy of ``generator``'s state as a plain dict (``nn.save`` stores it), for every
    kind of generator."""
    if isinstance(generator, Generator):
        return {"bit_generator": "nn.Generator", "state": generator.get_state()._data.copy()}
    if isinstance(generator, np.random.RandomState):
        return copy.deepcopy(dict(generator.get_state(legacy=False)))
    return copy.deepcopy(dict(generator.bit_generator.state))


def set_generator_state(generator: Rng, state: dict[str, Any]) -> None:
    """Restore ``generator`` to a state from ``generator_state`` (raises ``ValueError`` for a
    state of another kind of generator, leaving it unchanged)."""
    expected = _kind(generator)
    if not isinstance(state, dict) or state.get("bit_generator") != expected:
        found = state.get("bit_generator") if isinstance(state, dict) else type(state).__name__
        raise ValueError(f"expected the state of a {expected} generator, got {found!r}")
    try:
        if isinstance(generator, Generator):
            generator.set_state(np.asarray(state["state"], dtype=np.uint8))
        elif isinstance(generator, np.random.RandomState):
            generator.set_state(copy.deepcopy(state))
        else:
            generator.bit_generator.state = copy.deepcopy(state)
    except (TypeError, ValueError, KeyError, RuntimeError) as error:
        raise ValueError(f"not a valid {expected} state ({error})") from None


def _kind(generator: Rng) -> str:
    if isinstance(generator, Generator):
        return "nn.Generator"
    if isinstance(generator, np.random.RandomState):
        return "MT19937"
    return str(generator.bit_generator.state["bit_generator"])


__all__ = ["DEFAULT_SEED", "Generator", "default_generator", "manual_seed", "seed"]
