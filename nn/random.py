"""The default random generator, and how every random thing in descend finds its generator.

Everything random (initialisers, Dropout, shuffling DataLoaders) takes ``generator=``: an
``np.random.Generator`` (used as is), a legacy ``np.random.RandomState`` or an int seed (a
fresh generator from that seed). Left out, it draws from the default generator, which
``manual_seed`` seeds and ``get_rng_state`` / ``set_rng_state`` save and restore. Same
seed, same bits. Unseeded, the default generator starts from PyTorch's default seed,
67280421310721, so that it is not the stream of ``np.random.default_rng(0)`` a script may
draw its data from.
"""

from __future__ import annotations

import copy
from typing import Any

import numpy as np

DEFAULT_SEED = 67280421310721  # PyTorch's default seed: not a small integer a user would pick
_default = np.random.Generator(np.random.PCG64(DEFAULT_SEED))

Generator = np.random.Generator


def manual_seed(seed: int) -> np.random.Generator:
    """Seed the default generator, as ``torch.manual_seed``; returns it.

    Examples
    --------
    >>> import nn
    >>> _ = nn.manual_seed(0); a = nn.Linear(2, 2).weight.detach().clone()
    >>> _ = nn.manual_seed(0); bool((nn.Linear(2, 2).weight == a).all())
    True
    """
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer):
        raise TypeError(f"seed must be an int, got {type(seed).__name__}")
    if seed < 0:
        raise ValueError(f"seed must be non-negative, got {seed}")
    _default.bit_generator.state = np.random.PCG64(int(seed)).state
    return _default


def seed() -> int:
    """Seed the default generator from the operating system's entropy; returns the seed.

    Examples
    --------
    >>> import nn
    >>> isinstance(nn.seed(), int)
    True
    """
    entropy = np.random.SeedSequence().entropy
    value = int(entropy if isinstance(entropy, int) else 0) % 2**63
    manual_seed(value)
    return value


def default_generator() -> np.random.Generator:
    """The generator used when no ``generator=`` is given."""
    return _default


def get_rng_state() -> dict[str, Any]:
    """A copy of the default generator's state (a plain dict that ``nn.save`` can store).

    Examples
    --------
    >>> import nn
    >>> state = nn.get_rng_state(); a = nn.Linear(2, 2).weight.detach().clone()
    >>> nn.set_rng_state(state); bool((nn.Linear(2, 2).weight == a).all())
    True
    """
    return copy.deepcopy(dict(_default.bit_generator.state))


def set_rng_state(state: dict[str, Any]) -> None:
    """Restore the default generator to a state from ``get_rng_state``.

    Examples
    --------
    >>> import nn
    >>> state = nn.get_rng_state(); nn.set_rng_state(state); nn.get_rng_state() == state
    True
    """
    if not isinstance(state, dict) or state.get("bit_generator") != "PCG64":
        raise ValueError(
            "set_rng_state expects a dict from nn.get_rng_state() (a PCG64 state), "
            f"got {type(state).__name__}"
        )
    try:
        _default.bit_generator.state = copy.deepcopy(state)
    except (TypeError, ValueError, KeyError) as error:
        raise ValueError(f"set_rng_state: not a valid PCG64 state ({error})") from None


def resolve_generator(generator: Any) -> Any:
    """``generator`` itself, a new generator from an int seed, or the default one for None.

    A legacy ``np.random.RandomState`` is used as is too: it has the same drawing methods,
    and it is how the course's code seeds (``np.random.seed(3)``), so passing
    ``np.random.RandomState(3)`` reproduces the course's numbers.
    """
    if generator is None:
        return _default
    if isinstance(generator, np.random.Generator | np.random.RandomState):
        return generator
    if isinstance(generator, int | np.integer) and not isinstance(generator, bool):
        return np.random.default_rng(int(generator))
    raise TypeError(
        "generator must be an np.random.Generator, an int seed or None, "
        f"got {type(generator).__name__}"
    )


def generator_state(generator: Any) -> dict[str, Any]:
    """A copy of ``generator``'s state as a plain dict (``nn.save`` stores it), for an
    ``np.random.Generator`` and a legacy ``np.random.RandomState`` alike."""
    if isinstance(generator, np.random.RandomState):
        return copy.deepcopy(dict(generator.get_state(legacy=False)))
    return copy.deepcopy(dict(generator.bit_generator.state))


def set_generator_state(generator: Any, state: dict[str, Any]) -> None:
    """Restore ``generator`` to a state from ``generator_state`` (raises ``ValueError`` for a
    state of another kind of generator, leaving it unchanged)."""
    expected = _kind(generator)
    if not isinstance(state, dict) or state.get("bit_generator") != expected:
        found = state.get("bit_generator") if isinstance(state, dict) else type(state).__name__
        raise ValueError(f"expected the state of a {expected} generator, got {found!r}")
    try:
        if isinstance(generator, np.random.RandomState):
            generator.set_state(copy.deepcopy(state))
        else:
            generator.bit_generator.state = copy.deepcopy(state)
    except (TypeError, ValueError, KeyError) as error:
        raise ValueError(f"not a valid {expected} state ({error})") from None


def _kind(generator: Any) -> str:
    if isinstance(generator, np.random.RandomState):
        return "MT19937"
    return str(generator.bit_generator.state["bit_generator"])
