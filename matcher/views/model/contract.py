"""What every view shares: the schema version, numbers without NaN, a matching run read as a dict."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from matcher.errors import InvalidOptionError
from matcher.model import Cluster

VERSION = 1


def rounded(value: float | None, digits: int) -> float | None:
    """``value`` to ``digits`` decimals; None for None, NaN and infinity (JSON has none of them)."""
    return None if value is None or not np.isfinite(value) else round(float(value), digits)


def match_dict(match: Any) -> dict[str, Any]:
    """A matching run as its JSON dict (a :class:`~matcher.optimize.MatchResult` is converted)."""
    if hasattr(match, "to_dict"):
        return match.to_dict()
    if not isinstance(match, Mapping) or not isinstance(match.get("orders"), list):
        raise InvalidOptionError(
            "match must be a matching result or its JSON dict (MatchResult.to_dict(), with 'orders')"
        )
    return dict(match)


def due_weeks_of(cluster: Cluster, row: Mapping[str, Any]) -> float:
    """An order's due date: the run's, else the cluster's."""
    due = row.get("due_weeks")
    return float(due if due is not None else cluster.order(row["order_id"]).due_weeks)
