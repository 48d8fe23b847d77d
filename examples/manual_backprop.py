"""Forward and backward propagation of the course's 2-5-2-1 network, written out by hand,
next to the same network in descend, so that you can see what ``loss.backward()`` computes.

The hand-written half keeps the course's layout and names: examples in columns, X of shape
(n_x, m), W[l] of shape (n_l, n_(l-1)), b[l] of shape (n_l, 1):

    Z1 = W1 X + b1      A1 = relu(Z1)
    Z2 = W2 A1 + b2     A2 = relu(Z2)
    Z3 = W3 A2 + b3     A3 = sigmoid(Z3)
    J  = -(1/m) sum(Y log A3 + (1 - Y) log(1 - A3))

    dZ3 = A3 - Y        dW3 = dZ3 A2^T / m      db3 = sum(dZ3, axis=1) / m
    dA2 = W3^T dZ3      dZ2 = dA2 * (Z2 > 0)    dW2 = dZ2 A1^T / m    db2 = sum(dZ2) / m
    dA1 = W2^T dZ2      dZ1 = dA1 * (Z1 > 0)    dW1 = dZ1 X^T / m     db1 = sum(dZ1) / m

descend keeps examples in rows (x of shape (m, n_x), as PyTorch): ``nn.Linear(n_(l-1), n_l)``
holds ``weight`` of shape (n_l, n_(l-1)), the course's W[l] itself, and ``bias`` of shape
(n_l,), the course's b[l] flattened. So ``layer.weight.grad`` is dW[l] and
``layer.bias.grad`` is db[l][:, 0].

    python examples/manual_backprop.py
"""

from __future__ import annotations

import argparse

import numpy as np

import nn
from data.datasets import make_moons

Parameters = dict[str, np.ndarray]


def relu(Z: np.ndarray) -> np.ndarray:
    return np.maximum(0, Z)


def sigmoid(Z: np.ndarray) -> np.ndarray:
    return 1 / (1 + np.exp(-Z))


def initialize_parameters_he(layer_dims: list[int], seed: int = 3) -> Parameters:
    """W[l] = randn(n_l, n_(l-1)) * sqrt(2 / n_(l-1)), b[l] = 0 (the course's He init)."""
    rng = np.random.RandomState(seed)
    parameters = {}
    for l in range(1, len(layer_dims)):
        parameters[f"W{l}"] = rng.randn(layer_dims[l], layer_dims[l - 1]) * np.sqrt(
            2 / layer_dims[l - 1]
        )
        parameters[f"b{l}"] = np.zeros((layer_dims[l], 1))
    return parameters


def forward_propagation(
    X: np.ndarray, parameters: Parameters
) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """A3 and the cache of every Z and A, for X of shape (n_x, m)."""
    W1, b1, W2, b2, W3, b3 = (parameters[k] for k in ("W1", "b1", "W2", "b2", "W3", "b3"))
    Z1 = W1 @ X + b1
    A1 = relu(Z1)
    Z2 = W2 @ A1 + b2
    A2 = relu(Z2)
    Z3 = W3 @ A2 + b3
    A3 = sigmoid(Z3)
    return A3, {"Z1": Z1, "A1": A1, "Z2": Z2, "A2": A2, "Z3": Z3, "A3": A3}


def compute_cost(A3: np.ndarray, Y: np.ndarray) -> float:
    """J = -(1/m) sum(Y log A3 + (1 - Y) log(1 - A3))."""
    m = Y.shape[1]
    return float(-np.sum(Y * np.log(A3) + (1 - Y) * np.log(1 - A3)) / m)


def backward_propagation(
    X: np.ndarray, Y: np.ndarray, parameters: Parameters, cache: dict[str, np.ndarray]
) -> Parameters:
    """dW[l] and db[l] of J, by the chain rule from the output back (the formulas above)."""
    m = X.shape[1]
    dZ3 = cache["A3"] - Y
    dW3 = dZ3 @ cache["A2"].T / m
    db3 = np.sum(dZ3, axis=1, keepdims=True) / m
    dA2 = parameters["W3"].T @ dZ3
    dZ2 = dA2 * (cache["Z2"] > 0)
    dW2 = dZ2 @ cache["A1"].T / m
    db2 = np.sum(dZ2, axis=1, keepdims=True) / m
    dA1 = parameters["W2"].T @ dZ2
    dZ1 = dA1 * (cache["Z1"] > 0)
    dW1 = dZ1 @ X.T / m
    db1 = np.sum(dZ1, axis=1, keepdims=True) / m
    return {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2, "dW3": dW3, "db3": db3}


class CourseNet(nn.Module):
    """The same network in descend: examples in rows."""

    def __init__(self) -> None:
        super().__init__()
        self.linear1 = nn.Linear(2, 5, dtype=np.float64)
        self.linear2 = nn.Linear(5, 2, dtype=np.float64)
        self.linear3 = nn.Linear(2, 1, dtype=np.float64)

    def forward(self, x: nn.Tensor) -> nn.Tensor:
        return self.linear3(self.linear2(self.linear1(x).relu()).relu()).sigmoid()

    def load_course_parameters(self, parameters: Parameters) -> None:
        """Copy the course's W[l] (as they are) and b[l] (flattened) into the layers."""
        state = {}
        for l in (1, 2, 3):
            state[f"linear{l}.weight"] = parameters[f"W{l}"]
            state[f"linear{l}.bias"] = parameters[f"b{l}"][:, 0]
        self.load_state_dict(state)


def descend_gradients(
    X: np.ndarray, Y: np.ndarray, parameters: Parameters
) -> tuple[float, Parameters]:
    """J and its gradients from descend's autograd, mapped to the course's names and shapes."""
    model = CourseNet()
    model.load_course_parameters(parameters)
    cost = nn.BCELoss()(model(X.T), Y.T)  # rows: X.T is (m, n_x), Y.T is (m, 1)
    cost.backward()
    grads = {}
    for l in (1, 2, 3):
        layer = getattr(model, f"linear{l}")
        grads[f"dW{l}"] = layer.weight.grad.numpy()
        grads[f"db{l}"] = layer.bias.grad.numpy()[:, None]
    return cost.item(), grads


def compare(m: int = 300, seed: int = 3) -> dict[str, float]:
    """Largest relative difference between hand-derived and autograd gradients, per gradient."""
    X, y = make_moons(m, noise=0.2, generator=np.random.RandomState(seed))
    X, Y = X.T, y[None, :].astype(np.float64)  # the course's layout: (n_x, m) and (1, m)
    parameters = initialize_parameters_he([2, 5, 2, 1], seed)
    A3, cache = forward_propagation(X, parameters)
    by_hand = backward_propagation(X, Y, parameters, cache)
    cost, by_autograd = descend_gradients(X, Y, parameters)
    differences = {"J": abs(cost - compute_cost(A3, Y)) / abs(cost)}
    for name, grad in by_hand.items():
        scale = max(np.abs(grad).max(), 1e-300)
        differences[name] = float(np.abs(by_autograd[name] - grad).max() / scale)
    return differences


if __name__ == "__main__":
    argparse.ArgumentParser(description=__doc__.split("\n\n")[0]).parse_args()  # (--help)
    for name, difference in compare().items():
        print(f"{name:>4}: max relative difference, by hand vs autograd = {difference:.2e}")
