"""The docs' code runs: the optimizer written on the testing page passes the kit, and a
planted bug in it is caught by name."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from optimizers.testing import OptimizerCheckError

DOCS = Path(__file__).resolve().parent.parent / "docs"


def python_blocks(page: str) -> list[str]:
    return re.findall(r"```python\n(.*?)```", (DOCS / page).read_text(), flags=re.S)


def test_testing_page_code_runs():
    namespace: dict = {}
    for block in python_blocks("testing-your-optimizer.md"):
        exec(block, namespace)  # the page's optimizer, its check, its hypothesis test
    namespace["test_lion_keeps_float32"]()


def test_testing_page_planted_bug_is_named():
    namespace: dict = {}
    exec(python_blocks("testing-your-optimizer.md")[0], namespace)
    lion = namespace["Lion"]

    class BuggyLion(lion):
        def update(self, W, dW, state, group):
            beta2 = group["betas"][1]
            group = {**group, "betas": (beta2, beta2)}  # c uses beta2: the planted bug
            super().update(W, dW, state, group)

    code = python_blocks("testing-your-optimizer.md")[1].replace(
        "check_optimizer(Lion, reference_lion)", ""
    )
    exec(code, namespace)
    with pytest.raises(OptimizerCheckError, match="property 'reference' failed"):
        namespace["check_optimizer"](
            BuggyLion, namespace["reference_lion"], max_examples=15, max_steps=4
        )


def test_update_rules_page_shows_each_rules_current_lines():
    """docs/update-rules.md embeds each rule's update method by line numbers (snippets): they
    must be the lines the method has now."""
    import inspect

    import optimizers

    text = (DOCS / "update-rules.md").read_text()
    found = re.findall(r"`(\w+)\.update` in `([\w/.]+)` \(lines (\d+)-(\d+)\)", text)
    assert len(found) >= 6
    for name, path, start, end in found:
        method = getattr(optimizers, name).update
        lines, first = inspect.getsourcelines(method)
        assert inspect.getsourcefile(method).endswith(path)
        assert (int(start), int(end)) == (first, first + len(lines) - 1), name
        assert f'--8<-- "{path}:{start}:{end}"' in text


def test_reading_the_code_quotes_the_mul_rule_exactly():
    import inspect
    import textwrap

    import nn.rules.arithmetic as arithmetic_rules

    quoted = python_blocks("reading-the-code.md")[0]
    assert textwrap.dedent(quoted).strip() == inspect.getsource(arithmetic_rules.mul).strip()


def test_reading_the_code_quotes_the_mul_method_exactly():
    import inspect

    import nn

    source = inspect.getsource(nn.Tensor.__mul__).splitlines()[-1].strip()
    assert f"`{source.removeprefix('return ')}`" in (DOCS / "reading-the-code.md").read_text()
