"""The house's floor plan, checked: Tensor is assembled from sibling parts (inheritance at
most three deep: Tensor, a part, the core), no method is defined in two parts, each part
calls the op rules of its own family only (``Tensor.f`` in ``nn/tensor/<family>.py``
exactly when its rule is in ``nn/rules/<family>.py``), and a Tensor hashes by identity
(as PyTorch's)."""

import ast
import importlib
import inspect
from pathlib import Path

import nn


def _depth(cls: type) -> int:
    parents = [b for b in cls.__bases__ if b is not object]
    return 1 + max((_depth(b) for b in parents), default=0)


def test_tensor_inherits_at_most_three_deep() -> None:
    assert _depth(nn.Tensor) <= 3


def test_no_method_is_defined_in_two_of_tensors_parts() -> None:
    owners: dict[str, list[str]] = {}
    for part in nn.Tensor.__mro__[1:-1]:
        for name, value in vars(part).items():
            if name in ("__doc__", "__module__", "__qualname__", "__slots__", "__firstlineno__"):
                continue
            if name.startswith("__static") or name == "__annotations__":
                continue
            if name == "__hash__" and value is None:  # (Python's, for a part defining __eq__)
                continue
            owners.setdefault(name, []).append(part.__name__)
    twice = {name: parts for name, parts in owners.items() if len(parts) > 1}
    assert not twice, twice


def test_a_tensor_hashes_by_identity() -> None:
    a, b = nn.ones(2), nn.ones(2)
    assert hash(a) != hash(b) and len({a, b, a}) == 2


def _rule_calls(path: Path) -> list[tuple[str, str]]:
    """(rule module, function) for each ``<module>.<function>`` in ``path`` that is an op
    rule: a function of ``nn.rules.<module>`` that returns a ``Rule`` (or several outputs);
    helpers that return other things (a ``Backward``, positions) are not rules."""
    tree = ast.parse(path.read_text())
    modules: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "rules" and node.level == 2:
            for alias in node.names:
                modules[alias.asname or alias.name] = alias.name
    calls = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            module = modules.get(node.value.id)
            if module is None:
                continue
            function = getattr(importlib.import_module(f"nn.rules.{module}"), node.attr, None)
            if inspect.isfunction(function):
                returned = function.__annotations__.get("return")
                if returned in ("Rule", "Several"):
                    calls.append((module, node.attr))
    return calls


def test_each_tensor_part_calls_the_rules_of_its_own_family() -> None:
    parts = Path(importlib.import_module("nn.tensor").__file__ or "").parent
    elsewhere = {}
    for path in sorted(parts.glob("*.py")):
        foreign = [f"{m}.{f}" for m, f in _rule_calls(path) if m != path.stem]
        if foreign:
            elsewhere[path.name] = sorted(set(foreign))
    assert not elsewhere, elsewhere
