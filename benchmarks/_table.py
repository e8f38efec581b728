"""Plain-text tables for the benchmarks' output."""

from __future__ import annotations

from collections.abc import Sequence


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
