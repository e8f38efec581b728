"""The one error hierarchy of the library.

Every error a user can cause derives from :class:`MatcherError`; the CLI and the
service turn these into one clear message (or an HTTP status) and never show a
traceback for them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

__all__ = [
    "InvalidDataError",
    "InvalidOptionError",
    "MatcherError",
    "Problem",
    "SolverFailed",
    "SolverUnavailable",
    "UnknownIdError",
]


class MatcherError(Exception):
    """Base class of every error the library raises on purpose."""


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with a dataset, located as a spreadsheet user sees it.

    Parameters
    ----------
    file : str
        File name as the user knows it (``"workshops.csv"``); for a workbook the
        sheet name followed by ``.csv`` is used, so messages read the same.
    row : int or None
        Row number as the spreadsheet shows it (the header is row 1), or None
        when the problem concerns the whole file or a column.
    column : str or None
        Column name, or None when the problem concerns a whole row or file.
    message : str
        What is wrong and what to do, in a coordinator's words.

    Examples
    --------
    >>> str(Problem("workshops.csv", 14, "workers", '"tres" is not a whole number'))
    'workshops.csv row 14, column workers: "tres" is not a whole number'
    """

    file: str
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f" row {self.row}"
        if self.column is not None:
            where += f", column {self.column}"
        return f"{where}: {self.message}"

    def to_dict(self) -> dict[str, str | int | None]:
        """Plain JSON-ready form, with the one-line text under ``"text"``."""
        return {
            "file": self.file,
            "row": self.row,
            "column": self.column,
            "message": self.message,
            "text": str(self),
        }


class InvalidDataError(MatcherError):
    """A dataset breaks the contract; carries **every** problem found.

    Examples
    --------
    >>> err = InvalidDataError([Problem("ties.csv", 3, "kind", "unknown kind")])
    >>> len(err.problems)
    1
    """

    def __init__(self, problems: Iterable[Problem], *, source: str | None = None):
        self.problems: tuple[Problem, ...] = tuple(problems)
        self.source = source
        n = len(self.problems)
        head = f"{source}: " if source else ""
        first = f": {self.problems[0]}" if self.problems else ""
        super().__init__(f"{head}{n} problem{'s' if n != 1 else ''} in the dataset{first}")


class UnknownIdError(MatcherError, KeyError):
    """An id asked for does not exist; the message names what does.

    Examples
    --------
    >>> str(UnknownIdError("order", ["X9"], ["O1", "O2"]))
    'unknown order id X9; known order ids: O1, O2'
    """

    def __init__(self, what: str, asked: Sequence[str], known: Sequence[str], *, limit: int = 20):
        self.what = what
        self.asked = tuple(asked)
        self.known = tuple(known)
        shown = ", ".join(list(self.known)[:limit])
        if len(self.known) > limit:
            shown += f", ... ({len(self.known)} in all)"
        ids = ", ".join(self.asked)
        plural = "s" if len(self.asked) != 1 else ""
        msg = f"unknown {what} id{plural} {ids}; known {what} ids: {shown or '(none)'}"
        super().__init__(msg)

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0])


class InvalidOptionError(MatcherError, ValueError):
    """An option is out of range or contradicts another; raised before any work."""


class SolverUnavailable(MatcherError):
    """The requested solver is not installed; the message lists the ones that are."""


class SolverFailed(MatcherError):
    """The solver crashed or returned no usable answer."""
