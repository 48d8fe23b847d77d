"""Hints for a learner's commonest slips, after PyTorch's own message (docs/decisions.md,
"Hints for learners"): a used-up parameters generator, a step before any backward, data
in the course's layout (features x examples)."""

import warnings

import numpy as np
import pytest

import nn
import optimizers
from data import TensorDataset


def test_a_used_up_parameters_generator_is_named():
    model = nn.Linear(2, 1)
    parameters = model.parameters()
    optimizers.SGD(parameters, lr=0.1)
    with pytest.raises(ValueError, match=r"empty parameter list .*already used up"):
        optimizers.Adam(parameters)
    with pytest.raises(ValueError, match=r"^optimizer got an empty parameter list$"):
        optimizers.Adam([])


def test_a_step_without_any_gradient_warns_once_at_the_callers_line():
    optimizer = optimizers.SGD(nn.Linear(2, 1).parameters(), lr=0.1)
    with pytest.warns(UserWarning, match=r"SGD.step\(\) found no gradients") as caught:
        optimizer.step()
    assert caught[0].filename == __file__
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # (once per optimizer)
        optimizer.step()
    model = nn.Linear(2, 1)
    trained = optimizers.SGD(model.parameters(), lr=0.1)
    model(nn.ones(1, 2)).sum().backward()
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # (a gradient anywhere: silent)
        trained.step()


def test_data_in_the_course_layout_says_examples_go_in_rows():
    X = np.zeros((2, 300), np.float32)  # the course's (features, examples)
    with pytest.raises(RuntimeError, match=r"cannot be multiplied .*is X\.T"):
        nn.Linear(2, 5)(X)
    with pytest.raises(ValueError, match=r"Size mismatch .*X\.T, Y\.T"):
        TensorDataset(X, np.zeros((1, 300), np.float32))
    with pytest.raises(RuntimeError, match=r"cannot be multiplied") as raised:
        nn.Linear(3, 5)(np.zeros((4, 2), np.float32))
    assert "X.T" not in str(raised.value)  # (only when the shapes say so)
