"""DataLoader: the course's mini-batch recipe behind ``torch.utils.data.DataLoader``.

Each epoch: (1) one permutation of the m sample indices shuffles every array together
(row i of X stays with row i of Y); (2) the shuffled order is cut into ceil(m / batch_size)
batches, the last one smaller unless ``drop_last``. Array-backed datasets (TensorDataset and
Subsets of one) are gathered a batch at a time with one ``np.take`` per array.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator, Sized
from typing import Any, cast

import numpy as np

from nn.random import draw_seed, generator_state, resolve_generator, set_generator_state

from .collate import default_collate
from .dataset import IterableDataset
from .sampler import BatchSampler, RandomSampler, Sampler, SequentialSampler, check_batch_size
from .workers import check_worker_options

PLANNED_UP_TO = 1 << 22  # samples: an epoch up to this is drawn and cut at once (32 MB)


class DataLoader:
    """Iterate over a dataset in (shuffled) mini-batches.

    Parameters
    ----------
    dataset : Dataset
    batch_size : int or None, default 1
        ``mini_batch_size``: 1 gives the course's stochastic gradient descent,
        ``len(dataset)`` one batch of the whole set (batch gradient descent). ``None``
        turns batching off, as PyTorch: each sample as ``dataset[i]`` returns it (through
        ``collate_fn`` when one is given), for datasets that return ready batches.
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
        stream = isinstance(dataset, IterableDataset)
        if not stream and (not hasattr(dataset, "__len__") or not hasattr(dataset, "__getitem__")):
            raise TypeError(
                f"dataset must have __len__ and __getitem__ (or be an IterableDataset), got "
                f"{type(dataset).__name__}"
            )
        if stream:
            for option, value in (("shuffle", shuffle), ("sampler", sampler),
                                  ("batch_sampler", batch_sampler)):  # fmt: skip
                if value not in (None, False):
                    raise ValueError(
                        f"DataLoader with IterableDataset: expected unspecified {option} "
                        f"option, but got {option}={value!r}"
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
                "batch_size=None option disables auto-batching and is mutually exclusive "
                "with drop_last"
            )
        if (
            drop_last
            and not stream
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
        if batch_sampler is None and sampler is None and not stream:
            sampler = (
                RandomSampler(dataset, generator=self.generator)
                if shuffle
                else SequentialSampler(dataset)
            )
        self.sampler: Any = sampler
        self.batch_sampler: Any = batch_sampler
        self._latest: _Epoch | _Streamed | None = None  # the most recently started iterator
        self._resume: _Epoch | None = None  # set by load_state_dict: the next iter continues

    # ----------------------------------------------------------------- sizes
    def __len__(self) -> int:
        """The number of batches per epoch (of an IterableDataset: from its own ``len``)."""
        if isinstance(self.dataset, IterableDataset):
            n = len(cast(Sized, self.dataset))  # (TypeError without a __len__, as PyTorch)
            if self.batch_size is None:
                return n
            return n // self.batch_size if self.drop_last else -(-n // self.batch_size)
        if self.batch_sampler is not None:
            return len(self.batch_sampler)
        n = len(self.sampler)
        if self.batch_size is None:  # one sample at a time
            return n
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
        size = 1 if self.batch_size is None else self.batch_size
        full, rest = divmod(n, size)
        lengths = [size] * full + ([rest] if rest and not self.drop_last else [])
        return order, np.array(lengths, dtype=np.intp)

    def __iter__(self) -> Iterator[Any]:
        """A new epoch (or the rest of the one restored by ``load_state_dict``): each
        iterator is its own cursor, as PyTorch's, so iterating the loader again (to evaluate
        mid-epoch, or ``zip(loader, loader)``) leaves an open iterator unchanged. An epoch
        of more than ``PLANNED_UP_TO`` samples (or of a sampler without a length) is not
        planned: its indices are taken from the sampler a batch at a time, as PyTorch's
        loader takes them."""
        if isinstance(self.dataset, IterableDataset):
            return self._stream()
        epoch = self._resume
        self._resume = None
        if epoch is None:
            draw_seed(self.generator)  # (PyTorch's iterator draws its workers' base seed)
            samples = self._samples_per_epoch()
            if samples is None or samples > PLANNED_UP_TO:
                self._latest = _Streamed(self._index_batches())
                return self._latest
            order, lengths = self._plan_epoch()
            epoch = _Epoch(order, lengths, 0)
        epoch.loader = self
        self._latest = epoch
        return epoch

    def _samples_per_epoch(self) -> int | None:
        """How many indices the epoch takes, or None for a sampler without a length (a
        custom one need not have one, as in PyTorch: its epoch is taken as it goes)."""
        try:
            if self.batch_sampler is not None:
                return len(self.batch_sampler) * getattr(self.batch_sampler, "batch_size", 1)
            return len(self.sampler)
        except TypeError:
            return None

    def _index_batches(self) -> Iterator[object]:
        """The epoch's batches, their indices taken from the sampler as they are needed."""
        if self.batch_sampler is not None:
            for batch in self.batch_sampler:
                yield self._batch(np.asarray(list(batch), dtype=np.intp))
            return
        indices, size = iter(self.sampler), 1 if self.batch_size is None else self.batch_size
        while len(batch := np.fromiter(itertools.islice(indices, size), dtype=np.intp)):
            if len(batch) < size and self.drop_last:
                return
            yield self._batch(batch)

    def _stream(self) -> Iterator[object]:
        """The batches of an IterableDataset: ``batch_size`` consecutive samples at a time
        through ``collate_fn`` (the last smaller, unless ``drop_last``); without batching,
        each sample (through ``collate_fn`` when one is given)."""
        samples = iter(self.dataset)
        if self.batch_size is None:
            for sample in samples:
                yield sample if self.collate_fn is None else self.collate_fn(sample)
            return
        collate = self.collate_fn or default_collate
        while batch := list(itertools.islice(samples, self.batch_size)):
            if len(batch) < self.batch_size and self.drop_last:
                return
            yield collate(batch)

    def _batch(self, indices: np.ndarray) -> Any:
        """The batch of the samples at ``indices``: one gather for datasets whose
        ``__getitems__`` returns a batch (``TensorDataset``, Subsets of one), else the
        samples through ``collate_fn`` (``default_collate``), as PyTorch. Without batching
        (``batch_size=None``), the one sample as the dataset returns it."""
        if self.batch_size is None and self.batch_sampler is None:
            sample = self.dataset[int(indices[0])]
            return sample if self.collate_fn is None else self.collate_fn(sample)
        collate = self.collate_fn or default_collate
        gather = getattr(self.dataset, "__getitems__", None)
        if self.collate_fn is None and gather is not None:
            batch = gather(indices)
            return batch if getattr(self.dataset, "getitems_is_batch", False) else collate(batch)
        return collate([self.dataset[int(i)] for i in indices])

    # ----------------------------------------------------------- resuming
    def state_dict(self) -> dict[str, Any]:
        """Where the loader is: the epoch of the most recently started iterator (its order and
        position, until that iterator has raised StopIteration) and the states of the
        generators the loader and its sampler own. Loading it into a loader over the
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
        latest = self._resume or self._latest
        if isinstance(latest, _Streamed) and not latest.finished:
            raise RuntimeError(
                f"this DataLoader's epoch (more than {PLANNED_UP_TO} samples, or a sampler "
                "without a length) is taken from its sampler as it goes and cannot save its "
                "place within the epoch (save at the end of an epoch, or use a smaller "
                "num_samples)"
            )
        epoch = latest if isinstance(latest, _Epoch) and not latest.finished else None
        return {
            "order": epoch.order.copy() if epoch is not None else None,
            "lengths": epoch.lengths.copy() if epoch is not None else None,
            "position": epoch.position if epoch is not None else 0,
            "generator": generator_state(self.generator) if self.generator is not None else None,
            "sampler_generator": (
                generator_state(own) if (own := self._sampler_generator()) is not None else None
            ),
        }

    def _sampler_generator(self) -> Any:
        """The generator of a sampler given with its own (``RandomSampler(ds, generator=g)``),
        or None: a loader's shuffle draws from the loader's generator."""
        for source in (self.sampler, getattr(self.batch_sampler, "sampler", None)):
            own = getattr(source, "generator", None)
            if own is not None and own is not self.generator:
                return own
        return None

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        """Resume from ``state_dict()``; checks it fits this dataset before changing anything."""
        keys = {"order", "lengths", "position", "generator"}
        if not isinstance(state_dict, dict) or not keys <= set(state_dict) <= keys | {
            "sampler_generator"
        }:
            raise ValueError(
                "DataLoader state_dict must be a dict with keys order, lengths, position, "
                "generator (and sampler_generator)"
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
        sampler_state = state_dict.get("sampler_generator")
        own = self._sampler_generator()
        for state, generator, what in (
            (state_dict["generator"], self.generator, "their own generator"),
            (sampler_state, own, "a sampler with its own generator"),
        ):
            if (state is None) != (generator is None):
                raise ValueError(f"DataLoader state and this loader disagree on having {what}")
        restore: list[tuple[Any, dict[str, Any]]] = []
        try:  # both generators or neither: a failed load leaves the loader as it was
            for state, generator in (
                (state_dict["generator"], self.generator),
                (sampler_state, own),
            ):
                if generator is not None and state is not None:
                    restore.append((generator, generator_state(generator)))
                    set_generator_state(generator, state)
        except ValueError:
            for generator, previous in restore:
                set_generator_state(generator, previous)
            raise
        self._resume = None if order is None else _Epoch(order, lengths, position)


class _Streamed:
    """An iterator over an unplanned epoch (its batches made as they are asked for)."""

    def __init__(self, batches: Iterator[object]) -> None:
        self.batches, self.finished = batches, False

    def __iter__(self) -> _Streamed:
        return self

    def __next__(self) -> object:
        try:
            return next(self.batches)
        except StopIteration:
            self.finished = True
            raise


class _Epoch:
    """One iterator over a loader: an epoch's order, its batch sizes and how many batches
    were yielded (its own cursor: other iterators over the same loader do not move it)."""

    loader: DataLoader

    def __init__(self, order: np.ndarray, lengths: np.ndarray, position: int) -> None:
        self.order, self.lengths, self.position = order, lengths, position
        self.finished = False  # it has raised StopIteration (a loop over it has ended)
        self.starts = np.concatenate([[0], np.cumsum(lengths)]).astype(np.intp)

    def __iter__(self) -> _Epoch:
        return self

    def __len__(self) -> int:
        return len(self.lengths)

    def __next__(self) -> Any:
        number = self.position
        if number >= len(self.lengths):
            self.finished = True
            raise StopIteration
        self.position += 1
        return self.loader._batch(self.order[self.starts[number] : self.starts[number + 1]])


__all__ = ["BatchSampler", "DataLoader", "RandomSampler", "Sampler", "SequentialSampler"]
