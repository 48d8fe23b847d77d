"""Initialisers that fill a Tensor in place, as ``torch.nn.init``; each takes ``generator=``.

The course's He initialisation, ``W = randn(n_l, n_(l-1)) * sqrt(2 / n_(l-1))``, is
``kaiming_normal_(W)`` (fan_in mode, gain sqrt(2)). Values are drawn in float64 and cast to
the tensor's dtype, so a seed gives the same numbers in float32 and float64 (up to rounding).
"""

from __future__ import annotations

import math
import statistics
import warnings
from collections.abc import Callable

import numpy as np

from .autograd import no_grad
from .random import draw_normal, draw_permutation, draw_uniform, resolve_generator
from .tensor import Tensor
from .types import GeneratorLike

__all__ = [
    "calculate_gain",
    "constant",
    "constant_",
    "dirac",
    "dirac_",
    "eye",
    "eye_",
    "kaiming_normal",
    "kaiming_normal_",
    "kaiming_uniform",
    "kaiming_uniform_",
    "normal",
    "normal_",
    "ones_",
    "orthogonal",
    "orthogonal_",
    "sparse",
    "sparse_",
    "trunc_normal_",
    "uniform",
    "uniform_",
    "xavier_normal",
    "xavier_normal_",
    "xavier_uniform",
    "xavier_uniform_",
    "zeros_",
]


def calculate_gain(nonlinearity: str, param: float | None = None) -> float:
    """The recommended gain for a nonlinearity, as ``torch.nn.init.calculate_gain``.

    Examples
    --------
    >>> import nn; round(nn.init.calculate_gain("relu"), 4)
    1.4142
    """
    if nonlinearity in ("linear", "conv1d", "conv2d", "conv3d", "sigmoid", "identity"):
        return 1.0
    if nonlinearity == "tanh":
        return 5.0 / 3
    if nonlinearity == "relu":
        return math.sqrt(2.0)
    if nonlinearity == "leaky_relu":
        slope = 0.01 if param is None else param
        if isinstance(slope, bool) or not isinstance(slope, int | float):
            raise ValueError(f"negative_slope {slope} not a valid number")
        return math.sqrt(2.0 / (1 + slope**2))
    if nonlinearity == "selu":
        return 3.0 / 4
    raise ValueError(f"Unsupported nonlinearity {nonlinearity}")


def _calculate_fan_in_and_fan_out(tensor: Tensor) -> tuple[int, int]:
    """(fan_in, fan_out) of a weight of shape (out, in, *kernel): in and out times the
    kernel's size. PyTorch's private name, kept because custom layers copy ``Linear``'s
    ``reset_parameters``, which calls it."""
    if tensor.ndim < 2:
        raise ValueError(
            "Fan in and fan out can not be computed for tensor with fewer than 2 dimensions, "
            f"got shape {tensor.shape}"
        )
    receptive = int(np.prod(tensor.shape[2:])) if tensor.ndim > 2 else 1
    return tensor.shape[1] * receptive, tensor.shape[0] * receptive


def _fill(tensor: Tensor, values: np.ndarray) -> Tensor:
    """Write ``values`` into ``tensor`` in place, outside the graph (as PyTorch's init)."""
    if not isinstance(tensor, Tensor):
        raise TypeError(f"expected a Tensor or Parameter, got {type(tensor).__name__}")
    with no_grad():
        tensor._fill(values.astype(tensor.dtype, copy=False))
    return tensor


def uniform_(
    tensor: Tensor, a: float = 0.0, b: float = 1.0, generator: GeneratorLike | None = None
) -> Tensor:
    """Fill with U(a, b).

    Examples
    --------
    >>> import numpy as np, nn
    >>> w = nn.init.uniform_(nn.Parameter(np.empty(100)), -1.0, 1.0, generator=0)
    >>> bool(w.min() >= -1 and w.max() <= 1)
    True
    """
    if not a <= b:
        raise ValueError(f"uniform_ expects a <= b, got a={a}, b={b}")
    return _fill(tensor, draw_uniform(generator, tensor.shape, tensor.dtype, a, b))


def normal_(
    tensor: Tensor, mean: float = 0.0, std: float = 1.0, generator: GeneratorLike | None = None
) -> Tensor:
    """Fill with N(mean, std**2).

    Examples
    --------
    >>> import numpy as np, nn
    >>> w = nn.init.normal_(nn.Parameter(np.empty(10_000)), 3.0, 0.1, generator=0)
    >>> round(w.mean().item(), 1)
    3.0
    """
    if not std >= 0:
        raise ValueError(f"normal_ expects std >= 0, got {std}")
    return _fill(tensor, draw_normal(generator, tensor.shape, tensor.dtype, mean, std))


def constant_(tensor: Tensor, val: float) -> Tensor:
    """Fill with ``val``.

    Examples
    --------
    >>> import numpy as np, nn
    >>> nn.init.constant_(nn.Parameter(np.empty(2)), 0.5)
    Parameter containing:
    tensor([0.5000, 0.5000], dtype=float64, requires_grad=True)
    """
    return _fill(tensor, np.full(tensor.shape, val))


def zeros_(tensor: Tensor) -> Tensor:
    """Fill with 0 (the course's bias initialisation).

    Examples
    --------
    >>> import numpy as np, nn
    >>> nn.init.zeros_(nn.Parameter(np.ones(2))).tolist()
    [0.0, 0.0]
    """
    return constant_(tensor, 0.0)


def ones_(tensor: Tensor) -> Tensor:
    """Fill with 1.

    Examples
    --------
    >>> import numpy as np, nn
    >>> nn.init.ones_(nn.Parameter(np.zeros(2))).tolist()
    [1.0, 1.0]
    """
    return constant_(tensor, 1.0)


def _kaiming_std(tensor: Tensor, a: float, mode: str, nonlinearity: str) -> float:
    if mode not in ("fan_in", "fan_out"):
        raise ValueError(f"Mode {mode} not supported, please use one of fan_in, fan_out")
    fan_in, fan_out = _calculate_fan_in_and_fan_out(tensor)
    fan = fan_in if mode == "fan_in" else fan_out
    return calculate_gain(nonlinearity, a) / math.sqrt(fan)


def kaiming_normal_(
    tensor: Tensor,
    a: float = 0.0,
    mode: str = "fan_in",
    nonlinearity: str = "leaky_relu",
    generator: GeneratorLike | None = None,
) -> Tensor:
    """He initialisation: N(0, std**2) with std = gain / sqrt(fan), sqrt(2 / n_(l-1)) for ReLU.

    Examples
    --------
    >>> import numpy as np, nn
    >>> W = nn.Parameter(np.empty((1000, 500)))
    >>> _ = nn.init.kaiming_normal_(W, generator=0)
    >>> round(float(W.detach().numpy().std() * np.sqrt(500 / 2)), 1)
    1.0
    """
    return normal_(tensor, 0.0, _kaiming_std(tensor, a, mode, nonlinearity), generator)


def kaiming_uniform_(
    tensor: Tensor,
    a: float = 0.0,
    mode: str = "fan_in",
    nonlinearity: str = "leaky_relu",
    generator: GeneratorLike | None = None,
) -> Tensor:
    """U(-bound, bound) with bound = gain * sqrt(3 / fan).

    Examples
    --------
    >>> import numpy as np, nn
    >>> w = nn.init.kaiming_uniform_(nn.Parameter(np.empty((4, 6))), generator=0)
    >>> bool(w.abs().max() <= np.sqrt(3 * 2 / 6))
    True
    """
    bound = math.sqrt(3.0) * _kaiming_std(tensor, a, mode, nonlinearity)
    return uniform_(tensor, -bound, bound, generator)


def xavier_uniform_(
    tensor: Tensor, gain: float = 1.0, generator: GeneratorLike | None = None
) -> Tensor:
    """Glorot: U(-b, b) with b = gain * sqrt(6 / (fan_in + fan_out)).

    Examples
    --------
    >>> import numpy as np, nn
    >>> w = nn.init.xavier_uniform_(nn.Parameter(np.empty((3, 3))), generator=0)
    >>> bool(w.abs().max() <= 1.0)
    True
    """
    fan_in, fan_out = _calculate_fan_in_and_fan_out(tensor)
    bound = gain * math.sqrt(6.0 / (fan_in + fan_out))
    return uniform_(tensor, -bound, bound, generator)


def xavier_normal_(
    tensor: Tensor, gain: float = 1.0, generator: GeneratorLike | None = None
) -> Tensor:
    """Glorot: N(0, std**2) with std = gain * sqrt(2 / (fan_in + fan_out)).

    Examples
    --------
    >>> import numpy as np, nn
    >>> w = nn.init.xavier_normal_(nn.Parameter(np.empty((500, 500))), generator=0)
    >>> round(float(w.detach().numpy().std() / np.sqrt(2 / 1000)), 1)
    1.0
    """
    fan_in, fan_out = _calculate_fan_in_and_fan_out(tensor)
    return normal_(tensor, 0.0, gain * math.sqrt(2.0 / (fan_in + fan_out)), generator)


def trunc_normal_(
    tensor: Tensor,
    mean: float = 0.0,
    std: float = 1.0,
    a: float = -2.0,
    b: float = 2.0,
    generator: GeneratorLike | None = None,
) -> Tensor:
    """Fill with N(mean, std**2) restricted to [a, b] (absolute bounds, as PyTorch's).

    Drawn by rejection (a draw outside [a, b] is drawn again, up to 20 rounds), and what is
    still missing by the inverse normal CDF of a uniform draw between the bounds' CDFs (the
    tail's own, so that bounds far out keep their precision): PyTorch's distribution, not
    its numbers.

    Examples
    --------
    >>> import numpy as np, nn
    >>> w = nn.init.trunc_normal_(nn.Parameter(np.empty(1000)), std=0.02, a=-0.04, b=0.04)
    >>> bool(w.abs().max() <= 0.04)
    True
    """
    if not std > 0 or not a <= b:
        raise ValueError(f"trunc_normal_ expects std > 0 and a <= b, got std={std}, a={a}, b={b}")
    rng = resolve_generator(generator)
    values = np.empty(tensor.shape)
    flat = values.reshape(-1)
    pending = np.arange(flat.size)
    for _ in range(20):
        if not pending.size:
            break
        draws = draw_normal(rng, (pending.size,), np.float64, mean, std)
        inside = (draws >= a) & (draws <= b)
        flat[pending[inside]] = draws[inside]
        pending = pending[~inside]
    if pending.size:
        uniform = draw_uniform(rng, (pending.size,), np.float64)
        low, high = (a - mean) / std, (b - mean) / std
        flat[pending] = mean + std * _normal_between(low, high, uniform)
    return _fill(tensor, values)


def _normal_between(low: float, high: float, uniform: np.ndarray) -> np.ndarray:
    """Standard normal draws restricted to [low, high], by the inverse CDF of ``uniform``
    (in [0, 1)); an upper tail is drawn as the mirror of the lower one, where the CDF is
    small and exact."""
    if low > 0:
        return -_normal_between(-high, -low, uniform)
    below = 0.5 * math.erfc(-low / math.sqrt(2.0))
    above = 0.5 * math.erfc(-high / math.sqrt(2.0))
    if above < 1e-300:  # beyond the CDF's range (high < -37): the tail's exponential limit,
        # high - E / |high| with E exponential, cut at low (relative error ~ 1 / high**2)
        span = -high * (high - low)
        drawn = -np.log1p(-uniform * -np.expm1(-span))
        return np.clip(high - drawn / -high, low, high)  # type: ignore[no-any-return]
    inverse = np.vectorize(statistics.NormalDist().inv_cdf, otypes=[float])
    probabilities = np.clip(below + uniform * (above - below), 1e-300, 1.0 - 1e-16)
    return np.clip(inverse(probabilities), low, high)  # type: ignore[no-any-return]


def orthogonal_(
    tensor: Tensor, gain: float = 1.0, generator: GeneratorLike | None = None
) -> Tensor:
    """Fill with a (semi-)orthogonal matrix times ``gain``, the tensor seen as rows x (the
    product of the other dimensions): Q of the QR decomposition of a normal matrix, its
    columns' signs fixed by R's diagonal (Saxe et al., 2013), as PyTorch's.

    Examples
    --------
    >>> import numpy as np, nn
    >>> w = nn.init.orthogonal_(nn.Parameter(np.empty((3, 5))), generator=0).detach().numpy()
    >>> bool(np.allclose(w @ w.T, np.eye(3)))
    True
    """
    if tensor.ndim < 2:
        raise ValueError("Only tensors with 2 or more dimensions are supported")
    rows = tensor.shape[0]
    cols = int(np.prod(tensor.shape[1:]))
    if rows * cols == 0:
        return tensor
    flat = draw_normal(generator, (rows, cols), tensor.dtype).astype(np.float64)
    if rows < cols:
        flat = flat.T
    q, r = np.linalg.qr(flat)
    q = q * np.sign(np.diag(r))
    if rows < cols:
        q = q.T
    return _fill(tensor, gain * q.reshape(tensor.shape))


def eye_(tensor: Tensor) -> Tensor:
    """Fill a 2-D tensor with the identity (ones on the diagonal, as many as fit).

    Examples
    --------
    >>> import numpy as np, nn
    >>> nn.init.eye_(nn.Parameter(np.empty((2, 3))))
    Parameter containing:
    tensor([[1., 0., 0.],
            [0., 1., 0.]], dtype=float64, requires_grad=True)
    """
    if tensor.ndim != 2:
        raise ValueError("Only tensors with 2 dimensions are supported")
    rows, cols = tensor.shape
    return _fill(tensor, np.eye(rows, cols))


def dirac_(tensor: Tensor, groups: int = 1) -> Tensor:
    """Fill a 3-, 4- or 5-D convolution weight so that the convolution is the identity: in
    each of ``groups`` groups, output channel d takes input channel d at the kernel's centre
    (1 there, 0 elsewhere), for as many channels as both sides have.

    Examples
    --------
    >>> import numpy as np, nn
    >>> w = nn.init.dirac_(nn.Parameter(np.empty((2, 2, 3))))
    >>> w[:, :, 1].tolist()
    [[1.0, 0.0], [0.0, 1.0]]
    """
    if tensor.ndim not in (3, 4, 5):
        raise ValueError("Only tensors with 3, 4, or 5 dimensions are supported")
    out_channels, in_channels, *kernel = tensor.shape
    if out_channels % groups != 0:
        raise ValueError("dim 0 must be divisible by groups")
    per_group = out_channels // groups
    values = np.zeros(tensor.shape)
    centre = tuple(k // 2 for k in kernel)
    for group in range(groups):
        for d in range(min(per_group, in_channels)):
            values[(group * per_group + d, d) + centre] = 1.0
    return _fill(tensor, values)


def sparse_(
    tensor: Tensor, sparsity: float, std: float = 0.01, generator: GeneratorLike | None = None
) -> Tensor:
    """Fill a 2-D tensor with N(0, std**2) draws, then zero ceil(sparsity * rows) entries of
    each column, chosen by a random permutation of the rows (Martens, 2010). As PyTorch's,
    the permutations come from the default generator whatever ``generator`` is.

    Examples
    --------
    >>> import numpy as np, nn
    >>> w = nn.init.sparse_(nn.Parameter(np.empty((4, 3))), 0.5, generator=0)
    >>> (w == 0).sum(0).tolist()
    [2, 2, 2]
    """
    if tensor.ndim != 2:
        raise ValueError("Only tensors with 2 dimensions are supported")
    rows, cols = tensor.shape
    zeros = math.ceil(sparsity * rows)
    values = draw_normal(generator, tensor.shape, tensor.dtype, 0.0, std)
    for col in range(cols):
        values[draw_permutation(None, rows)[:zeros], col] = 0
    return _fill(tensor, values)


def _deprecated(function: Callable[..., Tensor]) -> Callable[..., Tensor]:
    """PyTorch's old name without the underscore (``nn.init.xavier_uniform``), which old
    course code calls: the same function, with PyTorch's ``FutureWarning``."""
    old = function.__name__[:-1]

    def call(*args: object, **kwargs: object) -> Tensor:
        warnings.warn(
            f"`nn.init.{old}` is now deprecated in favor of `nn.init.{function.__name__}`.",
            FutureWarning,
            stacklevel=2,
        )
        return function(*args, **kwargs)

    call.__name__ = call.__qualname__ = old
    call.__doc__ = f"Deprecated: ``{function.__name__}``."
    return call


uniform = _deprecated(uniform_)
normal = _deprecated(normal_)
constant = _deprecated(constant_)
eye = _deprecated(eye_)
xavier_uniform = _deprecated(xavier_uniform_)
xavier_normal = _deprecated(xavier_normal_)
kaiming_uniform = _deprecated(kaiming_uniform_)
kaiming_normal = _deprecated(kaiming_normal_)
orthogonal = _deprecated(orthogonal_)
sparse = _deprecated(sparse_)
dirac = _deprecated(dirac_)
