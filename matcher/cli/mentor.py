"""``matcher mentor``: mentor–trainee pairs and mentoring circles that teach what the orders need."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated

import typer

from matcher import _render as render
from matcher.cli.pages import check_html, write_mentoring_page
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
from matcher.messages import Message

_RANGE = re.compile(r"^\s*(\d+)\s*(?:-|\.\.|,|:)\s*(\d+)\s*$")


def parse_circle_size(text: str | None) -> tuple[int, int] | None:
    """``3-5`` (or ``3..5``, ``3,5``; ``4`` alone: exactly 4) as ``(3, 5)``; InvalidOptionError otherwise.

    Examples
    --------
    >>> parse_circle_size("3-5"), parse_circle_size("4"), parse_circle_size(None)
    ((3, 5), (4, 4), None)
    """
    if text is None:
        return None
    if text.strip().isdigit():
        return int(text), int(text)
    match = _RANGE.match(text)
    if match is None:
        raise InvalidOptionError(messages=[Message("mentor.circle_size", {"got": repr(text)})])
    return int(match.group(1)), int(match.group(2))


def parse_pins(values: list[str] | None) -> list[tuple[str, str]]:
    """``--pin M1:T1 --pin M2:T2,M2:T3`` as pairs; InvalidOptionError naming each badly written one.

    Examples
    --------
    >>> parse_pins(["PIL-001:PIL-050,PIL-001:PIL-051"])
    [('PIL-001', 'PIL-050'), ('PIL-001', 'PIL-051')]
    """
    pairs, bad = [], []
    for text in split_ids(values) or []:
        mentor, sep, trainee = text.partition(":")
        if not sep or not mentor.strip() or not trainee.strip():
            bad.append(Message("mentor.pin_format", {"got": repr(text)}))
        else:
            pairs.append((mentor.strip(), trainee.strip()))
    if bad:
        raise InvalidOptionError(messages=bad)
    return pairs


def _parsed(circle_size: str | None, pins: list[str] | None) -> tuple[tuple[int, int] | None, list]:
    """--circle-size and --pin read together, every problem of both raised at once."""
    problems: list[Message] = []
    size, pairs = None, []
    try:
        size = parse_circle_size(circle_size)
    except InvalidOptionError as exc:
        problems.extend(exc.messages)
    try:
        pairs = parse_pins(pins)
    except InvalidOptionError as exc:
        problems.extend(exc.messages)
    if problems:
        raise InvalidOptionError(messages=problems)
    return size, pairs


@app.command()
def mentor(
    path: DatasetArg,
    max_trainees: Annotated[
        int, typer.Option(help="Most trainees a mentor takes (kept existing ones counted).", min=1)
    ] = 3,
    circle_size: Annotated[
        str | None,
        typer.Option(
            metavar="MIN-MAX",
            help="Members of every new circle, mentor included, e.g. 3-5 (a mentor with 2-4 trainees). "
            "An AGREM-style learning group: e.g. --circle-size 10-15 --max-trainees 14. "
            "Default: any circle up to max-trainees + 1, a single pair included.",
            show_default=False,
        ),
    ] = None,
    same_sector: Annotated[
        bool,
        typer.Option(
            "--same-sector/--any-sector",
            help="One product sector per circle (mentor and trainees make a common product).",
        ),
    ] = True,
    keep_existing: Annotated[
        bool,
        typer.Option(
            "--keep-existing/--no-keep-existing",
            help="Keep the pairs of existing mentoring ties (counted against max-trainees); "
            "otherwise they only count as trust.",
        ),
    ] = True,
    pin: Annotated[
        list[str] | None,
        typer.Option(
            "--pin",
            metavar="MENTOR:TRAINEE",
            help="A pair to form whatever the inferred rules say (never across a conflict); "
            "repeat or separate with commas.",
        ),
    ] = None,
    solver: Annotated[str, typer.Option(help="highs, cbc, or auto (HiGHS if installed, else CBC).")] = "auto",
    time_limit: Annotated[float, typer.Option(help="Seconds the mentoring model may use.", min=0.001)] = 10.0,
    demand_seconds: Annotated[
        float,
        typer.Option(
            help="Seconds for solving the orders first, to know which are unfilled or in few hands "
            "(0: count every order as unfilled).",
            min=0,
        ),
    ] = 5.0,
    seed: SeedOpt = 0,
    html: Annotated[
        Path | None,
        typer.Option(
            metavar="FILE",
            help="Also write the circles on the network figure, with their reasons, as one .html page "
            "that opens offline.",
        ),
    ] = None,
    lang: LangOpt = "es",
    overwrite: Annotated[bool, typer.Option(help="Replace an existing --html file.")] = False,
    decimal_comma: DecimalOpt = None,
    as_of: AsOfOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Form mentor-trainee pairs and mentoring circles that teach what the cluster's orders need.

    Mentors are workshops able to lead (or named in a mentor column) at a
    quality above their trainees', doing processes or products the trainees
    lack. A pair is worth what the trainee learns, weighted by the units of
    orders unfilled or in few hands that need it, plus trust (ties, distance
    in the network, a shared association) and proximity (same territory).
    Never a pair or a circle across a conflict. Each circle and pair comes
    with its reasons, each workshop without a mentor with why.
    """
    from matcher.develop import mentoring

    if html is not None:
        guarded(lambda: check_html(html, lang, overwrite))
    cluster = load_dataset(path, quiet=as_json, reading=reading_options(decimal_comma, as_of))
    size, pinned = guarded(lambda: _parsed(circle_size, pin))
    with busy("Forming mentoring circles ...", quiet=as_json):
        result = guarded(
            lambda: mentoring(
                cluster,
                max_trainees=max_trainees,
                circle_size=size,
                same_sector=same_sector,
                keep_existing=keep_existing,
                pinned=pinned,
                solver=solver,
                time_limit=time_limit,
                demand_seconds=demand_seconds,
                seed=seed,
            )
        )
    data = result.to_dict()
    if html is not None:
        with busy("Writing the page ...", quiet=as_json):
            page = guarded(lambda: write_mentoring_page(html, cluster, data, lang, overwrite, seed=seed))
    if as_json:
        print_json(data)
        return
    render.circles(out, data)
    if html is not None:
        out.print(f"Page written to [bold]{page}[/] (opens offline in a browser).")
