"""Fuzzing: random models and inputs, random state dicts. Every outcome is a result or a
documented exception, never another kind of crash, and never a half-loaded model."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import nn


@st.composite
def models(draw):
    width = draw(st.integers(1, 5))
    first = width
    layers = []
    for _ in range(draw(st.integers(1, 5))):
        kind = draw(
            st.sampled_from(
                [
                    "linear",
                    "relu",
                    "tanh",
                    "sigmoid",
                    "leaky",
                    "dropout",
                    "batchnorm",
                    "identity",
                    "softmax",
                ]
            )
        )
        if kind == "linear":
            out = draw(st.integers(1, 5))
            layers.append(
                nn.Linear(width, out, dtype=draw(st.sampled_from([np.float32, np.float64])))
            )
            width = out
        elif kind == "batchnorm":
            layers.append(nn.BatchNorm1d(width))
        else:
            layers.append(
                {
                    "relu": nn.ReLU(),
                    "tanh": nn.Tanh(),
                    "sigmoid": nn.Sigmoid(),
                    "leaky": nn.LeakyReLU(0.2),
                    "dropout": nn.Dropout(0.3),
                    "identity": nn.Identity(),
                    "softmax": nn.Softmax(dim=-1),
                }[kind]
            )
    return nn.Sequential(*layers), first


inputs = st.one_of(
    hnp.arrays(
        st.sampled_from([np.float32, np.float64, np.int64]),
        hnp.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=6),
        elements=st.integers(-3, 3),
    ),
    hnp.arrays(np.bool_, hnp.array_shapes(min_dims=1, max_dims=2, max_side=4)),
    st.lists(st.floats(-3, 3), max_size=5),
    st.just("not data"),
    st.none(),
)


def expected_outcome(model, x, train):
    """What the model must do with ``x``: ``("shape", shape)`` or ``("error", type)``,
    worked out layer by layer from the shapes alone."""
    if all(isinstance(layer, nn.Identity) for layer in model):
        return "same", None
    if isinstance(x, list):
        x = np.asarray(x, dtype=np.float64).reshape(len(x))
    shape = None if not isinstance(x, np.ndarray) else x.shape
    for layer in model:
        if isinstance(layer, nn.Identity):
            continue
        if shape is None:
            return "error", TypeError
        if isinstance(layer, nn.Linear):
            if not shape or shape[-1] != layer.in_features:
                return "error", RuntimeError
            shape = shape[:-1] + (layer.out_features,)
        elif isinstance(layer, nn.BatchNorm1d):
            if len(shape) not in (2, 3):
                return "error", RuntimeError
            if 0 in shape:  # as PyTorch: an empty batch comes back as it is
                continue
            if shape[1] != layer.num_features:
                return "error", RuntimeError
            if train and int(np.prod(shape)) // shape[1] <= 1:
                return "error", ValueError
    return "shape", shape


@given(model_and_width=models(), x=inputs, train=st.booleans())
def test_random_models_on_random_inputs(model_and_width, x, train):
    model, _ = model_and_width
    model.train(train)
    kind, value = expected_outcome(model, x, train)
    if kind == "error":
        with pytest.raises(value) as raised:
            model(x)
        assert str(raised.value), "an error without a message"
        return
    out = model(x)
    if kind == "same":
        assert out is x  # only Identity layers: anything passes through
        return
    assert isinstance(out, nn.Tensor) and out.shape == value
    if out.requires_grad and out.numel():
        out.sum().backward()
        assert all(p.grad is not None for p in model.parameters() if p.requires_grad)


@given(model_and_width=models(), data=st.data())
def test_random_models_on_fitting_inputs_work(model_and_width, data):
    model, width = model_and_width
    x = data.draw(
        hnp.arrays(np.float64, (data.draw(st.integers(2, 6)), width), elements=st.floats(-3, 3))
    )
    out = model(x)
    assert out.shape[0] == x.shape[0]
    if not getattr(out, "requires_grad", False):  # a model without parameters
        assert not list(model.parameters())
        return
    out.sum().backward()
    assert all(p.grad is not None and p.grad.shape == p.shape for p in model.parameters())


def mutate(state, draw):
    state = dict(state)
    action = draw(
        st.sampled_from(["drop", "add", "shape", "dtype", "junk", "none", "tensor", "scalar"])
    )
    if not state:
        action = "add"
    key = draw(st.sampled_from(list(state))) if state else ""
    if action == "drop":
        del state[key]
    elif action == "add":
        state[draw(st.text(max_size=8))] = np.zeros(draw(st.integers(0, 3)))
    elif action == "shape":
        state[key] = np.zeros(
            draw(hnp.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=6))
        )
    elif action == "dtype":
        kind = draw(
            st.sampled_from([np.int8, np.int64, np.bool_, np.float16, np.complex64, "U3", object])
        )
        state[key] = np.zeros(np.shape(state[key]), dtype=kind)
    elif action == "junk":
        state[key] = draw(st.sampled_from(["text", b"bytes", {"a": 1}, [1, "x"], object()]))
    elif action == "none":
        state[key] = None
    elif action == "tensor":
        state[key] = nn.tensor(np.ones(np.shape(state[key])))
    else:
        state[key] = 1.5
    return state


@given(model_and_width=models(), data=st.data(), strict=st.booleans())
def test_random_state_dicts_load_fully_or_not_at_all(model_and_width, data, strict):
    model, _ = model_and_width
    before = model.state_dict()
    if not before:
        return
    state = before
    for _ in range(data.draw(st.integers(1, 3))):
        state = mutate(state, data.draw)
    try:
        model.load_state_dict(state, strict=strict)
    except (RuntimeError, TypeError):
        for key, value in model.state_dict().items():
            np.testing.assert_array_equal(value, before[key])  # nothing half-loaded
        return
    for key, value in model.state_dict().items():
        assert value.dtype == before[key].dtype  # loading keeps every dtype
        if key in state:
            np.testing.assert_array_equal(value, np.asarray(state[key]).astype(value.dtype))
