"""Synthetic 2-D classification datasets, generated here (no downloads, no scikit-learn).

Each returns ``(X, y)``: X float64 of shape (n_samples, 2), y int64 of shape (n_samples,).
``generator`` is an ``np.random.Generator``, an int seed, None (the default generator) or a
legacy ``np.random.RandomState``. make_moons, make_circles and make_blobs follow
scikit-learn's algorithms step for step, so ``make_moons(300, 0.2,
generator=np.random.RandomState(3))`` gives the course's own training set.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from nn.random import numpy_generator
from nn.types import InputLike

__all__ = ["make_blobs", "make_circles", "make_moons", "make_spirals"]


def _check(n_samples: object, noise: InputLike) -> None:
    if isinstance(n_samples, bool) or not isinstance(n_samples, int | np.integer) or n_samples < 1:
        raise ValueError(f"n_samples must be a positive int, got {n_samples!r}")
    if not (isinstance(noise, int | float) and noise >= 0):
        raise ValueError(f"noise must be a non-negative number, got {noise!r}")


def _shuffle_and_noise(
    X: np.ndarray, y: np.ndarray, noise: float, rng: Any
) -> tuple[np.ndarray, np.ndarray]:
    indices = np.arange(len(X))
    rng.shuffle(indices)
    X, y = X[indices], y[indices]
    if noise:
        X = X + rng.normal(scale=noise, size=X.shape)
    return X, y


def make_moons(
    n_samples: int = 100, noise: float = 0.0, generator: Any = None
) -> tuple[np.ndarray, np.ndarray]:
    """Two interleaving half circles (class 0 on top, class 1 below), plus Gaussian noise.

    Examples
    --------
    >>> X, y = make_moons(300, noise=0.2, generator=0)
    >>> X.shape, X.dtype, y.dtype, int(y.sum())
    ((300, 2), dtype('float64'), dtype('int64'), 150)
    """
    _check(n_samples, noise)
    rng = numpy_generator(generator)
    n_out = n_samples // 2
    n_in = n_samples - n_out
    outer = np.linspace(0, np.pi, n_out)
    inner = np.linspace(0, np.pi, n_in)
    X = np.vstack(
        [
            np.append(np.cos(outer), 1 - np.cos(inner)),
            np.append(np.sin(outer), 1 - np.sin(inner) - 0.5),
        ]
    ).T
    y = np.hstack([np.zeros(n_out, dtype=np.int64), np.ones(n_in, dtype=np.int64)])
    return _shuffle_and_noise(X, y, noise, rng)


def make_circles(
    n_samples: int = 100, noise: float = 0.0, factor: float = 0.8, generator: Any = None
) -> tuple[np.ndarray, np.ndarray]:
    """A circle (class 0) around a smaller one of radius ``factor`` (class 1).

    Examples
    --------
    >>> X, y = make_circles(100, noise=0.0, factor=0.5, generator=0)
    >>> sorted(set((X**2).sum(axis=1).round(2).tolist()))
    [0.25, 1.0]
    """
    _check(n_samples, noise)
    if not 0 <= factor < 1:
        raise ValueError(f"'factor' has to be between 0 and 1, got {factor}")
    rng = numpy_generator(generator)
    n_out = n_samples // 2
    n_in = n_samples - n_out
    outer = np.linspace(0, 2 * np.pi, n_out, endpoint=False)
    inner = np.linspace(0, 2 * np.pi, n_in, endpoint=False)
    X = np.vstack(
        [
            np.append(np.cos(outer), np.cos(inner) * factor),
            np.append(np.sin(outer), np.sin(inner) * factor),
        ]
    ).T
    y = np.hstack([np.zeros(n_out, dtype=np.int64), np.ones(n_in, dtype=np.int64)])
    return _shuffle_and_noise(X, y, noise, rng)


def make_spirals(
    n_samples: int = 100, n_classes: int = 2, noise: float = 0.2, generator: Any = None
) -> tuple[np.ndarray, np.ndarray]:
    """``n_classes`` interleaved spiral arms (the CS231n spiral), angle noise ``noise``.

    Examples
    --------
    >>> X, y = make_spirals(300, n_classes=3, generator=0)
    >>> X.shape, sorted(set(y.tolist()))
    ((300, 2), [0, 1, 2])
    """
    _check(n_samples, noise)
    if isinstance(n_classes, bool) or not isinstance(n_classes, int) or n_classes < 1:
        raise ValueError(f"n_classes must be a positive int, got {n_classes!r}")
    rng = numpy_generator(generator)
    counts = [
        n_samples // n_classes + (1 if k < n_samples % n_classes else 0) for k in range(n_classes)
    ]
    parts, labels = [], []
    for k, count in enumerate(counts):
        radius = np.linspace(0.0, 1.0, count)
        angle = np.linspace(k * 4.0, (k + 1) * 4.0, count) + rng.normal(
            scale=noise, size=count
        ) * bool(noise)
        parts.append(np.column_stack([radius * np.sin(angle), radius * np.cos(angle)]))
        labels.append(np.full(count, k, dtype=np.int64))
    X, y = np.concatenate(parts), np.concatenate(labels)
    indices = np.arange(len(X))
    rng.shuffle(indices)
    return X[indices], y[indices]


def make_blobs(
    n_samples: int = 100,
    centers: object = 3,
    cluster_std: float = 1.0,
    generator: Any = None,
    *,
    noise: float | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Gaussian blobs; ``centers`` is a count (drawn uniformly in [-10, 10]^2) or a (k, 2) array.

    ``noise=``, the name the other datasets use, is accepted for ``cluster_std``.

    Examples
    --------
    >>> import numpy as np
    >>> centers = np.array([[0.0, 0.0], [5.0, 5.0]])
    >>> X, y = make_blobs(200, centers=centers, cluster_std=0.1, generator=0)
    >>> np.round(X[y == 1].mean(axis=0))
    array([5., 5.])
    """
    if noise is not None:  # the other datasets' name for the spread, accepted here too
        cluster_std = noise
    _check(n_samples, 0.0)
    if not cluster_std >= 0:
        raise ValueError(f"cluster_std must be non-negative, got {cluster_std}")
    rng = numpy_generator(generator)
    if isinstance(centers, int | np.integer) and not isinstance(centers, bool):
        if centers < 1:
            raise ValueError(
                f"centers must be a positive int or an array of centers, got {centers}"
            )
        centers = rng.uniform(-10.0, 10.0, size=(int(centers), 2))
    centers = np.asarray(centers, dtype=np.float64)
    if centers.ndim != 2 or centers.shape[1] != 2:
        raise ValueError(f"centers must have shape (k, 2), got {centers.shape}")
    k = len(centers)
    counts = [n_samples // k + (1 if i < n_samples % k else 0) for i in range(k)]
    X = np.concatenate(
        [
            rng.normal(loc=c, scale=cluster_std, size=(n, 2))
            for c, n in zip(centers, counts, strict=True)
        ]
    )
    y = np.concatenate([np.full(n, i, dtype=np.int64) for i, n in enumerate(counts)])
    indices = np.arange(len(X))
    rng.shuffle(indices)
    return X[indices], y[indices]
