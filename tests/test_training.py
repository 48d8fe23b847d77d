"""End to end: the course's 2-5-2-1 network learns with plain gradient descent."""

import numpy as np
import pytest

import nn


class CourseNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.linear1 = nn.Linear(2, 5)
        self.linear2 = nn.Linear(5, 2)
        self.linear3 = nn.Linear(2, 1)
        for layer in (self.linear1, self.linear2, self.linear3):
            nn.init.kaiming_normal_(layer.weight)
            nn.init.zeros_(layer.bias)

    def forward(self, x):
        return self.linear3(self.linear2(self.linear1(x).relu()).relu()).sigmoid()


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_course_net_learns_separable_data(dtype):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(200, 2)).astype(dtype)
    Y = (X[:, :1] + X[:, 1:] > 0).astype(dtype)
    nn.manual_seed(1)
    model = CourseNet().to(dtype)
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
    accuracy = ((model(X).data > 0.5) == Y).mean()
    assert accuracy > 0.9
