"""Every optimizer's API page lists all its parameters (issue 27): each ``__init__``
argument is named in its class docstring's Parameters section."""

import inspect
import re

import pytest

import optimizers

CLASSES = [
    getattr(optimizers, name)
    for name in sorted(dir(optimizers))
    if inspect.isclass(getattr(optimizers, name))
    and issubclass(getattr(optimizers, name), optimizers.Optimizer)
    and getattr(optimizers, name) is not optimizers.Optimizer
]


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__name__)
def test_every_parameter_is_documented(cls):
    doc = inspect.getdoc(cls) or ""
    assert "Parameters\n----------\n" in doc, f"{cls.__name__} has no Parameters section"
    section = doc.split("Parameters\n----------\n", 1)[1].split("\n\n", 1)[0]
    documented = {
        name.strip()
        for line in section.splitlines()
        if (match := re.match(r"^([\w, ]+) :", line))
        for name in match.group(1).split(",")
    }
    arguments = [
        p.name
        for p in inspect.signature(cls.__init__).parameters.values()
        if p.name != "self" and p.kind not in (p.VAR_KEYWORD, p.VAR_POSITIONAL)
    ]
    assert set(arguments) <= documented, set(arguments) - documented
