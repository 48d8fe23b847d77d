"""Allocation-free NumPy forms of readable rules, for the per-parameter executor's large
parameters (``optimizers._executors``), where a readable rule costs the most: a temporary
per operation and NumPy's fixed cost per call in every 64 KB slice (Adam on the MLP
784-256-128-10: 549 against about 405 us a step; docs/benchmarks.md).

A kernel makes the operations of its rule's ``update`` in the same order on the same values,
writing the temporaries into two scratch arrays (``out=``), so it gives the rule's numbers
bit for bit (tests/optimizers/test_numpy_kernels.py holds it to them). It covers the rule's common
options and says which (``applies``); for the others the readable rule runs. The rule in
its own file stays the definition.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from .types import ParamGroup, State

Group = ParamGroup
# A kernel: (W, dW, state, group, scratch_a, scratch_b), on flat slices of W's dtype.
Kernel = Callable[..., None]

# Bytes per slice a kernel steps: its scratch and slices stay in the caches, and with no
# temporaries the slices can be larger than the readable rules' (measured: 256 KiB).
KERNEL_CHUNK_BYTES = 1 << 18


def declared_kernel(cls: type, attribute: str) -> str | None:
    """The kernel a class's rule declares in ``attribute`` (``numpy_kernel``,
    ``fused_kernel``), unless a class below it overrides ``update``: a kernel is its own
    rule's, never a subclass's."""
    for klass in cls.__mro__:
        own = vars(klass)
        if attribute in own:
            return own[attribute]  # type: ignore[no-any-return]
        if "update" in own:
            return None
    return None


def adam_applies(group: Group) -> bool:
    """The options ``adam`` covers: no amsgrad, no maximize, weight decay none or decoupled."""
    return bool(
        not group["amsgrad"]
        and not group["maximize"]
        and (group["weight_decay"] == 0 or group["decoupled_weight_decay"])
    )


def adam(W: Any, dW: Any, state: State, group: Group, a: Any, b: Any) -> None:
    """``Adam.update`` (optimizers/adam.py), its temporaries written into ``a`` and ``b``."""
    alpha, (beta1, beta2), epsilon = group["lr"], group["betas"], group["eps"]
    t, v, s = state["step"], state["exp_avg"], state["exp_avg_sq"]
    if group["weight_decay"] != 0:  # decoupled (AdamW): shrink W itself
        W *= 1 - alpha * group["weight_decay"]
    v *= beta1
    np.multiply(dW, 1 - beta1, out=a)  # (1 - beta1) * dW
    v += a
    s *= beta2
    np.square(dW, out=a)  # dW**2
    a *= 1 - beta2
    s += a
    np.divide(v, 1 - beta1**t, out=a)  # v_corrected
    np.divide(s, 1 - beta2**t, out=b)  # s_corrected
    np.sqrt(b, out=b)
    b += epsilon
    a *= alpha  # alpha * v_corrected
    np.divide(a, b, out=a)
    W -= a


KERNELS: dict[str, tuple[Callable[[Group], bool], Kernel]] = {"adam": (adam_applies, adam)}


def kernel_for(optimizer: object, group: Group) -> Kernel | None:
    """The NumPy kernel of ``optimizer``'s rule for ``group``'s options, or None."""
    name = declared_kernel(type(optimizer), "numpy_kernel")
    if name is None:
        return None
    applies, kernel = KERNELS[name]
    return kernel if applies(group) else None
