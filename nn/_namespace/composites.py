"""``torch.<name>`` for products, the ops made of other ops and the order statistics:
``addmm``, ``kron``, ``tensordot``, ``repeat_interleave``, ``median``, ``searchsorted``,
``isin``..."""

from __future__ import annotations

import itertools
import math

import numpy as np

from .. import _dtype
from .._args.out import into
from ..autograd.graph import node_type
from ..rules import linalg as linalg_rules
from ..rules import ordering as ordering_rules
from ..tensor import Tensor
from ..types import DeviceLike, DTypeLike, Number, TensorLike
from .core import _function, _operand

mv = _function("mv")
isclose = _function("isclose")


broadcast_to = _function("broadcast_to")

# made of other ops (nn/tensor/composites.py)
addmm = _function("addmm")
addmv = _function("addmv")
addr = _function("addr")
baddbmm = _function("baddbmm")
addbmm = _function("addbmm")
kron = _function("kron")
cross = _function("cross")
inner = _function("inner")
vdot = _function("vdot")
fliplr = _function("fliplr")
flipud = _function("flipud")
rot90 = _function("rot90")
tensor_split = _function("tensor_split")
take = _function("take")
take_along_dim = _function("take_along_dim")
argwhere = _function("argwhere")
index_add = _function("index_add")
index_copy = _function("index_copy")
index_fill = _function("index_fill")


def repeat_interleave(
    input: TensorLike,
    repeats: int | TensorLike | None = None,
    dim: int | None = None,
    *,
    output_size: int | None = None,
) -> Tensor:
    """``input.repeat_interleave(repeats, dim)``; with one Tensor of counts alone, the
    indices 0, 1, ... each repeated its count (``torch.repeat_interleave(counts)``)."""
    if repeats is None:
        counts = _operand(input, "repeat_interleave")
        return counts._make(np.arange(counts.numel())).repeat_interleave(
            counts, 0, output_size=output_size
        )
    return _operand(input, "repeat_interleave").repeat_interleave(
        repeats, dim, output_size=output_size
    )


def tensordot(
    a: TensorLike,
    b: TensorLike,
    dims: int | TensorLike | tuple[int | list[int], int | list[int]] | list[list[int]] = 2,
    out: Tensor | None = None,
) -> Tensor:
    """The sum over the dimensions ``dims`` pairs up (the last ``dims`` of a with the first
    of b, or two lists), as ``torch.tensordot``: a permute, a reshape and one matmul."""
    left_t, right_t = _operand(a, "tensordot"), _operand(b, "tensordot", "b", 2)
    if isinstance(dims, Tensor):
        dims = dims.tolist()
    if isinstance(dims, int):
        if dims < 0:
            raise RuntimeError(f"tensordot expects dims >= 0, but got dims={dims}")
        left = list(range(left_t.dim() - dims, left_t.dim()))
        right = list(range(dims))
    else:
        left, right = ([d] if isinstance(d, int) else list(d) for d in dims)
        left = [d % left_t.dim() for d in left]
        right = [d % right_t.dim() for d in right]
    if len(left) != len(right):
        raise RuntimeError("both dimension lists should have same length")
    for i, j in zip(left, right, strict=True):
        if left_t.shape[i] != right_t.shape[j]:
            raise RuntimeError(
                f"contracted dimensions need to match, but first has size {left_t.shape[i]} "
                f"in dim {i} and second has size {right_t.shape[j]} in dim {j}"
            )
    free_a = [d for d in range(left_t.dim()) if d not in left]
    free_b = [d for d in range(right_t.dim()) if d not in right]
    kept = [left_t.shape[d] for d in free_a] + [right_t.shape[d] for d in free_b]
    inner = int(np.prod([left_t.shape[d] for d in left]))
    rows = int(np.prod([left_t.shape[d] for d in free_a]))
    columns = int(np.prod([right_t.shape[d] for d in free_b]))
    matrix_a = left_t.permute(tuple(free_a + left)).reshape(rows, inner)
    matrix_b = right_t.permute(tuple(right + free_b)).reshape(inner, columns)
    return into(out, matrix_a.mm(matrix_b).reshape(kept), "tensordot")


median = _function("median")
quantile = _function("quantile")
nanquantile = _function("nanquantile")
logcumsumexp = _function("logcumsumexp")
nanmedian = _function("nanmedian")
kthvalue = _function("kthvalue")
cummax = _function("cummax")
cummin = _function("cummin")
msort = _function("msort")


def searchsorted(
    sorted_sequence: TensorLike,
    input: TensorLike | Number,
    *,
    out_int32: bool = False,
    right: bool = False,
    side: str | None = None,
    sorter: TensorLike | None = None,
    out: Tensor | None = None,
) -> Tensor:
    """Where each value of ``input`` would go in its row of ``sorted_sequence`` (1-D: one
    row for all) to keep it sorted, as ``torch.searchsorted``: before equal elements, or
    after them with ``right=True`` (``side="right"``)."""
    rows = _operand(sorted_sequence, "searchsorted", "sorted_sequence")
    if side is not None:
        if side not in ("left", "right") or (right and side == "left"):
            raise RuntimeError(
                f"torch.searchsorted(): side can only be 'left' or 'right' and can't be "
                f"'left' while right is True, but got side={side!r} and right={right}"
            )
        right = side == "right"
    scalar = not isinstance(input, Tensor | np.ndarray)
    values = np.asarray(input) if scalar else _operand(input, "searchsorted")._data
    ordered = rows._data
    if sorter is not None:
        ordered = np.take_along_axis(ordered, _operand(sorter, "searchsorted")._data, -1)
    if ordered.ndim > 1 and (scalar or ordered.shape[:-1] != values.shape[:-1]):
        raise RuntimeError(
            "torch.searchsorted(): boundaries tensor should be 1 dimension or the first N-1 "
            "dimensions of boundaries tensor and input value tensor must match, but we got "
            f"boundaries tensor {list(ordered.shape)} and input value tensor "
            f"{list(values.shape)}"
        )
    points = ordering_rules.insertion_points(ordered, values, right)
    result = Tensor._make(points.astype(np.int32 if out_int32 else np.int64))
    return into(out, result, "searchsorted")


def bucketize(
    input: TensorLike | Number,
    boundaries: TensorLike,
    *,
    out_int32: bool = False,
    right: bool = False,
    out: Tensor | None = None,
) -> Tensor:
    """The bucket of each value among the 1-D, sorted ``boundaries``: i with
    boundaries[i - 1] < x <= boundaries[i] (< and <= swapped with ``right=True``)."""
    edges = _operand(boundaries, "bucketize", "boundaries", 2)
    if edges.dim() != 1:
        raise RuntimeError(f"boundaries tensor must be 1 dimension, but got dim({edges.dim()})")
    return searchsorted(edges, input, out_int32=out_int32, right=right, out=out)


def isin(
    elements: TensorLike | Number,
    test_elements: TensorLike | Number,
    *,
    assume_unique: bool = False,
    invert: bool = False,
) -> Tensor:
    """True where an element of ``elements`` is among ``test_elements`` (either may be a
    number), as ``torch.isin``."""
    if not isinstance(elements, Tensor) and not isinstance(test_elements, Tensor):
        raise TypeError("isin() expects at least one of its arguments to be a Tensor")
    values = [
        v._data if isinstance(v, Tensor) else np.asarray(v) for v in (elements, test_elements)
    ]
    return Tensor._make(np.isin(values[0], values[1], invert=invert))


_COMPUTE_MODES = {
    "use_mm_for_euclid_dist_if_necessary": 0,
    "use_mm_for_euclid_dist": 1,
    "donot_use_mm_for_euclid_dist": 2,
}
EuclideanDistBackward0 = node_type("EuclideanDistBackward0")


def cdist(
    x1: TensorLike,
    x2: TensorLike,
    p: float = 2.0,
    compute_mode: str = "use_mm_for_euclid_dist_if_necessary",
) -> Tensor:
    """The p-norm distance between each row of x1 and each row of x2 (batched): shape
    (..., P, R), as ``torch.cdist``. For p = 2 with more than 25 rows on either side (or
    ``compute_mode="use_mm_for_euclid_dist"``) one matrix product, as PyTorch
    (``rules.linalg.euclidean_distances``: P R memory, and PyTorch's rounding); else made
    of a broadcast difference and ``norm`` (P R M memory)."""
    if compute_mode not in _COMPUTE_MODES:
        raise ValueError(f"{compute_mode} is not a valid value for compute_mode")
    a, b = _operand(x1, "cdist", "x1"), _operand(x2, "cdist", "x2", 2)
    if a.dim() < 2 or b.dim() < 2:
        raise RuntimeError(
            f"cdist only supports at least 2D tensors, X1 got: {a.dim()}D, X2 got: {b.dim()}D"
        )
    if a.shape[-1] != b.shape[-1]:
        raise RuntimeError(
            f"X1 and X2 must have the same number of columns. X1: {a.shape[-1]} X2: {b.shape[-1]}"
        )
    if a.dtype.kind != "f" or b.dtype.kind != "f":
        raise RuntimeError(f"cdist only supports floating-point dtypes, X1 got: {a.dtype}")
    if p < 0:
        raise RuntimeError(f"cdist only supports non-negative p values, got {p}")
    mode = _COMPUTE_MODES[compute_mode]
    rows = max(a.shape[-2], b.shape[-2])
    if p == 2 and a.numel() and b.numel() and (mode == 1 or (mode == 0 and rows > 25)):
        return _euclidean(a, b)
    if not (a.numel() and b.numel()):  # (nothing to check: x1's dtype, as PyTorch)
        b = b.to(a.dtype)
    if a.dtype != b.dtype:
        kinds = [_dtype.torch_name(t.dtype) for t in (a, b)]
        raise RuntimeError(f"expected scalar type {kinds[0]} but found {kinds[1]}")
    differences = a.unsqueeze(-2) - b.unsqueeze(-3)
    if not a.shape[-1]:  # (vectors of no elements: 0 apart, whatever p)
        return differences.sum(-1)
    if p == 0:  # (counts: a zero gradient, where norm(0) gives none)
        counts = (differences != 0).sum(-1).to(differences.dtype)
        return differences.sum(-1)._ignored_beside(counts)
    return differences.norm(p, -1)


def _euclidean(a: Tensor, b: Tensor) -> Tensor:
    """cdist's matrix-product path, recorded as PyTorch's: a view of _euclidean_dist."""
    if a.dtype != b.dtype:  # (PyTorch's messages: its matmul's, or its bmm's in a batch)
        names = [_dtype.torch_c_name(t.dtype) for t in (a, b)]
        if math.prod(np.broadcast_shapes(a.shape[:-2], b.shape[:-2])) == 1:
            raise RuntimeError(
                f"expected m1 and m2 to have the same dtype, but got: {names[0]} != {names[1]}"
            )
        kinds = [_dtype.torch_name(t.dtype) for t in (b, a)]
        raise RuntimeError(f"expected scalar type {kinds[0]} but found {kinds[1]}")
    out, backward = linalg_rules.euclidean_distances(a._data, b._data)
    distances = Tensor._record(out, (a, b), backward, EuclideanDistBackward0, (a, b), True)
    return distances.view(out.shape)


def tril_indices(
    row: int,
    col: int,
    offset: int = 0,
    *,
    dtype: DTypeLike | None = None,
    device: DeviceLike | None = None,
) -> Tensor:
    """The (row, column) indices of the lower triangle of a row x col matrix, as a 2 x N
    Tensor, row by row (``torch.tril_indices``)."""
    rows, columns = np.tril_indices(row, offset, col)
    return _indices(rows, columns, dtype)


def triu_indices(
    row: int,
    col: int,
    offset: int = 0,
    *,
    dtype: DTypeLike | None = None,
    device: DeviceLike | None = None,
) -> Tensor:
    """The indices of the upper triangle, as ``tril_indices``."""
    rows, columns = np.triu_indices(row, offset, col)
    return _indices(rows, columns, dtype)


def _indices(rows: np.ndarray, columns: np.ndarray, dtype: DTypeLike | None) -> Tensor:
    kind = np.int64 if dtype is None else _dtype.to_dtype(dtype)
    return Tensor._make(np.stack([rows, columns]).astype(kind).reshape(2, -1))


def block_diag(*tensors: TensorLike) -> Tensor:
    """The tensors (0-d, 1-D or 2-D) on the diagonal of one matrix, zeros elsewhere, in
    their promoted dtype; made of ``cat``, so the gradient goes back to each block."""
    from .joining import cat  # (joining builds on this package: imported late)

    blocks = [_operand(t, "block_diag", "tensors") for t in tensors]
    for number, t in enumerate(blocks):
        if t.dim() > 2:
            raise RuntimeError(
                "torch.block_diag: Input tensors must have 2 or fewer dimensions. Input "
                f"{number} has {t.dim()} dimensions"
            )
    if not blocks:
        return Tensor._make(np.zeros((1, 0), dtype=_dtype.get_default_dtype()))
    dims = [t._data.dtype for t in blocks if t.dim()]  # (0-d ones rank below, as PyTorch)
    kind = _dtype.result_dtype(dims, [t._data.dtype for t in blocks if not t.dim()], [])
    matrices = [t.to(kind).reshape(1, -1) if t.dim() < 2 else t.to(kind) for t in blocks]
    width = sum(m.shape[1] for m in matrices)
    rows, before = [], 0
    for m in matrices:
        left = Tensor._make(np.zeros((m.shape[0], before), dtype=kind))
        right = Tensor._make(np.zeros((m.shape[0], width - before - m.shape[1]), dtype=kind))
        rows.append(cat([left, m, right], 1))
        before += m.shape[1]
    return cat(rows, 0)


def cartesian_prod(*tensors: TensorLike) -> Tensor:
    """Every combination of one element of each 1-D Tensor, one per row (one Tensor: it
    itself), as ``torch.cartesian_prod``."""
    from .joining import stack
    from .reductions import meshgrid

    vectors = [_operand(t, "cartesian_prod", "tensors") for t in tensors]
    if len(vectors) == 1:
        return vectors[0]
    grids = meshgrid(*vectors, indexing="ij")
    return stack([g.reshape(-1) for g in grids], 1)


def combinations(input: TensorLike, r: int = 2, with_replacement: bool = False) -> Tensor:
    """The r-element combinations of a 1-D Tensor's elements, one per row, in
    lexicographic order of positions (``itertools.combinations``)."""
    t = _operand(input, "combinations")
    if t.dim() != 1:
        raise RuntimeError(f"Expect a 1D vector, but got shape {list(t.shape)}")
    if r < 0:
        raise RuntimeError(f"Expect a non-negative number, but got {r}")
    choose = itertools.combinations_with_replacement if with_replacement else itertools.combinations
    if not r:
        return Tensor._make(np.zeros(0, dtype=t.dtype))
    positions = np.array(list(choose(range(len(t)), r)), dtype=np.int64).reshape(-1, r)
    return t[Tensor._make(positions)]


__all__ = sorted(
    name
    for name, value in list(globals().items())
    if not name.startswith("_") and getattr(value, "__module__", "").startswith("nn._namespace")
)
