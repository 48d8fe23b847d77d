"""Port a PyTorch script to descend the way docs/porting.md says, and nothing else:
``torch.nn.X`` -> ``nn.X``, ``torch.optim.X`` -> ``optimizers.X``, ``torch.utils.data.X`` ->
``nn.utils.data.X`` (the ``data`` package), every other ``torch.X`` -> ``nn.X`` (and a bare
``torch`` -> ``nn``), and the imports to match."""

from __future__ import annotations

import re

_IMPORTS = [  # (pattern of a whole import line, replacement)
    (r"import torch\.nn\.functional as (\w+)", r"import nn.functional as \1"),
    (r"import torch\.nn as (\w+)", r"import nn as \1"),
    (r"import torch\.optim as (\w+)", r"import optimizers as \1"),
    (r"import torch\.utils\.data as (\w+)", r"import data as \1"),
    (r"import torch\.utils\.data", "import data"),
    (r"import torch\.nn", "import nn"),
    (r"import torch\.optim", "import optimizers"),
    (r"import torch", "import nn"),
    (r"from torch\.nn import functional as (\w+)", r"from nn import functional as \1"),
    (r"from torch\.nn\.functional import (.+)", r"from nn.functional import \1"),
    (r"from torch\.nn import (.+)", r"from nn import \1"),
    (r"from torch\.optim\.lr_scheduler import (.+)", r"from optimizers.lr_scheduler import \1"),
    (r"from torch\.optim import (.+)", r"from optimizers import \1"),
    (r"from torch\.optim\.(\w+) import (.+)", r"from optimizers.\1 import \2"),
    (r"from torch\.utils\.data import (.+)", r"from data import \1"),
]
_SUBMODULES = {"nn": "import nn", "optim": "import optimizers as optim", "utils": "import data"}


def _from_torch(names: str) -> str:
    """``from torch import nn, optim, tensor`` as descend imports."""
    lines, rest = [], []
    for name in (n.strip() for n in names.split(",")):
        (lines.append(_SUBMODULES[name]) if name in _SUBMODULES else rest.append(name))
    if rest:
        lines.append(f"from nn import {', '.join(rest)}")
    return "; ".join(lines)


def port(source: str) -> str:
    """The descend version of a PyTorch script's ``source``."""
    out = []
    for line in source.splitlines():
        stripped, indent = line.strip(), line[: len(line) - len(line.lstrip())]
        several = re.fullmatch(r"import ([\w.]+(?: as \w+)?(?:, [\w.]+(?: as \w+)?)+)", stripped)
        if several:  # ``import torch, torch.nn as nn, math``: one import a line, each ported
            names = several.group(1).split(", ")
            out.append(indent + "; ".join(port(f"import {n}").strip() for n in names))
            continue
        match = re.fullmatch(r"from torch import (.+)", stripped)
        if match:
            out.append(indent + _from_torch(match.group(1)))
            continue
        for pattern, replacement in _IMPORTS:
            if re.fullmatch(pattern, stripped):
                stripped = re.sub(pattern, replacement, stripped)
                line = indent + stripped
                break
        line = re.sub(r"\btorch\.nn\b", "nn", line)
        line = re.sub(r"\btorch\.optim\b", "optimizers", line)
        line = re.sub(r"\btorch\.utils\.data\.", "nn.utils.data.", line)
        line = re.sub(r"\btorch\.", "nn.", line)
        line = re.sub(r"\btorch\b", "nn", line)  # the bare module: hasattr(torch, "jit")
        out.append(line)
    text = "\n".join(out) + "\n"
    for module in ("optimizers", "data"):  # used through torch.X but never imported
        if re.search(rf"\b{module}\.", text) and not re.search(rf"import {module}\b", text):
            text = _after_future_imports(text, f"import {module}\n")
    return text


def _after_future_imports(text: str, line: str) -> str:
    """``text`` with ``line`` inserted after its ``from __future__`` imports (if any)."""
    futures = list(re.finditer(r"^from __future__ import .*\n", text, flags=re.MULTILINE))
    at = futures[-1].end() if futures else 0
    return text[:at] + line + text[at:]
