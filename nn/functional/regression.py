"""Regression and divergence losses (``nn.functional``): l1_loss, smooth_l1_loss,
huber_loss, kl_div, over the rules of ``nn/rules/regression.py``; input and target of
different shapes broadcast with PyTorch's warning, as ``mse_loss``; gaussian_nll_loss,
PyTorch's composition of Tensor ops."""

from __future__ import annotations

import math
import warnings

import numpy as np

from .._errors import DTypeError
from ..autograd.graph import KEPT, node_type
from ..rules import regression as regression_rules
from ..tensor import Tensor
from ..types import InputLike
from .loss import _broadcast_target, _tensor, legacy_reduction, promoted_pair, same_dtype_pair

L1LossBackward0 = node_type("L1LossBackward0")
SmoothL1LossBackward0 = node_type("SmoothL1LossBackward0")
HuberLossBackward0 = node_type("HuberLossBackward0")
KlDivBackward0 = node_type("KlDivBackward0")


def _weighted(
    loss: Tensor, weight: InputLike, x: Tensor, reduction: str, by_weight: bool
) -> Tensor:
    """``loss`` ('none') times ``weight`` (of the input's shape), reduced as PyTorch: 'mean'
    divides by the weights' sum when ``by_weight`` (l1_loss), else by the count."""
    w = weight if isinstance(weight, Tensor) else Tensor._make(np.asarray(weight))
    if w.shape != x.shape:
        raise ValueError("Weights and input must have the same size.")
    weighted: Tensor = loss * w
    if reduction == "none":
        return weighted
    if reduction == "sum":
        return weighted.sum()
    return weighted.sum() / w.sum() if by_weight else weighted.mean()


def _tensor_dtype(value: InputLike) -> np.dtype:
    return _tensor(value, "input")._data.dtype


def l1_loss(
    input: InputLike,
    target: InputLike,
    size_average: bool | None = None,
    reduce: bool | None = None,
    reduction: str = "mean",
    weight: InputLike | None = None,
) -> Tensor:
    """|x - y| per element; d/dx = sign(x - y) (0 where equal). With ``weight`` (the input's
    shape), 'mean' is the weighted mean: sum(w |x - y|) / sum(w).

    Examples
    --------
    >>> import nn
    >>> nn.F.l1_loss(nn.tensor([1.0, 2.0]), nn.tensor([0.0, 4.0])).item()
    1.5
    """
    reduction = legacy_reduction(size_average, reduce, reduction)
    x, target = promoted_pair(input, target, "l1_loss")
    t = _broadcast_target(target, x, "l1_loss")
    if weight is not None:
        return _weighted(l1_loss(x, t, reduction="none"), weight, x, reduction, True)
    out, backward = regression_rules.l1(x._data, t._data, reduction, (x._rg, t._rg))
    # PyTorch composes |x - y| from a difference of its own: it keeps that, not the inputs
    return Tensor._record(out, (x, t), backward, L1LossBackward0, (KEPT,))


def smooth_l1_loss(
    input: InputLike,
    target: InputLike,
    size_average: bool | None = None,
    reduce: bool | None = None,
    reduction: str = "mean",
    beta: float = 1.0,
) -> Tensor:
    """0.5 d**2 / beta where |d| < beta, else |d| - 0.5 beta (d = x - y); beta = 0 is L1.

    Examples
    --------
    >>> import nn
    >>> nn.F.smooth_l1_loss(nn.tensor([0.5, 3.0]), nn.tensor([0.0, 0.0]), reduction="none")
    tensor([0.1250, 2.5000])
    """
    reduction = legacy_reduction(size_average, reduce, reduction)
    if beta < 0:
        raise RuntimeError("smooth_l1_loss does not support negative values for beta.")
    x, target = promoted_pair(input, target, "smooth_l1_loss")
    t = _broadcast_target(target, x, "smooth_l1_loss")
    out, backward = regression_rules.smooth_l1(
        x._data, t._data, reduction, float(beta), (x._rg, t._rg)
    )
    return Tensor._record(out, (x, t), backward, SmoothL1LossBackward0, (x, t))


def huber_loss(
    input: InputLike,
    target: InputLike,
    reduction: str = "mean",
    delta: float = 1.0,
    weight: InputLike | None = None,
) -> Tensor:
    """0.5 d**2 where |d| < delta, else delta (|d| - 0.5 delta) (d = x - y); ``weight``
    (the input's shape) multiplies each element's loss.

    Examples
    --------
    >>> import nn
    >>> nn.F.huber_loss(nn.tensor([0.5, 3.0]), nn.tensor([0.0, 0.0]), reduction="none")
    tensor([0.1250, 2.5000])
    """
    reduction = legacy_reduction(None, None, reduction)
    if delta <= 0:
        raise RuntimeError("huber_loss does not support non-positive values for delta.")
    x, target = same_dtype_pair(input, target, "huber_loss")
    t = _broadcast_target(target, x, "huber_loss")
    if weight is not None:
        return _weighted(huber_loss(x, t, "none", delta), weight, x, reduction, False)
    out, backward = regression_rules.huber(
        x._data, t._data, reduction, float(delta), (x._rg, t._rg)
    )
    return Tensor._record(out, (x, t), backward, HuberLossBackward0, (x, t))


def kl_div(
    input: InputLike,
    target: InputLike,
    size_average: bool | None = None,
    reduce: bool | None = None,
    reduction: str = "mean",
    log_target: bool = False,
) -> Tensor:
    """KL(target || input) pointwise, ``input`` holding log-probabilities:
    y (log y - x), or exp(y) (y - x) when ``log_target``. 'batchmean' (the true KL
    divergence per sample) divides the sum by the batch size; 'mean' divides by the number
    of elements, with PyTorch's warning.

    Examples
    --------
    >>> import nn
    >>> p = nn.tensor([[0.5, 0.5]]); q = nn.tensor([[0.25, 0.75]])
    >>> round(nn.F.kl_div(q.log(), p, reduction="batchmean").item(), 4)
    0.1438
    """
    if reduction == "batchmean" and size_average is None and reduce is None:
        chosen = "batchmean"
    else:
        chosen = legacy_reduction(size_average, reduce, reduction)
    if chosen == "mean":
        warnings.warn(
            "reduction: 'mean' divides the total loss by both the batch size and the support "
            "size.'batchmean' divides only by the batch size, and aligns with the KL div math "
            "definition.'mean' will be changed to behave the same as 'batchmean' in the next "
            "major release.",
            UserWarning,
            stacklevel=2,
        )
    if any(_tensor_dtype(v).kind not in "fc" for v in (input, target)):
        raise DTypeError("kl_div: Integral inputs not supported.")
    x, target = promoted_pair(input, target, "kl_div")
    t = _broadcast_target(target, x, "kl_div")
    out, backward = regression_rules.kl_div(x._data, t._data, chosen, log_target, (x._rg, t._rg))
    # saved as PyTorch's composition saves them: xlogy(t, t) - t x keeps t for either
    # gradient and x for t's; exp(t) (t - x) keeps only values it made
    if log_target:
        saved: tuple[Tensor | None, ...] = ()
    else:
        saved = (x if t.requires_grad else None, t if x.requires_grad or t.requires_grad else None)
    return Tensor._record(out, (x, t), backward, KlDivBackward0, saved)


def gaussian_nll_loss(
    input: InputLike,
    target: InputLike,
    var: InputLike | float,
    full: bool = False,
    eps: float = 1e-6,
    reduction: str = "mean",
) -> Tensor:
    """The negative log-likelihood of ``target`` under a Gaussian of mean ``input`` and
    variance ``var`` (clamped below at ``eps``, without stopping its gradient):
    (log var + (x - y)^2 / var) / 2 (+ log(2 pi) / 2 when ``full``). ``var`` has the
    input's shape, or one dimension of size 1 (or one fewer dimension): one variance shared.

    Examples
    --------
    >>> import nn
    >>> nn.F.gaussian_nll_loss(nn.tensor([0.0, 1.0]), nn.tensor([1.0, 1.0]), nn.ones(2))
    tensor(0.2500)
    """
    from .. import no_grad

    x, y = _tensor(input, "input"), _tensor(target, "target")
    if isinstance(var, float):
        if var < 0:
            raise ValueError("var has negative entry/entries")
        v = var * x.new_ones(x.shape)
    else:
        v = _tensor(var, "var")
        if bool((v < 0).any()):
            raise ValueError("var has negative entry/entries")
    if v.shape != x.shape:
        if x.shape[:-1] == v.shape:
            v = v.unsqueeze(-1)
        elif not (
            x.ndim == v.ndim
            and sum(b for a, b in zip(x.shape, v.shape, strict=True) if a != b) == 1
        ):
            raise ValueError("var is of incorrect size")
    if reduction not in ("none", "mean", "sum"):
        raise ValueError(reduction + " is not valid")
    v = v.clone()
    with no_grad():
        v.clamp_(min=eps)
    loss = 0.5 * (v.log() + (x - y) ** 2 / v)
    if full:
        loss = loss + 0.5 * math.log(2 * math.pi)
    return loss if reduction == "none" else loss.sum() if reduction == "sum" else loss.mean()
