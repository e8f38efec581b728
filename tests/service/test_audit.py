"""The audit trail: every change leaves one entry, newest first, filtered and paged (admins only)."""

from __future__ import annotations


def _changes(world) -> None:
    """Four changes by three users, in this order."""
    star = {"If-Match": "*"}
    assert world.as_("coordinator", "PATCH", "/ties/1", json={"strength": 5}, headers=star).status_code == 200
    assert (
        world.as_("lead_firm", "PATCH", "/orders/O1", json={"quantity": 50}, headers=star).status_code == 200
    )
    assert world.as_("coordinator", "DELETE", "/ties/2", headers=star).status_code == 204
    new = {"organization_id": "ORG3"}
    assert world.as_("admin", "POST", "/organizations", json=new).status_code == 201


def _seen(response) -> list[tuple[str, str, str, str]]:
    assert response.status_code == 200, response.text
    return [(e["username"], e["action"], e["entity"], e["entity_id"]) for e in response.json()["items"]]


def test_admins_only(world):
    for who in ("coordinator", "association_leader", "lead_firm", "municipality"):
        assert world.as_(who, "GET", "/audit").status_code == 403
    assert world.as_("anyone", "GET", "/audit").status_code == 401


def test_newest_first_and_filters(world):
    assert world.as_("admin", "GET", "/audit").json()["total"] == 0
    _changes(world)
    assert _seen(world.as_("admin", "GET", "/audit")) == [
        ("admin", "create", "organization", "ORG3"),
        ("coordinator", "delete", "tie", "2"),
        ("lead_firm", "update", "order", "O1"),
        ("coordinator", "update", "tie", "1"),
    ]
    assert _seen(world.as_("admin", "GET", "/audit", params={"entity": "tie"})) == [
        ("coordinator", "delete", "tie", "2"),
        ("coordinator", "update", "tie", "1"),
    ]
    assert _seen(world.as_("admin", "GET", "/audit", params={"entity": "tie", "entity_id": "1"})) == [
        ("coordinator", "update", "tie", "1"),
    ]
    assert _seen(world.as_("admin", "GET", "/audit", params={"user": "lead_firm"})) == [
        ("lead_firm", "update", "order", "O1"),
    ]
    assert _seen(world.as_("admin", "GET", "/audit", params={"action": "create"})) == [
        ("admin", "create", "organization", "ORG3"),
    ]
    assert _seen(world.as_("admin", "GET", "/audit", params={"user": "nobody"})) == []


def test_pages(world):
    _changes(world)
    r = world.as_("admin", "GET", "/audit", params={"limit": 2, "offset": 1})
    assert _seen(r) == [("coordinator", "delete", "tie", "2"), ("lead_firm", "update", "order", "O1")]
    assert r.json()["total"] == 4
    r = world.as_("admin", "GET", "/audit", params={"limit": 10_000})
    assert r.status_code == 422 and r.json()["error"]["details"][0]["field"] == "limit"


def test_refused_changes_leave_no_entry(world):
    star = {"If-Match": "*"}
    assert world.as_("coordinator", "PATCH", "/ties/5", json={"strength": 5}, headers=star).status_code == 404
    assert world.as_("coordinator", "PATCH", "/ties/1", json={"strength": 9}, headers=star).status_code == 422
    assert (
        world.as_(
            "coordinator", "PATCH", "/ties/1", json={"strength": 4}, headers={"If-Match": '"tie-1.5"'}
        ).status_code
        == 412
    )
    assert world.as_("admin", "GET", "/audit").json()["total"] == 0
