"""IterableDataset, ChainDataset and get_worker_info, and the DataLoader over a stream:
consecutive samples batched in order, PyTorch's refusals of shuffle and samplers."""

from __future__ import annotations

import pytest

from data import ChainDataset, DataLoader, IterableDataset, get_worker_info


class Counting(IterableDataset):
    def __init__(self, n: int) -> None:
        self.n = n

    def __iter__(self):
        return iter(range(self.n))


class Sized(Counting):
    def __len__(self) -> int:
        return self.n


def test_a_stream_is_batched_in_order_the_last_batch_smaller_unless_dropped():
    assert [b.tolist() for b in DataLoader(Counting(7), batch_size=3)] == [
        [0, 1, 2],
        [3, 4, 5],
        [6],
    ]
    dropped = DataLoader(Counting(7), batch_size=3, drop_last=True)
    assert [b.tolist() for b in dropped] == [[0, 1, 2], [3, 4, 5]]
    assert list(DataLoader(Counting(3), batch_size=None)) == [0, 1, 2]
    assert list(DataLoader(Counting(2), batch_size=None, collate_fn=lambda x: x * 10)) == [0, 10]
    loader = DataLoader(Counting(4), batch_size=2)
    assert [b.tolist() for b in loader] == [b.tolist() for b in loader]  # a new pass each time


def test_the_length_is_the_streams_own_when_it_has_one():
    with pytest.raises(TypeError, match="has no len"):
        len(DataLoader(Counting(5), batch_size=2))
    assert len(DataLoader(Sized(5), batch_size=2)) == 3
    assert len(DataLoader(Sized(5), batch_size=2, drop_last=True)) == 2


@pytest.mark.parametrize(
    ("option", "value"), [("shuffle", True), ("sampler", [0, 1]), ("batch_sampler", [[0]])]
)
def test_order_options_are_refused_as_pytorch_refuses_them(option, value):
    with pytest.raises(ValueError, match=f"expected unspecified {option} option"):
        DataLoader(Counting(3), **{option: value})


def test_streams_chain_and_the_loader_runs_in_this_process():
    chained = Counting(2) + Counting(3)
    assert isinstance(chained, ChainDataset) and list(chained) == [0, 1, 0, 1, 2]
    assert [b.tolist() for b in DataLoader(chained, batch_size=2)] == [[0, 1], [0, 1], [2]]
    with pytest.raises(NotImplementedError, match="must define __iter__"):
        iter(IterableDataset())
    assert get_worker_info() is None
