"""The Python examples in the README run and print what the README says."""

from __future__ import annotations

import ast
import re
from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"


def python_blocks() -> list[str]:
    return re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), flags=re.DOTALL)


def test_readme_python_examples_give_the_values_shown():
    blocks = python_blocks()
    assert blocks
    checked = 0
    for block in blocks:
        namespace: dict = {}
        for line in block.splitlines():
            code, _, comment = line.partition("  #")
            expected = comment.strip()
            try:
                value = ast.literal_eval(expected) if expected else None
                literal = bool(expected)
            except (ValueError, SyntaxError):
                literal = False
            if literal and not code.lstrip().startswith(("import", "from")) and "=" not in code:
                assert eval(code, namespace) == value, line  # the README is ours to run
                checked += 1
            else:
                exec(code, namespace)
    assert checked >= 2
