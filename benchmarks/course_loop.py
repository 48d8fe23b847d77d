"""The course's own training loop in NumPy, written from its formulas: the floor the main
job's ``train`` (examples/compare_optimizers.py) is measured against.

The course's layout: examples are columns (X is 2 x m). Each epoch shuffles with its own
seed (``RandomState(seed).permutation(m)``, seed 11, 12, ... as the course's ``model``),
partitions into mini-batches of 64 (the last one smaller), and for each: forward
(LINEAR -> RELU -> LINEAR -> RELU -> LINEAR -> SIGMOID), the cross-entropy cost summed,
backward, and the update (gradient descent, momentum or Adam, as the course writes them).
"""

from __future__ import annotations

import numpy as np


def initialize_he(layer_sizes: list[int], seed: int) -> dict[str, np.ndarray]:
    """W_l = randn(n_l, n_(l-1)) sqrt(2 / n_(l-1)) from RandomState(seed), b_l = 0."""
    rng = np.random.RandomState(seed)
    parameters = {}
    for l in range(1, len(layer_sizes)):
        scale = np.sqrt(2.0 / layer_sizes[l - 1])
        parameters[f"W{l}"] = rng.randn(layer_sizes[l], layer_sizes[l - 1]) * scale
        parameters[f"b{l}"] = np.zeros((layer_sizes[l], 1))
    return parameters


def random_mini_batches(X: np.ndarray, Y: np.ndarray, size: int, seed: int) -> list:
    """Shuffle the columns of X and Y with the same permutation, then cut into batches."""
    m = X.shape[1]
    permutation = np.random.RandomState(seed).permutation(m)
    X, Y = X[:, permutation], Y[:, permutation]
    return [(X[:, k : k + size], Y[:, k : k + size]) for k in range(0, m, size)]


def forward(X: np.ndarray, p: dict[str, np.ndarray]) -> tuple:
    z1 = p["W1"] @ X + p["b1"]
    a1 = np.maximum(z1, 0)
    z2 = p["W2"] @ a1 + p["b2"]
    a2 = np.maximum(z2, 0)
    z3 = p["W3"] @ a2 + p["b3"]
    a3 = 1 / (1 + np.exp(-z3))
    return a3, (a1, a2, a3)


def cost_total(a3: np.ndarray, Y: np.ndarray) -> float:
    """The summed cross-entropy: sum(-Y log a3 - (1 - Y) log(1 - a3))."""
    return float(np.sum(-np.log(a3) * Y - np.log(1 - a3) * (1 - Y)))


def backward(X: np.ndarray, Y: np.ndarray, p: dict[str, np.ndarray], cache: tuple) -> dict:
    a1, a2, a3 = cache
    m = X.shape[1]
    dz3 = (a3 - Y) / m
    da2 = p["W3"].T @ dz3
    dz2 = da2 * (a2 > 0)
    da1 = p["W2"].T @ dz2
    dz1 = da1 * (a1 > 0)
    return {
        "dW3": dz3 @ a2.T,
        "db3": dz3.sum(axis=1, keepdims=True),
        "dW2": dz2 @ a1.T,
        "db2": dz2.sum(axis=1, keepdims=True),
        "dW1": dz1 @ X.T,
        "db1": dz1.sum(axis=1, keepdims=True),
    }


def train(
    X: np.ndarray,
    Y: np.ndarray,
    optimizer: str,
    epochs: int,
    lr: float = 0.0007,
    batch_size: int = 64,
    beta: float = 0.9,
    beta1: float = 0.9,
    beta2: float = 0.999,
    epsilon: float = 1e-8,
    seed: int = 3,
) -> list[float]:
    """The course's ``model``: the cost of each epoch (summed over its batches, over m)."""
    p = initialize_he([X.shape[0], 5, 2, 1], seed)
    v = {key: np.zeros_like(value) for key, value in p.items()}
    s = {key: np.zeros_like(value) for key, value in p.items()}
    costs, t, shuffle_seed, m = [], 0, 10, X.shape[1]
    for _ in range(epochs):
        shuffle_seed += 1
        total = 0.0
        for xb, yb in random_mini_batches(X, Y, batch_size, shuffle_seed):
            a3, cache = forward(xb, p)
            total += cost_total(a3, yb)
            grads = backward(xb, yb, p, cache)
            t += 1
            for key in p:
                g = grads["d" + key]
                if optimizer == "gd":
                    p[key] -= lr * g
                elif optimizer == "momentum":
                    v[key] = beta * v[key] + (1 - beta) * g
                    p[key] -= lr * v[key]
                else:  # adam
                    v[key] = beta1 * v[key] + (1 - beta1) * g
                    s[key] = beta2 * s[key] + (1 - beta2) * g**2
                    v_corrected = v[key] / (1 - beta1**t)
                    s_corrected = s[key] / (1 - beta2**t)
                    p[key] -= lr * v_corrected / (np.sqrt(s_corrected) + epsilon)
        costs.append(total / m)
    return costs
