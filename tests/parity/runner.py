"""Run one op on one sample in one framework, and compare the two frameworks' outcomes.

An ``Outcome`` records what a user can observe: the error raised (its builtin type), each
output's values, dtype and shape and whether it shares storage with an input (a view or a
copy), the inputs' values afterwards and whether their version counters moved (in-place
effects), the leaves' gradients after a weighted backward (or the error backward raised),
and whether backward refuses once an input, or an output, was changed in place after the
call (which values the op saved).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from tests.parity.samples import Arg, Ints, Sample


@dataclass
class Output:
    values: Any  # an ndarray, or a plain Python value (item(), tolist(), a bool)
    dtype: str | None = None
    shape: tuple[int, ...] | None = None
    shares: bool | None = None  # shares storage with an input (None for an empty output)
    strides: tuple[int | None, ...] | None = None  # (None for an empty output)


@dataclass
class Outcome:
    error: str | None = None
    outputs: list[Output] = field(default_factory=list)
    inputs_after: list[np.ndarray] = field(default_factory=list)
    bumped: list[bool] = field(default_factory=list)
    grads: Any = None  # list of arrays (None for a leaf without grad), or an error name
    stale_inputs: str | None = None  # backward after changing the inputs in place
    stale_outputs: str | None = None  # backward after changing the outputs in place
    again: str | None = None  # a second backward without retain_graph (which nodes saved)


class Framework:
    def __init__(self, name: str) -> None:
        self.name = name
        if name == "torch":
            import torch
            import torch.nn.functional as F

            self.T, self.F, self.Tensor = torch, F, torch.Tensor
        else:
            import nn
            import nn.functional as F

            self.T, self.F, self.Tensor = nn, F, nn.Tensor

    def dtype_name(self, t: Any) -> str:
        return str(t.dtype).replace("torch.", "")

    def array(self, t: Any) -> np.ndarray:
        return np.array(t.detach().numpy(force=True), copy=True)

    def shares(self, a: Any, b: Any) -> bool:
        if self.name == "torch":
            return bool(a.untyped_storage().data_ptr() == b.untyped_storage().data_ptr())
        return bool(np.may_share_memory(a._data, b._data))


def builtin(error: BaseException) -> str:
    """The first builtin type of an exception (PyTorch's own types derive from them);
    ``NotImplementedError`` counts as the ``RuntimeError`` it is (``except RuntimeError``
    catches both, and PyTorch raises either for a dtype a kernel lacks)."""
    name = next(c for c in type(error).__mro__ if c.__module__ == "builtins").__name__
    return "RuntimeError" if name == "NotImplementedError" else name


def _build(fw: Framework, value: Any, leaves: list[Any], tensors: list[Any]) -> Any:
    if isinstance(value, Arg):
        leaf, tensor = value.build(fw.T)
        leaves.append(leaf)
        tensors.append(tensor)
        return tensor
    if isinstance(value, Ints):
        tensor = value.build(fw.T)
        tensors.append(tensor)
        return tensor
    if isinstance(value, list | tuple):
        return type(value)(_build(fw, v, leaves, tensors) for v in value)
    if isinstance(value, str) and value.startswith("dtype:"):
        return getattr(fw.T, value[6:])
    return value


def _flat(fw: Framework, result: Any) -> list[Any]:
    if isinstance(result, fw.Tensor):
        return [result]
    if isinstance(result, list | tuple):
        return [item for value in result for item in _flat(fw, value)]
    return [result]


def execute(fw: Framework, call: Any, sample: Sample, seed: int, check_stale: bool) -> Outcome:
    """``call(T, F, *args, **kwargs)`` on ``sample`` in ``fw``; see ``Outcome``."""
    leaves: list[Any] = []
    tensors: list[Any] = []
    args = _build(fw, sample.args, leaves, tensors)
    kwargs = {k: _build(fw, v, leaves, tensors) for k, v in sample.kwargs.items()}
    versions = [t._version for t in tensors]
    outcome = Outcome()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            result = call(fw.T, fw.F, *args, **kwargs)
    except Exception as error:
        outcome.error = builtin(error)
        return outcome
    outputs = _flat(fw, result)
    for out in outputs:
        if isinstance(out, fw.Tensor):
            empty = out.numel() == 0 or not tensors
            shares = None if empty else any(t.numel() and fw.shares(out, t) for t in tensors)
            # (strides of dimensions of size 1 say nothing; PyTorch's and NumPy's differ)
            strides = None if out.numel() == 0 else _strides(out)
            outcome.outputs.append(
                Output(fw.array(out), fw.dtype_name(out), tuple(out.shape), shares, strides)
            )
        else:
            outcome.outputs.append(Output(_plain(out)))
    outcome.inputs_after = [fw.array(t) for t in tensors]
    outcome.bumped = [t._version != v for t, v in zip(tensors, versions, strict=True)]
    outcome.grads = _grads(fw, outputs, leaves, seed)
    if check_stale and any(leaf.requires_grad for leaf in leaves):
        for change in ("inputs", "outputs"):
            try:
                stale = _stale(fw, call, sample, seed, change)
            except Exception as error:  # (the loss itself failed: an integer output)
                stale = f"before backward: {builtin(error)}"
            setattr(outcome, f"stale_{change}", stale)
        outcome.again = _again(fw, call, sample, seed)
    return outcome


def _strides(t: Any) -> tuple[int | None, ...]:
    return tuple(None if n == 1 else s for n, s in zip(t.shape, t.stride(), strict=True))


def _plain(value: Any) -> Any:
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _loss(fw: Framework, outputs: list[Any], seed: int) -> Any:
    """sum(out * w) over the float outputs that require grad (fixed weights), or None."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return _weighted_sum(fw, outputs, seed)


def _weighted_sum(fw: Framework, outputs: list[Any], seed: int) -> Any:
    rng = np.random.default_rng(seed)
    total = None
    for out in outputs:
        if isinstance(out, fw.Tensor) and out.requires_grad:
            weights = rng.uniform(-2, 2, tuple(out.shape))
            term = (out * fw.T.tensor(weights, dtype=out.dtype)).sum()
            total = term if total is None else total + term
    return total


def _grads(fw: Framework, outputs: list[Any], leaves: list[Any], seed: int) -> Any:
    try:
        loss = _loss(fw, outputs, seed)
        if loss is None:
            return None
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            loss.backward()
    except Exception as error:
        return builtin(error)
    with warnings.catch_warnings():  # (a leaf an in-place op made a non-leaf warns)
        warnings.simplefilter("ignore")
        return [None if leaf.grad is None else fw.array(leaf.grad) for leaf in leaves]


def _stale(fw: Framework, call: Any, sample: Sample, seed: int, change: str) -> str | None:
    """Backward after an in-place change (under no_grad) of the inputs or of the outputs:
    the error it raises (PyTorch refuses exactly where a saved value changed), or None."""
    leaves: list[Any] = []
    tensors: list[Any] = []
    args = _build(fw, sample.args, leaves, tensors)
    kwargs = {k: _build(fw, v, leaves, tensors) for k, v in sample.kwargs.items()}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        outputs = _flat(fw, call(fw.T, fw.F, *args, **kwargs))
        loss = _loss(fw, outputs, seed)
        if loss is None:
            return None
        changed = tensors if change == "inputs" else outputs
        with fw.T.no_grad():
            for t in changed:  # (a copy of its own values: only the version moves)
                if isinstance(t, fw.Tensor) and t.numel():
                    try:
                        t.copy_(t.clone())
                    except RuntimeError:  # an expanded Tensor cannot be written
                        continue
        try:
            loss.backward()
        except Exception as error:
            return builtin(error)
    return None


def _again(fw: Framework, call: Any, sample: Sample, seed: int) -> str | None:
    """Backward from the outputs themselves (weights as ``gradient``, so that no node of the
    loss saves anything) twice without ``retain_graph``: the error the second raises (PyTorch
    refuses exactly where a node saved a value), or None."""
    leaves: list[Any] = []
    tensors: list[Any] = []
    args = _build(fw, sample.args, leaves, tensors)
    kwargs = {k: _build(fw, v, leaves, tensors) for k, v in sample.kwargs.items()}
    rng = np.random.default_rng(seed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            outputs = [
                out
                for out in _flat(fw, call(fw.T, fw.F, *args, **kwargs))
                if isinstance(out, fw.Tensor) and out.requires_grad
            ]
            if not outputs:
                return None
            weights = [  # (contiguous: PyTorch builds an empty one from NumPy with odd strides)
                fw.T.tensor(rng.uniform(-2, 2, tuple(o.shape)), dtype=o.dtype).contiguous()
                if o.numel()
                else fw.T.zeros(tuple(o.shape), dtype=o.dtype)
                for o in outputs
            ]
            fw.T.autograd.backward(outputs, weights)
        except Exception as error:
            return f"first backward: {builtin(error)}"
        try:
            fw.T.autograd.backward(outputs, weights)
        except Exception as error:
            return builtin(error)
    return None


def compare(ours: Outcome, theirs: Outcome, rtol: float, grad_rtol: float) -> list[str]:
    """What differs (empty when nothing does)."""
    if ours.error != theirs.error:
        return [f"error: descend {ours.error}, PyTorch {theirs.error}"]
    if theirs.error:
        return []
    problems: list[str] = []
    if len(ours.outputs) != len(theirs.outputs):
        return [f"{len(ours.outputs)} outputs, PyTorch {len(theirs.outputs)}"]
    for number, (a, b) in enumerate(zip(ours.outputs, theirs.outputs, strict=True)):
        where = f"output {number}"
        if (a.dtype, a.shape) != (b.dtype, b.shape):
            problems.append(f"{where}: {a.dtype}{a.shape}, PyTorch {b.dtype}{b.shape}")
            continue
        if not _close(a.values, b.values, rtol):
            problems.append(f"{where}: values {_short(a.values)}, PyTorch {_short(b.values)}")
        if a.shares is not None and b.shares is not None and a.shares != b.shares:
            kind = {True: "a view", False: "a copy"}
            problems.append(f"{where}: {kind[a.shares]}, PyTorch {kind[b.shares]}")
        if a.shares and b.shares and a.strides != b.strides:  # (a view's layout; decisions.md)
            problems.append(f"{where}: strides {a.strides}, PyTorch {b.strides}")
    for number, (a, b) in enumerate(zip(ours.inputs_after, theirs.inputs_after, strict=True)):
        if not _close(a, b, rtol):
            problems.append(f"input {number} after: {_short(a)}, PyTorch {_short(b)}")
    if ours.bumped != theirs.bumped:
        problems.append(f"version counters moved {ours.bumped}, PyTorch {theirs.bumped}")
    problems += _compare_grads(ours.grads, theirs.grads, grad_rtol)
    if ours.again != theirs.again:
        problems.append(f"a second backward: {ours.again}, PyTorch {theirs.again}")
    for what in ("stale_inputs", "stale_outputs"):
        a, b = getattr(ours, what), getattr(theirs, what)
        if a != b:
            problems.append(f"backward after changing the {what[6:]} in place: {a}, PyTorch {b}")
    return problems


def _compare_grads(ours: Any, theirs: Any, rtol: float) -> list[str]:
    """Gradients: float32 ones are sums whose terms may cancel, and the two frameworks sum
    in other orders: 1e-4 relative to the largest element there; and 1e-6 absolute in
    float32, 1e-12 in float64 (a gradient that is 0 in exact arithmetic, as a
    normalisation's often is, comes out as rounding noise of either sign)."""
    if isinstance(ours, str) or isinstance(theirs, str) or ours is None or theirs is None:
        return [] if ours == theirs else [f"gradients: {ours!r:.60}, PyTorch {theirs!r:.60}"]
    problems = []
    for number, (a, b) in enumerate(zip(ours, theirs, strict=True)):
        if (a is None) != (b is None):
            problems.append(f"gradient of leaf {number}: {a is None=}, PyTorch {b is None=}")
        elif a is not None and not _close_grad(a, b, rtol):
            problems.append(f"gradient of leaf {number}: {_short(a)}, PyTorch {_short(b)}")
    return problems


def _close_grad(a: np.ndarray, b: np.ndarray, rtol: float) -> bool:
    if a.dtype.kind != "f" or a.dtype != b.dtype or a.shape != b.shape:
        return _close(a, b, rtol)
    single = a.dtype == np.float32
    floor = 1e-6 if single else 1e-12
    with np.errstate(invalid="ignore"):
        near = bool(np.allclose(a, b, rtol=0, atol=floor, equal_nan=True))
    return _close(a, b, max(rtol, 1e-4) if single else rtol) or near


def _close(a: Any, b: Any, rtol: float) -> bool:
    if not isinstance(a, np.ndarray) or not isinstance(b, np.ndarray):
        if isinstance(a, float) and isinstance(b, float):
            return bool(np.isclose(a, b, rtol=rtol, atol=0, equal_nan=True))
        return bool(a == b) or (a != a and b != b)  # (NaN == NaN)
    if a.shape != b.shape or a.dtype != b.dtype:
        return False
    if a.dtype.kind not in "fc" or rtol == 0:
        return bool(np.array_equal(a, b, equal_nan=a.dtype.kind in "fc"))
    scale = np.max(np.abs(b[np.isfinite(b)]), initial=0.0)
    with np.errstate(invalid="ignore"):  # (inf - inf where both are inf)
        return bool(np.allclose(a, b, rtol=rtol, atol=rtol * scale, equal_nan=True))


def _short(value: Any) -> str:
    text = np.array2string(value, threshold=12) if isinstance(value, np.ndarray) else repr(value)
    return text if len(text) < 200 else text[:200] + "..."
