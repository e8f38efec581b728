"""Pages and scope filters shared by the resource routes (matcher_service.store), on both databases."""

from __future__ import annotations

import pytest
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from matcher_service.cache import LruCache
from matcher_service.db import bump_data_version, make_engine, migrate
from matcher_service.models import WorkshopRow
from matcher_service.store import SHALLOW, PageParams, page_of, text_array

#: Territory names a text array must carry as they are: quotes, backslashes, commas, braces,
#: the word NULL, spaces, accents and an empty-looking name.
AWKWARD = ['Say "hi"', "back\\slash", "a,b", "{x}", "NULL", " spaced ", "Itá", "Ñeʼẽ", "Norte"]


def _row(workshop_id: str, territory: str) -> WorkshopRow:
    return WorkshopRow(
        workshop_id=workshop_id,
        territory=territory,
        workers=3,
        products=["tshirt"],
        processes=["sewing"],
        hours_per_week=40.0,
        efficiency=0.8,
        committed_minutes_per_week=0.0,
        machines=[],
        quality=3,
        formal=False,
        can_lead=False,
        organizations=[],
        extra=[],
        version=1,
    )


@pytest.fixture
def session(database_url):
    engine = make_engine(database_url)
    migrate(engine)
    with Session(engine, info={"totals": LruCache(size=256)}) as s:
        s.execute(delete(WorkshopRow))  # the PostgreSQL database is shared by the run's tests
        s.add_all(_row(f"W{i:04d}", territory) for i, territory in enumerate(AWKWARD * 30))
        bump_data_version(s)
        s.commit()
        yield s
        s.rollback()
        s.execute(delete(WorkshopRow))
        s.commit()
    engine.dispose()


def _ids(session: Session, territories: list[str]) -> set[str]:
    from matcher_service.store import one_of

    query = select(WorkshopRow.workshop_id).where(one_of(session, WorkshopRow.territory, territories))
    return set(session.scalars(query))


def test_one_of_matches_each_awkward_value_exactly(session):
    for territory in AWKWARD:
        assert len(_ids(session, [territory])) == 30, territory
    assert len(_ids(session, AWKWARD[:4])) == 120
    assert _ids(session, []) == set()
    assert _ids(session, ["say hi", "back", "a", "null"]) == set()


def test_text_array_round_trips_on_postgresql(postgres_url):
    engine = make_engine(postgres_url)
    try:
        with engine.connect() as conn:
            back = conn.scalar(select(func.array_to_json(text_array(AWKWARD))))
    finally:
        engine.dispose()
    assert back == AWKWARD


def _page(
    session: Session,
    offset: int,
    limit: int = 50,
    territories: list[str] | None = None,
    columns: bool = False,
):
    # One entity (ORM objects) or columns of one entity (rows): both have a workshop_id to read.
    query = select(WorkshopRow.workshop_id, WorkshopRow.territory) if columns else select(WorkshopRow)
    if territories is not None:
        from matcher_service.store import one_of

        query = query.where(one_of(session, WorkshopRow.territory, territories))
    return page_of(
        session, query, PageParams(limit, offset), lambda r: r.workshop_id, [WorkshopRow.workshop_id],
        cluster_data=True,
    )  # fmt: skip


@pytest.mark.parametrize("columns", [False, True], ids=["objects", "rows"])
@pytest.mark.parametrize("offset", [0, 10, SHALLOW - 1, SHALLOW, 230, 269, 270, 271, 5000])
def test_pages_shallow_and_deep_agree_with_a_plain_slice(session, offset, columns):
    every = sorted(f"W{i:04d}" for i in range(270))
    page = _page(session, offset, columns=columns)
    assert page.items == every[offset : offset + 50]
    assert page.total == 270


@pytest.mark.parametrize("columns", [False, True], ids=["objects", "rows"])
def test_a_deep_filtered_page_holds_only_matches(session, columns):
    # Rows cycle through the 9 AWKWARD territories: the first 7 hold 210 of the 270 rows, and a
    # page past SHALLOW of them is found by its keys first, then read (with the filter again).
    wanted = sorted(f"W{i:04d}" for i in range(270) if i % 9 < 7)
    page = _page(session, SHALLOW + 3, limit=5, territories=AWKWARD[:7], columns=columns)
    assert (page.items, page.total) == (wanted[SHALLOW + 3 : SHALLOW + 8], 210)
    page = _page(session, 208, limit=5, territories=AWKWARD[:7], columns=columns)
    assert (page.items, page.total) == (wanted[208:], 210)


def test_a_cached_total_follows_the_data_version(session):
    session.info["data_version"] = 1
    assert _page(session, 100).total == 270
    # A row added behind the cache's back, the version unchanged: the kept count is answered.
    session.add(_row("Z1", "Norte"))
    session.flush()
    assert _page(session, 100).total == 270
    # A write bumps the version (and forgets the one read with the credential): counted anew.
    bump_data_version(session)
    assert "data_version" not in session.info
    assert _page(session, 100).total == 271
    session.info["data_version"] = 2
    assert _page(session, 100).total == 271
    # Another scope is another statement: its own count.
    assert _page(session, 0, limit=10, territories=["Norte", "Z"]).total == 31
