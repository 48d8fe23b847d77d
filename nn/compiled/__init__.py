"""``nn.compile``, PyTorch's ``torch.compile`` for descend: a module whose forward is recorded
once and replayed as plain NumPy calls.

On the first call with a given signature (``_key`` and ``_Guard``: the inputs' shapes, dtypes
and ``requires_grad``, the parameters and buffers, ``training``, grad mode) the module runs
eagerly while every call into ``nn/rules`` is recorded: which rule, on which arrays (an
input, a parameter or buffer, an earlier rule's result, or a number), and where each
result's gradient goes. Later calls replay the rules on the new arrays, with no Tensor,
node or engine walk inside, and the result is one node whose backward replays the rules'
backward functions in reverse. The numbers are the eager module's, bit for bit: the same
rules run on the same arrays in the same order. An in-place op on an op's result
(``h += x``, ``ReLU(inplace=True)``, ``mul_``) is replayed as the values it writes: from
there on the recording reads its rule's result where the eager forward reads the storage.

A recording is used only when it is proven: its forward and backward are compared, bit for
bit, with the eager module's on the first call's inputs and on shifted ones (an array the
recording would wrongly hold constant shows there). Anything it cannot replay makes that
module run eagerly, with one warning naming why (``fullgraph=True`` raises instead): a rule
not in ``REPLAYED``, an array made outside the rules (a cast, a constant Tensor), a value
read in Python (``.item()``, ``bool(t)``, ``.tolist()``, ``.numpy()``), a change to a
parameter, buffer or input other than a recorded write (``recording.WRITES``: BatchNorm's
running statistics), an in-place op other arrays would see (through a view, into shared
storage) or whose eager backward refuses (a saved value changed), a Python effect a replay
would not repeat (``effects.py``: an append, a store into an attribute, a dictionary or a
global, a ``print``, a draw from Python's generator), a hook, keyword arguments, an output
other than one Tensor.
"""

from __future__ import annotations

import functools
import warnings
from collections.abc import Callable
from itertools import chain
from operator import attrgetter, is_
from typing import Any

import numpy as np

from ..autograd import grad as autograd_grad
from ..autograd.grad_mode import _Mode
from ..autograd.graph import node_type
from ..modules.module import Module
from ..random import generator_state, set_generator_state
from ..rules import Fresh
from ..tensor import Tensor
from . import effects
from .recording import REPLAYED, Recorder, Recording, watching
from .replay import generated

__all__ = ["REPLAYED", "OptimizedModule", "compile"]

CompiledFunctionBackward = node_type("CompiledFunctionBackward")

CACHE_LIMIT = 8  # signatures recorded per module (torch._dynamo's recompile limit is 8)


def _key(args: tuple[object, ...]) -> tuple[object, ...]:
    """The call's part of a recording's signature: grad mode, and each input's shape, dtype
    and ``requires_grad`` (an ndarray's as a Tensor's; a number by its value; anything else
    by its type, and it is not recorded)."""
    parts: list[object] = [_Mode.enabled]
    for a in args:
        if isinstance(a, Tensor):
            parts.append((a._data.shape, a._data.dtype.str, a._rg))
        elif type(a) is np.ndarray:
            parts.append((a.shape, a.dtype.str, "array"))
        elif a is None or isinstance(a, int | float | str):
            parts.append((type(a), a))
        else:
            parts.append(type(a))
    return tuple(parts)


def _as_tensor(a: object) -> Tensor:
    """An input as a Tensor (an ndarray wrapped, not copied)."""
    return a if isinstance(a, Tensor) else Tensor._make(a)  # type: ignore[arg-type]


_MISSING = object()


class _Guard:
    """The module's part of a recording's signature, taken when it was recorded: every
    submodule's attributes (``training``, ``self.scale = 2.0``, its layers...), its
    parameter, buffer and child dictionaries and its hooks, all by identity (reassigning
    an attribute, even to an equal number, records again), and each parameter's and
    buffer's shape, dtype and ``requires_grad``. ``holds()`` checks them without walking
    the module tree, in C loops (``map``): the dictionaries' sizes, every value by
    identity in their order, no hook in a hook dictionary. A Python value read from
    elsewhere (a global) is recorded as it was."""

    def __init__(self, module: Module) -> None:
        modules = list(module.modules())
        self.stores = [store for m in modules for store in self._stores(m)]
        self.sizes = [len(store) for store in self.stores]
        self.values = [value for store in self.stores for value in store.values()]
        self.hook_stores = [
            hooks for m in modules for name in _HOOK_STORES
            if isinstance(hooks := m.__dict__.get(name), dict)
        ]  # fmt: skip
        self.hooked = any(self.hook_stores)
        self.state = [*module.parameters(), *module.buffers()]
        self.specs = self._specs()

    @staticmethod
    def _stores(m: Module) -> tuple[dict[str, object], ...]:
        return (m.__dict__, m._parameters, m._buffers, m._modules)  # type: ignore[return-value]

    def _specs(self) -> tuple[list[object], ...]:
        """Each parameter's and buffer's shape, dtype and ``requires_grad``."""
        arrays = list(map(_data_of, self.state))
        return (
            list(map(_shape_of, arrays)),
            list(map(_dtype_of, arrays)),
            list(map(_rg_of, self.state)),
        )

    def holds(self) -> bool:
        if list(map(len, self.stores)) != self.sizes or any(self.hook_stores):
            return False
        values = chain.from_iterable(map(dict.values, self.stores))
        return all(map(is_, values, self.values)) and self._specs() == self.specs


_HOOK_STORES = ("_forward_hooks", "_forward_pre_hooks")
_data_of, _rg_of = attrgetter("_data"), attrgetter("_rg")
_shape_of, _dtype_of = attrgetter("shape"), attrgetter("dtype")


Snapshot = tuple[object, int, np.ndarray]  # (a Tensor's array, its version, a copy)


def _snapshot(tensors: list[Tensor]) -> list[Snapshot]:
    return [(t._data, t._vc[0], t._data.copy()) for t in tensors]


def _unchanged(tensors: list[Tensor], before: list[Snapshot], written: set[int]) -> bool:
    """Whether every Tensor kept its array, and those no recorded step writes (``written``:
    positions) their values and version."""
    return all(
        t._data is data
        and (
            i in written or (t._vc[0] == version and np.array_equal(t._data, copy, equal_nan=True))
        )
        for i, (t, (data, version, copy)) in enumerate(zip(tensors, before, strict=True))
    )


def _detached(a: object) -> object:
    """A Tensor input as a new leaf of the same values (requiring grad as ``a``)."""
    if not isinstance(a, Tensor):
        return a
    leaf = Tensor._make(a._data)
    return leaf.requires_grad_(True) if a._rg else leaf


def _shifted(a: object) -> object:
    """A float input moved (x 0.75 + 0.125; a Tensor requiring grad as ``a``), to test that
    nothing the recording holds constant depends on it; other inputs as they are."""
    data = a._data if isinstance(a, Tensor) else a
    if not isinstance(data, np.ndarray) or data.dtype.kind != "f":
        return a
    if not isinstance(a, Tensor):
        return data * 0.75 + 0.125
    moved = Tensor._make(data * 0.75 + 0.125)
    return moved.requires_grad_(True) if a._rg else moved


def _same(a: object, b: object) -> bool:
    """Bit for bit (NaN in the same places), the same dtype and shape; or both None."""
    if a is None or b is None:
        return a is None and b is None
    x, y = np.asarray(a), np.asarray(b)
    return x.dtype == y.dtype and x.shape == y.shape and x.tobytes() == y.tobytes()


class OptimizedModule(Module):
    """What ``nn.compile(module)`` returns: the module (``_orig_mod``, as PyTorch's; its
    parameters, buffers and ``train``/``eval`` are shared), whose forward is recorded and
    replayed (see the module's docstring)."""

    def __init__(self, module: Module, fullgraph: bool = False) -> None:
        super().__init__()
        self._orig_mod = module
        self.__dict__["_fullgraph"] = fullgraph
        # (the call's signature -> (guard, Recording or why there is none) for each state of
        # the module recorded: training and eval, a replaced layer...)
        self.__dict__["_recordings"] = {}
        self.__dict__["_warned"] = False

    # (as PyTorch's: attributes are the original module's, read, written and deleted there)
    @property
    def training(self) -> bool:
        return bool(self._orig_mod.training)

    @training.setter
    def training(self, mode: bool) -> None:
        original = self.__dict__.get("_modules", {}).get("_orig_mod")
        if original is not None:  # (Module.__init__ sets it before there is one)
            original.training = mode

    def __getattr__(self, name: str) -> Any:
        try:
            return super().__getattr__(name)
        except AttributeError:
            original = self.__dict__.get("_modules", {}).get("_orig_mod")
            if original is None:  # (not yet built: a copy being made)
                raise
            return getattr(original, name)

    def __setattr__(self, name: str, value: object) -> None:
        if name == "_orig_mod" or hasattr(type(self), name):
            super().__setattr__(name, value)
        else:
            setattr(self._orig_mod, name, value)

    def __delattr__(self, name: str) -> None:
        if name == "_orig_mod" or hasattr(type(self), name):
            super().__delattr__(name)
        else:
            delattr(self._orig_mod, name)

    def __len__(self) -> int:
        if not hasattr(type(self._orig_mod), "__len__"):
            raise TypeError(f"{type(self._orig_mod).__name__} does not support len()")
        return len(self._orig_mod)

    def __dir__(self) -> list[str]:
        mine = list(super().__dir__())
        theirs = list(self._orig_mod.__dir__())
        return theirs + [name for name in mine if name not in theirs]

    def forward(self, *args: Any, **kwargs: Any) -> Any:
        if kwargs:
            return self._eager("keyword arguments are not recorded", args, kwargs)
        key = _key(args)
        recordings = self.__dict__["_recordings"]
        for guard, recording in recordings.get(key, ()):  # (train and eval: one each)
            if guard.holds():
                if isinstance(recording, str):
                    return self._eager(recording, args, {})
                return self._replay(recording, guard.state, args)
        if sum(map(len, recordings.values())) >= CACHE_LIMIT:
            return self._eager(f"{CACHE_LIMIT} signatures recorded already", args, {})
        return self._record(key, args)

    # (the first call: eager, recorded, proven)
    def _record(self, key: tuple[object, ...], args: tuple[object, ...]) -> object:
        module, recordings = self._orig_mod, self.__dict__["_recordings"]
        guard = _Guard(module)
        entries = recordings.setdefault(key, [])
        if guard.hooked:
            entries.append((guard, "a module has forward hooks (they run eagerly)"))
            return self._eager(entries[-1][1], args, {})
        if not all(isinstance(a, Tensor) or type(a) is np.ndarray for a in args):
            entries.append((guard, "inputs other than Tensors and arrays are not recorded"))
            return self._eager(entries[-1][1], args, {})
        state = guard.state
        everything = [*(_as_tensor(a) for a in args), *state]
        recorder = Recorder([t._data for t in everything])
        before = _snapshot(everything)
        with watching(recorder), effects.watched(recorder.breaks):
            out = module(*args)  # (eager: its result is this call's)
        reason = recorder.broken or self._unprovable(recorder, out, everything, before)
        if reason is None and recorder.written_in_place():
            reason = "an op's result is changed in place in the forward"
        if reason is None:
            after = [(rng, generator_state(rng)) for rng, _ in recorder.generators.values()]
            written = [everything[i] for i, _ in recorder.recording.bumps]
            kept = [(t._data.copy(), t._vc[0]) for t in written]
            try:
                reason = self._disproved(recorder, args, state, before)
            finally:  # (the generators and buffers continue as after the eager call alone)
                for rng, drawn in after:
                    set_generator_state(rng, drawn)
                for t, (values, version) in zip(written, kept, strict=True):
                    np.copyto(t._data, values)
                    t._vc[0] = version
        entries.append((guard, reason if reason is not None else recorder.recording))
        if reason is not None:
            self._warn(reason)
        return out

    def _unprovable(
        self, recorder: Recorder, out: object, tensors: list[Tensor], before: list[Snapshot]
    ) -> str | None:
        recording = recorder.recording
        written = {i for i, slot in enumerate(recording.inputs) if slot in recorder.written}
        if not _unchanged(tensors, before, written):
            return "the forward changes a parameter, a buffer or an input"
        recording.bumps = [(i, tensors[i]._vc[0] - before[i][1]) for i in sorted(written)]
        if not isinstance(out, Tensor):
            return "the output is not one Tensor"
        slot = recorder.slots.get(id(out._data))
        if slot is None:
            return "the output was made outside the recorded rules"
        recording.output = slot
        recording.forward, recording.backward = generated(recording)
        return None

    def _disproved(
        self,
        recorder: Recorder,
        args: tuple[object, ...],
        state: list[Tensor],
        before: list[Snapshot],
    ) -> str | None:
        """Why the recording is not the eager module's numbers, or None: compared on the
        inputs and on shifted ones (forward, and the gradients of a drawn upstream one),
        each run from the random state the eager call started from."""
        recording, rng = recorder.recording, np.random.default_rng(0)
        # (on inputs of their own: a backward through the caller's graph would reach its
        # Tensors' hooks and retained gradients)
        everything = [*(_as_tensor(a) for a in args), *state]
        written = [(everything[i]._data, before[i][2]) for i, _ in recording.bumps]

        def restart() -> None:  # (the random state and buffers the eager call started from)
            recorder.rewind()
            for array, start in written:
                np.copyto(array, start)

        for given in (tuple(_detached(a) for a in args), tuple(_shifted(a) for a in args)):
            restart()
            eager = self._orig_mod(*given)
            eager_writes = [array.copy() for array, _ in written]
            inputs = [_as_tensor(a) for a in given]
            restart()
            replayed, backwards = recording.forward(*[t._data for t in (*inputs, *state)])
            if not _same(replayed, eager._data):
                return "its replay differs from the eager forward"
            if not all(_same(a, b) for (a, _), b in zip(written, eager_writes, strict=True)):
                return "its replay writes other values into a buffer"
            wanted = [t for t in (*inputs, *state) if t._rg]
            if not (_Mode.enabled and eager._rg and wanted):
                continue
            seed = rng.standard_normal(eager._data.shape).astype(eager._data.dtype)
            try:
                theirs = autograd_grad(eager, wanted, Tensor._make(seed), retain_graph=True,
                                       allow_unused=True)  # fmt: skip
            except RuntimeError as error:  # (a saved value changed in place: eager refuses)
                return f"its eager backward raises ({str(error).split(':')[0]})"
            ours = recording.backward(seed, backwards)[0]
            mine = [g for g, t in zip(ours, (*inputs, *state), strict=True) if t._rg]
            for a, b in zip(mine, theirs, strict=True):
                if not _same(a, None if b is None else b._data):
                    return "its replayed gradients differ from the eager ones"
        return None

    # (later calls)
    def _replay(
        self, recording: Recording, state: list[Tensor], args: tuple[object, ...]
    ) -> Tensor:
        tensors = [*(_as_tensor(a) for a in args), *state]
        data, backwards = recording.forward(*[t._data for t in tensors])
        for i, versions in recording.bumps:  # (a buffer written in place, as eagerly)
            tensors[i]._vc[0] += versions
        if not _Mode.enabled:
            return Tensor._make(np.asarray(data))

        def backward(g: np.ndarray) -> tuple[object, ...]:
            grads, fresh = recording.backward(g, backwards)
            return Fresh(grads) if fresh else grads

        # (every input and parameter counts as read: changed in place before backward, it
        # is refused, as eager refuses it for those its ops read)
        return Tensor._record(np.asarray(data), tensors, backward, CompiledFunctionBackward,
                              tensors)  # fmt: skip

    def _eager(self, reason: str, args: tuple[object, ...], kwargs: dict[str, object]) -> Any:
        self._warn(reason)
        return self._orig_mod(*args, **kwargs)

    def _warn(self, reason: str) -> None:
        name = type(self._orig_mod).__name__
        if self.__dict__["_fullgraph"]:
            raise RuntimeError(
                f"nn.compile(fullgraph=True): {name}.forward cannot be recorded: {reason}"
            )
        if not self.__dict__["_warned"]:
            self.__dict__["_warned"] = True
            warnings.warn(
                f"nn.compile: {name}.forward runs eagerly ({reason})", UserWarning, stacklevel=4
            )


MODES = ("default", "lite", "reduce-overhead", "max-autotune-no-cudagraphs", "max-autotune")
BACKENDS = frozenset(
    {
        "inductor", "eager", "aot_eager", "aot_eager_decomp_partition",
        "aot_eager_default_partitioner", "aot_ts", "ts", "cudagraphs", "openxla",
        "openxla_eval", "tvm", "onnxrt", "eager_debug", "eager_noexcept", "pre_dispatch_eager",
    }
)  # fmt: skip
"""The backend names ``torch.compile`` accepts (``torch._dynamo.list_backends``, and its
debugging ones): each runs descend's one backend."""


def _check_options(
    model: object, dynamic: object, backend: object, mode: str | None, options: object
) -> None:
    """Refuse what ``torch.compile`` refuses, with its exceptions."""
    if model is not None and not callable(model):
        raise AssertionError(f"A callable function is expected, but {type(model)} is provided.")
    if mode is not None and options is not None:
        raise RuntimeError(
            "Either mode or options can be specified, but both can't be specified at the same time."
        )
    if mode is not None and mode not in MODES:
        raise RuntimeError(f"Unrecognized mode={mode}, should be one of: {', '.join(MODES)}")
    if dynamic is not None and not isinstance(dynamic, bool):
        raise AssertionError(f"Expected enable to be a bool, got {type(dynamic)}")
    if callable(backend):
        raise NotImplementedError(
            "nn.compile: a backend of your own (a function PyTorch calls with an FX "
            "GraphModule) is not supported: descend has one backend, which replays NumPy "
            "calls; pass a backend name or leave the default"
        )
    if backend not in BACKENDS:
        raise RuntimeError(
            f"Invalid backend: {backend!r}, see `torch._dynamo.list_backends()` for "
            "available backends."
        )


def compile(
    model: object = None,
    *,
    fullgraph: bool = False,
    dynamic: bool | None = None,
    backend: str | Callable[..., object] = "inductor",
    mode: str | None = None,
    options: dict[str, object] | None = None,
    disable: bool = False,
) -> Any:
    """``torch.compile``: a module that records its forward once per signature and replays
    it as NumPy calls (see ``nn/compiled.py``), the eager module's numbers bit for bit.

    ``fullgraph=True`` raises where the module would run eagerly. ``dynamic``, ``mode``,
    ``options`` and a backend's name are checked as PyTorch checks them and change nothing
    (descend has one backend, and records each shape on its own, as ``dynamic=False``); a
    backend function of your own raises ``NotImplementedError``. ``disable=True`` returns
    ``model`` itself. A function (``torch.compile(opt.step)``) runs eagerly: only modules are
    recorded. Without ``model``, a decorator.

    Examples
    --------
    >>> import nn
    >>> net = nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 1))
    >>> fast = nn.compile(net)
    >>> x = nn.randn(8, 3)
    >>> bool((fast(x) == net(x)).all()), bool((fast(x) == net(x)).all())  # recorded, replayed
    (True, True)
    """
    _check_options(model, dynamic, backend, mode, options)
    if model is None:
        return functools.partial(
            compile, fullgraph=fullgraph, dynamic=dynamic, backend=backend, mode=mode,
            options=options, disable=disable,
        )  # fmt: skip
    if disable:
        return model
    if isinstance(model, Module):
        return OptimizedModule(model, fullgraph)
    return model
