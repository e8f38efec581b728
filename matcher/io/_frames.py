"""A cluster to and from pandas DataFrames, one per file of the data contract.

:func:`cluster_to_frames` gives the tables a dataset's files hold, with their
types: numbers as numbers (a nullable integer or NaN where a cell is empty),
``formal`` and ``can_lead`` as booleans, lists (``products``, ``machines``,
``organizations``, ...) as the text the files hold (``jeans;tshirt``). The
workshops and ties of a loaded cluster are read from its columns, so a million
workshops become frames without a million objects.

:func:`cluster_from_frames` takes such frames — or any a user made, with the
contract's column names in English or Spanish — and checks them as files are
checked: every rule of the contract, every problem listed by table, row and
column (rows numbered as in a file, the header being row 1), the whole refused
if anything is wrong. Numbers in number columns are read as numbers (no
decimal mark to guess); lists may be Python lists or tuples as well as text.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from matcher.errors import InvalidDataError, InvalidOptionError, Problem
from matcher.io._load import load_source
from matcher.io._loaded import _reading
from matcher.io._names import COLUMNS, FILES, file_of
from matcher.io._numbers import TEXT
from matcher.io._tables import Source, _add_table, cell_text
from matcher.io._write import cluster_tables
from matcher.model import WORKSHOP_FIELDS, Cluster, Rows

__all__ = ["cluster_from_frames", "cluster_to_frames"]

#: Columns of the workshops' table holding numbers, booleans and lists (the rest is text).
_WHOLE = ("workers", "women_workers", "quality")
_DECIMAL = (
    "hours_per_week", "efficiency", "capacity_minutes_per_week", "committed_minutes_per_week",
    "cost_per_minute", "reliability",
)  # fmt: skip
_BOOLEAN = ("formal", "can_lead", "require_formal")
_LISTS = ("products", "processes", "organizations", "territories")


def _joined(items: Any) -> str:
    return ";".join(items) if items else ""


def _machines(items: Any) -> str:
    return ";".join(f"{m}:{c}" for m, c in items) if items else ""


def _workshops_frame(cluster: Cluster) -> pd.DataFrame:
    ws = cluster.workshops
    if isinstance(ws, Rows) and not ws.built:
        columns = {f: ws.column(f) for f in WORKSHOP_FIELDS}
    else:
        columns = {f: [getattr(w, f) for w in ws] for f in WORKSHOP_FIELDS}
    frame: dict[str, Any] = {}
    for name in COLUMNS["workshops"]:
        values = columns[name]
        if name in _WHOLE:
            frame[name] = pd.array(values, dtype="Int64")
        elif name in _DECIMAL:
            frame[name] = pd.array(values, dtype="Float64").to_numpy(dtype=float, na_value=np.nan)
        elif name in _BOOLEAN:
            frame[name] = np.asarray(values, dtype=bool)
        elif name == "machines":
            frame[name] = _per_distinct(values, _machines)
        elif name in _LISTS:
            frame[name] = _per_distinct(values, _joined)
        else:
            frame[name] = np.asarray(values, dtype=object)
    extra = columns["extra"]
    names = list(dict.fromkeys(c for cells in extra if cells for c, _ in cells))
    for name in names:
        frame[name] = [dict(cells).get(name, "") if cells else "" for cells in extra]
    return pd.DataFrame(frame)


def _per_distinct(values: Any, text: Any) -> np.ndarray:
    """``text`` of each value, computed once per distinct value (lists of a column repeat)."""
    codes, uniques = pd.factorize(np.fromiter(values, dtype=object, count=len(values)))
    said = np.array([text(u) for u in uniques] + [""], dtype=object)
    return said[codes]


def _ties_frame(cluster: Cluster) -> pd.DataFrame:
    ties = cluster.ties
    if isinstance(ties, Rows) and not ties.built:
        columns = {c: ties.column(c) for c in COLUMNS["ties"]}
    else:
        columns = {c: [getattr(t, c) for t in ties] for c in COLUMNS["ties"]}
    frame = {c: np.asarray(columns[c], dtype=object) for c in ("source", "target", "kind", "wave")}
    frame["strength"] = np.asarray(columns["strength"], dtype=np.int64)
    return pd.DataFrame(frame, columns=list(COLUMNS["ties"]))


def _typed(header: list[str], rows: list[list[str]]) -> pd.DataFrame:
    """A small table of text (:func:`~matcher.io._write.cluster_tables`) with its numbers and
    booleans typed: a column whose every filled cell is a number becomes numbers."""
    frame = pd.DataFrame(rows, columns=header, dtype=object)
    for name in frame.columns:
        cells = frame[name]
        filled = cells != ""
        if name in _BOOLEAN:
            frame[name] = cells == "true"
            continue
        if name in ("firm_id", "territory", "name", "product", "process", "order_id"):
            continue
        numbers = pd.to_numeric(cells.where(filled), errors="coerce")
        if filled.any() and numbers[filled].notna().all():
            whole = numbers[filled] % 1 == 0
            frame[name] = numbers.astype("Int64") if whole.all() and name != "minutes_per_unit" else numbers
    return frame


def cluster_to_frames(cluster: Cluster, contacts: Any = ()) -> dict[str, pd.DataFrame]:
    """The cluster as the tables of its files, one DataFrame each.

    Parameters
    ----------
    cluster : Cluster
    contacts : iterable of Contact, optional
        Private contacts, given only by a caller allowed to hold them: a
        ``contacts`` table then comes too.

    Returns
    -------
    dict of str to pandas.DataFrame
        ``workshops`` and ``ties`` always; ``lead_firms``, ``orders``,
        ``routings`` (the products whose routing differs from the default
        catalogue) and ``contacts`` when there are any. The columns are the data
        contract's (``docs/data-contract.md``), workshops' extra columns after them.

    Examples
    --------
    >>> from matcher.model import Cluster, Tie, Workshop
    >>> c = Cluster((Workshop("A", "Itá", 4, ("jeans", "tshirt"), ("sewing",), formal=True),
    ...              Workshop("B", "Itá", 2, ("jeans",), ("sewing",), women_workers=2)),
    ...             ties=(Tie("A", "B", "kinship"),))
    >>> frames = cluster_to_frames(c)
    >>> frames["workshops"][["workshop_id", "workers", "women_workers", "products", "formal"]]
      workshop_id  workers  women_workers      products  formal
    0           A        4           <NA>  jeans;tshirt    True
    1           B        2              2         jeans   False
    >>> back = cluster_from_frames(frames)  # with the default routings of its products
    >>> back.workshops == c.workshops and back.ties == c.ties
    True
    """
    frames = {"workshops": _workshops_frame(cluster), "ties": _ties_frame(cluster)}
    small = Cluster(
        workshops=(), lead_firms=cluster.lead_firms, orders=cluster.orders, routings=cluster.routings
    )
    for name, (header, rows) in cluster_tables(small, contacts).items():
        if name not in frames:
            frames[name] = _typed(header, rows)
    return frames


def _cell(value: Any) -> tuple[str, bool]:
    """A cell of a frame as text, and whether it was a number (read one way, whatever the mark)."""
    if value is None or value is pd.NA or value is pd.NaT:
        return "", False
    if isinstance(value, bool | np.bool_):
        return ("true" if value else "false"), False
    if isinstance(value, int | np.integer):
        return str(int(value)), True
    if isinstance(value, float | np.floating):
        if np.isnan(value):
            return "", False
        return repr(float(value)), True
    if isinstance(value, list | tuple | set | frozenset):
        items = sorted(value) if isinstance(value, set | frozenset) else value
        return ";".join(":".join(map(str, i)) if isinstance(i, tuple) else str(i) for i in items), False
    if isinstance(value, dt.date | pd.Timestamp):
        return cell_text(value), False
    return str(value), False


def _column(series: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """A frame's column as stripped text cells and where a cell was a number."""
    n = len(series)
    missing = series.isna().to_numpy()
    if pd.api.types.is_bool_dtype(series.dtype):
        values = series.to_numpy(dtype=bool, na_value=False)
        cells = np.where(values, "true", "false").astype(TEXT)
        numbers = np.zeros(n, dtype=bool)
    elif pd.api.types.is_integer_dtype(series.dtype):
        cells = series.to_numpy(dtype=np.int64, na_value=0).astype(TEXT)
        numbers = ~missing
    elif pd.api.types.is_float_dtype(series.dtype):
        values = series.to_numpy(dtype=float, na_value=np.nan)
        cells = np.array([repr(v) for v in values.tolist()], dtype=TEXT) if n else np.zeros(0, dtype=TEXT)
        numbers = ~missing
    else:
        said = [_cell(v) for v in series.tolist()]
        cells = np.array([t for t, _ in said], dtype=TEXT) if n else np.zeros(0, dtype=TEXT)
        numbers = np.array([k for _, k in said], dtype=bool)
    cells[missing] = ""
    return np.strings.strip(cells), numbers & ~missing


def cluster_from_frames(
    frames: Mapping[str, pd.DataFrame],
    *,
    decimal: str | None = None,
    as_of: dt.date | str | None = None,
) -> Cluster:
    """A cluster from one DataFrame per file, checked as files are, refused whole if anything is wrong.

    Parameters
    ----------
    frames : mapping of str to pandas.DataFrame
        By file name, in English or Spanish (``workshops`` or ``talleres``,
        ``ties`` or ``vinculos``, ...): ``workshops`` is needed, the others are
        optional. Column names as the contract's, in either language.
    decimal, as_of
        As in :func:`matcher.io.validate_dataset`, for numbers written as text.

    Returns
    -------
    Cluster
        As :func:`matcher.io.load_cluster` gives it (contacts are checked, not kept).

    Raises
    ------
    InvalidDataError
        With every problem found, each naming the table (``workshops (DataFrame)``),
        the row (the first row of data is row 2, as in a file) and the column.
    InvalidOptionError
        A frame of a name that is no file of the contract, or two frames of one file.

    Examples
    --------
    >>> import pandas as pd
    >>> talleres = pd.DataFrame({"id_taller": ["T1", "T2"], "territorio": ["Itá", "Itá"],
    ...                          "trabajadores": [4, 0], "productos": ["jeans", "jeans"],
    ...                          "procesos": [["corte", "costura"], "costura"]})
    >>> try:
    ...     cluster_from_frames({"talleres": talleres})
    ... except InvalidDataError as error:
    ...     print(error.problems[0].say("es"))  # doctest: +NORMALIZE_WHITESPACE
    talleres (DataFrame) fila 3, columna trabajadores: 0 está fuera de rango;
    use un número entero mayor o igual a 1
    >>> talleres.loc[1, "trabajadores"] = 2
    >>> [w.processes for w in cluster_from_frames({"talleres": talleres}).workshops]
    [('cutting', 'sewing'), ('sewing',)]
    """
    source = Source(Path("frames"))
    named: dict[str, str] = {}
    unknown = []
    for given, frame in frames.items():
        name = file_of(given)
        if name is None:
            unknown.append(given)
            continue
        if name in named:
            raise InvalidOptionError(f"the frames {named[name]!r} and {given!r} are both the {name} table")
        named[name] = given
        label = f"{given} (DataFrame)"
        read = [_column(frame[c]) for c in frame.columns]
        header = [str(c) for c in frame.columns]
        _add_table(source, name, label, header, [c for c, _ in read], [k for _, k in read])
    if unknown:
        raise InvalidOptionError(
            f"no table of the data contract is called {', '.join(map(repr, unknown))}: "
            f"use {', '.join(FILES)} (or their Spanish names)"
        )
    if "workshops" not in source.tables:
        source.problems.append(
            Problem.of("frames", None, None, "problem.no_workshops_sheet", names=["workshops", "talleres"])
        )
    loaded = load_source(source, _reading(decimal, as_of), contacts=False)
    if loaded.problems:
        raise InvalidDataError(loaded.problems, source="frames")
    return loaded.cluster()
