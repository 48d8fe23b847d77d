"""PyTorch's top-level functions: ``nn.exp(x)`` is ``x.exp()``, ``nn.max(x, 1)`` is
``x.max(1)``, with torch's ``out=`` and torch's ``TypeError`` for an argument that is not a
Tensor (an ndarray is accepted: descend's batches may be ndarrays).

Each function forwards to the Tensor method of the same name, so there is one
implementation of each op; what is here is the argument handling that differs between a
function and a method.
"""

from . import broadcasting, composites, dtypes, elementwise, reductions, statistics
from .broadcasting import *  # noqa: F403
from .composites import *  # noqa: F403
from .dtypes import *  # noqa: F403
from .elementwise import *  # noqa: F403
from .reductions import *  # noqa: F403
from .statistics import *  # noqa: F403

__all__ = sorted(
    {
        *broadcasting.__all__,
        *composites.__all__,
        *dtypes.__all__,
        *elementwise.__all__,
        *reductions.__all__,
        *statistics.__all__,
    }
)
