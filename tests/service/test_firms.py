"""Lead firms through the API: who sees which firm, renames, versions, idempotent creates, safe deletes."""

from __future__ import annotations

NEW = {"firm_id": "F3", "name": "Firm Three (synthetic)", "territory": "T1"}


def _ids(response) -> list[str]:
    assert response.status_code == 200, response.text
    return [f["firm_id"] for f in response.json()["items"]]


def test_who_sees_which_firm(world):
    assert _ids(world.as_("coordinator", "GET", "/lead-firms")) == ["F1", "F2"]
    assert _ids(world.as_("admin", "GET", "/lead-firms")) == ["F1", "F2"]
    assert _ids(world.as_("lead_firm", "GET", "/lead-firms")) == ["F1"]
    assert _ids(world.as_("lead_firm2", "GET", "/lead-firms")) == ["F2"]
    assert world.as_("lead_firm", "GET", "/lead-firms/F2").status_code == 404
    r = world.as_("lead_firm", "GET", "/lead-firms/F1")
    assert r.status_code == 200 and r.headers["ETag"] == '"F1.1"'
    assert r.json() == {"firm_id": "F1", "name": "Firm One (synthetic)", "territory": "T1", "version": 1}
    assert world.as_("coordinator2", "GET", "/lead-firms/F1").status_code == 200
    for who in ("association_leader", "municipality"):
        assert world.as_(who, "GET", "/lead-firms").status_code == 403


def test_filter_and_pages(world):
    assert _ids(world.as_("coordinator", "GET", "/lead-firms", params={"territory": "T2"})) == ["F2"]
    r = world.as_("admin", "GET", "/lead-firms", params={"limit": 1, "offset": 1})
    assert _ids(r) == ["F2"] and r.json()["total"] == 2
    assert world.as_("lead_firm", "GET", "/lead-firms", params={"territory": "T2"}).json()["total"] == 0


def test_lead_firm_renames_its_own_firm_only(world):
    etag = world.as_("lead_firm", "GET", "/lead-firms/F1").headers["ETag"]
    r = world.as_(
        "lead_firm", "PATCH", "/lead-firms/F1", json={"name": "F One (synthetic)"}, headers={"If-Match": etag}
    )
    assert r.status_code == 200, r.text
    assert r.json()["name"] == "F One (synthetic)" and r.headers["ETag"] == '"F1.2"'
    r = world.as_("lead_firm", "PATCH", "/lead-firms/F1", json={"territory": "T2"}, headers={"If-Match": "*"})
    assert r.status_code == 403 and "only its name" in r.json()["error"]["message"]
    r = world.as_("lead_firm", "PATCH", "/lead-firms/F2", json={"name": "x"}, headers={"If-Match": "*"})
    assert r.status_code == 404
    assert world.as_("lead_firm", "DELETE", "/lead-firms/F1", headers={"If-Match": "*"}).status_code == 403
    assert world.as_("lead_firm", "POST", "/lead-firms", json=NEW).status_code == 403
    assert world.as_("admin", "GET", "/lead-firms/F1").json()["territory"] == "T1"
    entries = world.as_("admin", "GET", "/audit", params={"entity": "lead_firm"}).json()["items"]
    assert [(e["action"], e["entity_id"], e["username"], e["detail"]) for e in entries] == [
        ("update", "F1", "lead_firm", {"name": "F One (synthetic)"})
    ]


def test_versions(world):
    body = {"territory": "T2"}
    assert world.as_("coordinator", "PATCH", "/lead-firms/F1", json=body).status_code == 428
    assert (
        world.as_(
            "coordinator", "PATCH", "/lead-firms/F1", json=body, headers={"If-Match": '"F1.0"'}
        ).status_code
        == 412
    )
    assert world.as_("coordinator", "PATCH", "/lead-firms/F1", json={**body, "version": 3}).status_code == 409
    # An ETag of another object does not match.
    assert (
        world.as_(
            "coordinator", "PATCH", "/lead-firms/F1", json=body, headers={"If-Match": '"F2.1"'}
        ).status_code
        == 412
    )
    r = world.as_("coordinator", "PATCH", "/lead-firms/F1", json={**body, "version": 1})
    assert r.status_code == 200 and r.json()["territory"] == "T2" and r.json()["version"] == 2
    r = world.as_(
        "coordinator", "PATCH", "/lead-firms/F1", json={"territory": None}, headers={"If-Match": '"F1.2"'}
    )
    assert r.status_code == 200 and r.json()["territory"] is None


def test_create_validates_and_is_idempotent(world):
    r = world.as_("coordinator", "POST", "/lead-firms", json={**NEW, "firm_id": " "})
    assert r.status_code == 422 and r.json()["error"]["details"][0]["field"] == "firm_id"
    r = world.as_("coordinator", "POST", "/lead-firms", json={**NEW, "phone": "1"})
    assert r.status_code == 422 and r.json()["error"]["details"][0]["field"] == "phone"
    key = {"Idempotency-Key": "firm-3"}
    first = world.as_("coordinator", "POST", "/lead-firms", json=NEW, headers=key)
    assert first.status_code == 201, first.text
    assert first.headers["Location"] == "/lead-firms/F3" and first.headers["ETag"] == '"F3.1"'
    again = world.as_("coordinator", "POST", "/lead-firms", json=NEW, headers=key)
    assert again.status_code == 201 and again.json() == first.json()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert (
        world.as_("coordinator", "POST", "/lead-firms", json={**NEW, "name": "x"}, headers=key).status_code
        == 422
    )
    r = world.as_("coordinator", "POST", "/lead-firms", json=NEW)
    assert r.status_code == 409 and "F3 already exists" in r.json()["error"]["message"]
    assert _ids(world.as_("coordinator", "GET", "/lead-firms")) == ["F1", "F2", "F3"]
    entries = world.as_("admin", "GET", "/audit", params={"entity": "lead_firm", "action": "create"}).json()
    assert entries["total"] == 1 and entries["items"][0]["entity_id"] == "F3"


def test_delete_only_what_nothing_refers_to(world):
    r = world.as_("coordinator", "DELETE", "/lead-firms/F1", headers={"If-Match": "*"})
    assert r.status_code == 409
    assert "1 order and 1 user account;" in r.json()["error"]["message"]
    assert world.as_("coordinator", "POST", "/lead-firms", json=NEW).status_code == 201
    assert world.as_("coordinator", "DELETE", "/lead-firms/F3").status_code == 428
    assert (
        world.as_("coordinator", "DELETE", "/lead-firms/F3", headers={"If-Match": '"F3.1"'}).status_code
        == 204
    )
    assert world.as_("coordinator", "GET", "/lead-firms/F3").status_code == 404
    assert world.as_("coordinator", "DELETE", "/lead-firms/F3", headers={"If-Match": "*"}).status_code == 404
    entries = world.as_("admin", "GET", "/audit", params={"entity_id": "F3"}).json()["items"]
    assert [e["action"] for e in entries] == ["delete", "create"]
