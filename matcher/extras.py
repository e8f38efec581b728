"""The optional parts of matcher, and whether this installation has them.

``pip install matcher`` gives the library and the analysis and matching commands;
two extras add the rest (``pip install 'matcher[views]'``, ``'matcher[service]'``):

- ``views``: the ``--html`` pages and the notebook figure (:mod:`matcher.views`);
- ``service``: the web service, ``matcher serve`` and ``matcher users`` (the
  ``matcher_service`` package, which adds its commands to ``matcher`` through the
  ``matcher.commands`` entry point group).

What an extra needs is read from the installed distribution's own metadata, so
this module never repeats the lists of ``pyproject.toml``.

Examples
--------
>>> missing("views")  # an installation with the pages has nothing missing
[]
>>> require("views", "the --html page")  # returns quietly when the extra is there
"""

from __future__ import annotations

from importlib import metadata

from packaging.requirements import InvalidRequirement, Requirement

from matcher.errors import MissingExtraError
from matcher.messages import Message

__all__ = ["EXTRAS", "missing", "require"]

#: The extras and what each adds.
EXTRAS: dict[str, str] = {
    "views": "the --html pages and figures",
    "service": "the web service (matcher serve, matcher users)",
    "dask": "work on a Dask cluster (--scheduler, MATCHER_SCHEDULER)",
    "parquet": "the per-workshop table as Parquet (--export FILE.parquet)",
}


def _installed(name: str) -> bool:
    try:
        metadata.version(name)
    except metadata.PackageNotFoundError:
        return False
    return True


def missing(extra: str, *, distribution: str = "matcher") -> list[str]:
    """The distributions ``extra`` needs that are not installed (sorted; empty when all are).

    Parameters
    ----------
    extra : str
        A key of :data:`EXTRAS`.
    distribution : str
        The distribution whose metadata names the extra's requirements.

    Returns
    -------
    list of str
        Requirement names as ``pip`` knows them. Empty as well when ``distribution`` is
        not installed (a source tree on ``sys.path``): nothing can be said then.
    """
    try:
        requires = metadata.requires(distribution) or []
    except metadata.PackageNotFoundError:
        return []
    absent: set[str] = set()
    for line in requires:
        try:
            req = Requirement(line)
        except InvalidRequirement:
            continue
        if req.marker is None or "extra" not in str(req.marker) or not req.marker.evaluate({"extra": extra}):
            continue
        if req.name == distribution:  # an extra that names others: matcher[views]
            for inner in sorted(req.extras):
                absent.update(missing(inner, distribution=distribution))
        elif not _installed(req.name):
            absent.add(req.name)
    return sorted(absent)


def require(extra: str, what: str) -> None:
    """Raise :class:`~matcher.errors.MissingExtraError` when ``what`` needs an extra that is absent.

    Parameters
    ----------
    extra : str
        A key of :data:`EXTRAS`.
    what : str
        What the user asked for, as they would say it (``"matcher serve"``, ``"the --html page"``).

    Raises
    ------
    MissingExtraError
        Naming the extra, the command that installs it and the packages missing.
    """
    absent = missing(extra)
    if absent:
        raise MissingExtraError(
            messages=[Message("extra.missing", {"what": what, "extra": extra, "packages": ", ".join(absent)})]
        )
