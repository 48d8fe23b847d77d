"""GroupNorm, InstanceNorm1d/2d/3d (nn/functional/normalization.py,
nn/modules/normalization.py) and the constant pads (nn/modules/padding.py): values by
their definitions, gradients against finite differences, shapes and refusals."""

from __future__ import annotations

import numpy as np
import pytest

import nn
import nn.functional as F

X = np.random.default_rng(0).normal(size=(2, 4, 3, 2))


def _by_hand(x: np.ndarray, groups: int, eps: float = 1e-5) -> np.ndarray:
    grouped = x.reshape(x.shape[0], groups, -1)
    mean = grouped.mean(-1, keepdims=True)
    var = grouped.var(-1, keepdims=True)
    return ((grouped - mean) / np.sqrt(var + eps)).reshape(x.shape)


@pytest.mark.parametrize("groups", [1, 2, 4])
def test_group_norm_normalises_each_group_of_channels(groups):
    w, b = np.arange(1.0, 5.0), np.arange(4.0)
    got = F.group_norm(nn.tensor(X), groups, nn.tensor(w), nn.tensor(b))
    expected = _by_hand(X, groups) * w[:, None, None] + b[:, None, None]
    np.testing.assert_allclose(got.numpy(), expected, rtol=1e-10)


def test_instance_norm_is_group_norm_with_a_group_per_channel():
    np.testing.assert_allclose(F.instance_norm(nn.tensor(X)).numpy(), _by_hand(X, 4), rtol=1e-10)
    layer = nn.InstanceNorm1d(4)
    unbatched = nn.tensor(X[0].reshape(4, 6))
    np.testing.assert_allclose(
        layer(unbatched).numpy(), _by_hand(X[:1].reshape(1, 4, 6), 4)[0], rtol=1e-10
    )


def test_gradients_match_finite_differences():
    x = nn.tensor(X, requires_grad=True)
    w = nn.tensor(np.arange(1.0, 5.0), requires_grad=True)
    b = nn.tensor(np.zeros(4), requires_grad=True)
    assert nn.gradcheck(lambda x, w, b: F.group_norm(x, 2, w, b), (x, w, b))


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: F.group_norm(nn.tensor(X), 3), RuntimeError, "divisible by num_groups"),
        (lambda: nn.GroupNorm(3, 4), ValueError, "divisible by num_groups"),
        (lambda: nn.InstanceNorm2d(3)(nn.ones(3, 2)), ValueError, "expected 3D or 4D input"),
        (lambda: nn.InstanceNorm1d(3, track_running_stats=True), NotImplementedError, "running"),
        (
            lambda: F.instance_norm(nn.tensor(X), running_mean=nn.zeros(4)),
            NotImplementedError,
            "running statistics",
        ),
    ],
)
def test_what_is_refused(call, error, message):
    with pytest.raises(error, match=message):
        call()


def test_the_layers_have_pytorchs_parameters_and_repr():
    norm = nn.GroupNorm(2, 4)
    assert list(norm.state_dict()) == ["weight", "bias"]
    assert repr(norm) == "GroupNorm(2, 4, eps=1e-05, affine=True, bias=True)"
    assert list(nn.InstanceNorm2d(3).state_dict()) == []
    assert repr(nn.InstanceNorm2d(3, affine=True)) == (
        "InstanceNorm2d(3, eps=1e-05, momentum=0.1, affine=True, bias=True, "
        "track_running_stats=False)"
    )


def test_constant_pads_pad_the_last_dimensions():
    x = nn.ones(1, 2, 2)
    assert nn.ZeroPad2d(1)(x).shape == (1, 4, 4)
    assert nn.ZeroPad2d((1, 0, 2, 0))(x).shape == (1, 4, 3)
    assert nn.ConstantPad1d((2, 1), 3.5)(nn.ones(2, 1)).tolist() == [[3.5, 3.5, 1.0, 3.5]] * 2
    assert nn.ConstantPad3d(1, 0.0)(nn.ones(1, 1, 1)).shape == (3, 3, 3)
    assert repr(nn.ZeroPad2d(1)) == "ZeroPad2d((1, 1, 1, 1))"
    assert repr(nn.ConstantPad1d(2, 3.5)) == "ConstantPad1d(padding=(2, 2), value=3.5)"
    with pytest.raises(ValueError, match="tuple of 4 ints"):
        nn.ZeroPad2d((1, 2))


def test_reflection_replication_and_circular_pads_and_their_gradients():
    row = nn.arange(3.0).reshape(1, 3)
    assert nn.ReflectionPad1d(2)(row).tolist() == [[2.0, 1.0, 0.0, 1.0, 2.0, 1.0, 0.0]]
    assert nn.ReplicationPad1d((1, 2))(row).tolist() == [[0.0, 0.0, 1.0, 2.0, 2.0, 2.0]]
    assert nn.CircularPad1d(1)(row).tolist() == [[2.0, 0.0, 1.0, 2.0, 0.0]]
    assert nn.F.pad(nn.tensor([[2.0, 1.0]]), (1, -1), mode="reflect").tolist() == [[1.0, 2.0]]
    image = nn.tensor(np.random.default_rng(0).standard_normal((1, 2, 3, 4)), requires_grad=True)
    for mode in ("reflect", "replicate", "circular"):
        assert nn.gradcheck(lambda x, m=mode: nn.F.pad(x, (1, 2, 2, 1), mode=m), (image,))
    with pytest.raises(RuntimeError, match="Padding size should be less than"):
        nn.F.pad(row, (3, 0), mode="reflect")
    with pytest.raises(NotImplementedError, match="Padding size 2 is not supported for 1D"):
        nn.F.pad(nn.ones(3), (1, 1), mode="replicate")


def test_a_convolution_with_a_padding_mode_pads_its_input_first():
    conv = nn.Conv2d(2, 3, 3, padding=1, padding_mode="reflect")
    assert repr(conv).endswith("padding_mode=reflect)")
    x = nn.randn(1, 2, 5, 5)
    expected = nn.F.conv2d(nn.F.pad(x, (1, 1, 1, 1), mode="reflect"), conv.weight, conv.bias)
    np.testing.assert_array_equal(conv(x).detach().numpy(), expected.detach().numpy())


def test_nearest_interpolation_picks_pytorchs_elements_and_sends_gradients_back():
    x = nn.arange(5.0).reshape(1, 1, 5)
    assert nn.F.interpolate(x, scale_factor=1.7).flatten().tolist() == [0, 0, 1, 1, 2, 2, 3, 4]
    assert nn.F.interpolate(x, size=8).flatten().tolist() == [0, 0, 1, 1, 2, 3, 3, 4]
    exact = nn.F.interpolate(x, scale_factor=0.6, mode="nearest-exact")
    assert exact.flatten().tolist() == [0, 2, 4]
    image = nn.ones(1, 1, 2, 3, requires_grad=True)
    nn.Upsample(scale_factor=2)(image).sum().backward()
    assert image.grad.tolist() == [[[[4.0] * 3] * 2]]
    with pytest.raises(NotImplementedError, match="'nearest' and 'nearest-exact'"):
        nn.F.interpolate(image, size=(3, 3), mode="bilinear")
    with pytest.raises(ValueError, match="either size or scale_factor"):
        nn.F.interpolate(image)
