"""Reductions and scans for the harness: over every element, one dim or several (negative,
repeated and out-of-range ones included), with and without ``keepdim``, on every dtype
(sums of integers, means of integers refused), on 0-d and empty Tensors; sorting and top-k
with ties."""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import strategies as st

from tests.parity.opinfo import OpInfo
from tests.parity.samples import ALL, FLOATS, SUMMING, Sample, arg, dim, shape


def _dims(data: Any, ndim: int) -> Any:
    """None, a dim, a tuple of dims (a repeated or an out-of-range one, rarely)."""
    kind = data.draw(st.sampled_from(["none", "int", "int", "tuple", "bad"]))
    if kind == "none":
        return None
    if kind == "int":
        return dim(data, ndim)
    if kind == "tuple":
        count = data.draw(st.integers(0, max(ndim, 1)))
        return tuple(dim(data, ndim) for _ in range(count))
    return max(ndim, 1)  # out of range


def reduce_sampler(dtypes: tuple[str, ...], with_dim: str = "optional") -> Any:
    """``with_dim``: "optional" (none, an int or a tuple), "int" (one dim, as softmax
    needs), "none"."""

    def sampler(data: Any) -> Sample:
        dtype = data.draw(st.sampled_from(dtypes))
        x = arg(data, shape(data), dtype, special=True)
        ndim = x.values.ndim
        kwargs: dict[str, Any] = {}
        if with_dim == "int":
            kwargs["dim"] = dim(data, ndim) if data.draw(st.integers(0, 9)) else max(ndim, 1)
        elif with_dim == "optional":
            chosen = _dims(data, ndim)
            if chosen is not None:
                kwargs["dim"] = chosen
                kwargs["keepdim"] = data.draw(st.booleans())
        return Sample((x,), kwargs)

    return sampler


def _method(name: str) -> Any:
    def call(T: Any, F: Any, x: Any, **kwargs: Any) -> Any:
        return getattr(x, name)(**kwargs)

    return call


def _function(name: str) -> Any:
    def call(T: Any, F: Any, x: Any, **kwargs: Any) -> Any:
        return getattr(T, name)(x, **kwargs)

    return call


def _one_dim(name: str, keep: bool = True) -> Any:
    """max/min/argmax...: with a dim, only an int (a tuple is refused as PyTorch refuses it)."""

    def sampler(data: Any) -> Sample:
        dtype = data.draw(st.sampled_from(ALL))
        x = arg(data, shape(data), dtype, special=True)
        if data.draw(st.booleans()):
            return Sample((x,))
        kwargs: dict[str, Any] = {"dim": dim(data, x.values.ndim)}
        if keep:
            kwargs["keepdim"] = data.draw(st.booleans())
        return Sample((x,), kwargs)

    return sampler


def _sort_sampler(data: Any) -> Sample:
    x = arg(data, shape(data), data.draw(st.sampled_from(ALL)), special=True)
    kwargs = {"dim": dim(data, x.values.ndim), "descending": data.draw(st.booleans())}
    return Sample((x,), kwargs)


def _topk_sampler(data: Any) -> Sample:
    x = arg(data, shape(data, min_dims=1), data.draw(st.sampled_from(ALL)))
    axis = dim(data, x.values.ndim)
    k = data.draw(st.integers(0, x.values.shape[axis] + 1))
    return Sample((x, k), {"dim": axis, "largest": data.draw(st.booleans())})


def _tied(sample: Sample) -> str | None:
    """Which of tied values ``topk`` picks is unspecified in PyTorch (its kernel's choice),
    and the gradient follows the pick: samples with ties are not compared."""
    values = sample.args[0].values
    if values.size != np.unique(values).size:
        return "unspecified: which of tied values topk picks"
    return None


def _stable_sort(T: Any, F: Any, x: Any, **kwargs: Any) -> Any:
    return x.sort(stable=True, **kwargs)  # (an unstable sort may order ties either way)


def _stable_argsort(T: Any, F: Any, x: Any, **kwargs: Any) -> Any:
    return x.argsort(stable=True, **kwargs)


def _topk(T: Any, F: Any, x: Any, k: int, **kwargs: Any) -> Any:
    values, _ = x.topk(k, **kwargs)
    return values  # (the indices of tied values are the kernel's choice)


REDUCTIONS = {  # name: (dtypes, dim kind, rtol)
    "sum": (ALL, "optional", SUMMING),
    "mean": (ALL, "optional", SUMMING),
    "prod": (ALL, "int", SUMMING),
    "std": (ALL, "optional", SUMMING),
    "var": (ALL, "optional", SUMMING),
    "amax": (ALL, "optional", 0.0),
    "amin": (ALL, "optional", 0.0),
    "all": (ALL, "optional", 0.0),
    "any": (ALL, "optional", 0.0),
    "logsumexp": (ALL, "optional", SUMMING),
    "norm": (FLOATS, "optional", SUMMING),
    "softmax": (ALL, "int", SUMMING),
    "log_softmax": (ALL, "int", SUMMING),
    "cumsum": (ALL, "int", 0.0),
    "cumprod": (ALL, "int", 0.0),
}


def _empty_dims(name: str) -> Any:
    """PyTorch's ``var``/``std`` over ``dim=()`` reduce everything but differentiate as if
    nothing were reduced (an infinite gradient), and its ``logsumexp`` over ``dim=()`` fails
    with a shape error: descend reduces everything, with the true gradient; its ``norm`` of
    a 0-d Tensor over ``dim=0`` squares the value (0 below the square root of the smallest
    normal number, inf above that of the largest) where every other shape gives |x|
    (decisions.md, "PyTorch's own slips")."""

    def known(sample: Sample) -> str | None:
        if name in ("var", "std", "logsumexp") and sample.kwargs.get("dim") == ():
            return "PyTorch's own slips: var, std and logsumexp over dim=()"
        values = sample.args[0].values
        tiny = np.sqrt(np.finfo(values.dtype).tiny) if values.dtype.kind == "f" else 0.0
        if name == "norm" and values.ndim == 0 and sample.kwargs.get("dim") is not None:
            huge = np.sqrt(np.finfo(values.dtype).max) if values.dtype.kind == "f" else np.inf
            if 0 < abs(float(values)) < tiny or abs(float(values)) > huge:  # (its square)
                return "PyTorch's own slips: the norm of a 0-d Tensor over dim=0 squares it"
        return None

    return known


def family() -> list[OpInfo]:
    ops = []
    for name, (dtypes, kind, rtol) in REDUCTIONS.items():
        sampler, known = reduce_sampler(dtypes, kind), _empty_dims(name)
        ops.append(OpInfo(f"Tensor.{name}", _method(name), sampler, rtol, 1e-5, known=known))
        ops.append(OpInfo(f"nn.{name}", _function(name), sampler, rtol, 1e-5, known=known))
    for name in ("max", "min", "argmax", "argmin"):
        ops.append(OpInfo(f"Tensor.{name}", _method(name), _one_dim(name)))
        ops.append(OpInfo(f"nn.{name}", _function(name), _one_dim(name)))
    ops += [
        OpInfo("Tensor.sort", _stable_sort, _sort_sampler),
        OpInfo("nn.sort", lambda T, F, x, **k: T.sort(x, stable=True, **k), _sort_sampler),
        OpInfo("Tensor.argsort", _stable_argsort, _sort_sampler),
        OpInfo("nn.argsort", lambda T, F, x, **k: T.argsort(x, stable=True, **k), _sort_sampler),
        OpInfo("Tensor.topk", _topk, _topk_sampler, known=_tied),
        OpInfo(
            "nn.topk", lambda T, F, x, k, **kw: T.topk(x, k, **kw)[0], _topk_sampler, known=_tied
        ),
    ]
    return ops
