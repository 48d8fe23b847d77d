"""Saving the examples' figures small enough for the repository: a PNG in a palette of 256
colours (the pictures are lines and flat fills, so nothing visible is lost), each well under
300 KB."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any


def save_png(fig: Any, path: Path, dpi: int = 100) -> Path:
    """Write ``fig`` to ``path`` as a 256-colour PNG at ``dpi``."""
    from PIL import Image  # (Pillow comes with matplotlib)

    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi)
    buffer.seek(0)
    with Image.open(buffer) as image:
        palette = image.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT)
        path.parent.mkdir(parents=True, exist_ok=True)
        palette.save(path, format="PNG", optimize=True)
    return path
