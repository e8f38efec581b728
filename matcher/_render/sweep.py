"""Scenario sweeps at the terminal: one comparison row per scenario, the baseline first."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rich import box
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from matcher._render.formatting import bullets, counted, number

#: Where the scenarios ran, in words after a count (``on 2 processes``).
RUNNERS = {"in-process": "process (this one)", "processes": "processes", "dask": "Dask workers"}


def _status(row: Mapping[str, Any]) -> str:
    style = {"optimal": "green", "feasible": "yellow"}.get(row["status"], "red")
    return f"[{style}]{row['status']}[/]"


def _change(value: int | None) -> str:
    if value is None:
        return "-"
    style = "green" if value > 0 else "red" if value < 0 else "dim"
    return f"[{style}]{value:+,}[/]"


def sweep(console: Console, data: Mapping[str, Any]) -> None:
    """A sweep's comparison table, then why any scenario could not be run."""
    rows = data["scenarios"]
    where = RUNNERS[data["runner"]]
    console.rule("[bold]Scenario sweep[/]")
    base = rows[0]
    # A scenario changes no quantity: the orders and units of any row that ran are every row's.
    orders, units = max((r["orders"], r["units"]) for r in rows)
    console.print(
        f"{counted(len(rows) - 1, 'scenario')} and the baseline, on {data['workers']:,} {where}; "
        f"seed {data['seed']}, {number(data['time_limit'], 1)} s per scenario; "
        f"{number(data['seconds'], 1)} s in all. Each matches the same "
        f"{counted(orders, 'order')} ({number(units)} units)."
    )
    # Short headers and light borders: nine columns fit an 80-column terminal.
    table = Table(
        title="Comparison",
        title_justify="left",
        caption="units, orders: those filled; members: the workshops working in the groups",
        caption_justify="left",
        box=box.SIMPLE_HEAD,
        pad_edge=False,
    )
    # A name wraps between its words, never inside one ("baseline" is never "basel…").
    word = max((len(w) for r in rows for w in r["name"].split()), default=8)
    table.add_column("scenario", min_width=min(max(word, 8), 24), overflow="fold")
    for column in ("status", "gap", "units", "vs base", "orders", "groups", "members", "s"):
        # Only the names may wrap: a status or a figure cut short says nothing.
        table.add_column(column, justify="left" if column == "status" else "right", no_wrap=True)
    for row in rows:
        ran = row["status"] != "error"
        table.add_row(
            escape(row["name"]),
            _status(row),
            "-" if row["gap"] is None else f"{row['gap']:.1%}",
            number(row["filled_units"]) if ran else "-",
            _change(row["units_vs_baseline"]) if row is not base else "",
            number(row["orders_filled"]) if ran else "-",
            number(row["groups"]),
            number(row["members"]),
            number(row["seconds"], 1),
        )
    console.print(table)
    failed = [row for row in rows if row["reasons"]]
    if failed:
        console.print("[bold]Scenarios that could not be run:[/]")
        bullets(console, [f"{row['name']}: {'; '.join(row['reasons'])}" for row in failed])
