"""nn.MultiheadAttention: shapes and masks as PyTorch's, finite-difference gradients, and
(when PyTorch is installed) the same initial weights from one seed and the same outputs,
attention weights and gradients."""

import numpy as np
import pytest

import nn


def test_shapes_masks_and_gradients():
    attention = nn.MultiheadAttention(4, 2, batch_first=True)
    x = nn.randn(2, 3, 4)
    out, weights = attention(x, x, x)
    assert out.shape == (2, 3, 4) and weights.shape == (2, 3, 3)
    np.testing.assert_allclose(weights.sum(-1).detach().numpy(), np.ones((2, 3)), rtol=1e-6)
    causal = np.triu(np.ones((3, 3), dtype=bool), 1)
    _, masked = attention(x, x, x, attn_mask=nn.tensor(causal), average_attn_weights=False)
    assert masked.shape == (2, 2, 3, 3) and (masked.detach().numpy()[..., causal] == 0).all()
    padding = nn.tensor([[False, False, True], [False, True, True]])
    _, padded = attention(x, x, x, key_padding_mask=padding)
    assert (padded.detach().numpy()[padding.numpy()[:, None, :].repeat(3, 1)] == 0).all()
    small = nn.MultiheadAttention(2, 1, dtype=nn.float64)
    q = nn.tensor(np.random.default_rng(0).standard_normal((3, 1, 2)), requires_grad=True)
    assert nn.gradcheck(lambda t: small(t, t, t)[0], (q,))
    with pytest.raises(AssertionError, match="divisible"):
        nn.MultiheadAttention(5, 2)


@pytest.mark.torch
@pytest.mark.parametrize(
    ("options", "call"),
    [
        ({}, {}),
        ({"batch_first": True}, {"average_attn_weights": False}),
        ({"add_bias_kv": True, "add_zero_attn": True}, {"key_padding_mask": "padding"}),
        ({"kdim": 6, "vdim": 5}, {"attn_mask": "causal"}),
    ],
)
def test_multihead_attention_is_pytorchs_from_one_seed(options, call):
    torch = pytest.importorskip("torch")
    torch.manual_seed(3)
    theirs = torch.nn.MultiheadAttention(8, 2, **options)
    nn.manual_seed(3)
    ours = nn.MultiheadAttention(8, 2, **options)
    for name, value in theirs.state_dict().items():
        np.testing.assert_array_equal(ours.state_dict()[name].numpy(), value.numpy(), name)
    rng = np.random.default_rng(1)
    kdim, vdim = options.get("kdim", 8), options.get("vdim", 8)
    arrays = [
        rng.standard_normal(s).astype(np.float32) for s in ((5, 3, 8), (4, 3, kdim), (4, 3, vdim))
    ]
    if options.get("batch_first"):
        arrays = [np.ascontiguousarray(a.swapaxes(0, 1)) for a in arrays]
    masks = {
        "padding": np.array([[False, False, False, True]] * 3),
        "causal": np.triu(np.ones((5, 4), dtype=bool), 1),
    }
    kwargs = {k: masks.get(v, v) if isinstance(v, str) else v for k, v in call.items()}
    mine = [nn.tensor(a, requires_grad=True) for a in arrays]
    reference = [torch.tensor(a, requires_grad=True) for a in arrays]
    out, weights = ours(
        *mine, **{k: nn.tensor(v) if isinstance(v, np.ndarray) else v for k, v in kwargs.items()}
    )
    expected, expected_weights = theirs(
        *reference,
        **{k: torch.tensor(v) if isinstance(v, np.ndarray) else v for k, v in kwargs.items()},
    )
    np.testing.assert_allclose(out.detach().numpy(), expected.detach().numpy(), atol=1e-5)
    np.testing.assert_allclose(
        weights.detach().numpy(), expected_weights.detach().numpy(), atol=1e-6
    )
    out.sum().backward()
    expected.sum().backward()
    for a, b in zip(mine, reference, strict=True):
        np.testing.assert_allclose(a.grad.numpy(), b.grad.numpy(), atol=1e-4)
