"""Read, check and write cluster datasets (a CSV folder or an ``.xlsx`` workbook).

The contract is in ``docs/data-contract.md``. A dataset that breaks it is
refused as a whole: :func:`load_cluster` raises
:class:`~matcher.errors.InvalidDataError` listing every problem with its file,
row (as a spreadsheet shows it) and column. :func:`validate_dataset` returns
the same findings without raising (their JSON form: :mod:`matcher.io.schema`).

Files, sheets, headers and codes may have their Spanish names (``talleres.csv``,
``trabajadores``, ``costura``), a CSV may be separated by semicolons, and
numbers may be written as people write them (``2.000``, ``0,5``): a number
that two decimal marks would read differently is refused unless the dataset's
``decimal`` mark is stated. Orders may give a ``due_date``, counted from the
planning date ``as_of`` (today by default).

Contacts are private and are never part of a :class:`~matcher.model.Cluster`;
:func:`load_contacts` reads them separately.

pandas in and out: :func:`cluster_to_frames` gives a DataFrame per file,
:func:`cluster_from_frames` checks such frames as files are checked. A loaded
cluster keeps its workshops and ties as columns (:class:`~matcher.model.Rows`):
the network analysis and the frames read them without building an object per row.

Examples
--------
>>> import tempfile
>>> from matcher.synthetic import generate_cluster
>>> cluster, contacts = generate_cluster(30, 2, seed=7)
>>> folder = write_cluster(cluster, tempfile.mkdtemp() + "/cluster", contacts=contacts)
>>> validate_dataset(folder).ok
True
>>> load_cluster(folder) == cluster
True
>>> len(load_contacts(folder)) == len(contacts)
True
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

from matcher.errors import InvalidDataError, Problem
from matcher.io._frames import cluster_from_frames, cluster_to_frames
from matcher.io._load import load_source
from matcher.io._loaded import Loaded, _reading
from matcher.io._numbers import DECIMAL_MARKS, weeks_until
from matcher.io._tables import read_source
from matcher.io._write import write_cluster
from matcher.io.schema import ProblemDict, ValidationReportDict
from matcher.model import Cluster, Contact

__all__ = [
    "DECIMAL_MARKS",
    "ValidationReport",
    "cluster_from_frames",
    "cluster_to_frames",
    "load_cluster",
    "load_contacts",
    "validate_dataset",
    "weeks_until",
    "write_cluster",
]


@dataclass(frozen=True)
class ValidationReport:
    """What checking a dataset found.

    Attributes
    ----------
    source : str
        The path checked.
    problems : list of Problem
        Everything that makes the dataset unusable, sorted by file and row.
    warnings : list of Problem
        Things that look wrong but do not stop loading (e.g. a Latin-1 file).
    counts : dict of str to int
        Data rows read per file.
    """

    source: str
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """True when the dataset can be loaded."""
        return not self.problems

    def to_dict(self, lang: str | None = None) -> ValidationReportDict:
        """Plain JSON-ready form, the problems said in a language (English by default).

        Every key is listed in :class:`~matcher.io.schema.ValidationReportDict`.
        """
        # Problem.to_dict (in matcher.errors, below io) is typed as a plain dict.
        problems = [cast(ProblemDict, p.to_dict(lang)) for p in self.problems]
        warnings = [cast(ProblemDict, p.to_dict(lang)) for p in self.warnings]
        return {
            "source": self.source,
            "ok": self.ok,
            "problems": problems,
            "warnings": warnings,
            "counts": dict(self.counts),
        }


def _load(
    path: str | Path,
    decimal: str | None,
    as_of: dt.date | str | None,
    *,
    objects: bool = True,
    contacts: bool = True,
) -> Loaded:
    reading = _reading(decimal, as_of)
    return load_source(read_source(path), reading, objects=objects, contacts=contacts)


def validate_dataset(
    path: str | Path, *, decimal: str | None = None, as_of: dt.date | str | None = None
) -> ValidationReport:
    r"""Check a dataset against the contract and report every problem.

    Parameters
    ----------
    path : str or Path
        A folder of CSV files or an ``.xlsx`` workbook.
    decimal : {"comma", "point"}, optional
        The decimal mark the dataset uses. ``"comma"``: ``0,5`` is a half and
        ``11.520`` eleven thousand five hundred and twenty; ``"point"``: the
        other way round. Without it, a number is read the one way it can be
        read (``0,5``, ``11.52``, ``1.234.567``), whole-number fields read
        ``2.000`` and ``2,000`` as two thousand, and a number that the two
        marks read differently (``11.520`` of minutes) is a problem, unless
        only one reading is in the field's range.
    as_of : date or str (YYYY-MM-DD), optional
        The planning date an order's ``due_date`` is counted from; today by default.

    Returns
    -------
    ValidationReport

    Raises
    ------
    InvalidDataError
        Only when ``path`` is not a dataset at all (missing, or another kind of file), or
        exceeds a reading limit (:class:`~matcher.errors.LimitExceededError`: a zip bomb, too
        many rows or columns, too long a cell; see ``docs/data-contract.md``).
    InvalidOptionError
        When ``decimal`` or ``as_of`` is not one of the above.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "talleres.csv").write_text(
    ...     "id_taller;territorio;trabajadores;capacidad_minutos_por_semana;productos;procesos\n"
    ...     "T1;Itá;4;11.520;jeans;corte,costura\n", encoding="utf-8")
    >>> [p.say("es") for p in validate_dataset(folder).problems]  # doctest: +NORMALIZE_WHITESPACE
    ['talleres.csv fila 2, columna capacidad_minutos_por_semana: "11.520" es 11,52 si el punto es
    decimal y 11520 si la coma es decimal; escríbalo sin separador de miles o indique qué separador
    decimal usan los datos']
    >>> validate_dataset(folder, decimal="comma").ok
    True
    """
    loaded = _load(path, decimal, as_of, objects=False)
    return ValidationReport(str(path), loaded.problems, loaded.warnings, loaded.counts)


def _refuse(loaded: Loaded, path: str | Path) -> None:
    if loaded.problems:
        raise InvalidDataError(loaded.problems, source=str(path))


def load_cluster(
    path: str | Path, *, decimal: str | None = None, as_of: dt.date | str | None = None
) -> Cluster:
    """Load a dataset, refusing it whole if anything breaks the contract.

    Parameters
    ----------
    path : str or Path
        A folder of CSV files or an ``.xlsx`` workbook.
    decimal, as_of
        As in :func:`validate_dataset`.

    Returns
    -------
    Cluster
        Workshops, ties, lead firms, orders and routings (default catalogue
        merged with the dataset's own). Contacts are left out; see
        :func:`load_contacts`.

    Raises
    ------
    InvalidDataError
        With every problem found, each naming file, row and column.
    """
    loaded = _load(path, decimal, as_of, contacts=False)
    _refuse(loaded, path)
    return loaded.cluster()


def load_contacts(
    path: str | Path, *, decimal: str | None = None, as_of: dt.date | str | None = None
) -> tuple[Contact, ...]:
    """The private contacts of a dataset (empty when it has no ``contacts.csv``).

    The whole dataset is checked (``decimal`` and ``as_of`` as in
    :func:`validate_dataset`), so contacts of unknown workshops are refused.

    Raises
    ------
    InvalidDataError
        With every problem found.
    """
    loaded = _load(path, decimal, as_of)
    _refuse(loaded, path)
    return tuple(loaded.contacts)
