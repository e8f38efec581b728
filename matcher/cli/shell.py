"""What every command of ``matcher`` shares: the Typer app, the consoles, the
options, and the guard that turns a user's error into one clear line (exit 2).
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.markup import escape

from matcher import __version__
from matcher import _render as render
from matcher.errors import InvalidDataError, MatcherError

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
def busy(message: str, *, quiet: bool = False) -> Iterator[None]:
    """A spinner on standard error for anything that may take seconds."""
    if quiet or not err.is_terminal:
        yield
        return
    with err.status(message, spinner="dots"):
        yield


def guarded(action: Callable[[], T], *, lang: str | None = None) -> T:
    """Run a library call, turning every expected failure into one clear line, in ``lang``
    (by default the user's: ``MATCHER_LANG``, else the locale's, else English)."""
    try:
        return action()
    except InvalidDataError as exc:
        render.problems(err, exc.problems, source=exc.source, lang=lang or language_asked(None))
        raise typer.Exit(EXIT_INVALID) from None
    except MatcherError as exc:
        # soft_wrap: one line however long, for people and for scripts that read it
        # escaped: a message's own brackets (pip install 'matcher[views]') are text, not markup
        language = lang or language_asked(None)
        # in English the library's own line, the most precise (a solver's crash named in it)
        said = escape(str(exc) if language == "en" else exc.say(language))
        err.print(f"[bold red]error:[/] {said}", markup=True, highlight=False, soft_wrap=True)
        raise typer.Exit(EXIT_INVALID) from None
    except OSError as exc:
        name = f" {exc.filename}" if exc.filename else ""
        said = escape(f"cannot read or write{name}: {exc.strerror or exc}")
        err.print(f"[bold red]error:[/] {said}")
        raise typer.Exit(EXIT_INVALID) from None


def reading_options(decimal_comma: bool | None, as_of: str | None) -> dict[str, Any]:
    """How to read a dataset, from --decimal-comma/--decimal-point and --as-of."""
    decimal = None if decimal_comma is None else "comma" if decimal_comma else "point"
    return {"decimal": decimal, "as_of": as_of}


def load_dataset(path: Path, *, quiet: bool = False, reading: dict[str, Any] | None = None) -> Any:
    from matcher.io import load_cluster

    with busy(f"Reading {path} ...", quiet=quiet):
        return guarded(lambda: load_cluster(path, **(reading or {})))


def language_asked(lang: str | None) -> str:
    """The language asked for, else ``MATCHER_LANG``, else the locale's, else English."""
    from matcher.messages import LANGUAGES, language_of

    if lang is not None:
        if lang.strip().lower() not in LANGUAGES:
            err.print(f"[bold red]error:[/] --lang must be one of {', '.join(LANGUAGES)}, got {escape(lang)}")
            raise typer.Exit(EXIT_INVALID)
        return lang.strip().lower()
    for name in ("MATCHER_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        if os.environ.get(name):
            return language_of(os.environ[name])
    return "en"


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
    sys.stdout.write("\n")


def split_ids(values: list[str] | None) -> list[str] | None:
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
