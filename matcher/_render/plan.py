"""Upgrade plans at the terminal: the sets of interventions ranked, the portfolio and its check."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import Any

from rich.console import Console
from rich.table import Table

from matcher._render.formatting import bullets, counted, number


def _kinds(interventions: list[Mapping[str, Any]]) -> str:
    """``13 learn_product, 8 add_worker``: the kinds of a set, most frequent first."""
    counts = Counter(i["kind"] for i in interventions)
    return "\n".join(f"{n} {kind}" for kind, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def plan(console: Console, data: Mapping[str, Any]) -> None:
    """An upgrade plan: baseline, each unfilled order's set ranked, and with a budget the portfolio."""
    budget = data["budget"]
    console.rule("[bold]Upgrade plan[/]")
    said_budget = "no budget (ranking only)" if budget is None else f"budget {number(budget, 0)}"
    console.print(
        f"Baseline: the matcher fills {number(data['baseline']['units'])} units "
        f"({data['baseline']['status']}); {said_budget}; costs: {data['costs']['source']}."
    )
    orders = data["orders"]
    if orders:
        table = Table(
            title="Unfilled orders and the cheapest set of interventions found", title_justify="left"
        )
        for column in (
            "rank",
            "order",
            "product",
            "units",
            "due (weeks)",
            "cost",
            "units per 1,000 spent",
            "set",
        ):
            table.add_column(column, justify="left" if column in {"order", "product", "set"} else "right")
        for rank, order in enumerate(orders, start=1):
            fits = order["fills"] and (budget is None or order["cost"] <= budget)
            style = "green" if fits else "yellow" if order["fills"] else "red"
            table.add_row(
                str(rank) if order["fills"] else "-",
                f"[{style}]{order['order_id']}[/]",
                order["product"],
                number(order["quantity"]),
                number(order["due_weeks"], 1),
                number(order["cost"], 0) if order["fills"] else "-",
                number(1000 * order["units_per_cost"], 1) if order["fills"] else "-",
                _kinds(order["interventions"]) if order["fills"] else "none found",
            )
        console.print(table)
    portfolio = data["portfolio"]
    # The sets the portfolio does not show are listed in full, so that each can be read and costed.
    for order in orders:
        if order["fills"] and order["order_id"] not in portfolio["orders"]:
            console.print(f"[bold]Set for {order['order_id']}[/] (cost {number(order['cost'], 0)}):")
            bullets(console, [f"{i['text']} — {number(i['cost'], 0)}" for i in order["interventions"]])
    if portfolio["interventions"]:
        table = Table(title="Portfolio", title_justify="left")
        for column in ("intervention", "cost", "adds min/week", "for orders"):
            table.add_column(column, justify="left" if column in {"intervention", "for orders"} else "right")
        for item in portfolio["interventions"]:
            adds = item["adds_minutes_per_week"]
            table.add_row(
                item["text"],
                number(item["cost"], 0),
                number(adds, 0) if adds else "-",
                ", ".join(item["orders"]),
            )
        table.add_row(
            f"[bold]{counted(len(portfolio['interventions']), 'intervention')}[/]",
            f"[bold]{number(portfolio['cost'], 0)}[/]",
            "",
            "",
        )
        console.print(table)
        confirmed = portfolio["confirmed_units"]
        style = "green" if confirmed is not None and confirmed >= portfolio["planned_units"] else "yellow"
        console.print(
            f"Planned {number(portfolio['planned_units'])} units; solving every order again with the "
            f"portfolio applied: [{style}]{number(confirmed)} more units[/] "
            f"({portfolio['confirmed_status']})."
        )
        if portfolio["lost_orders"]:
            console.print(f"[yellow]Orders no longer filled:[/] {', '.join(portfolio['lost_orders'])}")
    bullets(console, data["reasons"])
    for order in orders:
        if order["reasons"]:
            bullets(console, order["reasons"])
    console.print(
        f"{counted(data['candidates'], 'candidate')} considered, {counted(data['solves'], 'solve')}, "
        f"{data['seconds']:.1f} s."
    )
