"""One-per rules held by the database: 8 identical creates sent at once through a real server
give one created and seven documented 409s, or, with one Idempotency-Key, seven replays."""

from __future__ import annotations

import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import httpx2 as httpx
import pytest
from sqlalchemy import func, select

from matcher_service.app import create_app
from matcher_service.models import ContactRelease, OrganizationRow, TieRow
from tests.service.conftest import KEYS, live_server, make_settings, reset_database

AT_ONCE = 8


@pytest.fixture
def served(database_url):
    app = create_app(make_settings(database_url))
    with live_server(app) as url:
        reset_database(app)
        yield app, url


def _at_once(url: str, who: str, path: str, bodies: list[dict], headers: dict | None = None) -> list:
    """POST every body at the same moment, each from its own client; the responses."""
    gate = threading.Barrier(len(bodies))
    clients = [
        httpx.Client(base_url=url, headers={"X-API-Key": KEYS[who], **(headers or {})}, timeout=60)
        for _ in bodies
    ]

    def send(i: int):
        gate.wait()
        return clients[i].post(path, json=bodies[i])

    try:
        with ThreadPoolExecutor(len(bodies)) as pool:
            return list(pool.map(send, range(len(bodies))))
    finally:
        for client in clients:
            client.close()


def _count(app, query) -> int:
    with app.state.sessions() as session:
        return session.scalar(select(func.count()).select_from(query.subquery()))


def _one_created(responses) -> dict:
    codes = Counter(r.status_code for r in responses)
    assert codes == {201: 1, 409: AT_ONCE - 1}, [(r.status_code, r.text) for r in responses]
    return next(r for r in responses if r.status_code == 201).json()


def test_one_open_contact_request_per_workshop_and_firm(served):
    app, url = served
    for ref, workshop in (("S1", "W1"), ("G1-b", "W4")):
        responses = _at_once(url, "lead_firm", "/shortlists/SL1/contact-requests", [{"ref": ref}] * AT_ONCE)
        made = _one_created(responses)
        refused = [r.json()["error"] for r in responses if r.status_code == 409]
        assert {e["message"] for e in refused} == {
            f"this workshop's contact was already asked for (request {made['release_id']}, still waiting)"
        }
        query = select(ContactRelease).where(
            ContactRelease.workshop_id == workshop, ContactRelease.firm_id == "F1"
        )
        assert _count(app, query) == 1


def test_one_tie_per_pair_kind_and_wave_none_included(served):
    app, url = served
    rounds = [
        [{"source": "W1", "target": "W3", "kind": "friendship"}] * AT_ONCE,
        # An undirected tie given both ways round is one tie.
        [
            {"source": "W2", "target": "W4", "kind": "kinship"},
            {"source": "W4", "target": "W2", "kind": "kinship"},
        ]
        * (AT_ONCE // 2),
        [{"source": "W1", "target": "W3", "kind": "friendship", "wave": "2026-1"}] * AT_ONCE,
    ]
    for bodies in rounds:
        made = _one_created(_at_once(url, "coordinator", "/ties", bodies))
        pair = {bodies[0]["source"], bodies[0]["target"]}
        query = select(TieRow).where(
            TieRow.source.in_(pair),
            TieRow.target.in_(pair),
            TieRow.kind == bodies[0]["kind"],
            TieRow.wave.is_(None) if "wave" not in bodies[0] else TieRow.wave == bodies[0]["wave"],
        )
        assert _count(app, query) == 1, made


def test_the_same_idempotency_key_at_once_replays_the_stored_reply(served):
    app, url = served
    cases = [
        ("/ties", "coordinator", {"source": "W1", "target": "W4", "kind": "kinship"}, select(TieRow)),
        ("/organizations", "coordinator", {"organization_id": "ORG9"}, select(OrganizationRow)),
        ("/shortlists/SL1/contact-requests", "lead_firm", {"ref": "S1"}, select(ContactRelease)),
    ]
    for n, (path, who, body, table) in enumerate(cases):
        before = _count(app, table)
        responses = _at_once(url, who, path, [body] * AT_ONCE, {"Idempotency-Key": f"same-{n}"})
        assert [r.status_code for r in responses] == [201] * AT_ONCE, [r.text for r in responses]
        replayed = [r.headers.get("Idempotent-Replayed") for r in responses]
        assert replayed.count("true") == AT_ONCE - 1
        assert len({r.text for r in responses}) == 1
        assert _count(app, table) == before + 1


def test_the_index_of_ties_knows_the_directed_kinds():
    from matcher.model import DIRECTED_TIE_KINDS
    from matcher_service.models import DIRECTED_KINDS

    assert set(DIRECTED_KINDS) == DIRECTED_TIE_KINDS
