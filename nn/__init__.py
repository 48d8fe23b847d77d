"""descend's ``nn``: Tensors with reverse-mode autograd, Modules, layers, losses, initialisers.

A faithful subset of ``torch`` / ``torch.nn`` in NumPy: port a script by changing imports.
"""

from . import functional, init, utils
from . import functional as F
from ._errors import DTypeError, ShapeError, TargetOutOfRangeError
from .containers import ModuleList, Sequential
from .gradcheck import GradcheckError, gradcheck
from .layers import (
    BatchNorm1d,
    Dropout,
    Flatten,
    Identity,
    LeakyReLU,
    Linear,
    LogSoftmax,
    ReLU,
    Sigmoid,
    Softmax,
    Tanh,
)
from .losses import BCELoss, BCEWithLogitsLoss, CrossEntropyLoss, MSELoss
from .module import IncompatibleKeys, Module
from .parameter import Parameter
from .random import get_rng_state, manual_seed, set_rng_state
from .serialization import load, save
from .tensor import (
    MaxResult,
    Tensor,
    as_tensor,
    detect_anomaly,
    enable_grad,
    get_default_dtype,
    is_grad_enabled,
    no_grad,
    set_default_dtype,
    set_grad_enabled,
    tensor,
)

__all__ = [
    "BCELoss",
    "BCEWithLogitsLoss",
    "BatchNorm1d",
    "CrossEntropyLoss",
    "DTypeError",
    "Dropout",
    "F",
    "Flatten",
    "GradcheckError",
    "Identity",
    "IncompatibleKeys",
    "LeakyReLU",
    "Linear",
    "LogSoftmax",
    "MSELoss",
    "MaxResult",
    "Module",
    "ModuleList",
    "Parameter",
    "ReLU",
    "Sequential",
    "ShapeError",
    "Sigmoid",
    "Softmax",
    "Tanh",
    "TargetOutOfRangeError",
    "Tensor",
    "as_tensor",
    "detect_anomaly",
    "enable_grad",
    "functional",
    "get_default_dtype",
    "get_rng_state",
    "gradcheck",
    "init",
    "is_grad_enabled",
    "load",
    "manual_seed",
    "no_grad",
    "save",
    "set_default_dtype",
    "set_grad_enabled",
    "set_rng_state",
    "tensor",
    "utils",
]
