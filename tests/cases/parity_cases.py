"""Minimal inputs where descend once differed from PyTorch (the differential fuzz's findings,
issue 18), written once for both frameworks: ``T`` is ``torch`` or ``nn``, ``F`` their
functional module. Each case returns values, gradients and errors as arrays or strings;
tests/fixtures/make_torch_parity_fixtures.py records PyTorch's, and
tests/parity/test_autograd_parity.py holds descend to them.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np

inf, nan = math.inf, math.nan


def _np(t: Any) -> np.ndarray:
    return np.array(t.detach().numpy(), dtype=np.float64)


def _run(T: Any, fn: Callable[..., Any], *values: Any, seed: Any = None) -> dict[str, Any]:
    """fn applied to float64 leaves made from ``values``: the output and each leaf's
    gradient after backward with ``seed`` (ones by default), or the error's builtin type."""
    leaves = [T.tensor(v, dtype=T.float64, requires_grad=True) for v in values]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            out = fn(*leaves)
            upstream = T.ones_like(out) if seed is None else T.tensor(seed, dtype=T.float64)
            out.backward(upstream)
    except Exception as error:
        builtin = next(c for c in type(error).__mro__ if c.__module__ == "builtins")
        return {"error": f"error:{builtin.__name__}"}
    result: dict[str, Any] = {"out": _np(out)}
    for number, leaf in enumerate(leaves):
        result[f"grad{number}"] = "none" if leaf.grad is None else _np(leaf.grad)
    return result


def _long(T: Any, values: Any) -> Any:
    return T.tensor(values, dtype=T.long)


def _linear_relu_module(T: Any, x: Any) -> Any:
    """Sequential(Linear, ReLU) (descend runs it as one fused node) on ``x``."""
    modules = getattr(T, "nn", T)  # torch.nn, or descend's nn
    model = modules.Sequential(modules.Linear(2, 2), modules.ReLU()).double()
    with T.no_grad():
        model[0].weight.copy_(T.tensor([[1.0, 1.0], [-1.0, 1.0]], dtype=T.float64))
        model[0].bias.zero_()
    return model(x)


CASES: dict[str, Callable[[Any, Any], dict[str, Any]]] = {
    # cross-entropy
    "ce_all_ignored_mean": lambda T, F: _run(
        T, lambda z: F.cross_entropy(z, _long(T, [-100, -100])), [[1.0, 2.0, 3.0], [0.0, 0.0, 0.0]]
    ),
    "ce_all_ignored_sum": lambda T, F: _run(
        T,
        lambda z: F.cross_entropy(z, _long(T, [-100, -100]), reduction="sum"),
        [[1.0, 2.0, 3.0], [0.0, 0.0, 0.0]],
    ),
    "ce_zero_total_weight": lambda T, F: _run(
        T,
        lambda z: F.cross_entropy(
            z, _long(T, [0, 1]), weight=T.tensor([0.0, 0.0, 1.0], dtype=T.float64)
        ),
        [[1.0, 2.0, 3.0], [0.0, 0.0, 0.0]],
    ),
    "ce_ignored_row_inf": lambda T, F: _run(
        T, lambda z: F.cross_entropy(z, _long(T, [-100, 1])), [[inf, 2.0, 3.0], [0.0, 0.0, 0.0]]
    ),
    "ce_ignored_row_minus_inf": lambda T, F: _run(
        T, lambda z: F.cross_entropy(z, _long(T, [-100, 1])), [[-inf, 2.0, 3.0], [0.0, 1.0, 0.0]]
    ),
    "ce_probability_target_gradient": lambda T, F: _run(
        T,
        lambda z, y: F.cross_entropy(z, y),
        [[1.0, 2.0, 3.0], [0.0, 0.0, 0.0]],
        [[0.2, 0.3, 0.5], [1.0, 0.0, 0.0]],
    ),
    "ce_label_smoothing": lambda T, F: _run(
        T,
        lambda z: F.cross_entropy(
            z,
            _long(T, [0, -100, 2]),
            weight=T.tensor([1.0, 2.0, 3.0], dtype=T.float64),
            label_smoothing=0.2,
        ),
        [[1.0, 2.0, 3.0], [0.0, 0.0, 0.0], [-1.0, 0.5, 2.0]],
    ),
    "nll_one_dimensional_zero": lambda T, F: _run(
        T, lambda x: 1 / F.nll_loss(x, _long(T, 1), reduction="none"), [0.0, 0.0, 0.0]
    ),
    "nll_empty_class_ignored": lambda T, F: _run(
        T,
        lambda x: F.nll_loss(x, _long(T, 1), ignore_index=1, reduction="sum"),
        np.zeros(0),
    ),
    # reductions
    "sum_empty_dims": lambda T, F: _run(T, lambda x: x.sum(dim=()), [[1.0, 2.0], [3.0, 4.0]]),
    "mean_empty_dims": lambda T, F: _run(T, lambda x: x.mean(dim=()), [[1.0, 2.0], [3.0, 4.0]]),
    "sum_of_negative_zeros": lambda T, F: _run(T, lambda x: 1 / x.sum(), [-0.0, -0.0]),
    "max_dim_zero_d": lambda T, F: _run(T, lambda x: x.max(0)[0] + x.min(0)[0], 3.0),
    "transpose_zero_d": lambda T, F: _run(T, lambda x: x.transpose(0, -1) * 2, 3.0),
    "max_nan": lambda T, F: _run(T, lambda x: x.max(), [1.0, nan, 3.0]),
    "max_ties": lambda T, F: _run(T, lambda x: x.max(), [1.0, 3.0, 3.0]),
    "max_empty": lambda T, F: _run(T, lambda x: x.max(), np.zeros(0)),
    "softmax_empty": lambda T, F: _run(T, lambda x: x.softmax(0), np.zeros(0)),
    "log_softmax_inf": lambda T, F: _run(T, lambda x: x.log_softmax(0), [inf, 0.0]),
    "norm_one_tiny_element": lambda T, F: _run(T, lambda x: x.norm(), [1e-300]),
    "norm_tiny_elements": lambda T, F: _run(T, lambda x: x.norm(), [1e-300, 1e-300]),
    "prod_nan": lambda T, F: _run(T, lambda x: x.prod(dim=-1), [nan]),
    "prod_two_zeros": lambda T, F: _run(T, lambda x: x.prod(), [0.0, 2.0, 0.0]),
    "var_constant_columns": lambda T, F: _run(
        T, lambda x: x.var(dim=0), [[4.44e254, 1.0], [4.44e254, 1.0], [4.44e254, 1.0]]
    ),
    "var_one_element": lambda T, F: _run(T, lambda x: x.var(), [3.0]),
    "std_constant": lambda T, F: _run(T, lambda x: x.std(dim=-2), [[[0.0], [0.0]]]),
    # arithmetic and powers
    "div_tiny_denominator": lambda T, F: _run(T, lambda x: x / x, [3.3e-158]),
    "number_over_tensor": lambda T, F: _run(T, lambda x: 0.0 / x, [5.3e-284, 2.0]),
    "pow_exponent_grad_nonpositive_base": lambda T, F: _run(
        T, lambda a, b: a**b, [0.0, 0.0, -2.0, 2.0, 0.0], [0.0, 2.0, 0.5, 0.0, -1.0]
    ),
    "pow_nan_upstream": lambda T, F: _run(T, lambda a: nan ** (a**a), [0.0]),
    "number_base_zero": lambda T, F: _run(T, lambda b: 0.0**b, [0.0, 2.0, -1.0]),
    "number_base_negative": lambda T, F: _run(T, lambda b: (-2.0) ** b, [0.0, 2.0, 0.5]),
    "pow_zero_at_zero": lambda T, F: _run(T, lambda x: x**0, [0.0, -0.0, 2.0]),
    "pow_minus_half_at_negative_zero": lambda T, F: _run(T, lambda x: x**-0.5, [-0.0, 4.0]),
    "pow_one_element_tensor_exponent": lambda T, F: _run(
        T, lambda x: x ** T.tensor(np.array([2.0]), dtype=T.float64), [[1.0, 2.0], [3.0, 4.0]]
    ),
    "rsqrt_underflowing_gradient": lambda T, F: _run(T, lambda x: x.rsqrt().rsqrt(), [1e300]),
    "abs_nan": lambda T, F: _run(T, lambda x: x.abs(), [nan, 0.0, -2.0]),
    "relu_nan_and_negative_zero": lambda T, F: _run(
        T, lambda x: x.relu() + 1 / x.relu(), [nan, -0.0, 1.0]
    ),
    "linear_relu_nan": lambda T, F: _run(
        T,
        lambda x, w: F.relu(F.linear(x, w)),
        [[nan, 1.0], [1.0, 1.0]],
        [[1.0, 1.0], [-1.0, 1.0]],
    ),
    "sequential_linear_relu_nan": lambda T, F: _run(
        T, lambda x: _linear_relu_module(T, x), [[nan, 1.0], [1.0, -2.0]]
    ),
    "pow_ndarray_exponent_broadcast": lambda T, F: _run(
        T, lambda x: (x.detach() ** np.array([2.0, 3.0])) * x, [[1.0, 2.0], [3.0, 4.0]]
    ),
    "pow_one_element_ndarray_exponent": lambda T, F: _run(
        T, lambda x: (x.detach() ** np.array([2.0])) * x, [[1.0, 2.0], [3.0, 4.0]]
    ),
    "sqrt_of_relu_masks_inf": lambda T, F: _run(T, lambda x: x.relu().sqrt(), [-1.0, 4.0]),
    "sqrt_of_clamp_masks_inf": lambda T, F: _run(T, lambda x: x.clamp(min=0).sqrt(), [-1.0, 4.0]),
    "maximum_ties_and_nan": lambda T, F: _run(
        T, lambda a, b: a.maximum(b) + 1 / a.minimum(b), [1.0, nan, -0.0], [1.0, 1.0, 0.0]
    ),
    "sigmoid_extremes": lambda T, F: _run(T, lambda x: x.sigmoid(), [inf, -inf, -800.0, 3e-13]),
    "compare_not_broadcastable": lambda T, F: _run(
        T, lambda x: (x < T.ones(4, dtype=T.float64)).double() * x, [1.0, 2.0, 3.0]
    ),
    "flatten_start_after_end": lambda T, F: _run(T, lambda x: x.flatten(1, 0), [[1.0, 2.0]]),
    # binary cross-entropy
    "bce_target_gradient": lambda T, F: _run(
        T, lambda p, y: F.binary_cross_entropy(p, y), [0.3, 0.9, 0.5], [0.5, 1.0, 0.5]
    ),
    "bce_target_out_of_range": lambda T, F: _run(
        T, lambda p: F.binary_cross_entropy(p, T.tensor([1.5], dtype=T.float64)), [0.3]
    ),
    "bce_saturated": lambda T, F: _run(
        T,
        lambda p: F.binary_cross_entropy(
            p, T.tensor([1.0, 0.0, 0.0], dtype=T.float64), reduction="none"
        ),
        [0.0, 1.0, 0.5],
    ),
    "bce_logits_zero_d_mean": lambda T, F: _run(
        T, lambda z, y: F.binary_cross_entropy_with_logits(z, y), 2.0, 1.0
    ),
    "bce_logits_infinite_mean": lambda T, F: _run(
        T, lambda z, y: F.binary_cross_entropy_with_logits(z, y), [inf, -inf, 3.0], [0.0, 1.0, 0.5]
    ),
    "bce_logits_pos_weight_target_gradient": lambda T, F: _run(
        T,
        lambda z, y: F.binary_cross_entropy_with_logits(
            z, y, pos_weight=T.tensor([2.0, 2.0, 2.0], dtype=T.float64), reduction="none"
        ),
        [inf, -inf, 3.0],
        [0.0, 1.0, 0.5],
    ),
    "bce_logits_huge_logit_target_from_same_leaf": lambda T, F: _run(
        T,
        lambda x: F.binary_cross_entropy_with_logits(x.t(), (x - x).sigmoid(), reduction="none"),
        1e300,
    ),
    "mse_broadcast": lambda T, F: _run(
        T, lambda x, y: F.mse_loss(x, y), [[1.0], [2.0]], [0.0, 1.0, 5.0]
    ),
    # batch norm
    "batch_norm_constant_channel": lambda T, F: _run(
        T,
        lambda x: F.batch_norm(
            x,
            None,
            None,
            T.tensor([1.019], dtype=T.float64),
            T.tensor([-1.093], dtype=T.float64),
            training=True,
        ),
        [[1e300], [1e300]],
    ),
    "batch_norm_constant_large": lambda T, F: _run(
        T, lambda x: F.batch_norm(x, None, None, training=True), [[10325.0], [10325.0]]
    ),
    "batch_norm_empty": lambda T, F: _run(
        T,
        lambda x: F.batch_norm(
            x, T.zeros(1, dtype=T.float64), T.ones(1, dtype=T.float64), training=True
        ),
        np.zeros(0),
    ),
    "batch_norm_inf_eval": lambda T, F: _run(
        T,
        lambda x: F.batch_norm(
            x, T.zeros(2, dtype=T.float64), T.ones(2, dtype=T.float64), training=False
        ),
        [[-inf, 1.0], [2.0, inf]],
    ),
}
