"""random_mini_batches, random_split and the synthetic datasets."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from data import Subset, TensorDataset, random_mini_batches, random_split
from data.datasets import make_blobs, make_circles, make_moons, make_spirals


def course_random_mini_batches(X, Y, mini_batch_size=64, seed=0):
    """The course's function verbatim in its column layout (X: (n_x, m), Y: (1, m))."""
    np.random.seed(seed)  # noqa: NPY002 (the course's own code)
    m = X.shape[1]
    permutation = list(np.random.permutation(m))  # noqa: NPY002
    shuffled_X, shuffled_Y = X[:, permutation], Y[:, permutation].reshape((1, m))
    batches = []
    complete = m // mini_batch_size
    for k in range(complete):
        batches.append(
            (
                shuffled_X[:, k * mini_batch_size : (k + 1) * mini_batch_size],
                shuffled_Y[:, k * mini_batch_size : (k + 1) * mini_batch_size],
            )
        )
    if m % mini_batch_size != 0:
        batches.append(
            (
                shuffled_X[:, complete * mini_batch_size :],
                shuffled_Y[:, complete * mini_batch_size :],
            )
        )
    return batches


@given(m=st.integers(1, 500), size=st.integers(1, 100), seed=st.integers(0, 10_000))
def test_random_mini_batches_equals_the_course_transposed(m, size, seed):
    X = np.random.default_rng(seed).normal(size=(m, 3))
    Y = np.arange(m)[:, None]
    ours = random_mini_batches(X, Y, size, seed)
    course = course_random_mini_batches(X.T, Y.T, size, seed)
    assert len(ours) == len(course) == -(-m // size)
    for (xb, yb), (cx, cy) in zip(ours, course, strict=True):
        np.testing.assert_array_equal(xb, cx.T)
        np.testing.assert_array_equal(yb, cy.T)
        np.testing.assert_array_equal(xb, X[yb[:, 0]])


def test_random_mini_batches_validation():
    with pytest.raises(ValueError, match="X has 3 rows but Y has 2"):
        random_mini_batches(np.zeros((3, 2)), np.zeros(2))
    with pytest.raises(ValueError, match="batch_size"):
        random_mini_batches(np.zeros((3, 2)), np.zeros(3), mini_batch_size=0)


def test_random_split_lengths_and_fractions():
    ds = TensorDataset(np.arange(10))
    parts = random_split(ds, [3, 7], generator=1)
    assert [len(p) for p in parts] == [3, 7]
    assert sorted(np.concatenate([p.indices for p in parts]).tolist()) == list(range(10))
    assert [len(p) for p in random_split(ds, [0.33, 0.33, 0.34], generator=1)] == [4, 3, 3]
    with pytest.raises(ValueError, match="does not equal the length"):
        random_split(ds, [3, 3])


def test_subset_indices_are_kept_as_given_and_random_splits_are_python_ints():
    """As PyTorch: ``print(train.indices)`` shows a list of ints (random_split's come from
    ``randperm(n).tolist()``), and replacing a Subset's indices takes effect."""
    ds = TensorDataset(np.arange(10) * 10)
    train, _ = random_split(ds, [0.7, 0.3], generator=42)
    assert type(train.indices) is list and all(type(i) is int for i in train.indices)
    subset = Subset(ds, [4, 0])
    assert subset.indices == [4, 0] and subset[0][0] == 40
    subset.indices = [1, 2, 3]
    assert len(subset) == 3 and subset[2][0] == 30


@pytest.mark.parametrize(
    "make",
    [
        lambda g: make_moons(301, 0.2, generator=g),
        lambda g: make_circles(301, 0.1, 0.5, generator=g),
        lambda g: make_spirals(301, 3, 0.2, generator=g),
        lambda g: make_blobs(301, 4, 1.0, generator=g),
    ],
)
def test_datasets_shapes_dtypes_and_seeds(make):
    X, y = make(5)
    assert (
        X.shape == (301, 2) and X.dtype == np.float64 and y.shape == (301,) and y.dtype == np.int64
    )
    X2, y2 = make(5)
    np.testing.assert_array_equal(X, X2)
    np.testing.assert_array_equal(y, y2)
    assert not np.array_equal(make(6)[0], X)


def test_moons_without_noise_lie_on_the_two_half_circles():
    X, y = make_moons(200, generator=0)
    upper = X[y == 0]
    lower = X[y == 1]
    np.testing.assert_allclose(np.hypot(upper[:, 0], upper[:, 1]), 1.0)
    np.testing.assert_allclose(np.hypot(lower[:, 0] - 1, lower[:, 1] - 0.5), 1.0)


def test_the_courses_data_is_sklearns_make_moons_after_seed_3():
    """The course's training set: sklearn's make_moons(300, noise=0.2) after np.random.seed(3),
    whose recipe is the clean half circles, shuffled by RandomState.shuffle of the indices,
    then RandomState.normal noise of scale 0.2, drawn in that order from the one state."""
    X, y = make_moons(300, 0.2, generator=np.random.RandomState(3))
    rng = np.random.RandomState(3)
    angles = np.linspace(0, np.pi, 150)
    clean = np.vstack(
        [np.c_[np.cos(angles), np.sin(angles)], np.c_[1 - np.cos(angles), 0.5 - np.sin(angles)]]
    )
    order = np.arange(300)
    rng.shuffle(order)
    np.testing.assert_allclose(X, clean[order] + rng.normal(scale=0.2, size=(300, 2)), rtol=1e-12)
    np.testing.assert_array_equal(y, (order >= 150).astype(np.int64))


def test_make_blobs_accepts_noise_for_cluster_std():
    a = make_blobs(50, 2, cluster_std=0.3, generator=1)
    b = make_blobs(50, 2, noise=0.3, generator=1)
    np.testing.assert_array_equal(a[0], b[0])
