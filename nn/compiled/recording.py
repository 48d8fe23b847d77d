"""Recording a module's forward for ``nn.compile``: while it runs eagerly, every call into
``nn/rules`` becomes a ``Step`` (which rule, on which arrays: an input, a parameter or
buffer, an earlier rule's result, or a number), each op's ``_record`` says where its
gradients go, and anything a replay could not reproduce is noted as the reason the forward
runs eagerly (``Recorder.broken``); the forward itself always runs on, unchanged."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any, TypeVar, cast

import numpy as np

from .. import rules as rules_package
from ..random import Rng, generator_state, resolve_generator, set_generator_state
from ..tensor import Tensor, in_place
from ..tensor.core import TensorCore
from ..types import GeneratorLike

T = TypeVar("T")
Replayed = Callable[..., tuple[Any, Any]]
"""A generated function (``replay.generated``): (its result, what the backward needs)."""

WRITES = frozenset({"layer.update_running"})
"""The rules of ``REPLAYED`` that write into their arguments (BatchNorm's running
statistics): recorded as steps, and their effect on the buffers proven too."""

REPLAYED = frozenset(
    {
        "layer.linear",
        "elementwise.relu",
        "elementwise.sigmoid",
        "elementwise.tanh",
        "elementwise.exp",
        "elementwise.log",
        "arithmetic.add",
        "arithmetic.sub",
        "arithmetic.mul",
        "arithmetic.div",
        "arithmetic.neg",
        "linalg.matmul",
        "linalg.softmax",
        "linalg.log_softmax",
        "shape.reshape",
        "shape.permute",
        "shape.expand",
        "arithmetic.pow_scalar",
        "elementwise.sqrt",
        "elementwise.abs",
        "elementwise.clamp",
        "reduction.sum",
        "reduction.mean",
        "elementwise.leaky_relu",
        "activation.gelu",
        "activation.gelu_tanh",
        "activation.silu",
        "activation.softplus",
        "activation.elu",
        "layer.layer_norm",
        "layer.batch_norm",
        "layer.dropout",
        "layer.batch_statistics",
        "layer.update_running",
        "random.draw_bernoulli",
        "conv.conv2d",
        "conv.max_pool2d",
        "conv.avg_pool2d",
        "conv.pool_divisor",
        "conv.adaptive_avg_pool2d",
        "embedding.embedding",
        "shape.cat",
        "shape.cat_of",
        "shape.stack",
        "indexing.getitem",
    }
)
"""The rules a recording replays (``<file of nn/rules>.<function>``); any other makes the
module run eagerly. Each is pure (a function of its arrays and numbers) and its Tensor
method decides nothing on values."""


class _Broken(Exception):
    """Raised inside the recorder's checks; caught there, so the forward runs on."""


class Slots(list[int]):
    """A rule's argument that is a list of recorded arrays (``cat``'s, ``stack``'s)."""


@dataclass
class Step:
    """One recorded rule call: ``rule(*args, **kwargs)``, each argument an ``int`` slot
    (an array) when in ``array_args``, else the value itself."""

    name: str
    rule: Callable[..., object]
    args: list[object]
    kwargs: dict[str, object]
    array_args: set[int | str]
    out: int
    is_rule: bool = True  # (out, backward), else an array alone
    extra: int = 0  # what a rule returns between its out and its backward (max_pool2d's)
    grad_to: list[int | None] | None = None  # slots the backward's gradients go to
    outs: list[int] | None = None  # several arrays (out is the first), or none: a write


@dataclass
class Recording:
    steps: list[Step] = field(default_factory=list)
    inputs: list[int] = field(default_factory=list)  # slot of each input, then each parameter
    output: int = -1
    bumps: list[tuple[int, int]] = field(default_factory=list)  # (input, versions written)
    forward: Replayed = field(default=lambda *a: (None, ()), repr=False)  # (generated)
    backward: Replayed = field(default=lambda *a: ((), True), repr=False)


class Recorder:
    """Watches the rules and ``_record`` while the eager forward runs."""

    def __init__(self, arrays: list[np.ndarray]) -> None:
        self.slots: dict[int, int] = {}  # id(array) -> slot
        self.held: list[object] = []  # (keeps the ids unique while recording)
        self.recording = Recording()
        for array in arrays:
            self.recording.inputs.append(self.slot_of_new(array))
        self.depth = 0
        self.by_backward: dict[int, Step] = {}
        self.broken: str | None = None  # why this forward cannot be replayed (it runs on)
        self.written: set[int] = set()  # slots a recorded step writes into
        self.generators: dict[int, tuple[Rng, dict[str, object]]] = {}  # state before each's draw
        self.versions: list[list[int]] = []  # each op output's version counter (made at 0)
        self.rewrites: dict[int, int] = {}  # id of a version counter -> in-place ops replayed

    def drawing(self, generator: GeneratorLike | None) -> None:
        """Before a random draw: keep the state of the generator it comes from (the proof
        rewinds it, so that the replay draws what the eager forward drew)."""
        rng = resolve_generator(generator)
        if id(rng) not in self.generators and not isinstance(generator, int):
            self.generators[id(rng)] = (rng, generator_state(rng))

    def rewind(self) -> None:
        for rng, state in self.generators.values():
            set_generator_state(rng, state)

    def written_in_place(self) -> bool:
        """Whether an op's output (or a view of it) was changed in place other than by the
        in-place ops the replay reproduces (``rewrote``)."""
        return any(version[0] != self.rewrites.get(id(version), 0) for version in self.versions)

    def copied(self, data: np.ndarray, copy: np.ndarray) -> None:
        """An in-place op kept ``data``'s values before changing them: the copy stands for
        them (the same slot)."""
        slot = self.slots.get(id(data))
        if slot is not None:
            self.slots[id(copy)] = slot
            self.held.append(copy)

    def rewrote(self, t: TensorCore, values: np.ndarray) -> None:
        """An in-place op wrote ``values`` (a rule's result) into ``t``'s storage: the replay
        computes values and writes nothing, so from here on ``t``'s array stands for the
        slot of ``values``. Refused (the forward runs eagerly) where other arrays would see
        the write: a view, a storage shared with another recorded array, an input, a
        parameter or a buffer."""
        if self.broken or self.depth:
            return
        data = t._data
        slot, new = self.slots.get(id(data)), self.slots.get(id(values))
        if slot is None or new is None:
            return self.breaks("an in-place op writes values made outside the recorded rules")
        if slot in self.recording.inputs:
            return self.breaks("the forward changes a parameter, a buffer or an input")
        if (
            t._view is not None
            or values.dtype != data.dtype
            or any(
                isinstance(a, np.ndarray) and a is not data and np.may_share_memory(a, data)
                for a in self.held
            )
        ):
            return self.breaks("an in-place op writes into storage other arrays share")
        self.slots[id(data)] = new
        self.rewrites[id(t._vc)] = self.rewrites.get(id(t._vc), 0) + 1

    def breaks(self, reason: str) -> None:
        if self.broken is None:
            self.broken = reason

    def slot_of_new(self, array: object) -> int:
        slot = len(self.held)
        self.slots[id(array)] = slot
        self.held.append(array)
        return slot

    def argument(self, value: object, where: str) -> tuple[object, bool]:
        """(slot, True) for a known array, (value, False) for a number or a setting."""
        if isinstance(value, np.ndarray | np.generic):
            slot = self.slots.get(id(value))
            if slot is not None:
                return slot, True
            if isinstance(value, np.generic) or value.ndim == 0:
                return value, False  # a number lifted to an array (shifted inputs test it)
            raise _Broken(f"{where} reads an array made outside the recorded rules")
        if isinstance(value, list | tuple) and any(isinstance(v, np.ndarray) for v in value):
            slots = [self.slots.get(id(v)) if isinstance(v, np.ndarray) else None for v in value]
            if None in slots or not isinstance(value, list):
                raise _Broken(f"{where} takes a sequence of arrays made outside the rules")
            return Slots(cast("list[int]", slots)), True  # (cat's and stack's arrays)
        return value, False

    def call(
        self,
        name: str,
        rule: Callable[..., object],
        args: tuple[object, ...],
        kwargs: dict[str, object],
    ) -> Any:
        if self.depth or self.broken:  # (a rule inside a rule: part of the outer one)
            return rule(*args, **kwargs)
        self.depth += 1
        try:
            result = rule(*args, **kwargs)
        finally:
            self.depth -= 1
        try:
            self._add(name, rule, args, kwargs, result)
        except _Broken as reason:
            self.breaks(str(reason))
        return result

    def _add(
        self, name: str, rule: Callable[..., Any], args: tuple[object, ...],
        kwargs: dict[str, object], result: Any,
    ) -> None:  # fmt: skip
        arrays_in = [v for v in (*args, *kwargs.values()) if isinstance(v, np.ndarray)]
        is_rule = (  # (out, backward), or max_pool2d's (out, indices, backward)
            isinstance(result, tuple) and len(result) in (2, 3) and callable(result[-1])
        )
        several = isinstance(result, tuple) and all(isinstance(r, np.ndarray) for r in result)
        writes = result is None and name in WRITES
        if not (is_rule or several or writes) and not isinstance(result, np.ndarray):
            if arrays_in:
                raise _Broken(f"rules.{name} decides on values in Python")
            return
        if name not in REPLAYED:
            raise _Broken(f"rules.{name} is not replayed by nn.compile yet")
        step = Step(name, rule, [], {}, set(), -1, is_rule, extra=len(result) - 2 if is_rule else 0)
        for i, value in enumerate(args):
            v, is_slot = self.argument(value, f"rules.{name}")
            step.args.append(v)
            if is_slot:
                step.array_args.add(i)
        for key, value in kwargs.items():
            v, is_slot = self.argument(value, f"rules.{name}")
            step.kwargs[key] = v
            if is_slot:
                step.array_args.add(key)
        if writes:  # (into its array arguments, in place: a replay writes them again)
            step.outs = []
            slots = [v for i, v in enumerate(step.args) if i in step.array_args]
            self.written.update(cast("list[int]", slots))
        elif several and not is_rule:
            step.outs = [self.slot_of_new(r) for r in result]
            step.out = step.outs[0]
        else:
            step.out = self.slot_of_new(result[0] if is_rule else result)
        if is_rule:
            self.by_backward[id(result[-1])] = step
            self.held.append(result[-1])
        self.recording.steps.append(step)

    def recorded(
        self, data: object, inputs: Sequence[TensorCore], backward: object, out: TensorCore
    ) -> None:
        """An op's ``_record``: where its gradients go."""
        if self.broken:
            return
        step = self.by_backward.get(id(backward))
        if step is None or self.held[step.out] is not data:
            return self.breaks("an op's gradient is not one recorded rule's")
        targets: list[int | None] = []
        for t in inputs:
            if not t._rg and t._node is None:  # (a number, a detached Tensor: no gradient)
                targets.append(None)
                continue
            slot = self.slots.get(id(t._data))
            if slot is None:
                return self.breaks("an op's input was made outside the recorded rules")
            targets.append(slot)
        step.grad_to = targets
        if out._data is not data:  # (a NumPy scalar wrapped as a 0-d array)
            self.slots[id(out._data)] = step.out
            self.held.append(out._data)


def _rule_modules() -> list[ModuleType]:
    return [
        importlib.import_module(f"{rules_package.__name__}.{info.name}")
        for info in pkgutil.iter_modules(rules_package.__path__)
        if not info.name.startswith("_")
    ]


def _breaking(recorder: Recorder, name: str, method: Callable[..., T]) -> Callable[..., T]:
    """``method``, noting that the forward read a value in Python (or hooked a Tensor)."""

    def noted(*args: object, **kwargs: object) -> T:
        recorder.breaks(f"Tensor.{name} is called in the forward")
        return method(*args, **kwargs)

    return noted


_DRAWING = [importlib.import_module("nn.functional.dropout")]
_READS = ("item", "tolist", "numpy", "__bool__", "__float__", "__int__", "__index__")
_HOOKS = ("register_hook", "retain_grad")


@contextmanager
def watching(recorder: Recorder) -> Iterator[None]:
    """The rules, ``_record`` and the value-reading methods, watched by ``recorder``."""
    patched: list[tuple[object, str, object]] = []
    absent = object()

    def patch(owner: object, name: str, value: object) -> None:
        patched.append((owner, name, vars(owner).get(name, absent)))  # (raw: a staticmethod)
        setattr(owner, name, value)

    try:
        for module in _rule_modules():
            family = module.__name__.rsplit(".", 1)[1]
            for name, function in list(vars(module).items()):
                if inspect.isfunction(function) and function.__module__ == module.__name__:

                    def watched(
                        *a: object,
                        _n: str = f"{family}.{name}",
                        _f: Callable[..., object] = function,
                        **k: object,
                    ) -> object:
                        return recorder.call(_n, _f, a, k)

                    patch(module, name, watched)
        original_record = TensorCore.__dict__["_record"].__func__

        def record(
            data: np.ndarray, inputs: Sequence[TensorCore], backward: object, *rest: object,
            **more: object,
        ) -> TensorCore:  # fmt: skip
            out: TensorCore = original_record(data, inputs, backward, *rest, **more)
            recorder.versions.append(out._vc)
            recorder.recorded(data, inputs, backward, out)
            return out

        patch(TensorCore, "_record", staticmethod(record))
        original_copy, original_write = in_place.values_before, in_place.write

        def values_before(data: np.ndarray) -> np.ndarray:
            copy = original_copy(data)
            recorder.copied(data, copy)
            return copy

        def write(t: TensorCore, values: np.ndarray) -> None:
            original_write(t, values)
            recorder.rewrote(t, values)

        patch(in_place, "values_before", values_before)
        patch(in_place, "write", write)
        for name in (*_READS, *_HOOKS):
            patch(Tensor, name, _breaking(recorder, name, getattr(Tensor, name)))
        for module in _DRAWING:  # (the functions that draw random numbers in a forward)
            draw = vars(module)["draw_bernoulli"]

            def drawn(
                generator: GeneratorLike | None, *a: object, _f: Callable[..., object] = draw,
                **k: object,
            ) -> object:  # fmt: skip
                recorder.drawing(generator)
                return recorder.call("random.draw_bernoulli", _f, (generator, *a), k)

            patch(module, "draw_bernoulli", drawn)
        yield
    finally:
        for owner, name, value in reversed(patched):
            if value is absent:
                delattr(owner, name)  # (inherited: found in a parent again)
            else:
                setattr(owner, name, value)
