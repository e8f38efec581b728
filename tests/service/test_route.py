"""Reads of cluster data kept per data version (matcher_service.route): given again until any process
writes, never across callers or scopes."""

from __future__ import annotations

from fastapi.testclient import TestClient

from matcher_service.app import create_app
from tests.service.conftest import KEYS, make_settings


def _kept(world) -> int:
    return len(world.app.state.answers._items)


def test_a_read_is_kept_and_given_again_until_a_write(world):
    first = world.as_("coordinator", "GET", "/workshops/W1")
    assert first.status_code == 200 and _kept(world) == 1
    again = world.as_("coordinator", "GET", "/workshops/W1")
    assert (again.status_code, again.content, again.headers["etag"]) == (
        200,
        first.content,
        first.headers["etag"],
    )
    assert again.headers["content-type"] == "application/json"
    assert again.headers["x-content-type-options"] == "nosniff"  # the middleware still answers around it
    assert _kept(world) == 1

    changed = world.as_("coordinator", "PATCH", "/workshops/W1", json={"workers": 7},
                        headers={"If-Match": first.headers["etag"]})  # fmt: skip
    assert changed.status_code == 200
    after = world.as_("coordinator", "GET", "/workshops/W1")
    assert after.json()["workers"] == 7
    assert after.headers["etag"] == changed.headers["etag"] != first.headers["etag"]
    page = world.as_("coordinator", "GET", "/workshops").json()
    assert [w["workers"] for w in page["items"] if w["workshop_id"] == "W1"] == [7]


def test_another_process_sees_a_write_at_once(world, database_url):
    other = create_app(make_settings(database_url))
    other.state.settings.k_anonymity = 4
    with TestClient(other) as second:
        key = {"X-API-Key": KEYS["coordinator"]}
        before = world.client.get("/ties", headers=key).json()["total"]
        for client in (world.client, second):
            assert client.get("/ties", headers=key).json()["total"] == before
            assert client.get("/ties", headers=key).json()["total"] == before  # kept
        tie = {"source": "W1", "target": "W4", "kind": "kinship", "strength": 1.0, "wave": "2031"}
        assert world.as_("coordinator", "POST", "/ties", json=tie).status_code == 201
        assert second.get("/ties", headers=key).json()["total"] == before + 1
        assert world.client.get("/ties", headers=key).json()["total"] == before + 1


def test_a_change_of_scope_applies_at_once(world):
    assert world.as_("coordinator", "GET", "/workshops").json()["total"] == 4
    assert world.as_("coordinator", "GET", "/workshops/W5").status_code == 404
    users = world.as_("admin", "GET", "/users").json()["items"]
    coordinator = next(u for u in users if u["username"] == "coordinator")
    body = {"territories": ["T1", "T2"], "version": coordinator["version"]}
    widened = world.as_("admin", "PATCH", f"/users/{coordinator['user_id']}", json=body)
    assert widened.status_code == 200, widened.text
    assert world.as_("coordinator", "GET", "/workshops").json()["total"] == 8
    assert world.as_("coordinator", "GET", "/workshops/W5").status_code == 200


def test_answers_are_never_shared_between_callers(world):
    assert world.as_("admin", "GET", "/orders/O2").status_code == 200
    assert world.as_("lead_firm2", "GET", "/orders/O2").status_code == 200
    assert world.as_("lead_firm", "GET", "/orders/O2").status_code == 404
    assert world.as_("coordinator", "GET", "/orders/O2").status_code == 404
    assert world.as_("anyone", "GET", "/orders/O2").status_code == 401
    mine = world.as_("lead_firm", "GET", "/orders").json()
    assert [o["order_id"] for o in mine["items"]] == ["O1"]
    theirs = world.as_("lead_firm2", "GET", "/orders").json()
    assert [o["order_id"] for o in theirs["items"]] == ["O2"]
