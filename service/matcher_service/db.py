"""Engine, sessions and migrations.

SQLite (the default, one file) and PostgreSQL are both supported; the schema is
created and upgraded by the Alembic migrations in ``service/matcher_service/migrations``.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from pydantic_core import from_json
from sqlalchemy import Engine, Label, create_engine, event, func, select, text, update
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from matcher_service.models import Meta

__all__ = ["bump_data_version", "data_version", "data_version_column", "make_engine", "migrate"]

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def make_engine(url: str, *, pool_size: int = 10) -> Engine:
    """An engine for ``url``: SQLite gets foreign keys, WAL and a busy timeout.

    JSON columns are read by pydantic-core's parser (a tenth of the standard
    library's time on the short lists a workshop row holds; a page of fifty
    rows reads 250 of them).

    ``pool_size`` connections are kept open (the service sizes it to the
    requests it lets in at once, so a request never waits for a connection
    held by one that waits for a thread).

    Examples
    --------
    >>> make_engine("sqlite://").dialect.name
    'sqlite'
    """
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        memory = parsed.database in (None, "", ":memory:")
        pool = {} if memory else {"pool_size": pool_size, "max_overflow": 10}
        engine = create_engine(
            url,
            connect_args={"check_same_thread": False, "timeout": 30},
            json_deserializer=from_json,
            **pool,
        )

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_connection, _record) -> None:  # pragma: no cover - driver hook
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            if not memory:
                cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.close()

        return engine
    if parsed.get_backend_name() == "postgresql" and parsed.drivername == "postgresql":
        url = parsed.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)
    return create_engine(
        url, pool_size=pool_size, max_overflow=10, pool_recycle=1800, json_deserializer=from_json
    )


#: The PostgreSQL advisory lock held while the schema is upgraded (any number unique to matcher).
MIGRATION_LOCK = 4_207_311_502


def migrate(engine: Engine) -> None:
    """Create or upgrade the schema to the newest migration.

    On PostgreSQL, service processes that start at once upgrade one after the
    other (an advisory lock): the first one upgrades, the others find the
    schema new.
    """
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def data_version_column() -> Label[int]:
    """The data version as a column (0 before any data), to read it in another query's round trip."""
    meta = Meta.__table__.c  # table columns: a query of them runs without the ORM's bookkeeping
    value = select(meta.value).where(meta.key == "data_version").scalar_subquery()
    return func.coalesce(value, 0).label("data_version")


def data_version(session: Session) -> int:
    """The version of the cluster data; bumped by every write to it."""
    return int(session.scalar(select(data_version_column())))


def bump_data_version(session: Session) -> None:
    """Mark the cluster data as changed (within the caller's transaction)."""
    session.info.pop("data_version", None)  # the version read before no longer describes this session
    done = session.execute(
        update(Meta).where(Meta.key == "data_version").values(value=Meta.value + 1)
    ).rowcount
    if not done:
        session.add(Meta(key="data_version", value=1))
