"""Hypothesis profiles: ``dev`` (default) and ``ci`` (more examples, derandomized)."""

import os

import numpy as np
import pytest
from hypothesis import HealthCheck, settings

settings.register_profile(
    "dev", max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile(
    "ci",
    max_examples=60,
    deadline=None,
    derandomize=True,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))


@pytest.fixture(autouse=True)
def _fresh_global_state():
    """Each test starts from the same seed and dtype, whatever ran before it."""
    import nn

    nn.manual_seed(0)
    nn.set_default_dtype(np.float32)
    yield
    nn.set_default_dtype(np.float32)


_WITHOUT_TORCH = (
    "compares with PyTorch, which is not installed: pip install -e '.[torch]', then "
    "python -m pytest -m torch"
)


def pytest_collection_modifyitems(config, items):
    """Without PyTorch, the tests marked ``torch`` are skipped saying why and how to run them
    (rather than failing at their import)."""
    import importlib.util

    try:
        if importlib.util.find_spec("torch") is not None:
            return
    except ValueError:  # (sys.modules["torch"] set to None: hidden on purpose)
        pass
    skip = pytest.mark.skip(reason=_WITHOUT_TORCH)
    for item in items:
        if item.get_closest_marker("torch") is not None:  # (the marker, not a name's word)
            item.add_marker(skip)


def pytest_terminal_summary(terminalreporter):
    skipped = [
        r for r in terminalreporter.stats.get("skipped", []) if _WITHOUT_TORCH in str(r.longrepr)
    ]
    if skipped:
        terminalreporter.write_line(
            f"{len(skipped)} tests skipped: each {_WITHOUT_TORCH}", yellow=True
        )
