"""Dataset imports' queries: the stored rows an import would replace."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import InstrumentedAttribute, Session

__all__ = ["rows_with_ids"]

#: Ids per query: below the bound parameters SQLite allows in one statement.
_CHUNK = 900


def rows_with_ids(session: Session, column: InstrumentedAttribute, ids: Sequence[str]) -> list[Any]:
    """The rows of ``column``'s table whose ``column`` is one of ``ids`` (any number of them)."""
    model = column.class_
    rows = []
    for start in range(0, len(ids), _CHUNK):
        rows.extend(session.scalars(select(model).where(column.in_(ids[start : start + _CHUNK]))))
    return rows
