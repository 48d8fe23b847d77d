"""PyTorch's multi-process loading options, accepted and validated as PyTorch validates them.

descend loads in the main process: ``num_workers > 0`` gives the same batches in the same
order as ``num_workers=0`` (NumPy's gathers release nothing a worker pool would win back on
array datasets, and no worker means no pickling, no seeds to manage, no shared memory).
``worker_init_fn`` is therefore never called (calling it in the main process would, for the
usual seeding idiom, reseed the script's own generators); ``pin_memory`` has no device to pin
for and warns as PyTorch does without an accelerator.
"""

from __future__ import annotations

import warnings

START_METHODS = ("fork", "spawn", "forkserver")


def check_worker_options(
    num_workers: int,
    pin_memory: bool,
    timeout: float,
    multiprocessing_context: object,
    prefetch_factor: int | None,
    persistent_workers: bool,
) -> int | None:
    """Raise PyTorch's error for an invalid combination; return ``prefetch_factor`` as
    PyTorch stores it (2 by default with workers, None without)."""
    if isinstance(num_workers, bool) or not isinstance(num_workers, int) or num_workers < 0:
        raise ValueError(
            "num_workers option should be non-negative; use num_workers=0 to disable "
            "multiprocessing."
        )
    if timeout < 0:
        raise ValueError("timeout option should be non-negative")
    if num_workers == 0 and prefetch_factor is not None:
        raise ValueError(
            "prefetch_factor option could only be specified in multiprocessing.let num_workers "
            "> 0 to enable multiprocessing, otherwise set prefetch_factor to None."
        )
    if num_workers > 0 and prefetch_factor is None:
        prefetch_factor = 2
    elif prefetch_factor is not None and prefetch_factor < 0:
        raise ValueError("prefetch_factor option should be non-negative")
    if persistent_workers and num_workers == 0:
        raise ValueError("persistent_workers option needs num_workers > 0")
    if multiprocessing_context is not None:
        if num_workers == 0:
            raise ValueError(
                "multiprocessing_context can only be used with multi-process loading "
                f"(num_workers > 0), but got num_workers={num_workers}"
            )
        if (
            isinstance(multiprocessing_context, str)
            and multiprocessing_context not in START_METHODS
        ):
            raise ValueError(
                "multiprocessing_context option should specify a valid start method in "
                f"{list(START_METHODS)}, but got multiprocessing_context="
                f"{multiprocessing_context!r}"
            )
    if pin_memory:
        warnings.warn(
            "'pin_memory' argument is set as true but no accelerator is found, then device "
            "pinned memory won't be used.",
            UserWarning,
            stacklevel=3,
        )
    return prefetch_factor


def get_worker_info() -> None:
    """None: as in PyTorch's main process, since descend loads every batch in this process
    (an IterableDataset that splits its stream by worker reads it whole)."""
    return None
