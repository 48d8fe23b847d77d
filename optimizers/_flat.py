"""Run an update rule over all of a param group at once, in cache-sized chunks.

The group's parameters and their state arrays (Adam's v and s, momentum's velocity) are
moved into one contiguous buffer each: ``p.data`` and ``state[p][key]`` become views into
them, with their shapes, names and ``state_dict`` format unchanged. A step then walks the
flat range in chunks of ``CHUNK`` elements, gathering only the gradients of a chunk that
spans several parameters into a scratch buffer; every chunk is a handful of in-place
ufuncs, whatever the number of tensors, and each element is read from memory once. The
results are bit-identical to the per-parameter loop (every operation is elementwise).

Caveat, documented in docs/benchmarks.md: since ``p.data`` is re-pointed into the buffer
(at a group's first whole-group step), an array obtained from ``p.data`` before that no
longer follows the parameter; read ``p.data`` again. The layout is checked at every step
(same parameters, the same ``p.data`` and state arrays) and rebuilt, copying the current
values in, when anything changed: a ``load_state_dict``, a user assigning ``p.data``, a
dtype change. A group of one parameter keeps its own array.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

CHUNK = 1 << 16  # elements per chunk: 256 KiB of float32 per array, cache-sized (measured best)

Kernel = Callable[
    [np.ndarray, np.ndarray, dict[str, Any], dict[str, Any], tuple[np.ndarray, np.ndarray]], None
]


class FlatGroup:
    """A param group's state in flat buffers, and the chunk plan over them."""

    def __init__(
        self, params: Sequence[Any], states: Sequence[dict[str, Any]], keys: Sequence[str]
    ) -> None:
        self.params = list(params)
        self.keys = tuple(keys)
        dtype = params[0]._data.dtype
        shapes = [p._data.shape for p in params]
        sizes = [p._data.size for p in params]
        offsets = np.cumsum([0, *sizes])
        total = int(offsets[-1])
        self.buffers = {key: np.empty(total, dtype=dtype) for key in self.keys}
        self.views: dict[str, list[np.ndarray]] = {key: [] for key in self.keys}
        self.data: np.ndarray | None = np.empty(total, dtype=dtype) if len(params) > 1 else None
        self.data_views: list[np.ndarray] = []
        for i, (param, state, shape) in enumerate(zip(params, states, shapes, strict=True)):
            start, stop = offsets[i], offsets[i + 1]
            for key in self.keys:
                flat = self.buffers[key][start:stop]
                flat[...] = np.asarray(state[key], dtype=dtype).reshape(-1)
                state[key] = flat.reshape(shape)
                self.views[key].append(state[key])
            if self.data is not None:
                self.data[start:stop] = param._data.reshape(-1)
                param._data = self.data[start:stop].reshape(shape)
            self.data_views.append(param._data)
        self.shapes = shapes
        size = min(CHUNK, max(total, 1))
        work = (np.empty(size, dtype), np.empty(size, dtype))
        gather = np.empty(size, dtype)
        data = self.data if self.data is not None else params[0]._data.reshape(-1)
        self.plan = _plan(sizes)
        # Per chunk, made once: its parameter slice, pieces and gather buffer, its state
        # slices, its work arrays, and, when it holds only whole parameters, their indices
        # (their gradients are gathered in one call).
        self.chunks = [
            (data[start:stop], pieces, gather[: stop - start]) for start, stop, pieces in self.plan
        ]
        self.states = [
            {k: buf[start:stop] for k, buf in self.buffers.items()} for start, stop, _ in self.plan
        ]
        self.scratch = [
            (work[0][: stop - start], work[1][: stop - start]) for start, stop, _ in self.plan
        ]
        self.whole = [
            [i for i, _, _, _ in pieces]
            if all(lo == 0 and hi == sizes[i] for i, lo, hi, _ in pieces)
            else None
            for _, _, pieces in self.plan
        ]

    def ready(
        self, params: Sequence[Any], state_of: Any
    ) -> tuple[list[dict[str, Any]], Any] | None:
        """``(states, step)`` when this layout still describes ``params`` and their state and
        every parameter has a gradient of its shape and the same step count; None otherwise."""
        if len(params) != len(self.params):
            return None
        keys, views = self.keys, self.views
        states = []
        step = None
        for i, p in enumerate(params):
            grad = None if p._grad is None else p._grad._data
            if (
                p is not self.params[i]
                or p._data is not self.data_views[i]
                or getattr(grad, "shape", None) != self.shapes[i]  # also when grad is None
            ):
                return None  # (Optimizer.step then names a gradient of the wrong shape)
            state = state_of.get(p)
            if state is None:
                if keys:
                    return None
                state = state_of[p]
            for key in keys:
                if state.get(key) is not views[key][i]:
                    return None
            if i == 0:
                step = state.get("step")
            elif state.get("step") != step:
                return None
            states.append(state)
        return states, step

    def run(self, kernel: Kernel, group: dict[str, Any], scalars: dict[str, Any]) -> None:
        """Apply ``kernel(W, dW, state, group, scratch)`` chunk by chunk over the whole group."""
        params = self.params
        for (data, pieces, gather), state, scratch, whole in zip(
            self.chunks, self.states, self.scratch, self.whole, strict=True
        ):
            if scalars:
                state.update(scalars)
            if len(pieces) == 1:
                i, lo, hi, _ = pieces[0]
                dW = params[i]._grad._data.reshape(-1)[lo:hi]
            elif whole is not None:  # whole small parameters: one concatenate
                dW = np.concatenate([params[i]._grad._data for i in whole], axis=None, out=gather)
            else:
                dW = gather
                for i, lo, hi, at in pieces:
                    dW[at : at + hi - lo] = params[i]._grad._data.reshape(-1)[lo:hi]
            kernel(data, dW, state, group, scratch)
        for p in params:
            p._vc[0] += 1


def _plan(sizes: Sequence[int]) -> list[tuple[int, int, list[tuple[int, int, int, int]]]]:
    """Cut the concatenated parameters into chunks of at most CHUNK elements.

    Each chunk is (flat start, flat stop, pieces) and each piece (parameter index, start and
    stop inside that parameter, position inside the chunk).
    """
    chunks = []
    pieces: list[tuple[int, int, int, int]] = []
    chunk_start = position = 0
    for i, size in enumerate(sizes):
        lo = 0
        while lo < size:
            take = min(size - lo, CHUNK - (position - chunk_start))
            pieces.append((i, lo, lo + take, position - chunk_start))
            lo += take
            position += take
            if position - chunk_start == CHUNK:
                chunks.append((chunk_start, position, pieces))
                pieces, chunk_start = [], position
    if pieces:
        chunks.append((chunk_start, position, pieces))
    return chunks
