"""optimizers.testing: every built-in optimizer passes the kit, and planted bugs are caught
with the broken property named."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import nn
import optimizers
from optimizers.testing import (
    OptimizerCheckError,
    check_optimizer,
    gradient_sequences,
    hyperparameters,
    params,
)
from tests.cases.optimizers import BUILT_INS, reference_adam, reference_gd, reference_momentum


@pytest.mark.parametrize(("cls", "reference"), BUILT_INS, ids=[c.__name__ for c, _ in BUILT_INS])
def test_every_built_in_passes_the_kit(cls, reference):
    check_optimizer(cls, reference, max_examples=12)


def test_muon_passes_the_kit_on_matrices():
    """Muon takes 2-D parameters only (its reference, from the paper, in
    tests/optimizers/test_muon.py)."""
    matrices = hnp.array_shapes(min_dims=2, max_dims=2, min_side=1, max_side=5)
    check_optimizer(optimizers.Muon, shapes=matrices, max_examples=12)


def test_lbfgs_passes_the_kit_through_its_closure():
    hyper = hyperparameters(
        optimizers.LBFGS, line_search_fn=st.sampled_from([None, "strong_wolfe"])
    )
    check_optimizer(optimizers.LBFGS, hyper=hyper, max_examples=12, max_steps=4)
    with pytest.raises(TypeError, match="needs a closure"):
        check_optimizer(optimizers.LBFGS, reference_gd)


def test_strategies():
    @given(params(dtypes=[np.float32]), hyperparameters(optimizers.SGD, lr=0.5))
    def check(ps, hyper):
        assert all(p.dtype == np.float32 and p.grad.shape == p.shape for p in ps)
        assert hyper["lr"] == 0.5
        optimizers.SGD(ps, **hyper)  # always valid

    check()
    sequence = gradient_sequences(params().example(), 2, 3).example()
    assert 2 <= len(sequence) <= 3


# ----------------------------------------------------------------- planted bugs
class WrongBiasCorrection(optimizers.Adam):
    def update(self, W, dW, state, group):
        super().update(W, dW, {**state, "step": 1}, group)  # corrects as if always at step 1


class Float64Upcast(optimizers.Optimizer):
    def __init__(self, params, lr=0.01):
        super().__init__(params, {"lr": lr})

    def step(self, closure=None):
        for p in self.param_groups[0]["params"]:
            if p.grad is not None:
                update = np.float64(self.param_groups[0]["lr"]) * p.grad.numpy().astype(np.float64)
                p.data = p.detach().numpy() - update


class ForgetfulMomentum(optimizers.Momentum):
    def state_dict(self):
        saved = super().state_dict()
        saved["state"] = {}
        return saved


class ForgetfulLBFGS(optimizers.LBFGS):
    """Saves no curvature pairs: a resumed run starts its history again."""

    def state_dict(self):
        saved = super().state_dict()
        saved["state"] = {
            k: {**v, "old_dirs": [], "old_stps": [], "ro": []} for k, v in saved["state"].items()
        }
        return saved


class GradMutatingSGD(optimizers.Optimizer):
    def __init__(self, params, lr=0.01):
        super().__init__(params, {"lr": lr})

    def update(self, W, dW, state, group):
        dW *= group["lr"]
        W -= dW


class NotElementwise(optimizers.Optimizer):
    elementwise = True  # a false claim: the step is normalised by the whole array's norm

    def __init__(self, params, lr=0.01):
        super().__init__(params, {"lr": lr})

    def update(self, W, dW, state, group):
        W -= group["lr"] * dW / (np.linalg.norm(dW) + 1.0)


class StepsWithoutGrad(optimizers.Optimizer):
    def __init__(self, params, lr=0.01):
        super().__init__(params, {"lr": lr})

    def step(self, closure=None):
        for group in self.param_groups:
            for p in group["params"]:
                p.data *= 1.0 - group["lr"]


class RebindingGD(optimizers.Optimizer):
    """The commonest beginner bug: a new array bound to the name W, W itself unchanged."""

    elementwise = True

    def __init__(self, params, lr=0.01):
        super().__init__(params, {"lr": lr})

    def update(self, W, dW, state, group):
        W = W - group["lr"] * dW  # (the bug, on purpose)


def plain_adam(W, grads, lr, betas, eps, **options):
    return reference_adam(W, grads, lr, betas, eps, **options)


@pytest.mark.parametrize(
    ("factory", "reference", "broken"),
    [
        (WrongBiasCorrection, plain_adam, "reference"),
        (Float64Upcast, None, "shape and dtype"),
        (ForgetfulMomentum, None, "state_dict round trip"),
        (ForgetfulLBFGS, None, "state_dict round trip"),
        (GradMutatingSGD, None, "grads untouched"),
        (StepsWithoutGrad, None, "no grad, no change"),
        (NotElementwise, None, "executors agree"),
    ],
    ids=[
        "bias-correction",
        "float64-upcast",
        "state-not-saved",
        "lbfgs-history-not-saved",
        "mutates-grads",
        "ignores-none-grad",
        "not-elementwise",
    ],
)
def test_planted_bugs_are_named(factory, reference, broken):
    hyper = None
    if factory is WrongBiasCorrection:
        hyper = hyperparameters(
            optimizers.Adam,
            weight_decay=0.0,
            amsgrad=False,
            maximize=False,
            decoupled_weight_decay=False,
        )
    with pytest.raises(OptimizerCheckError, match=f"property '{broken}' failed"):
        check_optimizer(factory, reference, hyper=hyper, max_examples=15, max_steps=4)


class PyTorchStyleMomentum(optimizers.Optimizer):
    """The course's momentum written in PyTorch's idiom: its own step, Tensor state."""

    def __init__(self, params, lr=0.01, beta=0.9, state_dtype=None):
        if not 0.0 <= lr:
            raise ValueError(f"Invalid learning rate: {lr}")
        super().__init__(params, {"lr": lr, "beta": beta})
        self.state_dtype = state_dtype

    @nn.no_grad()
    def step(self, closure=None):
        loss = None
        if closure is not None:
            with nn.enable_grad():
                loss = closure()
        for group in self.param_groups:
            for p in group["params"]:
                if p.grad is None:
                    continue
                state = self.state[p]
                if "velocity" not in state:
                    state["velocity"] = nn.zeros_like(p, dtype=self.state_dtype)
                v = state["velocity"]
                v.mul_(group["beta"]).add_(p.grad, alpha=1 - group["beta"])
                p.sub_(v.to(p.dtype), alpha=group["lr"])
        return loss


def test_an_update_that_rebinds_w_is_named_with_its_file_and_line():
    with pytest.raises(OptimizerCheckError) as raised:
        check_optimizer(RebindingGD, reference_gd, max_examples=5)
    message = str(raised.value)
    assert "property 'parameters move' failed" in message
    assert "`W -= lr * dW`" in message and "RebindingGD.update" in message
    assert "test_testing_kit.py:" in message


def test_the_kit_without_the_test_extra_says_how_to_install_it(monkeypatch):
    import builtins
    import importlib
    import sys

    real_import = builtins.__import__

    def without_hypothesis(name, *args, **kwargs):
        if name == "hypothesis" or name.startswith("hypothesis."):
            raise ImportError(f"No module named {name!r}")
        return real_import(name, *args, **kwargs)

    for module in ("optimizers.testing", "optimizers.strategies"):
        monkeypatch.delitem(sys.modules, module)
    monkeypatch.setattr(builtins, "__import__", without_hypothesis)
    for module in ("optimizers.testing", "optimizers.strategies"):
        with pytest.raises(ImportError, match=r'pip install -e "\.\[test\]"'):
            importlib.import_module(module)


def test_a_pytorch_style_subclass_passes_the_kit():
    check_optimizer(PyTorchStyleMomentum, reference_momentum, max_examples=12)


def test_a_pytorch_style_subclass_with_state_of_another_dtype_is_named():
    def factory(params, **hyper):
        return PyTorchStyleMomentum(params, state_dtype=np.float64, **hyper)

    hyper = hyperparameters(PyTorchStyleMomentum)
    with pytest.raises(OptimizerCheckError, match="property 'shape and dtype' failed"):
        check_optimizer(factory, reference_momentum, hyper=hyper, dtypes=[np.float32])
