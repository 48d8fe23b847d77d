"""Every update rule against a reference written here in the course's notation (or PyTorch's
documented pseudo-code), over hypothesis-drawn shapes, dtypes, hyperparameters, groups and
step counts; plus the invariants that tie the rules together."""

from __future__ import annotations

import copy

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import nn
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


@st.composite
def problems(draw):
    """1-3 parameters of drawn shapes and dtype, 1-50 steps of gradients each."""
    dtype = draw(st.sampled_from([np.float32, np.float64]))
    steps = draw(st.integers(1, 50))
    count = draw(st.integers(1, 3))
    shapes = [draw(hnp.array_shapes(min_dims=0, max_dims=3, max_side=4)) for _ in range(count)]
    elements = st.floats(-1, 1, width=32)
    initial = [draw(hnp.arrays(np.float64, s, elements=elements)).astype(dtype) for s in shapes]
    grads = [
        draw(hnp.arrays(np.float64, (steps, *s), elements=elements)).astype(dtype) for s in shapes
    ]
    two_groups = count > 1 and draw(st.booleans())
    return dtype, initial, grads, two_groups


@pytest.mark.parametrize("name", sorted(CASES))
@given(problem=problems(), data=st.data())
def test_matches_reference(name, problem, data):
    cls, reference, hyper_strategy = CASES[name]
    hyper = data.draw(hyper_strategy)
    dtype, initial, grads, two_groups = problem
    params = [nn.Parameter(w.copy()) for w in initial]
    group_lrs = [hyper["lr"]] * len(params)
    if two_groups:
        group_lrs[0] = hyper["lr"] / 2
        optimizer = cls(
            [{"params": params[:1], "lr": group_lrs[0]}, {"params": params[1:]}], **hyper
        )
    else:
        optimizer = cls(params, **hyper)
    for t in range(len(grads[0])):
        for p, g in zip(params, grads, strict=True):
            p.grad = g[t].copy()
        optimizer.step()
    tolerance = (
        {"rtol": 1e-10, "atol": 1e-12} if dtype == np.float64 else {"rtol": 2e-4, "atol": 2e-4}
    )
    for p, w, g, lr in zip(params, initial, grads, group_lrs, strict=True):
        expected = reference(w, g, **{**hyper, "lr": lr})  # in the parameters' dtype
        assert p.dtype == dtype and p.shape == w.shape
        np.testing.assert_allclose(p.detach().numpy(), expected, **tolerance)


@pytest.mark.parametrize("name", sorted(CASES))
@given(problem=problems(), data=st.data(), split=st.integers(1, 49))
def test_state_dict_round_trip_continues_bit_identically(name, problem, data, split):
    cls, _, hyper_strategy = CASES[name]
    hyper = data.draw(hyper_strategy)
    dtype, initial, grads, _ = problem
    # loading casts every state array to its parameter's dtype (PyTorch's policy): NAdam's
    # and ASGD's scalars, kept in the default dtype, resume bit for bit where the two agree
    before = nn.get_default_dtype()
    nn.set_default_dtype(dtype)
    try:
        _round_trip(cls, hyper, initial, grads, split)
    finally:
        nn.set_default_dtype(before)


def _round_trip(cls, hyper, initial, grads, split):
    steps = len(grads[0])
    split = min(split, steps)
    params = [nn.Parameter(w.copy()) for w in initial]
    optimizer = cls(params, **hyper)

    def run(opt, ps, start, stop):
        for t in range(start, stop):
            for p, g in zip(ps, grads, strict=True):
                p.grad = g[t].copy()
            opt.step()

    run(optimizer, params, 0, split)
    saved = copy.deepcopy(optimizer.state_dict())  # (its arrays are the optimizer's own)
    copies = [nn.Parameter(p.detach().numpy().copy()) for p in params]
    resumed = cls(copies, **hyper)
    resumed.load_state_dict(saved)
    run(optimizer, params, split, steps)
    run(resumed, copies, split, steps)
    for p, q in zip(params, copies, strict=True):
        np.testing.assert_array_equal(p.detach().numpy(), q.detach().numpy())


@pytest.mark.parametrize("name", sorted(CASES))
@given(problem=problems(), data=st.data())
def test_no_gradient_or_zero_grad_leaves_parameters_unchanged(name, problem, data):
    cls, _, hyper_strategy = CASES[name]
    hyper = data.draw(hyper_strategy)
    for decay in ("weight_decay", "lambd"):  # decay moves W even when dW = 0
        if decay in hyper:
            hyper[decay] = 0.0
    _, initial, grads, _ = problem
    params = [nn.Parameter(w.copy()) for w in initial]
    optimizer = cls(params, **hyper)
    for p in params[1:]:
        p.grad = np.zeros_like(p.detach().numpy())
    optimizer.step()  # params[0] has no grad, the others a zero grad on a fresh optimizer
    for p, w in zip(params, initial, strict=True):
        np.testing.assert_array_equal(p.detach().numpy(), w)
    for p, g in zip(params, grads, strict=True):
        p.grad = g[0].copy()
    optimizer.step()
    snapshot = [p.detach().numpy().copy() for p in params]
    optimizer.zero_grad()
    optimizer.step()
    for p, s in zip(params, snapshot, strict=True):
        np.testing.assert_array_equal(p.detach().numpy(), s)


@given(problem=problems(), lr=lrs)
def test_momentum_with_beta_zero_is_batch_gd_is_sgd(problem, lr):
    _, initial, grads, _ = problem
    runs = []
    for make in (
        lambda ps: optimizers.Momentum(ps, lr=lr, beta=0.0),
        lambda ps: optimizers.BatchGD(ps, lr=lr),
        lambda ps: optimizers.SGD(ps, lr=lr),
    ):
        params = [nn.Parameter(w.copy()) for w in initial]
        optimizer = make(params)
        for t in range(len(grads[0])):
            for p, g in zip(params, grads, strict=True):
                p.grad = g[t]
            optimizer.step()
        runs.append([p.detach().numpy() for p in params])
    for other in runs[1:]:
        for a, b in zip(runs[0], other, strict=True):
            np.testing.assert_array_equal(a, b)


@given(problem=problems(), lr=lrs, beta=unit)
def test_momentum_meets_pytorch_sgd_momentum(problem, lr, beta):
    """Momentum(lr=alpha, beta=b) follows SGD(lr=alpha * (1 - b), momentum=b) (DESIGN.md)."""
    _, initial, grads, _ = problem
    a = [nn.Parameter(w.astype(np.float64)) for w in initial]
    b = [nn.Parameter(w.astype(np.float64)) for w in initial]
    course = optimizers.Momentum(a, lr=lr, beta=beta)
    torch_style = optimizers.SGD(b, lr=lr * (1 - beta), momentum=beta)
    for t in range(len(grads[0])):
        for p, q, g in zip(a, b, grads, strict=True):
            p.grad = q.grad = g[t].astype(np.float64)
        course.step()
        torch_style.step()
    for p, q in zip(a, b, strict=True):
        np.testing.assert_allclose(p.detach().numpy(), q.detach().numpy(), rtol=1e-9, atol=1e-12)


@given(t=st.integers(1, 60), beta=unit, g=hnp.arrays(np.float64, (3,), elements=st.floats(-5, 5)))
def test_momentum_velocity_closed_form(t, beta, g):
    p = nn.Parameter(np.zeros(3))
    optimizer = optimizers.Momentum([p], lr=0.1, beta=beta)
    for _ in range(t):
        p.grad = g
        optimizer.step()
    np.testing.assert_allclose(
        optimizer.state[p]["velocity"], (1 - beta**t) * g, rtol=1e-12, atol=1e-14
    )


@given(
    g=hnp.arrays(np.float64, (5,), elements=st.floats(-10, 10).filter(lambda x: abs(x) > 1e-6)),
    lr=lrs,
    betas=st.tuples(unit, st.floats(0.5, 0.999)),
)
def test_adam_first_step_moves_each_coordinate_by_lr(g, lr, betas):
    p = nn.Parameter(np.zeros(5))
    p.grad = g
    optimizers.Adam([p], lr=lr, betas=betas, eps=0.0).step()
    np.testing.assert_allclose(p.detach().numpy(), -lr * np.sign(g), rtol=1e-12)


@given(problem=problems(), c=st.floats(1e-3, 1e3), lr=lrs)
def test_adam_is_invariant_to_gradient_scale(problem, c, lr):
    _, initial, grads, _ = problem
    finals = []
    for scale in (1.0, c):
        params = [nn.Parameter(w.astype(np.float64)) for w in initial]
        optimizer = optimizers.Adam(params, lr=lr, eps=0.0)
        for t in range(len(grads[0])):
            for p, g in zip(params, grads, strict=True):
                dW = g[t].astype(np.float64)
                p.grad = scale * np.where(dW == 0, 1.0, dW)  # eps=0: a zero would give 0/0
            optimizer.step()
        finals.append([p.detach().numpy() for p in params])
    for a, b in zip(*finals, strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-9, atol=1e-12)


def test_nesterov_differs_from_plain_momentum():
    results = []
    for nesterov in (False, True):
        p = nn.Parameter(np.array([1.0]))
        optimizer = optimizers.SGD([p], lr=0.1, momentum=0.9, nesterov=nesterov)
        for _ in range(3):
            p.grad = np.array([1.0])
            optimizer.step()
        results.append(p.detach().numpy()[0])
    # plain: buffers 1, 1.9, 2.71; nesterov steps g + 0.9 b: 1.9, 2.71, 3.439
    assert results[0] == pytest.approx(1 - 0.1 * (1 + 1.9 + 2.71))
    assert results[1] == pytest.approx(1 - 0.1 * (1.9 + 2.71 + 3.439))


@pytest.mark.parametrize("name", sorted(CASES))
def test_float32_stays_float32(name):
    cls, _, _ = CASES[name]
    p = nn.Parameter(np.ones((2, 3), dtype=np.float32))
    optimizer = cls([p], lr=0.01)
    for _ in range(3):
        p.grad = np.full((2, 3), 0.5, dtype=np.float32)
        optimizer.step()
    assert p.detach().numpy().dtype == np.float32
    for value in optimizer.state[p].values():
        if isinstance(value, np.ndarray):
            assert value.dtype == np.float32


def test_step_returns_closure_loss_computed_with_grad():
    w = nn.Parameter(np.array([3.0]))
    optimizer = optimizers.SGD([w], lr=0.1)

    def closure():
        optimizer.zero_grad()
        loss = (w * w).sum()
        loss.backward()
        return loss

    with nn.no_grad():
        loss = optimizer.step(closure)
    assert loss.item() == 9.0
    np.testing.assert_allclose(w.detach().numpy(), [3.0 - 0.1 * 6.0])
