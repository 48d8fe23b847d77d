"""The einsum rule: forward with NumPy's ``einsum``, backward as einsums too.

For out = einsum("A,B,...->O", a, b, ...), the gradient of operand a is the einsum of the
output's gradient with every other operand, "O,B,...->A": each letter of A that appears
elsewhere is summed or matched there. A letter only A has was summed away in the forward:
the gradient is constant along it, so it is broadcast back.
"""

from __future__ import annotations

import string
from collections import Counter
from collections.abc import Sequence

import numpy as np

from . import Array, Grads, Rule

_LETTERS = set(string.ascii_letters)


def parse(equation: str, ndims: Sequence[int]) -> tuple[list[str], str]:
    """Each operand's subscripts and the output's (implicit: the letters used once, in
    ASCII order, as PyTorch and NumPy); raises PyTorch's errors for a wrong equation."""
    equation = equation.replace(" ", "")
    if "." in equation:
        raise NotImplementedError(
            "einsum with '...' is not implemented in descend; name every dimension"
        )
    left, arrow, right = equation.partition("->")
    inputs = left.split(",")
    if len(inputs) != len(ndims):
        raise RuntimeError(
            "einsum(): more operands were provided than specified in the equation"
            if len(ndims) > len(inputs)
            else "einsum(): fewer operands were provided than specified in the equation"
        )
    counts = Counter("".join(inputs))
    for number, (subs, ndim) in enumerate(zip(inputs, ndims, strict=True)):
        if set(subs) - _LETTERS:
            raise RuntimeError(f"einsum(): invalid subscript given in the equation: {subs!r}")
        if len(subs) != ndim:
            raise RuntimeError(
                f"einsum(): the number of subscripts in the equation ({len(subs)}) does not "
                f"match the number of dimensions ({ndim}) for operand {number}"
            )
        if len(set(subs)) != len(subs):
            raise NotImplementedError(
                f"einsum with a subscript repeated within one operand ({subs!r}: a diagonal) "
                "is not implemented in descend"
            )
    if not arrow:
        return inputs, "".join(sorted(c for c, n in counts.items() if n == 1))
    for letter in right:
        if letter not in _LETTERS:
            raise RuntimeError(f"einsum(): invalid subscript given in the equation: {right!r}")
        if right.count(letter) > 1:
            raise RuntimeError(f"einsum(): output subscript {letter} appears more than once")
        if letter not in counts:
            raise RuntimeError(
                f"einsum(): output subscript {letter} does not appear in the equation for any "
                "input operand"
            )
    return inputs, right


def own_sums(number: int, inputs: Sequence[str], output: str) -> str:
    """Operand ``number``'s subscripts without the letters no other operand nor the output
    has: PyTorch sums those first, so the backward keeps that sum, not the operand."""
    elsewhere = set(output).union(*(s for j, s in enumerate(inputs) if j != number))
    return "".join(c for c in inputs[number] if c in elsewhere)


def einsum(inputs: list[str], output: str, arrays: Sequence[Array], need: Sequence[bool]) -> Rule:
    """out = einsum of ``arrays`` by ``inputs``/``output`` subscripts, and its backward; an
    operand's own letters are summed first (see ``own_sums``)."""
    sizes: dict[str, int] = {}
    for number, (subs, array) in enumerate(zip(inputs, arrays, strict=True)):
        for letter, size in zip(subs, array.shape, strict=True):
            if sizes.setdefault(letter, size) != size:
                raise RuntimeError(
                    f"einsum(): subscript {letter} has size {size} for operand {number} which "
                    f"does not broadcast with previously seen size {sizes[letter]}"
                )
    reduced = [own_sums(number, inputs, output) for number in range(len(inputs))]
    operands = [
        array if subs == kept else np.einsum(subs + "->" + kept, array)
        for subs, kept, array in zip(inputs, reduced, arrays, strict=True)
    ]
    out = np.asarray(np.einsum(",".join(reduced) + "->" + output, *operands))

    def backward(g: Array) -> Grads:
        grads: list[Array | None] = []
        for number, (subs, array) in enumerate(zip(inputs, arrays, strict=True)):
            if not need[number]:
                grads.append(None)
                continue
            others = [j for j in range(len(arrays)) if j != number]
            elsewhere = set(output).union(*(reduced[j] for j in others))
            kept = "".join(c for c in subs if c in elsewhere)
            equation = ",".join([output, *(reduced[j] for j in others)]) + "->" + kept
            grad = np.asarray(np.einsum(equation, g, *(operands[j] for j in others)))
            if kept != subs:  # letters only this operand had: constant along them
                at = [k for k, c in enumerate(subs) if c not in elsewhere]
                grad = np.broadcast_to(np.expand_dims(grad, at), array.shape).copy()
            grads.append(grad.astype(array.dtype, copy=False))
        return tuple(grads)

    return out, backward
