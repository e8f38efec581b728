"""``matcher validate`` and ``matcher analyze``: check a dataset, analyse its network."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from matcher import _render as render
from matcher.cli.pages import check_html, write_analysis_page
from matcher.cli.shell import (
    EXIT_INVALID,
    AsOfOpt,
    DatasetArg,
    DecimalOpt,
    JsonOpt,
    LangOpt,
    ResolutionOpt,
    SeedOpt,
    app,
    busy,
    guarded,
    language_asked,
    load_dataset,
    out,
    print_json,
    reading_options,
    split_ids,
)
from matcher.errors import InvalidOptionError

if TYPE_CHECKING:  # the graph package is imported when a command needs it
    from matcher.graph.schema_topics import AnalysisReport


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

    language = language_asked(lang)
    with busy(f"Checking {path} ..."):
        reading = reading_options(decimal_comma, as_of)
        report = guarded(lambda: validate_dataset(path, **reading), lang=language)
    render.validation(out, report, lang=language)
    if not report.ok:
        raise typer.Exit(EXIT_INVALID)


def check_scheduler(address: str) -> None:
    """Refuse a ``--scheduler`` no Dask scheduler answers at, before any long work."""
    from matcher.distributed import connect

    connect(address).close()


#: Workshops up to which ``analyze --json`` lists a row per workshop; above, the rows go to
#: ``--export FILE.csv`` or ``.parquet`` and the JSON stays a report (``workshops_table``).
JSON_WORKSHOPS_MAX = 100_000


def workshops_part(table: Any, export: Path | None, *, as_json: bool, top: int) -> dict[str, Any]:
    """The report's per-workshop part: every row up to :data:`JSON_WORKSHOPS_MAX` workshops;
    above, the JSON says where the table is (``workshops_table``) and the screen gets the rows of
    the brokers it shows."""
    from matcher.graph import workshop_rows
    from matcher.messages import Message

    n = len(table)
    if n <= JSON_WORKSHOPS_MAX:
        return {"workshops": workshop_rows(table)}
    if not as_json:
        by = table["betweenness"] if table["betweenness"].notna().any() else -table["constraint"]
        ranked = by.where(table["broker"]).nlargest(top).index.to_numpy() if top else []
        return {"workshops": workshop_rows(table, ranked)}
    file = str(export) if export is not None and export.suffix.lower() in (".csv", ".parquet") else None
    key = "analysis.rows_apart" if file else "analysis.rows_left_out"
    said = Message(key, {"workshops": n, "file": file})
    return {"workshops_table": {"workshops": n, "file": file, "note": said.text}}


GRAPH_SUFFIXES = (".graphml", ".gexf", ".json", ".paj", ".net")


def load_network(path: Path, *, quiet: bool = False, reading: dict[str, Any] | None = None) -> Any:
    """A dataset (folder or workbook) as a cluster, or a graph file as a network."""
    if path.suffix.lower() in GRAPH_SUFFIXES:
        from matcher.graph import read_network

        with busy(f"Reading {path} ...", quiet=quiet):
            return guarded(lambda: read_network(path))
    return load_dataset(path, quiet=quiet, reading=reading)


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
            help="Also write the network with its metrics: .graphml or .gexf (Gephi), .json (node-link), "
            "or the table of a row per workshop as .csv or .parquet (parquet extra), written in chunks "
            "at any size; above 100,000 workshops --json leaves the rows to this table.",
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
    scheduler: Annotated[
        str | None,
        typer.Option(
            metavar="ADDRESS",
            help="Dask scheduler (tcp://host:8786) whose workers compute betweenness above 5,000 "
            "workshops, at any size: exact while the cluster affords it, sampled beyond (needs the "
            "dask extra).",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Network cohesion of the cluster (or a territory or organization of it): communities,
    homophily, brokers, mistrust and tie kinds; optionally a group, an ego network or the
    change between two waves."""
    from matcher import graph

    if html is not None:
        guarded(lambda: check_html(html, lang, overwrite))
    if export is not None:
        guarded(lambda: graph.check_export(export, overwrite=overwrite))
    if scheduler is not None:
        guarded(lambda: check_scheduler(scheduler))
    reading = reading_options(decimal_comma, as_of)
    data = load_network(path, quiet=as_json, reading=reading)
    options: dict[str, Any] = {"seed": seed, "resolution": resolution}
    brokers: dict[str, Any] = {"betweenness": betweenness, "scheduler": scheduler}
    where = ", ".join(f"{k} {v}" for k, v in (("territory", territory), ("organization", organization)) if v)

    def in_scope(ids: list[str]) -> None:
        outside = [i for i in ids if i in whole.index and i not in net.index]
        if outside:
            raise InvalidOptionError(f"{', '.join(outside)} not in the scope asked ({where})")

    with busy("Analysing the network ...", quiet=as_json):
        whole = guarded(lambda: graph.as_network(data))
        net = guarded(lambda: graph.scoped(whole, territory=territory, organization=organization))
        cohesion, table = guarded(
            lambda: graph.cohesion_analysis(
                whole, territory=territory, organization=organization, runs=runs, **brokers, **options
            )
        )
        # The cohesion report, then the parts asked for, in this order.
        report: AnalysisReport = {**cohesion, **workshops_part(table, export, as_json=as_json, top=top)}
        members = split_ids(group)
        if group is not None and not members:
            guarded(lambda: graph.group_cohesion(net, []))
        guarded(lambda: in_scope([*(members or []), *([ego] if ego is not None else [])]))
        if members:
            report["group"] = guarded(lambda: graph.group_cohesion(net, members))
        if ego is not None:
            report["ego"] = guarded(lambda: graph.ego_network(net, ego, **options))
        if compare_waves is not None:
            report["waves"] = guarded(lambda: graph.compare_waves(net, *compare_waves, **options))
        if export is not None:
            written = guarded(
                lambda: graph.export_network(
                    net, export, overwrite=overwrite, table=table, runs=runs, **brokers, **options
                )
            )
    if html is not None:
        with busy("Writing the page ...", quiet=as_json):
            page = guarded(
                lambda: write_analysis_page(
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
        print_json(report)
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
