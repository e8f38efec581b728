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


def test_an_id_taken_outside_scope_says_nothing_of_the_workshop(world):
    """Ids are shared by the cluster: W5 (T2) cannot be created in T1, and the answer does not say why."""
    seen = world.as_("coordinator", "POST", "/workshops", json={**NEW, "workshop_id": "W1"})
    assert seen.status_code == 409 and seen.json()["error"]["message"] == "workshop W1 already exists"
    for lang, said in (
        ("en", "the id W5 cannot be used; choose another"),
        ("es", "El identificador W5 no se puede usar; elija otro"),
    ):
        for headers in ({}, {"Idempotency-Key": f"taken-{lang}"}):
            r = world.as_(
                "coordinator",
                "POST",
                "/workshops",
                json={**NEW, "workshop_id": "W5"},
                params={"lang": lang},
                headers=headers,
            )
            assert r.status_code == 409, r.text
            assert r.json() == {"error": {"code": "conflict", "message": said, "details": []}}
            assert "Location" not in r.headers and "ETag" not in r.headers
            for word in ("exist", "T2", "ORG2", "Owner Name 5", "territor", "scope", "alcance"):
                assert word not in r.text, word
    # W5 itself is untouched.
    assert world.as_("admin", "GET", "/workshops/W5").json()["territory"] == "T2"


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


def test_an_id_beyond_latin_1_is_stored_read_changed_and_deleted(world):
    workshop_id = "Taller-Ñeʼẽ 1"
    headers = {"Idempotency-Key": "w-neee"}
    r = world.as_(
        "coordinator", "POST", "/workshops", json={**NEW, "workshop_id": workshop_id}, headers=headers
    )
    assert r.status_code == 201, r.text
    assert r.headers["Location"] == "/workshops/Taller-%C3%91e%CA%BC%E1%BA%BD%201"
    assert r.headers["ETag"] == '"Taller-%C3%91e%CA%BC%E1%BA%BD%201.1"'
    again = world.as_(
        "coordinator", "POST", "/workshops", json={**NEW, "workshop_id": workshop_id}, headers=headers
    )
    assert again.status_code == 201 and again.headers["ETag"] == r.headers["ETag"]
    r = world.as_("coordinator", "GET", r.headers["Location"])
    assert r.status_code == 200 and r.json()["workshop_id"] == workshop_id
    r = world.as_(
        "coordinator",
        "PATCH",
        f"/workshops/{workshop_id}",
        json={"workers": 5},
        headers={"If-Match": r.headers["ETag"]},
    )
    assert r.status_code == 200 and r.json()["workers"] == 5, r.text
    assert world.as_("coordinator", "GET", "/workshops").status_code == 200
    assert world.as_("coordinator", "GET", "/exports", params={"format": "xlsx"}).status_code == 200
    r = world.as_(
        "coordinator", "DELETE", f"/workshops/{workshop_id}", headers={"If-Match": r.headers["ETag"]}
    )
    assert r.status_code == 204
    assert world.as_("coordinator", "GET", f"/workshops/{workshop_id}").status_code == 404


def _refused(r, where: str, field: str, character: str) -> None:
    assert r.status_code == 422, r.text
    details = r.json()["error"]["details"]
    assert [(d["in"], d["field"]) for d in details] == [(where, field)]
    assert f"control character ({character})" in details[0]["message"]


def test_control_characters_are_refused_at_the_door(world):
    """No control character in an id (a tab or a line break included), none a workbook cannot hold in text."""
    post = lambda **change: world.as_("coordinator", "POST", "/workshops", json={**NEW, **change})  # noqa: E731
    _refused(post(workshop_id="W\x009"), "body", "workshop_id", "\\x00")
    _refused(post(workshop_id="W\t9"), "body", "workshop_id", "\\t")
    _refused(post(territory="T1\n"), "body", "territory", "\\n")
    _refused(post(organizations=["ORG1", "ORG\x7f"]), "body", "organizations", "\\x7f")
    _refused(post(machines={"over\x00lock": 1}), "body", "machines", "\\x00")
    _refused(post(extra={"notes": "bell\x07"}), "body", "extra", "\\x07")
    _refused(post(extra={"no\x01tes": "x"}), "body", "extra", "\\x01")
    r = world.as_("coordinator", "GET", "/workshops/W%001")
    _refused(r, "path", "workshop_id", "\\x00")
    _refused(
        world.as_("coordinator", "GET", "/workshops", params={"territory": "T1\x00"}),
        "query",
        "territory",
        "\\x00",
    )
    r = world.as_("coordinator", "PATCH", "/workshops/W1", json={"territory": "T\x001", "version": 1})
    _refused(r, "body", "territory", "\\x00")
    r = world.as_(
        "coordinator", "POST", "/workshops", json={**NEW, "extra": {"notes": "two\tcolumns\r\nand lines"}}
    )
    assert r.status_code == 201, r.text
    assert world.as_("coordinator", "GET", "/workshops/W9").json()["extra"] == {
        "notes": "two\tcolumns\r\nand lines"
    }
    es = world.as_(
        "coordinator",
        "POST",
        "/workshops",
        json={**NEW, "workshop_id": "W\x00"},
        headers={"Accept-Language": "es"},
    )
    assert "Contiene un carácter de control (\\x00)" in es.json()["error"]["details"][0]["message"]
