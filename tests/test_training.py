"""End to end: the course's 2-5-2-1 network learns with plain gradient descent."""

import numpy as np
import pytest

import nn
from tests.cases.models import CourseNet


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_course_net_learns_separable_data(dtype):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(200, 2)).astype(dtype)
    Y = (X[:, :1] + X[:, 1:] > 0).astype(dtype)
    nn.manual_seed(1)
    model = CourseNet(he_init=True).to(dtype)
    loss_fn = nn.BCELoss()
    first = loss_fn(model(X), Y).item()
    for _ in range(300):
        model.zero_grad()
        loss = loss_fn(model(X), Y)
        loss.backward()
        with nn.no_grad():
            for p in model.parameters():
                p.data -= 0.5 * p.grad
    assert loss.item() < 0.5 * first
    assert loss.dtype == dtype and all(p.dtype == dtype for p in model.parameters())
    accuracy = ((model(X).detach().numpy() > 0.5) == Y).mean()
    assert accuracy > 0.9
