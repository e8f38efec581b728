"""How numbers, counts, messages, tables and bullet lists are written at the terminal."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from matcher.messages import Message


def number(value: float | int | None, digits: int = 3) -> str:
    """``1,234`` for a whole number, ``1,234.500`` with ``digits`` decimals, ``-`` for None."""
    if value is None:
        return "-"
    if isinstance(value, int):
        return f"{value:,}"
    return f"{value:,.{digits}f}"


def counted(n: int, noun: str) -> str:
    """``1 bridge``, ``2 bridges``."""
    return f"{n:,} {noun}{'' if n == 1 else 's'}"


def say(key: str, lang: str, **args: Any) -> str:
    """A message in ``lang``, escaped for rich markup."""
    return escape(Message(key, args).say(lang))


def text_table(title: str, columns: Sequence[str], rows: Iterable[Sequence[Any]], *, left: int = 1) -> Table:
    """A table whose first ``left`` columns are text and the rest numbers."""
    table = Table(title=title, title_justify="left")
    for i, column in enumerate(columns):
        table.add_column(column, justify="left" if i < left else "right")
    for row in rows:
        table.add_row(*(value if isinstance(value, str) else number(value) for value in row))
    return table


def measures_table(title: str, rows: Iterable[tuple[str, Any]]) -> Table:
    """A two-column table of labelled values; text is shown as is, numbers formatted."""
    table = Table(title=title, show_header=False, title_justify="left")
    table.add_column("measure")
    table.add_column("value", justify="right")
    for label, value in rows:
        table.add_row(label, value if isinstance(value, str) else number(value))
    return table


def bullets(console: Console, lines: Iterable[str]) -> None:
    """One bullet per line, printed as is (no markup)."""
    for line in lines:
        console.print(f"  • {line}", markup=False, highlight=False)
