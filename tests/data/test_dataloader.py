"""DataLoader: lockstep shuffling, partition sizes, reshuffling, seeds, resume, validation."""

from itertools import islice

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import nn
from data import (
    BatchSampler,
    ConcatDataset,
    DataLoader,
    Dataset,
    RandomSampler,
    SequentialSampler,
    Subset,
    SubsetRandomSampler,
    TensorDataset,
    WeightedRandomSampler,
    random_split,
)


def paired(m):
    """X row i holds 10 * i and 10 * i + 1; Y[i] = i, so pairing is checkable."""
    Y = np.arange(m)
    return np.stack([10 * Y, 10 * Y + 1], axis=1).astype(np.float64), Y


@given(
    m=st.integers(1, 10_000),
    batch_size=st.integers(1, 300),
    drop_last=st.booleans(),
    seed=st.integers(0, 2**32 - 1),
)
def test_epoch_is_a_permutation_partitioned_in_lockstep(m, batch_size, drop_last, seed):
    if drop_last and batch_size > m:
        batch_size = m
    X, Y = paired(m)
    loader = DataLoader(
        TensorDataset(X, Y),
        batch_size=batch_size,
        shuffle=True,
        drop_last=drop_last,
        generator=seed,
    )
    batches = list(loader)
    assert len(batches) == len(loader)
    sizes = [len(yb) for _, yb in batches]
    full, rest = divmod(m, batch_size)
    assert sizes == [batch_size] * full + ([rest] if rest and not drop_last else [])
    seen = np.concatenate([yb for _, yb in batches])
    for xb, yb in batches:
        np.testing.assert_array_equal(xb[:, 0], 10 * yb)  # row i of X arrived with row i of Y
        np.testing.assert_array_equal(xb[:, 1], 10 * yb + 1)
    assert len(np.unique(seen)) == len(seen) == full * batch_size + (0 if drop_last else rest)
    if not drop_last:
        np.testing.assert_array_equal(np.sort(seen), np.arange(m))


@given(m=st.integers(20, 500), seed=st.integers(0, 1000))
def test_new_order_every_epoch_same_seed_same_order(m, seed):
    X, Y = paired(m)
    loader = DataLoader(TensorDataset(X, Y), batch_size=7, shuffle=True, generator=seed)
    first = np.concatenate([yb for _, yb in loader])
    second = np.concatenate([yb for _, yb in loader])
    assert not np.array_equal(first, second)
    again = DataLoader(TensorDataset(X, Y), batch_size=7, shuffle=True, generator=seed)
    np.testing.assert_array_equal(np.concatenate([yb for _, yb in again]), first)


def test_default_generator_follows_manual_seed():
    X, Y = paired(50)
    nn.manual_seed(4)
    a = np.concatenate(
        [yb for _, yb in DataLoader(TensorDataset(X, Y), batch_size=8, shuffle=True)]
    )
    nn.manual_seed(4)
    b = np.concatenate(
        [yb for _, yb in DataLoader(TensorDataset(X, Y), batch_size=8, shuffle=True)]
    )
    np.testing.assert_array_equal(a, b)


def test_without_shuffle_order_is_sequential():
    X, Y = paired(10)
    batches = list(DataLoader(TensorDataset(X, Y), batch_size=4))
    np.testing.assert_array_equal(np.concatenate([yb for _, yb in batches]), np.arange(10))


def test_batch_size_m_is_one_full_batch_and_one_is_sgd():
    X, Y = paired(37)
    full = list(DataLoader(TensorDataset(X, Y), batch_size=37, shuffle=True, generator=0))
    assert len(full) == 1 and len(full[0][1]) == 37
    single = DataLoader(TensorDataset(X, Y), batch_size=1, shuffle=True, generator=0)
    assert len(single) == 37 and all(len(yb) == 1 for _, yb in single)


def test_batch_size_none_turns_batching_off_as_pytorch():
    """Each sample as the dataset returns it (no batch axis), in the sampler's order;
    collate_fn applies to each sample; drop_last is refused."""
    X, Y = paired(5)
    dataset = TensorDataset(X, Y)
    loader = DataLoader(dataset, batch_size=None)
    samples = list(loader)
    assert len(loader) == 5 and len(samples) == 5
    for i, (x, y) in enumerate(samples):
        np.testing.assert_array_equal(x, X[i])
        assert y == Y[i] and np.ndim(y) == 0
    shuffled = [int(y) for _, y in DataLoader(dataset, batch_size=None, shuffle=True, generator=0)]
    assert sorted(shuffled) == list(range(5))
    doubled = DataLoader(dataset, batch_size=None, collate_fn=lambda s: s[1] * 2)
    assert [int(v) for v in doubled] == [0, 2, 4, 6, 8]
    with pytest.raises(ValueError, match="mutually exclusive with drop_last"):
        DataLoader(dataset, batch_size=None, drop_last=True)


@given(
    m=st.integers(1, 300),
    batch_size=st.integers(1, 40),
    stop=st.integers(0, 40),
    seed=st.integers(0, 99),
)
def test_resume_mid_epoch_yields_the_same_batches(m, batch_size, stop, seed):
    X, Y = paired(m)

    def make():
        return DataLoader(TensorDataset(X, Y), batch_size=batch_size, shuffle=True, generator=seed)

    reference = make()
    expected = [yb for _ in range(3) for _, yb in reference]
    loader = make()
    got = []
    iterator = iter(loader)
    stop = min(stop, len(loader))
    for _ in range(stop):
        got.append(next(iterator)[1])
    state = loader.state_dict()
    resumed = make()
    resumed.load_state_dict(state)
    got += [yb for _, yb in resumed]
    got += [yb for _ in range(2) for _, yb in resumed]
    assert len(got) == len(expected)
    for a, b in zip(got, expected, strict=True):
        np.testing.assert_array_equal(a, b)


def test_resume_with_the_default_generator_and_rng_state():
    X, Y = paired(30)
    nn.manual_seed(9)
    loader = DataLoader(TensorDataset(X, Y), batch_size=4, shuffle=True)
    it = iter(loader)
    next(it)
    state, rng = loader.state_dict(), nn.get_rng_state()
    rest = [yb for _, yb in it] + [yb for _, yb in loader]
    nn.manual_seed(123)
    resumed = DataLoader(TensorDataset(X, Y), batch_size=4, shuffle=True)
    resumed.load_state_dict(state)
    nn.set_rng_state(rng)
    again = [yb for _, yb in resumed] + [yb for _, yb in resumed]
    for a, b in zip(rest, again, strict=True):
        np.testing.assert_array_equal(a, b)


def test_tensors_in_tensors_out_and_subsets_gather_in_one_take():
    X, Y = paired(12)
    loader = DataLoader(TensorDataset(nn.tensor(X), nn.tensor(Y)), batch_size=5)
    xb, yb = next(iter(loader))
    assert isinstance(xb, nn.Tensor) and xb.shape == (5, 2) and yb.dtype == np.int64
    subset = Subset(TensorDataset(X, Y), [3, 1, 4, 1])
    ((_, ys),) = list(DataLoader(subset, batch_size=4))
    np.testing.assert_array_equal(ys, [3, 1, 4, 1])


class Squares:
    def __len__(self):
        return 6

    def __getitem__(self, i):
        return {"x": np.array([i, i * i], dtype=np.float32), "label": i % 2, "name": f"s{i}"}


def test_generic_datasets_go_through_collate():
    xb = next(iter(DataLoader(Squares(), batch_size=4)))
    np.testing.assert_array_equal(xb["x"][:, 1], [0, 1, 4, 9])
    assert xb["label"].dtype == np.int64 and xb["name"] == ["s0", "s1", "s2", "s3"]
    sizes = [len(b) for b in DataLoader(Squares(), batch_size=4, collate_fn=lambda s: s)]
    assert sizes == [4, 2]
    tuples = next(iter(DataLoader(TensorDataset(np.arange(4.0)), batch_size=3, collate_fn=list)))
    assert len(tuples) == 3 and isinstance(tuples[0], tuple)


def test_samplers():
    assert list(SequentialSampler(range(3))) == [0, 1, 2]
    order = list(RandomSampler(range(20), generator=0))
    assert sorted(order) == list(range(20)) and order != list(range(20))
    assert len(list(RandomSampler(range(5), replacement=True, num_samples=12, generator=1))) == 12
    assert list(BatchSampler(range(5), 2, drop_last=True)) == [[0, 1], [2, 3]]
    custom = DataLoader(TensorDataset(np.arange(6)), batch_sampler=[[5, 0], [2]])
    assert [b[0].tolist() for b in custom] == [[5, 0], [2]]
    sampled = DataLoader(TensorDataset(np.arange(6)), sampler=[4, 3, 2], batch_size=2)
    assert [b[0].tolist() for b in sampled] == [[4, 3], [2]] and len(sampled) == 2


@pytest.mark.parametrize(
    ("kwargs", "pattern"),
    [
        ({"batch_size": 0}, "batch_size=0"),
        ({"batch_size": -3}, "batch_size=-3"),
        ({"batch_size": 2.5}, "batch_size=2.5"),
        ({"batch_size": True}, "batch_size=True"),
        ({"batch_size": 64, "drop_last": True}, "no batch"),
        ({"shuffle": True, "sampler": [0, 1]}, "mutually exclusive with shuffle"),
        ({"batch_sampler": [[0]], "batch_size": 4}, "batch_sampler option is mutually exclusive"),
        ({"batch_size": None, "drop_last": True}, "mutually exclusive with drop_last"),
        ({"shuffle": "yes"}, "shuffle"),
    ],
)
def test_invalid_loader_arguments(kwargs, pattern):
    with pytest.raises(ValueError, match=pattern):
        DataLoader(TensorDataset(np.arange(10)), **kwargs)


def test_tensor_dataset_length_mismatch_names_lengths():
    with pytest.raises(ValueError, match="array 0 has 100 rows, array 1 has 99 rows"):
        TensorDataset(np.zeros((100, 2)), np.zeros(99))


def test_worker_options_give_the_same_batches_and_torchs_errors():
    import warnings

    X, Y = np.arange(20.0).reshape(10, 2), np.arange(10)
    plain = [yb.tolist() for _, yb in DataLoader(TensorDataset(X, Y), batch_size=3)]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        loader = DataLoader(
            TensorDataset(X, Y), 3, False, None, None, 2, None, True,
            persistent_workers=True, prefetch_factor=4, multiprocessing_context="spawn",
            worker_init_fn=lambda worker: None, timeout=5,
        )  # fmt: skip
    assert [yb.tolist() for _, yb in loader] == plain
    assert loader.num_workers == 2 and loader.prefetch_factor == 4
    assert DataLoader(TensorDataset(X, Y), num_workers=1).prefetch_factor == 2
    with pytest.warns(UserWarning, match="'pin_memory' argument is set as true"):
        DataLoader(TensorDataset(X, Y), pin_memory=True)
    for options, message in [
        ({"num_workers": -1}, "num_workers option should be non-negative"),
        ({"prefetch_factor": 2}, "prefetch_factor option could only be specified"),
        ({"persistent_workers": True}, "persistent_workers option needs num_workers > 0"),
        ({"timeout": -1}, "timeout option should be non-negative"),
        ({"multiprocessing_context": "fork"}, "can only be used with multi-process loading"),
        ({"num_workers": 1, "multiprocessing_context": "thread"}, "valid start method"),
    ]:
        with pytest.raises(ValueError, match=message):
            DataLoader(TensorDataset(X, Y), **options)


# ------------------------------------------------------------- independent iterators
@given(pattern=st.lists(st.booleans(), min_size=0, max_size=20), shuffle=st.booleans())
def test_two_iterators_are_independent_cursors(pattern, shuffle):
    """Any interleaving of two iterators yields, per iterator, what a lone one yields."""
    X = np.arange(22.0).reshape(11, 2)

    def loader():
        return DataLoader(TensorDataset(X), batch_size=3, shuffle=shuffle, generator=5)

    alone = loader()
    lone_first = [b[0].tolist() for b in alone]
    lone_second = [b[0].tolist() for b in alone]  # the generator has moved on: epoch 2
    shared = loader()
    first, second = iter(shared), iter(shared)
    got = ([], [])
    for pick in pattern + [False] * 4 + [True] * 4:
        source, out = (second, got[1]) if pick else (first, got[0])
        batch = next(source, None)
        if batch is not None:
            out.append(batch[0].tolist())
    got[0].extend(b[0].tolist() for b in first)
    got[1].extend(b[0].tolist() for b in second)
    assert got[0] == lone_first and got[1] == lone_second


def test_evaluating_mid_epoch_does_not_cut_the_epoch_and_zip_works():
    loader = DataLoader(TensorDataset(np.arange(100.0)), batch_size=10, shuffle=True, generator=0)
    trained = 0
    for number, (xb,) in enumerate(loader):
        trained += len(xb)
        if number == 2:
            _ = [len(b[0]) for b in loader]  # train accuracy mid-epoch
    assert trained == 100
    assert len(list(zip(loader, loader, strict=True))) == 10


def test_state_dict_follows_the_most_recently_started_iterator():
    def make():
        return DataLoader(TensorDataset(np.arange(12)), batch_size=2, shuffle=True, generator=1)

    loader = make()
    training = iter(loader)
    next(training)
    evaluation = iter(loader)
    next(evaluation), next(evaluation)
    saved = loader.state_dict()
    assert saved["position"] == 2
    rest = [b[0].tolist() for b in evaluation]
    again = make()
    again.load_state_dict(saved)
    assert again.state_dict()["position"] == 2  # saved again before resuming: the same
    assert [b[0].tolist() for b in again] == rest


# ---------------------------------------------------------------- collation
class Points(Dataset):
    def __len__(self):
        return 6

    def __getitem__(self, i):
        return np.array([i, -i], dtype=np.float32), i % 2


def test_a_subset_of_a_custom_dataset_is_collated():
    train, _ = random_split(Points(), [4, 2], generator=0)
    for batch_size in (1, 2, 3):
        for xb, yb in DataLoader(train, batch_size=batch_size):
            assert xb.shape == (len(yb), 2) and xb.dtype == np.float32
    assert TensorDataset(np.zeros(2)).getitems_is_batch
    assert Subset(TensorDataset(np.zeros(2)), [0]).getitems_is_batch
    assert not Subset(Points(), [0]).getitems_is_batch


# ------------------------------------------------------------------ generators
def _resumes_exactly(make, stop=3):
    uninterrupted = [b[0].tolist() for _, b in zip(range(9), _epochs(make()), strict=False)]
    first = make()
    stream = _epochs(first)
    seen = [next(stream)[0].tolist() for _ in range(stop)]
    saved = first.state_dict()
    second = make()
    second.load_state_dict(saved)
    resumed = [b[0].tolist() for _, b in zip(range(9 - stop), _epochs(second), strict=False)]
    assert seen + resumed == uninterrupted


def _epochs(loader):
    while True:
        yield from loader


def test_a_samplers_own_generator_is_in_the_loader_state():
    def make():
        dataset = TensorDataset(np.arange(10))
        sampler = RandomSampler(dataset, generator=np.random.default_rng(4))
        return DataLoader(dataset, batch_size=3, sampler=sampler)

    assert make().state_dict()["sampler_generator"] is not None
    _resumes_exactly(make)


def test_a_legacy_random_state_generator_resumes():
    def make():
        return DataLoader(
            TensorDataset(np.arange(10)), batch_size=4, shuffle=True,
            generator=np.random.RandomState(3),
        )  # fmt: skip

    _resumes_exactly(make)


def test_loader_state_with_random_state_is_storable(tmp_path):
    loader = DataLoader(
        TensorDataset(np.arange(10)), batch_size=4, shuffle=True, generator=np.random.RandomState(3)
    )
    batches = iter(loader)
    next(batches)
    nn.save(loader.state_dict(), tmp_path / "loader.npz")
    fresh = DataLoader(
        TensorDataset(np.arange(10)), batch_size=4, shuffle=True, generator=np.random.RandomState(9)
    )
    fresh.load_state_dict(nn.load(tmp_path / "loader.npz"))
    assert [b[0].tolist() for b in fresh] == [b[0].tolist() for b in batches]
    assert [b[0].tolist() for b in fresh] == [b[0].tolist() for b in loader]  # the next epoch


def test_collated_batches_are_tensors_as_pytorchs():
    """A custom dataset's samples (ndarrays, ints, floats, dicts) are collated into Tensors of
    PyTorch's dtypes, so that a ported loop's ``images.to(device)`` and ``labels.long()``
    work; ConcatDataset chains datasets as PyTorch's does."""

    class Pairs(Dataset):
        def __len__(self):
            return 5

        def __getitem__(self, i):
            return np.full(2, i, np.float32), i % 2, {"weight": i / 2}

    images, labels, meta = next(iter(DataLoader(Pairs(), batch_size=4)))
    assert isinstance(images, nn.Tensor) and images.dtype == nn.float32 and images.shape == (4, 2)
    assert labels.to("cpu").long().tolist() == [0, 1, 0, 1] and labels.dtype == nn.int64
    assert meta["weight"].dtype == nn.float64 and meta["weight"].tolist() == [0.0, 0.5, 1.0, 1.5]
    chained = ConcatDataset([Pairs(), list(range(10, 12))])
    assert len(chained) == 7 and chained[5] == 10 and chained[-1] == 11 and chained[-7][1] == 0
    with pytest.raises(IndexError):
        chained[7]


def test_subset_and_weighted_samplers():
    """SubsetRandomSampler shuffles its indices every epoch (a validation split); a
    WeightedRandomSampler draws in proportion to the weights, with or without replacement
    (zero weights last), with PyTorch's errors; both resume with the loader's state."""
    split = SubsetRandomSampler([8, 2, 5, 0], generator=1)
    epochs = [list(split) for _ in range(3)]
    assert all(sorted(e) == [0, 2, 5, 8] for e in epochs) and len(split) == 4
    assert len({tuple(e) for e in epochs}) > 1
    weighted = WeightedRandomSampler([1.0, 2.0, 7.0], num_samples=20000, generator=0)
    shares = np.bincount(list(weighted), minlength=3) / 20000
    np.testing.assert_allclose(shares, [0.1, 0.2, 0.7], atol=0.02)
    firsts = [
        WeightedRandomSampler([1.0, 0.0, 3.0], 3, False, generator=i).epoch_order()
        for i in range(400)
    ]
    assert all(sorted(order) == [0, 1, 2] and order[-1] == 1 for order in firsts)
    assert abs(np.mean([order[0] == 2 for order in firsts]) - 0.75) < 0.08
    with pytest.raises(RuntimeError, match="probability entry < 0"):
        WeightedRandomSampler([1.0, -1.0], 2)
    with pytest.raises(RuntimeError, match="sum of probabilities <= 0"):
        WeightedRandomSampler([0.0, 0.0], 2)
    with pytest.raises(RuntimeError, match="without replacement"):
        WeightedRandomSampler([1.0, 1.0], 3, replacement=False)
    with pytest.raises(ValueError, match="num_samples should be a positive integer"):
        WeightedRandomSampler([1.0], 0)
    loader = DataLoader(
        TensorDataset(np.arange(10)),
        batch_size=2,
        sampler=SubsetRandomSampler(range(6), generator=3),
    )
    it = iter(loader)
    first = next(it)[0].tolist()
    saved = loader.state_dict()
    rest = [b[0].tolist() for b in it]
    loader.load_state_dict(saved)
    assert [b[0].tolist() for b in iter(loader)] == rest
    assert sorted(first + [i for batch in rest for i in batch]) == list(range(6))


def _batches(loader, count=None):
    return [
        b[0].tolist() if isinstance(b, list | tuple) else b.tolist() for b in islice(loader, count)
    ]


def test_an_endless_sampler_is_drawn_as_the_loader_goes():
    """minGPT's ``RandomSampler(ds, replacement=True, num_samples=int(1e10))`` (74.5 GiB of
    indices, were they drawn at once): its first batches are those of a short epoch from
    the same generator, since both draw 32 indices at a time."""
    dataset = TensorDataset(np.arange(100.0))

    def loader(num_samples):
        sampler = RandomSampler(dataset, True, num_samples, generator=nn.Generator().manual_seed(3))
        return DataLoader(dataset, batch_size=8, sampler=sampler)

    endless_loader = loader(int(1e10))
    endless = iter(endless_loader)
    assert _batches(endless, 8) == _batches(loader(64))
    with pytest.raises(RuntimeError, match="cannot save its place"):
        endless_loader.state_dict()
    assert _batches(DataLoader(range(10**10), batch_size=4), 2) == [[0, 1, 2, 3], [4, 5, 6, 7]]


@pytest.mark.parametrize(
    "arguments",
    [
        {"batch_size": 3, "shuffle": True},
        {"batch_size": 3, "shuffle": True, "drop_last": True},
        {"batch_size": None, "shuffle": True},
        {"batch_sampler": BatchSampler(SequentialSampler(range(10)), 4, False)},
    ],
)
def test_an_epoch_taken_from_the_sampler_as_it_goes_is_the_planned_one(monkeypatch, arguments):
    import data.dataloader

    dataset = TensorDataset(np.arange(10.0))
    nn.manual_seed(5)
    planned = _batches(DataLoader(dataset, **arguments))
    monkeypatch.setattr(data.dataloader, "PLANNED_UP_TO", 4)
    nn.manual_seed(5)
    loader = DataLoader(dataset, **arguments)
    streamed = iter(loader)
    first = _batches(streamed, 1)
    with pytest.raises(RuntimeError, match="cannot save its place"):
        loader.state_dict()
    assert first + _batches(streamed) == planned
    assert loader.state_dict()["order"] is None  # (the epoch is over: nothing to resume)


@pytest.mark.torch
def test_an_endless_sampler_gives_pytorchs_batches_after_the_same_seed():
    torch = pytest.importorskip("torch")

    def first_batches(T, D):
        T.manual_seed(0)
        dataset = D.TensorDataset(T.arange(100).float())
        sampler = D.RandomSampler(dataset, replacement=True, num_samples=int(1e10))
        return [b[0].tolist() for b in islice(D.DataLoader(dataset, 8, sampler=sampler), 5)]

    import data

    assert first_batches(nn, data) == first_batches(torch, torch.utils.data)


def test_samplers_without_a_length_are_taken_as_they_go():
    """PyTorch's samplers need no ``__len__`` to be iterated: nor do descend's."""

    class Evens:
        def __iter__(self):
            return iter(range(0, 10, 2))

    class Pairs:
        def __iter__(self):
            return iter([[0, 1], [2, 3], [4]])

    dataset = TensorDataset(np.arange(10.0))
    assert _batches(DataLoader(dataset, batch_size=2, sampler=Evens())) == [
        [0.0, 2.0],
        [4.0, 6.0],
        [8.0],
    ]
    assert _batches(DataLoader(dataset, batch_sampler=Pairs())) == [[0.0, 1.0], [2.0, 3.0], [4.0]]
