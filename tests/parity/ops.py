"""The assembled table: every family's entries (``OPS``) and the exempted names."""

from __future__ import annotations

from tests.parity import ops_elementwise, ops_reduction, ops_shape
from tests.parity.opinfo import table

OPS = table(ops_elementwise.family(), ops_reduction.family(), ops_shape.family())
EXEMPT: dict[str, str] = {}
