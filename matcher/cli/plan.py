"""``matcher plan``: the interventions that would let the cluster fill the orders it is losing."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from matcher import _render as render
from matcher.cli.pages import check_html, write_plan_page
from matcher.cli.shell import (
    AsOfOpt,
    DatasetArg,
    DecimalOpt,
    JsonOpt,
    LangOpt,
    SeedOpt,
    app,
    busy,
    guarded,
    load_dataset,
    out,
    print_json,
    reading_options,
    split_ids,
)


@app.command("plan")
def plan_command(
    path: DatasetArg,
    budget: Annotated[
        float | None,
        typer.Option(
            help="What the programme can spend, in the units of the cost table (USD by default). "
            "Without it the plan ranks the sets of interventions found and chooses no portfolio.",
            show_default=False,
        ),
    ] = None,
    costs: Annotated[
        Path | None,
        typer.Option(
            metavar="FILE",
            help="A CSV of intervention costs (kind,cost,unit,description) replacing the default table's "
            "figures for the kinds it lists; the default is synthetic.",
            show_default=False,
        ),
    ] = None,
    order: Annotated[
        list[str] | None,
        typer.Option(
            "--order", metavar="ID", help="Order id to match; repeat or separate with commas. Default: all."
        ),
    ] = None,
    time_limit: Annotated[float, typer.Option(help="Seconds for the whole plan.", min=0.001)] = 120.0,
    seed: SeedOpt = 0,
    html: Annotated[
        Path | None,
        typer.Option(
            metavar="FILE",
            help="Also write the plan (the interventions ranked with the orders each unlocks, the "
            "portfolio) as one .html page that opens offline.",
        ),
    ] = None,
    lang: LangOpt = "es",
    overwrite: Annotated[bool, typer.Option(help="Replace an existing --html file.")] = False,
    decimal_comma: DecimalOpt = None,
    as_of: AsOfOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Rank interventions by the order units they unlock; with --budget, choose a portfolio.

    Interventions: a workshop learns a process or a product, reaches the next
    quality level, formalises, takes on operators or works more hours, or two
    workshops are introduced. For each order the matcher leaves unfilled, the
    cheapest set of interventions found that lets it be filled, checked by
    solving; with a budget, the sets that together fill the most units, checked
    by solving every order again with all of them applied.
    """
    from matcher.develop import load_costs, upgrade_plan

    if html is not None:
        guarded(lambda: check_html(html, lang, overwrite))
    cluster = load_dataset(path, quiet=as_json, reading=reading_options(decimal_comma, as_of))
    table = guarded(lambda: load_costs(costs))
    with busy("Planning: solving the orders and checking interventions ...", quiet=as_json):
        result = guarded(
            lambda: upgrade_plan(
                cluster, budget=budget, costs=table, orders=split_ids(order), time_limit=time_limit, seed=seed
            )
        )
    data = result.to_dict()
    if html is not None:
        with busy("Writing the page ...", quiet=as_json):
            page = guarded(lambda: write_plan_page(html, cluster, data, lang, overwrite))
    if as_json:
        print_json(data)
        return
    render.plan(out, data)
    if html is not None:
        out.print(f"Page written to [bold]{page}[/] (opens offline in a browser).")
