"""Migrations that change stored data, checked on a database made at the revision before them."""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from matcher_service.db import MIGRATIONS, make_engine, migrate
from matcher_service.jobs import said_stored, stored
from matcher_service.messages import ApiMessage


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


def _inserts(engine, statement, row) -> bool:
    """Whether the database takes the row."""
    try:
        with engine.begin() as conn:
            conn.execute(text("PRAGMA foreign_keys=OFF"))
            conn.execute(statement, row)
    except IntegrityError:
        return False
    return True


def test_duplicates_of_one_per_rules_are_dropped_and_refused_after(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    _upgrade(engine, "0002")
    tie = text(
        "INSERT INTO ties (tie_id, source, target, kind, strength, wave, version, updated_at) "
        "VALUES (:id, :s, :t, :k, 3, :w, 1, '2026-01-01')"
    )
    release = text(
        "INSERT INTO contact_releases "
        "(release_id, workshop_id, firm_id, status, version, updated_at, created_at) "
        "VALUES (:id, :w, 'F1', :status, 1, '2026-01-01', '2026-01-01')"
    )
    with engine.begin() as conn:
        conn.execute(text("PRAGMA foreign_keys=OFF"))  # no workshops or firms in this bare database
        for row in (
            (1, "A", "B", "kinship", None),
            (2, "A", "B", "kinship", None),  # the same wave-less tie again
            (3, "B", "A", "kinship", None),  # the same undirected tie the other way round
            (4, "A", "B", "kinship", "w1"),  # another wave: kept
            (5, "A", "B", "mentoring", None),
            (6, "B", "A", "mentoring", None),  # a directed tie the other way is another tie: kept
        ):
            conn.execute(tie, dict(zip(("id", "s", "t", "k", "w"), row, strict=True)))
        for row in (
            (1, "W1", "requested"),
            (2, "W1", "released"),  # the granted one is kept
            (3, "W1", "denied"),
            (4, "W2", "requested"),
            (5, "W2", "requested"),
        ):
            conn.execute(release, dict(zip(("id", "w", "status"), row, strict=True)))
    migrate(engine)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT tie_id FROM ties ORDER BY tie_id")).scalars().all() == [1, 4, 5, 6]
        ids = conn.execute(text("SELECT release_id FROM contact_releases ORDER BY release_id"))
        assert ids.scalars().all() == [2, 3, 4]
    # After: the database itself refuses a second one (the other way round, or a second open request).
    assert _inserts(engine, tie, {"id": 7, "s": "B", "t": "A", "k": "friendship", "w": None})
    assert not _inserts(engine, tie, {"id": 8, "s": "A", "t": "B", "k": "friendship", "w": None})
    assert not _inserts(engine, release, {"id": 9, "w": "W2", "status": "released"})
    assert _inserts(engine, release, {"id": 10, "w": "W2", "status": "denied"})
    engine.dispose()


def test_jobs_left_running_by_the_previous_version_are_failed(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    _upgrade(engine, "0004")
    insert = text(
        "INSERT INTO jobs (job_id, kind, status, progress, params, cancel_requested, territories, "
        "created_at) VALUES (:id, 'match', :status, 0.5, '{}', 0, '[]', '2026-01-01')"
    )
    with engine.begin() as conn:
        for job_id, status in (("JR", "running"), ("JQ", "queued"), ("JD", "done")):
            conn.execute(insert, {"id": job_id, "status": status})
    migrate(engine)
    with engine.connect() as conn:
        query = text("SELECT job_id, status, error, claimed_by, heartbeat_at FROM jobs")
        rows = {r.job_id: r for r in conn.execute(query)}
    assert {j: r.status for j, r in rows.items()} == {"JD": "done", "JQ": "queued", "JR": "failed"}
    assert said_stored(rows["JR"].error, "en") == "the service stopped while the job ran; submit it again"
    assert rows["JR"].error == stored([ApiMessage("job.service_stopped")])
    assert all(r.claimed_by is None and r.heartbeat_at is None for r in rows.values())
    engine.dispose()
