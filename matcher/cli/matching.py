"""``matcher match`` and ``matcher shortlist``: groups for orders, shortlists for a lead firm."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from matcher import _render as render
from matcher.cli.pages import check_html, write_match_page
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
from matcher.errors import InvalidOptionError
from matcher.privacy import DEFAULT_K


@app.command()
def match(
    path: DatasetArg,
    order: Annotated[
        list[str] | None,
        typer.Option(
            "--order", metavar="ID", help="Order id to match; repeat or separate with commas. Default: all."
        ),
    ] = None,
    solver: Annotated[str, typer.Option(help="highs, cbc, or auto (HiGHS if installed, else CBC).")] = "auto",
    time_limit: Annotated[float, typer.Option(help="Seconds the solver may use in all.", min=0.001)] = 30.0,
    allow_partial: Annotated[bool, typer.Option(help="Allow an order to be filled in part.")] = False,
    max_group_size: Annotated[
        int | None, typer.Option(help="Group-size cap for orders that set none.", min=1)
    ] = None,
    rule: Annotated[
        list[str] | None,
        typer.Option(
            "--rule",
            metavar="RULE=VALUE",
            help="Set a rule for the run: RULE=off|preferred|required (small, leader, cohesion, "
            "robustness, specialisation, homogeneity, fairness, cost) or a parameter "
            "(small_max, leader_hops, "
            "max_worker_ratio, max_quality_spread, max_share, min_group_size, min_lot), "
            "e.g. --rule cohesion=required. Repeatable. "
            "Default: small, leader and cohesion preferred, the rest off; work split in lots of "
            "5% of the quantity, at least 50 units (min_lot=N sets the lot, 0 switches lots off).",
        ),
    ] = None,
    order_rule: Annotated[
        list[str] | None,
        typer.Option(
            "--order-rule",
            metavar="ORDER:RULE=VALUE",
            help="Set a rule for one order, e.g. O1:leader=required or O1:min_lot=100.",
        ),
    ] = None,
    priority: Annotated[
        list[str] | None,
        typer.Option(metavar="ORDER=WEIGHT", help="Weight of an order's units (default 1), e.g. O3=2."),
    ] = None,
    explain_seconds: Annotated[
        float,
        typer.Option(
            help="Seconds in all for explaining by solving again: the changes that would fill unfilled "
            "orders, and the smallest group linked by ties for groups that are not (0 to skip).",
            min=0,
        ),
    ] = 10.0,
    method: Annotated[
        str,
        typer.Option(
            help="full: one model of every order and eligible workshop; decompose: one order at a time "
            "on its best candidates, improved by neighbourhood search, with a bound valid for the whole "
            "cluster; auto: decompose above 500 eligible (workshop, order) pairs.",
        ),
    ] = "auto",
    seed: SeedOpt = 0,
    html: Annotated[
        Path | None,
        typer.Option(
            metavar="FILE",
            help="Also write the proposals (with the network and the dashboard) as one .html page "
            "that opens offline.",
        ),
    ] = None,
    lang: LangOpt = "es",
    overwrite: Annotated[bool, typer.Option(help="Replace an existing --html file.")] = False,
    decimal_comma: DecimalOpt = None,
    as_of: AsOfOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Propose workshop groups for one, several or all orders of the dataset."""
    from matcher.optimize import MatchOptions, Rules, solve_orders

    def build() -> MatchOptions:
        per_order: dict[str, list[str]] = {}
        for text in order_rule or []:
            order_id, sep, setting = text.partition(":")
            if not sep or not order_id.strip():
                raise InvalidOptionError(
                    f"--order-rule {text!r} must read ORDER:RULE=VALUE, e.g. O1:leader=required"
                )
            per_order.setdefault(order_id.strip(), []).append(setting)
        weights = {}
        for text in priority or []:
            order_id, sep, raw = text.partition("=")
            try:
                weights[order_id.strip()] = float(raw)
            except ValueError:
                raise InvalidOptionError(f"--priority {text!r} must read ORDER=WEIGHT, e.g. O3=2") from None
            if not sep:
                raise InvalidOptionError(f"--priority {text!r} must read ORDER=WEIGHT, e.g. O3=2")
        rules = Rules.parse(rule or [])
        return MatchOptions(
            solver=solver,
            time_limit=time_limit,
            allow_partial=allow_partial,
            max_group_size=max_group_size,
            seed=seed,
            rules=rules,
            order_rules={o: Rules.parse(settings, rules).to_dict() for o, settings in per_order.items()},
            priorities=weights,
            explain_seconds=explain_seconds,
            method=method,
        )

    if html is not None:
        guarded(lambda: check_html(html, lang, overwrite))
    reading = reading_options(decimal_comma, as_of)
    cluster = load_dataset(path, quiet=as_json, reading=reading)
    options = guarded(build)
    order_ids = split_ids(order)
    with busy("Solving ...", quiet=as_json):
        result = guarded(lambda: solve_orders(cluster, order_ids, options=options))
    data = result.to_dict()
    if html is not None:
        with busy("Writing the page ...", quiet=as_json):
            page = guarded(
                lambda: write_match_page(
                    html, cluster, data, path, lang, overwrite, seed=seed, reading=reading
                )
            )
    if as_json:
        print_json(data)
        return
    render.match(out, data)
    if html is not None:
        out.print(f"Page written to [bold]{page}[/] (opens offline in a browser).")


@app.command("shortlist")
def shortlist_command(
    path: DatasetArg,
    order: Annotated[str, typer.Option("--order", metavar="ID", help="Id of the order to shortlist for.")],
    top: Annotated[int, typer.Option(help="At most this many single workshops and this many groups.")] = 10,
    solver: Annotated[str, typer.Option(help="highs, cbc, or auto (HiGHS if installed, else CBC).")] = "auto",
    time_limit: Annotated[
        float, typer.Option(help="Seconds the search for groups may use in all.", min=0.001)
    ] = 30.0,
    seed: SeedOpt = 0,
    reveal_ids: Annotated[
        bool,
        typer.Option(
            "--reveal-ids", help="Show workshop ids beside the anonymous references (for coordinators)."
        ),
    ] = False,
    k_anonymity: Annotated[
        int,
        typer.Option(
            "--k-anonymity",
            metavar="K",
            min=1,
            help="Every profile shown fits at least K workshops of the cluster (1: exact profiles).",
        ),
    ] = DEFAULT_K,
    decimal_comma: DecimalOpt = None,
    as_of: AsOfOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Rank the single workshops and the ready groups that can take an order, for a lead firm.

    Each entry has a score in parts (capability, capacity, quality margin over
    the order's minimum, reliability where known, cohesion of a group) and
    anonymized profiles that fit at least K workshops of the cluster: a
    reference, territory, size band, quality (a level or a band), formality,
    the order's processes it does and whether it mainly makes the product,
    each coarsened or withheld (-) as needed; no id, name, contact or
    location unless --reveal-ids.
    """
    from matcher.optimize import MatchOptions, shortlist

    cluster = load_dataset(path, quiet=as_json, reading=reading_options(decimal_comma, as_of))
    options = guarded(lambda: MatchOptions(solver=solver, time_limit=time_limit, seed=seed))
    with busy("Searching for suppliers ...", quiet=as_json):
        result = guarded(lambda: shortlist(cluster, order, top=top, options=options, k=k_anonymity))
    data = result.to_dict(reveal_ids=reveal_ids)
    if as_json:
        print_json(data)
        return
    render.shortlist(out, data)
