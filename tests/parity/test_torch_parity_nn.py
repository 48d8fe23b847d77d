"""nn against PyTorch, from fixtures that tests/fixtures/make_torch_fixtures.py recorded.

These tests never need torch installed.
"""

from pathlib import Path

import numpy as np
import pytest

import nn
import nn.functional as F

FIXTURES = np.load(Path(__file__).parent.parent / "fixtures" / "torch_nn.npz")
CASES = sorted({key.split("/")[0] for key in FIXTURES.files})

FUNCTIONS = {
    "linear": lambda x, w, b: F.linear(x, w, b),
    "relu": lambda x: F.relu(x),
    "leaky_relu": lambda x: F.leaky_relu(x, 0.1),
    "sigmoid": lambda x: F.sigmoid(x),
    "tanh": lambda x: F.tanh(x),
    "softmax": lambda x: F.softmax(x, dim=1),
    "log_softmax": lambda x: F.log_softmax(x, dim=1),
    "batch_norm": lambda x, w, b: F.batch_norm(x, None, None, w, b, training=True),
    "bce_logits_extreme": lambda x, y: F.binary_cross_entropy_with_logits(x, y),
    "cross_entropy_extreme": lambda x, y: F.cross_entropy(x, y),
    "bce_saturated": lambda p, y: F.binary_cross_entropy(p, y),
}
for reduction in ("mean", "sum", "none"):
    FUNCTIONS[f"mse_{reduction}"] = lambda x, y, r=reduction: F.mse_loss(x, y, reduction=r)
    FUNCTIONS[f"bce_{reduction}"] = lambda p, y, r=reduction: F.binary_cross_entropy(
        p, y, reduction=r
    )
    FUNCTIONS[f"bce_logits_{reduction}"] = lambda x, y, r=reduction: (
        F.binary_cross_entropy_with_logits(x, y, reduction=r)
    )
    FUNCTIONS[f"cross_entropy_{reduction}"] = lambda x, y, r=reduction: F.cross_entropy(
        x, y, reduction=r
    )


def test_every_fixture_case_is_checked():
    assert set(CASES) == set(FUNCTIONS)


@pytest.mark.parametrize("case", CASES)
def test_forward_and_gradients_match_torch(case):
    prefix = f"{case}/in/"
    names = [key[len(prefix) :] for key in FIXTURES.files if key.startswith(prefix)]
    inputs = {}
    for name in names:
        value = FIXTURES[prefix + name]
        differentiable = f"{case}/grad/{name}" in FIXTURES.files
        inputs[name] = nn.Parameter(value) if differentiable else nn.tensor(value)
    out = FUNCTIONS[case](**inputs)
    np.testing.assert_allclose(
        out.detach().numpy(), FIXTURES[f"{case}/out"], rtol=1e-10, atol=1e-12
    )
    out.backward(FIXTURES[f"{case}/upstream"])
    for name in names:
        key = f"{case}/grad/{name}"
        if key in FIXTURES.files:
            np.testing.assert_allclose(
                inputs[name].grad, FIXTURES[key], rtol=1e-10, atol=1e-12, err_msg=key
            )
