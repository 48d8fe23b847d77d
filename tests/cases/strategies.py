"""Shared hypothesis strategies for descend's tests."""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

float_dtypes = st.sampled_from([np.float32, np.float64])
shapes = hnp.array_shapes(min_dims=0, max_dims=3, min_side=1, max_side=4)
nonempty_shapes = hnp.array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=4)


def arrays(shape, dtype=np.float64, low=-3.0, high=3.0):
    """Finite arrays of ``shape`` with elements in [low, high]."""
    return hnp.arrays(
        dtype,
        shape,
        elements=st.floats(low, high, allow_nan=False, width=64 if dtype == np.float64 else 32),
    )


@st.composite
def broadcastable_pair(draw, max_dims=3):
    """Two shapes that broadcast together, e.g. (3, 1) and (4,)."""
    shape_a, shape_b = draw(
        hnp.mutually_broadcastable_shapes(num_shapes=2, max_dims=max_dims, max_side=3)
    ).input_shapes
    return shape_a, shape_b


def away_from(values, points, margin):
    """Whether every value is at least ``margin`` from each of ``points`` (kinks of relu, abs)."""
    return all(np.all(np.abs(values - p) > margin) for p in points)
