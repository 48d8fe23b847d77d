"""descend's optimizers: the course's update rules behind ``torch.optim``'s interface.

``BatchGD``, ``SGD``, ``Momentum``, ``RMSprop``, ``Adam``, ``AdamW``, ``Adagrad``; the update
rules as pure functions in ``optimizers.functional``; schedules in
``optimizers.lr_scheduler``.
"""

from . import functional, lr_scheduler
from ._checks import ParameterError
from .adagrad import Adagrad
from .adam import Adam
from .adamw import AdamW
from .momentum import Momentum
from .optimizer import Optimizer
from .rmsprop import RMSprop
from .sgd import SGD, BatchGD

__all__ = [
    "SGD",
    "Adagrad",
    "Adam",
    "AdamW",
    "BatchGD",
    "Momentum",
    "Optimizer",
    "ParameterError",
    "RMSprop",
    "functional",
    "lr_scheduler",
]
