"""descend's optimizers: the course's update rules behind ``torch.optim``'s interface.

``BatchGD``, ``SGD``, ``Momentum``, ``RMSprop``, ``Adam``, ``AdamW``, ``Adagrad``,
``Adadelta``, ``Adamax``, ``NAdam``, ``RAdam``, ``ASGD``, ``Rprop``, ``Adafactor``, ``Muon``,
``LBFGS``, each rule
readable in its own file (``init_state`` / ``update`` on arrays, the contract your own rules
use too); their fast copies (a NumPy kernel, the numba loops of ``fused=True``) in
``optimizers/_kernels/``, one file per rule; schedules in ``optimizers.lr_scheduler``.
"""

from . import lr_scheduler, swa_utils, validation
from .adadelta import Adadelta
from .adafactor import Adafactor
from .adagrad import Adagrad
from .adam import Adam
from .adamax import Adamax
from .adamw import AdamW
from .asgd import ASGD
from .lbfgs import LBFGS
from .momentum import Momentum
from .muon import Muon
from .nadam import NAdam
from .optimizer import Optimizer
from .radam import RAdam
from .rmsprop import RMSprop
from .rprop import Rprop
from .sgd import SGD, BatchGD
from .validation import ParameterError

__all__ = [
    "ASGD",
    "LBFGS",
    "SGD",
    "Adadelta",
    "Adafactor",
    "Adagrad",
    "Adam",
    "AdamW",
    "Adamax",
    "BatchGD",
    "Momentum",
    "Muon",
    "NAdam",
    "Optimizer",
    "ParameterError",
    "RAdam",
    "RMSprop",
    "Rprop",
    "functional",
    "lr_scheduler",
    "swa_utils",
    "validation",
]
