"""The types descend's signatures use, as ``torch.types``: what a parameter that takes "a
Tensor or an array", "a number" or "a dimension" accepts."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeAlias

import numpy as np
import numpy.typing as npt

if TYPE_CHECKING:
    from .generator import Generator
    from .tensor import Tensor

Number: TypeAlias = int | float | bool
"""A Python number (PyTorch's "wrapped number" in type promotion)."""
Scalar: TypeAlias = "int | float | bool | complex | np.generic"
"""A number, a NumPy scalar included."""
TensorLike: TypeAlias = "Tensor | np.ndarray"
"""A Tensor, or an ndarray (wrapped without a copy)."""
InputLike: TypeAlias = "Tensor | npt.ArrayLike"
"""What a function of ``nn.functional`` takes as its input: a Tensor, an ndarray, nested
lists or a number (converted as ``nn.tensor`` would)."""
Dim: TypeAlias = "int | tuple[int, ...] | list[int]"
"""One dimension, or several."""
IntOrTuple: TypeAlias = "int | tuple[int, ...]"
"""A size given for every dimension at once or one per dimension (a kernel, a stride)."""
Padding: TypeAlias = "int | tuple[int, ...] | str"
"""A convolution's padding: sizes, or ``"same"`` / ``"valid"``."""
DTypeLike: TypeAlias = "np.dtype | type | str"
"""A dtype: ``nn.float32`` (a NumPy dtype), a NumPy scalar type, or a name."""
DeviceLike: TypeAlias = "str | object"
"""A device: ``"cpu"`` or an ``nn.device`` (descend computes on the CPU only)."""
GeneratorLike: TypeAlias = "Generator | np.random.Generator | np.random.RandomState | int"
"""Where random numbers come from: an ``nn.Generator`` (PyTorch's streams), a NumPy
generator, or a seed."""
