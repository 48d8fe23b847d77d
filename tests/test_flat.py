"""The whole-group (flat, chunked) step is bit-identical to the per-parameter loop, and
survives everything that can change under it."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import nn
import optimizers
from optimizers import _flat

MAKERS = {
    "BatchGD": lambda ps: optimizers.BatchGD(ps, lr=0.1),
    "SGD": lambda ps: optimizers.SGD(
        ps, lr=0.05, momentum=0.9, nesterov=True, weight_decay=0.01, maximize=True
    ),
    "Momentum": lambda ps: optimizers.Momentum(ps, lr=0.1, beta=0.8),
    "Adam": lambda ps: optimizers.Adam(ps, lr=0.01, amsgrad=True, weight_decay=0.01),
    "AdamW": lambda ps: optimizers.AdamW(ps, lr=0.01),
    "RMSprop": lambda ps: optimizers.RMSprop(ps, lr=0.01, momentum=0.5, centered=True),
    "Adagrad": lambda ps: optimizers.Adagrad(ps, lr=0.1, lr_decay=0.01),
}


def per_parameter(optimizer):
    """The same optimizer forced onto the per-parameter loop."""
    optimizer._flat = False
    return optimizer


def make_params(shapes, dtype, seed=0):
    rng = np.random.default_rng(seed)
    return [nn.Parameter(rng.standard_normal(shape).astype(dtype)) for shape in shapes]


def run(optimizer, params, grads, steps):
    for t in range(steps):
        for p, g in zip(params, grads, strict=True):
            p.grad = g[t]
        optimizer.step()


@pytest.fixture(params=[7, 1 << 15], ids=["tiny-chunks", "default-chunks"])
def chunk(request, monkeypatch):
    monkeypatch.setattr(_flat, "CHUNK", request.param)
    return request.param


@pytest.mark.parametrize("name", sorted(MAKERS))
@settings(max_examples=10, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    shapes=st.lists(
        st.sampled_from([(), (1,), (3,), (2, 5), (4, 3, 2), (40,)]), min_size=1, max_size=6
    ),
    dtype=st.sampled_from([np.float32, np.float64]),
    steps=st.integers(1, 6),
)
def test_flat_step_is_bit_identical_to_the_loop(chunk, name, shapes, dtype, steps):
    rng = np.random.default_rng(1)
    grads = [rng.standard_normal((steps, *shape)).astype(dtype) for shape in shapes]
    flat_params, loop_params = make_params(shapes, dtype), make_params(shapes, dtype)
    flat = MAKERS[name](flat_params)
    loop = per_parameter(MAKERS[name](loop_params))
    run(flat, flat_params, grads, steps)
    run(loop, loop_params, grads, steps)
    for a, b in zip(flat_params, loop_params, strict=True):
        assert a.dtype == dtype
        np.testing.assert_array_equal(a.detach().numpy(), b.detach().numpy())
    sd_flat, sd_loop = flat.state_dict(), loop.state_dict()
    for index, values in sd_loop["state"].items():
        assert set(sd_flat["state"][index]) == set(values)
        for key, value in values.items():
            np.testing.assert_array_equal(sd_flat["state"][index][key], value)


def test_flat_path_is_taken_and_state_stays_views(chunk):
    params = make_params([(3, 4), (5,), (2,)], np.float32)
    optimizer = optimizers.Adam(params, lr=0.01)
    run(optimizer, params, [np.ones((3, *p.shape), np.float32) for p in params], 3)
    flat = optimizer._flat_groups[0]
    assert optimizer.state[params[0]]["exp_avg"].base is flat.buffers["exp_avg"]
    assert optimizer.state[params[0]]["exp_avg"].shape == (3, 4)


def test_survives_reassigned_data_load_state_dict_and_new_groups(chunk):
    shapes = [(3, 4), (5,), (6,)]
    grads = [np.random.default_rng(2).standard_normal((12, *s)) for s in shapes]
    flat_params, loop_params = make_params(shapes, np.float64), make_params(shapes, np.float64)
    flat = optimizers.Adam(flat_params[:2], lr=0.01)
    loop = per_parameter(optimizers.Adam(loop_params[:2], lr=0.01))

    def steps(opt, ps, start, stop):
        for t in range(start, stop):
            for p, g in zip(ps, grads[: len(ps)], strict=True):
                p.grad = g[t]
            opt.step()

    steps(flat, flat_params[:2], 0, 3)
    steps(loop, loop_params[:2], 0, 3)
    for ps in (flat_params, loop_params):  # a user replaces a parameter's array
        ps[0].data = ps[0].detach().numpy() * 0.5
    steps(flat, flat_params[:2], 3, 5)
    steps(loop, loop_params[:2], 3, 5)
    flat.load_state_dict(flat.state_dict())  # state replaced by copies
    loop.load_state_dict(loop.state_dict())
    steps(flat, flat_params[:2], 5, 7)
    steps(loop, loop_params[:2], 5, 7)
    flat.add_param_group({"params": [flat_params[2]], "lr": 0.1})
    loop.add_param_group({"params": [loop_params[2]], "lr": 0.1})
    steps(flat, flat_params, 7, 12)
    steps(loop, loop_params, 7, 12)
    for a, b in zip(flat_params, loop_params, strict=True):
        np.testing.assert_array_equal(a.detach().numpy(), b.detach().numpy())


def test_parameters_become_views_of_one_buffer_and_keep_their_values(chunk):
    params = make_params([(2, 2), (3,)], np.float32)
    before = [p.detach().numpy().copy() for p in params]
    optimizer = optimizers.Momentum(params, lr=0.1)
    for p in params:
        p.grad = np.zeros(p.shape, np.float32)
    optimizer.step()  # creates the state
    optimizer.step()  # the first whole-group step moves the parameters into the buffer
    flat = optimizer._flat_groups[0]
    assert all(p.detach().numpy().base is flat.data for p in params)
    for p, b in zip(params, before, strict=True):
        np.testing.assert_array_equal(p.detach().numpy(), b)
        assert p.detach().numpy().shape == b.shape and p.detach().numpy().flags.c_contiguous


def test_missing_gradient_or_uneven_steps_fall_back_to_the_loop(chunk):
    shapes = [(3,), (4,)]
    flat_params, loop_params = make_params(shapes, np.float64), make_params(shapes, np.float64)
    flat, loop = (
        optimizers.Adam(flat_params, lr=0.1),
        per_parameter(optimizers.Adam(loop_params, lr=0.1)),
    )
    for t in range(6):
        for ps in (flat_params, loop_params):
            ps[0].grad = np.full(3, float(t + 1))
            ps[1].grad = None if t % 3 == 1 else np.full(4, -1.0)
        flat.step()
        loop.step()
    for a, b in zip(flat_params, loop_params, strict=True):
        np.testing.assert_array_equal(a.detach().numpy(), b.detach().numpy())
    assert flat.state[flat_params[0]]["step"] == 6 and flat.state[flat_params[1]]["step"] == 4


def test_shared_parameters_and_dtype_changes(chunk):
    def train(flat):
        nn.manual_seed(0)
        shared = nn.Linear(3, 3)
        model = nn.Sequential(shared, nn.ReLU(), shared)
        optimizer = optimizers.Adam(model.parameters(), lr=0.01)
        optimizer._flat = flat
        x = np.linspace(-1, 1, 6).reshape(2, 3)
        for epoch in range(5):
            if epoch == 3:
                model.double()  # every parameter gets a new float64 array
            optimizer.zero_grad()
            (model(x) ** 2).sum().backward()
            optimizer.step()
        return model, optimizer

    model, optimizer = train(flat=True)
    reference, _ = train(flat=False)  # the per-parameter loop
    assert [p.dtype for p in model.parameters()] == [np.float64, np.float64]
    for p, q in zip(model.parameters(), reference.parameters(), strict=True):
        # the loop keeps Adam's float32 moments after .double(), the flat buffer upcasts them
        np.testing.assert_allclose(p.detach().numpy(), q.detach().numpy(), rtol=1e-6)
    assert optimizer.state[model[0].weight]["step"] == 5


def test_a_subclass_that_changes_update_keeps_its_update():
    calls = []

    class Logged(optimizers.Adam):
        def _update(self, param, state, group):
            calls.append(param.shape)
            super()._update(param, state, group)

    params = make_params([(2,), (3,)], np.float64)
    optimizer = Logged(params, lr=0.1)
    run(optimizer, params, [np.ones((3, *p.shape)) for p in params], 3)
    assert len(calls) == 6


def test_a_wrong_gradient_shape_after_layout_raises_before_any_group_changes(chunk):
    first, second = make_params([(3,), (2, 2)], np.float32), make_params([(4,)], np.float32)
    optimizer = optimizers.Adam([{"params": first}, {"params": second}], lr=0.1)
    for p in first + second:
        p.grad = np.ones(p.shape, np.float32)
    optimizer.step()  # both groups laid out
    before = [p.detach().numpy().copy() for p in first + second]
    second[0]._grad = nn.ones(5)  # past the .grad setter, which refuses it itself
    with pytest.raises(RuntimeError, match=r"shape \(4,\) has a gradient of shape \(5,\)"):
        optimizer.step()
    for p, old in zip(first + second, before, strict=True):
        np.testing.assert_array_equal(p.detach().numpy(), old)
    assert optimizer.state[first[0]]["step"] == 1
