"""Convolution, pooling, the new activations, losses and embeddings: gradients against
finite differences, dtypes, initialisation, arguments and errors as PyTorch's.
(Values against PyTorch: tests/cases/layer_cases.py via test_autograd_parity.py, and
test_torch_live_layers.py when torch is installed.)"""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import nn
import nn.functional as F


def leaf(*shape, seed=0):
    return nn.tensor(np.random.default_rng(seed).standard_normal(shape), requires_grad=True)


@settings(max_examples=25, deadline=None)
@given(
    stride=st.sampled_from([1, 2, (2, 1)]),
    padding=st.sampled_from([0, 1, (1, 0), "same", "valid"]),
    dilation=st.sampled_from([1, 2]),
    groups=st.sampled_from([1, 2]),
    bias=st.booleans(),
)
def test_conv2d_gradients(stride, padding, dilation, groups, bias):
    if padding == "same" and stride != 1:
        return
    x, w = leaf(2, 4, 6, 5, seed=1), leaf(4, 4 // groups, 3, 2, seed=2)
    args = (x, w, leaf(4, seed=3)) if bias else (x, w)
    assert nn.gradcheck(
        lambda *a: F.conv2d(a[0], a[1], a[2] if bias else None, stride, padding, dilation, groups),
        args,
    )


@pytest.mark.parametrize(
    "pool",
    [
        lambda x: F.max_pool2d(x, 2),
        lambda x: F.max_pool2d(x, 3, 2, 1, 1, True),
        lambda x: F.max_pool2d(x, (2, 3), 1, 0, (2, 1)),
        lambda x: F.avg_pool2d(x, 2),
        lambda x: F.avg_pool2d(x, 3, 2, 1, True, False),
        lambda x: F.avg_pool2d(x, 2, 1, 1, False, True, 3),
        lambda x: F.adaptive_avg_pool2d(x, (3, 2)),
    ],
)
def test_pooling_gradients(pool):
    assert nn.gradcheck(pool, (leaf(2, 2, 7, 6, seed=4),))


@pytest.mark.parametrize("dtype", [nn.float32, nn.float64])
def test_a_cnn_keeps_its_dtype_and_float32_agrees_with_float64(dtype):
    nn.manual_seed(0)
    model = nn.Sequential(
        nn.Conv2d(1, 4, 3, padding="same"),
        nn.GELU(),
        nn.MaxPool2d(2),
        nn.Conv2d(4, 2, 3, stride=2),
        nn.ELU(),
        nn.AvgPool2d(2, ceil_mode=True),
        nn.AdaptiveAvgPool2d(1),
        nn.Flatten(),
    ).to(dtype)
    x = np.random.default_rng(0).standard_normal((3, 1, 12, 12)).astype(dtype)
    y = model(x)
    y.sum().backward()
    assert y.dtype == dtype and all(p.grad.dtype == dtype for p in model.parameters())
    wide = model.double()
    np.testing.assert_allclose(y.detach().numpy(), wide(x.astype(np.float64)).detach().numpy(),
                               rtol=1e-4, atol=1e-5)  # fmt: skip


def test_unbatched_input_gives_unbatched_output():
    conv = nn.Conv2d(3, 2, 3)
    x = nn.randn(3, 5, 5)
    np.testing.assert_allclose(conv(x).numpy(force=True), conv(x[None])[0].numpy(force=True))
    assert nn.MaxPool2d(2)(x).shape == (3, 2, 2)


def test_conv2d_initialisation_and_repr_as_torch():
    nn.manual_seed(0)
    conv = nn.Conv2d(3, 64, (5, 3), stride=2, padding=1, groups=1)
    bound = 1 / math.sqrt(3 * 5 * 3)
    w, b = conv.weight.numpy(force=True), conv.bias.numpy(force=True)
    assert w.shape == (64, 3, 5, 3) and np.abs(w).max() <= bound and np.abs(b).max() <= bound
    assert np.abs(w).max() > 0.9 * bound  # uniform over the whole range
    assert repr(conv) == "Conv2d(3, 64, kernel_size=(5, 3), stride=(2, 2), padding=(1, 1))"
    assert repr(nn.Conv2d(2, 2, 3, padding="same", bias=False, groups=2)) == (
        "Conv2d(2, 2, kernel_size=(3, 3), stride=(1, 1), padding=same, groups=2, bias=False)"
    )
    assert repr(nn.MaxPool2d(2)) == (
        "MaxPool2d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False)"
    )


@pytest.mark.parametrize(
    ("make", "error", "message"),
    [
        (lambda: nn.Conv2d(3, 4, 3, groups=2), ValueError, "in_channels must be divisible by"),
        (lambda: nn.Conv2d(1, 1, 3, stride=2, padding="same"), ValueError,
         "padding='same' is not supported for strided convolutions"),
        (lambda: nn.Conv2d(1, 1, 3, padding="full"), ValueError, "Invalid padding string 'full'"),
        (lambda: nn.Conv2d(1, 1, 3, padding_mode="mirror"), ValueError, "padding_mode must be"),
        (lambda: nn.Conv2d(1, 1, 3, device="cuda"), RuntimeError, "CPU"),
        (lambda: nn.Conv2d(1, 6, 5)(nn.ones(2, 3, 28, 28)), RuntimeError,
         r"Given groups=1, weight of size \[6, 1, 5, 5\], expected input\[2, 3, 28, 28\] to have "
         "1 channels, but got 3 channels instead"),
        (lambda: nn.Conv2d(1, 1, 3)(nn.ones(2, 2)), RuntimeError,
         r"Expected 3D \(unbatched\) or 4D \(batched\) input to conv2d, but got input of size: "
         r"\[2, 2\]"),
        (lambda: nn.MaxPool2d(2, padding=2)(nn.ones(1, 1, 4, 4)), RuntimeError,
         "pad should be smaller than or equal to half of kernel size"),
        (lambda: nn.MaxPool2d(5)(nn.ones(1, 1, 4, 4)), RuntimeError, "Output size is too small"),
    ],
)  # fmt: skip
def test_bad_arguments_raise_as_torch(make, error, message):
    with pytest.raises(error, match=message):
        make()


def test_max_pool_indices_point_at_the_maximum():
    x = nn.randn(2, 3, 6, 6)
    values, indices = nn.MaxPool2d(2, return_indices=True)(x)
    flat = x.numpy().reshape(2, 3, -1)
    np.testing.assert_array_equal(
        np.take_along_axis(flat, indices.numpy().reshape(2, 3, -1), -1).reshape(values.shape),
        values.numpy(),
    )


def test_dropout2d_zeroes_whole_channels():
    drop = nn.Dropout2d(0.5, generator=0)
    y = drop(nn.ones(4, 8, 3, 3)).numpy()
    per_channel = y.reshape(4, 8, -1)
    assert set(np.unique(per_channel)) <= {0.0, 2.0}
    assert (per_channel.min(-1) == per_channel.max(-1)).all()
    assert 0 < (per_channel[..., 0] == 0).sum() < 32
    assert (drop.eval()(nn.ones(1, 2, 2, 2)).numpy() == 1).all()


def test_embedding_init_lookup_and_errors():
    nn.manual_seed(0)
    emb = nn.Embedding(10, 4, padding_idx=-1)
    assert emb.padding_idx == 9 and (emb.weight.numpy(force=True)[9] == 0).all()
    out = emb(nn.tensor([[1, 9], [1, 2]]))
    out.sum().backward()
    assert out.shape == (2, 2, 4)
    np.testing.assert_array_equal(emb.weight.grad.numpy()[[1, 2, 9, 0]][:, 0], [2, 1, 0, 0])
    with pytest.raises(IndexError, match="index out of range in self"):
        emb(nn.tensor([10]))
    with pytest.raises(RuntimeError, match="'indices' to have one of the following scalar types"):
        emb(nn.tensor([1.0]))
    frozen = nn.Embedding.from_pretrained(nn.ones(3, 2))
    assert not frozen.weight.requires_grad and frozen(nn.tensor([2])).tolist() == [[1.0, 1.0]]
    with pytest.raises(NotImplementedError, match="sparse"):
        nn.Embedding(3, 2, sparse=True)(nn.tensor([0]))


def test_embedding_max_norm_renormalizes_looked_up_rows_in_place():
    emb = nn.Embedding.from_pretrained(nn.tensor([[3.0, 4.0], [0.3, 0.4]]), max_norm=1.0)
    emb(nn.tensor([0, 1]))
    np.testing.assert_allclose(emb.weight.numpy(), [[0.6, 0.8], [0.3, 0.4]], rtol=1e-6)


def test_one_hot_and_unflatten():
    assert F.one_hot(nn.tensor([1, 0]), 3).tolist() == [[0, 1, 0], [1, 0, 0]]
    assert F.one_hot(nn.tensor([1, 0])).dtype == nn.int64
    with pytest.raises(RuntimeError, match="only applicable to index tensor of type LongTensor"):
        F.one_hot(nn.tensor([1.0]))
    assert nn.Unflatten(1, (2, -1))(nn.zeros(3, 8)).shape == (3, 2, 4)
    assert nn.Unflatten(-1, (2, 2))(nn.zeros(4)).shape == (2, 2)


@pytest.mark.parametrize(
    "loss",
    [
        lambda x, y: F.l1_loss(x, y),
        lambda x, y: F.smooth_l1_loss(x, y, beta=0.7),
        lambda x, y: F.huber_loss(x, y, delta=0.7, reduction="sum"),
        lambda x, y: F.kl_div(x, y.abs(), reduction="batchmean"),
        lambda x, y: F.kl_div(x, y, reduction="sum", log_target=True),
        lambda x, y: F.softplus(x * 3, beta=2.0, threshold=1.0).sum() + F.elu(y).sum(),
        lambda x, y: F.gelu(x).sum() + F.gelu(y, approximate="tanh").sum(),
    ],
)
def test_loss_and_activation_gradients(loss):
    assert nn.gradcheck(loss, (leaf(3, 4, seed=5), leaf(3, 4, seed=6)))


def test_loss_arguments_as_torch():
    x, y = nn.zeros(2, 2), nn.ones(2, 2)
    with pytest.warns(UserWarning, match="reduction: 'mean' divides the total loss"):
        F.kl_div(x, y)
    with pytest.raises(RuntimeError, match="does not support negative values for beta"):
        F.smooth_l1_loss(x, y, beta=-1.0)
    w = nn.tensor([[1.0, 3.0], [0.0, 4.0]])
    assert F.huber_loss(x, y, reduction="sum", weight=w).item() == 0.5 * 8
    assert F.huber_loss(x, y, weight=w).item() == 0.5 * 8 / 4
    assert F.l1_loss(x, y + w, weight=w).item() == (2 * 1 + 4 * 3 + 1 * 0 + 5 * 4) / 8
    with pytest.raises(ValueError, match="Weights and input must have the same size"):
        F.l1_loss(x, y, weight=nn.ones(2))
    assert repr(nn.KLDivLoss(reduction="batchmean")) == "KLDivLoss()"  # (PyTorch's repr)
    assert nn.L1Loss()(x, y).item() == 1.0
