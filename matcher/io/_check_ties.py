"""Check the ties file, and build its ties."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from matcher.io._fields import Checker, in_quotes
from matcher.io._loaded import Loaded, Reading
from matcher.io._names import REQUIRED
from matcher.io._tables import Table
from matcher.model import DEFAULT_STRENGTH, DIRECTED_TIE_KINDS, TIE_KINDS, Tie


def check_ties(
    table: Table, out: Loaded, workshop_ids: set[str] | None, workshops_label: str, reading: Reading
) -> None:
    """Check the ties against the workshops' ids (None: not known)."""
    check = Checker(table, out.problems, out.warnings, decimal=reading.decimal)
    out.counts[table.label] = len(check)
    check.require_columns(REQUIRED["ties"])
    source = check.text("source", required=True)
    target = check.text("target", required=True)
    if workshop_ids is not None:
        for column, ends in (("source", source), ("target", target)):
            ends_known = pd.Series(ends, dtype=object)
            unknown = (ends_known.notna() & ~ends_known.isin(workshop_ids)).to_numpy()
            check.report(
                unknown,
                column,
                "problem.unknown_tie_end",
                lambda i, ends=ends: {"value": in_quotes(ends[i] or ""), "file": workshops_label},
            )
    self_tie = (check.raw("source") == check.raw("target")) & (check.raw("source") != "")
    check.report(self_tie, "target", "problem.self_tie")
    kind = check.code("kind", known=TIE_KINDS, group="kind")
    strength = check.integer("strength", default=DEFAULT_STRENGTH, low=1, high=5)
    wave = check.text("wave")
    _duplicate_ties(check, source, target, kind, wave)
    if out.problems or not out.objects:
        return
    out.ties = [
        Tie(s, t, k, st, w)  # type: ignore[arg-type]
        for s, t, k, st, w in zip(source, target, kind, strength, wave, strict=True)
    ]


def _duplicate_ties(
    check: Checker,
    source: list[str | None],
    target: list[str | None],
    kind: list[str | None],
    wave: list[str | None],
) -> None:
    """Report a tie recorded twice (same kind, wave and pair; ordered for directed kinds), naming
    the row of the first."""
    ties = pd.DataFrame({"kind": kind, "wave": wave, "a": source, "b": target}, dtype=object)
    ties = ties[ties["kind"].notna() & ties["a"].notna() & ties["b"].notna() & (ties["a"] != ties["b"])]
    swap = ~ties["kind"].isin(DIRECTED_TIE_KINDS) & (ties["a"] > ties["b"])
    ties.loc[swap, ["a", "b"]] = ties.loc[swap, ["b", "a"]].to_numpy()
    ties["wave"] = ties["wave"].fillna("")
    groups = ties.groupby(["kind", "wave", "a", "b"], sort=False).ngroup().to_numpy()
    positions = ties.index.to_numpy()
    first = pd.Series(positions).groupby(groups).transform("first").to_numpy()
    dup = np.zeros(len(check), dtype=bool)
    dup[positions[first != positions]] = True
    first_of = dict(zip(positions.tolist(), first.tolist(), strict=True))

    def said(i: int) -> tuple[str, dict[str, Any]]:
        tie = ties.loc[i]
        args = {"kind": [tie["kind"]], "a": tie["a"], "b": tie["b"], "first": int(check.rows[first_of[i]])}
        if tie["wave"]:
            return "problem.tie_twice_wave", {**args, "wave": tie["wave"]}
        return "problem.tie_twice", args

    check.report(dup, None, said)
