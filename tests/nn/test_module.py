"""Module registration, traversal, modes, state dicts and repr."""

import copy
from collections import OrderedDict

import numpy as np
import pytest

import nn
from tests.cases.models import CourseNet


def test_registration_order_and_dotted_names():
    net = CourseNet()
    assert [n for n, _ in net.named_parameters()] == [
        "layer1.weight",
        "layer1.bias",
        "layer2.weight",
        "layer2.bias",
        "layer3.weight",
        "layer3.bias",
    ]
    assert [n for n, _ in net.named_children()] == ["layer1", "layer2", "layer3"]
    assert [n for n, _ in net.named_modules()] == ["", "layer1", "layer2", "layer3"]
    seq = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Sequential(nn.Linear(3, 1)))
    assert [n for n, _ in seq.named_parameters()] == [
        "0.weight",
        "0.bias",
        "2.0.weight",
        "2.0.bias",
    ]
    assert len(list(seq.parameters(recurse=False))) == 0


def test_shared_parameter_yielded_once():
    shared = nn.Linear(2, 2)
    seq = nn.Sequential(shared, nn.ReLU(), shared)
    assert len(list(seq.parameters())) == 2
    assert len(list(seq.modules())) == 3


def test_reassignment_replaces_and_plain_attributes_are_not_registered():
    net = CourseNet()
    net.layer2 = nn.Linear(5, 3)
    assert net.layer2.out_features == 3
    net.scale = 2.0
    net.note = np.ones(3)
    assert len(list(net.parameters())) == 6
    net.extra = nn.Parameter(np.zeros(1))
    assert next(n for n, _ in net.named_parameters()) == "extra"  # own parameters first
    assert [n for n, _ in net.named_children()] == ["layer1", "layer2", "layer3"]
    with pytest.raises(TypeError, match="parameter 'extra'"):
        net.extra = np.zeros(1)
    del net.extra
    assert "extra" not in dict(net.named_parameters())


def test_assigning_before_super_init_says_so():
    class Broken(nn.Module):
        def __init__(self):
            self.w = nn.Parameter(np.zeros(1))
            super().__init__()

    with pytest.raises(AttributeError, match=r"before Module.__init__\(\)"):
        Broken()


def test_train_eval_propagate():
    net = nn.Sequential(nn.Linear(2, 2), nn.Dropout(0.5), nn.Sequential(nn.BatchNorm1d(2)))
    net.eval()
    assert not any(m.training for m in net.modules())
    net.train()
    assert all(m.training for m in net.modules())
    with pytest.raises(ValueError, match="boolean"):
        net.train("yes")


def test_state_dict_round_trip_and_copies():
    nn.manual_seed(1)
    a = nn.Sequential(nn.Linear(2, 3), nn.BatchNorm1d(3))
    a(np.random.default_rng(0).normal(size=(8, 2)))
    nn.manual_seed(2)
    b = nn.Sequential(nn.Linear(2, 3), nn.BatchNorm1d(3))
    sd = a.state_dict()
    assert list(sd) == [
        "0.weight",
        "0.bias",
        "1.weight",
        "1.bias",
        "1.running_mean",
        "1.running_var",
        "1.num_batches_tracked",
    ]
    weight_array = b[0].weight.detach().numpy()
    result = b.load_state_dict(sd)
    assert result.missing_keys == [] and result.unexpected_keys == []
    for key, value in b.state_dict().items():
        np.testing.assert_array_equal(value, sd[key])
    assert b[0].weight.detach().numpy() is weight_array  # copied into the existing array
    snapshot = copy.deepcopy(sd)
    sd["0.weight"][...] = 99.0  # as in PyTorch, state dict values share the model's storage
    assert np.all(a[0].weight.detach().numpy() == 99.0)
    assert not np.any(snapshot["0.weight"].numpy() == 99.0)
    assert not sd["0.weight"].requires_grad


def test_load_state_dict_keeps_dtype():
    net = nn.Linear(2, 2)
    net.load_state_dict({"weight": np.ones((2, 2), dtype=np.float64), "bias": [1.0, 2.0]})
    assert net.weight.dtype == np.float32
    np.testing.assert_array_equal(net.bias.detach().numpy(), [1.0, 2.0])


def test_load_state_dict_errors_name_every_key_and_change_nothing():
    net = CourseNet()
    before = {k: v.clone() for k, v in net.state_dict().items()}
    sd = net.state_dict()
    sd["layer1.weight"] = np.zeros((3, 3))
    del sd["layer3.bias"]
    sd["layer4.weight"] = np.zeros(1)
    sd["layer2.bias"] = np.full(2, 7.0)
    with pytest.raises(RuntimeError) as info:
        net.load_state_dict(sd)
    message = str(info.value)
    assert '"layer4.weight"' in message and '"layer3.bias"' in message
    assert (
        "size mismatch for layer1.weight" in message and "(3, 3)" in message and "(5, 2)" in message
    )
    for key, value in net.state_dict().items():
        np.testing.assert_array_equal(value, before[key])


def test_load_state_dict_non_strict_reports_keys():
    net = nn.Linear(2, 2)
    result = net.load_state_dict({"weight": np.zeros((2, 2)), "other": np.zeros(1)}, strict=False)
    assert result.missing_keys == ["bias"] and result.unexpected_keys == ["other"]
    np.testing.assert_array_equal(net.weight.detach().numpy(), 0)
    with pytest.raises(RuntimeError, match="size mismatch"):
        net.load_state_dict({"weight": np.zeros((3, 2))}, strict=False)
    with pytest.raises(TypeError, match="dict-like"):
        net.load_state_dict([("weight", np.zeros((2, 2)))])


def test_repr_prints_the_tree():
    net = nn.Sequential(nn.Linear(2, 5), nn.ReLU(), nn.Sequential(nn.Dropout(0.1)))
    assert repr(net) == (
        "Sequential(\n"
        "  (0): Linear(in_features=2, out_features=5, bias=True)\n"
        "  (1): ReLU()\n"
        "  (2): Sequential(\n"
        "    (0): Dropout(p=0.1, inplace=False)\n"
        "  )\n"
        ")"
    )


def test_zero_grad_apply_and_containers():
    net = CourseNet()
    net(np.ones((3, 2))).sum().backward()
    assert all(p.grad is not None for p in net.parameters())
    net.zero_grad(set_to_none=False)
    assert all(np.all(p.grad == 0) for p in net.parameters())
    net.zero_grad()
    assert all(p.grad is None for p in net.parameters())
    names = []
    net.apply(lambda m: names.append(type(m).__name__))
    assert names == ["Linear", "Linear", "Linear", "CourseNet"]
    layers = nn.ModuleList([nn.Linear(1, 1), nn.Linear(1, 1)])
    layers.append(nn.Linear(1, 2))
    assert len(layers) == 3 and layers[-1].out_features == 2
    seq = nn.Sequential(OrderedDict([("fc", nn.Linear(2, 1)), ("act", nn.Sigmoid())]))
    assert isinstance(seq.act, nn.Sigmoid) and len(seq[:1]) == 1


def test_double_converts_in_place():
    net = CourseNet()
    params = list(net.parameters())
    net.double()
    assert all(p.dtype == np.float64 for p in net.parameters())
    assert all(p is q for p, q in zip(params, net.parameters(), strict=True))
    assert net(np.ones((1, 2))).dtype == np.float64


def test_buffers_registered_and_non_persistent():
    m = nn.Module()
    m.register_buffer("steps", np.zeros(1))
    m.register_buffer("cache", np.zeros(2), persistent=False)
    assert [n for n, _ in m.named_buffers()] == ["steps", "cache"]
    assert list(m.state_dict()) == ["steps"]
    m.steps = np.ones(1)
    assert isinstance(m.steps, nn.Tensor)
    with pytest.raises(NotImplementedError, match="forward"):
        m(1)


def test_module_list_edits_renumber_and_repeats_print_once():
    """insert, pop, del and += keep the keys 0, 1, ... (state_dict names follow), and a run
    of identical children prints once, as PyTorch's ModuleList does."""
    layers = nn.ModuleList([nn.ReLU(), nn.Tanh()])
    layers.insert(0, nn.Sigmoid())
    layers += [nn.Linear(2, 2)]
    assert [type(m).__name__ for m in layers] == ["Sigmoid", "ReLU", "Tanh", "Linear"]
    assert type(layers.pop(1)).__name__ == "ReLU"
    del layers[0]
    assert list(layers._modules) == ["0", "1"]
    assert list(layers.state_dict()) == ["1.weight", "1.bias"]
    blocks = nn.ModuleList([nn.Linear(3, 3) for _ in range(3)]) + [nn.ReLU()]
    assert repr(blocks) == (
        "ModuleList(\n  (0-2): 3 x Linear(in_features=3, out_features=3, bias=True)\n"
        "  (3): ReLU()\n)"
    )


def test_lookups_by_dotted_name():
    net = nn.Sequential(nn.Linear(2, 3), nn.BatchNorm1d(3))
    assert net.get_submodule("") is net and net.get_submodule("1") is net[1]
    assert net.get_parameter("0.weight") is net[0].weight
    assert net.get_buffer("1.running_mean") is net[1].running_mean
    with pytest.raises(AttributeError, match="Sequential has no attribute `2`"):
        net.get_submodule("2.weight")
    with pytest.raises(AttributeError, match=r"`training` is not an nn\.Parameter"):
        net.get_parameter("0.training")
    with pytest.raises(AttributeError, match="`weight` is not a buffer"):
        net.get_buffer("0.weight")
    with pytest.raises(AttributeError, match="BatchNorm1d has no attribute `nope`"):
        net.get_buffer("1.nope")
