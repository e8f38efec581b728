"""How a CSV file is read: its codec and separator from its beginning, and its columns by
pandas' reader, as Python text or, for a national registry's number and repeated columns, as
numbers and categories where no cell of the file can be read two ways (:func:`_column_kinds`).
"""

from __future__ import annotations

import codecs
import csv
import io

import numpy as np
import pandas as pd

from matcher.errors import Problem
from matcher.io._cells import restored
from matcher.io._limits import Limits
from matcher.io._looks import _Looks, three_decimals
from matcher.io._names import NUMBER_COLUMNS, REPEATED_COLUMNS, names_of, normal

DELIMITERS = (",", ";", "\t")
#: Characters of a file's beginning read for its header row.
_HEAD = 1 << 20


def _decoded(raw: bytes, label: str, warnings: list[Problem]) -> tuple[str, str]:
    """The text of a file and the codec that read it: UTF-8 (a byte-order mark dropped), else
    Windows-1252 or Latin-1 with a warning."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    warnings.append(Problem.of(label, None, None, "problem.not_utf8"))
    try:
        return raw.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        return raw.decode("latin-1"), "latin-1"


def _utf8_head(raw: bytes) -> str | None:
    """A file's beginning (:data:`_HEAD` bytes, a byte-order mark dropped) as UTF-8 text; None when
    it is not UTF-8 (a character cut at the end of the bytes read is left for later)."""
    head = raw[3 : 3 + _HEAD] if raw.startswith(b"\xef\xbb\xbf") else raw[:_HEAD]
    try:
        return codecs.getincrementaldecoder("utf-8")().decode(head, final=len(head) < _HEAD)
    except UnicodeDecodeError:
        return None


def _header_row(text: str) -> tuple[str, list[str]]:
    """The separator of a CSV and its header row's cells, from the file's beginning."""
    delimiter = _delimiter(text)
    try:
        return delimiter, next(csv.reader(io.StringIO(text[:_HEAD]), delimiter=delimiter), [])
    except csv.Error:
        return delimiter, []


def _decode(raw: bytes, label: str, warnings: list[Problem]) -> str:
    return _decoded(raw, label, warnings)[0]


def _delimiter(text: str) -> str:
    """The separator of a CSV: the one its header row has most of (headers hold none), comma by default."""
    header = text.lstrip("\r\n")[:_HEAD].partition("\n")[0]
    counts = {d: header.count(d) for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] > counts[","] else ","


def _cells_fit(body: bytes, records: int, limits: Limits) -> bool:
    """Whether no cell of a CSV can be longer than a cell may be, told from its bytes: each line
    break ends a record (none inside a quoted cell) and no line is longer than the limit."""
    codes = np.frombuffer(body, dtype=np.uint8)
    breaks = np.flatnonzero(codes == 0x0A)
    if len(breaks) > records:
        return False
    bounds = np.concatenate(([-1], breaks, [len(codes)]))
    return int(np.diff(bounds).max()) - 1 <= limits.cell_chars


NUMBER, REPEATED = "number", "repeated"


def _column_kinds(name: str, header: list[str], body: bytes, looks: _Looks) -> dict[int, str]:
    """How a CSV's reader may hold its columns, by position: a number column parsed as numbers
    (:data:`NUMBER`), a column of a few repeated values as each value and a code per row
    (:data:`REPEATED`, when no cell needs stripping); none when a cell of the file may be read two
    ways (``2.000``: see :func:`~matcher.io._looks.three_decimals`) or the header row is quoted
    (it may span lines), for the file to be read as text."""
    numbers, repeated = NUMBER_COLUMNS.get(name, ()), REPEATED_COLUMNS.get(name, ())
    if not numbers or not header:
        return {}
    accepted = names_of(name)
    found = {}
    for i, h in enumerate(header):
        column = accepted.get(normal(restored(h).strip()))
        if column in numbers:
            found[i] = NUMBER
        elif column in repeated and not looks.spaced:
            found[i] = REPEATED
    if NUMBER not in found.values() or b'"' in body[: body.find(b"\n")] or three_decimals(body):
        return {}
    return found


def _read_frame(
    body: bytes, codec: str, delimiter: str, kinds: dict[int, str], width: int = 0
) -> pd.DataFrame | None:
    """A CSV's cells, every column as Python text; or, with ``kinds`` (:func:`_column_kinds`),
    below the header row, those columns as numbers (NaN for an empty cell) or categories. None
    when a number column holds a cell that is not a plain number (a decimal comma, a word,
    ``inf``) or a row is not ``width`` cells wide (the header row's), for the file to be read
    as text."""
    options = {
        "encoding": codec,
        "sep": delimiter,
        "header": None,
        "keep_default_na": False,
        "skip_blank_lines": False,
        "index_col": False,
    }
    if not kinds:
        # Python text, as the cells are checked (no Arrow strings made and unmade)
        return pd.read_csv(io.BytesIO(body), dtype=object, na_filter=False, **options)
    numbers = sorted(i for i, kind in kinds.items() if kind == NUMBER)
    held = {NUMBER: np.float64, REPEATED: "category"}
    try:
        frame = pd.read_csv(
            io.BytesIO(body),
            skiprows=1,
            dtype={i: held.get(kinds.get(i, ""), object) for i in range(width)},
            na_values={i: [""] for i in numbers},
            **options,
        )
    except (ValueError, pd.errors.ParserError):
        return None
    if frame.shape[1] != width or np.isinf(frame[numbers].to_numpy(dtype=np.float64)).any():
        return None
    for i, kind in kinds.items():
        # A column of true and false is made ones and zeros, categories that all read as numbers
        # are made numbers ("01" and "1" one): such a column is read as text (a column with
        # no number at all is all blank both ways)
        if (kind == NUMBER and _zeros_and_ones(frame[i])) or (
            kind == REPEATED and not pd.api.types.is_string_dtype(frame[i].array.categories)
        ):
            text = pd.read_csv(
                io.BytesIO(body), skiprows=1, usecols=[i], dtype=object, na_filter=False, **options
            )
            frame[i] = text[i].to_numpy(dtype=object)
            kinds[i] = ""
    return frame


def _zeros_and_ones(column: pd.Series) -> bool:
    """Whether a parsed number column holds only 0 and 1 (each may have been true or false), and
    at least one of them."""
    blank = column.isna()
    return not blank.all() and bool((column.isin([0.0, 1.0]) | blank).all())
