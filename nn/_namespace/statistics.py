"""``torch.cov`` and ``torch.corrcoef``: the covariance (and correlation) of variables in
rows, observations in columns, made of Tensor ops in PyTorch's order (its gradient is
theirs)."""

from __future__ import annotations

import warnings

import numpy as np

from .. import _dtype
from ..tensor import Tensor
from .core import _operand


def _weights(w: Tensor | None, name: str, count: int, integral: bool) -> Tensor | None:
    """Frequency or observation weights checked as PyTorch checks them."""
    if w is None:
        return None
    if w.ndim > 1:
        raise RuntimeError(
            f"cov(): expected {name} to have one or fewer dimensions but got {w.ndim} dimensions"
        )
    if w.numel() != count:
        raise RuntimeError(
            f"cov(): expected {name} to have the same numel as there are observations in the "
            f"input but got {w.numel()} != {count}"
        )
    kind = _dtype.torch_name(w.dtype)
    if integral and w.dtype.kind not in "iu":
        raise RuntimeError(f"cov(): expected {name} to have integral dtype but got {kind}")
    if not integral and w.dtype.kind != "f":
        raise RuntimeError(f"cov(): expected {name} to have floating point dtype but got {kind}")
    if (w._data < 0).any():
        raise RuntimeError(f"cov(): {name} cannot be negative")
    return w


def cov(
    input: Tensor,
    *,
    correction: int = 1,
    fweights: Tensor | None = None,
    aweights: Tensor | None = None,
) -> Tensor:
    """The covariance matrix of the variables in ``input``'s rows (a 1-D input: one
    variable), observations in its columns: (X - mean) (X - mean)^T / (N - correction),
    optionally weighted by ``fweights`` (counts) and ``aweights`` (importances).

    Examples
    --------
    >>> import nn
    >>> nn.cov(nn.tensor([[0.0, 1.0, 2.0], [2.0, 1.0, 0.0]]))
    tensor([[ 1., -1.],
            [-1.,  1.]])
    """
    t = _operand(input, "cov")
    if t.ndim > 2:
        raise RuntimeError(
            f"cov(): expected input to have two or fewer dimensions but got an input with "
            f"{t.ndim} dimensions"
        )
    if t.dtype == np.bool_:
        raise RuntimeError("cov(): bool dtype is not supported for input")
    x = t.reshape(1, -1) if t.ndim < 2 else t
    count = x.shape[1]
    frequencies = _weights(fweights, "fweights", count, True)
    importances = _weights(aweights, "aweights", count, False)
    w = frequencies
    if importances is not None:
        w = importances if w is None else w * importances
    total = w.sum() if w is not None else Tensor._make(np.asarray(count, dtype=np.int64))
    if w is not None and total.item() == 0:
        raise RuntimeError("cov(): weights sum to zero, can't be normalized")
    mean = (x if w is None else x * w).sum(1) / total
    if w is None or correction == 0 or importances is None:
        norm = total - correction if correction else total
    else:
        norm = total - correction * (w * importances).sum() / total
    if norm.item() <= 0:
        warnings.warn(
            "cov(): degrees of freedom is <= 0. Correction should be strictly less than the "
            "number of observations.",
            UserWarning,
            stacklevel=2,
        )
        norm = norm * 0
    centred = x - mean.unsqueeze(1)
    product = centred.mm((centred if w is None else centred * w).t())
    return (product / norm).squeeze()


def corrcoef(input: Tensor) -> Tensor:
    """Pearson's correlation coefficients of the variables in ``input``'s rows: the
    covariance divided by both standard deviations, clipped to [-1, 1]."""
    t = _operand(input, "corrcoef")
    if t.ndim > 2:
        raise RuntimeError(
            f"corrcoef(): expected input to have two or fewer dimensions but got an input "
            f"with {t.ndim} dimensions"
        )
    c = cov(t)
    if c.ndim == 0:
        return c / c
    deviation = c.diagonal().sqrt()
    c = c / deviation.unsqueeze(1)
    c = c / deviation.unsqueeze(0)
    return c.clip(-1, 1)


__all__ = ["corrcoef", "cov"]
