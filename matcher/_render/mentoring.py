"""Mentoring circles at the terminal: the run's status, each circle with its pairs and reasons,
and the workshops left without a mentor, counted by cause."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rich.console import Console
from rich.table import Table

from matcher._render.formatting import bullets, counted, number

#: How many ids of one cause the summary of unpaired workshops names.
IDS_SHOWN = 12

#: A cause of an unpaired workshop, in a few words (its reasons say it in full).
CAUSES = {
    "mentor.unpaired.no_mentor_above": "no mentor of higher quality does something it lacks",
    "mentor.unpaired.no_mentor_sector": "the mentors that could teach it work in other sectors",
    "mentor.unpaired.only_conflict": "the mentors that could teach it are in conflict with it",
    "mentor.unpaired.mentors_full": "its possible mentors are full",
    "mentor.unpaired.other_sector": "its possible mentors lead circles of another sector",
    "mentor.unpaired.conflict_in_circle": "in conflict with a member of its possible mentors' circles",
    "mentor.unpaired.mentors_learning": "its possible mentors are trainees in this plan",
    "mentor.unpaired.not_chosen": "its possible mentors with room gain more with others",
}


def _status_style(status: str) -> str:
    return {"optimal": "green", "feasible": "yellow"}.get(status, "red")


def circles(console: Console, data: Mapping[str, Any]) -> None:
    """A mentoring plan: status and gap, the circles with their pairs and reasons, the unpaired by cause."""
    status = data["status"]
    gap = data.get("gap")
    gap_text = "" if gap is None or status == "optimal" else f", gap {gap:.2%}"
    console.rule("[bold]Mentoring circles[/]")
    console.print(
        f"Solver {data['solver']}: [{_status_style(status)}]{status}[/]{gap_text}, "
        f"{data['time_seconds']:.1f} s; gain {number(data.get('objective'), 2)}"
    )
    summary = data["summary"]
    console.print(
        f"{counted(summary['circles'], 'circle')}, {counted(summary['pairs'], 'pair')} "
        f"({summary['new_pairs']:,} new, {summary['kept_pairs']:,} kept), "
        f"{counted(summary['unpaired'], 'workshop')} without a mentor."
    )
    bullets(console, data["notes"])
    if data["reasons"]:
        console.print("[bold red]No plan:[/]")
        bullets(console, data["reasons"])
    if data["circles"]:
        table = Table(title="Circles", title_justify="left")
        for column in ("mentor", "sector", "trainees", "new", "gain"):
            table.add_column(column, justify="right" if column in {"new", "gain"} else "left")
        for circle in data["circles"]:
            trainees = ", ".join(
                p["trainee_id"] + ("" if p["new"] else " (kept)" if p["status"] == "kept" else " (tied)")
                for p in circle["pairs"]
            )
            new = sum(p["new"] for p in circle["pairs"])
            table.add_row(
                circle["mentor_id"],
                circle["sector"] or "mixed",
                trainees,
                str(new),
                number(circle["gain"], 2),
            )
        console.print(table)
    for circle in data["circles"]:
        console.print(f"[bold]{circle['mentor_id']}[/] — {circle['sector'] or 'mixed sectors'}")
        bullets(console, circle["reasons"])
        for pair in circle["pairs"]:
            label = {"proposed": "new" if pair["new"] else "proposed", "pinned": "pinned", "kept": "kept"}
            console.print(
                f"    {pair['trainee_id']} ({label[pair['status']]}, gain {pair['gain']:.2f}): "
                + " ".join(pair["reasons"]),
                markup=False,
                highlight=False,
            )
    _unpaired(console, data["unpaired"])


def _unpaired(console: Console, unpaired: list[Mapping[str, Any]]) -> None:
    if not unpaired:
        return
    by_cause: dict[str, list[str]] = {}
    for entry in unpaired:
        for message in entry["reason_messages"]:
            by_cause.setdefault(message["key"], []).append(entry["workshop_id"])
    table = Table(title="Without a mentor, by cause (a workshop may have several)", title_justify="left")
    table.add_column("cause")
    table.add_column("workshops", justify="right")
    table.add_column("ids")
    for key in CAUSES:
        ids = by_cause.get(key)
        if not ids:
            continue
        shown = ", ".join(ids[:IDS_SHOWN]) + (
            f" and {len(ids) - IDS_SHOWN} more" if len(ids) > IDS_SHOWN else ""
        )
        table.add_row(CAUSES[key], f"{len(ids):,}", shown)
    console.print(table)
    console.print("--json lists every workshop without a mentor with its reasons.")
