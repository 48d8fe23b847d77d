"""Margin and embedding losses as functions, each PyTorch's composition of Tensor ops (so
its gradient is theirs), with ``reduction`` 'mean', 'sum' or 'none':

    margin_ranking_loss          max(0, -y (x1 - x2) + margin)
    hinge_embedding_loss         x where y = 1, max(0, margin - x) where y = -1
    soft_margin_loss             log(1 + exp(-y x))
    multilabel_soft_margin_loss  -mean over classes of y log s(x) + (1 - y) log s(-x)
    cosine_embedding_loss        1 - cos(x1, x2) where y = 1, max(0, cos - margin) where y = -1
    triplet_margin_loss          max(0, margin + d(a, p) - d(a, n)), d = pairwise_distance
    multi_margin_loss            sum over j != y of max(0, margin - x_y + x_j)^p / C
    poisson_nll_loss             exp(x) - y x (log_input), or x - y log(x + eps)

(their layers: ``nn/modules/margin.py``)."""

from __future__ import annotations

import math

from ..tensor import Tensor
from ..types import InputLike
from .loss import _tensor, legacy_reduction


def _reduced(loss: Tensor, reduction: str) -> Tensor:
    return loss if reduction == "none" else loss.sum() if reduction == "sum" else loss.mean()


def margin_ranking_loss(
    input1: InputLike,
    input2: InputLike,
    target: InputLike,
    margin: float = 0.0,
    size_average: bool | None = None,
    reduce: bool | None = None,
    reduction: str = "mean",
) -> Tensor:
    """max(0, -y (x1 - x2) + margin): y = 1 asks x1 to rank above x2 by ``margin``.

    Examples
    --------
    >>> import nn
    >>> x1, x2 = nn.tensor([2.0, 0.0]), nn.tensor([1.0, 1.0])
    >>> nn.F.margin_ranking_loss(x1, x2, nn.tensor([1.0, 1.0]))
    tensor(0.5000)
    """
    reduction = legacy_reduction(size_average, reduce, reduction)
    x1, x2, y = (
        _tensor(v, name) for v, name in ((input1, "input1"), (input2, "input2"), (target, "target"))
    )
    if not x1.ndim == x2.ndim == y.ndim:
        raise RuntimeError(
            "margin_ranking_loss : All input tensors should have same dimension but got sizes: "
            f"input1: {x1.size()}, input2: {x2.size()}, target: {y.size()} "
        )
    return _reduced((-y * (x1 - x2) + margin).clamp_min(0), reduction)


def hinge_embedding_loss(
    input: InputLike,
    target: InputLike,
    margin: float = 1.0,
    size_average: bool | None = None,
    reduce: bool | None = None,
    reduction: str = "mean",
) -> Tensor:
    """x where y = 1, max(0, margin - x) where y = -1 (x a distance; other y count neither).

    Examples
    --------
    >>> import nn
    >>> nn.F.hinge_embedding_loss(nn.tensor([0.3, 0.4]), nn.tensor([1.0, -1.0]))
    tensor(0.4500)
    """
    reduction = legacy_reduction(size_average, reduce, reduction)
    x, y = _tensor(input, "input"), _tensor(target, "target")
    zeros = x.new_zeros(()).expand_as(x)
    kept = (margin - x).clamp_min(0).where(y != 1, zeros)
    return _reduced(kept + x.where(y != -1, zeros), reduction)


def soft_margin_loss(
    input: InputLike,
    target: InputLike,
    size_average: bool | None = None,
    reduce: bool | None = None,
    reduction: str = "mean",
) -> Tensor:
    """log(1 + exp(-y x)), the logistic loss of labels y in {-1, 1}.

    Examples
    --------
    >>> import nn
    >>> nn.F.soft_margin_loss(nn.tensor([0.0]), nn.tensor([1.0]))
    tensor(0.6931)
    """
    reduction = legacy_reduction(size_average, reduce, reduction)
    x, y = _tensor(input, "input"), _tensor(target, "target")
    return _reduced((-x * y).exp().log1p(), reduction)


def multilabel_soft_margin_loss(
    input: InputLike,
    target: InputLike,
    weight: InputLike | None = None,
    size_average: bool | None = None,
    reduce: bool | None = None,
    reduction: str = "mean",
) -> Tensor:
    """-(y log sigmoid(x) + (1 - y) log sigmoid(-x)), times ``weight``, averaged over the
    classes (the last dimension).

    Examples
    --------
    >>> import nn
    >>> nn.F.multilabel_soft_margin_loss(nn.tensor([[0.0, 0.0]]), nn.tensor([[1.0, 0.0]]))
    tensor(0.6931)
    """
    from .piecewise import logsigmoid

    reduction = legacy_reduction(size_average, reduce, reduction)
    x, y = _tensor(input, "input"), _tensor(target, "target")
    loss = -(y * logsigmoid(x) + (1 - y) * logsigmoid(-x))
    if weight is not None:
        loss = loss * _tensor(weight, "weight")
    classes = x.ndim - 1
    return _reduced(loss.sum(classes) / x.shape[classes], reduction)


def cosine_embedding_loss(
    input1: InputLike,
    input2: InputLike,
    target: InputLike,
    margin: float = 0.0,
    size_average: bool | None = None,
    reduce: bool | None = None,
    reduction: str = "mean",
) -> Tensor:
    """1 - cos(x1, x2) where y = 1, max(0, cos(x1, x2) - margin) where y = -1, with
    cos = x1 . x2 / sqrt((|x1|^2 + 1e-12) (|x2|^2 + 1e-12)) over the last dimension.

    Examples
    --------
    >>> import nn
    >>> x1, x2 = nn.tensor([[1.0, 0.0]]), nn.tensor([[0.0, 1.0]])
    >>> nn.F.cosine_embedding_loss(x1, x2, nn.tensor([1.0]))
    tensor(1.)
    """
    reduction = legacy_reduction(size_average, reduce, reduction)
    x1, x2, y = (
        _tensor(v, name) for v, name in ((input1, "input1"), (input2, "input2"), (target, "target"))
    )
    if y.ndim not in (0, 1):
        raise RuntimeError("0D or 1D target tensor expected, multi-target not supported")
    wanted = y.ndim + 1
    if x1.ndim != wanted or x2.ndim != wanted:
        raise RuntimeError(
            f"{y.ndim}D target tensor expects {wanted}D input tensors, but found inputs with "
            f"sizes {list(x1.shape)} and {list(x2.shape)}."
        )
    dim = y.ndim
    products = (x1 * x2).sum(dim)
    squares = ((x1 * x1).sum(dim) + 1e-12) * ((x2 * x2).sum(dim) + 1e-12)
    cos = products / squares.sqrt()
    zeros = cos.new_zeros(()).expand_as(cos)
    apart = (1 - cos).where(y == 1, zeros)
    together = (cos - margin).clamp_min(0).where(y == -1, zeros)
    return _reduced(apart + together, reduction)


def pairwise_distance(
    x1: InputLike, x2: InputLike, p: float = 2.0, eps: float = 1e-6, keepdim: bool = False
) -> Tensor:
    """||x1 - x2 + eps||_p over the last dimension (``eps`` keeps the gradient finite where
    the two are equal).

    Examples
    --------
    >>> import nn
    >>> nn.F.pairwise_distance(nn.tensor([[0.0, 0.0]]), nn.tensor([[3.0, 4.0]]), eps=0.0)
    tensor([5.])
    """
    a, b = _tensor(x1, "x1"), _tensor(x2, "x2")
    last = max(a.ndim, b.ndim) - 1
    return (a - b + eps).norm(p, last, keepdim)


def triplet_margin_loss(
    anchor: InputLike,
    positive: InputLike,
    negative: InputLike,
    margin: float = 1.0,
    p: float = 2.0,
    eps: float = 1e-6,
    swap: bool = False,
    size_average: bool | None = None,
    reduce: bool | None = None,
    reduction: str = "mean",
) -> Tensor:
    """max(0, margin + d(anchor, positive) - d(anchor, negative)), d the
    ``pairwise_distance`` (``swap``: d to the negative is the smaller of the anchor's and
    the positive's).

    Examples
    --------
    >>> import nn
    >>> a, p, n = nn.tensor([[0.0, 0.0]]), nn.tensor([[0.0, 1.0]]), nn.tensor([[3.0, 0.0]])
    >>> nn.F.triplet_margin_loss(a, p, n, eps=0.0)
    tensor(0.)
    """
    reduction = legacy_reduction(size_average, reduce, reduction)
    a, pos, neg = (
        _tensor(v, name)
        for v, name in ((anchor, "anchor"), (positive, "positive"), (negative, "negative"))
    )
    if not a.ndim == pos.ndim == neg.ndim:
        raise RuntimeError(
            "The anchor, positive, and negative tensors are expected to have the same number of "
            f"dimensions, but got: anchor {a.ndim}D, positive {pos.ndim}D, and negative "
            f"{neg.ndim}D inputs"
        )
    closer = pairwise_distance(a, pos, p, eps)
    farther = pairwise_distance(a, neg, p, eps)
    if swap:
        farther = farther.minimum(pairwise_distance(pos, neg, p, eps))
    return _reduced((margin + closer - farther).clamp_min(0), reduction)


def multi_margin_loss(
    input: InputLike,
    target: InputLike,
    p: int = 1,
    margin: float = 1.0,
    weight: InputLike | None = None,
    size_average: bool | None = None,
    reduce: bool | None = None,
    reduction: str = "mean",
) -> Tensor:
    """The multi-class hinge (SVM) loss: for each row x with class y, the sum over the
    other classes j of max(0, margin - x_y + x_j)^p (times ``weight[y]``), over C classes.

    Examples
    --------
    >>> import nn
    >>> nn.F.multi_margin_loss(nn.tensor([[0.1, 0.2, 0.4, 0.8]]), nn.tensor([3]))
    tensor(0.3250)
    """
    reduction = legacy_reduction(size_average, reduce, reduction)
    if p not in (1, 2):
        raise ValueError("only p == 1 and p == 2 supported")
    x, y = _tensor(input, "input"), _tensor(target, "target")
    w = None if weight is None else _tensor(weight, "weight")
    if w is not None and w.ndim != 1:
        raise ValueError("weight must be one-dimensional")
    if x.ndim > 2 or (x.numel() == 0 and x.ndim != 2):
        raise RuntimeError(
            "Expected non-empty vector or matrix with optional 0-dim batch size, but got: "
            f"{list(x.shape)}"
        )
    rows = x.reshape(-1, x.shape[-1]) if x.ndim else x.reshape(1, 1)
    labels = y.reshape(-1)
    if labels.numel() != rows.shape[0] or y.ndim > 1:
        raise RuntimeError(
            f"inconsistent target size, expected {rows.shape[0]} but got {list(y.shape)}"
        )
    classes = rows.shape[1]
    if labels.numel() and (labels.min().item() < 0 or labels.max().item() >= classes):
        raise RuntimeError("target out of range")
    columns = labels.reshape(-1, 1)
    margins = (margin - rows.gather(1, columns) + rows).relu()  # (no gradient at 0: PyTorch's)
    if p == 2:
        margins = margins * margins
    if w is not None:
        margins = margins * w[labels].reshape(-1, 1)
    others = margins.scatter(1, columns, 0.0)
    loss = others.sum(1) / classes
    return _reduced(loss if x.ndim == 2 else loss.reshape(()), reduction)


def poisson_nll_loss(
    input: InputLike,
    target: InputLike,
    log_input: bool = True,
    full: bool = False,
    size_average: bool | None = None,
    eps: float = 1e-8,
    reduce: bool | None = None,
    reduction: str = "mean",
) -> Tensor:
    """The negative log-likelihood of counts y under a Poisson of rate exp(x)
    (``log_input``: exp(x) - y x) or x (x - y log(x + eps)); ``full`` adds Stirling's
    term y log y - y + log(2 pi y) / 2 where y > 1.

    Examples
    --------
    >>> import nn
    >>> nn.F.poisson_nll_loss(nn.tensor([0.0]), nn.tensor([2.0]))
    tensor(1.)
    """
    reduction = legacy_reduction(size_average, reduce, reduction)
    x, y = _tensor(input, "input"), _tensor(target, "target")
    loss = x.exp() - y * x if log_input else x - y * (x + eps).log()
    if full:
        stirling = y * y.log() - y + 0.5 * (2 * math.pi * y).log()
        loss = loss + stirling.masked_fill(y <= 1, 0)
    return _reduced(loss, reduction)
