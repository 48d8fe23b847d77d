"""The rest of the harness's table: matrix products, einsum, dtype conversions, factories
(their dtypes from Python data and from ``dtype=``), the ``new_*`` constructors, and the
``nn.functional`` functions (activations with their options, losses with their targets and
reductions, normalisation, convolution and pooling on small images)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np
from hypothesis import assume
from hypothesis import strategies as st

from tests.parity.opinfo import OpInfo
from tests.parity.ops_elementwise import with_via
from tests.parity.samples import ALL, FLOATS, SUMMING, Arg, Ints, Sample, arg, number, shape

TRANSCENDENTAL = 1e-6


def _pair_sampler(kind: str) -> Any:
    """Two Tensors for a product: matching inner sizes mostly, of each rank ``kind`` allows."""

    def sampler(data: Any) -> Sample:
        dtype = data.draw(st.sampled_from([*FLOATS, *FLOATS, "int64", "bool"]))
        n, m, k = (data.draw(st.integers(0, 3)) for _ in range(3))
        wrong = data.draw(st.integers(0, 9)) == 0
        if kind == "dot":
            shapes: tuple[tuple[int, ...], ...] = ((n,), (n + wrong,))
        elif kind == "mm":
            shapes = ((n, k), (k + wrong, m))
        elif kind == "mv":
            shapes = ((n, k), (k + wrong,)) if data.draw(st.booleans()) else ((n, k), (k, 1))
        elif kind == "bmm":
            b = data.draw(st.integers(0, 2))
            shapes = ((b, n, k), (b, k + wrong, m))
        elif kind == "outer":
            shapes = ((n,), (m,)) if not wrong else ((n, 1), (m,))
        else:  # matmul: any ranks that broadcast
            left = data.draw(st.sampled_from([(k,), (n, k), (2, n, k), (1, n, k)]))
            right = data.draw(st.sampled_from([(k + wrong,), (k, m), (2, k, m), (3, 1, k, m)]))
            shapes = (left, right)
        second = data.draw(st.sampled_from([dtype, dtype, *FLOATS]))
        return Sample((arg(data, shapes[0], dtype), arg(data, shapes[1], second)))

    return sampler


def _isclose_sampler(data: Any) -> Sample:
    """A Tensor and a nearby one (some elements moved by about the tolerance), mostly of one
    dtype, with infinities and NaN among the values."""
    dtype = data.draw(st.sampled_from([*FLOATS, *FLOATS, "int64", "bool"]))
    first = arg(data, shape(data), dtype, special=True)
    values = np.array(first.values, copy=True)
    if values.dtype.kind == "f" and values.size:
        step = data.draw(st.sampled_from([0.0, 1e-9, 1e-5, 1e-3]))
        values = (values * (1 + step)).astype(values.dtype)
    second_dtype = data.draw(st.sampled_from([dtype, dtype, *FLOATS]))
    return Sample((first, Arg(values.astype(second_dtype), first.layout)))


def _meshgrid_sampler(data: Any) -> Sample:
    """One to three 1-D (or 0-d) Tensors of one dtype, and an indexing."""
    dtype = data.draw(st.sampled_from([*FLOATS, "int64"]))
    count = data.draw(st.integers(1, 3))
    shapes = [data.draw(st.sampled_from([(0,), (1,), (2,), (3,), ()])) for _ in range(count)]
    indexing = data.draw(st.sampled_from(["ij", "xy", None]))
    return Sample(tuple(arg(data, s, dtype) for s in shapes), {"indexing": indexing})


def _meshgrid(T: Any, F: Any, *tensors: Any, indexing: Any) -> Any:
    return T.meshgrid(*tensors, indexing=indexing)


def _empty_mixed(sample: Sample) -> str | None:
    a, b = sample.args
    if a.values.dtype != b.values.dtype and 0 in (*a.values.shape, *b.values.shape):
        return "PyTorch's batched kernels skip the dtype check on empty operands"
    return None


def _diagonal(sample: Sample) -> str | None:
    """A repeated index in one operand (refused); and operands of different ranks under
    ``...``, where PyTorch moves an operand's batch dimensions into its product through a
    copy and saves the copy, while descend saves the operand: after an in-place change of
    it descend refuses the backward that PyTorch computes (decisions.md)."""
    if sample.args[0] == "ii->i":
        return "einsum takes no repeated index in one operand"
    ranks = {arg.values.ndim for arg in sample.args[1:]}
    if "..." in sample.args[0] and len(ranks) > 1:
        return "an ellipsis over operands of different ranks: PyTorch saves a copy"
    return None


def _product(name: str, method: bool) -> Any:
    def call(T: Any, F: Any, a: Any, b: Any) -> Any:
        result = getattr(a, name)(b) if method else getattr(T, name)(a, b)
        return result + 0 if result.dtype != T.bool else result  # (-0.0: the BLAS's choice)

    return call


EINSUMS = ["ij->ji", "ij,jk->ik", "i,i->", "ii->i", "ij->", "bij,bjk->bik", "i,j->ij", "ij->j"]
ELLIPSES = [
    "...ij,...jk->...ik",
    "...ij,...jk",
    "...i,...i->...",
    "i...->...",
    "...ij",
    "b...,...->b...",
    "...,...",
    "i...->...i",
    "bi,bj->...",
]


def _einsum_sampler(data: Any) -> Sample:
    """An equation with letters only, or with ``...``: the ellipsis's dimensions drawn per
    operand (a suffix of one shape, some of them 1); now and then a letter's size 1 in one
    operand, broadcast as PyTorch does."""
    equation = data.draw(st.sampled_from(EINSUMS + ELLIPSES))
    sides = {letter: data.draw(st.integers(1, 3)) for letter in "bijk"}
    inputs = equation.split("->")[0].split(",")
    if "ii" in inputs[0]:
        sides["j"] = sides["i"]
    ellipsis = data.draw(st.lists(st.integers(1, 3), max_size=3))
    shapes = []
    for term in inputs:
        dims = [sides[c] for c in term.replace("...", "")]
        if "..." in term:
            span = data.draw(st.integers(0, len(ellipsis)))
            own = [data.draw(st.sampled_from([n, n, 1])) for n in ellipsis[len(ellipsis) - span :]]
            at = term.index("...")
            dims[at:at] = own
        if dims and data.draw(st.integers(0, 4)) == 0:  # (a size 1 to broadcast)
            dims[data.draw(st.integers(0, len(dims) - 1))] = 1
        shapes.append(tuple(dims))
    dtype = data.draw(st.sampled_from(FLOATS))
    return Sample((equation, *(arg(data, shape, dtype) for shape in shapes)))


CONVERSIONS = ["float", "double", "half", "int", "long", "bool", "byte", "short", "cpu"]


def _convert_sampler(data: Any) -> Sample:
    return Sample((arg(data, shape(data), data.draw(st.sampled_from(ALL)), special=True),))


def _to_sampler(data: Any) -> Sample:
    x = arg(data, shape(data), data.draw(st.sampled_from(ALL)))
    target = data.draw(
        st.sampled_from(["dtype:float64", "dtype:float32", "dtype:int64", "cpu", "same"])
    )
    return Sample((x, target), {"copy": data.draw(st.booleans())})


def _to(T: Any, F: Any, x: Any, target: Any, copy: bool) -> Any:
    if target == "same":
        target = x.dtype
    return x.to(target, copy=copy)


def _factory_sampler(data: Any) -> Sample:
    """Python data of each kind (ints, floats, bools, nested, empty), a dtype or none."""
    kind = data.draw(
        st.sampled_from(["ints", "floats", "mixed", "bools", "nested", "empty", "scalar"])
    )
    values: Any = {
        "ints": [1, -2, 3],
        "floats": [0.5, 2.0, -1.25],
        "mixed": [1, 2.5, True],
        "bools": [True, False],
        "nested": [[1, 2], [3, 4]],
        "empty": [],
        "scalar": data.draw(st.sampled_from([3, 2.5, True])),
    }[kind]
    dtype = data.draw(st.sampled_from([None, None, "dtype:float64", "dtype:int32", "dtype:bool"]))
    return Sample((values,), {} if dtype is None else {"dtype": dtype})


def _size_sampler(data: Any) -> Sample:
    sizes = shape(data, max_dims=2)
    dtype = data.draw(st.sampled_from([None, "dtype:float64", "dtype:int64", "dtype:bool"]))
    return Sample(sizes, {} if dtype is None else {"dtype": dtype})


def _full_sampler(data: Any) -> Sample:
    value = number(data)
    dtype = data.draw(st.sampled_from([None, None, "dtype:float64", "dtype:int64"]))
    return Sample((shape(data, max_dims=2), value), {} if dtype is None else {"dtype": dtype})


def _range_sampler(name: str) -> Any:
    def sampler(data: Any) -> Sample:
        start = data.draw(st.sampled_from([0, 1, -2, 0.5, 2.25]))
        end = data.draw(st.sampled_from([3, 5, 0, 4.5, -1]))
        if name == "arange":
            step = data.draw(st.sampled_from([1, 2, 0.5, -1]))
            return Sample((start, end, step))
        return Sample((start, end, data.draw(st.integers(0, 6))))

    return sampler


def _like_sampler(data: Any) -> Sample:
    x = arg(data, shape(data), data.draw(st.sampled_from(ALL)))
    dtype = data.draw(st.sampled_from([None, None, "dtype:float64", "dtype:int64"]))
    return Sample((x,), {} if dtype is None else {"dtype": dtype})


def _new_sampler(data: Any) -> Sample:
    x = arg(data, shape(data), data.draw(st.sampled_from(ALL)))
    return Sample((x, shape(data, max_dims=2)))


# --------------------------------------------------------------- nn.functional
def _activation_sampler(data: Any) -> Sample:
    return Sample((arg(data, shape(data), data.draw(st.sampled_from(FLOATS)), special=True),))


ACTIVATIONS: dict[str, dict[str, Any]] = {  # name: its options (drawn from each list)
    "relu": {},
    "relu6": {},
    "sigmoid": {},
    "tanh": {},
    "silu": {},
    "mish": {},
    "selu": {},
    "softsign": {},
    "logsigmoid": {},
    "hardsigmoid": {},
    "hardswish": {},
    "elu": {"alpha": [1.0, 0.5]},
    "celu": {"alpha": [1.0, 2.0]},
    "leaky_relu": {"negative_slope": [0.01, 0.2]},
    "gelu": {"approximate": ["none", "tanh"]},
    "hardtanh": {"min_val": [-1.0, -0.5], "max_val": [1.0, 2.0]},
    "softplus": {"beta": [1.0, 2.0], "threshold": [20.0, 1.0]},
    "softmax": {"dim": [-1, 0]},
    "log_softmax": {"dim": [-1, 0]},
    "hardshrink": {"lambd": [0.5, 0.0, 1.5, -1.0]},
    "softshrink": {"lambd": [0.5, 0.0, 1.5, -1.0]},
    "tanhshrink": {},
    "glu": {"dim": [-1, 0]},
}
IN_PLACE_ACTIVATIONS: dict[str, dict[str, Any]] = {  # F.<name>_(x): x changed in place
    "relu": {},
    "leaky_relu": {"negative_slope": [0.01, 0.2]},
    "elu": {"alpha": [1.0, 0.5]},
    "selu": {},
    "celu": {"alpha": [1.0, 2.0]},
    "hardtanh": {"min_val": [-1.0, -0.5], "max_val": [1.0, 2.0]},
    "threshold": {},
}


def _threshold_sampler(data: Any) -> Sample:
    """A Tensor of any dtype (integers stay integers), a threshold and a value."""
    x = arg(data, shape(data), data.draw(st.sampled_from(ALL)), special=True)
    bound = data.draw(st.sampled_from([0.0, 0.5, -1.0, 1]))
    return Sample((x, bound, data.draw(st.sampled_from([-1.0, 2.0, 0, 7]))))


def _none(sample: Sample) -> str | None:
    return None


def _expanded(sample: Sample) -> str | None:
    """PyTorch's ``threshold_`` writes into an expanded Tensor (each shared element once per
    position); descend refuses (decisions.md, "A recorded write into an expanded Tensor")."""
    x = sample.args[0]
    if x.layout == "expanded" and sample.kwargs.get("via") == "direct":
        return "an in-place write into an expanded Tensor"
    return None


def _cancelling(sample: Sample) -> str | None:
    """float32 ``tanhshrink`` of |x| < 1: x - tanh(x) cancels, so the one unit in the last
    place by which the two libraries' float32 tanh differ is most of the result."""
    x = sample.args[0]
    if x.values.dtype == np.float32 and np.any((np.abs(x.values) < 1) & (x.values != 0)):
        return "float32 x - tanh(x) cancels: the libraries' tanh differ in the last place"
    return None


def _in_place_functional(name: str) -> Any:
    """``F.<name>_`` on the drawn Tensor, a clone, or a view of a clone (as ``in_place``)."""

    def call(T: Any, F: Any, x: Any, *args: Any, via: str = "direct", **kwargs: Any) -> Any:
        target = x if via == "direct" else x.clone()
        part = target if via != "view" or not target.dim() else target[..., :1]
        getattr(F, f"{name}_")(part, *args, **kwargs)
        return target

    return call


def _options_sampler(options: dict[str, Any]) -> Any:
    def sampler(data: Any) -> Sample:
        sample = _activation_sampler(data)
        for key, choices in options.items():
            if data.draw(st.booleans()):
                sample.kwargs[key] = data.draw(st.sampled_from(choices))
        if "dim" in options and not sample.args[0].values.ndim:
            sample.kwargs["dim"] = 0
        return sample

    return sampler


def _regression_sampler(data: Any) -> Sample:
    dtype = data.draw(st.sampled_from(FLOATS))
    first = shape(data, max_dims=2)
    second = first if data.draw(st.integers(0, 5)) else first[1:]
    sample = Sample((arg(data, first, dtype), arg(data, second, dtype)))
    sample.kwargs["reduction"] = data.draw(st.sampled_from(["mean", "sum", "none"]))
    return sample


def _bce_sampler(logits: bool) -> Any:
    def sampler(data: Any) -> Sample:
        dtype = data.draw(st.sampled_from(FLOATS))
        own = shape(data, max_dims=2)
        low, high = (-3, 3) if logits else (0.05, 0.95)
        x = arg(data, own, dtype, low=low, high=high)
        y = arg(data, own, dtype, low=0, high=1)
        return Sample((x, y), {"reduction": data.draw(st.sampled_from(["mean", "sum", "none"]))})

    return sampler


def _class_sampler(data: Any) -> Sample:
    dtype = data.draw(st.sampled_from(FLOATS))
    batch, classes = data.draw(st.integers(1, 4)), data.draw(st.integers(1, 4))
    x = arg(data, (batch, classes), dtype)
    rng = np.random.default_rng(data.draw(st.integers(0, 2**16)))
    target = rng.integers(0, classes + data.draw(st.sampled_from([0, 0, 0, 1])), batch)
    if data.draw(st.booleans()):
        target[rng.random(batch) < 0.3] = -100
    return Sample(
        (x, Ints(target.astype(np.int64))),
        {"reduction": data.draw(st.sampled_from(["mean", "sum", "none"]))},
    )


def _image_sampler(data: Any) -> Sample:
    dtype = data.draw(st.sampled_from(FLOATS))
    own = (
        data.draw(st.integers(1, 2)),
        data.draw(st.integers(1, 2)),
        *(data.draw(st.integers(1, 5)) for _ in range(2)),
    )
    return Sample((arg(data, own, dtype),))


def _pad_sampler(data: Any) -> Sample:
    """A tensor of 1 to 5 dimensions (sides 0 to 4), padded over 1 to 3 of its last
    dimensions by amounts from -2 to 4, in each mode (the refusals included)."""
    mode = data.draw(st.sampled_from(["constant", "reflect", "replicate", "circular"]))
    own = tuple(data.draw(st.integers(0, 4)) for _ in range(data.draw(st.integers(1, 5))))
    dtype = data.draw(st.sampled_from([*FLOATS, *FLOATS, "int64", "bool"]))
    x = arg(data, own, dtype)
    count = data.draw(st.integers(1, min(3, len(own))))
    pads = tuple(data.draw(st.integers(-2, 4)) for _ in range(2 * count))
    kwargs: dict[str, Any] = {"mode": mode}
    if mode == "constant" and data.draw(st.booleans()):
        kwargs["value"] = data.draw(st.sampled_from([0.0, 1.5, -2.0]))
    return Sample((x, pads), kwargs)


def _interpolate_sampler(data: Any) -> Sample:
    """A batch of signals, images or volumes (sides 1 to 5), resized to a drawn size or by a
    drawn factor (some that float32 rounds), nearest or nearest-exact; now and then a
    mode descend refuses or a wrong argument."""
    spatial = data.draw(st.integers(1, 3))
    own = (
        data.draw(st.integers(1, 2)),
        data.draw(st.integers(1, 2)),
        *(data.draw(st.integers(1, 5)) for _ in range(spatial)),
    )
    if data.draw(st.integers(0, 15)) == 0:
        own = own[1:]  # (2-D to 5-D: the wrong rank now and then)
    x = arg(data, own, data.draw(st.sampled_from([*FLOATS, *FLOATS, "int64"])))
    kwargs: dict[str, Any] = {
        "mode": data.draw(st.sampled_from(["nearest", "nearest", "nearest-exact"]))
    }
    if data.draw(st.booleans()):
        kwargs["size"] = tuple(data.draw(st.integers(1, 9)) for _ in range(spatial))
    else:
        kwargs["scale_factor"] = data.draw(st.sampled_from([2.0, 0.5, 1.7, 3, 0.6, 1.0, 2.5]))
        if data.draw(st.booleans()):
            kwargs["recompute_scale_factor"] = True
    return Sample((x,), kwargs)


def _cov_sampler(data: Any) -> Sample:
    """Variables in rows (0 to 2 dimensions, observations 1 to 5), a correction, and now
    and then frequency and observation weights (the wrong kinds too)."""
    own = shape(data, max_dims=2)
    x = arg(data, own, data.draw(st.sampled_from([*FLOATS, *FLOATS, "int64"])))
    count = own[-1] if own else 1
    kwargs: dict[str, Any] = {"correction": data.draw(st.sampled_from([1, 1, 0, 2]))}
    rng = np.random.default_rng(count)
    if data.draw(st.integers(0, 2)) == 0:
        kwargs["fweights"] = Arg(rng.integers(0, 3, count), "contiguous")
    if data.draw(st.integers(0, 2)) == 0:
        dtype = str(x.values.dtype) if x.values.dtype.kind == "f" else "float32"
        kwargs["aweights"] = Arg(rng.uniform(0.5, 2, count).astype(dtype), "contiguous")
    return Sample((x,), kwargs)


def _corrcoef_sampler(data: Any) -> Sample:
    """Three or more observations: of two, every correlation is +-1 and its gradient is 0
    but for rounding noise."""
    own = shape(data, min_dims=1, max_dims=2, min_side=3)
    return Sample((arg(data, own, data.draw(st.sampled_from(FLOATS))),))


def _perfectly_correlated(sample: Sample) -> str | None:
    """Rows correlated +-1: every coefficient's gradient is 0 but for rounding noise (1e-6
    in float32, which PyTorch's order of operations happens to cancel)."""
    values = sample.args[0].values.astype(np.float64)
    if values.ndim == 2 and values.shape[0] > 1:
        with np.errstate(all="ignore"):
            r = np.corrcoef(values)
        off = r[~np.eye(len(r), dtype=bool)]
        if np.isnan(off).any() or (np.abs(off) > 0.9999).any():
            return "perfectly correlated rows: the gradient is rounding noise"
    return None


def _cov_writes_input(sample: Sample) -> str | None:
    """cov with weights and no degrees of freedom left: PyTorch zeroes the input itself (its
    ``norm_factor.zero_()`` lands on a view of it); descend leaves the input as it was."""
    frequencies, importances = sample.kwargs.get("fweights"), sample.kwargs.get("aweights")
    if frequencies is None and importances is None:
        return None
    count = max(sample.args[0].values.shape[-1:] or (1,))
    if count == 1:  # (one observation: PyTorch zeroes the input, its mean subtracted)
        return "cov of one observation with weights: PyTorch writes into the input"
    f = np.ones(count) if frequencies is None else frequencies.values.astype(float)
    a = np.ones(count) if importances is None else importances.values.astype(float)
    total, correction = (f * a).sum(), sample.kwargs["correction"]
    if not total:
        return None
    norm = total - correction * ((f * a * a).sum() / total if importances is not None else 1)
    if correction and norm <= 0:
        return "cov with weights and no degrees of freedom: PyTorch writes into the input"
    return None


def _circular_crop(sample: Sample) -> str | None:
    """Circular padding that crops one side of a dimension and pads the other: PyTorch's
    kernel reads outside the input (arbitrary numbers) or refuses; descend refuses. And
    an empty batch cropped to a negative size, which PyTorch returns (descend refuses)."""
    pads = sample.args[1]
    pairs = [pads[i : i + 2] for i in range(0, len(pads), 2)]
    if sample.kwargs["mode"] == "circular" and any(min(p) < 0 < max(p) for p in pairs):
        return "circular padding that crops one side and pads the other"
    shape = sample.args[0].values.shape
    sides = [shape[len(shape) - 1 - k] + sum(pair) for k, pair in enumerate(pairs)]
    if sample.kwargs["mode"] != "constant" and 0 in shape and min(sides) < 0:
        return "an empty batch cropped below 0: PyTorch returns a Tensor of negative size"
    return None


def _normalised_sampler(data: Any) -> Sample:
    """An image whose rows have 3 or more numbers: of two, a normalisation's gradient is 0
    but for rounding noise, which no tolerance compares."""
    sample = _image_sampler(data)
    assume(sample.args[0].values.shape[-1] >= 3)
    return sample


def _spread_sampler(data: Any) -> Sample:
    """An image batch whose every channel varies: of a constant channel, batch norm's output
    is rounding noise amplified by 1 / sqrt(eps)."""
    sample = _image_sampler(data)
    values = sample.args[0].values
    assume(np.all(np.ptp(values, axis=(0, 2, 3)) > 0.1))
    return sample


def _signal_sampler(data: Any) -> Sample:
    dtype = data.draw(st.sampled_from(FLOATS))
    own = (data.draw(st.integers(1, 2)), data.draw(st.integers(1, 2)), data.draw(st.integers(1, 6)))
    return Sample((arg(data, own, dtype),))


def _functional(name: str, **fixed: Any) -> Any:
    def call(T: Any, F: Any, *args: Any, **kwargs: Any) -> Any:
        return getattr(F, name)(*args, **fixed, **kwargs)

    return call


def _weights(T: Any, shape_: tuple[int, ...], dtype: Any) -> Any:
    return T.tensor(np.linspace(-1, 1, int(np.prod(shape_))).reshape(shape_), dtype=dtype)


def _conv(dims: int) -> Any:
    def call(T: Any, F: Any, x: Any) -> Any:
        channels = x.shape[1]
        weight = _weights(T, (2, channels) + (2,) * dims, x.dtype)
        conv = F.conv2d if dims == 2 else F.conv1d
        return conv(x, weight, padding=1, stride=1)

    return call


def _layer_norm(T: Any, F: Any, x: Any) -> Any:
    return F.layer_norm(x, tuple(x.shape[-1:]))


def _rms_norm_sampler(data: Any) -> Sample:
    """An image, normalised over its last one or two dimensions, with a weight or not, eps
    given or the dtype's."""
    (x,) = _image_sampler(data).args
    count = data.draw(st.integers(1, min(2, x.values.ndim)))
    shape = x.values.shape[x.values.ndim - count :]
    kwargs: dict[str, Any] = {}
    if data.draw(st.booleans()):
        kwargs["eps"] = data.draw(st.sampled_from([1e-5, 0.1]))
    if data.draw(st.booleans()):
        rng = np.random.default_rng(len(shape))
        kwargs["weight"] = Arg(
            rng.uniform(0.5, 2, shape).astype(x.values.dtype), "contiguous", True
        )
    return Sample((x, shape), kwargs)


def _batch_norm(T: Any, F: Any, x: Any) -> Any:
    channels = x.shape[1]
    return F.batch_norm(
        x, T.zeros(channels, dtype=x.dtype), T.ones(channels, dtype=x.dtype), training=True
    )


def _group_sampler(data: Any) -> Sample:
    """An image batch (channels 1 to 4), a group count dividing them (or not), and maybe a
    weight and a bias per channel."""
    sample = _normalised_sampler(data)
    x = sample.args[0]
    channels = x.values.shape[1]
    groups = data.draw(st.sampled_from([g for g in (1, 2, 3, 4) if g <= channels] + [3]))
    sample.args = (x, groups)
    if data.draw(st.booleans()):
        dtype = str(x.values.dtype)
        sample.kwargs["weight"] = arg(data, (channels,), dtype)
        sample.kwargs["bias"] = arg(data, (channels,), dtype)
    return sample


def _instance_sampler(data: Any) -> Sample:
    sample = _group_sampler(data)
    sample.args = sample.args[:1]
    return sample


FUNCTIONAL = {  # name: (call, sampler, rtol)
    "mse_loss": (_functional("mse_loss"), _regression_sampler, SUMMING),
    "l1_loss": (_functional("l1_loss"), _regression_sampler, SUMMING),
    "smooth_l1_loss": (_functional("smooth_l1_loss"), _regression_sampler, SUMMING),
    "huber_loss": (_functional("huber_loss"), _regression_sampler, SUMMING),
    "binary_cross_entropy": (_functional("binary_cross_entropy"), _bce_sampler(False), SUMMING),
    "binary_cross_entropy_with_logits": (
        _functional("binary_cross_entropy_with_logits"),
        _bce_sampler(True),
        SUMMING,
    ),
    "cross_entropy": (_functional("cross_entropy"), _class_sampler, SUMMING),
    "nll_loss": (_functional("nll_loss"), _class_sampler, SUMMING),
    "kl_div": (_functional("kl_div"), _regression_sampler, SUMMING),
    "conv2d": (_conv(2), _image_sampler, SUMMING),
    "conv1d": (_conv(1), _signal_sampler, SUMMING),
    "max_pool2d": (_functional("max_pool2d", kernel_size=2, ceil_mode=True), _image_sampler, 0.0),
    "avg_pool2d": (
        _functional("avg_pool2d", kernel_size=2, ceil_mode=True),
        _image_sampler,
        SUMMING,
    ),
    "max_pool1d": (_functional("max_pool1d", kernel_size=2), _signal_sampler, 0.0),
    "avg_pool1d": (_functional("avg_pool1d", kernel_size=2), _signal_sampler, SUMMING),
    "adaptive_avg_pool2d": (
        _functional("adaptive_avg_pool2d", output_size=2),
        _image_sampler,
        SUMMING,
    ),
    "adaptive_avg_pool1d": (
        _functional("adaptive_avg_pool1d", output_size=3),
        _signal_sampler,
        SUMMING,
    ),
    "layer_norm": (_layer_norm, _normalised_sampler, SUMMING),
    "batch_norm": (_batch_norm, _spread_sampler, SUMMING),
    "normalize": (_functional("normalize"), _image_sampler, SUMMING),
    "cosine_similarity": (
        lambda T, F, x: F.cosine_similarity(x, x.flip(-1), dim=-1),
        _image_sampler,
        SUMMING,
    ),
    "linear": (
        lambda T, F, x: F.linear(x, _weights(T, (3, x.shape[-1]), x.dtype)) + 0,
        _image_sampler,
        SUMMING,
    ),
    "prelu": (
        lambda T, F, x: F.prelu(x, T.tensor([0.25], dtype=x.dtype)),
        _activation_sampler,
        0.0,
    ),
    "one_hot": (
        lambda T, F, labels: F.one_hot(labels, 4),
        lambda data: Sample((Ints(np.arange(3) % 4),)),
        0.0,
    ),
    "embedding": (
        lambda T, F, labels: F.embedding(labels, _weights(T, (4, 2), T.float64)),
        lambda data: Sample((Ints(np.array([[0, 3], [1, 1]])),)),
        0.0,
    ),
}


LOOSER = {  # where the two libraries' formulas round differently
    "gelu": 1e-4,  # (1 + erf(x / sqrt 2)) cancels for x << 0
    "batch_norm": 1e-3,  # its input gradient is a difference of sums that cancel
    "layer_norm": 1e-3,
}


def _made(name: str) -> Any:
    """A factory's call (an uninitialised Tensor zeroed, so that its values compare)."""

    def call(T: Any, F: Any, *args: Any, **kwargs: Any) -> Any:
        made = getattr(T, name)(*args, **kwargs)
        return made.zero_() if "empty" in name else made

    return call


def _made_new(name: str) -> Any:
    def call(T: Any, F: Any, x: Any, size: Any) -> Any:
        made = getattr(x, name)(size)
        return made.zero_() if "empty" in name else made

    return call


DTYPE_NAMES = ("bool", "uint8", "int8", "int16", "int32", "int64", "float32", "float64")


def _dtype_pair_sampler(data: Any) -> Sample:
    return Sample(tuple(data.draw(st.sampled_from(DTYPE_NAMES)) for _ in range(2)))


def _result_type_sampler(data: Any) -> Sample:
    """Two of: a Tensor with dimensions, a 0-d Tensor, a Python number."""
    operands = []
    for _ in range(2):
        kind = data.draw(st.sampled_from(["tensor", "0-d", "number"]))
        if kind == "number":
            operands.append(number(data))
        else:
            side = (2,) if kind == "tensor" else ()
            operands.append(arg(data, side, data.draw(st.sampled_from(DTYPE_NAMES)), grad=False))
    return Sample(tuple(operands))


def _dtype_of(answer: Any) -> Any:
    return lambda T, F, *args: T.zeros(1, dtype=answer(T, *args))


def _one_tensor_sampler(data: Any) -> Sample:
    side = data.draw(st.sampled_from([(), (1,), (0,), (2,), (1, 1)]))
    return Sample((arg(data, side, data.draw(st.sampled_from(DTYPE_NAMES)), grad=False),))


def _two_tensors_sampler(data: Any) -> Sample:
    shapes = [shape(data, max_dims=2) for _ in range(2)]
    return Sample(tuple(arg(data, s, "float32", grad=False) for s in shapes))


def _questions() -> list[OpInfo]:
    """The dtype questions, each answer turned into a Tensor to compare."""
    return [
        OpInfo(
            "nn.promote_types",
            _dtype_of(lambda T, a, b: T.promote_types(getattr(T, a), getattr(T, b))),
            _dtype_pair_sampler,
        ),
        OpInfo(
            "nn.can_cast",
            lambda T, F, a, b: T.tensor(T.can_cast(getattr(T, a), getattr(T, b))),
            _dtype_pair_sampler,
        ),
        OpInfo(
            "nn.result_type", _dtype_of(lambda T, a, b: T.result_type(a, b)), _result_type_sampler
        ),
        OpInfo("nn.is_nonzero", lambda T, F, x: T.tensor(T.is_nonzero(x)), _one_tensor_sampler),
        OpInfo("nn.is_signed", lambda T, F, x: T.tensor(T.is_signed(x)), _one_tensor_sampler),
        OpInfo(
            "nn.is_same_size",
            lambda T, F, a, b: T.tensor(T.is_same_size(a, b)),
            _two_tensors_sampler,
        ),
    ]


def family() -> list[OpInfo]:
    ops = _questions()
    for kind, names in (
        ("dot", ["dot"]),
        ("mm", ["mm"]),
        ("mv", ["mv"]),
        ("bmm", ["bmm"]),
        ("outer", ["outer", "ger"]),
        ("matmul", ["matmul"]),
    ):
        for name in names:
            for qualified, method in ((f"Tensor.{name}", True), (f"nn.{name}", False)):
                call, sampler = _product(name, method), _pair_sampler(kind)
                ops.append(OpInfo(qualified, call, sampler, SUMMING, known=_empty_mixed))
    call, sampler = _product("__matmul__", True), _pair_sampler("matmul")
    ops.append(OpInfo("Tensor.__matmul__", call, sampler, SUMMING, known=_empty_mixed))
    ops.append(OpInfo("nn.meshgrid", _meshgrid, _meshgrid_sampler))
    einsum = lambda T, F, eq, *xs: T.einsum(eq, *xs)  # noqa: E731
    ops.append(OpInfo("nn.einsum", einsum, _einsum_sampler, SUMMING, known=_diagonal))
    for name in CONVERSIONS:
        ops.append(
            OpInfo(f"Tensor.{name}", lambda T, F, x, n=name: getattr(x, n)(), _convert_sampler)
        )
    ops += [
        OpInfo("Tensor.to", _to, _to_sampler),
        OpInfo("Tensor.type", lambda T, F, x: x.type(T.float64), _convert_sampler),
        OpInfo(
            "Tensor.type_as", lambda T, F, x: x.type_as(T.zeros(1, dtype=T.int32)), _convert_sampler
        ),
        OpInfo(
            "Tensor.item",
            lambda T, F, x: x.reshape(-1)[0].item() if x.numel() else x.item(),
            _convert_sampler,
        ),
        OpInfo("Tensor.tolist", lambda T, F, x: x.tolist(), _convert_sampler),
        OpInfo("Tensor.requires_grad_", lambda T, F, x: x.requires_grad_(), _convert_sampler),
        OpInfo("Tensor.equal", lambda T, F, x: x.equal(x.clone()), _convert_sampler),
        OpInfo(
            "nn.equal",
            lambda T, F, x: T.equal(x, x + 0 if x.dtype != T.bool else x),
            _convert_sampler,
        ),
        OpInfo("Tensor.allclose", lambda T, F, x: x.allclose(x.clone()), _convert_sampler),
        OpInfo("nn.allclose", lambda T, F, x: T.allclose(x, x.clone()), _convert_sampler),
        OpInfo("Tensor.isclose", lambda T, F, a, b: a.isclose(b), _isclose_sampler),
        OpInfo("nn.isclose", lambda T, F, a, b: T.isclose(a, b, equal_nan=True), _isclose_sampler),
        OpInfo("nn.tensor", lambda T, F, v, **k: T.tensor(v, **k), _factory_sampler),
        OpInfo("nn.as_tensor", lambda T, F, v, **k: T.as_tensor(v, **k), _factory_sampler),
        OpInfo("nn.from_numpy", lambda T, F, v, **k: T.from_numpy(np.asarray(v)), _factory_sampler),
        OpInfo("nn.full", lambda T, F, size, v, **k: T.full(size, v, **k), _full_sampler),
        OpInfo("nn.arange", lambda T, F, *a: T.arange(*a), _range_sampler("arange")),
        OpInfo("nn.linspace", lambda T, F, *a: T.linspace(*a), _range_sampler("linspace"), 1e-6),
        OpInfo("nn.logspace", lambda T, F, *a: T.logspace(*a), _range_sampler("logspace"), 1e-5),
        OpInfo(
            "nn.eye",
            lambda T, F, *s, **k: T.eye(*s[:2], **k) if s else T.eye(2, **k),
            _size_sampler,
        ),
    ]
    for name in ("zeros", "ones", "empty"):
        ops.append(OpInfo(f"nn.{name}", _made(name), _size_sampler))
    for name in ("zeros_like", "ones_like", "empty_like"):
        ops.append(OpInfo(f"nn.{name}", _made(name), _like_sampler))
    ops.append(OpInfo("nn.full_like", lambda T, F, x, **k: T.full_like(x, 2, **k), _like_sampler))
    for name in ("new_zeros", "new_ones", "new_empty"):
        ops.append(OpInfo(f"Tensor.{name}", _made_new(name), _new_sampler))
    ops += [
        OpInfo("Tensor.new_full", lambda T, F, x, s: x.new_full(s, 3), _new_sampler),
        OpInfo("Tensor.new_tensor", lambda T, F, x, s: x.new_tensor(list(s)), _new_sampler),
        OpInfo("Tensor.new", lambda T, F, x, s: x.new(*s).zero_() if s else x.new(), _new_sampler),
    ]
    for name, options in ACTIVATIONS.items():
        rtol = LOOSER.get(name, TRANSCENDENTAL)
        call, sampler = _functional(name), _options_sampler(options)
        known = _cancelling if name == "tanhshrink" else _none
        ops.append(OpInfo(f"F.{name}", call, sampler, rtol, 1e-5, known=known))
    for name, options in IN_PLACE_ACTIVATIONS.items():
        sampler = _threshold_sampler if name == "threshold" else _options_sampler(options)
        call, known = _in_place_functional(name), _expanded if name == "threshold" else _none
        ops.append(OpInfo(f"F.{name}_", call, with_via(sampler), 1e-6, known=known))
    ops.append(OpInfo("F.threshold", _functional("threshold"), _threshold_sampler))
    for name, sampler in (("group_norm", _group_sampler), ("instance_norm", _instance_sampler)):
        # (layer_norm of the grouped sample: what it saves is its parts')
        ops.append(OpInfo(f"F.{name}", _functional(name), sampler, 1e-5, 1e-3, stale=False))
    ops.append(OpInfo("F.pad", _functional("pad"), _pad_sampler, known=_circular_crop))
    ops.append(OpInfo("F.interpolate", _functional("interpolate"), _interpolate_sampler))
    cov = OpInfo("nn.cov", lambda T, F, x, **k: T.cov(x, **k), _cov_sampler, SUMMING, 1e-5)
    ops.append(replace(cov, known=_cov_writes_input))
    ops.append(
        OpInfo(
            "nn.corrcoef",
            lambda T, F, x: T.corrcoef(x),
            _corrcoef_sampler,
            SUMMING,
            1e-4,
            known=_perfectly_correlated,
        )
    )
    ops.append(OpInfo("F.rms_norm", _functional("rms_norm"), _rms_norm_sampler, SUMMING, 1e-5))
    for name, (call, sampler, rtol) in FUNCTIONAL.items():
        ops.append(OpInfo(f"F.{name}", call, sampler, rtol, LOOSER.get(name, 1e-5)))
    return ops


__all__ = ["Arg", "family"]
