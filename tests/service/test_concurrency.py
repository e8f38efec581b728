"""Concurrent edits through a real server: 8 clients × 50 If-Match updates of one workshop lose none."""

from __future__ import annotations

import random
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import httpx2 as httpx
import pytest

from matcher_service.app import create_app
from tests.service.conftest import KEYS, live_server, make_settings, reset_database

CLIENTS, UPDATES = 8, 50


@pytest.fixture
def live_url(database_url):
    app = create_app(make_settings(database_url))
    with live_server(app) as url:
        reset_database(app)
        yield url


def _client(url: str, n: int) -> tuple[int, int]:
    """Add 1 to committed minutes ``n`` times, re-reading after every refusal; (done, refused)."""
    done = refused = 0
    rng = random.Random(n * 7919 + threading.get_ident())
    with httpx.Client(base_url=url, headers={"X-API-Key": KEYS["coordinator"]}, timeout=60) as client:
        while done < n:
            got = client.get("/workshops/W1")
            assert got.status_code == 200, got.text
            value = got.json()["committed_minutes_per_week"]
            put = client.patch(
                "/workshops/W1",
                json={"committed_minutes_per_week": value + 1},
                headers={"If-Match": got.headers["ETag"]},
            )
            if put.status_code == 200:
                done += 1
            elif put.status_code == 412:
                refused += 1
                # Back off a little, as a well-behaved client does, so the race does not livelock.
                time.sleep(rng.uniform(0, 0.002 * min(refused, 10)))
            else:
                raise AssertionError(f"unexpected {put.status_code}: {put.text}")
    return done, refused


@pytest.mark.slow
def test_no_update_is_lost(live_url):
    with httpx.Client(base_url=live_url, headers={"X-API-Key": KEYS["coordinator"]}) as client:
        before = client.get("/workshops/W1").json()
    with ThreadPoolExecutor(CLIENTS) as pool:
        results = list(pool.map(lambda _: _client(live_url, UPDATES), range(CLIENTS)))
    with httpx.Client(base_url=live_url, headers={"X-API-Key": KEYS["coordinator"]}) as client:
        after = client.get("/workshops/W1").json()
    assert sum(done for done, _ in results) == CLIENTS * UPDATES
    assert after["committed_minutes_per_week"] == before["committed_minutes_per_week"] + CLIENTS * UPDATES
    assert after["version"] == before["version"] + CLIENTS * UPDATES
    # The clients really raced: some writes were refused as stale and retried.
    assert sum(refused for _, refused in results) > 0
