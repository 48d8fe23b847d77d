"""Instructions per course-net step, counted by valgrind: a measure the machine's noise does
not move, for comparing two versions of descend (it is not a time: IPC differs by code).

    python benchmarks/instructions.py [descend|hand] [sgd|momentum|adam]

runs the step under ``valgrind --tool=callgrind`` for 50 and for 550 steps (both after the
same set-up) and prints the difference divided by 500. Needs valgrind on the PATH.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent

PROBE = """
import os, sys
os.environ["OPENBLAS_NUM_THREADS"] = "1"
sys.modules["torch"] = None  # not imported: the count is about descend and NumPy
sys.path[:0] = [{here!r}, {root!r}]
import run
make = run.descend_step if sys.argv[1] == "descend" else run.hand_step
step = make([2, 5, 2, 1], sys.argv[2], 64, 1e-3, 0)
for _ in range(int(sys.argv[3])):
    step()
"""


def count(kind: str, optimizer: str, steps: int) -> int:
    code = PROBE.format(here=str(HERE), root=str(HERE.parent))
    out = subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", sys.executable, "-c"]
        + [code, kind, optimizer, str(steps)],
        capture_output=True,
        text=True,
        check=True,
    )
    return int(re.search(r"Collected : (\d+)", out.stderr).group(1))  # type: ignore[union-attr]


def main() -> None:
    kind = sys.argv[1] if len(sys.argv) > 1 else "descend"
    optimizer = sys.argv[2] if len(sys.argv) > 2 else "sgd"
    per_step = (count(kind, optimizer, 550) - count(kind, optimizer, 50)) // 500
    print(f"{kind} {optimizer}: {per_step} instructions per course-net step")


if __name__ == "__main__":
    main()
