"""How a Tensor prints: PyTorch's layout, so that a ported script prints the same numbers.

Floats get 4 decimals; scientific notation when the nonzero finite magnitudes span more than
a factor of 1000, exceed 1e8, or (for non-integers) go below 1e-4; floats that are all
integers print as ``1.``. Every element of a Tensor is right-aligned to one width; rows
wrap at 80 characters; beyond 1000 elements only the first and last 3 of each dimension
are shown. ``nn.set_printoptions`` changes these as ``torch.set_printoptions`` does.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from .._dtype import get_default_dtype


@dataclass
class PrintOptions:
    precision: int = 4
    threshold: float = 1000
    edgeitems: int = 3
    linewidth: int = 80
    sci_mode: bool | None = None


OPTIONS = PrintOptions()
_PROFILES = {
    "default": PrintOptions(),
    "short": PrintOptions(precision=2, threshold=1000, edgeitems=2),
    "full": PrintOptions(threshold=math.inf),
}


def set_printoptions(
    precision: int | None = None,
    threshold: float | None = None,
    edgeitems: int | None = None,
    linewidth: int | None = None,
    profile: str | None = None,
    sci_mode: bool | None = None,
) -> None:
    """Change how Tensors print, as ``torch.set_printoptions`` (a ``profile``: "default",
    "short" or "full", then the given options).

    Examples
    --------
    >>> import nn
    >>> nn.set_printoptions(precision=2); print(nn.tensor([1 / 3])); nn.set_printoptions()
    tensor([0.33])
    """
    base = _PROFILES[profile] if profile is not None else None
    if base is not None or not any(
        v is not None for v in (precision, threshold, edgeitems, linewidth)
    ):
        base = base or _PROFILES["default"]
        OPTIONS.precision, OPTIONS.threshold = base.precision, base.threshold
        OPTIONS.edgeitems, OPTIONS.linewidth = base.edgeitems, base.linewidth
    if precision is not None:
        OPTIONS.precision = precision
    if threshold is not None:
        OPTIONS.threshold = threshold
    if edgeitems is not None:
        OPTIONS.edgeitems = edgeitems
    if linewidth is not None:
        OPTIONS.linewidth = linewidth
    OPTIONS.sci_mode = sci_mode


class _Format:
    """One number format for every element of a Tensor, chosen from its (shown) values."""

    def __init__(self, values: np.ndarray) -> None:
        self.floating = values.dtype.kind in "fc"
        self.integers, self.scientific, self.width = True, False, 1
        precision = OPTIONS.precision
        flat = values.reshape(-1)
        if not self.floating:
            self.width = max((len(str(v)) for v in flat.tolist()), default=1)
            return
        wide = flat.astype(np.float64)
        shown = wide[np.isfinite(wide) & (wide != 0)]
        if shown.size:
            magnitudes = np.abs(shown)
            low, high = magnitudes.min(), magnitudes.max()
            self.integers = bool(np.all(shown == np.ceil(shown)))
            spread = high / low > 1000.0 or high > 1.0e8
            self.scientific = spread or (not self.integers and low < 1.0e-4)
            if self.scientific:
                texts = [f"{v:.{precision}e}" for v in shown.tolist()]
            elif self.integers:
                texts = [f"{v:.0f}." for v in shown.tolist()]
            else:
                texts = [f"{v:.{precision}f}" for v in shown.tolist()]
            self.width = max(len(t) for t in texts)
        if OPTIONS.sci_mode is not None:
            self.scientific = OPTIONS.sci_mode

    def text(self, value: Any) -> str:
        if not self.floating:
            out = str(value)
        elif self.scientific:
            out = f"{value:{self.width}.{OPTIONS.precision}e}"
        elif self.integers:
            out = f"{value:.0f}" + ("" if math.isinf(value) or math.isnan(value) else ".")
        else:
            out = f"{value:.{OPTIONS.precision}f}"
        return out.rjust(self.width)


class _ComplexFormat:
    """PyTorch's complex format: the real parts' format, then the imaginary parts' (signed),
    then ``j``: ``9.+2.j``."""

    def __init__(self, values: np.ndarray) -> None:
        self.real, self.imag = _Format(values.real), _Format(values.imag)
        self.width = self.real.width + self.imag.width + 2

    def text(self, value: Any) -> str:
        imag = self.imag.text(value.imag).lstrip() + "j"
        sign = "" if imag[0] in "+-" else "+"
        return self.real.text(value.real) + sign + imag


def _format(values: np.ndarray) -> _Format | _ComplexFormat:
    return _ComplexFormat(values) if values.dtype.kind == "c" else _Format(values)


def _edges(a: np.ndarray) -> np.ndarray:
    """The elements a summarised print shows: the first and last ``edgeitems`` of each axis."""
    if a.ndim == 0:
        return a
    edge = OPTIONS.edgeitems
    if a.shape[0] > 2 * edge:
        a = np.concatenate((a[:edge], a[-edge:])) if edge else a[:0]
    return np.stack([_edges(row) for row in a]) if a.ndim > 1 and len(a) else a


def _body(a: np.ndarray, indent: int, summarize: bool, form: _Format | _ComplexFormat) -> str:
    edge = OPTIONS.edgeitems
    cut = summarize and a.ndim and a.shape[0] > 2 * edge
    if a.ndim == 0:
        return form.text(a.item())
    if a.ndim == 1:
        values = a.tolist()
        if cut:
            texts = [form.text(v) for v in values[:edge]] + [" ..."]
            texts += [form.text(v) for v in values[-edge:]]
        else:
            texts = [form.text(v) for v in values]
        per_line = max(1, (OPTIONS.linewidth - indent) // (form.width + 2))
        lines = [", ".join(texts[i : i + per_line]) for i in range(0, len(texts), per_line)]
        return "[" + (",\n" + " " * (indent + 1)).join(lines) + "]"
    rows = (
        [_body(a[i], indent + 1, summarize, form) for i in range(edge)]
        + ["..."]
        + [_body(a[i], indent + 1, summarize, form) for i in range(len(a) - edge, len(a))]
        if cut
        else [_body(row, indent + 1, summarize, form) for row in a]
    )
    return "[" + ("," + "\n" * (a.ndim - 1) + " " * (indent + 1)).join(rows) + "]"


def tensor_repr(data: np.ndarray, dtype_name: str, trailing: list[str]) -> str:
    """``tensor(...)`` for ``data``: its size and dtype when PyTorch shows them, then
    ``trailing`` (grad_fn or requires_grad), wrapped at the line width as PyTorch wraps."""
    prefix = "tensor("
    indent = len(prefix)
    suffixes = []
    if data.size == 0:
        body = "[]"
        if data.ndim != 1:
            suffixes.append(f"size={tuple(data.shape)}")
        if data.dtype != get_default_dtype():
            suffixes.append(f"dtype={dtype_name}")
    else:
        summarize = data.size > OPTIONS.threshold
        body = _body(data, indent, summarize, _format(_edges(data) if summarize else data))
        default_complex = np.dtype(
            np.complex128 if get_default_dtype() == np.float64 else np.complex64
        )
        if data.dtype not in (
            get_default_dtype(),
            default_complex,
            np.dtype(np.int64),
            np.dtype(np.bool_),
        ):
            suffixes.append(f"dtype={dtype_name}")
    text = prefix + body
    parts, last = [text], len(text) - text.rfind("\n") + 1
    for suffix in suffixes + trailing:
        if last + len(suffix) + 2 > OPTIONS.linewidth:
            parts.append(",\n" + " " * indent + suffix)
            last = indent + len(suffix)
        else:
            parts.append(", " + suffix)
            last += len(suffix) + 2
    return "".join(parts) + ")"
