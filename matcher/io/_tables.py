"""Read the tables of a dataset (CSV folder or workbook) as text, row numbers kept.

Every cell is read as stripped text (a numpy string array per column); typing
and checking happen in ``_fields``. Each table keeps the row numbers a
spreadsheet shows (header = row 1), so every problem can point at the row the
user sees, and the headers as the user typed them, so that problems name
columns the way the file does.

Files, sheets and headers may have their Spanish names (``_names``); a CSV may
be separated by commas or, as Spanish-locale spreadsheets save it, by
semicolons (told apart by the header row).
"""

from __future__ import annotations

import contextlib
import csv
import io
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from matcher.errors import InvalidDataError, LimitExceededError, Problem
from matcher.io import _limits
from matcher.io._cells import cell_text, restored, restored_cells
from matcher.io._csv import (
    _HEAD,
    NUMBER,
    REPEATED,
    _cells_fit,
    _column_kinds,
    _decoded,
    _header_row,
    _read_frame,
    _utf8_head,
)
from matcher.io._limits import Limits, check_lengths, check_width
from matcher.io._looks import _Looks
from matcher.io._names import (
    COLUMN_ALIASES,
    FILE_ALIASES,
    FILES,
    REQUIRED,
    file_of,
    names_of,
    nearest,
    normal,
)
from matcher.io._numbers import TEXT

__all__ = ["FILES", "Source", "Table", "cell_text", "read_source"]

ROWS_PER_BLOCK = 65_536  # rows of a sheet turned into arrays at a time
_READERS = 2  # files of a folder read at once


@dataclass
class Table:
    """One file or sheet of a dataset as text."""

    name: str  # the file it is: "workshops"
    label: str  # how problems name it: "talleres.csv" or "cluster.xlsx:talleres"
    rows: np.ndarray  # spreadsheet row number of each data row
    cells: dict[str, np.ndarray] = field(default_factory=dict)  # column -> stripped text (numpy strings)
    headers: dict[str, str] = field(default_factory=dict)  # column -> header as typed
    numbers: dict[str, np.ndarray] = field(default_factory=dict)  # column -> cells that were numbers
    #: column -> its cells as numbers (NaN where empty), for a number column a CSV's reader parsed
    #: (such a column has no text in ``cells``)
    values: dict[str, np.ndarray] = field(default_factory=dict)
    unknown: list[str] = field(default_factory=list)  # headers of no column of the file, as typed
    spanish: bool = False  # headed mostly by the columns' Spanish names
    #: Whether a cell may hold a control character: False when the file's text holds none
    #: (but the line breaks between its rows), so no column needs looking at.
    controls: bool = True
    #: Whether an id may hold one (a tab, a line break in a quoted cell, DEL or a C1 control too).
    id_controls: bool = True
    #: Whether a cell may hold a space beyond ASCII (a no-break space grouping digits).
    odd_spaces: bool = True
    #: Whether a cell may be written inert (a quote before a formula's first character), to be
    #: restored when its column is first asked for; the columns restored so far.
    inert: bool = True
    restored: set[str] = field(default_factory=set)

    def name_for(self, column: str) -> str:
        """How the file would head a column it lacks: in Spanish when its other headers are."""
        aliases = COLUMN_ALIASES[self.name].get(column, ())
        return aliases[0] if self.spanish and aliases else column

    def __len__(self) -> int:
        return len(self.rows)

    def header(self, column: str) -> str:
        """The column as the file heads it (its own name when the file lacks it)."""
        return self.headers.get(column, column)

    def column(self, column: str) -> np.ndarray | pd.Categorical:
        """A text column's cells, a cell written inert read as it was before (``'=1`` is ``=1``):
        Python text, a numpy string array or (a column of a few repeated values) a categorical."""
        cells = self.cells[column]
        if self.inert and column not in self.restored:
            cells = self.cells[column] = restored_cells(cells)
            self.restored.add(column)
        return cells

    def has(self, column: str) -> bool:
        """Whether the file has the column (as text or as numbers)."""
        return column in self.cells or column in self.values

    def extra(self) -> list[str]:
        """Columns the contract does not know, kept as the file has them."""
        return [h for h in self.unknown if h in self.cells]


@dataclass
class Source:
    """The tables found at a path, and what reading them said."""

    path: Path
    tables: dict[str, Table] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    failed: set[str] = field(default_factory=set)  # files present but unreadable: nothing follows from them

    @property
    def workbook(self) -> bool:
        return self.path.suffix.lower() == ".xlsx"

    def label(self, name: str) -> str:
        """How problems name a file of the dataset: its own name when it has one."""
        if name in self.tables:
            return self.tables[name].label
        return f"{self.path.name}:{name}" if self.workbook else f"{name}.csv"


def _too_wide(text: str, delimiter: str, label: str, source: Source) -> None:
    """Report every row with more cells than the header row (a list or decimal comma not quoted)."""
    try:
        records = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    except csv.Error:
        return
    width = len(records[0]) if records else 0
    key = "problem.row_cells_semicolon" if delimiter == ";" else "problem.row_cells_comma"
    for row, record in enumerate(records[1:], start=2):
        if len(record) > width:
            source.problems.append(Problem.of(label, row, None, key, cells=len(record), columns=width))


def _read_csv(path: Path, name: str, source: Source, limits: Limits) -> None:
    label = path.name
    try:
        raw = path.read_bytes()
    except OSError as exc:
        source.problems.append(
            Problem.of(label, None, None, "problem.unreadable", reason=exc.strerror or str(exc))
        )
        source.failed.add(name)
        return
    text, codec = _utf8_head(raw), "utf-8"  # the file is checked whole by its reader
    if text is None or (text.isspace() and len(raw) > _HEAD):
        text, codec = _decoded(raw, label, source.warnings)
    if not text or text.isspace():
        source.problems.append(Problem.of(label, None, None, "problem.empty_file"))
        source.failed.add(name)
        return
    body = raw[3:] if raw.startswith(b"\xef\xbb\xbf") else raw
    del raw
    delimiter, first = _header_row(text)
    del text  # pandas reads the bytes: the text is not held beside its cells
    check_width(tuple(first), 1, label, limits)
    looks = _Looks.of(body, delimiter, codec)
    kinds = _column_kinds(name, first, body, looks)
    frame = None
    with contextlib.suppress(UnicodeDecodeError):
        frame = _read_frame(body, codec, delimiter, kinds, len(first)) if kinds else None
    if frame is None:
        kinds = {}
        try:
            try:
                frame = _read_frame(body, codec, delimiter, kinds)
            except UnicodeDecodeError:  # not UTF-8 after all: read as a Windows file, with a warning
                text, codec = _decoded(body, label, source.warnings)
                delimiter, first = _header_row(text)
                del text
                check_width(tuple(first), 1, label, limits)
                looks = _Looks.of(body, delimiter, codec)
                frame = _read_frame(body, codec, delimiter, kinds)
        except pd.errors.ParserError as exc:
            _too_wide(body.decode(codec), delimiter, label, source)
            if not any(p.file == label for p in source.problems):
                if "EOF inside string" in str(exc):
                    source.problems.append(Problem.of(label, None, None, "problem.unclosed_quote"))
                else:
                    reason = str(exc).strip().splitlines()[-1]
                    source.problems.append(Problem.of(label, None, None, "problem.not_csv", reason=reason))
            source.failed.add(name)
            return
        except ValueError as exc:
            reason = str(exc).strip().splitlines()[-1] if str(exc).strip() else "not valid CSV"
            source.problems.append(Problem.of(label, None, None, "problem.not_csv", reason=reason))
            source.failed.add(name)
            return
    # Cells stay Python text (as pandas gives them) unless spaces are to be stripped; each column
    # becomes a numpy string array when a check first needs one (``_fields``).
    typed = bool(kinds)
    fits = not looks.spaced and _cells_fit(body, len(frame) + (1 if typed else 0), limits)
    del body
    values: list[np.ndarray | None] = [None] * frame.shape[1]
    cells: list[np.ndarray | pd.Categorical | None] = [None] * frame.shape[1]
    for i, column in enumerate(frame.columns):
        if kinds.get(i) == NUMBER:
            values[i] = frame[column].to_numpy(dtype=np.float64)
        elif kinds.get(i) == REPEATED:
            cells[i] = frame[column].array
        else:
            objects = frame[column].to_numpy(dtype=object)
            cells[i] = np.asarray(objects, dtype=TEXT) if not fits else objects
    del frame
    if typed:  # the header row was read apart
        check_lengths([np.array([h], dtype=TEXT) for h in first], [None] * len(first), 1, label, limits)
        text_columns = [(h.strip(), c) for h, c in zip(first, cells, strict=True) if c is not None]
        if not fits:
            check_lengths([c for _, c in text_columns], [h for h, _ in text_columns], 2, label, limits)
        else:  # the repeated values may still be long
            repeated = [(h, c) for h, c in text_columns if isinstance(c, pd.Categorical)]
            check_lengths([c for _, c in repeated], [h for h, _ in repeated], 2, label, limits)
        header = [h.strip() for h in first] if looks.spaced else list(first)
        columns = [c if c is None or not looks.spaced else _strip(c) for c in cells]
    else:
        if not fits:
            check_lengths(cells, [str(c[0]).strip() if len(c) else None for c in cells], 1, label, limits)
        columns = [_strip(c) for c in cells] if looks.spaced else cells
        header = [str(c[0]) if len(c) else "" for c in columns]
        columns = [c[1:] for c in columns]
    _add_table(source, name, label, header, columns, None, looks, values)


def _strip(cells: np.ndarray) -> np.ndarray:
    """Cells without the spaces around them (also the no-break spaces spreadsheets leave)."""
    return np.strings.strip(cells)


def _add_table(
    source: Source,
    name: str,
    label: str,
    header: list[str],
    columns: list[np.ndarray | None],
    numbers: list[np.ndarray] | None,
    looks: _Looks | None = None,
    values: list[np.ndarray | None] | None = None,
) -> None:
    """Name the columns by the headers, drop wholly blank rows, and keep the table.

    Cells written inert (a quote before ``=``, ``+``, ``-``, ``@``, tab or CR) are read
    as they were before (when a column is first asked for: :meth:`Table.column`).
    ``values``: the columns a CSV's reader parsed as numbers (NaN where empty), None in
    ``columns``.
    """
    looks = looks or _Looks()
    values = values or [None] * len(columns)
    header = [restored(h) for h in header]
    n = len(next(c for c in (*columns, *values) if c is not None)) if columns else 0
    keep = np.zeros(n, dtype=bool)
    for cells, parsed in zip(columns, values, strict=True):
        keep |= (cells != "") if cells is not None else ~np.isnan(parsed)
    every = bool(keep.all())
    rows = np.arange(2, 2 + n, dtype=np.int64)[keep]
    table = Table(
        name,
        label,
        rows,
        controls=looks.controls,
        id_controls=looks.id_controls,
        odd_spaces=looks.odd_spaces,
        inert=looks.inert,
    )
    accepted = names_of(name)
    by_alias = 0
    for i, typed in enumerate(header):
        typed = typed.strip()
        if not typed:
            continue
        column = accepted.get(normal(typed))
        if column is None:
            column = typed
            if column in table.cells:  # the same extra header twice: the first is kept
                source.warnings.append(
                    Problem.of(label, 1, typed, "problem.column_twice", first=typed, second=typed)
                )
                continue
            table.unknown.append(typed)
        elif column in table.headers:
            first = table.headers[column]
            source.problems.append(
                Problem.of(label, 1, column, "problem.column_twice", first=first, second=typed)
            )
            continue
        if values[i] is not None:
            table.values[column] = values[i] if every else values[i][keep]
        else:
            table.cells[column] = columns[i] if every else columns[i][keep]
        table.headers[column] = typed
        by_alias += 1 if normal(typed) != column else -1
        if numbers is not None and numbers[i][keep].any():
            table.numbers[column] = numbers[i][keep]
    table.spanish = by_alias > 0
    _near_misses(table, source)
    source.tables[name] = table


def _near_misses(table: Table, source: Source) -> None:
    """Warn of an unknown header that looks like a column the file lacks (a missing required
    column says so itself, in ``_fields``)."""
    accepted = names_of(table.name)
    for typed in table.unknown:
        guess = nearest(typed, accepted)
        if guess is None:
            continue
        column = accepted[guess]
        if not table.has(column) and column not in REQUIRED[table.name]:
            source.warnings.append(
                Problem.of(table.label, 1, typed, "problem.unknown_column_near", suggestion=guess)
            )


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _read_xlsx(path: Path, source: Source, limits: Limits) -> None:
    from openpyxl import load_workbook

    try:
        _limits.check_workbook(path, limits)  # before anything is parsed
        book = load_workbook(path, read_only=True, data_only=True)
    except LimitExceededError:
        raise
    except Exception as exc:  # zipfile and openpyxl raise many kinds for a damaged file
        source.problems.append(Problem.of(path.name, None, None, "problem.not_workbook", reason=str(exc)))
        source.failed.update(FILES)
        return
    try:
        found: dict[str, str] = {}
        for sheet in book.sheetnames:
            name = file_of(sheet)
            label = f"{path.name}:{sheet.strip()}"
            if name is None:
                continue
            if name in found:
                names = [found[name], sheet.strip()]
                source.problems.append(Problem.of(label, None, None, "problem.same_file", names=names))
                source.failed.add(name)
                continue
            found[name] = sheet.strip()
            read = _read_sheet(book[sheet], label, limits)
            if read is None:
                source.problems.append(Problem.of(label, None, None, "problem.empty_sheet"))
                source.failed.add(name)
                continue
            _add_table(source, name, label, *read)
    finally:
        book.close()


def _read_sheet(
    sheet, label: str, limits: Limits
) -> tuple[list[str], list[np.ndarray], list[np.ndarray]] | None:
    """A sheet's header, cells (text) and which cells were numbers; None when it has no row.

    Its XML has been checked against ``limits`` (:func:`~matcher.io._limits.check_workbook`);
    it is read row by row (rows and columns checked as they come) and turned
    into arrays a block of rows at a time (cell lengths checked).
    """
    _limits.check_dimensions(label, sheet.max_row, sheet.max_column, limits)
    sheet.reset_dimensions()  # rows as the XML has them: never padded to, nor cut at, a declared size
    rows = sheet.iter_rows(values_only=True)
    first = next(rows, None)
    if first is None:
        return None
    check_width(first, 1, label, limits)
    header = [cell_text(v) for v in first]
    check_lengths([np.array([h], dtype=TEXT) for h in header], [None] * len(header), 1, label, limits)
    while header and header[-1] == "":
        header.pop()
    width = len(header)
    texts: list[list[np.ndarray]] = [[] for _ in range(width)]
    numbers: list[list[np.ndarray]] = [[] for _ in range(width)]
    block: list[tuple] = []
    start = 2  # the sheet's row number of the block's first row
    for number, row in enumerate(rows, start=2):
        if number > limits.rows:
            raise _limits.too_many_rows(label, limits)
        check_width(row, number, label, limits)
        block.append(row)
        if len(block) == ROWS_PER_BLOCK:
            _convert(block, header, texts, numbers, start, label, limits)
            start += len(block)
            block = []
    _convert(block, header, texts, numbers, start, label, limits)
    columns = [np.concatenate(parts) if parts else np.array([], dtype=TEXT) for parts in texts]
    flags = [np.concatenate(parts) if parts else np.array([], dtype=bool) for parts in numbers]
    return header, columns, flags


def _convert(
    block: list[tuple],
    header: list[str],
    texts: list[list[np.ndarray]],
    numbers: list[list[np.ndarray]],
    start: int,
    label: str,
    limits: Limits,
) -> None:
    """Add a block of rows to the columns' arrays (cells beyond the header's last are not read)."""
    if not block:
        return
    width = len(header)
    padding = (None,) * width
    body = [(tuple(row) + padding)[:width] for row in block]
    cells = [np.array([cell_text(r[i]) for r in body], dtype=TEXT) for i in range(width)]
    check_lengths(cells, [h.strip() for h in header], start, label, limits)
    for i in range(width):
        texts[i].append(_strip(cells[i]))
        numbers[i].append(np.array([_is_number(r[i]) for r in body], dtype=bool))


def _read_folder(path: Path, source: Source, limits: Limits) -> None:
    found: dict[str, Path] = {}
    for file in sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() == ".csv"):
        name = file_of(file.name)
        if name is None:
            guess = nearest(file.stem, [*FILES, *(a for names in FILE_ALIASES.values() for a in names)])
            if guess is not None:
                suggestion = f"{guess}.csv"
                source.warnings.append(
                    Problem.of(file.name, None, None, "problem.unknown_file_near", suggestion=suggestion)
                )
            continue
        if name in found:
            names = sorted([found[name].name, file.name])
            source.problems.append(Problem.of(file.name, None, None, "problem.same_file", names=names))
            source.failed.add(name)
            continue
        found[name] = file
    names = [name for name in FILES if name in found and name not in source.failed]
    # Two files at a time: pandas' reader and numpy's scans of the bytes let go of the
    # interpreter, so a second core reads the next file. Each file is read into a part of its
    # own and the parts are joined in the files' order (the same problems in the same order;
    # the first limit exceeded, in that order, is the one raised).
    parts = {name: Source(path) for name in names}
    with ThreadPoolExecutor(max_workers=_READERS) as pool:
        reads = [(name, pool.submit(_read_csv, found[name], name, parts[name], limits)) for name in names]
        try:
            for name, read in reads:
                read.result()
                part = parts[name]
                source.tables.update(part.tables)
                source.problems.extend(part.problems)
                source.warnings.extend(part.warnings)
                source.failed |= part.failed
        except BaseException:
            pool.shutdown(cancel_futures=True)  # a limit exceeded: nothing more is read
            raise


def read_source(path: str | Path, limits: Limits | None = None) -> Source:
    """The tables of a dataset, read within ``limits`` (default :data:`~matcher.io._limits.LIMITS`).

    Raises
    ------
    InvalidDataError
        When the path is not a dataset.
    LimitExceededError
        At the first limit the dataset exceeds (nothing more is read).
    """
    path = Path(path)
    source = Source(path)
    limits = limits or _limits.LIMITS
    if path.is_dir():
        _read_folder(path, source, limits)
    elif path.is_file() and path.suffix.lower() == ".xlsx":
        _read_xlsx(path, source, limits)
    elif path.exists():
        raise InvalidDataError([Problem.of(str(path), None, None, "problem.not_dataset")], source=str(path))
    else:
        raise InvalidDataError([Problem.of(str(path), None, None, "problem.no_path")], source=str(path))
    if "workshops" not in source.tables and "workshops" not in source.failed:
        if source.workbook:
            key, names = "problem.no_workshops_sheet", ["workshops", *FILE_ALIASES["workshops"]]
        else:
            key, names = (
                "problem.no_workshops_file",
                [f"{n}.csv" for n in ("workshops", *FILE_ALIASES["workshops"])],
            )
        source.problems.append(Problem.of(source.label("workshops"), None, None, key, names=names))
    return source
