"""LayerNorm, SiLU and the dict and parameter containers, as PyTorch's. (Values and
gradients against PyTorch: tests/cases/layer_cases.py via test_autograd_parity.py.)"""

import numpy as np
import pytest

import nn
import optimizers


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_layer_norm_normalises_each_sample_and_keeps_the_dtype(dtype):
    norm = nn.LayerNorm((2, 3), dtype=dtype)
    x = nn.tensor(np.random.default_rng(0).standard_normal((4, 2, 3)).astype(dtype))
    out = norm(x).detach().numpy()
    assert out.dtype == dtype
    np.testing.assert_allclose(out.mean(axis=(1, 2)), 0, atol=1e-5)
    np.testing.assert_allclose(out.var(axis=(1, 2)), 1, rtol=1e-3)
    assert [name for name, _ in norm.named_parameters()] == ["weight", "bias"]
    assert norm.weight.shape == (2, 3) and norm.weight.dtype == dtype


def test_layer_norm_options_and_repr_are_pytorchs():
    assert repr(nn.LayerNorm(3)) == (
        "LayerNorm((3,), eps=1e-05, elementwise_affine=True, bias=True)"
    )
    no_bias = nn.LayerNorm((2, 3), bias=False)
    assert no_bias.bias is None and [n for n, _ in no_bias.named_parameters()] == ["weight"]
    plain = nn.LayerNorm(3, elementwise_affine=False)
    assert list(plain.parameters()) == [] and "bias=False" in repr(plain)
    with pytest.raises(RuntimeError, match="normalized_shape"):
        nn.LayerNorm(4)(np.ones((2, 3)))
    with pytest.raises(ValueError, match="normalized_shape"):
        nn.LayerNorm(0)


def test_layer_norm_gradients_match_finite_differences():
    rng = np.random.default_rng(1)
    x = nn.tensor(rng.standard_normal((3, 4)), requires_grad=True)
    w = nn.tensor(rng.standard_normal(4), requires_grad=True)
    b = nn.tensor(rng.standard_normal(4), requires_grad=True)
    upstream = nn.tensor(rng.standard_normal((3, 4)))
    assert nn.gradcheck(lambda x_, w_, b_: nn.F.layer_norm(x_, (4,), w_, b_) * upstream, (x, w, b))
    assert nn.gradcheck(lambda x_: nn.F.silu(x_), (x,))


def test_a_layer_norm_net_trains():
    nn.manual_seed(0)
    model = nn.Sequential(nn.Linear(3, 8), nn.LayerNorm(8), nn.SiLU(), nn.Linear(8, 1))
    optimizer = optimizers.Adam(model.parameters(), lr=0.05)
    rng = np.random.default_rng(2)
    X = rng.standard_normal((64, 3)).astype(np.float32)
    y = (X[:, :1] - 2 * X[:, 1:2]).astype(np.float32)
    losses = []
    for _ in range(60):
        optimizer.zero_grad()
        loss = nn.F.mse_loss(model(X), y)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    assert losses[-1] < 0.1 * losses[0]


def test_silu_module_and_in_place():
    x = nn.tensor([-1.0, 0.0, 2.0])
    np.testing.assert_allclose(nn.SiLU()(x).numpy(), [-0.26894142, 0.0, 1.76159416], rtol=1e-6)
    y = nn.tensor([-1.0, 0.0, 2.0])
    nn.F.silu(y, inplace=True)
    np.testing.assert_allclose(y.numpy(), [-0.26894142, 0.0, 1.76159416], rtol=1e-6)


def test_module_dict_registers_its_modules_in_order():
    heads = nn.ModuleDict({"a": nn.Linear(2, 1)})
    heads["b"] = nn.Linear(2, 3)
    heads.update([("c", nn.ReLU())])
    assert list(heads) == ["a", "b", "c"] and len(heads) == 3 and "b" in heads
    assert [n for n, _ in heads.named_parameters()] == ["a.weight", "a.bias", "b.weight", "b.bias"]
    owner = nn.Module()
    owner.heads = heads
    assert next(n for n, _ in owner.named_parameters()) == "heads.a.weight"
    assert isinstance(heads.pop("c"), nn.ReLU) and "c" not in heads
    del heads["a"]
    assert list(heads.keys()) == ["b"] and len(list(heads.parameters())) == 2
    assert repr(heads) == "ModuleDict(\n  (b): Linear(in_features=2, out_features=3, bias=True)\n)"
    with pytest.raises(NotImplementedError):
        heads(1)


def test_parameter_list_and_dict_make_parameters_and_register_them():
    scales = nn.ParameterList([nn.ones(2), nn.Parameter(nn.zeros(3))])
    scales.append(np.ones(1, dtype=np.float32))
    assert len(scales) == 3 and all(isinstance(p, nn.Parameter) for p in scales)
    assert scales[-1].shape == (1,) and scales[0].requires_grad
    assert [n for n, _ in scales.named_parameters()] == ["0", "1", "2"]
    with pytest.raises(IndexError):
        scales[3]
    gains = nn.ParameterDict({"a": nn.ones(2)})
    gains["b"] = nn.zeros(1)
    assert list(gains) == ["a", "b"] and gains.get("zz") is None
    owner = nn.Module()
    owner.gains, owner.scales = gains, scales
    names = [n for n, _ in owner.named_parameters()]
    assert names == ["gains.a", "gains.b", "scales.0", "scales.1", "scales.2"]
    assert set(owner.state_dict()) == set(names)
    with pytest.raises(TypeError, match="Parameter"):
        scales.append("weights")
    optimizer = optimizers.SGD(owner.parameters(), lr=0.5)
    (gains["a"].sum() + scales[1].sum()).backward()
    optimizer.step()
    np.testing.assert_allclose(gains["a"].detach().numpy(), [0.5, 0.5])


def test_rms_norm_scales_by_the_root_mean_square_with_the_dtypes_epsilon():
    norm = nn.RMSNorm(3)
    assert repr(norm) == "RMSNorm((3,), eps=None, elementwise_affine=True)"
    x = nn.tensor([[1.0, 2.0, 2.0]], requires_grad=True)
    out = norm(x)
    rms = np.sqrt(3.0 + np.finfo(np.float32).eps)
    np.testing.assert_allclose(out.detach().numpy(), [[1 / rms, 2 / rms, 2 / rms]], rtol=1e-6)
    assert [name for name, _ in norm.named_parameters()] == ["weight"]
    wide = nn.tensor(np.random.default_rng(0).standard_normal((2, 3)), requires_grad=True)
    assert nn.gradcheck(lambda t: nn.F.rms_norm(t, (2, 3), eps=1e-3), (wide,))
    with pytest.raises(RuntimeError, match="expected input with shape"):
        nn.F.rms_norm(x, (4,))


def test_sequential_item_assignment_and_deletion_are_pytorchs():
    s = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1))
    s[1] = nn.Tanh()
    s[-1] = nn.Linear(3, 4)
    assert isinstance(s[1], nn.Tanh) and s[2].out_features == 4
    del s[0]
    assert list(s.state_dict()) == ["1.weight", "1.bias"]  # renumbered from 0
    del s[:1]
    assert len(s) == 1 and list(s.state_dict()) == ["0.weight", "0.bias"]
    with pytest.raises(IndexError, match="out of range"):
        s[3] = nn.ReLU()
