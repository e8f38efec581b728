"""Matching at the terminal: a run's groups for the orders, and a lead firm's shortlist."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

from rich.console import Console
from rich.table import Table

from matcher._render.formatting import bullets, counted, number


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
        table.add_row(
            name, *(number(units.get(p)) if p in units else "" for p in processes), number(minutes, 0)
        )
    return table


def match(console: Console, data: Mapping[str, Any]) -> None:
    """The outcome of a match: run status, the orders, each group and the reasons."""
    gap = data.get("gap")
    gap_text = "" if gap is None else f", gap {gap:.2%}"
    for objective in data.get("objectives", ()):
        if objective.get("name") == "preferences" and objective.get("gap") is not None:
            gap_text = f", gap {gap or 0.0:.2%} on units, {objective['gap']:.2%} on the preferred rules"
    seconds = data.get("time_seconds")
    time_text = "" if seconds is None else f", {seconds:.1f} s"
    verified = " verified" if data.get("verified") else ""
    status = data["status"]
    console.rule("[bold]Groups for the orders[/]")
    console.print(
        f"Solver {data['solver']}: [{_status_style(status)}]{status}[/]{gap_text}{time_text}{verified}"
    )
    table = Table(title_justify="left")
    for column in ("order", "product", "quantity", "lot", "due (weeks)", "status", "filled", "members"):
        table.add_column(column, justify="left" if column in {"order", "product", "status"} else "right")
    for order in data["orders"]:
        table.add_row(
            order["order_id"],
            str(order.get("product", "")),
            number(order["quantity"]),
            number(order.get("lot")) if order.get("lot", 0) > 1 else "-",
            number(order.get("due_weeks"), 1),
            f"[{_status_style(order['status'])}]{order['status']}[/]",
            number(order["filled_units"]),
            number(len(order["group"])),
        )
    console.print(table)
    for order in data["orders"]:
        if order["group"]:
            console.print(_members_table(order))
        else:
            console.print(f"[bold]{order['order_id']}[/] — {order['status']}")
        bullets(console, order.get("reasons", []))


def _score_cells(score: Mapping[str, Any], parts: Sequence[str]) -> list[str]:
    cells = [number(score[part], 2) for part in parts]
    return [*cells, f"[bold]{score['total']:.2f}[/]"]


#: How a withheld field of a lead firm's profile is shown.
WITHHELD = "—"


def _profile_quality(quality: Mapping[str, int] | None) -> str:
    """``3``, ``3–4`` (a band) or the withheld mark."""
    if quality is None:
        return WITHHELD
    low, high = quality["low"], quality["high"]
    return str(low) if low == high else f"{low}–{high}"


def _yes_no(value: bool | None, yes: str = "yes", no: str = "no") -> str:
    return WITHHELD if value is None else yes if value else no


def shortlist(console: Console, data: Mapping[str, Any]) -> None:
    """A shortlist for a lead firm: ranked singles and groups, scores in parts, members anonymized.

    Profiles are shown as the shortlist gives them: a quality band as ``3–4``,
    a withheld field as ``—`` (the notes say why).
    """
    order = data["order"]
    described = " (described)" if order["described"] else ""
    console.rule(f"[bold]Shortlist for order {order['order_id']}{described}[/]")
    console.print(
        f"{order['quantity']:,} {order['product']} by week {order['due_weeks']:g}, "
        f"quality {order['min_quality']} or better"
    )
    entries = data["singles"] + data["groups"]
    # Reliability is shown only where the dataset records it for someone.
    known = any(e["score"]["reliability"] is not None for e in entries)
    parts = ["capability", "capacity", "quality_margin", *(["reliability"] if known else [])]
    headers = ["capability", "capacity", "quality margin", *(["reliability"] if known else [])]
    reveal = any("workshop_id" in m for e in entries for m in e["members"])

    def who(m: Mapping[str, Any]) -> list[str]:
        territory = m["territory"] or WITHHELD
        return [m["ref"], *([m["workshop_id"]] if reveal else []), territory, m["size_band"] or WITHHELD]

    if data["singles"]:
        table = Table(title="Single workshops that can take it alone", title_justify="left")
        ids = ["workshop"] if reveal else []
        columns = ["ref", *ids, "territory", "size", "quality", "formal", "main product"]
        for i, column in enumerate([*columns, *headers, "total"]):
            table.add_column(column, justify="left" if i < len(columns) - 3 else "right")
        for entry in data["singles"]:
            m = entry["members"][0]
            table.add_row(
                *who(m),
                _profile_quality(m["quality"]),
                _yes_no(m["formal"]),
                _yes_no(m["main_product"], order["product"], "other"),
                *_score_cells(entry["score"], parts),
            )
        console.print(table)
    if data["groups"]:
        table = Table(title="Groups that can take it together", title_justify="left")
        columns = ["group", "members", "territories", "sizes"]
        for i, column in enumerate([*columns, *headers, "cohesion", "total"]):
            table.add_column(column, justify="left" if i in (0, 2, 3) else "right")
        for entry in data["groups"]:
            members = entry["members"]
            sizes = Counter(m["size_band"] or WITHHELD for m in members)
            table.add_row(
                entry["ref"],
                number(len(members)),
                ", ".join(sorted({m["territory"] or WITHHELD for m in members})),
                ", ".join(f"{n} {b}" for b, n in sorted(sizes.items())),
                *_score_cells(entry["score"], [*parts, "cohesion"]),
            )
        console.print(table)
        for entry in data["groups"]:
            console.print(f"[bold]{entry['ref']}[/]")
            for m in entry["members"]:
                work = ", ".join(f"{a['process']} {a['units']:,}" for a in m["allocations"])
                head = " ★ leads" if m["leader"] else ""
                product = order["product"]
                main = _yes_no(m["main_product"], f"mainly {product}", f"mainly other than {product}")
                formal = _yes_no(m["formal"], "formal", "informal")
                # A withheld field is named beside its mark, so that the line still reads.
                cells = " · ".join(
                    [
                        m["territory"] or f"territory {WITHHELD}",
                        m["size_band"] or f"size {WITHHELD}",
                        f"quality {_profile_quality(m['quality'])}",
                        formal.replace(WITHHELD, f"formality {WITHHELD}"),
                        f"does {WITHHELD if m['processes'] is None else ', '.join(m['processes'])}",
                        main.replace(WITHHELD, f"main product {WITHHELD}"),
                    ]
                )
                ref = m["ref"] + (f" ({m['workshop_id']})" if reveal else "")
                console.print(f"  {ref}{head} — {cells}: {work}", markup=False, highlight=False)
    if any(m["withheld"] for e in entries for m in e["members"]):
        console.print(f"{WITHHELD} withheld, so that no profile points to one workshop.")
    search = data["search"]
    found = f"{counted(len(data['singles']), 'single')}, {counted(len(data['groups']), 'group')}"
    ended = {
        "top": "as many as asked",
        "no_more_groups": "no other group exists",
        "time_limit": "time limit reached",
    }[search["stopped"]]
    console.print(f"{found}; search for groups with {search['solver']}: {ended}, {search['seconds']:.1f} s.")
    bullets(console, data["notes"])
