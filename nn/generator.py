"""``nn.Generator``: PyTorch's CPU random generator, so that a seed gives PyTorch's numbers.

PyTorch draws on the CPU from a Mersenne Twister (mt19937) seeded with the standard
``init_genrand`` (the seed's low 32 bits), and turns its 32-bit outputs into numbers its own
way. NumPy's ``MT19937`` bit generator makes the same 32-bit stream; this module adds
PyTorch's transformations (``aten/src/ATen/core/TransformationHelper.h`` and the CPU kernels
in ``DistributionTemplates.h``), each held against PyTorch in tests/nn/test_generator.py:

- uniform: float32 from one 32-bit draw, ``(bits & (2**24 - 1)) * 2**-24``; float64 from one
  64-bit draw (two 32-bit ones, the first the high half), 53 bits; then
  ``u * (high - low) + low`` rounded once (a fused multiply-add, as PyTorch's kernel);
- normal, fewer than 16 values: Box-Muller in float64 on two uniforms, ``r cos(theta)``
  returned and ``r sin(theta)`` kept for the next call (PyTorch caches it in the generator);
  16 or more: uniforms for all, then Box-Muller on each block of 16 (values i and i + 8),
  the last block redrawn when the size is not a multiple of 16;
- integers in [low, high): a 32-bit draw modulo the range (a 64-bit one from 2**32);
- permutations: Fisher-Yates from the front, ``swap(i, i + bits % (n - i))``;
- exponential, bernoulli, multinomial: float64 uniforms (bernoulli of float32
  probabilities: float32 uniforms); multinomial draws one sample as the largest
  ``p / exponential`` and several with replacement by inverting the cumulative sum.

Same bits, same values: float64 normals of 16 or more and float32 normals differ from
PyTorch's in the last bit or two at most (PyTorch's vectorised log, sin and cos are its own
polynomials); everything else is bit for bit (docs/decisions.md).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import numpy as np

from .rules import fused_multiply_add
from .types import DTypeLike

if TYPE_CHECKING:
    from .tensor import Tensor

DEFAULT_SEED = 67280421310721  # PyTorch's default seed
_STATE_WORDS = 624
_U24 = np.uint32((1 << 24) - 1)
_U53 = np.uint64((1 << 53) - 1)


def _init_genrand(seed: int) -> np.ndarray:
    """The standard mt19937 initialisation from a 32-bit seed (PyTorch's and NumPy's)."""
    key = np.empty(_STATE_WORDS, dtype=np.uint32)
    value = seed & 0xFFFFFFFF
    for i in range(_STATE_WORDS):
        key[i] = value
        value = (1812433253 * (value ^ (value >> 30)) + i + 1) & 0xFFFFFFFF
    return key


class Generator:
    """PyTorch's CPU generator: ``nn.Generator().manual_seed(2147483647)`` then
    ``nn.randn(3, generator=g)`` gives ``torch.randn``'s numbers for the same seed.

    Examples
    --------
    >>> import nn
    >>> g = nn.Generator().manual_seed(42)
    >>> nn.rand(3, generator=g)
    tensor([0.8823, 0.9150, 0.3829])
    """

    def __init__(self, device: Any = "cpu") -> None:
        from .device import check_device

        check_device(device)
        self._bits = np.random.MT19937(0)
        self._normal: float | None = None  # the second Box-Muller value, kept for the next
        self._seed = DEFAULT_SEED
        self.manual_seed(DEFAULT_SEED)

    # ------------------------------------------------------------------ seeding
    @property
    def device(self) -> Any:
        from .device import device

        return device("cpu")

    def manual_seed(self, seed: int) -> Generator:
        """Seed it (PyTorch's mt19937 takes the seed's low 32 bits); returns itself."""
        if isinstance(seed, bool) or not isinstance(seed, int | np.integer):
            raise TypeError(f"seed must be an int, got {type(seed).__name__}")
        if not -(2**63) <= int(seed) < 2**64:  # (PyTorch's range; a negative one wraps)
            raise ValueError(f"Overflow when unpacking long long: seed {int(seed)}")
        self._seed = int(seed) % 2**64
        state = self._bits.state
        state["state"] = {"key": _init_genrand(self._seed), "pos": _STATE_WORDS}
        self._bits.state = state
        self._normal = None
        return self

    def seed(self) -> int:
        """Seed it from the operating system's entropy; returns the seed."""
        entropy = np.random.SeedSequence().entropy
        value = int(entropy if isinstance(entropy, int) else 0) % 2**63
        self.manual_seed(value)
        return value

    def initial_seed(self) -> int:
        return self._seed

    def get_state(self) -> Tensor:
        """Its state as a uint8 Tensor (``set_state`` takes it back): the mt19937 words and
        position, the seed and the kept normal value. (PyTorch's bytes are laid out
        otherwise: a state moves between descend generators, not to PyTorch.)"""
        from .tensor import Tensor

        inner = self._bits.state["state"]
        words = np.asarray(inner["key"], dtype="<u4").view(np.uint8)
        header = np.array([inner["pos"], self._seed], dtype="<u8").view(np.uint8)
        kept = np.array([np.nan if self._normal is None else self._normal], "<f8").view(np.uint8)
        return Tensor._make(np.concatenate([words, header, kept]))

    def set_state(self, new_state: object) -> Generator:
        data = getattr(new_state, "_data", new_state)
        if not isinstance(data, np.ndarray) or data.dtype != np.uint8:
            raise TypeError(
                "RNG state must be a uint8 Tensor from get_rng_state() or "
                f"Generator.get_state(), got {type(new_state).__name__}"
            )
        size = _STATE_WORDS * 4 + 24
        if data.shape != (size,):
            raise RuntimeError(
                f"Expected a generator state of {size} bytes (from Generator.get_state()), "
                f"got {data.size}"
            )
        key = data[: _STATE_WORDS * 4].view("<u4").astype(np.uint32)
        position, seed = data[_STATE_WORDS * 4 : -8].view("<u8")
        if not 0 < int(position) <= _STATE_WORDS:
            raise RuntimeError(f"Generator.set_state: invalid position {int(position)}")
        state = self._bits.state
        state["state"] = {"key": key, "pos": int(position)}
        self._bits.state = state
        self._seed = int(seed)
        kept = float(data[-8:].view("<f8")[0])
        self._normal = None if math.isnan(kept) else kept
        return self

    def __repr__(self) -> str:
        return f"<nn.Generator object, seed {self._seed}>"

    # --------------------------------------------------------------------- bits
    def _random32(self, count: int) -> np.ndarray:
        return np.asarray(self._bits.random_raw(count), dtype=np.uint64)

    def _random64(self, count: int) -> np.ndarray:
        raw = self._random32(2 * count)
        return np.asarray((raw[0::2] << np.uint64(32)) | raw[1::2])

    def _unit(self, count: int, dtype: np.dtype) -> np.ndarray:
        """``count`` uniforms in [0, 1) of ``dtype`` (float32: 24 bits, else 53)."""
        if dtype == np.float32:
            bits = (self._random32(count) & _U24).astype(np.float32)
            return np.asarray(bits * np.float32(2.0**-24))
        return np.asarray((self._random64(count) & _U53).astype(np.float64) * 2.0**-53)

    # ------------------------------------------------------------ distributions
    def uniform(
        self, shape: tuple[int, ...], dtype: DTypeLike, low: float, high: float
    ) -> np.ndarray:
        dtype = np.dtype(dtype)
        kind = np.float32 if dtype == np.float32 else np.float64
        count = math.prod(shape)
        width = np.asarray(kind(high) - kind(low), dtype=kind)
        values = fused_multiply_add(self._unit(count, np.dtype(kind)), width, kind(low))
        return np.asarray(values, dtype=dtype).reshape(shape)

    def normal(
        self,
        shape: tuple[int, ...],
        dtype: Any,
        mean: float = 0.0,
        std: float = 1.0,
        contiguous: bool = True,
    ) -> np.ndarray:
        dtype = np.dtype(dtype)
        count = math.prod(shape)
        if count < 16 or not contiguous:
            values = np.array([self._one_normal() for _ in range(count)], dtype=np.float64)
            scaled = fused_multiply_add(values, np.float64(std), np.float64(mean))
            return np.asarray(scaled, dtype=dtype).reshape(shape)
        kind = np.dtype(np.float32 if dtype == np.float32 else np.float64)
        data = self._unit(count, kind)
        blocks = count // 16
        _box_muller_16(data[: blocks * 16].reshape(blocks, 16))
        if count % 16:
            tail = self._unit(16, kind).reshape(1, 16)
            _box_muller_16(tail)
            data[-16:] = tail[0]
        scaled = fused_multiply_add(data, np.asarray(std, kind), np.asarray(mean, kind))
        return np.asarray(scaled, dtype=dtype).reshape(shape)

    def _one_normal(self) -> float:
        """PyTorch's ``normal_distribution<double>``: one value, the other kept."""
        if self._normal is not None:
            value, self._normal = self._normal, None
            return value
        u1, u2 = (float(u) for u in self._unit(2, np.dtype(np.float64)))
        radius = math.sqrt(-2.0 * math.log1p(-u2))
        theta = 2.0 * math.pi * u1
        self._normal = radius * math.sin(theta)
        return radius * math.cos(theta)

    def integers(self, low: int, high: int, shape: tuple[int, ...], dtype: DTypeLike) -> np.ndarray:
        span = high - low
        count = math.prod(shape)
        bits = self._random64(count) if span >= 2**32 else self._random32(count)
        values = (bits % np.uint64(span)).astype(np.int64) + low
        return np.asarray(values.astype(dtype).reshape(shape))

    def permutation(self, n: int) -> np.ndarray:
        order = np.arange(n, dtype=np.int64)
        if n < 2:
            return order
        spans = np.arange(n, 1, -1, dtype=np.uint64)
        bits = self._random64(n - 1) if n >= 2**32 else self._random32(n - 1)
        targets = (bits % spans).astype(np.int64) + np.arange(n - 1)
        kernel = _swap_kernel() if n > _SWAPS_IN_PYTHON else None
        if kernel is not None:
            kernel(order, targets)
            return order
        swapped = order.tolist()
        for i, j in enumerate(targets.tolist()):
            swapped[i], swapped[j] = swapped[j], swapped[i]
        return np.asarray(swapped, dtype=np.int64)

    def exponential(self, shape: tuple[int, ...], dtype: DTypeLike, lambd: float) -> np.ndarray:
        units = self._unit(math.prod(shape), np.dtype(np.float64))
        values = np.array([-1.0 / lambd * math.log1p(-u) for u in units.tolist()])
        return np.asarray(values.astype(dtype).reshape(shape))

    def cauchy(
        self, shape: tuple[int, ...], dtype: np.dtype, median: float, sigma: float
    ) -> np.ndarray:
        """median + sigma tan(pi (u - 1/2)), u a float64 uniform per element."""
        units = self._unit(math.prod(shape), np.dtype(np.float64))
        # (libm's tan, as PyTorch's, and one rounding for median + sigma * tan)
        tangents = np.array([math.tan(math.pi * (u - 0.5)) for u in units.tolist()], np.float64)
        values = fused_multiply_add(tangents, np.float64(sigma), np.float64(median))
        return np.asarray(values).astype(dtype).reshape(shape)

    def log_normal(
        self, shape: tuple[int, ...], dtype: np.dtype, mean: float, std: float
    ) -> np.ndarray:
        """exp(N(mean, std**2)), one float64 normal per element (pairs shared as ``normal``'s
        small draws share them)."""
        normals = np.array([self._one_normal() for _ in range(math.prod(shape))], np.float64)
        scaled = fused_multiply_add(normals, np.float64(std), np.float64(mean))
        # (libm's exp, as PyTorch's: NumPy's differs in the last bit)
        values = np.array([math.exp(v) for v in np.asarray(scaled).tolist()], np.float64)
        return values.astype(dtype).reshape(shape)

    def geometric(self, shape: tuple[int, ...], dtype: np.dtype, p: float) -> np.ndarray:
        """ceil(log(u) / log(1 - p)): the number of Bernoulli(p) trials up to the first
        success, u a float64 uniform per element."""
        units = self._unit(math.prod(shape), np.dtype(np.float64))
        with np.errstate(divide="ignore"):
            trials = np.ceil(np.log(units) / np.log1p(-p))
        return np.asarray(trials).astype(dtype).reshape(shape)

    def bernoulli(self, p: object, shape: tuple[int, ...], dtype: DTypeLike) -> np.ndarray:
        """1 where a uniform is below ``p`` (a number: float64 uniforms; an array of
        probabilities, broadcast to ``shape``: uniforms of its dtype)."""
        count = math.prod(shape)
        if isinstance(p, np.ndarray):
            kind = np.dtype(np.float32 if p.dtype == np.float32 else np.float64)
            units = self._unit(count, kind).reshape(shape)
            return (units < np.broadcast_to(p, shape)).astype(dtype)
        units = self._unit(count, np.dtype(np.float64)).reshape(shape)
        return np.asarray(units < p, dtype=dtype)

    def multinomial(self, probs: np.ndarray, samples: int, replacement: bool) -> np.ndarray:
        """Indices drawn from each row of ``probs`` (1-D or 2-D), as PyTorch's kernel."""
        rows = probs.reshape(-1, probs.shape[-1])
        if replacement and samples > 1:
            out = np.empty((rows.shape[0], samples), dtype=np.int64)
            for r, row in enumerate(rows):
                cumulative = np.cumsum(row, dtype=np.float64)
                cumulative /= cumulative[-1]
                units = self._unit(samples, np.dtype(np.float64))
                out[r] = np.minimum(np.searchsorted(cumulative, units, side="right"), row.size - 1)
        else:
            noise = self.exponential(rows.shape, rows.dtype, 1.0)
            with np.errstate(divide="ignore", invalid="ignore"):
                keys = rows / noise
            if samples == 1:
                out = np.argmax(keys, axis=1)[:, None]
            else:
                out = np.argsort(-keys, axis=1, kind="stable")[:, :samples]
        return out.reshape((*probs.shape[:-1], samples))


_SWAPS_IN_PYTHON = 4096  # (above, a compiled loop wins: 60k swaps take 10 ms in Python)
_swap: list[Any] = []


def _swap_kernel() -> Any:
    """Fisher-Yates's swaps compiled by numba (the ``fast`` extra), or None without it: the
    swaps depend on each other, so NumPy cannot do them at once."""
    if not _swap:
        try:
            import numba
        except ImportError:
            _swap.append(None)
        else:

            def swaps(order: np.ndarray, targets: np.ndarray) -> None:
                for i in range(targets.size):
                    j = targets[i]
                    order[i], order[j] = order[j], order[i]

            _swap.append(numba.njit(cache=True)(swaps))
    return _swap[0]


def _box_muller_16(blocks: np.ndarray) -> None:
    """PyTorch's ``normal_fill_16`` on each row of 16 uniforms, in place: values j and j + 8
    become r cos(theta) and r sin(theta), r = sqrt(-2 log(1 - u_j)), theta = 2 pi u_(j+8)."""
    wide = blocks.astype(np.float64)
    radius = np.sqrt(-2.0 * np.log(1.0 - wide[:, :8]))
    theta = 2.0 * math.pi * wide[:, 8:]
    blocks[:, :8] = radius * np.cos(theta)
    blocks[:, 8:] = radius * np.sin(theta)
