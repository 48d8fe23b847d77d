"""default_collate: turn a list of samples into a batch, as torch's default_collate."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from nn.tensor import Tensor


def default_collate(batch: Sequence[Any]) -> Any:
    """Stack a list of samples into one batch, recursing into tuples, lists and dicts, as
    PyTorch's ``default_collate``: ndarrays and Tensors are stacked on a new axis 0 into a
    Tensor of their dtype; Python floats become a float64 Tensor, ints int64, bools bool;
    strings stay a list.

    Examples
    --------
    >>> import numpy as np
    >>> default_collate([(np.array([1.0, 2.0]), 0), (np.array([3.0, 4.0]), 1)])
    (tensor([[1., 2.],
            [3., 4.]], dtype=float64), tensor([0, 1]))
    >>> default_collate([{"x": 1.5}, {"x": 2.5}])
    {'x': tensor([1.5000, 2.5000], dtype=float64)}
    """
    if len(batch) == 0:
        raise ValueError("default_collate got an empty batch")
    elem = batch[0]
    if isinstance(elem, Tensor):
        return Tensor._make(np.stack([item._data for item in batch]))
    if isinstance(elem, np.ndarray | np.generic):
        try:
            return Tensor._make(np.stack(batch))
        except ValueError:
            shapes = sorted({np.shape(item) for item in batch})
            raise RuntimeError(f"default_collate: samples have different shapes {shapes}") from None
    if isinstance(elem, bool):
        return Tensor._make(np.array(batch, dtype=np.bool_))
    if isinstance(elem, int):
        return Tensor._make(np.array(batch, dtype=np.int64))
    if isinstance(elem, float):
        return Tensor._make(np.array(batch, dtype=np.float64))
    if isinstance(elem, str | bytes):
        return list(batch)
    if isinstance(elem, Mapping):
        return {key: default_collate([sample[key] for sample in batch]) for key in elem}
    if isinstance(elem, tuple | list):
        if any(len(sample) != len(elem) for sample in batch):
            raise RuntimeError("each element in list of batch should be of equal size")
        columns = [default_collate(list(samples)) for samples in zip(*batch, strict=True)]
        if isinstance(elem, tuple) and hasattr(elem, "_fields"):
            return type(elem)(*columns)
        return tuple(columns) if isinstance(elem, tuple) else columns
    raise TypeError(
        "default_collate: batch must contain ndarrays, Tensors, numbers, strings, dicts or "
        f"lists; found {type(elem).__name__}"
    )
