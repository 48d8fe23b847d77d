"""Tensor sampling (a part of ``Tensor``): normal_, uniform_, bernoulli(_), multinomial,
exponential_, random_, cauchy_, log_normal_, geometric_, drawn from PyTorch's generator
(``nn/generator.py``): an ``nn.Generator`` seeded as a ``torch.Generator`` gives its numbers."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

import numpy as np

from .. import _dtype
from ..random import (
    draw_bernoulli,
    draw_cauchy,
    draw_exponential,
    draw_geometric,
    draw_integers,
    draw_log_normal,
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

    def cauchy_(
        self, median: float = 0.0, sigma: float = 1.0, *, generator: GeneratorLike | None = None
    ) -> Tensor:
        """Fill with Cauchy draws, median + sigma tan(pi (u - 1/2)) for u ~ U(0, 1), in place."""
        if not sigma > 0.0:
            raise RuntimeError(f"cauchy_ expects sigma > 0.0, but found sigma={sigma}")
        self._check_continuous("Cauchy")
        me = cast("Tensor", self)
        shape, dtype = self._data.shape, self._data.dtype
        return me._fill(draw_cauchy(generator, shape, dtype, median, sigma))

    def log_normal_(
        self, mean: float = 1.0, std: float = 2.0, *, generator: GeneratorLike | None = None
    ) -> Tensor:
        """Fill with exp(N(mean, std**2)) draws in place (``mean`` and ``std`` are the
        underlying normal's, as PyTorch's defaults 1 and 2)."""
        if not std > 0.0:
            raise RuntimeError(f"log_normal_ expects std > 0.0, but found std={std}")
        if self._data.dtype.kind != "f":
            name = _dtype.torch_name(self._data.dtype)
            raise NotImplementedError(f"\"log_normal_cpu\" not implemented for '{name}'")
        me = cast("Tensor", self)
        shape, dtype = self._data.shape, self._data.dtype
        return me._fill(draw_log_normal(generator, shape, dtype, mean, std))

    def geometric_(self, p: float, *, generator: GeneratorLike | None = None) -> Tensor:
        """Fill with the number of Bernoulli(p) trials up to the first success,
        ceil(log u / log(1 - p)), in place (integer dtypes too)."""
        if not 0.0 < p < 1.0:
            raise RuntimeError(f"geometric_ expects p to be in (0, 1), but got p={p}")
        me = cast("Tensor", self)
        return me._fill(draw_geometric(generator, self._data.shape, self._data.dtype, p))

    def _check_continuous(self, name: str) -> None:
        if self._data.dtype.kind != "f":
            raise RuntimeError(
                f"{name} distribution is a continuous probability distribution. dtype must be "
                f"a floating point but you specified {_dtype.torch_c_name(self._data.dtype)}"
            )
