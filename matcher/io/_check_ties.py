"""Check the ties file, and build its ties."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from matcher.io._fields import Checker, in_quotes
from matcher.io._loaded import Loaded, Reading
from matcher.io._names import REQUIRED
from matcher.io._tables import Table
from matcher.model import DEFAULT_STRENGTH, DIRECTED_TIE_KINDS, TIE_KINDS, Rows, tie_rows


def check_ties(
    table: Table,
    out: Loaded,
    workshop_ids: pd.Index | set[str] | None,
    workshops_label: str,
    reading: Reading,
) -> None:
    """Check the ties against the workshops' ids (None: not known)."""
    check = Checker(table, out.problems, out.warnings, decimal=reading.decimal)
    out.counts[table.label] = len(check)
    check.require_columns(REQUIRED["ties"])
    source, target = check.text("source", required=True), check.text("target", required=True)
    ends: dict[str, np.ndarray] = {}
    if workshop_ids is not None:
        known = (
            workshop_ids
            if isinstance(workshop_ids, pd.Index)
            else pd.Index(sorted(workshop_ids), dtype=object)
        )
        for column, cells in (("source", source), ("target", target)):
            ends[column] = known.get_indexer(pd.Index(cells, dtype=object))
            unknown = (ends[column] < 0) & ~check.blank(column)
            check.report(
                unknown,
                column,
                "problem.unknown_tie_end",
                lambda i, cells=cells: {"value": in_quotes(cells[i] or ""), "file": workshops_label},
            )
        # one string object per workshop, the workshops' own (a workshop has ties on many rows)
        source, target = _shared(source, ends["source"], known), _shared(target, ends["target"], known)
        self_tie = (ends["source"] == ends["target"]) & (ends["source"] >= 0)
        unknown_ends = (ends["source"] < 0) | (ends["target"] < 0)
        if unknown_ends.any():
            self_tie |= unknown_ends & _same(source, target) & ~check.blank("source")
    else:
        self_tie = _same(source, target) & ~check.blank("source")
    check.report(self_tie, "target", "problem.self_tie")
    kind = check.code("kind", known=TIE_KINDS, group="kind")
    strength = check.integer("strength", default=DEFAULT_STRENGTH, low=1, high=5)
    wave = check.text("wave")
    _duplicate_ties(check, source, target, kind, wave, ends.get("source"), ends.get("target"))
    if out.problems or not out.objects:
        return
    out.ties = Rows(
        {"source": source, "target": target, "kind": kind, "strength": strength, "wave": wave}, tie_rows
    )


def _same(source: list[str | None], target: list[str | None]) -> np.ndarray:
    """Where a tie's two ends are written alike (by their text: an end not among the workshops)."""
    return np.asarray(source, dtype=object) == np.asarray(target, dtype=object)


def _shared(ids: list[str | None], at: np.ndarray, known: pd.Index) -> list[str | None]:
    """The same ids, each known one the workshops' own string object (``at``: its position
    among ``known``, -1 for an id not known)."""
    shared = np.asarray(known, dtype=object)[np.maximum(at, 0)] if len(known) else np.empty(len(at), object)
    mine = at < 0
    if mine.any():
        shared[mine] = np.asarray(ids, dtype=object)[mine]
    return shared.tolist()


def _pair_keys(
    kind: list[str | None], wave: list[str | None], a: np.ndarray, b: np.ndarray
) -> np.ndarray | None:
    """One integer per tie row naming its kind, wave and pair (ordered for directed kinds), from
    the ends' positions among the workshops; None when some row cannot have one (an end unknown or
    missing, no kind) or the numbers would not fit."""
    kind_code, kinds = pd.factorize(np.asarray(kind, dtype=object), use_na_sentinel=False)
    if pd.isna(kinds).any() or (a < 0).any() or (b < 0).any():
        return None
    wave_code, waves = pd.factorize(np.asarray(wave, dtype=object), use_na_sentinel=False)
    n = int(max(a.max(initial=0), b.max(initial=0))) + 1
    if len(kinds) * (len(waves) + 1) * n * n >= 2**62:
        return None
    undirected = ~np.isin(kinds, list(DIRECTED_TIE_KINDS))[kind_code]
    low = np.where(undirected, np.minimum(a, b), a).astype(np.int64)
    high = np.where(undirected, np.maximum(a, b), b).astype(np.int64)
    return ((kind_code.astype(np.int64) * len(waves) + wave_code) * n + low) * n + high


def _duplicate_ties(
    check: Checker,
    source: list[str | None],
    target: list[str | None],
    kind: list[str | None],
    wave: list[str | None],
    source_at: np.ndarray | None = None,
    target_at: np.ndarray | None = None,
) -> None:
    """Report a tie recorded twice (same kind, wave and pair; ordered for directed kinds), naming
    the row of the first. Self-ties are left to their own problem."""
    keys = None if source_at is None or target_at is None else _pair_keys(kind, wave, source_at, target_at)
    if keys is not None:
        considered = np.flatnonzero(source_at != target_at)
        keys = keys[considered]
    else:
        ties = pd.DataFrame({"kind": kind, "wave": wave, "a": source, "b": target}, dtype=object)
        ties = ties[ties["kind"].notna() & ties["a"].notna() & ties["b"].notna() & (ties["a"] != ties["b"])]
        swap = ~ties["kind"].isin(DIRECTED_TIE_KINDS) & (ties["a"] > ties["b"])
        ties.loc[swap, ["a", "b"]] = ties.loc[swap, ["b", "a"]].to_numpy()
        ties["wave"] = ties["wave"].fillna("")
        keys = ties.groupby(["kind", "wave", "a", "b"], sort=False).ngroup().to_numpy()
        considered = ties.index.to_numpy()
    later = pd.Series(keys).duplicated(keep="first").to_numpy()
    if not later.any():
        return
    codes, _ = pd.factorize(keys)
    firsts = considered[np.flatnonzero(~later)]  # the first row of each code, in code order
    dup = np.zeros(len(check), dtype=bool)
    dup[considered[later]] = True
    first_of = dict(zip(considered[later].tolist(), firsts[codes[later]].tolist(), strict=True))

    def said(i: int) -> tuple[str, dict[str, Any]]:
        a, b, k = source[i], target[i], kind[i]
        if k not in DIRECTED_TIE_KINDS and str(a) > str(b):
            a, b = b, a
        args = {"kind": [k], "a": a, "b": b, "first": int(check.rows[first_of[i]])}
        if wave[i]:
            return "problem.tie_twice_wave", {**args, "wave": wave[i]}
        return "problem.tie_twice", args

    check.report(dup, None, said)
