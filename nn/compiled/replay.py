"""A recording as straight-line Python: the rules called one after the other on arrays, and
their backward functions in reverse, with no Tensor, node or engine walk inside."""

from __future__ import annotations

import builtins

from ..rules import Fresh
from .recording import Recording, Replayed, Slots


def generated(recording: Recording) -> tuple[Replayed, Replayed]:
    """The recording as two straight-line Python functions of arrays (``s<slot>`` an array,
    ``d<slot>`` its gradient, ``k<step>`` a step's backward, ``c<n>`` a recorded number):

        forward(s0, s1, ...)    -> (output, (k0, k1, ...))
        backward(g, (k0, ...))  -> (gradients of the inputs and parameters, all fresh?)
    """
    space: dict[str, object] = {"Fresh": Fresh}
    constants: list[object] = []

    def name_of(value: object) -> str:
        constants.append(value)
        space[f"c{len(constants) - 1}"] = value
        return f"c{len(constants) - 1}"

    def array(value: object) -> str:
        if isinstance(value, Slots):
            return "[" + ", ".join(f"s{slot}" for slot in value) + "]"
        return f"s{value}"

    inputs = ", ".join(f"s{slot}" for slot in recording.inputs)
    lines = [f"def forward({inputs}):"]
    for n, step in enumerate(recording.steps):
        space[f"r{n}"] = step.rule
        args = [array(v) if i in step.array_args else name_of(v) for i, v in enumerate(step.args)]
        args += [
            f"{k}={array(v)}" if k in step.array_args else f"{k}={name_of(v)}"
            for k, v in step.kwargs.items()
        ]
        if step.outs is not None:  # (several arrays, or a write: none)
            target = "".join(f"s{slot}, " for slot in step.outs) or "_"
        else:
            target = f"s{step.out}" + ", _" * step.extra
            if step.is_rule:
                target += f", k{n}" if step.grad_to is not None else ", _"
        lines.append(f"    {target} = r{n}({', '.join(args)})")
    backs = "".join(
        f"k{n}, " if step.grad_to is not None else "None, "
        for n, step in enumerate(recording.steps)
    )
    lines.append(f"    return s{recording.output}, ({backs})")
    lines.append("def backward(g, ks):")
    if recording.steps:
        lines.append(f"    ({''.join(f'k{n}, ' for n in range(len(recording.steps)))}) = ks")
    routed = {slot for step in recording.steps for slot in (step.grad_to or ()) if slot is not None}
    produced = {
        slot for step in recording.steps
        for slot in (step.outs if step.outs is not None else [step.out])
    }  # fmt: skip
    slots = sorted(routed | produced | set(recording.inputs) | {recording.output})
    for slot in slots:
        lines.append(f"    d{slot} = None; f{slot} = False")
    lines.append(f"    d{recording.output} = g")
    for n in reversed(range(len(recording.steps))):
        step = recording.steps[n]
        if step.grad_to is None:
            continue
        lines.append(f"    if d{step.out} is not None:")
        lines.append(f"        r = k{n}(d{step.out}); fresh = type(r) is Fresh")
        for i, to in enumerate(step.grad_to):
            if to is None:
                continue
            # (a value read by several rules sums its gradients in the engine's order: the
            # latest reader's first, each next one added, as `previous + new`)
            lines.append(f"        if r[{i}] is not None:")
            lines.append(f"            if d{to} is None: d{to} = r[{i}]; f{to} = fresh")
            lines.append(f"            else: d{to} = d{to} + r[{i}]; f{to} = True")
    grads = "".join(f"d{slot}, " for slot in recording.inputs)
    fresh = " and ".join(f"(f{slot} or d{slot} is None)" for slot in recording.inputs)
    lines.append(f"    return ({grads}), {fresh or 'True'}")
    code = builtins.compile("\n".join(lines), "<nn.compile recording>", "exec")
    exec(code, space)
    return space["forward"], space["backward"]  # type: ignore[return-value]
