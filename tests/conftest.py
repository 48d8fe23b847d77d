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
