"""Organizations through the API: who reads which, member counts, versions, safe deletes."""

from __future__ import annotations

NEW = {"organization_id": "ORG3", "name": "Cooperative Three (synthetic)"}


def _items(response) -> list[tuple[str, int]]:
    assert response.status_code == 200, response.text
    return [(o["organization_id"], o["member_count"]) for o in response.json()["items"]]


def test_who_reads_which(world):
    assert _items(world.as_("coordinator", "GET", "/organizations")) == [("ORG1", 4), ("ORG2", 4)]
    assert _items(world.as_("association_leader", "GET", "/organizations")) == [("ORG1", 4)]
    assert _items(world.as_("association_leader2", "GET", "/organizations")) == [("ORG2", 4)]
    assert world.as_("association_leader", "GET", "/organizations/ORG2").status_code == 404
    r = world.as_("association_leader", "GET", "/organizations/ORG1")
    assert r.status_code == 200 and r.headers["ETag"] == '"ORG1.1"'
    assert r.json() == {"organization_id": "ORG1", "name": None, "member_count": 4, "version": 1}
    for who in ("lead_firm", "municipality"):
        assert world.as_(who, "GET", "/organizations").status_code == 403
    assert world.as_("association_leader", "POST", "/organizations", json=NEW).status_code == 403


def test_pages(world):
    r = world.as_("admin", "GET", "/organizations", params={"limit": 1})
    assert _items(r) == [("ORG1", 4)] and r.json()["total"] == 2
    r = world.as_("admin", "GET", "/organizations", params={"limit": 1, "offset": 1})
    assert _items(r) == [("ORG2", 4)]


def test_create_rename_and_count_members(world):
    r = world.as_("coordinator", "POST", "/organizations", json=NEW, headers={"Idempotency-Key": "org-3"})
    assert r.status_code == 201, r.text
    assert r.json()["member_count"] == 0 and r.headers["Location"] == "/organizations/ORG3"
    again = world.as_("coordinator", "POST", "/organizations", json=NEW, headers={"Idempotency-Key": "org-3"})
    assert again.status_code == 201 and again.headers["Idempotent-Replayed"] == "true"
    assert world.as_("coordinator", "POST", "/organizations", json=NEW).status_code == 409
    r = world.as_("coordinator", "POST", "/organizations", json={**NEW, "organization_id": "a;b"})
    assert r.status_code == 422 and r.json()["error"]["details"][0]["field"] == "organization_id"
    # W1 joins ORG3 through its own record: ORG3 counts it, ORG1 still counts it too.
    r = world.as_(
        "coordinator",
        "PATCH",
        "/workshops/W1",
        json={"organizations": ["ORG1", "ORG3"]},
        headers={"If-Match": "*"},
    )
    assert r.status_code == 200, r.text
    assert _items(world.as_("coordinator", "GET", "/organizations")) == [
        ("ORG1", 4),
        ("ORG2", 4),
        ("ORG3", 1),
    ]
    etag = world.as_("coordinator", "GET", "/organizations/ORG3").headers["ETag"]
    r = world.as_(
        "coordinator",
        "PATCH",
        "/organizations/ORG3",
        json={"name": "Renamed (synthetic)"},
        headers={"If-Match": etag},
    )
    assert r.status_code == 200 and r.json()["name"] == "Renamed (synthetic)" and r.json()["version"] == 2
    assert r.json()["member_count"] == 1


def test_versions(world):
    body = {"name": "Cooperative One (synthetic)"}
    assert world.as_("coordinator", "PATCH", "/organizations/ORG1", json=body).status_code == 428
    r = world.as_("coordinator", "PATCH", "/organizations/ORG1", json=body, headers={"If-Match": '"ORG1.2"'})
    assert r.status_code == 412
    assert (
        world.as_("coordinator", "PATCH", "/organizations/ORG1", json={**body, "version": 2}).status_code
        == 409
    )
    r = world.as_("coordinator", "PATCH", "/organizations/ORG1", json={**body, "version": 1})
    assert r.status_code == 200 and r.headers["ETag"] == '"ORG1.2"'
    r = world.as_("coordinator", "PATCH", "/organizations/ORG1", json={"name": ""}, headers={"If-Match": "*"})
    assert r.status_code == 422 and r.json()["error"]["details"][0]["field"] == "name"
    entries = world.as_("admin", "GET", "/audit", params={"entity": "organization"}).json()["items"]
    assert [(e["action"], e["entity_id"], e["detail"]) for e in entries] == [("update", "ORG1", body)]


def test_delete_only_empty_organizations(world):
    r = world.as_("coordinator", "DELETE", "/organizations/ORG1", headers={"If-Match": "*"})
    assert r.status_code == 409
    assert "4 member workshops and 1 user account;" in r.json()["error"]["message"]
    assert world.as_("coordinator", "POST", "/organizations", json=NEW).status_code == 201
    assert world.as_("coordinator", "DELETE", "/organizations/ORG3").status_code == 428
    assert (
        world.as_(
            "coordinator", "DELETE", "/organizations/ORG3", headers={"If-Match": '"ORG3.1"'}
        ).status_code
        == 204
    )
    assert world.as_("coordinator", "GET", "/organizations/ORG3").status_code == 404
    entries = world.as_("admin", "GET", "/audit", params={"entity_id": "ORG3"}).json()["items"]
    assert [(e["action"], e["username"]) for e in entries] == [
        ("delete", "coordinator"),
        ("create", "coordinator"),
    ]


def test_an_id_beyond_latin_1_is_stored_read_changed_and_deleted(world):
    body = {"organization_id": "Cooperativa 🧵", "name": "Hilo 🧵 (synthetic)"}
    r = world.as_("coordinator", "POST", "/organizations", json=body)
    assert r.status_code == 201, r.text
    assert r.headers["Location"] == "/organizations/Cooperativa%20%F0%9F%A7%B5"
    assert r.headers["ETag"] == '"Cooperativa%20%F0%9F%A7%B5.1"'
    r = world.as_("coordinator", "GET", r.headers["Location"])
    assert r.status_code == 200 and r.json()["name"] == body["name"]
    path = "/organizations/Cooperativa 🧵"
    r = world.as_(
        "coordinator", "PATCH", path, json={"name": "Hilo"}, headers={"If-Match": r.headers["ETag"]}
    )
    assert r.status_code == 200 and r.json()["name"] == "Hilo", r.text
    r = world.as_("coordinator", "DELETE", path, headers={"If-Match": r.headers["ETag"]})
    assert r.status_code == 204
    assert world.as_("coordinator", "GET", path).status_code == 404
