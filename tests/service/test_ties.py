"""Ties through the API: scope by both ends, filters, pages, versions, idempotent creates, contract rules.

The world's ties by id: 1 W1-W2 kinship, 2 W2-W3 friendship, 3 W3->W4 subcontracting,
4 W1-W4 conflict (all in T1 / ORG1), 5 W5-W6 kinship, 6 W6-W7 friendship,
7 W7-W8 friendship (T2 / ORG2), and 8 W4-W5 friendship across the two.
"""

from __future__ import annotations

NEW = {"source": "W1", "target": "W3", "kind": "mentoring", "strength": 2}


def _ids(response) -> list[int]:
    assert response.status_code == 200, response.text
    return [t["tie_id"] for t in response.json()["items"]]


def _fields(response) -> set[str]:
    assert response.status_code == 422, response.text
    return {d["field"] for d in response.json()["error"]["details"]}


def test_scope_needs_both_ends(world):
    assert _ids(world.as_("coordinator", "GET", "/ties")) == [1, 2, 3, 4]
    assert _ids(world.as_("coordinator2", "GET", "/ties")) == [5, 6, 7]
    assert _ids(world.as_("association_leader", "GET", "/ties")) == [1, 2, 3, 4]
    assert _ids(world.as_("association_leader2", "GET", "/ties")) == [5, 6, 7]
    assert world.as_("admin", "GET", "/ties").json()["total"] == 8
    # The tie across territories is nobody's but the admin's.
    for who in ("coordinator", "coordinator2", "association_leader"):
        assert world.as_(who, "GET", "/ties/8").status_code == 404
    r = world.as_("coordinator", "GET", "/ties/5")
    assert r.status_code == 404 and r.json()["error"]["code"] == "not_found"
    for who in ("lead_firm", "municipality"):
        assert world.as_(who, "GET", "/ties").status_code == 403


def test_get_has_etag(world):
    r = world.as_("association_leader", "GET", "/ties/3")
    assert r.status_code == 200
    assert r.headers["ETag"] == '"tie-3.1"'
    assert r.json() == {
        "tie_id": 3,
        "source": "W3",
        "target": "W4",
        "kind": "subcontracting",
        "strength": 2,
        "wave": None,
        "version": 1,
    }


def test_filters_and_pages(world):
    assert _ids(world.as_("admin", "GET", "/ties", params={"workshop": "W4"})) == [3, 4, 8]
    assert _ids(world.as_("coordinator", "GET", "/ties", params={"workshop": "W4"})) == [3, 4]
    assert _ids(world.as_("admin", "GET", "/ties", params={"kind": "friendship"})) == [2, 6, 7, 8]
    assert _ids(world.as_("coordinator2", "GET", "/ties", params={"kind": "friendship"})) == [6, 7]
    r = world.as_("admin", "GET", "/ties", params={"limit": 3, "offset": 6})
    assert _ids(r) == [7, 8] and r.json()["total"] == 8 and r.json()["limit"] == 3
    created = world.as_("coordinator", "POST", "/ties", json={**NEW, "wave": "2024"})
    assert created.status_code == 201
    assert _ids(world.as_("admin", "GET", "/ties", params={"wave": "2024"})) == [created.json()["tie_id"]]
    assert _ids(world.as_("admin", "GET", "/ties", params={"wave": "2023"})) == []


def test_create_is_audited_and_located(world):
    r = world.as_("coordinator", "POST", "/ties", json=NEW)
    assert r.status_code == 201, r.text
    assert r.json()["tie_id"] == 9 and r.json()["version"] == 1
    assert r.headers["Location"] == "/ties/9"
    assert r.headers["ETag"] == '"tie-9.1"'
    assert world.as_("association_leader", "GET", "/ties/9").json()["kind"] == "mentoring"
    entries = world.as_("admin", "GET", "/audit", params={"entity": "tie", "entity_id": "9"}).json()["items"]
    assert [(e["action"], e["username"]) for e in entries] == [("create", "coordinator")]
    assert entries[0]["detail"]["source"] == "W1"


def test_contract_rules_name_the_field(world):
    assert _fields(world.as_("coordinator", "POST", "/ties", json={**NEW, "kind": "rivalry"})) == {"kind"}
    r = world.as_("coordinator", "POST", "/ties", json={**NEW, "kind": "rivalry"})
    assert "unknown tie kind 'rivalry'" in r.json()["error"]["message"]
    assert _fields(world.as_("coordinator", "POST", "/ties", json={**NEW, "strength": 6})) == {"strength"}
    assert _fields(world.as_("coordinator", "POST", "/ties", json={**NEW, "strength": 0})) == {"strength"}
    r = world.as_("coordinator", "POST", "/ties", json={**NEW, "target": "W1"})
    assert _fields(r) == {"target"}
    assert "cannot be tied to itself" in r.json()["error"]["message"]
    r = world.as_("admin", "POST", "/ties", json={**NEW, "source": "W99"})
    assert _fields(r) == {"source"}
    assert r.json()["error"]["message"] == "unknown workshop W99"
    # A workshop outside the coordinator's territories is answered like an unknown one.
    r = world.as_("coordinator", "POST", "/ties", json={**NEW, "target": "W5"})
    assert _fields(r) == {"target"}
    assert r.json()["error"]["message"] == "unknown workshop W5 among the workshops you can see"
    assert _fields(world.as_("coordinator", "POST", "/ties", json={**NEW, "colour": "red"})) == {"colour"}
    assert world.as_("admin", "GET", "/ties").json()["total"] == 8


def test_duplicates_follow_direction(world):
    # kinship is undirected: W2-W1 is the same tie as 1.
    r = world.as_("coordinator", "POST", "/ties", json={"source": "W2", "target": "W1", "kind": "kinship"})
    assert r.status_code == 409 and "already tie 1" in r.json()["error"]["message"]
    # subcontracting is directed: W4 -> W3 is new, W3 -> W4 is tie 3.
    back = {"source": "W4", "target": "W3", "kind": "subcontracting"}
    assert world.as_("coordinator", "POST", "/ties", json=back).status_code == 201
    same = {"source": "W3", "target": "W4", "kind": "subcontracting"}
    assert world.as_("coordinator", "POST", "/ties", json=same).status_code == 409
    # The same pair and kind in another survey round is another tie.
    wave = {"source": "W2", "target": "W1", "kind": "kinship", "wave": "2025"}
    assert world.as_("coordinator", "POST", "/ties", json=wave).status_code == 201
    assert world.as_("coordinator", "POST", "/ties", json=wave).status_code == 409


def test_update_needs_current_version(world):
    etag = world.as_("coordinator", "GET", "/ties/2").headers["ETag"]
    assert world.as_("coordinator", "PATCH", "/ties/2", json={"strength": 5}).status_code == 428
    r = world.as_("coordinator", "PATCH", "/ties/2", json={"strength": 5}, headers={"If-Match": etag})
    assert r.status_code == 200, r.text
    assert r.json()["strength"] == 5 and r.json()["version"] == 2
    assert r.headers["ETag"] == '"tie-2.2"'
    stale = world.as_("coordinator", "PATCH", "/ties/2", json={"strength": 1}, headers={"If-Match": etag})
    assert stale.status_code == 412
    assert world.as_("coordinator", "PATCH", "/ties/2", json={"strength": 1, "version": 1}).status_code == 409
    assert world.as_("coordinator", "PATCH", "/ties/2", json={"strength": 1, "version": 2}).status_code == 200
    entries = world.as_("admin", "GET", "/audit", params={"entity": "tie", "action": "update"}).json()
    assert [e["detail"] for e in entries["items"]] == [{"strength": 1}, {"strength": 5}]


def test_update_keeps_rules_and_scope(world):
    star = {"If-Match": "*"}
    r = world.as_("coordinator", "PATCH", "/ties/2", json={"target": "W5"}, headers=star)
    assert _fields(r) == {"target"}
    r = world.as_("coordinator", "PATCH", "/ties/2", json={"target": "W2"}, headers=star)
    assert _fields(r) == {"target"}
    r = world.as_("coordinator", "PATCH", "/ties/2", json={"kind": None}, headers=star)
    assert _fields(r) == {"kind"}
    # Turning W2-W3 friendship into kinship W1-W2 would duplicate tie 1.
    r = world.as_("coordinator", "PATCH", "/ties/2", json={"target": "W1", "kind": "kinship"}, headers=star)
    assert r.status_code == 409
    assert world.as_("coordinator", "PATCH", "/ties/5", json={"strength": 1}, headers=star).status_code == 404
    assert (
        world.as_("association_leader", "PATCH", "/ties/1", json={"strength": 1}, headers=star).status_code
        == 403
    )
    assert world.as_("admin", "GET", "/ties/2").json()["version"] == 1
    r = world.as_("coordinator", "PATCH", "/ties/2", json={"wave": "2024", "strength": 4}, headers=star)
    assert r.status_code == 200 and (r.json()["wave"], r.json()["strength"]) == ("2024", 4)
    r = world.as_("coordinator", "PATCH", "/ties/2", json={"wave": None}, headers=star)
    assert r.status_code == 200 and r.json()["wave"] is None


def test_idempotent_create(world):
    key = {"Idempotency-Key": "tie-1"}
    first = world.as_("coordinator", "POST", "/ties", json=NEW, headers=key)
    again = world.as_("coordinator", "POST", "/ties", json=NEW, headers=key)
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert again.headers["Idempotent-Replayed"] == "true" and again.headers["Location"] == "/ties/9"
    assert world.as_("admin", "GET", "/ties").json()["total"] == 9
    other = world.as_("coordinator", "POST", "/ties", json={**NEW, "strength": 4}, headers=key)
    assert other.status_code == 422
    assert world.as_("coordinator", "POST", "/ties", json=NEW).status_code == 409


def test_delete(world):
    assert world.as_("coordinator", "DELETE", "/ties/1").status_code == 428
    assert world.as_("coordinator", "DELETE", "/ties/1", headers={"If-Match": '"tie-1.7"'}).status_code == 412
    assert world.as_("coordinator", "DELETE", "/ties/8", headers={"If-Match": "*"}).status_code == 404
    r = world.as_("coordinator", "DELETE", "/ties/1", headers={"If-Match": '"tie-1.1"'})
    assert r.status_code == 204
    assert world.as_("coordinator", "GET", "/ties/1").status_code == 404
    assert _ids(world.as_("coordinator", "GET", "/ties")) == [2, 3, 4]
    entries = world.as_("admin", "GET", "/audit", params={"entity": "tie", "action": "delete"}).json()[
        "items"
    ]
    assert [(e["entity_id"], e["detail"]["kind"]) for e in entries] == [("1", "kinship")]


def test_control_characters_in_tie_ends_and_waves_are_refused(world):
    for change, field in (
        ({"source": "W\x001"}, "source"),
        ({"target": "W\t3"}, "target"),
        ({"wave": "w\n1"}, "wave"),
    ):
        r = world.as_("coordinator", "POST", "/ties", json={**NEW, **change})
        assert r.status_code == 422, r.text
        assert [d["field"] for d in r.json()["error"]["details"]] == [field]
