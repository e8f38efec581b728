"""Tables for the benchmarks' output: plain text for the terminal, Markdown for the documentation.

Each benchmark prints its tables and writes them, with the date, the machine
and the command, to ``docs/benchmarks/results/<name>.md``, which the
benchmark's page of the documentation includes; a new run replaces the file.
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import re
import shlex
import sys
from collections.abc import Sequence
from pathlib import Path

#: A cell that is a figure (or stands for a missing one): its column is right-aligned.
_FIGURE = re.compile(r"^([-+]?[\d,.]+(%|x\d*)?|-|\?)$")
RESULTS = Path(__file__).resolve().parent.parent / "docs" / "benchmarks" / "results"


def fmt(value: float | None, spec: str, missing: str = "-") -> str:
    """``value`` formatted with ``spec``; ``missing`` when it is None."""
    return missing if value is None else format(value, spec)


def text_table(columns: Sequence[str], body: Sequence[Sequence[str]]) -> str:
    """Right-aligned columns under a header and a rule."""
    widths = [max(len(c), *(len(row[i]) for row in body)) for i, c in enumerate(columns)]
    lines = ["  ".join(c.rjust(w) for c, w in zip(columns, widths, strict=True))]
    lines.append("-" * len(lines[0]))
    lines += ["  ".join(v.rjust(w) for v, w in zip(row, widths, strict=True)) for row in body]
    return "\n".join(lines)


def markdown_table(columns: Sequence[str], body: Sequence[Sequence[str]]) -> str:
    """The same table in Markdown: columns of figures right-aligned, columns of words left-aligned.

    >>> print(markdown_table(["database", "|diff|"], [["sqlite", "0.01"], ["postgresql", "-"]]))
    | database | \\|diff\\| |
    | :--- | ---: |
    | sqlite | 0.01 |
    | postgresql | - |
    """

    def line(cells: Sequence[str]) -> str:
        return "| " + " | ".join(c.strip().replace("|", "\\|") for c in cells) + " |"

    figures = [all(_FIGURE.match(row[i].strip()) for row in body) for i in range(len(columns))]
    rule = ["---:" if figure else ":---" for figure in figures]
    return "\n".join([line(columns), line(rule), *(line(row) for row in body)])


def write_results(name: str, blocks: Sequence[str], args: Sequence[str] | None = None) -> Path:
    """Write a benchmark's results as the Markdown its documentation page includes.

    Parameters
    ----------
    name : str
        The benchmark's module name (``graph`` for ``benchmarks/graph.py``).
    blocks : sequence of str
        Markdown blocks (tables, captions, verdicts), in order.
    args : sequence of str, optional
        The command line's arguments, as the file states them; ``sys.argv[1:]`` by default.

    Returns
    -------
    Path
        ``docs/benchmarks/results/<name>.md``, replaced whole.
    """
    command = shlex.join(["python", f"benchmarks/{name}.py", *(sys.argv[1:] if args is None else args)])
    machine = f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores"
    head = [
        f"<!-- Written by benchmarks/{name}.py; the next run replaces this file. -->",
        f"Measured on {dt.date.today().isoformat()} ({machine}) with:",
        f"```bash\n{command}\n```",
    ]
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{name}.md"
    path.write_text("\n\n".join([*head, *blocks]) + "\n", encoding="utf-8")
    print(f"Results written to {path}", file=sys.stderr)
    return path
