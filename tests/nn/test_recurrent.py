"""RNN, LSTM, GRU and their cells: shapes, errors and gradients against finite differences
without PyTorch; with PyTorch, outputs, final states and every gradient from the same
weights over drawn configurations, and the same initial weights from the same seed."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import nn

LAYERS = ("RNN", "LSTM", "GRU")


def _final(kind: str, result: tuple) -> nn.Tensor:
    return result[1][0] if kind == "LSTM" else result[1]


@pytest.mark.parametrize("kind", LAYERS)
def test_shapes_batched_unbatched_and_batch_first(kind: str) -> None:
    layer = getattr(nn, kind)(3, 5, num_layers=2, bidirectional=True, batch_first=True)
    out = layer(nn.zeros(4, 7, 3))
    assert out[0].shape == (4, 7, 10) and _final(kind, out).shape == (4, 4, 5)
    single = getattr(nn, kind)(3, 5)(nn.zeros(7, 3))
    assert single[0].shape == (7, 5) and _final(kind, single).shape == (1, 5)
    names = [name for name, _ in layer.named_parameters()]
    assert names[:4] == ["weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0"]
    assert "weight_ih_l1_reverse" in names and layer.weight_ih_l1.shape[1] == 10


@pytest.mark.parametrize("kind", LAYERS)
def test_gradients_match_finite_differences(kind: str) -> None:
    layer = getattr(nn, kind)(2, 3, num_layers=2, bidirectional=True, dtype=nn.float64)
    x = nn.tensor(np.random.default_rng(0).standard_normal((4, 2, 2)), requires_grad=True)
    assert nn.gradcheck(lambda t: layer(t)[0], (x,))
    weight = layer.weight_hh_l1_reverse
    assert nn.gradcheck(lambda w: _final(kind, layer(x.detach())), (weight,))


@pytest.mark.parametrize("kind", ["RNNCell", "LSTMCell", "GRUCell"])
def test_cells_step_as_one_step_of_the_layer(kind: str) -> None:
    cell = getattr(nn, kind)(3, 4, dtype=nn.float64)
    layer = getattr(nn, kind.removesuffix("Cell"))(3, 4, dtype=nn.float64)
    layer.load_state_dict({f"{k}_l0": v for k, v in cell.state_dict().items()})
    x = nn.tensor(np.random.default_rng(1).standard_normal((2, 3)))
    stepped = cell(x)
    stepped = stepped[0] if isinstance(stepped, tuple) else stepped
    np.testing.assert_allclose(
        stepped.detach().numpy(), layer(x[None])[0][0].detach().numpy(), rtol=1e-12
    )


def test_bad_input_is_refused_with_pytorchs_messages() -> None:
    lstm = nn.LSTM(3, 4)
    with pytest.raises(RuntimeError, match=r"input.size\(-1\) must be equal to input_size"):
        lstm(nn.zeros(5, 2, 6))
    with pytest.raises(ValueError, match="Expected input to be 2D or 3D"):
        lstm(nn.zeros(5))
    with pytest.raises(RuntimeError, match="Expected hidden size"):
        lstm(nn.zeros(5, 2, 3), (nn.zeros(1, 3, 4), nn.zeros(1, 3, 4)))
    with pytest.raises(ValueError, match="dropout should be a number in range"):
        nn.GRU(3, 4, dropout=1.5)
    with pytest.raises(NotImplementedError, match="proj_size"):
        nn.LSTM(3, 4, proj_size=2)
    with pytest.raises(ValueError, match="does not match weight dtype"):
        lstm(nn.zeros(5, 2, 3, dtype=nn.float64))
    with pytest.raises(RuntimeError, match="sequence length to be larger than 0"):
        lstm(nn.zeros(0, 2, 3))


@pytest.mark.torch
@settings(max_examples=25, deadline=None)
@given(
    kind=st.sampled_from(LAYERS),
    layers=st.integers(1, 2),
    bidirectional=st.booleans(),
    batch_first=st.booleans(),
    bias=st.booleans(),
    with_state=st.booleans(),
    dtype=st.sampled_from(["float32", "float64"]),
    steps=st.integers(1, 4),
)
def test_layers_match_pytorch_from_the_same_weights(
    kind, layers, bidirectional, batch_first, bias, with_state, dtype, steps
):
    torch = pytest.importorskip("torch")
    options = dict(
        num_layers=layers, bidirectional=bidirectional, batch_first=batch_first, bias=bias
    )
    theirs = getattr(torch.nn, kind)(3, 4, **options).to(getattr(torch, dtype))
    ours = getattr(nn, kind)(3, 4, dtype=getattr(nn, dtype), **options)
    ours.load_state_dict({k: v.detach().numpy() for k, v in theirs.state_dict().items()})
    rng = np.random.default_rng(steps)
    x = rng.standard_normal((2, steps, 3) if batch_first else (steps, 2, 3)).astype(dtype)
    h = rng.standard_normal((layers * (1 + bidirectional), 2, 4)).astype(dtype)
    results = []
    for T, module in ((torch, theirs), (nn, ours)):
        leaf = T.tensor(x, requires_grad=True)
        state = None
        if with_state:
            state = (T.tensor(h), T.tensor(h)) if kind == "LSTM" else T.tensor(h)
        out = module(leaf, state)
        final = _final(kind, out)
        (out[0] * T.tensor(np.cos(x.sum()) + 1.0)).sum().backward(retain_graph=True)
        (final.sin()).sum().backward()
        grads = [leaf.grad.numpy()] + [p.grad.numpy() for p in module.parameters()]
        results.append([out[0].detach().numpy(), final.detach().numpy(), *grads])
    tolerance = 1e-5 if dtype == "float32" else 1e-12
    for a, b in zip(*results, strict=True):
        np.testing.assert_allclose(b, a, rtol=tolerance, atol=tolerance)


@pytest.mark.torch
@pytest.mark.parametrize("kind", [*LAYERS, "RNNCell", "LSTMCell", "GRUCell"])
def test_initial_weights_are_pytorchs_from_the_same_seed(kind: str) -> None:
    torch = pytest.importorskip("torch")
    torch.manual_seed(7)
    nn.manual_seed(7)
    theirs = getattr(torch.nn, kind)(3, 4)
    ours = getattr(nn, kind)(3, 4)
    for (name, a), (other, b) in zip(
        theirs.named_parameters(), ours.named_parameters(), strict=True
    ):
        assert name == other
        np.testing.assert_array_equal(b.detach().numpy(), a.detach().numpy())
