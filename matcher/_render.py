"""Rich rendering of library results for people at a terminal.

Everything here reads the JSON-ready dicts the library returns (the same data
``--json`` prints), so what a person sees and what a program reads never drift.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from rich.console import Console
from rich.table import Table

from matcher.errors import Problem
from matcher.model import Cluster


def _num(value: float | int | None, digits: int = 3) -> str:
    if value is None:
        return "-"
    if isinstance(value, int):
        return f"{value:,}"
    return f"{value:,.{digits}f}"


def problems(console: Console, found: Sequence[Problem], *, source: str | None = None) -> None:
    """Every problem of a refused dataset, one line each, then what to do."""
    n = len(found)
    where = f" in {source}" if source else ""
    console.print(f"[bold red]{n} problem{'s' if n != 1 else ''}{where}[/] — nothing was loaded:")
    for problem in found:
        console.print(f"  • {problem}", markup=False, highlight=False)
    console.print("Fix these in the spreadsheet and run the command again.")


def validation(console: Console, report: Any) -> None:
    """The outcome of ``matcher validate``."""
    if report.warnings:
        console.print(f"[yellow]{len(report.warnings)} warning(s):[/]")
        for warning in report.warnings:
            console.print(f"  • {warning}", markup=False, highlight=False)
    if report.ok:
        counts = ", ".join(f"{name}: {rows:,} rows" for name, rows in report.counts.items())
        console.print(f"[bold green]valid[/] {report.source} ({counts})")
    else:
        problems(console, report.problems, source=report.source)


def sample_header(console: Console, cluster: Cluster, source: str) -> None:
    """What the demo is about to work on."""
    territories = Counter(w.territory for w in cluster.workshops)
    parts = ", ".join(f"{name} {count}" for name, count in sorted(territories.items()))
    console.rule("[bold]matcher demo[/]")
    console.print(
        f"Synthetic sample cluster from {source}\n"
        f"{len(cluster.workshops):,} workshops ({parts}), {len(cluster.ties):,} ties, "
        f"{len(cluster.lead_firms)} lead firms, {len(cluster.orders)} orders.\n"
        "[dim]All workshops, people and firms in it are invented.[/]"
    )


def _plain_words(net: Mapping[str, Any]) -> str:
    n = net["workshops"]
    isolates = net["isolates"]
    share = f" ({isolates / n:.0%})" if n else ""
    density = net["density"]
    spread = "sparse" if density < 0.05 else "dense" if density > 0.3 else "moderately connected"
    return (
        f"The collaboration network is {spread} (density {density:.3f}), in {net['components']:,} "
        f"connected part{'s' if net['components'] != 1 else ''}; "
        f"{isolates:,} workshop{'s' if isolates != 1 else ''}{share} "
        f"{'have' if isolates != 1 else 'has'} no positive tie. "
        f"Leiden finds {net['communities']:,} communities (modularity {net['modularity']:.2f})."
    )


def cohesion(console: Console, report: Mapping[str, Any], *, title: str, top: int = 10) -> None:
    """Network summary, ties by kind and the main brokers."""
    net = report["network"]
    summary = Table(title=title, show_header=False, title_justify="left")
    summary.add_column("measure")
    summary.add_column("value", justify="right")
    rows: list[tuple[str, Any]] = [
        ("Workshops", net["workshops"]),
        ("Ties (rows, all kinds)", net["ties"]),
        ("Density (collaboration graph)", net["density"]),
        ("Connected components", net["components"]),
        ("Average clustering", net["average_clustering"]),
        ("Communities (Leiden)", net["communities"]),
        ("Modularity", net["modularity"]),
        ("Isolates (no positive tie)", net["isolates"]),
    ]
    if "largest_component_share" in net:
        rows.insert(4, ("Share in largest component", net["largest_component_share"]))
    for label, value in rows:
        summary.add_row(label, _num(value))
    console.print(summary)

    kinds = Table(title="Ties by kind", title_justify="left")
    kinds.add_column("kind")
    kinds.add_column("ties", justify="right")
    for kind, count in net["ties_by_kind"].items():
        style = "red" if kind == "conflict" and count else None
        kinds.add_row(kind, _num(count), style=style)
    console.print(kinds)

    workshops = report.get("workshops", [])
    if top and workshops:
        brokers = sorted(workshops, key=lambda w: (-w["betweenness"], w["workshop_id"]))[:top]
        table = Table(title=f"Top {len(brokers)} brokers (betweenness)", title_justify="left")
        for column in ("workshop", "degree", "betweenness", "community"):
            table.add_column(column, justify="left" if column == "workshop" else "right")
        for w in brokers:
            table.add_row(w["workshop_id"], _num(w["degree"]), _num(w["betweenness"]), _num(w["community"]))
        console.print(table)
    console.print(_plain_words(net))


def _status_style(status: str) -> str:
    return {"optimal": "green", "filled": "green", "feasible": "yellow", "partial": "yellow"}.get(
        status, "red"
    )


def _members_table(order: Mapping[str, Any]) -> Table:
    processes: list[str] = []
    for member in order["group"]:
        for alloc in member["allocations"]:
            if alloc["process"] not in processes:
                processes.append(alloc["process"])
    table = Table(title=f"Group for {order['order_id']}", title_justify="left")
    table.add_column("workshop")
    for process in processes:
        table.add_column(process, justify="right")
    table.add_column("minutes", justify="right")
    for member in order["group"]:
        units = {a["process"]: a["units"] for a in member["allocations"]}
        minutes = sum(a["minutes"] for a in member["allocations"])
        name = member["workshop_id"] + (" ★ leader" if member.get("leader") else "")
        table.add_row(name, *(_num(units.get(p)) if p in units else "" for p in processes), _num(minutes, 0))
    return table


def _bullets(console: Console, lines: Iterable[str]) -> None:
    for line in lines:
        console.print(f"  • {line}", markup=False, highlight=False)


def match(console: Console, data: Mapping[str, Any]) -> None:
    """The outcome of a match: run status, the orders, each group and the reasons."""
    gap = data.get("gap")
    gap_text = "" if gap is None else f", gap {gap:.2%}"
    seconds = data.get("time_seconds")
    time_text = "" if seconds is None else f", {seconds:.1f} s"
    verified = " verified" if data.get("verified") else ""
    status = data["status"]
    console.rule("[bold]Groups for the orders[/]")
    console.print(
        f"Solver {data['solver']}: [{_status_style(status)}]{status}[/]{gap_text}{time_text}{verified}"
    )
    table = Table(title_justify="left")
    for column in ("order", "product", "quantity", "due (weeks)", "status", "filled", "members"):
        table.add_column(column, justify="left" if column in {"order", "product", "status"} else "right")
    for order in data["orders"]:
        table.add_row(
            order["order_id"],
            str(order.get("product", "")),
            _num(order["quantity"]),
            _num(order.get("due_weeks"), 1),
            f"[{_status_style(order['status'])}]{order['status']}[/]",
            _num(order["filled_units"]),
            _num(len(order["group"])),
        )
    console.print(table)
    for order in data["orders"]:
        if order["group"]:
            console.print(_members_table(order))
        else:
            console.print(f"[bold]{order['order_id']}[/] — {order['status']}")
        _bullets(console, order.get("reasons", []))
