"""The course's ``random_mini_batches``, on arrays with examples in rows (axis 0)."""

from __future__ import annotations

import numpy as np

from .sampler import check_batch_size


def random_mini_batches(
    X: np.ndarray, Y: np.ndarray, mini_batch_size: int = 64, seed: int = 0
) -> list[tuple[np.ndarray, np.ndarray]]:
    """Shuffle X and Y with the same permutation, then partition them into mini-batches.

    Step 1: ``permutation = np.random.RandomState(seed).permutation(m)``, the permutation the
    course's ``np.random.seed(seed); np.random.permutation(m)`` draws (without touching
    NumPy's global state). Step 2: batches of ``mini_batch_size`` consecutive shuffled
    examples; the last holds the remaining m % mini_batch_size when that is not 0.

    The course keeps examples in columns, X of shape (n_x, m); here they are rows, X of
    shape (m, n_x), so the course's ``X[:, permutation]`` is ``X[permutation]``.

    Examples
    --------
    >>> import numpy as np
    >>> X, Y = np.arange(10).reshape(5, 2), np.arange(5)
    >>> [len(xb) for xb, yb in random_mini_batches(X, Y, mini_batch_size=2)]
    [2, 2, 1]
    """
    X, Y = np.asarray(X), np.asarray(Y)
    if X.ndim == 0 or Y.ndim == 0:
        raise ValueError(f"X and Y need an axis of examples, got shapes {X.shape} and {Y.shape}")
    if len(X) != len(Y):
        raise ValueError(f"X has {len(X)} rows but Y has {len(Y)}")
    check_batch_size(mini_batch_size)
    m = len(X)
    permutation = np.random.RandomState(seed).permutation(m)
    shuffled_X, shuffled_Y = X[permutation], Y[permutation]
    return [
        (shuffled_X[start : start + mini_batch_size], shuffled_Y[start : start + mini_batch_size])
        for start in range(0, m, mini_batch_size)
    ]
