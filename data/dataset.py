"""Datasets: the Dataset protocol, TensorDataset, Subset and random_split (as torch.utils.data)."""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Iterator, Sequence, Sized
from typing import Any, cast

import numpy as np

from nn._errors import SizeMismatchError
from nn.random import draw_permutation
from nn.tensor import Tensor
from nn.types import GeneratorLike, InputLike


class Dataset:
    """A map-style dataset: ``dataset[i]`` is sample i, ``len(dataset)`` the number of samples.

    Subclass it and write ``__getitem__`` and ``__len__``.

    Examples
    --------
    >>> from data import DataLoader, Dataset
    >>> class Squares(Dataset):
    ...     def __len__(self):
    ...         return 4
    ...     def __getitem__(self, i):
    ...         return float(i * i)
    >>> [batch.tolist() for batch in DataLoader(Squares(), batch_size=2)]
    [[0.0, 1.0], [4.0, 9.0]]
    """

    def __getitem__(self, index: Any) -> Any:
        raise NotImplementedError(f"{type(self).__name__} must implement __getitem__")

    def __len__(self) -> int:
        raise NotImplementedError(f"{type(self).__name__} must implement __len__")


class IterableDataset:
    """A dataset that is a stream of samples: subclass it and write ``__iter__`` (a
    ``DataLoader`` batches what it yields, in order; ``shuffle`` and samplers do not
    apply). ``a + b`` chains two streams.

    Examples
    --------
    >>> from data import DataLoader, IterableDataset
    >>> class Counting(IterableDataset):
    ...     def __iter__(self):
    ...         return iter(range(5))
    >>> [batch.tolist() for batch in DataLoader(Counting(), batch_size=2)]
    [[0, 1], [2, 3], [4]]
    """

    def __iter__(self) -> Iterator[object]:
        raise NotImplementedError(f"{type(self).__name__} must define __iter__")

    def __add__(self, other: IterableDataset) -> ChainDataset:
        return ChainDataset([self, other])


class ChainDataset(IterableDataset):
    """The samples of several iterable datasets, one after the other."""

    def __init__(self, datasets: Iterable[IterableDataset]) -> None:
        self.datasets = datasets

    def __iter__(self) -> Iterator[object]:
        for dataset in self.datasets:
            if not isinstance(dataset, IterableDataset):
                raise AssertionError("ChainDataset only supports IterableDataset")
            yield from dataset

    def __len__(self) -> int:
        return sum(len(cast(Sized, dataset)) for dataset in self.datasets)


class TensorDataset(Dataset):
    """Samples are rows: sample i is ``(arrays[0][i], arrays[1][i], ...)``.

    Parameters
    ----------
    *arrays : ndarrays, nn.Tensors or nested lists
        At least one, all with the same length on axis 0 (examples are rows, as in
        PyTorch; the course's column layout is ``X.T``). ndarrays are used as they are (not
        copied); batches of Tensors come back as Tensors.

    Raises
    ------
    ValueError
        If the lengths on axis 0 differ (the message names them) or no array is given.

    Examples
    --------
    >>> import numpy as np
    >>> from data import TensorDataset
    >>> ds = TensorDataset(np.arange(6).reshape(3, 2), np.array([0, 1, 0]))
    >>> len(ds), ds[1]
    (3, (array([2, 3]), np.int64(1)))
    """

    getitems_is_batch = True  # __getitems__ returns a collated batch: DataLoader uses it as is

    def __init__(self, *arrays: Any) -> None:
        if not arrays:
            raise ValueError("TensorDataset needs at least one array")
        self._as_tensor = [isinstance(a, Tensor) for a in arrays]
        self.arrays: tuple[np.ndarray, ...] = tuple(_as_rows(a, i) for i, a in enumerate(arrays))
        lengths = [len(a) for a in self.arrays]
        if len(set(lengths)) != 1:
            described = ", ".join(f"array {i} has {n} rows" for i, n in enumerate(lengths))
            columns = {a.shape[-1] if a.ndim > 1 else None for a in self.arrays}
            course = len(columns) == 1 and None not in columns  # (features x examples each)
            hint = (
                ". Examples go in rows: data in the course's layout (features x examples, "
                "X.shape == (2, 300)) is X.T, Y.T"
                if course
                else ""
            )
            raise SizeMismatchError(f"Size mismatch between tensors: {described}{hint}")

    @property
    def tensors(self) -> tuple[Any, ...]:
        """The arrays, as PyTorch's attribute name."""
        return self.arrays

    def __len__(self) -> int:
        return len(self.arrays[0])

    def __getitem__(self, index: Any) -> tuple[Any, ...]:
        return self._wrap(tuple(a[index] for a in self.arrays))

    def __getitems__(self, indices: InputLike) -> tuple[Any, ...]:
        """A whole batch at once: one ``np.take`` per array."""
        indices = np.asarray(indices, dtype=np.intp)
        return self._wrap(tuple(np.take(a, indices, axis=0) for a in self.arrays))

    def _wrap(self, parts: tuple[object, ...]) -> tuple[Any, ...]:
        if not any(self._as_tensor):
            return parts
        return tuple(
            Tensor._make(np.asarray(p)) if wrap else p
            for p, wrap in zip(parts, self._as_tensor, strict=True)
        )


def _as_rows(array: object, position: int) -> np.ndarray:
    data = array._data if isinstance(array, Tensor) else array
    result = data if isinstance(data, np.ndarray) else np.asarray(data)
    if result.dtype.kind not in "biuf":
        raise TypeError(
            f"TensorDataset array {position} must hold numbers, got dtype {result.dtype}"
        )
    if result.ndim == 0:
        raise ValueError(
            f"TensorDataset array {position} is a scalar; it needs a first axis of samples"
        )
    return result


class Subset(Dataset):
    """The samples of ``dataset`` at ``indices``, in that order.

    Examples
    --------
    >>> import numpy as np
    >>> from data import Subset, TensorDataset
    >>> Subset(TensorDataset(np.arange(5) * 10), [4, 0])[0]
    (np.int64(40),)
    """

    def __init__(self, dataset: Any, indices: Sequence[int] | np.ndarray) -> None:
        self.dataset = dataset
        self.indices = indices  # (as given, as PyTorch keeps them: random_split's are ints)
        rows = self._rows()
        if rows.ndim != 1:
            raise ValueError(f"Subset indices must be 1-D, got shape {rows.shape}")
        n = len(dataset)
        if rows.size and not (-n <= rows.min() and rows.max() < n):
            raise IndexError(
                f"Subset indices must be in [0, {n}), got min {rows.min()}, max {rows.max()}"
            )

    def _rows(self) -> np.ndarray:
        """``indices`` as an array of positions, made again when ``indices`` is replaced or
        changes length (an index changed in place is not seen)."""
        indices = self.indices
        cached = self.__dict__.get("_cached_rows")
        if cached is None or cached[0] is not indices or len(cached[1]) != len(indices):
            data = indices._data if isinstance(indices, Tensor) else indices
            cached = self.__dict__["_cached_rows"] = (indices, np.asarray(data, dtype=np.intp))
        rows: np.ndarray = cached[1]
        return rows

    def __len__(self) -> int:
        return len(self.indices)

    @property
    def getitems_is_batch(self) -> bool:
        """Whether ``__getitems__`` returns a batch (it does when the dataset's does)."""
        return bool(getattr(self.dataset, "getitems_is_batch", False))

    def __getitem__(self, index: Any) -> Any:
        if isinstance(index, int | np.integer):
            return self.dataset[int(self._rows()[index])]
        return self.dataset[self._rows()[index]]

    def __getitems__(self, indices: InputLike) -> Any:
        positions = self._rows()[np.asarray(indices, dtype=np.intp)]
        if hasattr(self.dataset, "__getitems__"):
            return self.dataset.__getitems__(positions)
        return [self.dataset[int(i)] for i in positions]


def random_split(
    dataset: Any, lengths: Sequence[int | float], generator: GeneratorLike | None = None
) -> list[Subset]:
    """Split into non-overlapping random Subsets of the given lengths (or fractions summing to 1).

    With fractions, each length is floor(fraction * n) and the remainder goes one by one to
    the first subsets, as PyTorch.

    Examples
    --------
    >>> import numpy as np
    >>> from data import TensorDataset, random_split
    >>> train, test = random_split(TensorDataset(np.arange(10)), [0.8, 0.2], generator=0)
    >>> len(train), len(test)
    (8, 2)
    >>> sorted(np.concatenate([train.indices, test.indices])) == list(range(10))
    True
    """
    n = len(dataset)
    sizes = list(lengths)
    if sizes and all(isinstance(x, float) for x in sizes):
        if any(not 0.0 <= x <= 1.0 for x in sizes) or not math.isclose(sum(sizes), 1.0):
            raise ValueError(f"fractions must be in [0, 1] and sum to 1, got {sizes}")
        counts = [math.floor(n * x) for x in sizes]
        for i in range(n - sum(counts)):
            counts[i % len(counts)] += 1
    else:
        if any(isinstance(x, bool) or not isinstance(x, int | np.integer) or x < 0 for x in sizes):
            raise ValueError(
                f"lengths must be non-negative ints or fractions summing to 1, got {sizes}"
            )
        counts = [int(x) for x in sizes]
        if sum(counts) != n:
            raise ValueError(
                f"Sum of input lengths ({sum(counts)}) does not equal the length of the input "
                f"dataset ({n})"
            )
    order = draw_permutation(generator, n)
    bounds = np.cumsum([0, *counts])
    return [  # (each Subset's indices a list of ints, as PyTorch's)
        Subset(dataset, order[start:stop].tolist()) for start, stop in itertools.pairwise(bounds)
    ]


class ConcatDataset(Dataset):
    """The samples of several datasets one after another (``dataset[i]`` looks up which
    one holds sample i), as PyTorch's.

    Examples
    --------
    >>> import numpy as np
    >>> from data import ConcatDataset, TensorDataset
    >>> both = ConcatDataset([TensorDataset(np.arange(3)), TensorDataset(np.arange(10, 12))])
    >>> len(both), both[3], both[-1]
    (5, (np.int64(10),), (np.int64(11),))
    """

    def __init__(self, datasets: Sequence[Any]) -> None:
        self.datasets = list(datasets)
        if not self.datasets:
            raise AssertionError("datasets should not be an empty iterable")
        self.cumulative_sizes = list(itertools.accumulate(len(d) for d in self.datasets))

    def __len__(self) -> int:
        return self.cumulative_sizes[-1]

    def __getitem__(self, index: int) -> Any:
        if index < 0:
            if -index > len(self):
                raise ValueError("absolute value of index should not exceed dataset length")
            index += len(self)
        which = int(np.searchsorted(self.cumulative_sizes, index, side="right"))
        if which >= len(self.datasets):
            raise IndexError(f"index {index} is out of range for a dataset of {len(self)}")
        start = self.cumulative_sizes[which - 1] if which else 0
        return self.datasets[which][index - start]
