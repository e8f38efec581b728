"""Workshops through the API: scope, pages, versions, idempotent creates, validation."""

from __future__ import annotations

NEW = {
    "workshop_id": "W9",
    "territory": "T1",
    "workers": 3,
    "products": ["tshirt"],
    "processes": ["sewing"],
    "organizations": ["ORG1"],
}


def test_coordinator_lists_only_their_territory(world):
    r = world.as_("coordinator", "GET", "/workshops")
    assert r.status_code == 200
    body = r.json()
    assert [w["workshop_id"] for w in body["items"]] == ["W1", "W2", "W3", "W4"]
    assert body["total"] == 4


def test_leader_lists_members_and_admin_all(world):
    assert world.as_("association_leader2", "GET", "/workshops").json()["total"] == 4
    assert world.as_("admin", "GET", "/workshops").json()["total"] == 8


def test_pages_are_bounded(world):
    r = world.as_("admin", "GET", "/workshops", params={"limit": 3, "offset": 6})
    assert [w["workshop_id"] for w in r.json()["items"]] == ["W7", "W8"]
    r = world.as_("admin", "GET", "/workshops", params={"limit": 10_000})
    assert r.status_code == 422
    assert r.json()["error"]["details"][0]["field"] == "limit"


def test_filters(world):
    r = world.as_("admin", "GET", "/workshops", params={"can_lead": True, "territory": "T2"})
    assert [w["workshop_id"] for w in r.json()["items"]] == ["W5"]
    r = world.as_("admin", "GET", "/workshops", params={"product": "jeans"})
    assert r.json()["total"] == 0


def test_other_territory_is_not_found(world):
    r = world.as_("coordinator", "GET", "/workshops/W5")
    assert r.status_code == 404
    assert "W5" in r.json()["error"]["message"]


def test_create_update_with_etag(world):
    r = world.as_("coordinator", "POST", "/workshops", json=NEW)
    assert r.status_code == 201, r.text
    etag = r.headers["ETag"]
    assert r.json()["version"] == 1
    r = world.as_("coordinator", "PATCH", "/workshops/W9", json={"workers": 5}, headers={"If-Match": etag})
    assert r.status_code == 200, r.text
    assert r.json()["workers"] == 5 and r.json()["version"] == 2
    stale = world.as_(
        "coordinator", "PATCH", "/workshops/W9", json={"workers": 6}, headers={"If-Match": etag}
    )
    assert stale.status_code == 412
    missing = world.as_("coordinator", "PATCH", "/workshops/W9", json={"workers": 6})
    assert missing.status_code == 428
    body_stale = world.as_("coordinator", "PATCH", "/workshops/W9", json={"workers": 6, "version": 1})
    assert body_stale.status_code == 409
    assert world.as_("coordinator", "GET", "/workshops/W9").json()["workers"] == 5


def test_create_outside_scope_is_forbidden(world):
    r = world.as_("coordinator", "POST", "/workshops", json={**NEW, "territory": "T2"})
    assert r.status_code == 403


def test_idempotent_create(world):
    headers = {"Idempotency-Key": "abc-1"}
    first = world.as_("coordinator", "POST", "/workshops", json=NEW, headers=headers)
    again = world.as_("coordinator", "POST", "/workshops", json=NEW, headers=headers)
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert again.headers.get("Idempotent-Replayed") == "true"
    other = world.as_("coordinator", "POST", "/workshops", json={**NEW, "workers": 4}, headers=headers)
    assert other.status_code == 422
    plain = world.as_("coordinator", "POST", "/workshops", json=NEW)
    assert plain.status_code == 409


def test_invalid_fields_are_named(world):
    r = world.as_("coordinator", "POST", "/workshops", json={**NEW, "workers": 0, "quality": 9})
    assert r.status_code == 422
    fields = {d["field"] for d in r.json()["error"]["details"]}
    assert fields == {"workers", "quality"}
    r = world.as_("coordinator", "POST", "/workshops", json={**NEW, "products": ["rocket"]})
    assert r.status_code == 422
    assert r.json()["error"]["details"][0]["field"] == "products"
    r = world.as_("coordinator", "POST", "/workshops", json={**NEW, "women_workers": 7})
    assert r.status_code == 422 and "women_workers" in r.json()["error"]["message"]


def test_patch_keeps_rules(world):
    etag = world.as_("coordinator", "GET", "/workshops/W1").headers["ETag"]
    r = world.as_(
        "coordinator", "PATCH", "/workshops/W1", json={"women_workers": 99}, headers={"If-Match": etag}
    )
    assert r.status_code == 422
    r = world.as_(
        "coordinator", "PATCH", "/workshops/W1", json={"territory": "T2"}, headers={"If-Match": etag}
    )
    assert r.status_code == 403


def test_delete_removes_ties_and_contact(world):
    etag = world.as_("admin", "GET", "/workshops/W2").headers["ETag"]
    r = world.as_("admin", "DELETE", "/workshops/W2", headers={"If-Match": etag})
    assert r.status_code == 204
    assert world.as_("admin", "GET", "/workshops/W2").status_code == 404
