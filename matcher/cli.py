"""The ``matcher`` command: a thin shell over the library.

Each command parses its options, calls the same library functions a Python user
or the service would call, and prints the result (rich tables for people, JSON
with ``--json`` for programs). Errors a user can cause end in one clear line on
standard error and exit code 2; nothing prints a traceback unless
``MATCHER_DEBUG=1`` is set.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console

from matcher import __version__
from matcher import _render as render
from matcher.errors import InvalidDataError, InvalidOptionError, MatcherError
from matcher.privacy import DEFAULT_K

__all__ = ["app", "main"]

EXIT_INVALID = 2
EXIT_FAILED = 1

app = typer.Typer(
    name="matcher",
    help="Network analysis and matchmaking for clusters of small garment workshops.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
out = Console(highlight=False, soft_wrap=False)
err = Console(stderr=True, highlight=False)

T = TypeVar("T")

DatasetArg = Annotated[
    Path,
    typer.Argument(help="Cluster dataset: a folder of CSV files or one .xlsx workbook.", show_default=False),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON (and nothing else) on standard output.")]
SeedOpt = Annotated[int, typer.Option(help="Seed for every randomized step (same seed, same output).")]
ResolutionOpt = Annotated[
    float, typer.Option(help="Leiden resolution: higher gives more, smaller communities.", min=1e-9)
]
LangOpt = Annotated[str, typer.Option("--lang", metavar="es|en", help="Default language of the --html page.")]
DecimalOpt = Annotated[
    bool | None,
    typer.Option(
        "--decimal-comma/--decimal-point",
        help="The decimal mark of the dataset: with --decimal-comma 0,5 is a half and 11.520 eleven "
        "thousand five hundred and twenty; with --decimal-point the other way round. Without either, "
        "a number the two marks read differently is refused (whole numbers like 2.000 are always "
        "two thousand).",
        show_default=False,
    ),
]
AsOfOpt = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        metavar="YYYY-MM-DD",
        help="Planning date that orders' due_date is counted from (default: today).",
        show_default=False,
    ),
]


@contextmanager
def _busy(message: str, *, quiet: bool = False) -> Iterator[None]:
    """A spinner on standard error for anything that may take seconds."""
    if quiet or not err.is_terminal:
        yield
        return
    with err.status(message, spinner="dots"):
        yield


def _run(action: Callable[[], T]) -> T:
    """Run a library call, turning every expected failure into one clear line."""
    try:
        return action()
    except InvalidDataError as exc:
        render.problems(err, exc.problems, source=exc.source)
        raise typer.Exit(EXIT_INVALID) from None
    except MatcherError as exc:
        # soft_wrap: one line however long, for people and for scripts that read it
        err.print(f"[bold red]error:[/] {exc}", markup=True, highlight=False, soft_wrap=True)
        raise typer.Exit(EXIT_INVALID) from None
    except OSError as exc:
        name = f" {exc.filename}" if exc.filename else ""
        err.print(f"[bold red]error:[/] cannot read or write{name}: {exc.strerror or exc}")
        raise typer.Exit(EXIT_INVALID) from None


def _reading(decimal_comma: bool | None, as_of: str | None) -> dict[str, Any]:
    """How to read a dataset, from --decimal-comma/--decimal-point and --as-of."""
    decimal = None if decimal_comma is None else "comma" if decimal_comma else "point"
    return {"decimal": decimal, "as_of": as_of}


def _load(path: Path, *, quiet: bool = False, reading: dict[str, Any] | None = None) -> Any:
    from matcher.io import load_cluster

    with _busy(f"Reading {path} ...", quiet=quiet):
        return _run(lambda: load_cluster(path, **(reading or {})))


def _language(lang: str | None) -> str:
    """The language asked for, else ``MATCHER_LANG``, else the locale's, else English."""
    from matcher.messages import LANGUAGES, language_of

    if lang is not None:
        if lang.strip().lower() not in LANGUAGES:
            err.print(f"[bold red]error:[/] --lang must be one of {', '.join(LANGUAGES)}, got {lang}")
            raise typer.Exit(EXIT_INVALID)
        return lang.strip().lower()
    for name in ("MATCHER_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        if os.environ.get(name):
            return language_of(os.environ[name])
    return "en"


def _print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
    sys.stdout.write("\n")


def _split_ids(values: list[str] | None) -> list[str] | None:
    """Accept ``--order A --order B`` as well as ``--order A,B``."""
    if not values:
        return None
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


@app.callback(invoke_without_command=True)
def _root(
    version: Annotated[bool, typer.Option("--version", help="Show the version and exit.")] = False,
) -> None:
    if version:
        out.print(f"matcher {__version__}")
        raise typer.Exit()


@app.command()
def validate(
    path: DatasetArg,
    decimal_comma: DecimalOpt = None,
    as_of: AsOfOpt = None,
    lang: Annotated[
        str | None,
        typer.Option(
            "--lang",
            metavar="es|en",
            help="Language of the report (default: MATCHER_LANG, else the locale's, else English).",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Check a dataset against the data contract and list every problem.

    Exit code 0 when the dataset is valid, 2 when it is not.
    """
    from matcher.io import validate_dataset

    language = _language(lang)
    with _busy(f"Checking {path} ..."):
        try:
            report = validate_dataset(path, **_reading(decimal_comma, as_of))
        except InvalidDataError as exc:
            render.problems(err, exc.problems, source=exc.source, lang=language)
            raise typer.Exit(EXIT_INVALID) from None
        except MatcherError as exc:
            said = exc.say(language)
            err.print(f"[bold red]error:[/] {said}", markup=True, highlight=False, soft_wrap=True)
            raise typer.Exit(EXIT_INVALID) from None
    render.validation(out, report, lang=language)
    if not report.ok:
        raise typer.Exit(EXIT_INVALID)


GRAPH_SUFFIXES = (".graphml", ".gexf", ".json", ".paj", ".net")


def _load_network(path: Path, *, quiet: bool = False, reading: dict[str, Any] | None = None) -> Any:
    """A dataset (folder or workbook) as a cluster, or a graph file as a network."""
    if path.suffix.lower() in GRAPH_SUFFIXES:
        from matcher.graph import read_network

        with _busy(f"Reading {path} ...", quiet=quiet):
            return _run(lambda: read_network(path))
    return _load(path, quiet=quiet, reading=reading)


@app.command()
def analyze(
    path: Annotated[
        Path,
        typer.Argument(
            help="Cluster dataset (a folder of CSV files or one .xlsx workbook), or a graph file "
            "(.graphml, .gexf, node-link .json, Pajek .paj/.net).",
            show_default=False,
        ),
    ],
    as_json: JsonOpt = False,
    territory: Annotated[
        str | None, typer.Option(help="Analyse only the workshops of this territory.")
    ] = None,
    organization: Annotated[
        str | None, typer.Option(help="Analyse only the members of this organization.")
    ] = None,
    seed: SeedOpt = 0,
    resolution: ResolutionOpt = 1.0,
    runs: Annotated[
        int | None,
        typer.Option(help="Leiden runs (consecutive seeds) to measure community stability.", min=1),
    ] = None,
    betweenness: Annotated[
        str, typer.Option(help="auto (exact to 5,000 workshops, sampled to 200,000), exact, sampled or none.")
    ] = "auto",
    group: Annotated[
        list[str] | None,
        typer.Option(
            "--group",
            metavar="ID,ID,...",
            help="Workshop ids of a group to assess, comma-separated; repeatable.",
        ),
    ] = None,
    ego: Annotated[
        str | None, typer.Option(help="Workshop id whose ego network and brokerage role to show.")
    ] = None,
    compare_waves: Annotated[
        tuple[str, str] | None,
        typer.Option("--compare-waves", metavar="A B", help="Compare the ties of two survey waves."),
    ] = None,
    export: Annotated[
        Path | None,
        typer.Option(
            help="Also write the network with its metrics: .graphml or .gexf (Gephi), .json (node-link) "
            "or .csv (a row per workshop).",
        ),
    ] = None,
    html: Annotated[
        Path | None,
        typer.Option(
            metavar="FILE",
            help="Also write the network and the dashboard as one .html page that opens offline.",
        ),
    ] = None,
    lang: LangOpt = "es",
    overwrite: Annotated[bool, typer.Option(help="Replace an existing --export or --html file.")] = False,
    decimal_comma: DecimalOpt = None,
    as_of: AsOfOpt = None,
    top: Annotated[int, typer.Option(help="Workshops shown in the brokers table.", min=0)] = 10,
) -> None:
    """Network cohesion of the cluster (or a territory or organization of it): communities,
    homophily, brokers, mistrust and tie kinds; optionally a group, an ego network or the
    change between two waves."""
    from matcher import graph

    if html is not None:
        _run(lambda: _check_html(html, lang, overwrite))
    reading = _reading(decimal_comma, as_of)
    data = _load_network(path, quiet=as_json, reading=reading)
    options = {"seed": seed, "resolution": resolution}
    where = ", ".join(f"{k} {v}" for k, v in (("territory", territory), ("organization", organization)) if v)

    def in_scope(ids: list[str]) -> None:
        outside = [i for i in ids if i in whole.index and i not in net.index]
        if outside:
            raise InvalidOptionError(f"{', '.join(outside)} not in the scope asked ({where})")

    with _busy("Analysing the network ...", quiet=as_json):
        whole = _run(lambda: graph.as_network(data))
        net = _run(lambda: graph.scoped(whole, territory=territory, organization=organization))
        report = _run(
            lambda: graph.cohesion_report(
                data, territory=territory, organization=organization, runs=runs, betweenness=betweenness,
                **options,
            )
        )  # fmt: skip
        members = _split_ids(group)
        if group is not None and not members:
            _run(lambda: graph.group_cohesion(net, []))
        _run(lambda: in_scope([*(members or []), *([ego] if ego is not None else [])]))
        if members:
            report["group"] = _run(lambda: graph.group_cohesion(net, members))
        if ego is not None:
            report["ego"] = _run(lambda: graph.ego_network(net, ego, **options))
        if compare_waves is not None:
            report["waves"] = _run(lambda: graph.compare_waves(net, *compare_waves, **options))
        if export is not None:
            written = _run(
                lambda: graph.export_network(
                    net, export, overwrite=overwrite, runs=runs, betweenness=betweenness, **options
                )
            )
    if html is not None:
        with _busy("Writing the page ...", quiet=as_json):
            page = _run(
                lambda: _write_analysis_page(
                    html,
                    data,
                    net,
                    path,
                    territory,
                    organization,
                    betweenness,
                    lang,
                    overwrite,
                    reading=reading,
                    **options,
                )
            )
    if as_json:
        _print_json(report)
        return
    render.cohesion(out, report, title=f"Cohesion of {path}" + (f" ({where})" if where else ""), top=top)
    if "group" in report:
        render.group(out, report["group"])
    if "ego" in report:
        render.ego(out, report["ego"])
    if "waves" in report:
        render.waves(out, report["waves"])
    if export is not None:
        out.print(f"Network with metrics written to [bold]{written}[/].")
    if html is not None:
        out.print(f"Page written to [bold]{page}[/] (opens offline in a browser).")


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
        _run(lambda: _check_html(html, lang, overwrite))
    reading = _reading(decimal_comma, as_of)
    cluster = _load(path, quiet=as_json, reading=reading)
    options = _run(build)
    order_ids = _split_ids(order)
    with _busy("Solving ...", quiet=as_json):
        result = _run(lambda: solve_orders(cluster, order_ids, options=options))
    data = result.to_dict()
    if html is not None:
        with _busy("Writing the page ...", quiet=as_json):
            page = _run(
                lambda: _write_match_page(
                    html, cluster, data, path, lang, overwrite, seed=seed, reading=reading
                )
            )
    if as_json:
        _print_json(data)
        return
    render.match(out, data)
    if html is not None:
        out.print(f"Page written to [bold]{page}[/] (opens offline in a browser).")


def _check_html(path: Path, lang: str, overwrite: bool) -> None:
    """Refuse a bad --html target before any long work."""
    from matcher.views.render import check_html_path

    check_html_path(path, lang=lang, overwrite=overwrite)


def _write_analysis_page(
    target: Path,
    data: Any,
    net: Any,
    path: Path,
    territory: str | None,
    organization: str | None,
    betweenness: str,
    lang: str,
    overwrite: bool,
    *,
    reading: dict[str, Any] | None = None,
    **options: Any,
) -> Path:
    """The network view of the scope analysed and, for a dataset, its dashboard, as one page.

    The dashboard's territory map uses the dataset's contacts, reduced to territory centroids.
    """
    from matcher.io import load_contacts
    from matcher.model import Cluster
    from matcher.views import dashboard_view, network_view
    from matcher.views.render import write_html

    views: dict[str, Any] = {
        "network": network_view(
            data, territory=territory, organization=organization, betweenness=betweenness, **options
        )
    }
    if isinstance(data, Cluster):  # a graph file has no capacities or orders: no dashboard
        contacts = load_contacts(path, **(reading or {}))
        views["dashboard"] = dashboard_view(data, contacts=contacts, workshops=sorted(net.ids))
    return write_html(target, views, page="network", lang=lang, overwrite=overwrite)


def _write_match_page(
    target: Path,
    cluster: Any,
    match: dict[str, Any],
    path: Path | None,
    lang: str,
    overwrite: bool,
    *,
    seed: int,
    reading: dict[str, Any] | None = None,
) -> Path:
    """A proposal for every order of the run, the network and the dashboard, as one page.

    ``path``: the dataset, whose contacts give the dashboard's territory centroids (None: no map).
    """
    from matcher.io import load_contacts
    from matcher.views import dashboard_view, network_view, proposal_view
    from matcher.views.render import write_html

    views = {
        "network": network_view(cluster, seed=seed),
        "dashboard": dashboard_view(
            cluster, match, contacts=None if path is None else load_contacts(path, **(reading or {}))
        ),
        "proposals": {o["order_id"]: proposal_view(cluster, match, o["order_id"]) for o in match["orders"]},
    }
    return write_html(target, views, page="proposal", lang=lang, overwrite=overwrite)


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

    cluster = _load(path, quiet=as_json, reading=_reading(decimal_comma, as_of))
    options = _run(lambda: MatchOptions(solver=solver, time_limit=time_limit, seed=seed))
    with _busy("Searching for suppliers ...", quiet=as_json):
        result = _run(lambda: shortlist(cluster, order, top=top, options=options, k=k_anonymity))
    data = result.to_dict(reveal_ids=reveal_ids)
    if as_json:
        _print_json(data)
        return
    render.shortlist(out, data)


@app.command()
def generate(
    out_path: Annotated[Path, typer.Argument(metavar="OUT", help="Folder (CSV) or .xlsx file to write.")],
    workshops: Annotated[int, typer.Option(help="Number of workshops.", min=1)] = 300,
    orders: Annotated[int, typer.Option(help="Number of orders.", min=0)] = 20,
    seed: SeedOpt = 0,
    waves: Annotated[int, typer.Option(help="Survey waves the ties are observed in.", min=1)] = 1,
    force: Annotated[bool, typer.Option("--force", help="Replace OUT if it exists.")] = False,
) -> None:
    """Write a synthetic cluster of any size (the generator that made the sample)."""
    from matcher.io import write_cluster
    from matcher.synthetic import generate_cluster

    with _busy(f"Generating {render._count(workshops, 'workshop')} ..."):
        cluster, contacts = _run(lambda: generate_cluster(workshops, orders, seed=seed, waves=waves))
    with _busy(f"Writing {out_path} ..."):
        written = _run(lambda: write_cluster(cluster, out_path, contacts=contacts, overwrite=force))
    counted = render._count
    out.print(
        f"Wrote {counted(len(cluster.workshops), 'workshop')}, {counted(len(cluster.ties), 'tie row')}, "
        f"{counted(len(cluster.lead_firms), 'lead firm')} and {counted(len(cluster.orders), 'order')} "
        f"(synthetic, seed {seed}) to {written}"
    )


@app.command()
def demo(
    out_dir: Annotated[
        Path, typer.Option("--out", help="Folder for the JSON results (created if missing).")
    ] = Path("matcher-demo"),
    time_limit: Annotated[float, typer.Option(help="Seconds the solver may use.", min=0.001)] = 60.0,
) -> None:
    """Run the whole product on the bundled synthetic sample cluster."""
    from matcher.graph import cohesion_report
    from matcher.optimize import MatchOptions, solve_orders
    from matcher.sample import load_sample

    started = time.perf_counter()
    with _busy("Loading the sample cluster ..."):
        cluster, source = _run(load_sample)
    render.sample_header(out, cluster, source)
    with _busy("Analysing the network ..."):
        report = _run(lambda: cohesion_report(cluster))
    render.cohesion(out, report, title="Cohesion of the sample cluster", top=5)
    with _busy(f"Matching {render._count(len(cluster.orders), 'order')} (up to {time_limit:g} s) ..."):
        result = _run(lambda: solve_orders(cluster, options=MatchOptions(time_limit=time_limit)))
    data = result.to_dict()
    render.match(out, data)

    def write() -> list[Path]:
        out_dir.mkdir(parents=True, exist_ok=True)
        paths = []
        for name, payload in (("analysis.json", report), ("match.json", data)):
            target = out_dir / name
            tmp = target.with_suffix(".json.tmp")
            tmp.write_text(json.dumps(payload, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
            tmp.replace(target)
            paths.append(target)
        folder = Path(source) if Path(source).is_dir() else None
        paths.append(_write_match_page(out_dir / "cluster.html", cluster, data, folder, "es", True, seed=0))
        return paths

    paths = _run(write)
    elapsed = time.perf_counter() - started
    out.print(
        f"\nResults written to [bold]{out_dir}/[/] ({', '.join(p.name for p in paths)}) in {elapsed:.1f} s; "
        f"open {out_dir / 'cluster.html'} in a browser to see the network and the groups."
    )


def main() -> None:
    """Entry point of the ``matcher`` console script."""
    try:
        app()
    except (KeyboardInterrupt, BrokenPipeError):
        sys.exit(130)
    except Exception as exc:  # a bug: say so plainly, keep the traceback for debugging only
        if os.environ.get("MATCHER_DEBUG"):
            raise
        err.print(
            f"[bold red]internal error:[/] {type(exc).__name__}: {exc}\n"
            "This is a bug in matcher; run again with MATCHER_DEBUG=1 to see where it happened."
        )
        sys.exit(EXIT_FAILED)


if __name__ == "__main__":
    main()
