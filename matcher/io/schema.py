"""The shape of a dataset check's JSON form, key by key, as ``TypedDict`` classes.

:meth:`matcher.io.ValidationReport.to_dict` returns
a :class:`ValidationReportDict`, with a :class:`ProblemDict` per problem and
per warning (the form of :meth:`matcher.errors.Problem.to_dict`). They are plain dicts
at run time; these classes say which keys they have and what each holds, and
a test keeps them exactly in step with what ``to_dict`` returns.

Examples
--------
>>> from matcher.errors import Problem
>>> problem: ProblemDict = Problem("ties.csv", 3, "kind", "unknown kind").to_dict()
>>> sorted(ProblemDict.__required_keys__) == sorted(problem)
True
"""

# No ``from __future__ import annotations``: on Python 3.11 a TypedDict then
# reads NotRequired[...] as required (its keys are computed from the strings).
from typing import Any, NotRequired, TypedDict

__all__ = ["ProblemDict", "ValidationReportDict"]


class ProblemDict(TypedDict):
    """One problem or warning (:meth:`matcher.errors.Problem.to_dict`)."""

    file: str
    """The file as the user knows it (for a workbook, ``workbook.xlsx:sheet``)."""
    row: int | None
    """The row as a spreadsheet shows it (the header is row 1); None for a whole file or column."""
    column: str | None
    """The column; None for a whole row or file."""
    message: str
    """What is wrong and what to do, in the language asked."""
    text: str
    """The whole line: where, then the message, in the language asked."""
    key: NotRequired[str]
    """The message's key (only when the problem has one)."""
    args: NotRequired[dict[str, Any]]
    """The message's arguments (only when the problem has a key)."""


class ValidationReportDict(TypedDict):
    """What :meth:`matcher.io.ValidationReport.to_dict` returns."""

    source: str
    """The path checked."""
    ok: bool
    """Whether the dataset can be loaded (no problem)."""
    problems: list[ProblemDict]
    """Everything that makes the dataset unusable, sorted by file and row."""
    warnings: list[ProblemDict]
    """Things that look wrong but do not stop loading."""
    counts: dict[str, int]
    """Data rows read per file."""
