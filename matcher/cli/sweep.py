"""``matcher sweep``: the orders matched under each scenario of a file, compared in one table."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer

from matcher import _render as render
from matcher.cli.shell import (
    AsOfOpt,
    DatasetArg,
    DecimalOpt,
    JsonOpt,
    SeedOpt,
    app,
    err,
    guarded,
    load_dataset,
    out,
    print_json,
    reading_options,
)


@contextmanager
def progress_bar(*, quiet: bool = False) -> Iterator[Callable[[int, int], None]]:
    """A progress bar on standard error counting the scenarios done; yields the callback to advance it."""
    if quiet or not err.is_terminal:
        yield lambda done, total: None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(
        TextColumn("Scenarios"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), console=err
    ) as bar:
        task = bar.add_task("sweep", total=None)
        yield lambda done, total: bar.update(task, completed=done, total=total)


@app.command("sweep")
def sweep_command(
    path: DatasetArg,
    scenarios: Annotated[
        Path,
        typer.Argument(
            help="The scenarios: a .csv file (a row per scenario) or a .toml file ([[scenario]] tables); "
            "see the guide's Scenario sweeps page for the fields.",
            show_default=False,
        ),
    ],
    scheduler: Annotated[
        str | None,
        typer.Option(
            metavar="ADDRESS",
            help="Run the scenarios on the workers of the Dask scheduler at ADDRESS (tcp://host:8786) "
            "instead of this machine; needs the dask extra.",
            show_default=False,
        ),
    ] = None,
    processes: Annotated[
        int | None,
        typer.Option(
            help="Processes on this machine (default: one per core); 1 runs the scenarios one after another "
            "in this process.",
            min=1,
            show_default=False,
        ),
    ] = None,
    time_limit: Annotated[
        float, typer.Option(help="Seconds each scenario's matching may use.", min=0.001)
    ] = 30.0,
    seed: SeedOpt = 0,
    export: Annotated[
        Path | None,
        typer.Option(
            metavar="FILE", help="Also write the comparison table as a CSV file.", show_default=False
        ),
    ] = None,
    overwrite: Annotated[bool, typer.Option(help="Replace an existing --export file.")] = False,
    decimal_comma: DecimalOpt = None,
    as_of: AsOfOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Match the orders under each scenario of a file and compare them in one table.

    A scenario changes the rules of a good group, partial fills, the group-size
    cap, due dates, the territories orders may go to, the workshops available,
    the ties, or applies interventions (as matcher plan writes them). Each
    scenario runs as one task, in processes on this machine or on a Dask
    cluster (--scheduler); the table has one row per scenario, the baseline
    (no change) first: filled units, orders filled, groups, status and gap,
    seconds. A file with a problem is refused whole, every problem listed by
    row and field, before anything runs.
    """
    from matcher.sweep import read_scenarios, sweep
    from matcher.sweep.result import check_export

    if export is not None:
        guarded(lambda: check_export(export, overwrite=overwrite))
    cluster = load_dataset(path, quiet=as_json, reading=reading_options(decimal_comma, as_of))
    found = guarded(lambda: read_scenarios(scenarios, cluster))
    with progress_bar(quiet=as_json) as advance:
        result = guarded(
            lambda: sweep(
                cluster,
                found,
                scheduler=scheduler,
                processes=processes,
                seed=seed,
                time_limit=time_limit,
                progress=advance,
            )
        )
    if export is not None:
        written = guarded(lambda: result.write_csv(export, overwrite=overwrite))
    data = result.to_dict()
    if as_json:
        print_json(data)
        return
    render.sweep(out, data)
    if export is not None:
        out.print(f"Table written to [bold]{written}[/].")
