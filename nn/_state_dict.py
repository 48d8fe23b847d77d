"""Loading a state dict into a module's tensors: everything checked first, then copied."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

from .tensor import Tensor


def load_into(
    own: Mapping[str, Tensor],
    state_dict: Any,
    strict: bool,
    owner: str,
    assign: Callable[[str, Tensor], None] | None = None,
) -> tuple[list[str], list[str]]:
    """Copy ``state_dict``'s values into the tensors ``own`` (by name), keeping their dtypes
    and bumping their versions, or, with ``assign``, hand each key's value (as a Tensor, not
    copied) to ``assign(key, value)``; returns ``(missing, unexpected)`` keys. On any problem
    (missing or unexpected keys when ``strict``, a shape that differs, a value that is not
    numeric) raise a ``RuntimeError`` listing every one, having changed nothing.
    """
    if not isinstance(state_dict, Mapping):
        raise TypeError(f"Expected state_dict to be dict-like, got {type(state_dict).__name__}.")
    missing = [key for key in own if key not in state_dict]
    unexpected = [key for key in state_dict if key not in own]
    errors: list[str] = []
    if strict:
        if unexpected:
            errors.append(
                "Unexpected key(s) in state_dict: " + ", ".join(f'"{k}"' for k in unexpected) + ". "
            )
        if missing:
            errors.append(
                "Missing key(s) in state_dict: " + ", ".join(f'"{k}"' for k in missing) + ". "
            )
    values: list[tuple[str, Tensor, np.ndarray]] = []
    for key, tensor in own.items():
        if key not in state_dict:
            continue
        raw = state_dict[key]
        value = (
            raw._data if isinstance(raw, Tensor) else np.asarray(raw) if _is_numeric(raw) else None
        )
        if value is None or value.dtype.kind not in "biuf":
            errors.append(
                f'value for "{key}" must be a numeric array, got {type(raw).__name__}'
                + (f" of dtype {value.dtype}" if value is not None else "")
            )
        elif value.shape != tensor.shape:
            errors.append(
                f"size mismatch for {key}: copying a param with shape {value.shape} from "
                f"checkpoint, the shape in current model is {tensor.shape}."
            )
        else:
            values.append((key, tensor, value))
    if errors:
        raise RuntimeError(f"Error(s) in loading state_dict for {owner}:\n\t" + "\n\t".join(errors))
    for key, tensor, value in values:
        if assign is not None:
            raw = state_dict[key]
            assign(key, raw if isinstance(raw, Tensor) else Tensor(value))
            continue
        np.copyto(tensor._data, value, casting="unsafe")
        tensor._vc[0] += 1
    return missing, unexpected


def _is_numeric(value: Any) -> bool:
    if isinstance(value, np.ndarray | np.generic | int | float | bool):
        return True
    if isinstance(value, list | tuple):
        try:
            return np.asarray(value).dtype.kind in "biuf"
        except (ValueError, TypeError):
            return False
    return False
