"""Numbers and dates as people type them, read a whole column at a time.

A number may group its digits with ``.``, ``,`` or a space (also the
non-breaking and narrow spaces spreadsheets write) and mark its decimals with
``.`` or ``,``. Most cells can be read one way only: ``2 000``, ``1.234.567``,
``1.234,5``, ``0,5``, ``11.52``. A single ``.`` or ``,`` followed by exactly
three digits (``2.000``, ``1,500``) can be read two ways; :func:`settle`
decides between them from the field (a whole-number field always reads digit
grouping; a decimal field takes the one reading inside its range) or from the
decimal mark the dataset states, and otherwise leaves the cell ambiguous, for
the caller to refuse with both readings.

Dates are ``2025-09-30`` (what a workbook's date cell becomes) or day first,
``30/09/2025`` (also with ``-`` or ``.``).

Only numpy's string functions touch a clean column; Python looks at a cell
only when it has two or more separators or is not a number at all.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.dtypes import StringDType

__all__ = [
    "DECIMAL_MARKS",
    "TEXT",
    "Readings",
    "as_text",
    "looks_like_date",
    "read_dates",
    "read_numbers",
    "settle",
    "weeks_between",
    "weeks_until",
]

#: The decimal marks a dataset may state: ``comma`` (``0,5``; ``2.000`` is two thousand) or ``point``.
DECIMAL_MARKS = ("comma", "point")

#: Spaces that group digits besides the plain one: no-break, narrow no-break, thin, figure.
GROUPING_SPACES = ("\u00a0", "\u202f", "\u2009", "\u2007")

TEXT = StringDType()
_MANY = re.compile(r"([1-9]\d{0,2})((?:([., ])\d{3})(?:\3\d{3})*)(?:([.,])(\d+))?")
_SCIENTIFIC = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)[eE][+-]?\d+")
_DATE = re.compile(r"\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?")


@dataclass(frozen=True)
class Readings:
    """What the cells of a column can mean as numbers.

    Attributes
    ----------
    point, comma : ndarray of float
        The value read with a decimal point (``,`` and spaces group digits) and
        with a decimal comma (``.`` and spaces group digits); NaN where the
        cell cannot be read that way.
    grouped : ndarray of float
        For a cell with one ``.`` or ``,`` and three digits after it, the value
        read as digit grouping (``2.000`` → 2000); NaN elsewhere.
    """

    point: np.ndarray
    comma: np.ndarray
    grouped: np.ndarray

    @property
    def number(self) -> np.ndarray:
        """True where the cell is a number one way or another."""
        return np.isfinite(self.point) | np.isfinite(self.comma)


def as_text(values: object) -> np.ndarray:
    """Cells as a numpy string array (what :func:`read_numbers` takes)."""
    return np.asarray(values, dtype=TEXT)


def read_numbers(text: np.ndarray, typed: np.ndarray | None = None, *, odd_spaces: bool = True) -> Readings:
    """Both readings of every cell of a column (empty cells read as NaN).

    ``typed`` marks cells that were numbers already (a workbook's number cells,
    written plainly with a decimal point): they have one reading. ``odd_spaces``
    False says no cell holds a space beyond ASCII (no digit grouped by a no-break space).

    Examples
    --------
    >>> r = read_numbers(as_text(["2.000", "0,5", "1 234,5", "11.52", "x", ""]))
    >>> r.point.tolist()
    [2.0, nan, nan, 11.52, nan, nan]
    >>> r.comma.tolist()
    [2000.0, 0.5, 1234.5, nan, nan, nan]
    >>> r.grouped.tolist()
    [2000.0, nan, nan, nan, nan, nan]
    """
    n = len(text)
    point = np.full(n, np.nan)
    comma = np.full(n, np.nan)
    grouped = np.full(n, np.nan)
    digits = np.strings.isdecimal(text)
    whole = text[digits].astype(np.float64) if digits.any() else np.empty(0)
    point[digits] = comma[digits] = whole
    rest = np.flatnonzero(~digits & (text != ""))
    if not len(rest):
        return Readings(point, comma, grouped)
    if typed is not None and typed[rest].any():
        numbers = rest[typed[rest]]
        point[numbers] = comma[numbers] = text[numbers].astype(np.float64)
        rest = rest[~typed[rest]]
    cells = text[rest]
    for space in GROUPING_SPACES if odd_spaces else ():
        if (np.strings.find(cells, space) >= 0).any():  # a scan, cheaper than a copy when there is none
            cells = np.strings.replace(cells, space, " ")
    negative = np.strings.startswith(cells, "-")
    body = np.where(negative | np.strings.startswith(cells, "+"), np.strings.slice(cells, 1, None), cells)
    sign = np.where(negative, -1.0, 1.0)
    dots, commas, spaces = (np.strings.count(body, mark) for mark in (".", ",", " "))
    bare = np.strings.replace(np.strings.replace(np.strings.replace(body, ".", ""), ",", ""), " ", "")
    clean = np.strings.isdecimal(bare)
    marks = dots + commas + spaces
    one = clean & (marks == 1)
    at = np.maximum(
        np.maximum(np.strings.find(body, "."), np.strings.find(body, ",")), np.strings.find(body, " ")
    )
    tail = np.strings.str_len(body) - at - 1
    groups = one & (tail == 3) & (at >= 1) & (at <= 3) & ~np.strings.startswith(body, "0")
    decimal = one & (spaces == 0)

    def values(mask: np.ndarray, cells: np.ndarray) -> np.ndarray:
        return cells[mask].astype(np.float64) * sign[mask] if mask.any() else np.empty(0)

    as_decimal = np.full(len(rest), np.nan)
    as_decimal[decimal] = values(decimal, np.strings.replace(body, ",", "."))
    as_grouped = np.full(len(rest), np.nan)
    as_grouped[groups] = values(groups, bare)
    with_dot, with_comma = one & (dots == 1), one & (commas == 1)
    point[rest] = np.where(with_dot, as_decimal, as_grouped)
    comma[rest] = np.where(with_comma, as_decimal, as_grouped)
    grouped[rest] = np.where(groups & (spaces == 0), as_grouped, np.nan)
    signed = clean & (marks == 0)
    point[rest[signed]] = comma[rest[signed]] = values(signed, bare)
    for i in np.flatnonzero(clean & (marks >= 2)):
        point[rest[i]], comma[rest[i]] = _many_marks(str(body[i]), sign[i])
    for i in np.flatnonzero(~clean):
        cell = str(cells[i])
        if _SCIENTIFIC.fullmatch(cell):
            point[rest[i]] = comma[rest[i]] = float(cell)
    return Readings(point, comma, grouped)


def _many_marks(body: str, sign: float) -> tuple[float, float]:
    """Readings (decimal point, decimal comma) of digits grouped in threes, with decimals or not."""
    match = _MANY.fullmatch(body)
    if match is None:
        return np.nan, np.nan
    head, groups, group_mark, decimal_mark, decimals = match.groups()
    if decimal_mark is not None and decimal_mark == group_mark:
        return np.nan, np.nan
    value = sign * float(head + groups.replace(group_mark, "") + ("." + decimals if decimals else ""))
    if group_mark == "." or decimal_mark == ",":
        return np.nan, value
    if group_mark == "," or decimal_mark == ".":
        return value, np.nan
    return value, value  # grouped by spaces, no decimals


def settle(
    readings: Readings,
    *,
    whole: bool,
    decimal: str | None,
    inside: Callable[[np.ndarray], np.ndarray],
) -> tuple[np.ndarray, np.ndarray]:
    """The value of each cell, and where its two readings differ and nothing settles them.

    ``whole``: a whole-number field reads ``2.000`` and ``2,000`` as 2000
    whatever the decimal mark. ``decimal``: the dataset's decimal mark
    (:data:`DECIMAL_MARKS`), or None to let the field's range (``inside``)
    settle a cell: the one reading inside it is taken; with both inside, the
    cell is ambiguous (its value NaN); with neither, the decimal-point reading
    is kept, to be reported out of range.

    Examples
    --------
    >>> r = read_numbers(as_text(["11.520", "1.500", "2,000", "0,5"]))
    >>> anything = lambda v: np.isfinite(v)
    >>> value, unsure = settle(r, whole=False, decimal=None, inside=anything)
    >>> value.tolist(), unsure.tolist()
    ([nan, nan, nan, 0.5], [True, True, True, False])
    >>> settle(r, whole=False, decimal="comma", inside=anything)[0].tolist()
    [11520.0, 1500.0, 2.0, 0.5]
    >>> share = lambda v: (v > 0) & (v <= 1)
    >>> settle(read_numbers(as_text(["0.500", "1.500"])), whole=False, decimal=None, inside=share)[0].tolist()
    [0.5, 1.5]
    >>> settle(r, whole=True, decimal="comma", inside=anything)[0].tolist()
    [11520.0, 1500.0, 2000.0, 0.5]
    """
    point, comma = readings.point, readings.comma
    if whole:
        grouped = np.isfinite(readings.grouped)
        point = np.where(grouped, readings.grouped, point)
        comma = np.where(grouped, readings.grouped, comma)
    if decimal == "comma":
        return np.where(np.isfinite(comma), comma, point), np.zeros(len(point), dtype=bool)
    if decimal == "point":
        return np.where(np.isfinite(point), point, comma), np.zeros(len(point), dtype=bool)
    value = np.where(np.isfinite(point), point, comma)
    differ = np.isfinite(point) & np.isfinite(comma) & (point != comma)
    if not differ.any():
        return value, differ
    with np.errstate(invalid="ignore"):
        in_point, in_comma = inside(point) & differ, inside(comma) & differ
    value = np.where(in_comma & ~in_point, comma, value)
    unsure = in_point & in_comma
    return np.where(unsure, np.nan, value), unsure


def looks_like_date(cell: str) -> bool:
    """True for a cell written as a date (``30/09/2025``, ``2025-09-30``, ``30.09.2025``).

    Examples
    --------
    >>> looks_like_date("30/09/2025"), looks_like_date("2025-09-30"), looks_like_date("1.234.567")
    (True, True, False)
    """
    return _DATE.fullmatch(cell.strip()) is not None


def read_dates(text: np.ndarray) -> np.ndarray:
    """Dates of a column (``datetime64[D]``; NaT where empty or not a date).

    ISO dates (``2025-09-30``, also with a time, as workbooks' date cells come)
    and day-first dates (``30/09/2025``, ``1-9-2025``, ``30.09.2025``); the
    year is written in full.

    Examples
    --------
    >>> read_dates(as_text(["2025-09-30", "30/09/2025", "1.10.2025", "09/30/2025", "30/09/25", ""])).tolist()
    [datetime.date(2025, 9, 30), datetime.date(2025, 9, 30), datetime.date(2025, 10, 1), None, None, None]
    """
    cells = pd.Series(np.asarray(text, dtype=object), dtype=object)
    day = cells.str.split("T", n=1).str[0].str.split(" ", n=1).str[0]
    iso = pd.to_datetime(
        day.where(day.str.fullmatch(r"\d{4}-\d{2}-\d{2}")), format="%Y-%m-%d", errors="coerce"
    )
    first = day.str.replace(r"[-.]", "/", regex=True)
    dmy = pd.to_datetime(
        first.where(first.str.fullmatch(r"\d{1,2}/\d{1,2}/\d{4}")), format="%d/%m/%Y", errors="coerce"
    )
    return iso.fillna(dmy).to_numpy(dtype="datetime64[D]")


def weeks_until(due: dt.date, as_of: dt.date) -> float:
    """Weeks from a planning date to one due date, rounded as :func:`weeks_between` rounds them.

    Examples
    --------
    >>> plan = dt.date(2025, 9, 2)
    >>> weeks_until(dt.date(2025, 9, 30), plan), weeks_until(dt.date(2025, 9, 12), plan)
    (4.0, 1.43)
    """
    return float(weeks_between(as_of, np.array([due], dtype="datetime64[D]"))[0])


def weeks_between(start: dt.date, end: np.ndarray) -> np.ndarray:
    """Weeks from ``start`` to each date, to a hundredth of a week (about two hours).

    Examples
    --------
    >>> weeks_between(dt.date(2025, 9, 2), read_dates(as_text(["30/09/2025", "12/09/2025"]))).tolist()
    [4.0, 1.43]
    """
    days = (end - np.datetime64(start, "D")).astype("timedelta64[D]").astype(np.float64)
    return np.round(days / 7, 2)
