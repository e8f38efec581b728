"""How much of a dataset is read: the limits a workbook or CSV file is held to.

An ``.xlsx`` workbook is a zip of XML parts, and a small one can expand a
thousandfold (a zip bomb). It is checked in three steps, each stopping at the
first excess (:func:`check_workbook`, then the reader):

1. the zip's central directory, nothing decompressed: the number of parts,
   the uncompressed size of the whole and of each part read whole (shared
   strings, styles, ...), and each large part's compression ratio;
2. the shared strings and every sheet, decompressed in chunks at the speed
   of ``zlib`` and split at their items' start tags, nothing parsed: a
   sheet's declared dimensions, its number of rows and the bytes of each row,
   and the length of each shared string;
3. while the sheets are read (openpyxl, read-only, row by row): rows, columns
   and the length of every cell.

A CSV file is text as sent (no expansion): its columns and cell lengths are
checked. The limits are documented in ``docs/data-contract.md``; a dataset
over one is refused whole with :class:`~matcher.errors.LimitExceededError`.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from numpy.dtypes import StringDType

from matcher.errors import LimitExceededError, Problem

__all__ = [
    "LIMITS",
    "MAX_CELL_CHARS",
    "MAX_COLUMNS",
    "MAX_PARTS",
    "MAX_PART_BYTES",
    "MAX_RATIO",
    "MAX_ROWS",
    "MAX_STRINGS_BYTES",
    "MAX_UNCOMPRESSED_BYTES",
    "RATIO_FROM_BYTES",
    "Limits",
    "column_letters",
]

MiB = 1024 * 1024

#: Uncompressed size of a whole workbook (all its parts, as its zip directory declares them).
#: A sheet of 1,048,576 rows (Excel's most) of a dozen columns fits.
MAX_UNCOMPRESSED_BYTES = 1024 * MiB
#: Uncompressed size of the shared strings part, which is read whole.
MAX_STRINGS_BYTES = 256 * MiB
#: Uncompressed size of any other part read whole (workbook, styles, relations, ...).
MAX_PART_BYTES = 16 * MiB
#: How many times a part may expand when uncompressed; spreadsheets' parts expand 5 to 30 times.
MAX_RATIO = 100
#: Parts smaller than this (uncompressed) are not held to :data:`MAX_RATIO`.
RATIO_FROM_BYTES = 1 * MiB
#: Parts in a workbook (a workbook of 100 sheets has about 300).
MAX_PARTS = 1000
#: Rows in a sheet, the header included (Excel's most is 1,048,576).
MAX_ROWS = 1_100_000
#: Columns in a sheet or CSV file (the contract's files have at most 20, plus extra columns).
MAX_COLUMNS = 200
#: Characters in a cell, as in Excel.
MAX_CELL_CHARS = 32_767

#: XML writes a character in at most 10 bytes (``&#1114111;``): a run of text longer than this
#: between two tags cannot be one cell.
BYTES_PER_CHAR = 10
#: Bytes of XML a row allows each of its cells, besides one cell of the longest text.
ROOM_PER_CELL = 2048
SCAN_CHUNK = 4 * MiB
SHARED_STRINGS = re.compile(r"(^|/)sharedStrings\d*\.xml$", re.IGNORECASE)
WORKSHEET = re.compile(r"(^|/)worksheets/[^/]+\.xml$", re.IGNORECASE)
DIMENSION = re.compile(rb"<(?:\w+:)?dimension\s[^>]*?\bref=\"([A-Za-z0-9:$]+)\"")


@dataclass(frozen=True)
class Limits:
    """The limits a dataset is read within (the defaults: the module's constants)."""

    uncompressed_bytes: int = MAX_UNCOMPRESSED_BYTES
    strings_bytes: int = MAX_STRINGS_BYTES
    part_bytes: int = MAX_PART_BYTES
    ratio: int = MAX_RATIO
    ratio_from_bytes: int = RATIO_FROM_BYTES
    parts: int = MAX_PARTS
    rows: int = MAX_ROWS
    columns: int = MAX_COLUMNS
    cell_chars: int = MAX_CELL_CHARS

    @property
    def run_bytes(self) -> int:
        """The most bytes of XML a cell's text may take."""
        return self.cell_chars * BYTES_PER_CHAR + 4096

    @property
    def row_bytes(self) -> int:
        """The most bytes of XML a row may take: one cell as long as a cell may be, and
        :data:`ROOM_PER_CELL` for each other cell (its tags and a couple of hundred characters)."""
        return self.run_bytes + self.columns * ROOM_PER_CELL


#: The limits datasets are read within, by the CLI and the service alike.
LIMITS = Limits()


def column_letters(number: int) -> str:
    """A column's letters as a spreadsheet heads it.

    Examples
    --------
    >>> [column_letters(n) for n in (1, 26, 27, 200, 16384)]
    ['A', 'Z', 'AA', 'GR', 'XFD']
    """
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _column_number(letters: str) -> int:
    number = 0
    for char in letters.upper():
        number = number * 26 + ord(char) - 64
    return number


def _mib(size: int) -> int:
    return -(-size // MiB)


def _refuse(problem: Problem, *, size: bool = False) -> LimitExceededError:
    return LimitExceededError(problem, size=size)


def check_archive(path: Path, limits: Limits = LIMITS) -> None:
    """Check a workbook's zip directory against the limits, decompressing nothing.

    Raises
    ------
    LimitExceededError
        At the first limit exceeded (``size`` for a size in bytes).
    zipfile.BadZipFile
        When the file is not a zip, or its parts overlap.
    """
    label = path.name
    with zipfile.ZipFile(path) as archive:
        members = archive.infolist()
    if sum(m.compress_size for m in members) > path.stat().st_size:
        # Parts sharing their compressed bytes (overlapping): each would look mildly compressed.
        raise zipfile.BadZipFile("its parts overlap")
    if len(members) > limits.parts:
        problem = Problem.of(label, None, None, "problem.limit_parts", count=len(members), limit=limits.parts)
        raise _refuse(problem)
    total = 0
    for member in members:
        size, packed = member.file_size, member.compress_size
        total += size
        if member.is_dir():
            continue
        if SHARED_STRINGS.search(member.filename):
            most = limits.strings_bytes
        elif WORKSHEET.search(member.filename) or not member.filename.lower().endswith((".xml", ".rels")):
            most = limits.uncompressed_bytes  # streamed, or not read at all
        else:
            most = limits.part_bytes
        if size > most:
            part, size, most = member.filename, _mib(size), _mib(most)
            problem = Problem.of(label, None, None, "problem.limit_part", part=part, size=size, limit=most)
            raise _refuse(problem, size=True)
        if size >= limits.ratio_from_bytes and size > limits.ratio * max(packed, 1):
            part, ratio = member.filename, size // max(packed, 1)
            problem = Problem.of(
                label, None, None, "problem.limit_ratio", part=part, ratio=ratio, limit=limits.ratio
            )
            raise _refuse(problem)
    if total > limits.uncompressed_bytes:
        size, most = _mib(total), _mib(limits.uncompressed_bytes)
        problem = Problem.of(label, None, None, "problem.limit_uncompressed", size=size, limit=most)
        raise _refuse(problem, size=True)


def too_many_columns(label: str, row: int | None, limits: Limits = LIMITS) -> LimitExceededError:
    """The error of a sheet or file with cells beyond the last column allowed."""
    letter = column_letters(limits.columns)
    return _refuse(Problem.of(label, row, None, "problem.limit_columns", limit=limits.columns, letter=letter))


def too_many_rows(label: str, limits: Limits = LIMITS) -> LimitExceededError:
    """The error of a sheet with more rows than allowed."""
    return _refuse(Problem.of(label, None, None, "problem.limit_rows", limit=limits.rows))


def check_workbook(path: Path, limits: Limits = LIMITS) -> None:
    """Check a workbook against the limits before any part of it is parsed.

    First its zip directory (:func:`check_archive`), then its shared strings
    (:func:`scan_strings`) and every sheet (:func:`scan_sheet`, named by the
    sheet's name), each decompressed in chunks.

    Raises
    ------
    LimitExceededError
        At the first limit exceeded.
    zipfile.BadZipFile
        When the file is not a zip.
    """
    check_archive(path, limits)
    with zipfile.ZipFile(path) as archive:
        names = _sheet_names(archive)
        for member in archive.namelist():
            if SHARED_STRINGS.search(member):
                scan_strings(archive, member, path.name, limits)
        for member in archive.namelist():
            if WORKSHEET.search(member):
                scan_sheet(archive, member, f"{path.name}:{names.get(member, member)}", limits)


def _sheet_names(archive: zipfile.ZipFile) -> dict[str, str]:
    """The parts of the sheets and the sheets' names (as far as the workbook says them)."""
    from xml.etree import ElementTree

    try:
        workbook = next(n for n in archive.namelist() if re.search(r"(^|/)workbook\.xml$", n))
        folder = workbook.rpartition("/")[0]
        rels_name = f"{folder}/_rels/workbook.xml.rels" if folder else "_rels/workbook.xml.rels"
        rels = ElementTree.fromstring(archive.read(rels_name))
        targets = {}
        for rel in rels:
            target = rel.get("Target", "")
            path = target.lstrip("/") if target.startswith("/") else f"{folder}/{target}".lstrip("/")
            targets[rel.get("Id")] = path
        names = {}
        for element in ElementTree.fromstring(archive.read(workbook)).iter():
            if element.tag.endswith("}sheet"):
                rid = next((v for k, v in element.attrib.items() if k.endswith("}id")), None)
                if rid in targets:
                    names[targets[rid]] = element.get("name", "").strip()
        return names
    except (StopIteration, KeyError, ElementTree.ParseError):
        return {}


def check_dimensions(
    label: str, max_row: int | None, max_column: int | None, limits: Limits = LIMITS
) -> None:
    """Refuse a sheet whose declared dimensions exceed the limits."""
    if max_row is not None and max_row > limits.rows:
        raise too_many_rows(label, limits)
    if max_column is not None and max_column > limits.columns:
        raise too_many_columns(label, None, limits)


def scan_sheet(archive: zipfile.ZipFile, member: str, label: str, limits: Limits = LIMITS) -> None:
    """Decompress a sheet's XML in chunks and check it against the limits, building nothing.

    Checked: its declared dimensions, its number of rows, the bytes of each
    row (no row of :attr:`Limits.columns` cells of :attr:`Limits.cell_chars`
    characters takes more than :attr:`Limits.row_bytes`) and of what comes
    before and after the rows (:attr:`Limits.part_bytes` each). Memory stays
    within a chunk.

    Raises
    ------
    LimitExceededError
        At the first excess.
    """

    def too_big(size: int, limit: int) -> LimitExceededError:
        if limit == limits.row_bytes:
            return _refuse(Problem.of(label, None, None, "problem.limit_row", limit=limits.row_bytes // 1024))
        return _part_too_big(label, member, size, limit)

    _scan(archive, member, b"sheetData", b"row", limits.row_bytes, limits, too_big, label, sheet=True)


def scan_strings(archive: zipfile.ZipFile, member: str, label: str, limits: Limits = LIMITS) -> None:
    """Decompress the shared strings in chunks: no string longer than a cell may be, built nothing.

    Raises
    ------
    LimitExceededError
        At the first excess.
    """

    def too_big(size: int, limit: int) -> LimitExceededError:
        if limit == limits.run_bytes:
            return _refuse(Problem.of(label, None, None, "problem.limit_text", limit=limits.cell_chars))
        return _part_too_big(label, member, size, limit)

    _scan(archive, member, b"sst", b"si", limits.run_bytes, limits, too_big, label, sheet=False)


def _scan(
    archive: zipfile.ZipFile,
    member: str,
    container: bytes,
    item: bytes,
    item_bytes: int,
    limits: Limits,
    too_big: Callable[[int, int], LimitExceededError],
    label: str,
    *,
    sheet: bool,
) -> None:
    """Split a part at its items' start tags as it is decompressed; refuse the first excess.

    The part before the first item may take :attr:`Limits.part_bytes`, each
    item ``item_bytes``, the last item with what follows it both together.
    """
    opening = re.compile(rb"<(\w+:)?" + container + rb"[\s>/]")
    separator: bytes | None = None  # the items' start tag, once the container has opened
    count = 0
    size = 0  # bytes of the piece not yet closed: the head, then the current item
    head = True
    tail = b""
    with archive.open(member) as stream:
        while True:
            chunk = stream.read(SCAN_CHUNK)
            data, tail = tail + chunk, b""
            if chunk:
                cut = data.rfind(b"<")
                if cut > 0:  # a tag is never split between two chunks
                    data, tail = data[:cut], data[cut:]
            if separator is None:
                if sheet:
                    found = DIMENSION.search(data)
                    if found is not None:
                        _declared(label, found.group(1).decode("ascii"), limits)
                opened = opening.search(data)
                if opened is None:
                    size += len(data)
                    data = b""
                else:
                    separator = b"<" + (opened.group(1) or b"") + item
                    size += opened.start()
                    data = data[opened.start() :]
            pieces = data.split(separator) if separator is not None and data else [data]
            size += len(pieces[0])
            for piece in pieces[1:]:
                if piece[:1].isalnum():  # another tag that starts alike (rowBreaks)
                    size += len(piece) + len(separator)
                    continue
                limit = limits.part_bytes if head else item_bytes
                if size > limit:
                    raise too_big(size, limit)
                head = False
                count += 1
                size = len(piece) + len(separator)
            if sheet and count > limits.rows:
                raise too_many_rows(label, limits)
            if size > limits.part_bytes + item_bytes:
                raise too_big(size, limits.part_bytes if head else item_bytes)
            if not chunk:
                return


def _part_too_big(label: str, part: str, size: int, limit: int) -> LimitExceededError:
    problem = Problem.of(
        label, None, None, "problem.limit_part", part=part, size=_mib(size), limit=_mib(limit)
    )
    return _refuse(problem, size=True)


def _declared(label: str, ref: str, limits: Limits) -> None:
    last = ref.replace("$", "").split(":")[-1]
    found = re.fullmatch(r"([A-Za-z]+)(\d+)", last)
    if found is not None:
        check_dimensions(label, int(found.group(2)), _column_number(found.group(1)), limits)


def check_width(row: tuple, number: int, label: str, limits: Limits) -> None:
    if len(row) > limits.columns:
        raise too_many_columns(label, number, limits)


def check_lengths(
    columns: list[np.ndarray], headers: list[str | None], start: int, label: str, limits: Limits
) -> None:
    """Refuse the first cell (by row, then column) longer than a cell may be."""
    over = []
    for i, cells in enumerate(columns):
        if isinstance(cells, pd.Categorical):  # each value once
            lengths = np.strings.str_len(np.asarray(cells.categories, dtype=StringDType()))[cells.codes]
        else:
            lengths = np.strings.str_len(cells)
        if len(lengths) and lengths.max() > limits.cell_chars:
            row = int(np.argmax(lengths > limits.cell_chars))
            over.append((row, i, int(lengths[row])))
    if over:
        row, i, length = min(over)
        column, most = headers[i] or None, limits.cell_chars
        problem = Problem.of(label, start + row, column, "problem.limit_cell", length=length, limit=most)
        raise LimitExceededError(problem)
