"""DataLoader: the course's mini-batch recipe behind ``torch.utils.data.DataLoader``.

Each epoch: (1) one permutation of the m sample indices shuffles every array together
(row i of X stays with row i of Y); (2) the shuffled order is cut into ceil(m / batch_size)
batches, the last one smaller unless ``drop_last``. Array-backed datasets (TensorDataset and
Subsets of one) are gathered a batch at a time with one ``np.take`` per array.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import numpy as np

from nn.random import resolve_generator

from .collate import default_collate
from .sampler import BatchSampler, RandomSampler, Sampler, SequentialSampler, check_batch_size
from .workers import check_worker_options


class DataLoader:
    """Iterate over a dataset in (shuffled) mini-batches.

    Parameters
    ----------
    dataset : Dataset
    batch_size : int or None, default 1
        ``mini_batch_size``. ``None`` yields the whole dataset as one batch (batch gradient
        descent); 1 gives the course's stochastic gradient descent.
    shuffle : bool, default False
        A new permutation every epoch.
    sampler, batch_sampler : optional
        Custom orders, as PyTorch (mutually exclusive with shuffle / batch_size).
    drop_last : bool, default False
        Drop the last, smaller batch.
    collate_fn : callable, optional
        Turns a list of samples into a batch (default: ``default_collate``). Given one, every
        batch goes sample by sample through ``dataset[i]``.
    num_workers, pin_memory, timeout, worker_init_fn, multiprocessing_context, \
    prefetch_factor, persistent_workers, pin_memory_device, in_order :
        PyTorch's multi-process options, validated as PyTorch does; loading stays in this
        process, with the same batches in the same order (``data/workers.py``).
    generator : np.random.Generator or int, optional
        The source of the permutations; an int seeds the loader's own generator. Left out,
        the default generator is used (``nn.manual_seed``, ``nn.get_rng_state``).

    Examples
    --------
    >>> import numpy as np
    >>> from data import DataLoader, TensorDataset
    >>> X, Y = np.arange(10).reshape(5, 2), np.arange(5)
    >>> loader = DataLoader(TensorDataset(X, Y), batch_size=2, shuffle=True, generator=0)
    >>> [len(yb) for xb, yb in loader], len(loader)
    ([2, 2, 1], 3)
    >>> all(np.array_equal(xb[:, 0] // 2, yb) for xb, yb in loader)  # rows stay paired
    True
    """

    def __init__(
        self,
        dataset: Any,
        batch_size: int | None = 1,
        shuffle: bool = False,
        sampler: Any = None,
        batch_sampler: Any = None,
        num_workers: int = 0,
        collate_fn: Callable[[list[Any]], Any] | None = None,
        pin_memory: bool = False,
        drop_last: bool = False,
        timeout: float = 0,
        worker_init_fn: Callable[[int], None] | None = None,
        multiprocessing_context: Any = None,
        generator: Any = None,
        *,
        prefetch_factor: int | None = None,
        persistent_workers: bool = False,
        pin_memory_device: str = "",
        in_order: bool = True,
    ) -> None:
        if not hasattr(dataset, "__len__") or not hasattr(dataset, "__getitem__"):
            raise TypeError(
                f"dataset must have __len__ and __getitem__, got {type(dataset).__name__}"
            )
        if not isinstance(shuffle, bool):
            raise ValueError(f"shuffle should be a boolean value, but got shuffle={shuffle!r}")
        if not isinstance(drop_last, bool):
            raise ValueError(
                f"drop_last should be a boolean value, but got drop_last={drop_last!r}"
            )
        if batch_size is not None:
            check_batch_size(batch_size)
        if sampler is not None and shuffle:
            raise ValueError("sampler option is mutually exclusive with shuffle")
        if batch_sampler is not None and (
            batch_size != 1 or shuffle or sampler is not None or drop_last
        ):
            raise ValueError(
                "batch_sampler option is mutually exclusive with batch_size, shuffle, sampler, "
                "and drop_last"
            )
        if batch_size is None and drop_last:
            raise ValueError(
                "batch_size=None (one batch of the whole dataset) is mutually exclusive "
                "with drop_last"
            )
        if (
            drop_last
            and batch_size is not None
            and batch_size > len(dataset)
            and batch_sampler is None
        ):
            raise ValueError(
                f"drop_last=True with batch_size={batch_size} larger than the dataset "
                f"({len(dataset)} samples) would yield no batch at all"
            )
        self.prefetch_factor = check_worker_options(
            num_workers,
            pin_memory,
            timeout,
            multiprocessing_context,
            prefetch_factor,
            persistent_workers,
        )
        self.num_workers, self.pin_memory, self.timeout = num_workers, pin_memory, timeout
        self.worker_init_fn, self.multiprocessing_context = worker_init_fn, multiprocessing_context
        self.persistent_workers, self.pin_memory_device = persistent_workers, pin_memory_device
        self.in_order = in_order
        self.dataset = dataset
        self.batch_size = batch_size
        self.drop_last = drop_last
        self.collate_fn = collate_fn
        self.generator = None if generator is None else resolve_generator(generator)
        if batch_sampler is None and sampler is None:
            sampler = (
                RandomSampler(dataset, generator=self.generator)
                if shuffle
                else SequentialSampler(dataset)
            )
        self.sampler: Any = sampler
        self.batch_sampler: Any = batch_sampler
        self._order: np.ndarray | None = None  # the epoch in progress: every index, in order
        self._lengths: np.ndarray | None = None  # its batch sizes
        self._position = 0  # batches of it already yielded
        self._resume_pending = False  # set by load_state_dict: the next iter continues
        self._finished = True  # the epoch's iterator has run to its end

    # ----------------------------------------------------------------- sizes
    def __len__(self) -> int:
        """The number of batches per epoch."""
        if self.batch_sampler is not None:
            return len(self.batch_sampler)
        n = len(self.sampler)
        if self.batch_size is None:
            return 1 if n else 0
        return n // self.batch_size if self.drop_last else -(-n // self.batch_size)

    # ------------------------------------------------------------- iteration
    def _plan_epoch(self) -> tuple[np.ndarray, np.ndarray]:
        """Every index of the next epoch in order, and the batch sizes that cut it."""
        if self.batch_sampler is not None:
            batches = [np.asarray(list(batch), dtype=np.intp) for batch in self.batch_sampler]
            order = np.concatenate(batches) if batches else np.zeros(0, dtype=np.intp)
            return order, np.array([len(b) for b in batches], dtype=np.intp)
        epoch_order = getattr(self.sampler, "epoch_order", None)
        order = np.asarray(epoch_order() if epoch_order else list(self.sampler), dtype=np.intp)
        n = len(order)
        size = n if self.batch_size is None else self.batch_size
        full, rest = divmod(n, size) if size else (0, 0)
        lengths = [size] * full + ([rest] if rest and not self.drop_last else [])
        return order, np.array(lengths, dtype=np.intp)

    def __iter__(self) -> Iterator[Any]:
        """A new epoch, or the rest of the one restored by ``load_state_dict``.

        Starting a new iteration ends any earlier one that is still open, as in PyTorch.
        """
        if not self._resume_pending or self._order is None or self._lengths is None:
            self._order, self._lengths = self._plan_epoch()
            self._position = 0
        self._resume_pending = False
        self._finished = False
        return self._batches(self._order, self._lengths)

    def _batches(self, order: np.ndarray, lengths: np.ndarray) -> Iterator[Any]:
        starts = np.concatenate([[0], np.cumsum(lengths)])
        gather = getattr(self.dataset, "__getitems__", None)
        while self._order is order and self._position < len(lengths):
            number = self._position
            indices = order[starts[number] : starts[number + 1]]
            self._position += 1
            if self.collate_fn is None and gather is not None:
                yield gather(indices)
            else:
                samples = [self.dataset[int(i)] for i in indices]
                yield (self.collate_fn or default_collate)(samples)
        if self._order is order:
            self._finished = True

    # ----------------------------------------------------------- resuming
    def state_dict(self) -> dict[str, Any]:
        """Where the loader is: the epoch in progress (its order and position) and, when the
        loader owns its generator, that generator's state. Loading it into a loader over the
        same dataset makes the next ``iter`` continue with exactly the batches the
        uninterrupted loader would have yielded.

        Examples
        --------
        >>> import numpy as np
        >>> from data import DataLoader, TensorDataset
        >>> def make():
        ...     dataset = TensorDataset(np.arange(6))
        ...     return DataLoader(dataset, batch_size=2, shuffle=True, generator=0)
        >>> loader = make()
        >>> batches = iter(loader); first = next(batches)
        >>> saved = loader.state_dict()
        >>> rest = [b[0].tolist() for b in batches]
        >>> again = make()
        >>> again.load_state_dict(saved)
        >>> [b[0].tolist() for b in again] == rest
        True
        """
        order, lengths = self._order, self._lengths
        in_progress = order is not None and lengths is not None and not self._finished
        return {
            "order": order.copy() if in_progress and order is not None else None,
            "lengths": lengths.copy() if in_progress and lengths is not None else None,
            "position": self._position if in_progress else 0,
            "generator": self.generator.bit_generator.state if self.generator is not None else None,
        }

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        """Resume from ``state_dict()``; checks it fits this dataset before changing anything."""
        if not isinstance(state_dict, dict) or set(state_dict) != {
            "order",
            "lengths",
            "position",
            "generator",
        }:
            raise ValueError(
                "DataLoader state_dict must be a dict with keys order, lengths, position, generator"
            )
        order, lengths = state_dict["order"], state_dict["lengths"]
        position = int(state_dict["position"])
        if order is not None:
            order = np.asarray(order, dtype=np.intp)
            lengths = np.asarray(lengths, dtype=np.intp)
            n = len(self.dataset)
            if order.size and (order.min() < 0 or order.max() >= n):
                raise ValueError(
                    f"DataLoader state refers to sample {order.max()}, the dataset has {n}"
                )
            if lengths.sum() != order.size or not 0 <= position <= len(lengths):
                raise ValueError(
                    "DataLoader state is inconsistent: batch sizes do not cut its order"
                )
        if (state_dict["generator"] is None) != (self.generator is None):
            raise ValueError(
                "DataLoader state and this loader disagree on having their own generator"
            )
        if self.generator is not None:
            self.generator.bit_generator.state = state_dict["generator"]
        self._order, self._lengths, self._position = order, lengths, position
        self._resume_pending = order is not None
        self._finished = order is None


__all__ = ["BatchSampler", "DataLoader", "RandomSampler", "Sampler", "SequentialSampler"]
