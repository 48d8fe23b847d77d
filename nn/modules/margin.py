"""Margin and embedding losses as layers (``nn.MarginRankingLoss``, ``HingeEmbeddingLoss``,
``SoftMarginLoss``, ``MultiLabelSoftMarginLoss``, ``CosineEmbeddingLoss``,
``TripletMarginLoss``, ``MultiMarginLoss``, ``PoissonNLLLoss``) and ``PairwiseDistance``,
each calling its function in ``nn/functional/margin.py``."""

from __future__ import annotations

from ..functional import margin as margin_functions
from ..tensor import Tensor
from ..types import InputLike
from .loss import _Loss
from .module import Module


class MarginRankingLoss(_Loss):
    """max(0, -y (x1 - x2) + margin), as ``torch.nn.MarginRankingLoss``."""

    def __init__(
        self,
        margin: float = 0.0,
        size_average: bool | None = None,
        reduce: bool | None = None,
        reduction: str = "mean",
    ) -> None:
        super().__init__(size_average, reduce, reduction)
        self.margin = margin

    def forward(self, input1: InputLike, input2: InputLike, target: InputLike) -> Tensor:
        return margin_functions.margin_ranking_loss(
            input1, input2, target, self.margin, reduction=self.reduction
        )


class HingeEmbeddingLoss(_Loss):
    """x where y = 1, max(0, margin - x) where y = -1, as ``torch.nn.HingeEmbeddingLoss``."""

    def __init__(
        self,
        margin: float = 1.0,
        size_average: bool | None = None,
        reduce: bool | None = None,
        reduction: str = "mean",
    ) -> None:
        super().__init__(size_average, reduce, reduction)
        self.margin = margin

    def forward(self, input: InputLike, target: InputLike) -> Tensor:
        return margin_functions.hinge_embedding_loss(
            input, target, self.margin, reduction=self.reduction
        )


class SoftMarginLoss(_Loss):
    """log(1 + exp(-y x)), as ``torch.nn.SoftMarginLoss``."""

    def forward(self, input: InputLike, target: InputLike) -> Tensor:
        return margin_functions.soft_margin_loss(input, target, reduction=self.reduction)


class MultiLabelSoftMarginLoss(_Loss):
    """Binary cross-entropy of each class's logit, averaged over the classes, as
    ``torch.nn.MultiLabelSoftMarginLoss`` (``weight``, per class, is a buffer)."""

    def __init__(
        self,
        weight: Tensor | None = None,
        size_average: bool | None = None,
        reduce: bool | None = None,
        reduction: str = "mean",
    ) -> None:
        super().__init__(size_average, reduce, reduction)
        self.register_buffer("weight", weight)

    def forward(self, input: InputLike, target: InputLike) -> Tensor:
        return margin_functions.multilabel_soft_margin_loss(
            input, target, self.weight, reduction=self.reduction
        )


class CosineEmbeddingLoss(MarginRankingLoss):
    """1 - cos(x1, x2) where y = 1, max(0, cos - margin) where y = -1, as
    ``torch.nn.CosineEmbeddingLoss``."""

    def forward(self, input1: InputLike, input2: InputLike, target: InputLike) -> Tensor:
        return margin_functions.cosine_embedding_loss(
            input1, input2, target, self.margin, reduction=self.reduction
        )


class TripletMarginLoss(_Loss):
    """max(0, margin + d(a, p) - d(a, n)), as ``torch.nn.TripletMarginLoss``."""

    def __init__(
        self,
        margin: float = 1.0,
        p: float = 2.0,
        eps: float = 1e-6,
        swap: bool = False,
        size_average: bool | None = None,
        reduce: bool | None = None,
        reduction: str = "mean",
    ) -> None:
        super().__init__(size_average, reduce, reduction)
        self.margin, self.p, self.eps, self.swap = margin, p, eps, swap

    def forward(self, anchor: InputLike, positive: InputLike, negative: InputLike) -> Tensor:
        return margin_functions.triplet_margin_loss(
            anchor, positive, negative, self.margin, self.p, self.eps, self.swap,
            reduction=self.reduction,
        )  # fmt: skip


class MultiMarginLoss(_Loss):
    """The multi-class hinge (SVM) loss, as ``torch.nn.MultiMarginLoss`` (``weight``, per
    class, is a buffer)."""

    def __init__(
        self,
        p: int = 1,
        margin: float = 1.0,
        weight: Tensor | None = None,
        size_average: bool | None = None,
        reduce: bool | None = None,
        reduction: str = "mean",
    ) -> None:
        super().__init__(size_average, reduce, reduction)
        if p not in (1, 2):
            raise ValueError("only p == 1 and p == 2 supported")
        if weight is not None and weight.dim() != 1:
            raise ValueError(
                f"MultiMarginLoss: expected weight to be None or 1D tensor, got {weight.dim()}D "
                "instead"
            )
        self.p, self.margin = p, margin
        self.register_buffer("weight", weight)

    def forward(self, input: InputLike, target: InputLike) -> Tensor:
        return margin_functions.multi_margin_loss(
            input, target, self.p, self.margin, self.weight, reduction=self.reduction
        )


class PoissonNLLLoss(_Loss):
    """Poisson negative log-likelihood, as ``torch.nn.PoissonNLLLoss``."""

    def __init__(
        self,
        log_input: bool = True,
        full: bool = False,
        size_average: bool | None = None,
        eps: float = 1e-8,
        reduce: bool | None = None,
        reduction: str = "mean",
    ) -> None:
        super().__init__(size_average, reduce, reduction)
        self.log_input, self.full, self.eps = log_input, full, eps

    def forward(self, log_input: InputLike, target: InputLike) -> Tensor:
        return margin_functions.poisson_nll_loss(
            log_input, target, self.log_input, self.full, eps=self.eps, reduction=self.reduction
        )


class PairwiseDistance(Module):
    """||x1 - x2 + eps||_p over the last dimension, as ``torch.nn.PairwiseDistance``."""

    def __init__(self, p: float = 2.0, eps: float = 1e-6, keepdim: bool = False) -> None:
        super().__init__()
        self.norm, self.eps, self.keepdim = p, eps, keepdim

    def forward(self, x1: InputLike, x2: InputLike) -> Tensor:
        return margin_functions.pairwise_distance(x1, x2, self.norm, self.eps, self.keepdim)
