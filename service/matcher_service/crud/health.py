"""The health check's queries: whether the database answers and takes changes."""

from __future__ import annotations

import logging

from sqlalchemy import insert, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from matcher_service.errors import database_fault
from matcher_service.models import Meta

__all__ = ["PROBE_KEY", "database_answers", "takes_changes"]

log = logging.getLogger("matcher.service")

#: SQLite's result codes of a database another connection is writing (busy, locked).
SQLITE_BUSY, SQLITE_LOCKED = 5, 6


#: The key of the row the health check writes to ``meta`` and rolls back.
PROBE_KEY = "health.probe"


def takes_changes(session: Session) -> bool:
    """Whether the database takes a change now: a row written to ``meta`` and rolled back.

    On SQLite a writer holding the lock makes the probe wait one second at most:
    a busy database still takes changes, one after another.
    """
    connection = session.connection()
    sqlite = connection.dialect.name == "sqlite"
    waited = connection.exec_driver_sql("PRAGMA busy_timeout").scalar() if sqlite else None
    try:
        if sqlite:
            connection.exec_driver_sql("PRAGMA busy_timeout = 1000")
        connection.execute(insert(Meta).values(key=PROBE_KEY, value=0))
    except DBAPIError as exc:
        code = getattr(exc.orig, "sqlite_errorcode", None)
        if sqlite and isinstance(code, int) and code & 0xFF in (SQLITE_BUSY, SQLITE_LOCKED):
            return True
        if database_fault(exc) is None:
            raise
        log.warning("the database cannot take changes: %s", str(exc.orig).splitlines()[0][:200])
        return False
    finally:
        if sqlite:
            connection.exec_driver_sql(f"PRAGMA busy_timeout = {int(waited or 0)}")
        session.rollback()
    return True


def database_answers(session: Session) -> None:
    """Read from the database (raises when it does not answer)."""
    session.execute(text("SELECT 1"))
