"""The per-workshop table of an analysis and the rows a report lists.

:func:`matcher.graph.cohesion_analysis` keeps a row per workshop as columns (a
DataFrame): a million workshops are a few arrays. :func:`workshop_rows` turns
all of it, or the part a caller picks, into the ``workshops`` rows of
:func:`matcher.graph.cohesion_report` (dicts of plain values, None where a
measure is not defined).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from matcher.graph.network import Network
from matcher.graph.schema import WorkshopRow

__all__ = ["workshop_rows"]


def _nullable(values: np.ndarray) -> list[Any]:
    """Floats as Python floats, NaN as None."""
    out: list[Any] = values.tolist()
    for i in np.flatnonzero(np.isnan(values)).tolist():
        out[i] = None
    return out


def workshop_rows(frame: pd.DataFrame, rows: slice | np.ndarray | None = None) -> list[WorkshopRow]:
    """The rows (dicts, as :func:`cohesion_report` lists them) of a table of
    :func:`~matcher.graph.cohesion_analysis`, all or those ``rows`` picks (positions).

    Examples
    --------
    >>> import networkx as nx
    >>> from matcher.graph import cohesion_analysis
    >>> _, table = cohesion_analysis(nx.path_graph(3))
    >>> [(r["workshop_id"], r["degree"], r["betweenness"]) for r in workshop_rows(table)]
    [('0', 1, 0.0), ('1', 2, 1.0), ('2', 1, 0.0)]
    """
    part = frame if rows is None else frame.iloc[rows]
    names = list(WorkshopRow.__annotations__)
    has_between = frame.attrs.get("betweenness", True)
    values: dict[str, list[Any]] = {}
    for name in names:
        if name not in part.columns:
            continue
        column = part[name]
        if name == "community":
            values[name] = [None if pd.isna(c) else int(c) for c in column.tolist()]
        elif name == "betweenness" and not has_between:
            values[name] = [None] * len(part)
        elif name in ("betweenness", "constraint", "effective_size", "betweenness_error"):
            values[name] = _nullable(column.to_numpy(dtype=float))
        else:
            values[name] = column.tolist()
    keys = list(values)
    return [dict(zip(keys, row, strict=True)) for row in zip(*values.values(), strict=True)]  # type: ignore[misc]


def _with_attributes(frame: pd.DataFrame, net: Network) -> pd.DataFrame:
    """The table with the workshops' attributes (territory, size class, ...) beside the measures."""
    where = pd.Index(np.asarray(net.ids, dtype=object), dtype=object).get_indexer(
        pd.Index(frame["workshop_id"].to_numpy(), dtype=object)
    )
    for name, values in net.attributes.items():
        column = np.asarray(values, dtype=object)[where]
        if name == "organizations":
            column = np.array([";".join(orgs) if orgs else "" for orgs in column], dtype=object)
        frame[name] = column
    return frame
