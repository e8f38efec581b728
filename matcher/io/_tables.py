"""Read the tables of a dataset (CSV folder or workbook) as text, row numbers kept.

Every cell is read as stripped text; typing and checking happen in
``_fields``. Each table's index holds the row number a spreadsheet shows
(header = row 1), so every problem can point at the row the user sees.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from matcher.errors import InvalidDataError, Problem

FILES = ("workshops", "ties", "lead_firms", "orders", "routings", "contacts")


@dataclass
class Table:
    """One file or sheet of a dataset as text."""

    name: str  # "workshops"
    label: str  # how problems name it: "workshops.csv" or "cluster.xlsx:workshops"
    frame: pd.DataFrame  # str cells, stripped; index = spreadsheet row number


@dataclass
class Source:
    """The tables found at a path, and what reading them said."""

    path: Path
    tables: dict[str, Table] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    def label(self, name: str) -> str:
        if self.path.suffix.lower() == ".xlsx":
            return f"{self.path.name}:{name}"
        return f"{name}.csv"


def _decode(raw: bytes, label: str, warnings: list[Problem]) -> str:
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        text = raw.decode("cp1252")
    except UnicodeDecodeError:
        text = raw.decode("latin-1")
    warnings.append(
        Problem(
            label,
            None,
            None,
            "read as Latin-1/Windows-1252 because it is not UTF-8; "
            "save it as 'CSV UTF-8' to be sure accents are right",
        )
    )
    return text


def _frame(header: list[str], rows: list[list[str]], first_row: int) -> pd.DataFrame:
    frame = (
        pd.DataFrame(rows, columns=header, dtype=object)
        if rows
        else pd.DataFrame(columns=header, dtype=object)
    )
    frame.index = pd.RangeIndex(first_row, first_row + len(frame))
    return frame


def _clean(frame: pd.DataFrame) -> pd.DataFrame:
    """Strip cells and headers; drop rows that are wholly blank."""
    frame = frame.fillna("").astype(str)
    frame.columns = [str(c).strip() for c in frame.columns]
    for column in frame.columns:
        frame[column] = frame[column].str.strip()
    if len(frame) and len(frame.columns):
        frame = frame[(frame != "").any(axis=1)]
    return frame


def _read_csv(path: Path, name: str, source: Source) -> None:
    label = f"{name}.csv"
    try:
        raw = path.read_bytes()
    except OSError as exc:
        source.problems.append(Problem(label, None, None, f"cannot be read: {exc.strerror or exc}"))
        return
    text = _decode(raw, label, source.warnings)
    first_line = text.split("\n", 1)[0]
    if ";" in first_line and "," not in first_line:
        source.problems.append(
            Problem(label, 1, None, "the file is separated by semicolons; save it as comma-separated CSV")
        )
        return
    if not text.strip():
        source.problems.append(
            Problem(label, None, None, "the file is empty; it needs at least a header row")
        )
        return
    try:
        frame = pd.read_csv(
            io.StringIO(text), dtype=str, keep_default_na=False, skip_blank_lines=False, na_filter=False
        )
    except (pd.errors.ParserError, ValueError) as exc:
        detail = str(exc).strip().splitlines()[-1] if str(exc).strip() else "not valid CSV"
        source.problems.append(Problem(label, None, None, f"cannot be read as CSV: {detail}"))
        return
    frame.index = pd.RangeIndex(2, 2 + len(frame))
    source.tables[name] = Table(name, label, _clean(frame))


def cell_text(value: object) -> str:
    """A cell as text the way the checks read it: ``4.0`` as ``4``, booleans as true/false."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return str(value)


def _read_xlsx(path: Path, source: Source) -> None:
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        source.problems.append(Problem(path.name, None, None, f"cannot be read as an .xlsx workbook: {exc}"))
        return
    try:
        sheets = {s.strip(): s for s in book.sheetnames}
        for name in FILES:
            if name not in sheets:
                continue
            rows = [[cell_text(v) for v in row] for row in book[sheets[name]].iter_rows(values_only=True)]
            label = source.label(name)
            if not rows:
                source.problems.append(
                    Problem(label, None, None, "the sheet is empty; it needs a header row")
                )
                continue
            header = list(rows[0])
            while header and header[-1] == "":
                header.pop()
            width = len(header)
            body = [(r + [""] * width)[:width] for r in rows[1:]]
            source.tables[name] = Table(name, label, _clean(_frame(header, body, 2)))
    finally:
        book.close()


def read_source(path: str | Path) -> Source:
    """The tables of a dataset; InvalidDataError when the path is not a dataset."""
    path = Path(path)
    source = Source(path)
    if path.is_dir():
        for name in FILES:
            file = path / f"{name}.csv"
            if file.is_file():
                _read_csv(file, name, source)
    elif path.is_file() and path.suffix.lower() == ".xlsx":
        _read_xlsx(path, source)
    elif path.exists():
        raise InvalidDataError(
            [Problem(str(path), None, None, "is neither a folder of CSV files nor an .xlsx workbook")],
            source=str(path),
        )
    else:
        raise InvalidDataError(
            [
                Problem(
                    str(path), None, None, "does not exist; give a folder of CSV files or an .xlsx workbook"
                )
            ],
            source=str(path),
        )
    if "workshops" not in source.tables and not any(
        p.file == source.label("workshops") for p in source.problems
    ):
        where = "sheet" if path.suffix.lower() == ".xlsx" else "file"
        source.problems.append(
            Problem(
                source.label("workshops"),
                None,
                None,
                f"the {where} is missing; every dataset needs workshops",
            )
        )
    return source
