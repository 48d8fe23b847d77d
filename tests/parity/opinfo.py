"""The table of the differential op harness (PyTorch's own test suite calls this an OpInfo
database): one entry per public name of descend's Tensor, ``nn`` and ``nn.functional``, each
with a call written once for both frameworks and a sampler that draws its inputs
(tests/parity/samples.py). ``EXEMPT`` lists the public names that are not ops (attributes,
conversions to Python, randomness, I/O), each with where it is tested instead; the coverage
test fails for a public name in neither.

The entries are made by families (tests/parity/ops_*.py): elementwise, reductions, shapes,
indexing, and the rest.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from tests.parity.samples import Sample

Call = Callable[..., Any]
Sampler = Callable[[Any], Sample]


@dataclass(frozen=True)
class OpInfo:
    """One public name: ``call(T, F, *args, **kwargs)`` and a ``sampler(data)``; ``rtol``
    for values (0: bit for bit), ``grad_rtol`` for gradients; ``stale`` whether to check
    which saved values backward refuses after an in-place change; ``known(sample)`` names
    the docs/decisions.md entry of a deliberate difference on that sample (such samples are
    not compared)."""

    name: str
    call: Call
    sampler: Sampler
    rtol: float = 0.0
    grad_rtol: float = 1e-6
    stale: bool = True
    known: Callable[[Sample], str | None] = lambda sample: None  # a deliberate difference


def table(*families: list[OpInfo]) -> dict[str, OpInfo]:
    ops: dict[str, OpInfo] = {}
    for family in families:
        for op in family:
            if op.name in ops:
                raise ValueError(f"{op.name} is in the table twice")
            ops[op.name] = op
    return ops
