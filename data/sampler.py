"""Samplers: the order in which a DataLoader visits the samples (as torch.utils.data)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sized
from typing import Any

import numpy as np

from nn.generator import Generator
from nn.random import (
    draw_integers,
    draw_multinomial,
    draw_permutation,
    draw_seed,
    resolve_generator,
)


class Sampler:
    """Yields sample indices; ``len`` is how many per epoch. Subclass it for your own order.

    Examples
    --------
    >>> from data import DataLoader, Sampler, TensorDataset
    >>> import numpy as np
    >>> class Backwards(Sampler):
    ...     def __init__(self, n):
    ...         self.n = n
    ...     def __iter__(self):
    ...         return iter(range(self.n - 1, -1, -1))
    ...     def __len__(self):
    ...         return self.n
    >>> [b[0].tolist() for b in DataLoader(TensorDataset(np.arange(3)), sampler=Backwards(3))]
    [[2], [1], [0]]
    """

    def __iter__(self) -> Iterator[int]:
        raise NotImplementedError

    def __len__(self) -> int:
        raise NotImplementedError


class SequentialSampler(Sampler):
    """0, 1, ..., n - 1.

    Examples
    --------
    >>> from data import SequentialSampler
    >>> list(SequentialSampler(range(3)))
    [0, 1, 2]
    """

    def __init__(self, data_source: Sized) -> None:
        self.data_source = data_source

    def epoch_order(self) -> np.ndarray:
        """The whole epoch's indices as one array."""
        return np.arange(len(self.data_source))

    def __iter__(self) -> Iterator[int]:
        return iter(range(len(self.data_source)))

    def __len__(self) -> int:
        return len(self.data_source)


class RandomSampler(Sampler):
    """A new random permutation every epoch (or ``num_samples`` draws with replacement).

    Parameters
    ----------
    data_source : sized
    replacement : bool
    num_samples : int, optional
        Default: ``len(data_source)``.
    generator : np.random.Generator or int, optional
        Drawn from at each epoch; an int seeds this sampler's own generator. Left out, the
        default generator (``nn.manual_seed``) is used.

    Examples
    --------
    >>> from data import RandomSampler
    >>> sorted(RandomSampler(range(5), generator=0))
    [0, 1, 2, 3, 4]
    """

    def __init__(
        self,
        data_source: Sized,
        replacement: bool = False,
        num_samples: int | None = None,
        generator: Any = None,
    ) -> None:
        if not isinstance(replacement, bool):
            raise TypeError(
                f"replacement should be a boolean value, but got replacement={replacement}"
            )
        if num_samples is not None and (
            isinstance(num_samples, bool) or not isinstance(num_samples, int) or num_samples <= 0
        ):
            raise ValueError(
                f"num_samples should be a positive integer value, but got num_samples={num_samples}"
            )
        self.data_source = data_source
        self.replacement = replacement
        self._num_samples = num_samples
        self.generator = None if generator is None else resolve_generator(generator)

    @property
    def num_samples(self) -> int:
        return len(self.data_source) if self._num_samples is None else self._num_samples

    def _draws(self) -> Iterator[np.ndarray]:
        """The next epoch's indices in the pieces PyTorch draws them, each when asked for:
        without a generator of its own, from a new ``nn.Generator`` seeded by a draw from
        the default one; with replacement, 32 at a time; without, whole permutations, then
        one more cut to what is left over."""
        rng = self.generator
        if rng is None:
            rng = Generator().manual_seed(draw_seed(None))
        n = len(self.data_source)
        if self.replacement:
            for _ in range(self.num_samples // 32):
                yield draw_integers(rng, 0, n, (32,), np.int64)
            yield draw_integers(rng, 0, n, (self.num_samples % 32,), np.int64)
            return
        for _ in range(self.num_samples // n):
            yield draw_permutation(rng, n)
        yield draw_permutation(rng, n)[: self.num_samples % n]

    def epoch_order(self) -> np.ndarray:
        """The next epoch's indices as one array (the draws of ``iter``, all at once)."""
        return np.concatenate(list(self._draws()))

    def __iter__(self) -> Iterator[int]:
        """The indices one by one, drawn a piece at a time (``num_samples=int(1e10)`` with
        replacement, minGPT's endless sampler, never holds more than 32)."""
        for piece in self._draws():
            yield from piece.tolist()

    def __len__(self) -> int:
        return self.num_samples


class SubsetRandomSampler(Sampler):
    """The given ``indices`` in a new random order every epoch (a train/validation split of
    one dataset).

    Examples
    --------
    >>> from data import SubsetRandomSampler
    >>> sorted(SubsetRandomSampler([7, 3, 5], generator=0))
    [3, 5, 7]
    """

    def __init__(self, indices: Iterable[int], generator: Any = None) -> None:
        self.indices = np.asarray(list(indices), dtype=np.intp)
        self.generator = None if generator is None else resolve_generator(generator)

    def epoch_order(self) -> np.ndarray:
        """The next epoch's indices as one array (draws from the generator)."""
        order: np.ndarray = self.indices[draw_permutation(self.generator, len(self))]
        return order

    def __iter__(self) -> Iterator[int]:
        return iter(self.epoch_order().tolist())

    def __len__(self) -> int:
        return len(self.indices)


class WeightedRandomSampler(Sampler):
    """``num_samples`` indices drawn with probabilities proportional to ``weights`` (with
    replacement by default), as PyTorch's: the usual answer to an imbalanced dataset.

    Examples
    --------
    >>> from data import WeightedRandomSampler
    >>> set(WeightedRandomSampler([0.0, 1.0, 0.0], num_samples=4, generator=0))
    {1}
    """

    def __init__(
        self,
        weights: Any,
        num_samples: int,
        replacement: bool = True,
        generator: Any = None,
    ) -> None:
        if isinstance(num_samples, bool) or not isinstance(num_samples, int) or num_samples <= 0:
            raise ValueError(
                f"num_samples should be a positive integer value, but got num_samples={num_samples}"
            )
        if not isinstance(replacement, bool):
            raise ValueError(
                f"replacement should be a boolean value, but got replacement={replacement}"
            )
        values = np.asarray(getattr(weights, "_data", weights), dtype=np.float64)
        if values.ndim != 1:
            raise ValueError(
                f"weights should be a 1d sequence but given weights have shape {values.shape}"
            )
        if np.any(values < 0) or not np.all(np.isfinite(values)):
            raise RuntimeError(
                "invalid multinomial distribution (encountering probability entry < 0)"
            )
        if not values.sum() > 0:
            raise RuntimeError("invalid multinomial distribution (sum of probabilities <= 0)")
        if not replacement and num_samples > len(values):
            raise RuntimeError(
                "cannot sample n_sample > prob_dist.size(-1) samples without replacement"
            )
        self.weights = values
        self.num_samples = num_samples
        self.replacement = replacement
        self.generator = None if generator is None else resolve_generator(generator)

    def epoch_order(self) -> np.ndarray:
        """The next epoch's indices as one array (draws from the generator)."""
        weights = np.asarray(self.weights, dtype=np.float64)  # (PyTorch's are float64 too)
        return np.asarray(
            draw_multinomial(self.generator, weights, self.num_samples, self.replacement)
        )

    def __iter__(self) -> Iterator[int]:
        return iter(self.epoch_order().tolist())

    def __len__(self) -> int:
        return self.num_samples


class BatchSampler:
    """Groups the indices of ``sampler`` into lists of ``batch_size``; the last may be smaller.

    (Not a ``Sampler`` subclass: it yields lists of indices, not indices.)

    Examples
    --------
    >>> from data import BatchSampler, SequentialSampler
    >>> list(BatchSampler(SequentialSampler(range(5)), batch_size=2, drop_last=False))
    [[0, 1], [2, 3], [4]]
    """

    def __init__(self, sampler: Iterable[int], batch_size: int, drop_last: bool) -> None:
        check_batch_size(batch_size)
        if not isinstance(drop_last, bool):
            raise ValueError(
                f"drop_last should be a boolean value, but got drop_last={drop_last!r}"
            )
        self.sampler = sampler
        self.batch_size = batch_size
        self.drop_last = drop_last

    def __iter__(self) -> Iterator[list[int]]:
        batch: list[int] = []
        for index in self.sampler:
            batch.append(int(index))
            if len(batch) == self.batch_size:
                yield batch
                batch = []
        if batch and not self.drop_last:
            yield batch

    def __len__(self) -> int:
        n = len(self.sampler)  # type: ignore[arg-type]
        return n // self.batch_size if self.drop_last else -(-n // self.batch_size)


def check_batch_size(batch_size: object) -> None:
    if (
        isinstance(batch_size, bool)
        or not isinstance(batch_size, int | np.integer)
        or batch_size <= 0
    ):
        raise ValueError(
            f"batch_size should be a positive integer value, but got batch_size={batch_size!r}"
        )
