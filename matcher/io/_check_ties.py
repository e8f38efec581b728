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
    source = _shared(check.text("source", required=True))
    target = _shared(check.text("target", required=True))
    ends: dict[str, np.ndarray] = {}
    if workshop_ids is not None:
        known = (
            workshop_ids
            if isinstance(workshop_ids, pd.Index)
            else pd.Index(sorted(workshop_ids), dtype=object)
        )
        for column, cells in (("source", source), ("target", target)):
            ends[column] = known.get_indexer(pd.Index(cells, dtype=object))
            unknown = (ends[column] < 0) & (check.raw(column) != "")
            check.report(
                unknown,
                column,
                "problem.unknown_tie_end",
                lambda i, cells=cells: {"value": in_quotes(cells[i] or ""), "file": workshops_label},
            )
    self_tie = (check.raw("source") == check.raw("target")) & (check.raw("source") != "")
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


def _shared(ids: list[str | None]) -> list[str | None]:
    """The same ids, one string object per distinct id (a workshop has ties on many rows)."""
    codes, uniques = pd.factorize(np.asarray(ids, dtype=object), use_na_sentinel=False)
    return np.asarray(uniques, dtype=object)[codes].tolist()


def _pair_keys(
    kind: list[str | None], wave: list[str | None], a: np.ndarray, b: np.ndarray
) -> np.ndarray | None:
    """One integer per tie row naming its kind, wave and pair (ordered for directed kinds), from
    the ends' positions among the workshops; None when some row cannot have one (an end unknown or
    missing, no kind) or the numbers would not fit."""
    kinds = pd.Series(kind, dtype=object)
    if kinds.isna().any() or (a < 0).any() or (b < 0).any():
        return None
    kind_code = pd.Index(TIE_KINDS, dtype=object).get_indexer(pd.Index(kinds.to_numpy(), dtype=object))
    wave_code, waves = pd.factorize(pd.Series(wave, dtype=object).fillna(""))
    n = int(max(a.max(initial=0), b.max(initial=0))) + 1
    if len(TIE_KINDS) * (len(waves) + 1) * n * n >= 2**62:
        return None
    undirected = ~kinds.isin(DIRECTED_TIE_KINDS).to_numpy()
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
    codes, _ = pd.factorize(keys)
    later = pd.Series(codes).duplicated(keep="first").to_numpy()
    if not later.any():
        return
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
