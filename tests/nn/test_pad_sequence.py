"""nn.utils.rnn.pad_sequence: sequences of different lengths in one batch, padded on
either side, their gradients back to each; against PyTorch when it is installed."""

import numpy as np
import pytest

import nn
from nn.utils.rnn import pad_sequence


def test_sequences_are_padded_after_or_before_and_gradients_go_back():
    short = nn.tensor([[2.0, 2.0]], requires_grad=True)
    long = nn.ones(3, 2)
    out = pad_sequence([long, short], padding_value=-1.0)
    assert out.shape == (3, 2, 2)
    assert out[:, 1].tolist() == [[2.0, 2.0], [-1.0, -1.0], [-1.0, -1.0]]
    left = pad_sequence([long, short], batch_first=True, padding_side="left")
    assert left[1].tolist() == [[0.0, 0.0], [0.0, 0.0], [2.0, 2.0]]
    (left * nn.arange(6.0).reshape(1, 3, 2)).sum().backward()
    assert short.grad.tolist() == [[4.0, 5.0]]
    with pytest.raises(RuntimeError, match="empty list"):
        pad_sequence([])
    with pytest.raises(RuntimeError, match="must match the size"):
        pad_sequence([nn.ones(2, 2), nn.ones(2, 3)])


@pytest.mark.torch
@pytest.mark.parametrize("batch_first", [False, True])
@pytest.mark.parametrize("side", ["left", "right"])
def test_pad_sequence_is_pytorchs(batch_first, side):
    torch = pytest.importorskip("torch")
    from torch.nn.utils.rnn import pad_sequence as theirs

    rng = np.random.default_rng(0)
    arrays = [rng.standard_normal((n, 3)).astype(np.float32) for n in (2, 5, 1)]
    ours = pad_sequence([nn.tensor(a) for a in arrays], batch_first, 0.5, side)
    expected = theirs([torch.tensor(a) for a in arrays], batch_first, 0.5, side)
    np.testing.assert_array_equal(ours.numpy(), expected.numpy())
