"""Read, check and write cluster datasets (a CSV folder or an ``.xlsx`` workbook).

The contract is in ``docs/data-contract.md``. A dataset that breaks it is
refused as a whole: :func:`load_cluster` raises
:class:`~matcher.errors.InvalidDataError` listing every problem with its file,
row (as a spreadsheet shows it) and column. :func:`validate_dataset` returns
the same findings without raising.

Contacts are private and are never part of a :class:`~matcher.model.Cluster`;
:func:`load_contacts` reads them separately.

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

from dataclasses import dataclass, field
from pathlib import Path

from matcher.errors import InvalidDataError, Problem
from matcher.io._load import Loaded, load_source
from matcher.io._tables import read_source
from matcher.io._write import write_cluster
from matcher.model import Cluster, Contact

__all__ = ["ValidationReport", "load_cluster", "load_contacts", "validate_dataset", "write_cluster"]


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

    def to_dict(self) -> dict:
        """Plain JSON-ready form."""
        return {
            "source": self.source,
            "ok": self.ok,
            "problems": [p.to_dict() for p in self.problems],
            "warnings": [p.to_dict() for p in self.warnings],
            "counts": dict(self.counts),
        }


def _load(path: str | Path) -> Loaded:
    return load_source(read_source(path))


def validate_dataset(path: str | Path) -> ValidationReport:
    """Check a dataset against the contract and report every problem.

    Parameters
    ----------
    path : str or Path
        A folder of CSV files or an ``.xlsx`` workbook.

    Returns
    -------
    ValidationReport

    Raises
    ------
    InvalidDataError
        Only when ``path`` is not a dataset at all (missing, or another kind of file).
    """
    loaded = _load(path)
    return ValidationReport(str(path), loaded.problems, loaded.warnings, loaded.counts)


def _refuse(loaded: Loaded, path: str | Path) -> None:
    if loaded.problems:
        raise InvalidDataError(loaded.problems, source=str(path))


def load_cluster(path: str | Path) -> Cluster:
    """Load a dataset, refusing it whole if anything breaks the contract.

    Parameters
    ----------
    path : str or Path
        A folder of CSV files or an ``.xlsx`` workbook.

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
    loaded = _load(path)
    _refuse(loaded, path)
    return Cluster(
        workshops=tuple(loaded.workshops),
        ties=tuple(loaded.ties),
        lead_firms=tuple(loaded.lead_firms),
        orders=tuple(loaded.orders),
        routings=loaded.routings,
    )


def load_contacts(path: str | Path) -> tuple[Contact, ...]:
    """The private contacts of a dataset (empty when it has no ``contacts.csv``).

    The whole dataset is checked, so contacts of unknown workshops are refused.

    Raises
    ------
    InvalidDataError
        With every problem found.
    """
    loaded = _load(path)
    _refuse(loaded, path)
    return tuple(loaded.contacts)
