"""The house's floor plan, checked: Tensor is assembled from sibling parts (inheritance at
most three deep: Tensor, a part, the core), no method is defined in two parts, and a
Tensor hashes by identity (as PyTorch's)."""

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
