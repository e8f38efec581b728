"""Typed, vectorised reading of a table's columns, collecting every problem.

Each reader returns the column's values (defaults filled in) and records a
:class:`~matcher.errors.Problem` for every bad cell. Only bad cells build
Python objects, so a clean million-row file is checked at numpy speed.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Sequence
from typing import Any

import numpy as np
import pandas as pd

from matcher.errors import Problem
from matcher.io._tables import Table

#: Problems listed per file, column and kind of problem; the rest are counted.
LIST_LIMIT = 1000

CODE = re.compile(r"^[a-z][a-z0-9_]*$")
DECIMAL_COMMA = re.compile(r"^-?\d+,\d+$")
TRUE = {"true", "yes", "y", "1", "si", "sí", "verdadero", "x"}
FALSE = {"false", "no", "n", "0", "falso"}


def _quote(value: str) -> str:
    return '"' + value.replace('"', "'") + '"'


class Checker:
    """Reads the columns of one table and records what is wrong with them."""

    def __init__(self, table: Table, problems: list[Problem], warnings: list[Problem] | None = None):
        self.table = table
        self.frame = table.frame
        self.problems = problems
        self.warnings = warnings if warnings is not None else problems
        self.rows = np.asarray(self.frame.index, dtype=np.int64)

    def __len__(self) -> int:
        return len(self.frame)

    # -- reporting --------------------------------------------------------
    def report(
        self,
        mask: np.ndarray | pd.Series,
        column: str | None,
        message: Callable[[int], str] | str,
        *,
        warning: bool = False,
    ) -> None:
        """One problem per row where ``mask`` holds (message(i) gets the position)."""
        positions = np.flatnonzero(np.asarray(mask, dtype=bool))
        if not len(positions):
            return
        sink = self.warnings if warning else self.problems
        for i in positions[:LIST_LIMIT]:
            text = message(int(i)) if callable(message) else message
            sink.append(Problem(self.table.label, int(self.rows[i]), column, text))
        if len(positions) > LIST_LIMIT:
            sink.append(
                Problem(
                    self.table.label,
                    None,
                    column,
                    f"{len(positions) - LIST_LIMIT:,} more rows have the same problem as those listed",
                )
            )

    def require_columns(self, names: Sequence[str]) -> bool:
        missing = [n for n in names if n not in self.frame.columns]
        for name in missing:
            self.problems.append(
                Problem(self.table.label, 1, name, "required column is missing from the header row")
            )
        return not missing

    def raw(self, column: str) -> pd.Series:
        if column in self.frame.columns:
            return self.frame[column]
        return pd.Series([""] * len(self.frame), index=self.frame.index, dtype=object)

    # -- readers ----------------------------------------------------------
    def text(self, column: str, *, required: bool = False) -> list[str | None]:
        values = self.raw(column)
        empty = (values == "").to_numpy()
        if required:
            self.report(empty, column, "is required but empty")
        return [None if e else v for v, e in zip(values.tolist(), empty, strict=True)]

    def _numbers(self, column: str, required: bool) -> tuple[pd.Series, np.ndarray, np.ndarray, np.ndarray]:
        values = self.raw(column)
        empty = (values == "").to_numpy()
        parsed = pd.to_numeric(values.where(~empty, None), errors="coerce").astype(float).to_numpy()
        bad = ~empty & ~np.isfinite(parsed)
        if required:
            self.report(empty, column, "is required but empty")
        comma = bad & values.str.match(DECIMAL_COMMA).to_numpy()
        self.report(
            comma,
            column,
            lambda i: (
                f"{_quote(values.iat[i])} uses a decimal comma; write {values.iat[i].replace(',', '.')}"
            ),
        )
        return values, empty, np.where(bad, np.nan, parsed), bad & ~comma

    def integer(
        self,
        column: str,
        *,
        required: bool = False,
        default: int | None = None,
        low: int | None = None,
        high: int | None = None,
    ) -> list[int | None]:
        values, _empty, parsed, bad = self._numbers(column, required)
        fractional = np.isfinite(parsed) & (np.floor(parsed) != parsed)
        self.report(bad | fractional, column, lambda i: f"{_quote(values.iat[i])} is not a whole number")
        ok = np.isfinite(parsed) & ~fractional
        self._range(values, parsed, ok, column, low, high, low_open=False, word="whole number")
        return [int(p) if o else default for p, o in zip(parsed.tolist(), ok, strict=True)]

    def number(
        self,
        column: str,
        *,
        required: bool = False,
        default: float | None = None,
        low: float | None = None,
        high: float | None = None,
        low_open: bool = False,
    ) -> list[float | None]:
        values, _empty, parsed, bad = self._numbers(column, required)
        self.report(bad, column, lambda i: f"{_quote(values.iat[i])} is not a number")
        ok = np.isfinite(parsed)
        self._range(values, parsed, ok, column, low, high, low_open=low_open, word="number")
        return [float(p) if o else default for p, o in zip(parsed.tolist(), ok, strict=True)]

    def _range(
        self,
        values: pd.Series,
        parsed: np.ndarray,
        ok: np.ndarray,
        column: str,
        low: float | None,
        high: float | None,
        *,
        low_open: bool,
        word: str,
    ) -> None:
        out = np.zeros(len(parsed), dtype=bool)
        bounds = []
        if low is not None:
            out |= ok & ((parsed <= low) if low_open else (parsed < low))
            bounds.append(f"{'>' if low_open else '>='} {low:g}")
        if high is not None:
            out |= ok & (parsed > high)
            bounds.append(f"<= {high:g}")
        wanted = " and ".join(bounds)
        self.report(out, column, lambda i: f"{values.iat[i]} is out of range; use a {word} {wanted}")
        ok &= ~out

    def boolean(self, column: str, *, default: bool = False) -> list[bool]:
        values = self.raw(column).str.lower()
        truth = values.isin(TRUE).to_numpy()
        falsity = values.isin(FALSE).to_numpy()
        bad = ~truth & ~falsity & (values != "").to_numpy()
        raw = self.raw(column)
        self.report(
            bad,
            column,
            lambda i: f"{_quote(raw.iat[i])} is not true or false (use true/false, yes/no, si/no or 1/0)",
        )
        return [True if t else False if f else default for t, f in zip(truth, falsity, strict=True)]

    def items(self, column: str) -> list[tuple[str, ...]]:
        """A ``;``-separated list per cell: items stripped, empty and repeated ones dropped."""
        return [
            tuple(dict.fromkeys(part.strip() for part in cell.split(";") if part.strip())) if cell else ()
            for cell in self.raw(column).tolist()
        ]

    def code(
        self, column: str, *, known: Collection[str] | None, what: str, required: bool = True, hint: str = ""
    ) -> list[str | None]:
        values = self.text(column, required=required)
        form = np.array([v is not None and not CODE.match(v) for v in values])
        self.report(
            form,
            column,
            lambda i: (
                f"{_quote(values[i] or '')} is not a valid {what} code; codes are "
                "lowercase letters, digits and _ (like screen_printing)"
            ),
        )
        if known is not None:
            unknown = np.array(
                [v is not None and CODE.match(v) is not None and v not in known for v in values]
            )
            self.report(
                unknown,
                column,
                lambda i: f"unknown {what} code {_quote(values[i] or '')}; known: {_shown(known)}{hint}",
            )
        return values

    def codes(
        self, column: str, *, known: Collection[str], what: str, required: bool, hint: str = ""
    ) -> list[tuple[str, ...]]:
        lists = self.items(column)
        if required:
            self.report(np.array([not v for v in lists]), column, f"needs at least one {what} code")
        bad_form = np.array([any(not CODE.match(x) for x in v) for v in lists])
        self.report(
            bad_form,
            column,
            lambda i: (
                "invalid code(s) "
                + ", ".join(_quote(x) for x in lists[i] if not CODE.match(x))
                + "; codes are lowercase letters, digits and _"
            ),
        )
        unknown = np.array([any(CODE.match(x) and x not in known for x in v) for v in lists])
        self.report(
            unknown,
            column,
            lambda i: (
                f"unknown {what} code(s) "
                + ", ".join(_quote(x) for x in lists[i] if CODE.match(x) and x not in known)
                + f"; known: {_shown(known)}{hint}"
            ),
        )
        return lists

    def unique(self, column: str, values: Sequence[Any]) -> None:
        """Report each repeated value on its later rows, naming the first row."""
        series = pd.Series(values, dtype=object)
        present = series.notna().to_numpy()
        dup = series.duplicated(keep="first").to_numpy() & present
        if not dup.any():
            return
        first = {}
        for i, v in enumerate(values):
            if v is not None and v not in first:
                first[v] = int(self.rows[i])
        self.report(
            dup,
            column,
            lambda i: (
                f"{_quote(str(values[i]))} is already used on row {first[values[i]]}; ids must be unique"
            ),
        )


def _shown(known: Collection[str], limit: int = 12) -> str:
    ordered = sorted(known)
    text = ", ".join(ordered[:limit])
    return text + (f", ... ({len(ordered)} in all)" if len(ordered) > limit else "")
