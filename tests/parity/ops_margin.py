"""The margin and embedding losses for the harness (nn/functional/margin.py, and the
Gaussian negative log-likelihood of nn/functional/regression.py): drawn
inputs, labels in {-1, 1} (and the odd other value), class indices, weights, margins,
every reduction."""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import strategies as st

from tests.parity.opinfo import OpInfo
from tests.parity.samples import FLOATS, SUMMING, Arg, Ints, Sample, arg, shape

_COMPOSITE = {"rtol": SUMMING, "grad_rtol": 1e-5, "stale": False}  # (saved values: parts')


def _signs(data: Any, own: tuple[int, ...], dtype: str, odd: bool = False) -> Arg:
    rng = np.random.default_rng(data.draw(st.integers(0, 2**16)))
    labels = rng.choice([-1.0, 1.0, 0.0] if odd else [-1.0, 1.0], own).astype(dtype)
    return Arg(labels, "contiguous", False)


def _reduction(data: Any, sample: Sample) -> Sample:
    sample.kwargs["reduction"] = data.draw(st.sampled_from(["mean", "sum", "none"]))
    return sample


def _ranking(data: Any) -> Sample:
    dtype = data.draw(st.sampled_from(FLOATS))
    own = shape(data, max_dims=1)
    sample = Sample((arg(data, own, dtype), arg(data, own, dtype), _signs(data, own, dtype)))
    if data.draw(st.booleans()):
        sample.kwargs["margin"] = data.draw(st.sampled_from([0.5, 1.0]))
    return _reduction(data, sample)


def _hinge(data: Any) -> Sample:
    dtype = data.draw(st.sampled_from(FLOATS))
    own = shape(data, max_dims=2)
    sample = Sample((arg(data, own, dtype), _signs(data, own, dtype, odd=True)))
    if data.draw(st.booleans()):
        sample.kwargs["margin"] = data.draw(st.sampled_from([0.5, 2.0]))
    return _reduction(data, sample)


def _soft(data: Any) -> Sample:
    dtype = data.draw(st.sampled_from(FLOATS))
    own = shape(data, max_dims=2)
    return _reduction(data, Sample((arg(data, own, dtype), _signs(data, own, dtype))))


def _multilabel(data: Any) -> Sample:
    dtype = data.draw(st.sampled_from(FLOATS))
    own = (data.draw(st.integers(1, 3)), data.draw(st.integers(1, 4)))
    labels = Arg((_signs(data, own, dtype).values > 0).astype(dtype), "contiguous", False)
    sample = Sample((arg(data, own, dtype), labels))
    if data.draw(st.booleans()):
        sample.kwargs["weight"] = arg(data, own[1:], dtype, grad=False, low=0, high=2)
    return _reduction(data, sample)


def _cosine(data: Any) -> Sample:
    dtype = data.draw(st.sampled_from(FLOATS))
    batch = data.draw(st.sampled_from([None, 1, 3]))
    own = (
        (data.draw(st.integers(1, 4)),) if batch is None else (batch, data.draw(st.integers(1, 4)))
    )
    labels = _signs(data, own[:-1], dtype, odd=True)
    sample = Sample((arg(data, own, dtype), arg(data, own, dtype), labels))
    if data.draw(st.booleans()):
        sample.kwargs["margin"] = data.draw(st.sampled_from([0.2, -0.5]))
    return _reduction(data, sample)


def _triplet(data: Any) -> Sample:
    dtype = data.draw(st.sampled_from(FLOATS))
    own = (data.draw(st.integers(1, 3)), data.draw(st.integers(1, 4)))
    sample = Sample(tuple(arg(data, own, dtype) for _ in range(3)))
    for key, choices in (("margin", [0.5, 2.0]), ("p", [1.0, 3.0]), ("swap", [True])):
        if data.draw(st.booleans()):
            sample.kwargs[key] = data.draw(st.sampled_from(choices))
    return _reduction(data, sample)


def _multi_margin(data: Any) -> Sample:
    dtype = data.draw(st.sampled_from(FLOATS))
    rows, classes = data.draw(st.integers(1, 3)), data.draw(st.integers(1, 4))
    rng = np.random.default_rng(data.draw(st.integers(0, 2**16)))
    labels = rng.integers(0, classes + data.draw(st.sampled_from([0, 0, 0, 1])), rows)
    if data.draw(st.integers(0, 4)) == 0:  # one row: a vector and a 0-d label
        sample = Sample((arg(data, (classes,), dtype), Ints(labels[:1].reshape(()))))
    else:
        sample = Sample((arg(data, (rows, classes), dtype), Ints(labels.astype(np.int64))))
    for key, choices in (("p", [1, 2, 3]), ("margin", [0.5, 2.0])):
        if data.draw(st.booleans()):
            sample.kwargs[key] = data.draw(st.sampled_from(choices))
    if data.draw(st.booleans()):
        sample.kwargs["weight"] = arg(data, (classes,), dtype, grad=False, low=0, high=2)
    return _reduction(data, sample)


def _poisson(data: Any) -> Sample:
    dtype = data.draw(st.sampled_from(FLOATS))
    own = shape(data, max_dims=2)
    log_input = data.draw(st.booleans())
    low = -2 if log_input else 0.1
    counts = arg(data, own, dtype, grad=False, low=0, high=5)
    sample = Sample((arg(data, own, dtype, low=low, high=2), counts))
    sample.kwargs.update(log_input=log_input, full=data.draw(st.booleans()))
    return _reduction(data, sample)


def _gaussian(data: Any) -> Sample:
    """Means, targets and variances (positive, sometimes below eps) of the input's shape,
    with a last dimension of 1, one dimension fewer, or a float."""
    dtype = data.draw(st.sampled_from(FLOATS))
    own = shape(data, min_dims=1, max_dims=3)
    kind = data.draw(st.sampled_from(["same", "last", "fewer", "float"]))
    variance: Any = data.draw(st.sampled_from([0.5, 2.0]))
    if kind != "float":
        var_shape = {"same": own, "last": (*own[:-1], 1), "fewer": own[:-1]}[kind]
        variance = arg(data, var_shape, dtype, low=0, high=2)
    sample = Sample((arg(data, own, dtype), arg(data, own, dtype), variance))
    sample.kwargs["full"] = data.draw(st.booleans())
    return _reduction(data, sample)


def _pairwise(data: Any) -> Sample:
    dtype = data.draw(st.sampled_from(FLOATS))
    own = shape(data, min_dims=1, max_dims=2)
    sample = Sample((arg(data, own, dtype), arg(data, own, dtype)))
    for key, choices in (("p", [1.0, 2.0, 3.0]), ("eps", [0.0, 1e-3]), ("keepdim", [True])):
        if data.draw(st.booleans()):
            sample.kwargs[key] = data.draw(st.sampled_from(choices))
    return sample


LOSSES = {
    "margin_ranking_loss": _ranking,
    "hinge_embedding_loss": _hinge,
    "soft_margin_loss": _soft,
    "multilabel_soft_margin_loss": _multilabel,
    "cosine_embedding_loss": _cosine,
    "triplet_margin_loss": _triplet,
    "multi_margin_loss": _multi_margin,
    "poisson_nll_loss": _poisson,
    "gaussian_nll_loss": _gaussian,
    "pairwise_distance": _pairwise,
}


def _functional(name: str) -> Any:
    def call(T: Any, F: Any, *args: Any, **kwargs: Any) -> Any:
        return getattr(F, name)(*args, **kwargs)

    return call


def _parallel(sample: Sample) -> str | None:
    """1 - cos(x1, x2) of nearly parallel vectors cancels: one unit in the last place
    of the two libraries' cosines (descend's is exactly 1 where PyTorch's is 1 - 6e-8) is
    much of the result; of a zero vector, the gradients are 1e6 in size and their sum
    cancels."""
    first, second = (a.values.astype(np.float64) for a in sample.args[:2])
    near = 1e-2 if sample.args[0].values.dtype == np.float32 else 1e-5
    products = (first * second).sum(-1)
    norms = np.sqrt((first * first).sum(-1) * (second * second).sum(-1))
    with np.errstate(invalid="ignore", divide="ignore"):
        cos = np.abs(products / norms)
    if np.any(np.abs(1 - cos) < near):  # (1 ulp of cos is 100 (float32) ulp of 1 - cos)
        return "1 - cos(x1, x2) of nearly parallel vectors: the last place of each cosine"
    if np.any(norms == 0):  # (d cos / dx of a zero vector is x' / sqrt(1e-12 |x'|^2): 1e6)
        return "cos of a zero vector: gradients of 1e6 whose sum cancels"
    return None


def family() -> list[OpInfo]:
    ops = []
    for name, sampler in LOSSES.items():
        known = _parallel if name == "cosine_embedding_loss" else (lambda sample: None)
        ops.append(OpInfo(f"F.{name}", _functional(name), sampler, **_COMPOSITE, known=known))
    return ops


__all__ = ["family"]
