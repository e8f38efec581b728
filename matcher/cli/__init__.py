"""The ``matcher`` command: a thin shell over the library.

Each command parses its options, calls the same library functions a Python user
or the service would call, and prints the result (rich tables for people, JSON
with ``--json`` for programs). Errors a user can cause end in one clear line on
standard error and exit code 2; nothing prints a traceback unless
``MATCHER_DEBUG=1`` is set.

The commands live by topic: :mod:`~matcher.cli.analysis` (``validate``,
``analyze``), :mod:`~matcher.cli.matching` (``match``, ``shortlist``),
:mod:`~matcher.cli.sample` (``generate``, ``demo``), :mod:`~matcher.cli.sweep`
(``sweep``); what they share is in
:mod:`~matcher.cli.shell`, the ``--html`` pages in :mod:`~matcher.cli.pages`.
Other installed packages add commands through the ``matcher.commands`` entry
point group (the service adds ``serve`` and ``users``): each entry point names a
function that takes the Typer app and registers its commands on it.
"""

from __future__ import annotations

import os
import sys
from importlib import metadata

import typer

from matcher.cli import analysis, matching, mentor, plan, sample, sweep  # noqa: F401  (each registers its commands)
from matcher.cli.shell import EXIT_FAILED, app, err

__all__ = ["COMMANDS_GROUP", "app", "load_plugins", "main"]

#: The entry point group through which other packages add commands to ``matcher``.
COMMANDS_GROUP = "matcher.commands"

_loaded: dict[int, set[str]] = {}  # id of a Typer app -> entry points added to it


def load_plugins(target: typer.Typer = app) -> list[str]:
    """Add the commands of every installed ``matcher.commands`` entry point to ``target``.

    An entry point whose package cannot be imported is left out (its commands are
    then absent from ``matcher --help``); each is added once.

    Returns
    -------
    list of str
        Names of the entry points added by this call.

    Examples
    --------
    With the service installed (as ``pip install -e .`` installs it), its commands:

    >>> target = typer.Typer()
    >>> load_plugins(target)
    ['service']
    >>> [c.callback.__name__ for c in target.registered_commands], [g.name for g in target.registered_groups]
    (['serve'], ['users'])
    >>> load_plugins(target)  # once only
    []
    """
    loaded = _loaded.setdefault(id(target), set())
    added = []
    for point in sorted(metadata.entry_points(group=COMMANDS_GROUP), key=lambda p: p.name):
        if point.name in loaded:
            continue
        try:
            register = point.load()
        except ImportError:
            continue
        register(target)
        loaded.add(point.name)
        added.append(point.name)
    return added


def main() -> None:
    """Entry point of the ``matcher`` console script."""
    try:
        load_plugins()
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
