"""descend's optimizers: the course's update rules behind ``torch.optim``'s interface.

``BatchGD``, ``SGD``, ``Momentum``, ``RMSprop``, ``Adam``, ``AdamW``, ``Adagrad``,
``Adadelta``, each rule
readable in its own file (``init_state`` / ``update`` on arrays, the contract your own rules
use too); the compiled kernels of ``fused=True`` in ``optimizers.functional``; schedules in
``optimizers.lr_scheduler``.
"""

from . import functional, lr_scheduler, validation
from .adadelta import Adadelta
from .adagrad import Adagrad
from .adam import Adam
from .adamw import AdamW
from .momentum import Momentum
from .optimizer import Optimizer
from .rmsprop import RMSprop
from .sgd import SGD, BatchGD
from .validation import ParameterError

__all__ = [
    "SGD",
    "Adadelta",
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
    "validation",
]
