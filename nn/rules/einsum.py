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

_ASCII = string.ascii_letters
_LETTERS = set(_ASCII)


def parse(equation: str, ndims: Sequence[int]) -> tuple[list[str], str, str]:
    """Each operand's subscripts and the output's, with every ``...`` written as letters the
    equation does not use (returned third, the ellipsis's dimensions from the left, aligned
    on the right as broadcasting does); the implicit output is the ellipsis, then the
    letters used once in ASCII order, as PyTorch's. Raises PyTorch's errors."""
    left, arrow, right = equation.partition("->")
    terms = left.split(",")
    if len(terms) != len(ndims):
        raise RuntimeError(
            "einsum(): more operands were provided than specified in the equation"
            if len(ndims) > len(terms)
            else "einsum(): fewer operands were provided than specified in the equation"
        )
    allowed = [(c, " .,") for c in left] + [("", "")] * len(arrow) + [(c, " .") for c in right]
    for index, (character, punctuation) in enumerate(allowed):
        if character and character not in _LETTERS and character not in punctuation:
            raise RuntimeError(
                f"einsum(): invalid subscript given at index {index} in the equation string, "
                "subscripts must be in [a-zA-Z]"
            )
    terms = [_letters_and_ellipsis(t.replace(" ", ""), f"operand {n}") for n, t in enumerate(terms)]
    spans = []
    for number, (subs, ndim) in enumerate(zip(terms, ndims, strict=True)):
        named = len(subs.replace(".", ""))
        if "." not in subs and named != ndim:
            raise RuntimeError(
                f"einsum(): the number of subscripts in the equation ({named}) does not match "
                f"the number of dimensions ({ndim}) for operand {number} and no ellipsis was given"
            )
        if named > ndim:
            raise RuntimeError(
                f"einsum(): the number of subscripts in the equation ({named}) is more than the "
                f"number of dimensions ({ndim}) for operand {number}"
            )
        spans.append(ndim - named if "." in subs else 0)
    free = [c for c in _ASCII if c not in equation]
    if max(spans, default=0) > len(free):
        raise NotImplementedError("einsum: more dimensions than letters to name them (52)")
    ellipsis = "".join(free[: max(spans, default=0)])
    inputs = [
        subs.replace("...", ellipsis[len(ellipsis) - span :])
        for subs, span in zip(terms, spans, strict=True)
    ]
    for subs in inputs:
        if len(set(subs)) != len(subs):
            raise NotImplementedError(
                f"einsum with a subscript repeated within one operand ({subs!r}: a diagonal) "
                "is not implemented in descend"
            )
    counts = Counter("".join(inputs))
    if not arrow:
        singles = sorted(c for c, n in counts.items() if n == 1 and c not in ellipsis)
        return inputs, ellipsis + "".join(singles), ellipsis
    output = _letters_and_ellipsis(right.replace(" ", ""), "output").replace("...", ellipsis)
    for letter in output:
        if output.count(letter) > 1:
            raise RuntimeError(
                f"einsum(): output subscript {letter} appears more than once in the output"
            )
        if letter not in counts and letter not in ellipsis:
            raise RuntimeError(
                f"einsum(): output subscript {letter} does not appear in the equation for any "
                "input operand"
            )
    return inputs, output, ellipsis


def _letters_and_ellipsis(term: str, name: str) -> str:
    """``term`` checked to hold at most one ``...`` and no other dot (PyTorch's errors)."""
    rest = term.replace("...", "", 1)
    if "." in rest:
        place = "for which an ellipsis was already found" if "..." in term else ""
        if name == "output":
            place = "but an ellipsis (...) was already found" if place else ""
        raise RuntimeError(
            f"einsum(): found '.' for {name} "
            + (place or "that is not part of any ellipsis" + (" (...)" if name == "output" else ""))
        )
    return term


def broadcast(inputs: Sequence[str], shapes: Sequence[tuple[int, ...]], ellipsis: str) -> list[str]:
    """Each operand's subscripts without those of its size-1 dimensions that another operand
    has longer (PyTorch broadcasts them: the operand is constant along them, so they are
    squeezed out); PyTorch's error for sizes that do not broadcast."""
    sizes: dict[str, int] = {}
    for number, (subs, shape) in enumerate(zip(inputs, shapes, strict=True)):
        for position, (letter, size) in enumerate(zip(subs, shape, strict=True)):
            seen = sizes.setdefault(letter, size)
            if size != seen and 1 not in (size, seen):
                if letter in ellipsis:
                    covered = position - subs.index(next(c for c in subs if c in ellipsis))
                    raise RuntimeError(
                        f"einsum(): dimension {covered} covered by ellipsis in operand {number}"
                        f"has size {size} which does not broadcast with previously seen "
                        f"ellipsis with size {seen} for the respective dimension"
                    )
                raise RuntimeError(
                    f"einsum(): subscript {letter} has size {size} for operand {number} which "
                    f"does not broadcast with previously seen size {seen}"
                )
            sizes[letter] = max(seen, size)
    return [
        "".join(c for c, n in zip(subs, shape, strict=True) if n == sizes[c])
        for subs, shape in zip(inputs, shapes, strict=True)
    ]


def own_sums(number: int, inputs: Sequence[str], output: str) -> str:
    """Operand ``number``'s subscripts without the letters no other operand nor the output
    has: PyTorch sums those first, so the backward keeps that sum, not the operand."""
    elsewhere = set(output).union(*(s for j, s in enumerate(inputs) if j != number))
    return "".join(c for c in inputs[number] if c in elsewhere)


def einsum(
    inputs: list[str], kept: list[str], output: str, arrays: Sequence[Array], need: Sequence[bool]
) -> Rule:
    """out = einsum of ``arrays`` by ``inputs``/``output`` subscripts (from ``parse``), and
    its backward; ``kept`` is each operand's subscripts after ``broadcast``: its size-1
    dimensions that broadcast are squeezed for the product, their gradients reshaped back."""
    if kept == list(inputs):
        return _einsum(inputs, output, arrays, need)
    squeezed = [
        a.reshape(tuple(n for c, n in zip(subs, a.shape, strict=True) if c in short))
        for subs, short, a in zip(inputs, kept, arrays, strict=True)
    ]
    out, backward = _einsum(kept, output, squeezed, need)

    def unsqueezed(g: Array) -> Grads:
        grads = backward(g)
        return tuple(
            None if grad is None else grad.reshape(a.shape)
            for grad, a in zip(grads, arrays, strict=True)
        )

    return out, unsqueezed


def _einsum(
    inputs: Sequence[str], output: str, arrays: Sequence[Array], need: Sequence[bool]
) -> Rule:
    """``einsum`` of operands whose sizes agree: an operand's own letters summed first (see
    ``own_sums``)."""
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
