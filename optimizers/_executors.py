"""How a step runs an update rule over a param group, chosen by PyTorch's flags.

- ``foreach=False``: ``per_parameter`` untuned, PyTorch's meaning: the rule's ``update``
  called on each parameter's own arrays, whole, and nothing else; what a learner reads in
  the rule's file is what runs.
- ``foreach=None`` (the default, PyTorch's on the CPU): ``per_parameter``, the same numbers
  tuned: an elementwise rule's large parameter in cache-sized slices, and the rule's NumPy
  kernel (``optimizers/_kernels/``) where it has one, while that is still a copy of the rule;
  the small parameters of a rule that keeps two or more arrays each (Adam) gathered as
  ``foreach=True`` gathers them, from four of them on (``_gathered``).
- ``foreach=True``: ``multi_tensor`` with the rule's ``update``, for ``elementwise`` rules
  (others run per parameter, with the same result). Small parameters are gathered into
  chunks of up to ``CHUNK_BYTES`` (their state kept in one flat buffer per state key,
  each parameter's state array a view into it), the rule runs once per chunk and the
  results are scattered back into each parameter's own array; a large parameter is
  updated in place, chunk by chunk.
- ``fused=True``: ``multi_tensor`` with the rule's compiled kernel (``optimizers/_kernels/``,
  the ``fast`` extra).

Every operation of an elementwise rule is elementwise, so all three give the same numbers
(bit for bit for ``foreach``). No executor ever replaces a parameter's storage: ``p.data``,
``p.detach()`` and copies of (model, optimizer) stay true.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, cast

import numpy as np

from . import _kernels
from .types import ParamGroup, State
from .validation import flag, optional_flag

if TYPE_CHECKING:
    from nn.tensor import Tensor

    from .optimizer import Optimizer

Update = Callable[[np.ndarray, np.ndarray, State, ParamGroup], None]

# Bytes per chunk of each array: cache-sized, and small enough that a rule's temporaries stay
# below glibc's mmap and trim thresholds (128 KiB): above them, allocating and freeing them
# maps and unmaps pages at every operation, 4 to 8 times slower (measured; docs/benchmarks.md).
CHUNK_BYTES = 1 << 16
# The reference steps an elementwise rule on a parameter larger than a chunk in slices of a
# chunk: a readable rule allocates a temporary per operation, and a large one costs its
# mapping (an MLP's Adam step: 2.5 ms whole, 0.7 ms in slices; docs/benchmarks.md).
SLICED_BYTES = CHUNK_BYTES
# The default executor gathers the small parameters of a rule with two or more state
# arrays from this many parameters on (``_gathered``).
GATHERED_FROM = 4
# A compiled kernel makes one pass, with no temporaries: its chunks gather small parameters
# so that one call covers many of them, and stay in cache between gather and scatter
# (measured: 1 MiB beat 256 KiB and 4 MiB for 1000 tensors of 10K float32s).
FUSED_CHUNK_BYTES = 1 << 20
# Chunks of a large parameter start at this alignment (bytes): a cache line, and an AVX-512
# vector. A compiled kernel's vector loads and stores that straddle cache lines halve its
# speed (fused Adam on 10M float32: 11 ms on NumPy's arrays, 16 bytes past a line, against
# 6 ms aligned; docs/benchmarks.md).
ALIGNMENT = 64


def _chunk(dtype: np.dtype, chunk_bytes: int) -> int:
    """Elements per chunk of arrays of ``dtype``."""
    return max(1, chunk_bytes // dtype.itemsize)


_REFUSED = {
    "capturable": "descend runs on the CPU without CUDA graphs",
    "differentiable": "descend's optimizer steps are not recorded by autograd",
}


def check_flags(optimizer: Optimizer, group: ParamGroup) -> None:
    """Validate a group's executor flags: ``foreach``/``fused`` None, True or False (not both
    True), ``capturable``/``differentiable`` False; ``fused=True`` needs a compiled kernel."""
    for name in ("foreach", "fused"):
        if name in group:
            optional_flag(name, group[name])
    for name, reason in _REFUSED.items():
        if name in group:
            flag(name, group[name])
            if group[name]:
                raise ValueError(f"{name}=True cannot be honoured: {reason}; leave it False")
    if group.get("fused") and group.get("foreach"):
        raise RuntimeError("`fused` and `foreach` cannot be `True` together.")
    if group.get("fused"):
        _kernels.fused_for(optimizer)
        _kernels.require_numba()


def run(optimizer: Optimizer, group: ParamGroup, params: list[object]) -> None:
    """One step of ``optimizer``'s rule on ``params`` (those of ``group`` with a gradient).

    Parameters whose storage overlaps (``Parameter(emb[:2])`` beside ``emb``) are stepped
    one after the other by the reference, whatever the flags: gathered into a chunk, the
    second one's copy would overwrite the first one's update."""
    multi = group.get("fused") or (group.get("foreach") and optimizer.elementwise)
    if multi and _overlapping(optimizer, params):
        per_parameter(optimizer, group, params)
    elif group.get("fused"):
        kernel = _kernels.fused_for(optimizer)
        multi_tensor(optimizer, group, params, kernel, FUSED_CHUNK_BYTES, aligned=True)
    elif group.get("foreach") and optimizer.elementwise:
        multi_tensor(optimizer, group, params, optimizer.update, CHUNK_BYTES)
    elif group.get("foreach") is None and (small := _gathered(optimizer, params)):
        chosen = set(map(id, small))
        per_parameter(optimizer, group, [p for p in params if id(p) not in chosen])
        multi_tensor(optimizer, group, small, optimizer.update, CHUNK_BYTES)
    else:
        per_parameter(optimizer, group, params, tuned=group.get("foreach") is not False)


def _gathered(optimizer: Optimizer, params: list[object]) -> list[Tensor]:
    """The small parameters the default executor gathers (``multi_tensor``), or none: for
    an elementwise rule that keeps two or more arrays per parameter (Adam's two moments),
    over at least ``GATHERED_FROM`` small parameters, one call per operation for all of
    them costs less than the gathering (measured: Adam on six small parameters 33 us
    gathered, 46 to 50 us one by one; on two, 22 against 16; a one-array rule such as
    momentum loses). Large ones keep their slices and NumPy kernels."""
    if not optimizer.elementwise or len(params) < GATHERED_FROM:
        return []
    state = optimizer.state.get(params[0])  # (none before the first step: one by one)
    if state is None or sum(type(v) is np.ndarray for v in state.values()) < 2:
        return []
    small = [
        p
        for p in cast("list[Tensor]", params)
        if 0 < p._data.nbytes <= SLICED_BYTES and p._data.ndim
    ]
    if len(small) < GATHERED_FROM or _overlapping(optimizer, small):
        return []
    return small


def per_parameter(
    optimizer: Optimizer, group: ParamGroup, params: list[Any], tuned: bool = True
) -> None:
    """The reference: ``update`` on each parameter's arrays, its state made at its first
    step (and kept only if the rule keeps any), ``state["step"]`` counted first.

    Untuned (``foreach=False``), that is all: each parameter's whole arrays. Tuned, an
    elementwise rule runs on flat views of a parameter larger than ``SLICED_BYTES``,
    chunk by chunk (the same numbers: every operation is elementwise), so that its
    temporaries stay small, and on a 0-d parameter as 1-element views (NumPy
    computes on 0-d arrays with its scalar arithmetic, whose ``**`` differs in the last bit
    from the arrays'). A large parameter of a rule with an allocation-free NumPy kernel for
    the group's options (``optimizers/_kernels/``, bit-identical) runs that instead, while
    the kernel is a copy of the rule that runs."""
    state_of, update = optimizer.state, optimizer.update
    elementwise = optimizer.elementwise
    for param in params:
        W = param._data
        state = state_of.get(param)
        fresh = state is None
        if state is None:
            state = optimizer.init_state(W, group)
        if "step" in state:
            state["step"] += 1
        if (
            tuned
            and elementwise
            and (W.nbytes > SLICED_BYTES or not W.ndim)
            and W.flags.c_contiguous
            and _kind(W, state) is not None
            and _contiguous_state(state)
        ):
            kernel = _kernels.numpy_for(optimizer, group) if W.ndim else None
            if kernel is not None:  # (looked up here: small parameters never need it)
                scratched = _with_scratch(optimizer, kernel, W.dtype)
                chunk_bytes = _kernels.KERNEL_CHUNK_BYTES
                _in_place_chunks(W, param._grad._data, state, group, scratched, chunk_bytes)
            else:
                _in_place_chunks(W, param._grad._data, state, group, update, CHUNK_BYTES)
        else:
            update(W, param._grad._data, state, group)
        if fresh and state:
            state_of[param] = state
        param._vc[0] += 1


def _overlapping(optimizer: Optimizer, params: list[Any]) -> bool:
    """Whether two of ``params`` share memory (cached while their arrays stay the same)."""
    arrays = [p._data for p in params]
    key = ("overlap", tuple(id(a) for a in arrays))
    cached = optimizer._layouts.get(key)
    if cached is not None and all(a is b for a, b in zip(cached[0], arrays, strict=True)):
        return bool(cached[1])
    extents = sorted(_extent(a) for a in arrays if a.size)
    found = any(low < high for (_, high), (low, _) in itertools.pairwise(extents))
    optimizer._layouts[key] = (arrays, found)  # (holding the arrays keeps their ids unique)
    return found


def _extent(a: np.ndarray) -> tuple[int, int]:
    """The bytes ``a`` spans: from its lowest element's address to past its highest's."""
    low = high = a.__array_interface__["data"][0]
    for size, stride in zip(a.shape, a.strides, strict=True):
        if stride < 0:
            low += (size - 1) * stride
        else:
            high += (size - 1) * stride
    return low, high + a.itemsize


def _with_scratch(optimizer: Optimizer, kernel: Any, dtype: np.dtype) -> Update:
    """``kernel`` as an update on slices of up to a kernel chunk, with two scratch arrays of
    ``dtype`` kept between steps (in the executors' cache, which copies leave out)."""
    key = ("scratch", dtype)
    scratch = optimizer._layouts.get(key)
    if scratch is None:
        size = _chunk(dtype, _kernels.KERNEL_CHUNK_BYTES)
        scratch = optimizer._layouts[key] = (np.empty(size, dtype), np.empty(size, dtype))
    a, b = scratch

    def update(W: np.ndarray, dW: np.ndarray, state: State, group: ParamGroup) -> None:
        kernel(W, dW, state, group, a[: W.size], b[: W.size])

    return update


def multi_tensor(
    optimizer: Optimizer,
    group: ParamGroup,
    params: list[Any],
    update: Update,
    chunk_bytes: int,
    aligned: bool = False,
) -> None:
    """``update`` over many parameters at once, in chunks of ``chunk_bytes`` per array (see
    the module's docstring); a large parameter's chunks start ``aligned`` (for a kernel)."""
    state_of = optimizer.state
    buckets: dict[Any, list[tuple[Any, State]]] = {}
    fresh = []
    for param in params:
        W = param._data
        state = state_of.get(param)
        if state is None:
            state = optimizer.init_state(W, group)
            fresh.append((param, state))
        if "step" in state:
            state["step"] += 1
        kind = _kind(W, state)
        large = W.size > _chunk(W.dtype, chunk_bytes)
        if kind is None or (large and not _contiguous_state(state)):
            optimizer.update(W, param._grad._data, state, group)  # the reference, whole
        elif large:
            _in_place_chunks(W, param._grad._data, state, group, update, chunk_bytes, aligned)
        else:
            buckets.setdefault(kind, []).append((param, state))
    for (dtype, scalars, keys), members in buckets.items():
        # one layout per bucket, kept from step to step (the step count is not in its key)
        names = tuple(k for k, _ in scalars)
        where = (id(group), dtype, keys, names, id(members[0][0]), chunk_bytes)
        layout = optimizer._layouts.get(where)
        if layout is None or not layout.describes(members):
            layout = optimizer._layouts[where] = Layout(members, chunk_bytes)
        layout.step(group, update)
    for param, state in fresh:
        if state:  # kept only if the rule keeps any state
            state_of[param] = state
    for param in params:
        param._vc[0] += 1


def aligned_empty(size: int, dtype: np.dtype) -> np.ndarray:
    """An uninitialised 1-D array whose data starts at an ``ALIGNMENT`` boundary."""
    itemsize = np.dtype(dtype).itemsize
    spare = np.empty(size + ALIGNMENT // itemsize, dtype=dtype)
    head = (-spare.ctypes.data % ALIGNMENT) // itemsize
    return spare[head : head + size]


def _chunk_starts(flat: np.ndarray, chunk_size: int, aligned: bool) -> list[int]:
    """Where the chunks of a large flat array start: every ``chunk_size`` elements, from its
    first ``ALIGNMENT`` boundary (after a short first chunk) when ``aligned``, so that a
    compiled kernel's vectors do not straddle cache lines (NumPy's large arrays start 16
    bytes past one). NumPy's own loops gain nothing from it, and the extra chunk costs a
    readable rule a call of each of its operations."""
    address = flat.ctypes.data
    head = (
        (-address % ALIGNMENT) // flat.itemsize if aligned and address % flat.itemsize == 0 else 0
    )
    return [0, *range(head or chunk_size, flat.size, chunk_size)]


def _kind(W: np.ndarray, state: State) -> tuple[object, ...] | None:
    """What parameters must share to be stepped together: dtype, the state's scalars (the
    step) and array keys; None when ``W`` cannot be sliced flat or a state array is not
    shaped like it."""
    if not W.flags.c_contiguous:
        return None
    keys, scalars = [], []
    for key, value in state.items():
        if type(value) is np.ndarray:
            if value.shape != W.shape:
                return None
            keys.append(key)
        else:
            scalars.append((key, value))
    try:
        hash(tuple(scalars))
    except TypeError:
        return None
    return W.dtype, tuple(scalars), tuple(keys)


def _contiguous_state(state: State) -> bool:
    """Whether every state array is contiguous (so that its flat view is not a copy)."""
    return all(v.flags.c_contiguous for v in state.values() if type(v) is np.ndarray)


def _in_place_chunks(
    W: np.ndarray,
    dW: np.ndarray,
    state: State,
    group: ParamGroup,
    update: Update,
    chunk_bytes: int,
    aligned: bool = False,
) -> None:
    """``update`` over one large parameter, chunk by chunk, on flat views of its arrays; with
    ``aligned``, the chunks after a short first one start at an ``ALIGNMENT`` boundary."""
    flat_W, flat_dW = W.reshape(-1), dW.reshape(-1)
    arrays = {k: v.reshape(-1) for k, v in state.items() if isinstance(v, np.ndarray)}
    scalars = {k: v for k, v in state.items() if not isinstance(v, np.ndarray)}
    created: dict[str, np.ndarray] = {}
    chunk: dict[str, Any] = {}
    starts = _chunk_starts(flat_W, _chunk(W.dtype, chunk_bytes), aligned)
    for lo, hi in zip(starts, [*starts[1:], flat_W.size], strict=True):
        views = {k: a[lo:hi] for k, a in arrays.items()}
        chunk = {**scalars, **views}
        update(flat_W[lo:hi], flat_dW[lo:hi], chunk, group)
        _keep_arrays(chunk, views, arrays, created, lo, hi, flat_W.size)
    state.update((k, v) for k, v in chunk.items() if not isinstance(v, np.ndarray))
    state.update((k, v.reshape(W.shape)) for k, v in created.items())


def _keep_arrays(
    chunk: dict[str, object],
    views: dict[str, np.ndarray],
    arrays: dict[str, np.ndarray],
    created: dict[str, np.ndarray],
    lo: int,
    hi: int,
    total: int,
) -> None:
    """Arrays a rule replaced or created in a chunk's state, copied into the full arrays
    (created ones into new arrays, handed to the states after the last chunk)."""
    for key, value in chunk.items():
        if not isinstance(value, np.ndarray) or value is views.get(key):
            continue
        target = arrays.get(key)
        if target is None:
            target = created.get(key)
            if target is None:
                target = created[key] = aligned_empty(total, value.dtype)
        target[lo:hi] = value


class Layout:
    """Small parameters of one kind stepped together: their state arrays as views into one
    flat buffer per key, and the chunks (consecutive parameters, up to CHUNK_BYTES)."""

    def __init__(self, members: list[tuple[Any, State]], chunk_bytes: int) -> None:
        self.params = [param for param, _ in members]
        self.arrays = [param._data for param in self.params]  # (storage never replaced)
        first_state = members[0][1]
        self.keys = [k for k, v in first_state.items() if isinstance(v, np.ndarray)]
        dtype = self.params[0]._data.dtype
        sizes = [param._data.size for param in self.params]
        self.offsets = np.concatenate([[0], np.cumsum(sizes)]).tolist()
        self.total = self.offsets[-1]
        self.states = [state for _, state in members]
        self.buffers: dict[str, np.ndarray] = {}
        self.views: dict[str, list[np.ndarray]] = {}
        for key in self.keys:
            flat = aligned_empty(self.total, self.states[0][key].dtype)
            np.concatenate([state[key] for state in self.states], axis=None, out=flat)
            self._adopt(key, flat)
        self.chunks: list[tuple[int, int, list[int]]] = []
        chunk_size = _chunk(dtype, chunk_bytes)
        start = 0
        indices: list[int] = []
        for index, size in enumerate(sizes):
            if indices and self.offsets[index] + size - start > chunk_size:
                self.chunks.append((start, self.offsets[index], indices))
                start, indices = self.offsets[index], []
            indices.append(index)
        self.chunks.append((start, self.total, indices))
        longest = max(hi - lo for lo, hi, _ in self.chunks)
        self.gathered_W = aligned_empty(longest, dtype)
        self.gathered_dW = aligned_empty(longest, dtype)
        self.scatter = [  # per chunk: (each parameter's flat view, its slice of the chunk)
            [
                (
                    self.arrays[i].reshape(-1),
                    self.gathered_W[self.offsets[i] - lo : self.offsets[i + 1] - lo],
                )
                for i in indices
            ]
            for lo, _, indices in self.chunks
        ]

    def _adopt(self, key: str, flat: np.ndarray) -> None:
        """Make ``flat`` the buffer of ``key``, each parameter's state array a view into it."""
        self.buffers[key] = flat
        self.views[key] = [
            flat[lo:hi].reshape(param._data.shape)
            for param, lo, hi in zip(self.params, self.offsets, self.offsets[1:], strict=False)
        ]
        for state, view in zip(self.states, self.views[key], strict=True):
            state[key] = view

    def describes(self, members: list[tuple[object, State]]) -> bool:
        """Whether these are still its parameters, their state arrays its views."""
        if len(members) != len(self.params):
            return False
        for index, (param, state) in enumerate(members):
            if (
                param is not self.params[index]
                or state is not self.states[index]
                or param._data is not self.arrays[index]
            ):
                return False
            for key in self.keys:
                if state.get(key) is not self.views[key][index]:
                    return False
        return True

    def step(self, group: ParamGroup, update: Update) -> None:
        """``update`` chunk by chunk: gathered, run, scattered back; new state arrays kept."""
        params, arrays = self.params, self.arrays
        scalars = {k: v for k, v in self.states[0].items() if not isinstance(v, np.ndarray)}
        created: dict[str, np.ndarray] = {}
        chunk: dict[str, Any] = {}
        for (lo, hi, indices), scatter in zip(self.chunks, self.scatter, strict=True):
            if len(indices) == 1:  # one parameter: its own arrays, no copies
                W, dW = scatter[0][0], params[indices[0]]._grad._data.reshape(-1)
            else:
                W, dW = self.gathered_W[: hi - lo], self.gathered_dW[: hi - lo]
                np.concatenate([arrays[i] for i in indices], axis=None, out=W)
                np.concatenate([params[i]._grad._data for i in indices], axis=None, out=dW)
            views = {k: self.buffers[k][lo:hi] for k in self.keys}
            chunk = {**scalars, **views}
            update(W, dW, chunk, group)
            if len(indices) > 1:
                for target, source in scatter:
                    np.copyto(target, source)
            _keep_arrays(chunk, views, self.buffers, created, lo, hi, self.total)
        new_scalars = {k: v for k, v in chunk.items() if not isinstance(v, np.ndarray)}
        for state in self.states:
            state.update(new_scalars)
        for key, flat in created.items():
            self.keys.append(key)
            self._adopt(key, flat)
