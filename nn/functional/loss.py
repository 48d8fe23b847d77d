"""Loss functions (``nn.functional``): checks and dispatch around the rules of
``nn/rules/loss.py``, one node per loss (label smoothing and probability targets are
composed of Tensor ops, as PyTorch composes them).

``reduction`` is ``'mean'`` (average over elements), ``'sum'`` or ``'none'`` (per element);
PyTorch's legacy ``size_average`` / ``reduce`` arguments are honoured too.
"""

from __future__ import annotations

import warnings

import numpy as np

from .. import _dtype
from .._errors import DimensionError, DTypeError, ShapeError, TargetOutOfRangeError
from ..autograd.graph import node_type
from ..rules import loss as loss_rules
from ..rules._quiet import quiet
from ..tensor import Tensor
from ..types import InputLike

Array = np.ndarray

MseLossBackward0 = node_type("MseLossBackward0")
BinaryCrossEntropyBackward0 = node_type("BinaryCrossEntropyBackward0")
BinaryCrossEntropyWithLogitsBackward0 = node_type("BinaryCrossEntropyWithLogitsBackward0")
NllLossBackward0 = node_type("NllLossBackward0")
CrossEntropyLossBackward0 = node_type("NllLossBackward0")


def legacy_reduction(size_average: object, reduce: object, reduction: str) -> str:
    """PyTorch's mapping of the deprecated ``size_average`` / ``reduce`` to ``reduction``."""
    if size_average is None and reduce is None:
        if reduction not in loss_rules.REDUCTIONS:
            raise ValueError(
                f"{reduction!r} is not a valid value for reduction; expected one of "
                f"{loss_rules.REDUCTIONS}"
            )
        return reduction
    size_average = True if size_average is None else size_average
    reduce = True if reduce is None else reduce
    return "mean" if size_average and reduce else "sum" if reduce else "none"


def _tensor(value: InputLike, name: str) -> Tensor:
    if isinstance(value, Tensor):
        return value
    if type(value) is np.ndarray:
        return Tensor._make(value)
    try:
        return Tensor._make(_dtype.as_array(value, copy=False))
    except (TypeError, ValueError) as error:
        raise TypeError(
            f"{name} must be a Tensor, an ndarray or a list of numbers, got {type(value).__name__}"
        ) from error


def _float_input(value: InputLike, loss: str) -> Tensor:
    x = _tensor(value, "input")
    if x.dtype.kind != "f":
        raise DTypeError(f"{loss}: input must be floating point, got dtype {x.dtype}")
    return x


def promoted_pair(input: InputLike, target: InputLike, loss: str) -> tuple[Tensor, Tensor]:
    """Input and target of an elementwise loss in their common dtype, as PyTorch's
    ``mse_loss``, ``l1_loss`` and ``smooth_l1_loss`` promote them (an int64 target with a
    float32 input: float32; a float64 target: float64). Integers on both sides are
    refused, as PyTorch's kernels are not implemented for them. An ndarray or list target
    (descend's extension: PyTorch takes Tensors) is taken in a float input's dtype."""
    x, t = _tensor(input, "input"), _tensor(target, "target")
    if x._data.dtype.kind not in "fc" and t._data.dtype.kind not in "fc":
        kernel = {"mse_loss": "mse_cpu", "smooth_l1_loss": "smooth_l1_cpu"}.get(loss, loss)
        raise DTypeError(
            f"\"{kernel}\" not implemented for '{_dtype.torch_name(x._data.dtype)}' "
            f"({loss} needs a floating-point input or target)"
        )
    if loss == "l1_loss" and "b" in (x._data.dtype.kind, t._data.dtype.kind):
        raise RuntimeError(
            "Subtraction, the `-` operator, with a bool tensor is not supported. If you are "
            "trying to invert a mask, use the `~` or `logical_not()` operator instead."
        )
    if not isinstance(target, Tensor) and x._data.dtype.kind == "f":
        return x, t  # (an ndarray or list target: taken in the input's dtype, as before)
    dimensioned = [a._data.dtype for a in (x, t) if a._data.ndim]
    zero_dim = [a._data.dtype for a in (x, t) if not a._data.ndim]
    dtype = _dtype.result_dtype(dimensioned, zero_dim, [])
    return (x if x._data.dtype == dtype else x._cast(dtype)), t


def same_dtype_pair(input: InputLike, target: InputLike, loss: str) -> tuple[Tensor, Tensor]:
    """Input and target of a loss PyTorch computes only in one dtype (``huber_loss``,
    ``binary_cross_entropy``): a target Tensor of another dtype is refused, not converted
    (an ndarray or list target, which PyTorch does not take, is converted)."""
    x, t = _tensor(input, "input"), _tensor(target, "target")
    if t._data.dtype != x._data.dtype and isinstance(target, Tensor):
        raise DTypeError(
            f"Found dtype {_dtype.torch_name(t._data.dtype)} but expected "
            f"{_dtype.torch_name(x._data.dtype)} ({loss}: convert the target with "
            ".to(input.dtype))"
        )
    return _float_input(x, loss), t


def _float_target(value: InputLike, x: Tensor, loss: str) -> Tensor:
    t = _tensor(value, "target")
    data = t._data
    if data.dtype.kind != "f":
        raise DTypeError(
            f"{loss}: target must be floating point (probabilities or values), got dtype "
            f"{data.dtype}; convert it with .float() or .astype(np.float32)"
        )
    if data.shape != x._data.shape:
        raise ShapeError(
            f"{loss}: target size {data.shape} must be the same as input size {x._data.shape}"
        )
    return t if data.dtype == x._data.dtype else t._cast(x._data.dtype)


def _weight(weight: InputLike | None, x: Tensor) -> Array | None:
    if weight is None:
        return None
    w = getattr(weight, "_data", None)
    w = np.asarray(weight) if w is None else w
    return w.astype(x.dtype, copy=False)


def mse_loss(
    input: InputLike,
    target: InputLike,
    size_average: bool | None = None,
    reduce: bool | None = None,
    reduction: str = "mean",
) -> Tensor:
    """(x - y)**2 per element; d/dx = 2 (x - y).

    Input and target of different shapes are broadcast together, with PyTorch's warning (a
    (m, 1) prediction against an (m,) target gives an (m, m) loss, a classic silent bug).

    Examples
    --------
    >>> import nn
    >>> nn.F.mse_loss([1.0, 2.0], [1.0, 4.0], reduction="none")
    tensor([0., 4.])
    """
    reduction = legacy_reduction(size_average, reduce, reduction)
    x, target = promoted_pair(input, target, "mse_loss")
    t = _broadcast_target(target, x, "mse_loss")
    out, backward = loss_rules.mse(x._data, t._data, reduction, x._rg, t._rg)
    return Tensor._record(out, (x, t), backward, MseLossBackward0, (x, t))


def _broadcast_target(value: InputLike, x: Tensor, loss: str) -> Tensor:
    """The target, in the input's dtype; a different shape is broadcast with a warning."""
    t = _tensor(value, "target")
    if t._data.shape != x._data.shape:
        try:
            np.broadcast_shapes(t._data.shape, x._data.shape)
        except ValueError:
            raise ShapeError(
                f"{loss}: the size of the input {x._data.shape} and of the target "
                f"{t._data.shape} must match at every non-singleton dimension"
            ) from None
        warnings.warn(
            f"Using a target size ({t._data.shape}) that is different to the input size "
            f"({x._data.shape}). This will likely lead to incorrect results due to "
            "broadcasting. Please ensure they have the same size.",
            UserWarning,
            stacklevel=3,
        )
    return t if t._data.dtype == x._data.dtype else t._cast(x._data.dtype)


def binary_cross_entropy(
    input: InputLike,
    target: InputLike,
    weight: InputLike | None = None,
    size_average: bool | None = None,
    reduce: bool | None = None,
    reduction: str = "mean",
) -> Tensor:
    """-w [y log(p) + (1 - y) log(1 - p)], with each log clamped at -100 as PyTorch.

    The course's cost J = -(1/m) sum(Y log(A) + (1 - Y) log(1 - A)).
    d/dp = w (p - y) / max((1 - p) p, 1e-12); d/dy = -w log(p / (1 - p)).

    Examples
    --------
    >>> import nn
    >>> nn.F.binary_cross_entropy([0.0, 1.0], [1.0, 1.0], reduction="none")  # log clamped
    tensor([100.,  -0.])
    """
    reduction = legacy_reduction(size_average, reduce, reduction)
    p, target = same_dtype_pair(input, target, "binary_cross_entropy")
    t = _float_target(target, p, "binary_cross_entropy")
    if not np.all((p._data >= 0) & (p._data <= 1)):
        raise RuntimeError(
            "all elements of input should be between 0 and 1 (binary_cross_entropy takes "
            "probabilities; use binary_cross_entropy_with_logits for logits)"
        )
    if not np.all((t._data >= 0) & (t._data <= 1)):
        raise RuntimeError("all elements of target should be between 0 and 1")
    w = _weight(weight, p)
    out, backward = loss_rules.binary_cross_entropy(p._data, t._data, w, reduction, p._rg, t._rg)
    return Tensor._record(out, (p, t), backward, BinaryCrossEntropyBackward0, (p, t))


def binary_cross_entropy_with_logits(
    input: InputLike,
    target: InputLike,
    weight: InputLike | None = None,
    size_average: bool | None = None,
    reduce: bool | None = None,
    reduction: str = "mean",
    pos_weight: InputLike | None = None,
) -> Tensor:
    """binary_cross_entropy(sigmoid(z), y) computed from the logits z without overflow, as
    PyTorch: loss = (1 - y) z - l log(sigmoid(z)), l = 1 + (pos_weight - 1) y.

    Examples
    --------
    >>> import nn
    >>> nn.F.binary_cross_entropy_with_logits([1e4, 0.0], [0.0, 1.0], reduction="none").tolist()
    [10000.0, 0.6931471824645996]
    """
    reduction = legacy_reduction(size_average, reduce, reduction)
    z = _float_input(input, "binary_cross_entropy_with_logits")
    t = _float_target(target, z, "binary_cross_entropy_with_logits")
    out, backward = loss_rules.bce_with_logits(
        z._data, t._data, _weight(weight, z), _weight(pos_weight, z), reduction, z._rg, t._rg
    )
    return Tensor._record(out, (z, t), backward, BinaryCrossEntropyWithLogitsBackward0, (z, t))


def _class_axis(x: Tensor) -> int:
    """The class axis of (C,), (N, C) or (N, C, d1, ...) input."""
    if x.ndim == 0:
        raise DimensionError("expected an input with a class dimension, got a 0-d tensor")
    return 0 if x.ndim == 1 else 1


def _labels(target: Tensor, x: Tensor, axis: int, ignore_index: int) -> Array:
    out_shape = x.shape[:axis] + x.shape[axis + 1 :]
    if target.dtype.kind not in "iu":
        raise DTypeError(f"expected target of class indices (int64), got dtype {target.dtype}")
    if target.shape != out_shape:
        raise ShapeError(
            f"input of shape {x.shape} needs a target of class indices of shape {out_shape}, "
            f"got {target.shape}"
        )
    labels = target._data.reshape(-1).astype(np.int64)  # (a copy: the target may change)
    classes = x.shape[axis]
    if not (labels.view(np.uint64) >= classes).any():  # (a negative label is a large uint)
        return labels
    bad = (labels != ignore_index) & ((labels < 0) | (labels >= classes))
    if np.any(bad):
        raise TargetOutOfRangeError(
            f"Target {labels[bad][0]} is out of bounds: class indices must be in [0, {classes - 1}]"
        )
    return labels


def nll_loss(
    input: InputLike,
    target: InputLike,
    weight: InputLike | None = None,
    size_average: bool | None = None,
    ignore_index: int = -100,
    reduce: bool | None = None,
    reduction: str = "mean",
) -> Tensor:
    """-w[y] input[y] for log-probabilities ``input`` and class indices ``y``; ignored targets
    add 0; 'mean' divides by the targets' total weight.

    Examples
    --------
    >>> import nn
    >>> nn.F.nll_loss(nn.tensor([[-1.0, -2.0]]), nn.tensor([1]))
    tensor(2.)
    """
    reduction = legacy_reduction(size_average, reduce, reduction)
    x = _float_input(input, "nll_loss")
    axis = _class_axis(x)
    target = _tensor(target, "target")
    labels = _labels(target, x, axis, ignore_index)
    w = _weight(weight, x)
    _check_class_weight(w, x.shape[axis])
    out, backward = loss_rules.nll_over_classes(x._data, axis, labels, w, ignore_index, reduction)
    shape = x.shape
    if reduction == "none":
        out = out.reshape(shape[:axis] + shape[axis + 1 :])
        if x.ndim == 1:  # PyTorch's 0-d result here is a sum from 0: -0.0 becomes 0.0
            out = out + 0.0
    return Tensor._record(out, (x,), backward, NllLossBackward0, (x, target))


def _check_class_weight(w: Array | None, classes: int) -> None:
    if w is not None and w.shape != (classes,):
        raise ShapeError(f"weight must have shape ({classes},) (one per class), got {w.shape}")


def cross_entropy(
    input: InputLike,
    target: InputLike,
    weight: InputLike | None = None,
    size_average: bool | None = None,
    ignore_index: int = -100,
    reduce: bool | None = None,
    reduction: str = "mean",
    label_smoothing: float = 0.0,
) -> Tensor:
    """-log softmax(z)[y] for class indices y (or -sum_c y_c log softmax(z)_c for class
    probabilities), from logits of shape (N, C), (C,) or (N, C, d1, ...), as PyTorch:
    log_softmax, then the negative log-likelihood. With weights, 'mean' divides by the sum of
    the targets' weights; ``label_smoothing`` mixes the target with the uniform distribution.

    Examples
    --------
    >>> import numpy as np, nn
    >>> round(nn.F.cross_entropy([[0.0, 0.0, 0.0]], np.array([2])).item(), 4)  # log(3)
    1.0986
    """
    reduction = legacy_reduction(size_average, reduce, reduction)
    if not 0.0 <= label_smoothing <= 1.0:
        raise ValueError(f"label_smoothing must be between 0.0 and 1.0. Got: {label_smoothing}")
    z = _float_input(input, "cross_entropy")
    t = _tensor(target, "target")
    axis = _class_axis(z)
    classes = z.shape[axis]
    w = _weight(weight, z)
    _check_class_weight(w, classes)
    if t.dtype.kind == "f":
        return _cross_entropy_probabilities(z, t, w, axis, reduction, label_smoothing)
    labels = _labels(t, z, axis, ignore_index)
    if label_smoothing > 0:
        return _cross_entropy_smoothed(z, t, w, axis, ignore_index, reduction, label_smoothing)
    with quiet():
        out, backward = loss_rules.cross_entropy_over_classes(
            z._data, axis, labels, w, ignore_index, reduction
        )
    shape = z.shape
    out = out.reshape(shape[:axis] + shape[axis + 1 :]) if reduction == "none" else out

    # PyTorch's log_softmax saves its own output and nll_loss the target: z is not saved
    return Tensor._record(out, (z, t), backward, CrossEntropyLossBackward0, (t,))


def _broadcast_weight(w: Array, ndim: int, axis: int) -> Tensor:
    shape = [1] * ndim
    shape[axis] = w.shape[0]
    return Tensor._make(w.reshape(shape))


def _cross_entropy_probabilities(
    z: Tensor, t: Tensor, w: Array | None, axis: int, reduction: str, smoothing: float
) -> Tensor:
    """-sum(log_softmax(z) * y * w), as PyTorch composes it (so y gets a gradient too)."""
    if t.shape != z.shape:
        raise ShapeError(
            f"cross_entropy: probability targets must have the input's shape {z.shape}, "
            f"got {t.shape}"
        )
    classes = z.shape[axis]
    logp = z.log_softmax(axis)
    target = t if t.dtype == z.dtype else t._cast(z.dtype)
    if smoothing > 0:
        target = target * (1 - smoothing) + smoothing / classes
    product = logp * target
    if w is not None:
        product = product * _broadcast_weight(w, z.ndim, axis)
    if reduction == "none":
        return -product.sum(axis)
    if reduction == "sum":
        return -product.sum()
    count = z._data.size // classes if classes else 0
    if count == 0:
        return -product.sum() * float("nan")
    return -product.sum() / count


def _cross_entropy_smoothed(
    z: Tensor,
    t: Tensor,
    w: Array | None,
    axis: int,
    ignore_index: int,
    reduction: str,
    smoothing: float,
) -> Tensor:
    """(1 - s) nll + (s / C) smooth, smooth = -sum_c w_c log_softmax(z)_c, as PyTorch."""
    classes = z.shape[axis]
    logp = z.log_softmax(axis)
    nll = nll_loss(logp, t, w, ignore_index=ignore_index, reduction=reduction)
    ignored = t._data == ignore_index
    weighted = logp if w is None else logp * _broadcast_weight(w, z.ndim, axis)
    smooth = (-weighted.sum(axis)).masked_fill(ignored, 0.0)
    if reduction == "none":
        rest = smooth
    elif reduction == "sum":
        rest = smooth.sum()
    elif w is None:
        rest = smooth.sum() / float(np.sum(~ignored))
    else:
        rest = smooth.sum() / float(w[t._data[~ignored]].sum())
    return (1 - smoothing) * nll + rest * (smoothing / classes)
