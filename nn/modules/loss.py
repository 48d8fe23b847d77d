"""Loss modules: MSELoss, L1Loss, SmoothL1Loss, HuberLoss, KLDivLoss, BCELoss,
BCEWithLogitsLoss, CrossEntropyLoss, NLLLoss, GaussianNLLLoss (the margin losses:
``nn/modules/margin.py``)."""

from __future__ import annotations

from .. import functional as F
from ..functional.loss import legacy_reduction
from ..tensor import Tensor
from ..types import InputLike
from .module import Module


class _Loss(Module):
    def __init__(
        self, size_average: bool | None = None, reduce: bool | None = None, reduction: str = "mean"
    ) -> None:
        super().__init__()
        self.reduction = legacy_reduction(size_average, reduce, reduction)


class MSELoss(_Loss):
    """Mean squared error: mean((x - y)**2).

    Examples
    --------
    >>> import nn
    >>> nn.MSELoss()(nn.tensor([1.0, 2.0]), nn.tensor([1.0, 4.0])).item()
    2.0
    """

    def forward(self, input: InputLike, target: InputLike) -> Tensor:
        return F.mse_loss(input, target, reduction=self.reduction)


class BCELoss(_Loss):
    """Binary cross-entropy on probabilities: -[y log p + (1 - y) log(1 - p)], logs clamped at -100.

    The course's cost J = -(1/m) sum(Y log A + (1 - Y) log(1 - A)) for a sigmoid output A.

    Examples
    --------
    >>> import nn
    >>> round(nn.BCELoss()(nn.tensor([0.5]), nn.tensor([1.0])).item(), 4)
    0.6931
    """

    def __init__(
        self,
        weight: InputLike | None = None,
        size_average: bool | None = None,
        reduce: bool | None = None,
        reduction: str = "mean",
    ) -> None:
        super().__init__(size_average, reduce, reduction)
        self.weight = weight

    def forward(self, input: InputLike, target: InputLike) -> Tensor:
        return F.binary_cross_entropy(input, target, self.weight, reduction=self.reduction)


class BCEWithLogitsLoss(_Loss):
    """Sigmoid and binary cross-entropy in one stable step, from logits.

    Examples
    --------
    >>> import nn
    >>> nn.BCEWithLogitsLoss()(nn.tensor([1e4]), nn.tensor([0.0])).item()
    10000.0
    """

    def __init__(
        self,
        weight: InputLike | None = None,
        size_average: bool | None = None,
        reduce: bool | None = None,
        reduction: str = "mean",
        pos_weight: InputLike | None = None,
    ) -> None:
        super().__init__(size_average, reduce, reduction)
        self.weight = weight
        self.pos_weight = pos_weight

    def forward(self, input: InputLike, target: InputLike) -> Tensor:
        return F.binary_cross_entropy_with_logits(
            input, target, self.weight, reduction=self.reduction, pos_weight=self.pos_weight
        )


class CrossEntropyLoss(_Loss):
    """Softmax and negative log-likelihood from logits (N, C) and class indices (N,).

    Examples
    --------
    >>> import nn
    >>> round(nn.CrossEntropyLoss()(nn.tensor([[0.0, 0.0]]), nn.tensor([1])).item(), 4)
    0.6931
    """

    def __init__(
        self,
        weight: InputLike | None = None,
        size_average: bool | None = None,
        ignore_index: int = -100,
        reduce: bool | None = None,
        reduction: str = "mean",
        label_smoothing: float = 0.0,
    ) -> None:
        super().__init__(size_average, reduce, reduction)
        self.weight = weight
        self.ignore_index = ignore_index
        self.label_smoothing = label_smoothing

    def forward(self, input: InputLike, target: InputLike) -> Tensor:
        return F.cross_entropy(
            input,
            target,
            self.weight,
            ignore_index=self.ignore_index,
            reduction=self.reduction,
            label_smoothing=self.label_smoothing,
        )


class NLLLoss(_Loss):
    """Negative log-likelihood from log-probabilities (pair it with ``LogSoftmax``).

    Examples
    --------
    >>> import nn
    >>> nn.NLLLoss()(nn.tensor([[-0.5, -1.5]]), nn.tensor([0]))
    tensor(0.5000)
    """

    def __init__(
        self,
        weight: InputLike | None = None,
        size_average: bool | None = None,
        ignore_index: int = -100,
        reduce: bool | None = None,
        reduction: str = "mean",
    ) -> None:
        super().__init__(size_average, reduce, reduction)
        self.weight = weight
        self.ignore_index = ignore_index

    def forward(self, input: InputLike, target: InputLike) -> Tensor:
        return F.nll_loss(
            input, target, self.weight, ignore_index=self.ignore_index, reduction=self.reduction
        )


class L1Loss(_Loss):
    """Mean absolute error: mean(|x - y|), as ``torch.nn.L1Loss``.

    Examples
    --------
    >>> import nn
    >>> nn.L1Loss()(nn.tensor([1.0, 2.0]), nn.tensor([1.0, 4.0])).item()
    1.0
    """

    def __init__(
        self,
        size_average: bool | None = None,
        reduce: bool | None = None,
        reduction: str = "mean",
        weight: InputLike | None = None,
    ) -> None:
        super().__init__(size_average, reduce, reduction)
        self.weight = weight

    def forward(self, input: InputLike, target: InputLike) -> Tensor:
        return F.l1_loss(input, target, reduction=self.reduction, weight=self.weight)


class SmoothL1Loss(_Loss):
    """Quadratic below ``beta``, linear above, as ``torch.nn.SmoothL1Loss``."""

    def __init__(
        self,
        size_average: bool | None = None,
        reduce: bool | None = None,
        reduction: str = "mean",
        beta: float = 1.0,
    ) -> None:
        super().__init__(size_average, reduce, reduction)
        self.beta = beta

    def forward(self, input: InputLike, target: InputLike) -> Tensor:
        return F.smooth_l1_loss(input, target, reduction=self.reduction, beta=self.beta)


class HuberLoss(_Loss):
    """Quadratic below ``delta``, delta-scaled linear above, as ``torch.nn.HuberLoss``."""

    def __init__(
        self, reduction: str = "mean", delta: float = 1.0, weight: InputLike | None = None
    ) -> None:
        super().__init__(reduction=reduction)
        self.delta, self.weight = delta, weight

    def forward(self, input: InputLike, target: InputLike) -> Tensor:
        return F.huber_loss(
            input, target, reduction=self.reduction, delta=self.delta, weight=self.weight
        )


class KLDivLoss(_Loss):
    """KL(target || input), ``input`` in log space, as ``torch.nn.KLDivLoss``."""

    def __init__(
        self,
        size_average: bool | None = None,
        reduce: bool | None = None,
        reduction: str = "mean",
        log_target: bool = False,
    ) -> None:
        if reduction == "batchmean" and size_average is None and reduce is None:
            super().__init__()
            self.reduction = "batchmean"
        else:
            super().__init__(size_average, reduce, reduction)
        self.log_target = log_target

    def forward(self, input: InputLike, target: InputLike) -> Tensor:
        return F.kl_div(input, target, reduction=self.reduction, log_target=self.log_target)


class GaussianNLLLoss(Module):
    """Gaussian negative log-likelihood with a predicted variance, as
    ``torch.nn.GaussianNLLLoss`` (``forward(input, target, var)``)."""

    def __init__(self, *, full: bool = False, eps: float = 1e-6, reduction: str = "mean"):
        super().__init__()
        self.full, self.eps, self.reduction = full, eps, reduction

    def forward(self, input: InputLike, target: InputLike, var: InputLike | float) -> Tensor:
        return F.gaussian_nll_loss(input, target, var, self.full, self.eps, self.reduction)
