"""Loss functions, each one autograd node with its gradient written out.

``reduction`` is ``'mean'`` (average over elements), ``'sum'`` or ``'none'`` (per element).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from ._errors import DTypeError, ShapeError, TargetOutOfRangeError
from ._ops import log_softmax_array
from .tensor import Tensor, _as_array

Array = np.ndarray
Chain = Callable[[Array], tuple["Array | None", ...]]

_REDUCTIONS = ("mean", "sum", "none")
_LOG_CLAMP = -100.0  # PyTorch clamps BCELoss's logs at -100 so that p = 0 or 1 stays finite
# and its gradient's denominator (1 - p) p at 1e-12, a float32 constant in PyTorch
_BCE_GRAD_EPS = float(np.float32(1e-12))


def _tensor(value: Any, name: str) -> Tensor:
    if isinstance(value, Tensor):
        return value
    try:
        return Tensor._wrap(_as_array(value, copy=False))
    except (TypeError, ValueError) as error:
        raise TypeError(
            f"{name} must be a Tensor, an ndarray or a list of numbers, got {type(value).__name__}"
        ) from error


def _float_input(value: Any, loss: str) -> Tensor:
    x = _tensor(value, "input")
    if x.dtype.kind != "f":
        raise DTypeError(f"{loss}: input must be floating point, got dtype {x.dtype}")
    return x


def _float_target(value: Any, x: Tensor, loss: str) -> Tensor:
    t = _tensor(value, "target")
    if t.dtype.kind != "f":
        raise DTypeError(
            f"{loss}: target must be floating point (probabilities or values), got dtype "
            f"{t.dtype}; convert it with .float() or .astype(np.float32)"
        )
    if t.shape != x.shape:
        raise ShapeError(f"{loss}: target size {t.shape} must be the same as input size {x.shape}")
    return t if t.dtype == x.dtype else Tensor._wrap(t.data.astype(x.dtype))


def _weight_array(weight: Any, x: Tensor) -> Array | None:
    if weight is None:
        return None
    w = weight.data if isinstance(weight, Tensor) else np.asarray(weight)
    return w.astype(x.dtype, copy=False)


def _reduce(
    loss: Array,
    parents: tuple[Tensor, ...],
    chain: Chain,
    reduction: str,
    op: str,
    mean_count: float | None = None,
) -> Tensor:
    """Reduce an elementwise ``loss`` and record one node.

    ``chain(g)`` returns dL/d(parent) per parent from ``g``, dL/d(loss_i), which is a scalar
    (for 'mean' and 'sum') or shaped like ``loss`` (for 'none').
    """
    if reduction not in _REDUCTIONS:
        raise ValueError(
            f"{reduction!r} is not a valid value for reduction; expected one of {_REDUCTIONS}"
        )
    dtype = loss.dtype
    if reduction == "none":
        out = loss
    elif reduction == "sum":
        out = np.asarray(loss.sum(), dtype=dtype)
    else:
        count = loss.size if mean_count is None else mean_count
        out = np.asarray(loss.sum() / count if count else np.nan, dtype=dtype)

    def backward(g: Array) -> tuple[Array | None, ...]:
        if reduction == "mean":
            count = loss.size if mean_count is None else mean_count
            g = g / count
        return chain(g)

    return Tensor._from_op(out, parents, backward, op)


def mse_loss(input: Any, target: Any, reduction: str = "mean") -> Tensor:
    """(x - y)**2 per element; d/dx = 2 (x - y).

    Shapes must be equal: a (m, 1) prediction against an (m,) target would otherwise broadcast
    to (m, m), a classic silent bug, so it raises instead.

    Examples
    --------
    >>> import nn
    >>> nn.F.mse_loss([1.0, 2.0], [1.0, 4.0], reduction="none")
    tensor([0., 4.])
    """
    x = _float_input(input, "mse_loss")
    t = _float_target(target, x, "mse_loss")
    diff = x.data - t.data

    def chain(g: Array) -> tuple[Array | None, ...]:
        return (
            2.0 * g * diff if x.requires_grad else None,
            -2.0 * g * diff if t.requires_grad else None,
        )

    return _reduce(diff * diff, (x, t), chain, reduction, "MseLoss")


def binary_cross_entropy(
    input: Any, target: Any, weight: Any = None, reduction: str = "mean"
) -> Tensor:
    """-w [y log(p) + (1 - y) log(1 - p)], with each log clamped at -100 as PyTorch.

    The course's cost J = -(1/m) sum(Y log(A) + (1 - Y) log(1 - A)).
    d/dp = w (p - y) / max((1 - p) p, 1e-12).

    Examples
    --------
    >>> import nn
    >>> nn.F.binary_cross_entropy([0.0, 1.0], [1.0, 1.0], reduction="none")  # log clamped
    tensor([100.,  -0.])
    """
    p = _float_input(input, "binary_cross_entropy")
    t = _float_target(target, p, "binary_cross_entropy")
    if np.any((p.data < 0) | (p.data > 1)) or np.any(np.isnan(p.data)):
        raise RuntimeError(
            "binary_cross_entropy: all elements of input should be between 0 and 1 "
            f"(got min {np.nanmin(p.data) if p.data.size else 0}, max "
            f"{np.nanmax(p.data) if p.data.size else 0}); use BCEWithLogitsLoss for logits"
        )
    w = _weight_array(weight, p)
    with np.errstate(divide="ignore"):
        log_p = np.maximum(np.log(p.data), _LOG_CLAMP)
        log_q = np.maximum(np.log1p(-p.data), _LOG_CLAMP)
    loss = -(t.data * log_p + (1.0 - t.data) * log_q)
    if w is not None:
        loss = loss * w

    def chain(g: Array) -> tuple[Array | None, ...]:
        if t.requires_grad:
            raise RuntimeError(
                "the derivative for 'target' is not implemented for binary_cross_entropy"
            )
        grad = g * (p.data - t.data) / np.maximum((1.0 - p.data) * p.data, _BCE_GRAD_EPS)
        return (grad if w is None else grad * w, None)

    return _reduce(loss.astype(p.dtype, copy=False), (p, t), chain, reduction, "BinaryCrossEntropy")


def binary_cross_entropy_with_logits(
    input: Any,
    target: Any,
    weight: Any = None,
    reduction: str = "mean",
    pos_weight: Any = None,
) -> Tensor:
    """binary_cross_entropy(sigmoid(z), y) computed from the logits z without overflow.

    With e = exp(-|z|) (never above 1) and l = 1 + (pos_weight - 1) y (1 without pos_weight):

        loss  = (1 - y) z + l (log(1 + e) + max(-z, 0))
        d/dz  = (1 - y) - l sigmoid(-z)
        d/dy  = -z + (pos_weight - 1)(log(1 + e) + max(-z, 0))

    which is sigmoid(z) - y without pos_weight, with sigmoid(z) = 1 / (1 + e) for z >= 0 and
    e / (1 + e) for z < 0 (no cancellation for large |z|).

    Examples
    --------
    >>> import nn
    >>> nn.F.binary_cross_entropy_with_logits([1e4, 0.0], [0.0, 1.0], reduction="none").tolist()
    [10000.0, 0.6931471824645996]
    """
    z = _float_input(input, "binary_cross_entropy_with_logits")
    t = _float_target(target, z, "binary_cross_entropy_with_logits")
    w = _weight_array(weight, z)
    pw = _weight_array(pos_weight, z)
    zd, td = z.data, t.data
    if w is None and pw is None and reduction == "mean" and not t.requires_grad:
        return _bce_with_logits_mean(z, zd, td)
    e = np.exp(-np.abs(zd))
    softplus_neg = np.log1p(e)
    softplus_neg += np.maximum(-zd, 0)
    if pw is None:
        scale = None
        loss = (1.0 - td) * zd
        loss += softplus_neg
    else:
        scale = 1.0 + (pw - 1.0) * td
        loss = (1.0 - td) * zd + scale * softplus_neg
    if w is not None:
        loss = loss * w

    def chain(g: Array) -> tuple[Array | None, ...]:
        if w is not None:
            g = g * w
        grad_z = grad_t = None
        if z.requires_grad:
            inverse = 1.0 / (1.0 + e)  # sigmoid(|z|)
            sigmoid = np.where(zd >= 0, inverse, e * inverse)
            if scale is None:
                grad_z = g * (sigmoid - td)
            else:  # (1 - y) - l sigmoid(-z), sigmoid(-z) = 1 - sigmoid(z)
                grad_z = g * ((1.0 - td) - scale * (1.0 - sigmoid))
        if t.requires_grad:
            grad_t = g * (-zd if pw is None else -zd + (pw - 1.0) * softplus_neg)
        return (grad_z, grad_t)

    return _reduce(
        np.asarray(loss, dtype=z.dtype), (z, t), chain, reduction, "BinaryCrossEntropyWithLogits"
    )


def _bce_with_logits_mean(z: Tensor, zd: Array, td: Array) -> Tensor:
    """The common case (no weights, mean) with as few array passes as it takes:
    loss = mean(max(z, 0) - z y + log(1 + e)), d/dz = (sigmoid(z) - y) / n."""
    e = np.abs(zd)
    np.negative(e, out=e)
    np.exp(e, out=e)
    loss = np.maximum(zd, 0)
    loss -= zd * td
    loss += np.log1p(e)
    count = zd.size
    out = np.asarray(np.add.reduce(loss, axis=None) / count if count else np.nan, dtype=zd.dtype)

    def backward(g: Array) -> tuple[Array | None, ...]:
        sigmoid = e + 1.0
        np.divide(1.0, sigmoid, out=sigmoid)  # sigmoid(|z|)
        np.multiply(e, sigmoid, out=sigmoid, where=zd < 0)  # sigmoid(z) = e sigmoid(|z|), z < 0
        sigmoid -= td
        sigmoid *= g / count
        return (sigmoid, None)

    return Tensor._from_op(out, (z, Tensor._wrap(td)), backward, "BinaryCrossEntropyWithLogits")


def cross_entropy(
    input: Any,
    target: Any,
    weight: Any = None,
    ignore_index: int = -100,
    reduction: str = "mean",
) -> Tensor:
    """-log softmax(z)[y] for class indices y (or -sum_c y_c log softmax(z)_c for probabilities).

    ``input`` holds logits of shape (N, C), (C,) or (N, C, d1, ...); ``target`` class indices
    of shape (N,), () or (N, d1, ...), or class probabilities shaped like ``input``.
    With weights, 'mean' divides by the sum of the targets' weights, as PyTorch.
    d/dz = w_y (softmax(z) - onehot(y)).

    Examples
    --------
    >>> import numpy as np, nn
    >>> round(nn.F.cross_entropy([[0.0, 0.0, 0.0]], np.array([2])).item(), 4)  # log(3)
    1.0986
    """
    z = _float_input(input, "cross_entropy")
    t = _tensor(target, "target")
    if z.ndim == 0:
        raise ShapeError("cross_entropy: input must have a class dimension, got a 0-d tensor")
    class_axis = 0 if z.ndim == 1 else 1
    classes = z.shape[class_axis]
    logits = np.moveaxis(z.data, class_axis, -1).reshape(-1, classes)
    log_p = log_softmax_array(logits, axis=-1)
    w = _weight_array(weight, z)
    if w is not None and w.shape != (classes,):
        raise ShapeError(f"cross_entropy: weight must have shape ({classes},), got {w.shape}")
    out_shape = z.shape[:class_axis] + z.shape[class_axis + 1 :]
    if t.dtype.kind == "f":
        return _cross_entropy_probabilities(z, t, log_p, w, class_axis, reduction)
    if t.dtype.kind not in "iu":
        raise DTypeError(
            f"cross_entropy: target must hold class indices (int64), got dtype {t.dtype}"
        )
    if t.shape != out_shape:
        raise ShapeError(
            f"cross_entropy: input of shape {z.shape} needs a target of shape {out_shape}, "
            f"got {t.shape}"
        )
    labels = t.data.reshape(-1).astype(np.int64)
    valid = labels != ignore_index
    bad = valid & ((labels < 0) | (labels >= classes))
    if np.any(bad):
        raise TargetOutOfRangeError(
            f"Target {labels[bad][0]} is out of bounds: class indices must be in [0, {classes - 1}]"
        )
    safe = np.where(valid, labels, 0)
    rows = np.arange(labels.size)
    sample_w = valid.astype(z.dtype) if w is None else np.where(valid, w[safe], 0).astype(z.dtype)
    loss = -log_p[rows, safe] * sample_w

    def chain(g: Array) -> tuple[Array | None, ...]:
        grad = np.exp(log_p)
        grad[rows, safe] -= 1.0
        grad *= (sample_w * np.reshape(g, -1))[:, None]
        return (_restore_class_axis(grad, z.shape, class_axis), None)

    return _reduce(
        loss.reshape(out_shape),
        (z, t),
        chain,
        reduction,
        "CrossEntropyLoss",
        mean_count=float(sample_w.sum()),
    )


def _cross_entropy_probabilities(
    z: Tensor, t: Tensor, log_p: Array, w: Array | None, class_axis: int, reduction: str
) -> Tensor:
    if t.shape != z.shape:
        raise ShapeError(
            f"cross_entropy: probability targets must have the input's shape {z.shape}, "
            f"got {t.shape}"
        )
    classes = z.shape[class_axis]
    probs = np.moveaxis(t.data.astype(z.dtype, copy=False), class_axis, -1).reshape(-1, classes)
    weighted = probs if w is None else probs * w
    loss = -(weighted * log_p).sum(axis=-1)
    out_shape = z.shape[:class_axis] + z.shape[class_axis + 1 :]

    def chain(g: Array) -> tuple[Array | None, ...]:
        grad = np.exp(log_p) * weighted.sum(axis=-1, keepdims=True) - weighted
        grad *= np.reshape(g, -1)[:, None]
        return (_restore_class_axis(grad, z.shape, class_axis), None)

    return _reduce(loss.reshape(out_shape), (z, t), chain, reduction, "CrossEntropyLoss")


def _restore_class_axis(grad: Array, shape: tuple[int, ...], class_axis: int) -> Array:
    moved = shape[:class_axis] + shape[class_axis + 1 :] + (shape[class_axis],)
    return np.moveaxis(grad.reshape(moved), -1, class_axis)
