"""``torch.testing.assert_close``: are two Tensors (or numbers, or nested lists and tuples
of them) equal within tolerances, with PyTorch's defaults per dtype and its message."""

from __future__ import annotations

import numpy as np

from . import _dtype
from .tensor import Tensor

# PyTorch's default (rtol, atol) by dtype; integers and bools must be equal
_TOLERANCES = {
    np.dtype(np.float16): (1e-3, 1e-5),
    np.dtype(np.float32): (1.3e-6, 1e-5),
    np.dtype(np.float64): (1e-7, 1e-7),
    np.dtype(np.complex64): (1.3e-6, 1e-5),
    np.dtype(np.complex128): (1e-7, 1e-7),
}


def assert_close(
    actual: object,
    expected: object,
    *,
    rtol: float | None = None,
    atol: float | None = None,
    equal_nan: bool = False,
    check_dtype: bool = True,
    msg: str | None = None,
    **ignored: object,
) -> None:
    """Raise ``AssertionError`` unless |actual - expected| <= atol + rtol |expected| for
    every element (same shape, and same dtype when ``check_dtype``); ``rtol`` and ``atol``
    default to PyTorch's for the dtype (float32: 1.3e-6 and 1e-5).

    >>> import nn
    >>> nn.testing.assert_close(nn.tensor([1.0]), nn.tensor([1.0 + 1e-7]))
    """
    if (rtol is None) != (atol is None):
        raise ValueError("Both 'rtol' and 'atol' must be either specified or omitted")
    if isinstance(actual, list | tuple) and isinstance(expected, list | tuple):
        if len(actual) != len(expected):
            raise AssertionError(
                f"The length of the sequences mismatch: {len(actual)} != {len(expected)}"
            )
        for a, b in zip(actual, expected, strict=True):
            assert_close(
                a, b, rtol=rtol, atol=atol, equal_nan=equal_nan, check_dtype=check_dtype, msg=msg
            )
        return
    a, b = _array(actual), _array(expected)
    if a.shape != b.shape:
        raise AssertionError(
            msg or f"The values for attribute 'shape' do not match: {a.shape} != {b.shape}."
        )
    if check_dtype and isinstance(actual, Tensor) and a.dtype != b.dtype:
        names = f"torch.{_dtype.torch_name(a.dtype)} != torch.{_dtype.torch_name(b.dtype)}"
        raise AssertionError(msg or f"The values for attribute 'dtype' do not match: {names}.")
    if rtol is None or atol is None:
        rtol, atol = _TOLERANCES.get(np.result_type(a, b), (0.0, 0.0))
    wide_a, wide_b = a.astype(np.float64), b.astype(np.float64)
    with np.errstate(invalid="ignore"):
        difference = np.abs(wide_a - wide_b)
        close = difference <= atol + rtol * np.abs(wide_b)
    close |= wide_a == wide_b  # (equal infinities)
    if equal_nan:
        close |= np.isnan(wide_a) & np.isnan(wide_b)
    if close.all():
        return
    if msg is not None:
        raise AssertionError(msg)
    bad = int((~close).sum())
    worst = (
        np.unravel_index(int(np.nanargmax(np.where(close, -1.0, difference))), a.shape)
        if a.ndim
        else ()
    )
    with np.errstate(invalid="ignore", divide="ignore"):
        relative = difference / np.abs(wide_b)
    raise AssertionError(
        f"{'Tensor-likes' if isinstance(actual, Tensor) else 'Scalars'} are not close!\n\n"
        f"Mismatched elements: {bad} / {a.size} ({100 * bad / max(a.size, 1):.1f}%)\n"
        f"Greatest absolute difference: {difference[worst]} at index {worst} "
        f"(up to {atol} allowed)\n"
        f"Greatest relative difference: {relative[worst]} at index {worst} "
        f"(up to {rtol} allowed)"
    )


def _array(value: object) -> np.ndarray:
    if isinstance(value, Tensor):
        return np.asarray(value.detach().numpy())
    return np.asarray(value)
