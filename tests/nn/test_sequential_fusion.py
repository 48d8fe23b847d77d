"""The opt-in fusion (nn.utils.fuse_linear_relu): a plain Linear and the ReLU after it run
as one node, with the same numbers as the two modules called one after the other, the same
state_dict keys, and nothing fused that the user changed. Sequential itself never fuses."""

import numpy as np
import pytest

import nn


def _layers(seed: int, dtype) -> list[nn.Module]:
    nn.manual_seed(seed)
    return [
        nn.Linear(3, 5).to(dtype),
        nn.ReLU(),
        nn.Linear(5, 4).to(dtype),
        nn.ReLU(),
        nn.Linear(4, 1).to(dtype),
    ]


def _one_by_one(layers: list[nn.Module], x: np.ndarray) -> nn.Tensor:
    out = x
    for layer in layers:
        out = layer(out)
    return out


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("shape", [(7, 3), (2, 4, 3), (3,)])
def test_fused_forward_and_gradients_equal_the_modules_one_by_one(dtype, shape):
    rng = np.random.default_rng(0)
    x_data = rng.standard_normal(shape).astype(dtype)
    layers = _layers(0, dtype)
    reference_layers = _layers(0, dtype)
    x = nn.tensor(x_data, requires_grad=True)
    x_ref = nn.tensor(x_data, requires_grad=True)
    out = _fused(*layers)(x)
    ref = _one_by_one(reference_layers, x_ref)
    assert out.dtype == dtype
    np.testing.assert_array_equal(out.detach().numpy(), ref.detach().numpy())
    (out * out).sum().backward()
    (ref * ref).sum().backward()
    np.testing.assert_array_equal(x.grad, x_ref.grad)
    for mine, theirs in zip(
        nn.Sequential(*layers).parameters(),
        nn.Sequential(*reference_layers).parameters(),
        strict=True,
    ):
        np.testing.assert_array_equal(mine.grad, theirs.grad)


def _fused(*layers: nn.Module) -> nn.Module:
    return nn.utils.fuse_linear_relu(nn.Sequential(*layers))


def test_a_linear_then_relu_is_one_node_only_when_asked():
    linear = nn.Linear(3, 2)
    x = np.ones((1, 3), dtype=np.float32)
    plain = nn.Sequential(linear, nn.ReLU())
    assert plain(x).grad_fn.next_functions[0][0].name() == "AddmmBackward0"  # (two nodes)
    out = _fused(linear, nn.ReLU())(x)
    assert out.grad_fn.name() == "ReluBackward0"
    assert out.grad_fn.next_functions[1][0].variable is linear.weight


def test_fusing_keeps_the_state_dict_and_the_parameters():
    nn.manual_seed(0)
    model = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 1))
    before = {k: v.clone() for k, v in model.state_dict().items()}
    weights = [p for p in model.parameters()]
    nn.utils.fuse_linear_relu(model)
    assert list(model.state_dict()) == list(before)
    assert all(a is b for a, b in zip(model.parameters(), weights, strict=True))


def test_relu_mask_is_strict_at_zero_and_nan_passes_through():
    linear = nn.Linear(1, 1)
    linear.weight.detach().numpy()[...] = 1.0
    linear.bias.detach().numpy()[...] = 0.0
    x = nn.tensor([[0.0], [-1.0], [2.0], [np.nan]], requires_grad=True)
    out = _fused(linear, nn.ReLU())(x)
    assert np.isnan(out.detach().numpy()[3, 0]) and out.detach().numpy()[:3, 0].tolist() == [
        0.0,
        0.0,
        2.0,
    ]
    out[:3].sum().backward()
    assert x.grad[:, 0].tolist() == [0.0, 0.0, 1.0, 0.0]  # PyTorch: d relu/dx at 0 is 0


class _LoudReLU(nn.ReLU):
    def forward(self, input):
        return super().forward(input) + 1.0


def test_subclasses_and_patched_forwards_are_not_fused():
    nn.manual_seed(0)
    x = np.ones((2, 3), dtype=np.float32)
    linear = nn.Linear(3, 2)
    plain = nn.Sequential(linear, nn.ReLU())(x).detach().numpy()
    np.testing.assert_array_equal(_fused(linear, _LoudReLU())(x).detach().numpy(), plain + 1.0)
    relu = nn.ReLU()
    relu.forward = lambda input: nn.F.relu(input) * 2.0
    np.testing.assert_array_equal(_fused(linear, relu)(x).detach().numpy(), plain * 2.0)
    linear.forward = lambda input: nn.F.linear(input, linear.weight, linear.bias) - 1.0
    np.testing.assert_array_equal(
        _fused(linear, nn.ReLU())(x).detach().numpy(),
        np.maximum(x @ linear.weight.detach().numpy().T + linear.bias.detach().numpy() - 1.0, 0),
    )


def test_bad_input_to_a_fused_pair_names_the_linear_layer():
    with pytest.raises(nn.ShapeError, match=r"Linear\(3, 2\)"):
        _fused(nn.Linear(3, 2), nn.ReLU())(np.ones((4, 5), dtype=np.float32))
