"""Migrations that change stored data, checked on a database made at the revision before them."""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from sqlalchemy import text

from service.db import MIGRATIONS, make_engine, migrate


def _upgrade(engine, revision: str) -> None:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def test_shortlists_stored_before_k_anonymous_profiles_are_dropped(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    _upgrade(engine, "0001")
    insert = text(
        "INSERT INTO shortlists (shortlist_id, order_id, firm_id, body, refs, data_version, created_at) "
        "VALUES (:id, 'O1', 'F1', :body, '{}', 1, '2026-01-01')"
    )
    with engine.begin() as conn:
        conn.execute(text("PRAGMA foreign_keys=OFF"))  # no order O1 in this bare database
        conn.execute(insert, {"id": "sl-old", "body": '{"singles": [{"members": [{"quality": 4}]}]}'})
        conn.execute(insert, {"id": "sl-new", "body": '{"anonymity": {"k": 5}, "singles": []}'})
    migrate(engine)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT shortlist_id FROM shortlists")).scalars().all() == ["sl-new"]
    engine.dispose()
