"""default_collate: turn a list of samples into a batch, as torch's default_collate."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from nn.tensor import Tensor, tensor


def default_collate(batch: Sequence[Any]) -> Any:
    """Stack a list of samples into one batch, as PyTorch's ``default_collate``, dispatched
    on the first sample's type: Tensors and ndarrays are stacked on a new axis 0 (in their
    dtype; arrays of strings refused); NumPy scalars become a Tensor of theirs; Python ints
    and bools a Tensor inferred from the whole batch (``[3, 2.5]`` is float32, as
    ``nn.tensor`` infers), floats a float64 one; strings stay a list; dicts, lists and tuples
    are collated field by field (a tuple of fields gives a list, a named tuple its type).

    Examples
    --------
    >>> import numpy as np
    >>> default_collate([(np.array([1.0, 2.0]), 0), (np.array([3.0, 4.0]), 1)])
    [tensor([[1., 2.],
            [3., 4.]], dtype=float64), tensor([0, 1])]
    >>> default_collate([{"x": 1.5}, {"x": 2.5}])
    {'x': tensor([1.5000, 2.5000], dtype=float64)}
    """
    if len(batch) == 0:
        raise ValueError("default_collate got an empty batch")
    elem = batch[0]
    if isinstance(elem, Tensor):
        return _stacked([item._data for item in batch])
    if isinstance(elem, np.ndarray | np.generic) and not isinstance(elem, str | bytes):
        if elem.dtype.kind in "SaUO":
            raise TypeError(_refusal(elem.dtype))
        if isinstance(elem, np.ndarray):
            return _stacked([np.asarray(item) for item in batch])
        return Tensor._make(np.array(batch))  # (NumPy scalars of one type)
    if isinstance(elem, float):
        return tensor(list(batch), dtype=np.float64)
    if isinstance(elem, int):  # (bools too: inferred from the whole batch)
        return tensor(list(batch))
    if isinstance(elem, str | bytes):
        return batch
    if isinstance(elem, Mapping):
        return {key: default_collate([sample[key] for sample in batch]) for key in elem}
    if isinstance(elem, tuple | list):
        if any(len(sample) != len(elem) for sample in batch):
            raise RuntimeError("each element in list of batch should be of equal size")
        columns = [default_collate(list(samples)) for samples in zip(*batch, strict=True)]
        if isinstance(elem, tuple) and hasattr(elem, "_fields"):
            return type(elem)(*columns)
        return columns
    raise TypeError(_refusal(type(elem)))


def _stacked(arrays: list[np.ndarray]) -> Tensor:
    for number, array in enumerate(arrays):
        if array.shape != arrays[0].shape:
            raise RuntimeError(
                "stack expects each tensor to be equal size, but got "
                f"{list(arrays[0].shape)} at entry 0 and {list(array.shape)} at entry {number}"
            )
    return Tensor._make(np.stack(arrays))


def _refusal(found: object) -> str:
    return (
        "default_collate: batch must contain tensors, numpy arrays, numbers, dicts or lists; "
        f"found {found}"
    )
