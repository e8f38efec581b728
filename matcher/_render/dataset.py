"""A dataset at the terminal: its problems, its validation and the sample the demo works on."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from rich.console import Console

from matcher._render.formatting import counted, say
from matcher.errors import Problem
from matcher.messages import Message, fill
from matcher.model import Cluster


def problems(
    console: Console, found: Sequence[Problem], *, source: str | None = None, lang: str = "en"
) -> None:
    """Every problem of a refused dataset, one line each, then what to do (in ``lang``)."""
    n = len(found)
    head = (
        say("validate.problems_in", lang, count=n, source=source)
        if source
        else say("validate.problems", lang, count=n)
    )
    console.print(f"[bold red]{head}[/]")
    for problem in found:
        console.print(f"  • {problem.say(lang)}", markup=False, highlight=False)
    console.print(say("validate.fix", lang))
    if any(p.key == "problem.ambiguous" for p in found):
        console.print(say("validate.decimal_hint", lang))


def validation(console: Console, report: Any, *, lang: str = "en") -> None:
    """The outcome of ``matcher validate``, in ``lang``."""
    if report.warnings:
        console.print(f"[yellow]{say('validate.warnings', lang, count=len(report.warnings))}[/]")
        for warning in report.warnings:
            console.print(f"  • {warning.say(lang)}", markup=False, highlight=False)
    if report.ok:
        row = Message("validate.rows").template(lang)  # inside a sentence: file names keep their case
        counts = ", ".join(fill(row, {"file": f, "rows": rows}, lang) for f, rows in report.counts.items())
        console.print(f"[bold green]{say('validate.valid', lang, source=report.source, counts=counts)}[/]")
    else:
        problems(console, report.problems, source=report.source, lang=lang)


def sample_header(console: Console, cluster: Cluster, source: str) -> None:
    """What the demo is about to work on."""
    territories = Counter(w.territory for w in cluster.workshops)
    parts = ", ".join(f"{name} {count}" for name, count in sorted(territories.items()))
    console.rule("[bold]matcher demo[/]")
    console.print(
        f"Synthetic sample cluster from {source}\n"
        f"{counted(len(cluster.workshops), 'workshop')} ({parts}), {counted(len(cluster.ties), 'tie row')}, "
        f"{counted(len(cluster.lead_firms), 'lead firm')}, {counted(len(cluster.orders), 'order')}.\n"
        "[dim]All workshops, people and firms in it are invented.[/]"
    )
