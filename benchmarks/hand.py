"""Hand-written NumPy training steps: the floor descend holds itself to.

Plain arrays, the backward pass written out, in-place updates, the same float dtype
throughout. ``MLPStep`` is the course's network shape generalised: ReLU hidden layers, and
either a sigmoid output with binary cross-entropy (one output unit) or softmax with
cross-entropy (several).
"""

from __future__ import annotations

import itertools
import math

import numpy as np


class MLPStep:
    """One training step (forward, loss, backward, update) of an MLP on a batch."""

    def __init__(
        self,
        sizes: list[int],
        optimizer: str,
        lr: float,
        rng: np.random.Generator,
        dtype=np.float32,
    ):
        self.W = [
            (rng.standard_normal((n_out, n_in)) * math.sqrt(2.0 / n_in)).astype(dtype)
            for n_in, n_out in itertools.pairwise(sizes)
        ]
        self.b = [np.zeros(n_out, dtype=dtype) for n_out in sizes[1:]]
        self.optimizer, self.lr, self.t = optimizer, lr, 0
        self.v = [np.zeros_like(p) for p in self.W + self.b]
        self.s = [np.zeros_like(p) for p in self.W + self.b]
        self.tmp = [np.zeros_like(p) for p in self.W + self.b]
        self.binary = sizes[-1] == 1

    def __call__(self, x: np.ndarray, y: np.ndarray) -> float:
        m = x.shape[0]
        activations = [x]
        a = x
        for W, b in zip(self.W[:-1], self.b[:-1], strict=True):
            z = a @ W.T
            z += b
            np.maximum(z, 0, out=z)
            activations.append(z)
            a = z
        z = a @ self.W[-1].T
        z += self.b[-1]
        if self.binary:  # sigmoid + binary cross-entropy: dz = (p - y) / m
            p = 1.0 / (1.0 + np.exp(-z))
            loss = -float(np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))
            dz = p - y
        else:  # softmax + cross-entropy with integer labels
            z -= z.max(axis=1, keepdims=True)
            e = np.exp(z)
            p = e / e.sum(axis=1, keepdims=True)
            loss = -float(np.mean(np.log(p[np.arange(m), y])))
            dz = p
            dz[np.arange(m), y] -= 1
        dz /= m
        grads_W, grads_b = [None] * len(self.W), [None] * len(self.b)
        for layer in range(len(self.W) - 1, -1, -1):
            a_prev = activations[layer]
            grads_W[layer] = dz.T @ a_prev
            grads_b[layer] = dz.sum(axis=0)
            if layer:
                da = dz @ self.W[layer]
                da *= a_prev > 0
                dz = da
        self.update(self.W + self.b, grads_W + grads_b)
        return loss

    def update(self, params: list[np.ndarray], grads: list[np.ndarray]) -> None:
        lr = self.lr
        if self.optimizer == "sgd":
            for p, g in zip(params, grads, strict=True):
                g *= lr
                p -= g
        elif self.optimizer == "momentum":
            for p, g, v in zip(params, grads, self.v, strict=True):
                v *= 0.9
                g *= 0.1
                v += g
                np.multiply(v, lr, out=g)
                p -= g
        else:
            self.t += 1
            adam(params, grads, self.v, self.s, self.t, lr, self.tmp)


def adam(params, grads, v, s, t, lr, tmps, beta1=0.9, beta2=0.999, eps=1e-8):
    """Naive in-place Adam over a list of arrays: one pass of ufuncs per array, a work array
    each (``tmps``), gradients left untouched."""
    step_size = lr / (1 - beta1**t)
    correction = math.sqrt(1 - beta2**t)
    for p, g, m, sq, tmp in zip(params, grads, v, s, tmps, strict=True):
        m *= beta1
        np.multiply(g, 1 - beta1, out=tmp)
        m += tmp
        sq *= beta2
        np.multiply(g, g, out=tmp)
        tmp *= 1 - beta2
        sq += tmp
        np.sqrt(sq, out=tmp)
        tmp /= correction
        tmp += eps
        np.divide(m, tmp, out=tmp)
        tmp *= step_size
        p -= tmp


def loader_epoch(X: np.ndarray, Y: np.ndarray, batch_size: int, rng: np.random.Generator) -> int:
    """The floor for a shuffled epoch: one permutation, one take per array per batch."""
    order = rng.permutation(len(X))
    total = 0
    for start in range(0, len(X), batch_size):
        idx = order[start : start + batch_size]
        xb = np.take(X, idx, axis=0)
        yb = np.take(Y, idx, axis=0)
        total += len(xb) + len(yb)
    return total
