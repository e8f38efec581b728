"""Typed, vectorised reading of a table's columns, collecting every problem.

Each reader returns the column's values (defaults filled in) and records a
:class:`~matcher.errors.Problem` for every bad cell. Only bad cells build
Python objects (and lists, one per distinct cell), so a clean million-row file
is checked at numpy speed. A column the file lacks is reported once, by
:meth:`Checker.require_columns`, and its readers then give defaults without
reporting its cells again.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Callable, Collection, Hashable, Iterable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from matcher.errors import Problem
from matcher.io._cells import as_objects
from matcher.io._names import CODE_ALIASES, COLUMN_ALIASES, codes_of, names_of, nearest, normal, spoken
from matcher.io._numbers import TEXT, Readings, as_text, looks_like_date, read_numbers, settle
from matcher.io._tables import Table, cell_text

#: Problems listed per file, column and kind of problem; the rest are counted.
LIST_LIMIT = 1000

CODE = re.compile(r"^[a-z][a-z0-9_]*$")
#: Items of a list of codes: ``;``, or ``,`` not followed by a digit (``embroidery:2,5`` is one item).
CODE_ITEMS = re.compile(r";|,(?!\d)")
TRUE = ("true", "yes", "y", "1", "si", "sí", "verdadero", "x")
FALSE = ("false", "no", "n", "0", "falso")

Say = str | Callable[[int], tuple[str, dict[str, Any]]]


def in_quotes(value: str) -> str:
    """User text as it goes between the double quotes of a message."""
    return value.replace('"', "'")


def _per_cell(cells: np.ndarray, parse: Callable[[str], Any]) -> list[Any]:
    """``parse`` of every cell, computed once per distinct cell."""
    return per_distinct_cell(cells, parse)[0]


def per_distinct_cell(
    cells: np.ndarray | pd.Categorical, parse: Callable[[str], Any]
) -> tuple[list[Any], np.ndarray, list[Any]]:
    """``parse`` of every cell, computed once per distinct cell; also which distinct cell each
    cell is, and the distinct cells' values (to count or look at them without a pass per row)."""
    if not len(cells):
        return [], np.zeros(0, dtype=np.intp), []
    if isinstance(cells, pd.Categorical):  # read as each value and a code per row
        codes, uniques = cells.codes.astype(np.intp), np.asarray(cells.categories, dtype=object)
    else:
        codes, uniques = pd.factorize(np.asarray(cells, dtype=object))
    parsed = [parse(u) for u in uniques]
    distinct = np.empty(len(parsed), dtype=object)
    for i, value in enumerate(parsed):  # one by one: a tuple is a value here, not a row
        distinct[i] = value
    return distinct[codes].tolist(), codes, parsed


class Checker:
    """Reads the columns of one table and records what is wrong with them.

    ``decimal``: the decimal mark the dataset states (``"comma"``, ``"point"``)
    or None to settle each cell by its field (``_numbers.settle``).
    """

    def __init__(
        self,
        table: Table,
        problems: list[Problem],
        warnings: list[Problem] | None = None,
        *,
        decimal: str | None = None,
    ):
        self.table = table
        self.problems = problems
        self.warnings = warnings if warnings is not None else problems
        self.rows = table.rows
        self.decimal = decimal
        self.missing: set[str] = set()

    def __len__(self) -> int:
        return len(self.table)

    # -- reporting --------------------------------------------------------
    def report(
        self,
        mask: np.ndarray | Sequence[bool],
        column: str | None,
        key: Say,
        args: dict[str, Any] | Callable[[int], dict[str, Any]] | None = None,
        *,
        warning: bool = False,
    ) -> None:
        """One problem per row where ``mask`` holds.

        ``key`` is a message key, with ``args`` its arguments (or a function of
        the row's position giving them); or a function of the position giving
        both, for a column whose cells go wrong in different ways.
        """
        mask = np.asarray(mask, dtype=bool)
        if not mask.any():  # the usual case, told without listing a million positions
            return
        positions = np.flatnonzero(mask)

        def said(i: int) -> tuple[int, str, dict[str, Any]]:
            if callable(key):
                return (i, *key(i))
            return i, key, args(i) if callable(args) else (args or {})

        self.report_each((said(int(i)) for i in positions), len(positions), column, warning=warning)

    def report_each(
        self,
        found: Iterable[tuple[int, str, dict[str, Any]]],
        count: int,
        column: str | None,
        *,
        warning: bool = False,
    ) -> None:
        """Problems (position, key, arguments), the first :data:`LIST_LIMIT` listed and the rest counted."""
        sink = self.warnings if warning else self.problems
        header = self.table.header(column) if column is not None else None
        for i, key, args in itertools.islice(found, LIST_LIMIT):
            sink.append(Problem.of(self.table.label, int(self.rows[i]), header, key, **args))
        if count > LIST_LIMIT:
            more = count - LIST_LIMIT
            sink.append(Problem.of(self.table.label, None, header, "problem.more_rows", count=more))

    def require_columns(self, names: Sequence[str]) -> None:
        """Report each required column the file lacks, with the header it may be misspelt as."""
        accepted = names_of(self.table.name)
        for name in names:
            if self.table.has(name):
                continue
            self.missing.add(name)
            near = [
                (typed, guess)
                for typed in self.table.unknown
                if (guess := nearest(typed, accepted)) is not None and accepted[guess] == name
            ]
            shown = self.table.name_for(name)
            if near:
                typed, guess = near[0]
                said = Problem.of(
                    self.table.label,
                    1,
                    shown,
                    "problem.missing_column_near",
                    header=in_quotes(typed),
                    suggestion=guess,
                )
            else:
                others = [n for n in (name, *COLUMN_ALIASES[self.table.name].get(name, ())) if n != shown]
                said = Problem.of(self.table.label, 1, shown, "problem.missing_column", aliases=others)
            self.problems.append(said)

    def has(self, column: str) -> bool:
        return self.table.has(column)

    def raw(self, column: str) -> np.ndarray:
        """The column's cells as text (all empty when the file lacks it; a number column its
        reader parsed, written back as :func:`~matcher.io._tables.cell_text` writes numbers)."""
        if column in self.table.cells:
            cells = self.table.column(column)
            if isinstance(cells, pd.Categorical) or cells.dtype == object:  # a numpy string array from now on
                cells = self.table.cells[column] = np.asarray(as_objects(cells), dtype=TEXT)
            return cells
        if column in self.table.values:
            return as_text([_number_text(v) for v in self.table.values[column].tolist()])
        return np.full(len(self), "", dtype=TEXT)

    def blank(self, column: str) -> np.ndarray:
        """Where the column's cell is empty (everywhere when the file lacks it)."""
        if column in self.table.values:
            return np.isnan(self.table.values[column])
        return self.cells(column) == ""

    def cells(self, column: str) -> np.ndarray | pd.Categorical:
        """The column's text cells as they are held: Python text, a numpy string array or a
        categorical (what comparisons and :func:`per_distinct_cell` take without converting them)."""
        return self.table.column(column) if column in self.table.cells else self.raw(column)

    def _required(self, column: str, empty: np.ndarray, required: bool) -> None:
        if required and column not in self.missing:
            self.report(empty, column, "problem.required_empty")

    # -- readers ----------------------------------------------------------
    def text(self, column: str, *, required: bool = False) -> list[str | None]:
        cells = self.cells(column)
        empty = cells == ""
        self._required(column, empty, required)
        values = np.array(as_objects(cells), dtype=object)  # a copy
        values[empty] = None
        return values.tolist()

    def _numbers(
        self,
        column: str,
        *,
        whole: bool,
        required: bool,
        low: float | None,
        high: float | None,
        low_open: bool,
        dated: Callable[[int], tuple[str, dict[str, Any]]] | None,
    ) -> tuple[np.ndarray, np.ndarray]:
        """Values of a number column and where they are usable; every bad cell reported."""
        parsed = self.table.values.get(column)
        cells = self.raw(column) if parsed is None else _Lazy(parsed)
        empty = cells == "" if parsed is None else np.isnan(parsed)
        self._required(column, empty, required)

        def inside(values: np.ndarray) -> np.ndarray:
            within = np.isfinite(values)
            if low is not None:
                within &= (values > low) if low_open else (values >= low)
            if high is not None:
                within &= values <= high
            return within

        if parsed is None:
            readings = read_numbers(cells, self.table.numbers.get(column), odd_spaces=self.table.odd_spaces)
        else:  # each cell a plain number or empty: one reading
            readings = Readings(parsed, parsed, np.full(len(parsed), np.nan))
        value, unsure = settle(readings, whole=whole, decimal=self.decimal, inside=inside)
        strange = ~empty & ~readings.number

        def not_a_number(i: int) -> tuple[str, dict[str, Any]]:
            cell = str(cells[i])
            if looks_like_date(cell):
                return (
                    dated(i) if dated is not None else ("problem.date_not_number", {"value": in_quotes(cell)})
                )
            return ("problem.not_whole" if whole else "problem.not_number"), {"value": in_quotes(cell)}

        self.report(strange, column, not_a_number)
        self.report(
            unsure,
            column,
            "problem.ambiguous",
            lambda i: {
                "value": in_quotes(str(cells[i])),
                "point": readings.point[i],
                "comma": readings.comma[i],
            },
        )
        ok = np.isfinite(value)
        if whole:
            fractional = ok & (np.floor(value) != value)
            self.report(
                fractional, column, "problem.not_whole", lambda i: {"value": in_quotes(str(cells[i]))}
            )
            ok &= ~fractional
        out = ok & ~inside(value)
        if out.any():
            kind = "whole" if whole else "number"
            if high is None:
                key = f"problem.{kind}_{'above' if low_open else 'at_least'}"
            else:
                key = f"problem.{kind}_{'above_at_most' if low_open else 'between'}"
            bounds = {"low": low} if high is None else {"low": low, "high": high}
            self.report(out, column, key, lambda i: {"value": in_quotes(str(cells[i])), **bounds})
            ok &= ~out
        return value, ok

    def integer(
        self,
        column: str,
        *,
        required: bool = False,
        default: int | None = None,
        low: int | None = None,
        high: int | None = None,
    ) -> list[int | None]:
        """A whole-number column: ``2.000``, ``2,000`` and ``2 000`` are two thousand."""
        value, ok = self._numbers(
            column, whole=True, required=required, low=low, high=high, low_open=False, dated=None
        )
        values = np.where(ok, value, 0).astype(np.int64).astype(object)
        values[~ok] = default
        return values.tolist()

    def number(
        self,
        column: str,
        *,
        required: bool = False,
        default: float | None = None,
        low: float | None = None,
        high: float | None = None,
        low_open: bool = False,
        dated: Callable[[int], tuple[str, dict[str, Any]]] | None = None,
    ) -> list[float | None]:
        """A decimal column (``0,5`` and ``0.5`` alike); ``dated`` says what a date in it is told."""
        value, ok = self._numbers(
            column, whole=False, required=required, low=low, high=high, low_open=low_open, dated=dated
        )
        values = value.astype(object)
        values[~ok] = default
        return values.tolist()

    def boolean(self, column: str, *, default: bool = False) -> list[bool]:
        cells = self.cells(column)

        def read(cell: str) -> bool | None:  # None: not a yes or no
            lower = cell.lower()
            return True if lower in TRUE else False if lower in FALSE else None

        _, which, distinct = per_distinct_cell(cells, read)
        said = np.array([d is True for d in distinct], dtype=bool)[which] if len(cells) else np.zeros(0, bool)
        unsaid = np.array([d is None for d in distinct], dtype=bool)[which] if len(cells) else said
        bad = unsaid & (cells != "")
        self.report(bad, column, "problem.not_boolean", lambda i: {"value": in_quotes(str(cells[i]))})
        values = np.where(unsaid, default, said)
        return values.tolist()

    def items(self, column: str) -> list[tuple[str, ...]]:
        """A ``;``-separated list of names per cell: items stripped, empty and repeated ones dropped."""
        return _per_cell(self.cells(column), _names_in)

    def code_lists(self, column: str) -> list[tuple[str, ...]]:
        """A list of codes per cell, separated by ``;`` or ``,`` (``cutting,sewing``)."""
        return _per_cell(self.cells(column), code_items)

    def defined_code(self, column: str, *, group: str) -> list[str | None]:
        """A code the file defines (``routings.csv``): lowercase letters, digits and ``_``, as written."""
        cells = self.raw(column)
        empty = cells == ""
        self._required(column, empty, True)
        values = cells.astype(object)
        bad = ~empty & np.array([CODE.match(v) is None for v in values], dtype=bool)
        self.report(bad, column, f"problem.bad_{group}_code", lambda i: {"value": in_quotes(str(cells[i]))})
        values[empty | bad] = None
        return values.tolist()

    def code(
        self, column: str, *, known: Collection[str] | None, group: str, required: bool = True, hint: str = ""
    ) -> list[str | None]:
        """A code per cell, named as people write it: ``Costura`` and ``sewing`` are ``sewing``.

        ``known``: the codes the dataset knows; None when they cannot be told
        (its routings could not be read): the catalogue's names are still
        understood, and nothing is reported unknown. ``hint``: the file where a
        product or process may be described.
        """
        cells = self.cells(column)
        empty = cells == ""
        self._required(column, empty, required)
        names = codes_of(group, known if known is not None else CODE_ALIASES[group])
        if known is None:
            return _per_cell(cells, lambda cell: names.get(normal(cell), cell) if cell else None)
        read = _per_cell(cells, lambda cell: names.get(normal(cell)) if cell else None)
        unknown = ~empty & np.array([r is None for r in read], dtype=bool)
        self.report(unknown, column, lambda i: unknown_code(group, str(cells[i]), known, names, hint))
        return read

    def codes(
        self, column: str, *, known: Collection[str] | None, group: str, required: bool, hint: str = ""
    ) -> list[tuple[str, ...]]:
        """A list of codes per cell, each named as people write it; unknown ones reported one by one
        (``known`` as in :meth:`code`)."""
        names = codes_of(group, known if known is not None else CODE_ALIASES[group])

        def read(cell: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
            found = [
                (item, names.get(normal(item), None if known is not None else item))
                for item in code_items(cell)
            ]
            codes = tuple(dict.fromkeys(code for _, code in found if code is not None))
            return codes, tuple(item for item, code in found if code is None)

        parsed, which, distinct = per_distinct_cell(self.cells(column), read)
        if required and column not in self.missing:
            none = np.array([not codes and not unknown for codes, unknown in distinct], dtype=bool)
            self.report(none[which], column, f"problem.needs_{group}")
        unknown_counts = np.array([len(unknown) for _, unknown in distinct], dtype=np.int64)
        if known is not None and unknown_counts.any():
            told = functools.cache(lambda item: unknown_code(group, item, known, names, hint))
            rows = np.flatnonzero(unknown_counts[which])
            bad = ((row, *told(item)) for row in rows for item in parsed[row][1])
            self.report_each(bad, int(unknown_counts[which].sum()), column)
        return [codes for codes, _ in parsed]

    def unique(self, column: str, values: Sequence[Hashable | None]) -> None:
        """Report each repeated value on its later rows, naming the first row."""
        series = pd.Series(values, dtype=object)
        present = series.notna().to_numpy()
        dup = series.duplicated(keep="first").to_numpy() & present
        if not dup.any():
            return
        first: dict[Any, int] = {}
        for i, v in enumerate(values):
            if v is not None and v not in first:
                first[v] = int(self.rows[i])
        self.report(
            dup,
            column,
            "problem.unique",
            lambda i: {"value": in_quotes(str(values[i])), "first": first[values[i]]},
        )


def _number_text(value: float) -> str:
    return "" if value != value else cell_text(value)


class _Lazy:
    """A parsed number column's cells as text, one cell written when a problem names it."""

    def __init__(self, values: np.ndarray):
        self.values = values

    def __getitem__(self, i: int) -> str:
        return _number_text(float(self.values[i]))


def _names_in(cell: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(part.strip() for part in cell.split(";") if part.strip())) if cell else ()


def code_items(cell: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(p.strip() for p in CODE_ITEMS.split(cell) if p.strip())) if cell else ()


def unknown_code(
    group: str, written: str, known: Collection[str], names: dict[str, str], hint: str
) -> tuple[str, dict[str, Any]]:
    """What an unknown code is told: the known code or name it looks like, else the known codes."""
    guess = nearest(written, names)
    if guess is not None:
        code = names[guess]
        # The code itself when it is as near as the name found (jeanz: jeans, not jean).
        near_code = guess == normal(code) or nearest(written, [normal(code)]) is not None
        suggestion = code if near_code else spoken(guess)
        return f"problem.unknown_{group}_near", {
            "code": in_quotes(written),
            "suggestion": [suggestion] if group == "kind" else suggestion,
        }
    args: dict[str, Any] = {"code": in_quotes(written), "known": sorted(known)}
    if group != "kind":
        args["routings"] = hint
    return f"problem.unknown_{group}", args
