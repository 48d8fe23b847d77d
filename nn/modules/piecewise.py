"""Piecewise and bounded activations, as functions (``nn.F.relu6``, ``hardtanh``,
``hardsigmoid``, ``hardswish``, ``logsigmoid``, ``celu``, ``selu``, ``mish``, ``softsign``,
``hardshrink``, ``softshrink``, ``tanhshrink``, ``threshold``, ``glu``) and layers
(``nn.ReLU6``, ``nn.Hardtanh``...), over the rules of ``nn/rules/piecewise.py``.
``inplace=True`` writes the result into the input, with PyTorch's in-place rules."""

from __future__ import annotations

from collections.abc import Callable

from .._namespace.factories import full
from ..functional.activation import softmax
from ..functional.piecewise import (
    celu,
    glu,
    hardshrink,
    hardsigmoid,
    hardswish,
    hardtanh,
    logsigmoid,
    mish,
    prelu,
    rrelu,
    selu,
    softshrink,
    softsign,
    tanhshrink,
    threshold,
)
from ..parameter import Parameter
from ..tensor import Tensor
from ..types import DeviceLike, DTypeLike, InputLike
from .module import Module


class _Activation(Module):
    """A layer that applies ``function`` with its settings (``inplace`` among them)."""

    function: Callable[..., Tensor]

    def __init__(self, inplace: bool = False) -> None:
        super().__init__()
        self.inplace = inplace

    def forward(self, input: InputLike) -> Tensor:
        return type(self).function(input, inplace=self.inplace)

    def extra_repr(self) -> str:
        return "inplace=True" if self.inplace else ""


class Hardtanh(_Activation):
    """min(max(x, min_val), max_val) elementwise, as ``torch.nn.Hardtanh``."""

    def __init__(self, min_val: float = -1.0, max_val: float = 1.0, inplace: bool = False):
        super().__init__(inplace)
        if max_val < min_val:
            raise ValueError("min_val cannot be greater than max_val")
        self.min_val, self.max_val = min_val, max_val

    def forward(self, input: InputLike) -> Tensor:
        return hardtanh(input, self.min_val, self.max_val, self.inplace)

    def extra_repr(self) -> str:
        bounds = f"min_val={self.min_val}, max_val={self.max_val}"
        return bounds + (", inplace=True" if self.inplace else "")


class ReLU6(Hardtanh):
    """min(max(x, 0), 6) elementwise, as ``torch.nn.ReLU6``."""

    def __init__(self, inplace: bool = False) -> None:
        super().__init__(0.0, 6.0, inplace)

    def extra_repr(self) -> str:
        return "inplace=True" if self.inplace else ""


class Hardsigmoid(_Activation):
    """0, x / 6 + 1/2 or 1 elementwise, as ``torch.nn.Hardsigmoid``."""

    function = staticmethod(hardsigmoid)


class Hardswish(_Activation):
    """x hardsigmoid(x) elementwise, as ``torch.nn.Hardswish``."""

    function = staticmethod(hardswish)


class SELU(_Activation):
    """The scaled ELU elementwise, as ``torch.nn.SELU``."""

    function = staticmethod(selu)


class Mish(_Activation):
    """x tanh(softplus(x)) elementwise, as ``torch.nn.Mish``."""

    function = staticmethod(mish)


class CELU(_Activation):
    """max(0, x) + min(0, alpha (exp(x / alpha) - 1)) elementwise, as ``torch.nn.CELU``."""

    def __init__(self, alpha: float = 1.0, inplace: bool = False) -> None:
        super().__init__(inplace)
        self.alpha = alpha

    def forward(self, input: InputLike) -> Tensor:
        return celu(input, self.alpha, self.inplace)

    def extra_repr(self) -> str:
        return f"alpha={self.alpha}" + (", inplace=True" if self.inplace else "")


class LogSigmoid(Module):
    """log(sigmoid(x)) elementwise, as ``torch.nn.LogSigmoid``."""

    def forward(self, input: InputLike) -> Tensor:
        return logsigmoid(input)


class Softsign(Module):
    """x / (1 + |x|) elementwise, as ``torch.nn.Softsign``."""

    def forward(self, input: InputLike) -> Tensor:
        return softsign(input)


class PReLU(Module):
    """x where x > 0, else a * x, with a learnt slope ``a`` (one, or one per channel),
    started at ``init``, as ``torch.nn.PReLU``."""

    def __init__(
        self,
        num_parameters: int = 1,
        init: float = 0.25,
        device: DeviceLike | None = None,
        dtype: DTypeLike | None = None,
    ) -> None:
        super().__init__()
        self.num_parameters = num_parameters
        self.init = init
        self.weight = Parameter(full((num_parameters,), init, dtype=dtype, device=device))

    def forward(self, input: InputLike) -> Tensor:
        return prelu(input, self.weight)

    def extra_repr(self) -> str:
        return f"num_parameters={self.num_parameters}"


class Hardshrink(Module):
    """0 for -lambd <= x <= lambd, else x, as ``torch.nn.Hardshrink``."""

    def __init__(self, lambd: float = 0.5) -> None:
        super().__init__()
        self.lambd = lambd

    def forward(self, input: InputLike) -> Tensor:
        return hardshrink(input, self.lambd)

    def extra_repr(self) -> str:
        return f"{self.lambd}"


class Softshrink(Hardshrink):
    """x - lambd above lambd, x + lambd below -lambd, 0 between, as ``torch.nn.Softshrink``."""

    def forward(self, input: InputLike) -> Tensor:
        return softshrink(input, self.lambd)


class Tanhshrink(Module):
    """x - tanh(x), as ``torch.nn.Tanhshrink``."""

    def forward(self, input: InputLike) -> Tensor:
        return tanhshrink(input)


class Threshold(Module):
    """``value`` where x <= ``threshold``, else x, as ``torch.nn.Threshold``."""

    def __init__(self, threshold: float, value: float, inplace: bool = False) -> None:
        super().__init__()
        self.threshold, self.value, self.inplace = threshold, value, inplace

    def forward(self, input: InputLike) -> Tensor:
        return threshold(input, self.threshold, self.value, self.inplace)

    def extra_repr(self) -> str:
        inplace = ", inplace=True" if self.inplace else ""
        return f"threshold={self.threshold}, value={self.value}{inplace}"


class GLU(Module):
    """a sigmoid(b) for the halves a, b of the input along ``dim``, as ``torch.nn.GLU``."""

    def __init__(self, dim: int = -1) -> None:
        super().__init__()
        self.dim = dim

    def forward(self, input: InputLike) -> Tensor:
        return glu(input, self.dim)

    def extra_repr(self) -> str:
        return f"dim={self.dim}"


class Softmax2d(Module):
    """Softmax over the channels (dimension -3) at each position of a (N, C, H, W) or
    (C, H, W) input, as ``torch.nn.Softmax2d``."""

    def forward(self, input: InputLike) -> Tensor:
        ndim = len(getattr(input, "shape", ()))
        if ndim not in (3, 4):
            raise ValueError(f"Softmax2d: expected input to be 3D or 4D, got {ndim}D instead")
        return softmax(input, -3)


class RReLU(Module):
    """Randomised leaky ReLU, as ``torch.nn.RReLU``: in training, each x <= 0 times a slope
    drawn from U(lower, upper); in eval mode the slope (lower + upper) / 2."""

    def __init__(self, lower: float = 1.0 / 8, upper: float = 1.0 / 3, inplace: bool = False):
        super().__init__()
        self.lower, self.upper, self.inplace = lower, upper, inplace

    def forward(self, input: InputLike) -> Tensor:
        return rrelu(input, self.lower, self.upper, self.training, self.inplace)

    def extra_repr(self) -> str:
        inplace = ", inplace=True" if self.inplace else ""
        return f"lower={self.lower}, upper={self.upper}{inplace}"
