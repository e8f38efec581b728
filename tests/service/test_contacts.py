"""Contacts and their release to lead firms, through the API.

The world seeds shortlists SL1 (F1: S1=W1, S2=W2, G1=W3+W4) and SL2 (F2: S1=W5 ...) and contact
requests 1 (W2 → F1, released), 2 (W6 → F2, released), 3 (W3 → F1, asked), 4 (W7 → F2, asked).
"""

from __future__ import annotations

import json

from sqlalchemy import select

from matcher_service.models import AuditEntry, ContactRelease

W1 = {
    "workshop_id": "W1",
    "owner_name": "Owner Name 1",
    "phone": "+598 99 000 001",
    "address": "Calle Falsa 100",
    "lat": -34.51,
    "lon": -56.2,
}
NEW = {"owner_name": "New Owner (synthetic)", "phone": "+598 99 555 000", "address": "Otra Calle 5"}


def _contact(response) -> dict:
    return {k: v for k, v in response.json().items() if k in W1}


def _audits(world, entity: str) -> list[AuditEntry]:
    with world.app.state.sessions() as session:
        return list(session.scalars(select(AuditEntry).where(AuditEntry.entity == entity)))


# ---------------------------------------------------------------- reading


def test_municipality_reads_contacts_of_its_territory(world):
    r = world.as_("municipality", "GET", "/workshops/W1/contact")
    assert r.status_code == 200
    assert _contact(r) == W1
    assert r.headers["ETag"] == '"contact-W1.1"'
    assert world.as_("municipality", "GET", "/workshops/W5/contact").status_code == 404
    assert world.as_("municipality2", "GET", "/workshops/W5/contact").json()["owner_name"] == "Owner Name 5"
    assert world.as_("admin", "GET", "/workshops/W8/contact").json()["phone"] == "+598 99 000 008"


def test_lead_firm_reads_only_released_contacts(world):
    r = world.as_("lead_firm", "GET", "/workshops/W2/contact")
    assert r.status_code == 200
    assert r.json()["owner_name"] == "Owner Name 2" and r.json()["address"] == "Calle Falsa 200"
    for workshop in ("W1", "W3", "W6", "NOPE"):  # never asked, asked only, released to F2, missing
        r = world.as_("lead_firm", "GET", f"/workshops/{workshop}/contact")
        assert r.status_code == 404
        assert workshop not in r.text  # not even echoed
    assert world.as_("lead_firm2", "GET", "/workshops/W2/contact").status_code == 404


def test_other_roles_may_not_read(world):
    for role in ("coordinator", "association_leader"):
        assert world.as_(role, "GET", "/workshops/W1/contact").status_code == 403
    assert world.as_("anyone", "GET", "/workshops/W1/contact").status_code == 401
    assert world.as_("lead_firm", "GET", "/municipality/contacts").status_code == 403


def test_municipality_lists_its_contacts(world):
    r = world.as_("municipality", "GET", "/municipality/contacts")
    body = r.json()
    assert body["total"] == 4
    assert [c["workshop_id"] for c in body["items"]] == ["W1", "W2", "W3", "W4"]
    assert _contact_of(body, "W1") == W1
    page = world.as_("municipality", "GET", "/municipality/contacts", params={"limit": 2, "offset": 2}).json()
    assert [c["workshop_id"] for c in page["items"]] == ["W3", "W4"]
    other = world.as_("municipality", "GET", "/municipality/contacts", params={"territory": "T2"}).json()
    assert other["total"] == 0
    assert world.as_("admin", "GET", "/municipality/contacts").json()["total"] == 8
    r = world.as_("municipality", "GET", "/municipality/contacts", params={"limit": 500})
    assert r.status_code == 422


def _contact_of(page: dict, workshop: str) -> dict:
    item = next(c for c in page["items"] if c["workshop_id"] == workshop)
    return {k: v for k, v in item.items() if k in W1}


# ---------------------------------------------------------------- writing


def test_coordinator_writes_but_does_not_read(world):
    r = world.as_("coordinator", "PUT", "/workshops/W1/contact", json=NEW, headers={"If-Match": "*"})
    assert r.status_code == 200, r.text
    # lat and lon were left out: a PUT replaces the whole contact, so they are cleared.
    assert r.json() == {
        "workshop_id": "W1",
        "version": 2,
        "created": False,
        "changed": ["owner_name", "phone", "address", "lat", "lon"],
    }
    assert r.headers["ETag"] == '"contact-W1.2"'
    assert "Owner" not in r.text and "555" not in r.text
    assert world.as_("coordinator", "GET", "/workshops/W1/contact").status_code == 403
    read = world.as_("municipality", "GET", "/workshops/W1/contact").json()
    assert {k: read[k] for k in (*NEW, "lat", "lon")} == {**NEW, "lat": None, "lon": None}
    # The audit names the fields, never the values.
    (entry,) = _audits(world, "contact")
    assert (entry.action, entry.entity_id, entry.username) == ("update", "W1", "coordinator")
    assert entry.detail == {"changed": ["owner_name", "phone", "address", "lat", "lon"]}
    text = json.dumps(entry.detail)
    assert all(value not in text for value in (*NEW.values(), "Owner Name 1", "Calle Falsa"))


def test_contact_writes_need_the_current_version(world):
    url = "/workshops/W1/contact"
    body = {**NEW, "lat": -34.51, "lon": -56.2}
    assert world.as_("coordinator", "PUT", url, json=body).status_code == 428
    assert (
        world.as_("coordinator", "PUT", url, json=body, headers={"If-Match": '"contact-W1.7"'}).status_code
        == 412
    )
    assert world.as_("coordinator", "PUT", url, json={**body, "version": 7}).status_code == 409
    first = world.as_("coordinator", "PUT", url, json=body, headers={"If-Match": '"contact-W1.1"'})
    assert first.status_code == 200
    assert first.json()["changed"] == ["owner_name", "phone", "address"]
    same = world.as_("coordinator", "PUT", url, json=body, headers={"If-Match": first.headers["ETag"]})
    assert same.json()["changed"] == [] and same.json()["version"] == 2
    assert len(_audits(world, "contact")) == 1  # nothing changed the second time


def test_contact_write_scope_and_validation(world):
    put = {"json": NEW, "headers": {"If-Match": "*"}}
    assert world.as_("coordinator", "PUT", "/workshops/W5/contact", **put).status_code == 404
    assert world.as_("coordinator", "PUT", "/workshops/NOPE/contact", **put).status_code == 404
    assert world.as_("municipality", "PUT", "/workshops/W1/contact", **put).status_code == 403
    assert world.as_("lead_firm", "PUT", "/workshops/W2/contact", **put).status_code == 403
    bad = world.as_("coordinator", "PUT", "/workshops/W1/contact", json={"lat": 123, "email": "x"})
    assert bad.status_code == 422
    assert {d["field"] for d in bad.json()["error"]["details"]} == {"lat", "email"}
    assert world.as_("municipality", "GET", "/workshops/W1/contact").json()["owner_name"] == "Owner Name 1"


def test_contact_of_a_new_workshop_is_created(world):
    new = {
        "workshop_id": "W9",
        "territory": "T1",
        "workers": 3,
        "products": ["tshirt"],
        "processes": ["sewing"],
    }
    assert world.as_("coordinator", "POST", "/workshops", json=new).status_code == 201
    assert world.as_("municipality", "GET", "/workshops/W9/contact").status_code == 404
    r = world.as_("coordinator", "PUT", "/workshops/W9/contact", json={"phone": "+598 99 999 999"})
    assert r.status_code == 201
    assert r.json() == {"workshop_id": "W9", "version": 1, "created": True, "changed": ["phone"]}
    read = world.as_("municipality", "GET", "/workshops/W9/contact").json()
    assert read["phone"] == "+598 99 999 999" and read["owner_name"] is None
    (entry,) = _audits(world, "contact")
    assert entry.action == "create" and entry.detail == {"changed": ["phone"]}


# ---------------------------------------------------------------- releases


def _ask(world, ref="S1", who="lead_firm", shortlist="SL1", **kw):
    return world.as_(
        who,
        "POST",
        f"/shortlists/{shortlist}/contact-requests",
        json={"ref": ref, **kw.pop("body", {})},
        **kw,
    )


def test_lead_firm_asks_by_reference_without_learning_the_workshop(world):
    r = _ask(world, body={"message": "for a polo order"})
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["release_id"] == 5
    assert (body["ref"], body["shortlist_id"], body["status"]) == ("S1", "SL1", "requested")
    assert body["workshop_id"] is None and body["contact"] is None and body["message"] == "for a polo order"
    assert "W1" not in r.text and "F1" not in r.text
    with world.app.state.sessions() as session:
        row = session.get(ContactRelease, 5)
        assert (row.workshop_id, row.firm_id, row.status) == ("W1", "F1", "requested")
    # The municipality of T1 sees who asked for which workshop.
    items = world.as_("municipality", "GET", "/contact-requests", params={"status": "requested"}).json()[
        "items"
    ]
    assert [(i["release_id"], i["workshop_id"], i["firm_id"], i["territory"]) for i in items] == [
        (3, "W3", "F1", "T1"),
        (5, "W1", "F1", "T1"),
    ]


def test_request_rules(world):
    group = _ask(world, "G1")
    assert group.status_code == 422
    assert group.json()["error"]["details"][0] == {
        "in": "body",
        "field": "ref",
        "message": "one of G1-a, G1-b",
    }
    unknown = _ask(world, "S9")
    assert unknown.status_code == 422 and "S9" in unknown.json()["error"]["message"]
    assert "W" not in unknown.json()["error"]["details"][0]["message"]
    assert _ask(world, "G1-a").status_code == 409  # request 3 is open
    assert _ask(world, "S2").status_code == 409  # request 1 was released
    assert _ask(world, "S1", who="lead_firm2").status_code == 404
    assert _ask(world, "S1", shortlist="SL2").status_code == 404
    assert _ask(world, "S1", who="municipality").status_code == 403
    assert _ask(world, "G1-b").status_code == 201


def test_request_is_idempotent(world):
    key = {"Idempotency-Key": "ask-1"}
    first = _ask(world, headers=key)
    again = _ask(world, headers=key)
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json() and again.headers["Idempotent-Replayed"] == "true"
    assert _ask(world, "G1-b", headers=key).status_code == 422  # same key, another request
    assert _ask(world).status_code == 409  # without the key it is a second request
    with world.app.state.sessions() as session:
        assert (
            len(session.scalars(select(ContactRelease).where(ContactRelease.workshop_id == "W1")).all()) == 1
        )


def test_lists_are_scoped(world):
    mine = world.as_("lead_firm", "GET", "/contact-requests").json()
    assert [(i["release_id"], i["ref"], i["status"], i["workshop_id"]) for i in mine["items"]] == [
        (1, "S2", "released", "W2"),
        (3, "G1-a", "requested", None),
    ]
    assert mine["items"][0]["contact"]["owner_name"] == "Owner Name 2"
    assert mine["items"][1]["contact"] is None
    assert "firm_id" not in mine["items"][0]
    theirs = world.as_("lead_firm2", "GET", "/contact-requests").json()
    assert [i["release_id"] for i in theirs["items"]] == [2, 4]
    muni = world.as_("municipality2", "GET", "/contact-requests").json()
    assert [(i["release_id"], i["workshop_id"], i["firm_id"]) for i in muni["items"]] == [
        (2, "W6", "F2"),
        (4, "W7", "F2"),
    ]
    assert "contact" not in muni["items"][0]
    assert world.as_("admin", "GET", "/contact-requests").json()["total"] == 4
    released = world.as_("admin", "GET", "/contact-requests", params={"status": "released"}).json()
    assert [i["release_id"] for i in released["items"]] == [1, 2]
    assert world.as_("admin", "GET", "/contact-requests", params={"status": "maybe"}).status_code == 422
    assert world.as_("coordinator", "GET", "/contact-requests").status_code == 403


def test_municipality_releases_then_withdraws(world):
    asked = _ask(world).json()
    url = f"/contact-requests/{asked['release_id']}/decision"
    assert world.as_("municipality2", "POST", url, json={"release": True}).status_code == 404
    assert world.as_("coordinator", "POST", url, json={"release": True}).status_code == 403
    assert world.as_("lead_firm", "GET", "/workshops/W1/contact").status_code == 404
    r = world.as_("municipality", "POST", url, json={"release": True, "note": "owner agreed by phone"})
    assert r.status_code == 200, r.text
    assert (r.json()["status"], r.json()["workshop_id"], r.json()["firm_id"]) == ("released", "W1", "F1")
    assert r.json()["decided_at"] is not None
    # Now the firm sees the workshop and its contact, in the list and directly.
    assert _contact(world.as_("lead_firm", "GET", "/workshops/W1/contact")) == W1
    item = next(
        i for i in world.as_("lead_firm", "GET", "/contact-requests").json()["items"] if i["ref"] == "S1"
    )
    assert item["workshop_id"] == "W1" and item["contact"]["phone"] == W1["phone"]
    # Another firm still does not.
    assert world.as_("lead_firm2", "GET", "/workshops/W1/contact").status_code == 404
    # Withdrawn: the firm loses access.
    r = world.as_("municipality", "POST", url, json={"release": False})
    assert r.json()["status"] == "denied"
    assert world.as_("lead_firm", "GET", "/workshops/W1/contact").status_code == 404
    entries = _audits(world, "contact_release")
    assert [(e.action, e.detail.get("note")) for e in entries] == [
        ("create", None),
        ("release", "owner agreed by phone"),
        ("deny", None),
    ]
    # A denied request may be asked again.
    assert _ask(world).status_code == 201


def test_decision_validation(world):
    url = "/contact-requests/3/decision"
    assert world.as_("municipality", "POST", url, json={}).status_code == 422
    assert world.as_("municipality", "POST", url, json={"release": "yes please"}).status_code == 422
    assert (
        world.as_(
            "municipality", "POST", "/contact-requests/999/decision", json={"release": True}
        ).status_code
        == 404
    )


def test_contact_text_may_hold_line_breaks_but_not_what_a_workbook_cannot(world):
    put = lambda body: world.as_(  # noqa: E731
        "coordinator", "PUT", "/workshops/W1/contact", json=body, headers={"If-Match": "*"}
    )
    r = put({**NEW, "address": "Otra Calle 5\x00"})
    assert r.status_code == 422 and [d["field"] for d in r.json()["error"]["details"]] == ["address"]
    r = put({**NEW, "address": "Otra Calle 5\r\nPiso 2\tB"})
    assert r.status_code == 200 and "address" in r.json()["changed"], r.text
    r = world.as_("admin", "GET", "/workshops/W1/contact")
    assert r.status_code == 200 and r.json()["address"] == "Otra Calle 5\r\nPiso 2\tB"
