"""The optimizer table every test that iterates optimizers uses: reference update rules
written here in the course's notation (or PyTorch's documented pseudo-code), in float64;
``CASES`` (each built-in with its reference and a strategy for its hyperparameters);
``TRAINING`` (each built-in configured with its options on, for training loops); and
``BUILT_INS`` (each class with its reference, for the testing kit)."""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

import optimizers

# ----------------------------------------------------------------- references (float64)


def reference_gd(W, grads, lr):
    for dW in grads:
        W = W - lr * dW
    return W


def reference_momentum(W, grads, lr, beta):
    v = np.zeros_like(W)
    for dW in grads:
        v = beta * v + (1 - beta) * dW
        W = W - lr * v
    return W


def reference_sgd(
    W, grads, lr, momentum=0.0, dampening=0.0, weight_decay=0.0, nesterov=False, maximize=False
):
    b = None
    for dW in grads:
        g = -dW if maximize else dW
        g = g + weight_decay * W
        if momentum != 0:
            b = g.copy() if b is None else momentum * b + (1 - dampening) * g
            g = g + momentum * b if nesterov else b
        W = W - lr * g
    return W


def reference_adam(
    W,
    grads,
    lr,
    betas,
    eps,
    weight_decay=0.0,
    amsgrad=False,
    maximize=False,
    decoupled_weight_decay=False,
):
    beta1, beta2 = betas
    v, s, s_max = np.zeros_like(W), np.zeros_like(W), np.zeros_like(W)
    for t, dW in enumerate(grads, start=1):
        dW = -dW if maximize else dW
        if decoupled_weight_decay:
            W = W * (1 - lr * weight_decay)
        else:
            dW = dW + weight_decay * W
        v = beta1 * v + (1 - beta1) * dW
        s = beta2 * s + (1 - beta2) * dW**2
        s_max = np.maximum(s_max, s)
        v_corrected = v / (1 - beta1**t)
        s_corrected = (s_max if amsgrad else s) / (1 - beta2**t)
        W = W - lr * v_corrected / (np.sqrt(s_corrected) + eps)
    return W


def reference_rmsprop(
    W, grads, lr, alpha, eps, weight_decay=0.0, momentum=0.0, centered=False, maximize=False
):
    s, m, b = np.zeros_like(W), np.zeros_like(W), np.zeros_like(W)
    for dW in grads:
        g = (-dW if maximize else dW) + weight_decay * W
        s = alpha * s + (1 - alpha) * g**2
        if centered:
            m = alpha * m + (1 - alpha) * g
            with np.errstate(invalid="ignore"):  # NaN where rounding makes it negative, as torch
                avg = np.sqrt(s - m**2) + eps
        else:
            avg = np.sqrt(s) + eps
        if momentum > 0:
            b = momentum * b + g / avg
            W = W - lr * b
        else:
            W = W - lr * g / avg
    return W


def reference_adagrad(
    W,
    grads,
    lr,
    lr_decay=0.0,
    weight_decay=0.0,
    initial_accumulator_value=0.0,
    eps=1e-10,
    maximize=False,
):
    G = np.full_like(W, initial_accumulator_value)
    for t, dW in enumerate(grads, start=1):
        g = (-dW if maximize else dW) + weight_decay * W
        G = G + g**2
        W = W - lr / (1 + (t - 1) * lr_decay) * g / (np.sqrt(G) + eps)
    return W


def reference_adadelta(W, grads, lr, rho, eps, weight_decay=0.0, maximize=False):
    """Zeiler (2012), Algorithm 1, with PyTorch's learning rate on the update."""
    Eg2, Edx2 = np.zeros_like(W), np.zeros_like(W)
    for dW in grads:
        g = (-dW if maximize else dW) + weight_decay * W
        Eg2 = rho * Eg2 + (1 - rho) * g * g
        dx = -np.sqrt(Edx2 + eps) / np.sqrt(Eg2 + eps) * g
        Edx2 = rho * Edx2 + (1 - rho) * dx * dx
        W = W + lr * dx
    return W


def reference_adamax(W, grads, lr, betas, eps, weight_decay=0.0, maximize=False):
    """Kingma & Ba (2015), Algorithm 2, with epsilon inside the maximum (PyTorch)."""
    beta1, beta2 = betas
    m, u = np.zeros_like(W), np.zeros_like(W)
    for t, dW in enumerate(grads, start=1):
        g = (-dW if maximize else dW) + weight_decay * W
        m = beta1 * m + (1 - beta1) * g
        u = np.maximum(beta2 * u, np.abs(g) + eps)
        W = W - (lr / (1 - beta1**t)) * m / u
    return W


def reference_nadam(
    W, grads, lr, betas, eps, weight_decay=0.0, momentum_decay=4e-3,
    decoupled_weight_decay=False, maximize=False,
):  # fmt: skip
    """Dozat (2016) with PyTorch's momentum warm-up; the running product of the momenta in
    float32, as PyTorch keeps it."""
    beta1, beta2 = betas
    m, n, product = np.zeros_like(W), np.zeros_like(W), np.float32(1.0)
    for t, dW in enumerate(grads, start=1):
        g = -dW if maximize else dW
        if decoupled_weight_decay:
            W = W * (1 - lr * weight_decay)
        else:
            g = g + weight_decay * W
        mu_t = beta1 * (1 - 0.5 * 0.96 ** (t * momentum_decay))
        mu_next = beta1 * (1 - 0.5 * 0.96 ** ((t + 1) * momentum_decay))
        product = np.float32(product * np.float32(mu_t))
        m = beta1 * m + (1 - beta1) * g
        n = beta2 * n + (1 - beta2) * g * g
        n_hat = n / (1 - beta2**t)
        m_bar = (1 - mu_t) / (1 - float(product)) * g + mu_next / (1 - float(product) * mu_next) * m
        W = W - lr * m_bar / (np.sqrt(n_hat) + eps)
    return W


def reference_radam(
    W, grads, lr, betas, eps, weight_decay=0.0, decoupled_weight_decay=False, maximize=False
):
    """Liu et al. (2020), Algorithm 2 (PyTorch's epsilon outside the square root)."""
    beta1, beta2 = betas
    m, v = np.zeros_like(W), np.zeros_like(W)
    rho_inf = 2 / (1 - beta2) - 1
    for t, dW in enumerate(grads, start=1):
        g = -dW if maximize else dW
        if decoupled_weight_decay:
            W = W * (1 - lr * weight_decay)
        else:
            g = g + weight_decay * W
        m = beta1 * m + (1 - beta1) * g
        v = beta2 * v + (1 - beta2) * g * g
        m_hat = m / (1 - beta1**t)
        rho_t = rho_inf - 2 * t * beta2**t / (1 - beta2**t)
        if rho_t > 5:
            l_t = np.sqrt(1 - beta2**t) / (np.sqrt(v) + eps)
            r_t = np.sqrt(
                (rho_t - 4) * (rho_t - 2) * rho_inf / ((rho_inf - 4) * (rho_inf - 2) * rho_t)
            )
            W = W - lr * m_hat * r_t * l_t
        else:
            W = W - lr * m_hat
    return W


def reference_asgd(W, grads, lr, lambd, alpha, t0, weight_decay=0.0, maximize=False):
    """Polyak & Juditsky (1992) with PyTorch's step-size schedule (eta kept in float32, as
    PyTorch keeps it). The iterates W are what the optimizer updates; their average (the
    method's estimate) is in the optimizer's state, checked separately."""
    eta = np.float32(lr)
    for t, dW in enumerate(grads, start=1):
        g = (-dW if maximize else dW) + weight_decay * W
        W = W * (1 - lambd * float(eta)) - float(eta) * g
        eta = np.float32(lr / (1 + lambd * lr * t) ** alpha)
    return W


def reference_rprop(W, grads, lr, etas=(0.5, 1.2), step_sizes=(1e-6, 50), maximize=False):
    """Riedmiller & Braun (1993), RPROP without weight-backtracking (PyTorch's)."""
    eta_minus, eta_plus = etas
    delta, previous = np.full_like(W, lr), np.zeros_like(W)
    for dW in grads:
        g = -dW if maximize else dW
        same = g * previous
        delta = np.where(same > 0, delta * eta_plus, np.where(same < 0, delta * eta_minus, delta))
        delta = np.clip(delta, *step_sizes)
        g = np.where(same < 0, 0.0, g)
        W = W - np.sign(g) * delta
        previous = g
    return W


def reference_adafactor(
    W, grads, lr, beta2_decay=-0.8, eps=(None, 1e-3), d=1.0, weight_decay=0.0, maximize=False
):
    """Shazeer & Stern (2018), Algorithms 4 and 5 (factored for matrices, full for vectors),
    without a first moment, with the relative step and update clipping; PyTorch's order
    (the step size from W before its weight decay)."""
    eps1 = np.finfo(W.dtype).eps if eps[0] is None else eps[0]
    R = np.zeros(W.shape[:-1] + (1,), W.dtype) if W.ndim > 1 else np.zeros_like(W)
    C = np.zeros(W.shape[:-2] + (1, W.shape[-1]), W.dtype) if W.ndim > 1 else None
    for t, dW in enumerate(grads, start=1):
        g = -dW if maximize else dW
        beta2 = 1 - t**beta2_decay
        rms_W = np.sqrt(np.mean(W**2)) if W.size else 0.0
        step = max(eps[1], rms_W) * min(lr, 1 / np.sqrt(t))
        W = W * (1 - lr * weight_decay)
        if W.ndim > 1:
            R = beta2 * R + (1 - beta2) * np.mean(g**2, axis=-1, keepdims=True)
            C = beta2 * C + (1 - beta2) * np.mean(g**2, axis=-2, keepdims=True)
            V = R @ C / np.maximum(np.mean(R, axis=-2, keepdims=True), eps1)
        else:
            R = beta2 * R + (1 - beta2) * g**2
            V = R
        U = g / np.sqrt(np.maximum(V, eps1**2))
        W = W - step / max(1.0, np.sqrt(np.mean(U**2)) / d) * U
    return W


# ------------------------------------------------------------------------ strategies
lrs = st.floats(1e-4, 0.5)
unit = st.floats(0.0, 0.99)
flags = st.booleans()

CASES = {
    "BatchGD": (optimizers.BatchGD, reference_gd, st.fixed_dictionaries({"lr": lrs})),
    "Momentum": (
        optimizers.Momentum,
        reference_momentum,
        st.fixed_dictionaries({"lr": lrs, "beta": unit}),
    ),
    "SGD": (
        optimizers.SGD,
        reference_sgd,
        st.fixed_dictionaries(
            {
                "lr": lrs,
                "momentum": unit,
                "dampening": unit,
                "weight_decay": st.floats(0, 0.1),
                "maximize": flags,
            }
        ),
    ),
    "SGD-nesterov": (
        optimizers.SGD,
        reference_sgd,
        st.fixed_dictionaries(
            {
                "lr": lrs,
                "momentum": st.floats(0.1, 0.99),
                "nesterov": st.just(True),
                "weight_decay": st.floats(0, 0.1),
            }
        ),
    ),
    "Adam": (
        optimizers.Adam,
        reference_adam,
        st.fixed_dictionaries(
            {
                "lr": lrs,
                "betas": st.tuples(unit, st.floats(0.5, 0.999)),
                "eps": st.floats(1e-8, 1e-2),
                "weight_decay": st.floats(0, 0.1),
                "amsgrad": flags,
                "maximize": flags,
            }
        ),
    ),
    "AdamW": (
        optimizers.AdamW,
        lambda W, grads, **h: reference_adam(W, grads, decoupled_weight_decay=True, **h),
        st.fixed_dictionaries(
            {
                "lr": lrs,
                "betas": st.tuples(unit, st.floats(0.5, 0.999)),
                "eps": st.floats(1e-8, 1e-2),
                "weight_decay": st.floats(0, 0.1),
                "amsgrad": flags,
            }
        ),
    ),
    "RMSprop": (
        optimizers.RMSprop,
        reference_rmsprop,
        st.fixed_dictionaries(
            {
                "lr": st.floats(1e-4, 0.05),
                "alpha": st.floats(0.5, 0.99),
                "eps": st.floats(1e-6, 1e-2),
                "weight_decay": st.floats(0, 0.1),
                "momentum": st.sampled_from([0.0, 0.5, 0.9]),
                "centered": flags,
                "maximize": flags,
            }
        ),
    ),
    "Adadelta": (
        optimizers.Adadelta,
        reference_adadelta,
        st.fixed_dictionaries(
            {
                "lr": st.floats(0.1, 1.0),
                "rho": st.floats(0.5, 1.0),
                "eps": st.floats(1e-8, 1e-3),
                "weight_decay": st.floats(0, 0.1),
                "maximize": flags,
            }
        ),
    ),
    "Adamax": (
        optimizers.Adamax,
        reference_adamax,
        st.fixed_dictionaries(
            {
                "lr": st.floats(1e-4, 0.05),
                "betas": st.tuples(unit, st.floats(0.5, 0.999)),
                "eps": st.floats(1e-8, 1e-3),
                "weight_decay": st.floats(0, 0.1),
                "maximize": flags,
            }
        ),
    ),
    "NAdam": (
        optimizers.NAdam,
        reference_nadam,
        st.fixed_dictionaries(
            {
                "lr": st.floats(1e-4, 0.05),
                "betas": st.tuples(unit, st.floats(0.5, 0.999)),
                "eps": st.floats(1e-8, 1e-3),
                "weight_decay": st.floats(0, 0.1),
                "momentum_decay": st.floats(0, 0.01),
                "decoupled_weight_decay": flags,
                "maximize": flags,
            }
        ),
    ),
    "RAdam": (
        optimizers.RAdam,
        reference_radam,
        st.fixed_dictionaries(
            {
                "lr": st.floats(1e-4, 0.05),
                "betas": st.tuples(unit, st.floats(0.5, 0.999)),
                "eps": st.floats(1e-8, 1e-3),
                "weight_decay": st.floats(0, 0.1),
                "decoupled_weight_decay": flags,
                "maximize": flags,
            }
        ),
    ),
    "ASGD": (
        optimizers.ASGD,
        reference_asgd,
        st.fixed_dictionaries(
            {
                "lr": st.floats(1e-4, 0.1),
                "lambd": st.floats(0, 0.01),
                "alpha": st.floats(0.5, 1.0),
                "t0": st.sampled_from([0.0, 3.0, 10.0, 1e6]),
                "weight_decay": st.floats(0, 0.1),
                "maximize": flags,
            }
        ),
    ),
    "Rprop": (
        optimizers.Rprop,
        reference_rprop,
        st.fixed_dictionaries(
            {
                "lr": st.floats(1e-4, 0.1),
                "etas": st.tuples(st.floats(0.1, 0.9), st.floats(1.1, 2.0)),
                "step_sizes": st.tuples(st.floats(1e-6, 1e-4), st.floats(0.1, 50)),
                "maximize": flags,
            }
        ),
    ),
    "Adafactor": (
        optimizers.Adafactor,
        reference_adafactor,
        st.fixed_dictionaries(
            {
                "lr": st.floats(1e-4, 0.05),
                "beta2_decay": st.floats(-1.0, -0.1),
                "eps": st.tuples(st.sampled_from([None, 1e-15, 1e-8]), st.floats(1e-4, 1e-2)),
                "d": st.floats(1.0, 3.0),
                "weight_decay": st.floats(0, 0.1),
                "maximize": flags,
            }
        ),
    ),
    "Adagrad": (
        optimizers.Adagrad,
        reference_adagrad,
        st.fixed_dictionaries(
            {
                "lr": lrs,
                "lr_decay": st.floats(0, 0.1),
                "weight_decay": st.floats(0, 0.1),
                "initial_accumulator_value": st.floats(0, 1),
                "eps": st.floats(1e-10, 1e-3),
                "maximize": flags,
            }
        ),
    ),
}


# Each built-in with its options on, for training loops (checkpointing, robustness).
TRAINING = {
    "BatchGD": lambda ps: optimizers.BatchGD(ps, lr=0.1),
    "SGD": lambda ps: optimizers.SGD(ps, lr=0.05, momentum=0.9, nesterov=True, weight_decay=1e-3),
    "Momentum": lambda ps: optimizers.Momentum(ps, lr=0.1, beta=0.9),
    "Adam": lambda ps: optimizers.Adam(ps, lr=0.01, amsgrad=True, weight_decay=0.01),
    "AdamW": lambda ps: optimizers.AdamW(ps, lr=0.01),
    "RMSprop": lambda ps: optimizers.RMSprop(ps, lr=0.01, momentum=0.5, centered=True),
    "Adagrad": lambda ps: optimizers.Adagrad(ps, lr=0.1, lr_decay=0.01),
    "Adadelta": lambda ps: optimizers.Adadelta(ps, rho=0.8),
}


def _adamw_reference(W, grads, **hyper):
    return reference_adam(W, grads, decoupled_weight_decay=True, **hyper)


# Each class with its reference, for the testing kit (optimizers.testing.check_optimizer).
BUILT_INS = [
    (optimizers.BatchGD, reference_gd),
    (optimizers.SGD, reference_sgd),
    (optimizers.Momentum, reference_momentum),
    (optimizers.Adam, reference_adam),
    (optimizers.AdamW, _adamw_reference),
    (optimizers.RMSprop, reference_rmsprop),
    (optimizers.Adagrad, reference_adagrad),
    (optimizers.Adadelta, reference_adadelta),
    (optimizers.Adamax, reference_adamax),
    (optimizers.NAdam, reference_nadam),
    (optimizers.RAdam, reference_radam),
    (optimizers.ASGD, reference_asgd),
    (optimizers.Rprop, reference_rprop),
    (optimizers.Adafactor, reference_adafactor),
]
