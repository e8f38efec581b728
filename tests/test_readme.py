"""The Python examples of the README and of the documentation run and print what they say."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
PAGES = sorted((ROOT / "docs").rglob("*.md"))


def python_blocks(path: Path) -> list[str]:
    return re.findall(r"```python\n(.*?)```", path.read_text(encoding="utf-8"), flags=re.DOTALL)


def run_blocks(blocks: list[str]) -> int:
    """Run each block; a line followed by ``  # value`` must evaluate to that value. Lines checked."""
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
    return checked


def test_readme_python_examples_give_the_values_shown():
    blocks = python_blocks(README)
    assert blocks
    assert run_blocks(blocks) >= 2


@pytest.mark.parametrize(
    "page", [p for p in PAGES if python_blocks(p)], ids=lambda p: str(p.relative_to(ROOT / "docs"))
)
def test_documentation_python_examples_give_the_values_shown(page):
    assert run_blocks(python_blocks(page)) >= 1
