"""Tensor sampling (a part of ``Tensor``): normal_, uniform_, bernoulli(_), multinomial,
exponential_, random_, drawn from PyTorch's generator (``nn/generator.py``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

import numpy as np

from .. import _dtype
from ..random import (
    draw_bernoulli,
    draw_exponential,
    draw_integers,
    draw_multinomial,
    draw_normal,
    draw_uniform,
)
from ..types import GeneratorLike
from .core import TensorCore

if TYPE_CHECKING:
    from ..tensor import Tensor


def _random_limit(dtype: np.dtype) -> int:
    """One past the largest value ``random_()`` draws for ``dtype``, as PyTorch."""
    if dtype.kind == "f":
        return int(2 ** (np.finfo(dtype).nmant + 1) + 1)
    if dtype.kind == "b":
        return 2
    return int(np.iinfo(dtype).max) + 1


class TensorSampling(TensorCore):
    """Sampling methods of ``Tensor``."""

    __slots__ = ()

    def normal_(
        self, mean: float = 0.0, std: float = 1.0, *, generator: GeneratorLike | None = None
    ) -> Tensor:
        """Fill with N(mean, std**2) draws in place (from ``generator`` or the default one)."""
        contiguous = bool(self._data.flags.c_contiguous)
        me = cast("Tensor", self)
        return me._fill(
            draw_normal(generator, self._data.shape, self._data.dtype, mean, std, contiguous)
        )

    def uniform_(
        self, a: float = 0.0, b: float = 1.0, *, generator: GeneratorLike | None = None
    ) -> Tensor:
        """Fill with U(a, b) draws in place."""
        me = cast("Tensor", self)
        return me._fill(draw_uniform(generator, self._data.shape, self._data.dtype, a, b))

    def bernoulli(self, p: Any = None, *, generator: GeneratorLike | None = None) -> Tensor:
        """0/1 draws, each 1 with the probability this Tensor holds (or ``p``), as
        ``torch.bernoulli``: a new Tensor of this dtype."""
        chance = self._data if p is None else float(p)
        if p is None and (np.any(chance < 0) or np.any(chance > 1)):
            raise RuntimeError("Expected p_in >= 0 && p_in <= 1 to be true, but got false.")
        draws = draw_bernoulli(generator, chance, self._data.shape, self._data.dtype)
        return TensorCore._make(draws)

    def multinomial(
        self, num_samples: int, replacement: bool = False, *, generator: GeneratorLike | None = None
    ) -> Tensor:
        """Indices drawn from each row (1-D or 2-D) in proportion to its values, as
        ``torch.multinomial`` (int64)."""
        probs = self._data
        if probs.ndim not in (1, 2):
            raise RuntimeError(f"prob_dist must be 1 or 2 dim, got {probs.ndim}")
        if probs.dtype.kind != "f":
            raise RuntimeError(
                f"multinomial only supports floating-point dtypes for input, got: "
                f"{_dtype.torch_name(probs.dtype)}"
            )
        if num_samples <= 0:
            raise RuntimeError("cannot sample n_sample <= 0 samples")
        if not replacement and num_samples > probs.shape[-1]:
            raise RuntimeError(
                "cannot sample n_sample > prob_dist.size(-1) samples without replacement"
            )
        if not np.all(np.isfinite(probs)) or np.any(probs < 0):
            raise RuntimeError("probability tensor contains either `inf`, `nan` or element < 0")
        if np.any(probs.reshape(-1, probs.shape[-1]).sum(axis=-1) <= 0):
            raise RuntimeError("invalid multinomial distribution (sum of probabilities <= 0)")
        drawn = draw_multinomial(generator, probs, num_samples, replacement)
        return TensorCore._make(np.asarray(drawn, dtype=np.int64))

    def bernoulli_(self, p: Any = 0.5, *, generator: GeneratorLike | None = None) -> Tensor:
        """Fill with 0/1 draws that are 1 with probability ``p``, in place."""
        chance = p._data if isinstance(p, TensorCore) else float(p)
        me = cast("Tensor", self)
        return me._fill(draw_bernoulli(generator, chance, self._data.shape, self._data.dtype))

    def exponential_(self, lambd: float = 1.0, *, generator: GeneratorLike | None = None) -> Tensor:
        me = cast("Tensor", self)
        return me._fill(draw_exponential(generator, self._data.shape, self._data.dtype, lambd))

    def random_(
        self, low: int = 0, high: int | None = None, *, generator: GeneratorLike | None = None
    ) -> Tensor:
        if high is None:  # (PyTorch's range: [0, 2**mantissa] for floats, [0, max] else)
            low, high = 0, low if low else _random_limit(self._data.dtype)
        me = cast("Tensor", self)
        return me._fill(draw_integers(generator, low, high, self._data.shape, self._data.dtype))
