"""Shortlists through the API: anonymized for lead firms, refs for coordinators, stored per data version.

Hand-checked numbers for order O1 (300 tshirts in 2 weeks; tshirt routing 1 + 6 + 1 + 0.5 = 8.5 min
per unit): needed 300 × 8.5 = 2,550 min; each T1 workshop has 3,000 min a week free, so 6,000 by the
due date. A single's score: capability 1, capacity 1 − 2550/6000 = 0.575, quality margin
(3 − 1)/(5 − 1) = 0.5, reliability unknown, so the total is (1 + 0.575 + 0.5)/3 = 0.6917. The API
answers score parts as shares to 0.01 (matcher_service.reading): 0.57 and 0.69.

Profiles fit k = 5 workshops: every workshop is micro, of quality 3, informal, does every process
and mainly makes tshirts, so all that is shown as is; T1 and T2 hold four workshops each, so the
territory is withheld, and only W1 and W5 can lead, so a group's leader is not named.
"""

from __future__ import annotations

import re

import pytest
from pydantic import ValidationError
from sqlalchemy import update

from matcher.messages import ENGLISH
from matcher_service.db import bump_data_version
from matcher_service.models import AuditEntry, OrderRow, ShortlistRow
from matcher_service.settings import Settings

MEMBER_FIELDS = {
    "ref", "territory", "size_band", "quality", "formal", "processes", "main_product", "leader", "withheld",
    "allocations",
}  # fmt: skip
WORKSHOP_ID = re.compile(r"\bW\d+\b")


def _create(world, who="lead_firm", order="O1", top=3):
    return world.as_(who, "POST", f"/orders/{order}/shortlists", params={"top": top})


def test_lead_firm_gets_an_anonymized_shortlist(world):
    r = _create(world)
    assert r.status_code == 201, r.text
    body = r.json()
    assert r.headers["Location"] == f"/shortlists/{body['shortlist_id']}"
    assert "refs" not in body
    assert body["top"] == 3 and body["current"] is True
    assert body["order"]["order_id"] == "O1" and body["order"]["quantity"] == 300
    # W1..W4 can each make the order alone; equal scores rank by id, and top=3 keeps three.
    assert [e["ref"] for e in body["singles"]] == ["S1", "S2", "S3"]
    assert body["groups"] == []
    single = body["singles"][0]
    assert single["needed_minutes"] == 2550.0 and single["free_minutes"] == 6000.0
    assert single["score"] == {
        "capability": 1.0,
        "capacity": 0.57,
        "quality_margin": 0.5,
        "reliability": None,
        "cohesion": None,
        "total": 0.69,
    }
    member = single["members"][0]
    assert set(member) == MEMBER_FIELDS
    assert member["ref"] == "S1" and member["size_band"] == "micro"
    assert member["quality"] == {"low": 3, "high": 3}
    # The world's shortlists are anonymous among four (conftest): W1..W4 share every field shown.
    assert member["territory"] == "T1" and member["withheld"] == []
    assert body["anonymity"] == {"k": 4}
    assert "shortlist.anonymity" not in [m["key"] for m in body["note_messages"]]
    # each sentence also comes as a message (key and values) for the pages to show in their language
    assert len(single["why_messages"]) == len(single["why"]) > 0
    assert all(m["key"] in ENGLISH for m in single["why_messages"])
    assert len(body["note_messages"]) == len(body["notes"])
    assert not WORKSHOP_ID.search(r.text)
    assert "Owner Name" not in r.text


def test_coordinator_sees_refs_of_the_same_shortlist(world):
    created = _create(world).json()
    r = world.as_("coordinator", "GET", f"/shortlists/{created['shortlist_id']}")
    assert r.status_code == 200
    assert r.json()["refs"] == {"S1": ["W1"], "S2": ["W2"], "S3": ["W3"]}
    firm = world.as_("lead_firm", "GET", f"/shortlists/{created['shortlist_id']}")
    assert "refs" not in firm.json()
    assert {k: v for k, v in r.json().items() if k != "refs"} == firm.json()
    # The refs are stored apart from the body.
    with world.app.state.sessions() as session:
        row = session.get(ShortlistRow, created["shortlist_id"])
        assert row.refs == {"S1": ["W1"], "S2": ["W2"], "S3": ["W3"]}
        assert row.firm_id == "F1"
        assert not WORKSHOP_ID.search(str(row.body))


def test_same_input_same_shortlist_until_the_data_changes(world):
    first = _create(world)
    again = _create(world)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() == first.json()
    other_top = _create(world, top=2)
    assert other_top.status_code == 201
    assert other_top.json()["shortlist_id"] != first.json()["shortlist_id"]
    assert len(other_top.json()["singles"]) == 2
    # A change of the data (a workshop edited) makes a new shortlist; the old one is no longer current.
    r = world.as_("admin", "PATCH", "/workshops/W1", json={"quality": 2}, headers={"If-Match": "*"})
    assert r.status_code == 200, r.text
    fresh = _create(world)
    assert fresh.status_code == 201
    assert fresh.json()["shortlist_id"] != first.json()["shortlist_id"]
    assert fresh.json()["data_version"] > first.json()["data_version"]
    # W1 at quality 2: in T1 neither quality 3 (three workshops) nor 2 (one) fits four, so every
    # profile withholds its quality, scored as the order's minimum (margin 0): all four score
    # (1 + 0.575 + 0) / 3 = 0.525 and rank by id.
    assert [e["score"]["total"] for e in fresh.json()["singles"]] == [0.53, 0.53, 0.53]
    refs = world.as_("admin", "GET", f"/shortlists/{fresh.json()['shortlist_id']}").json()["refs"]
    assert refs == {"S1": ["W1"], "S2": ["W2"], "S3": ["W3"]}
    old = world.as_("lead_firm", "GET", f"/shortlists/{first.json()['shortlist_id']}").json()
    assert old["current"] is False
    with world.app.state.sessions() as session:
        audits = session.query(AuditEntry).filter_by(entity="shortlist").count()
    assert audits == 3  # one per shortlist made, none for the answers from the store


def test_scope(world):
    assert _create(world, "lead_firm2").status_code == 404
    assert _create(world, "coordinator2").status_code == 404
    assert _create(world, "municipality").status_code == 403
    assert _create(world, "coordinator").status_code == 201
    assert world.as_("lead_firm", "GET", "/shortlists/SL2").status_code == 404
    assert world.as_("coordinator", "GET", "/shortlists/SL2").status_code == 404
    assert world.as_("lead_firm", "GET", "/shortlists/nope").status_code == 404
    assert _create(world, order="NOPE").status_code == 404
    assert _create(world, top=0).status_code == 422


def test_list_of_an_order(world):
    made = _create(world).json()
    r = world.as_("lead_firm", "GET", "/orders/O1/shortlists")
    assert r.status_code == 200
    items = r.json()["items"]
    assert r.json()["total"] == 2
    # Newest first: the seeded SL1 was made with the world.
    assert [i["shortlist_id"] for i in items] == [made["shortlist_id"], "SL1"]
    assert items[0] == {
        "shortlist_id": made["shortlist_id"],
        "order_id": "O1",
        "top": 3,
        "data_version": made["data_version"],
        "current": True,
        "singles": 3,
        "groups": 0,
        "created_at": items[0]["created_at"],
    }
    assert items[1]["singles"] == 2 and items[1]["groups"] == 1
    assert world.as_("lead_firm2", "GET", "/orders/O1/shortlists").status_code == 404
    page = world.as_("admin", "GET", "/orders/O1/shortlists", params={"limit": 1, "offset": 1}).json()
    assert [i["shortlist_id"] for i in page["items"]] == ["SL1"] and page["total"] == 2


def test_groups_when_no_single_can_take_the_order(world):
    # 1,000 tshirts need 8,500 min: more than any one workshop's 6,000, within any two's 12,000.
    with world.app.state.sessions() as session:
        session.execute(update(OrderRow).where(OrderRow.order_id == "O1").values(quantity=1000))
        bump_data_version(session)
        session.commit()
    world.app.state.settings.shortlist_seconds = 10.0  # room to prove the best group on a busy machine
    r = _create(world, top=1)
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["singles"] == []
    assert "No single workshop can take the whole order alone." in body["notes"]
    (group,) = body["groups"]
    assert group["ref"] == "G1" and group["size"] == 2
    assert group["needed_minutes"] == 8500.0 and group["free_minutes"] == 12000.0
    # W1 (the only T1 workshop that can lead) with its kinship tie W2: cohesion 1,
    # capacity 1 − 8500/12000 = 0.2917, quality margin 0.5, total (1 + 0.2917 + 0.5 + 1)/4 = 0.6979 (0.7).
    assert group["score"]["cohesion"] == 1.0 and group["score"]["total"] == 0.7
    assert [m["ref"] for m in group["members"]] == ["G1-a", "G1-b"]
    assert all(set(m) == MEMBER_FIELDS for m in group["members"])
    assert not WORKSHOP_ID.search(r.text)
    refs = world.as_("admin", "GET", f"/shortlists/{body['shortlist_id']}").json()["refs"]
    assert sorted(refs["G1"]) == ["W1", "W2"]
    assert refs["G1"] == refs["G1-a"] + refs["G1-b"]
    # Two workshops of the eight can lead: the leader's mark would single W1 out, so no member
    # shows it, and the reasons say only that one member can lead.
    assert [m["leader"] for m in group["members"]] == [None, None]
    assert all("leader" in m["withheld"] for m in group["members"])
    assert "shortlist.group_leader_withheld" in [m["key"] for m in group["why_messages"]]


def test_coordinator_refs_stay_in_its_territories(world):
    # An order open to every territory shortlists workshops of T1 and T2; a coordinator of T1
    # sees the ids of T1's only.
    with world.app.state.sessions() as session:
        session.execute(update(OrderRow).where(OrderRow.order_id == "O1").values(territories=[]))
        bump_data_version(session)
        session.commit()
    response = _create(world, top=8)
    made = response.json()
    assert len(made["singles"]) == 8, response.text
    admin = world.as_("admin", "GET", f"/shortlists/{made['shortlist_id']}").json()["refs"]
    assert sorted(w for ids in admin.values() for w in ids) == [f"W{i}" for i in range(1, 9)]
    mine = world.as_("coordinator", "GET", f"/shortlists/{made['shortlist_id']}").json()["refs"]
    assert sorted(w for ids in mine.values() for w in ids) == ["W1", "W2", "W3", "W4"]
    assert all(admin[ref] == ids for ref, ids in mine.items())


def test_the_anonymity_setting_makes_its_own_shortlist(world):
    first = _create(world).json()
    world.app.state.settings.k_anonymity = 5  # the service's default
    stricter = _create(world)
    assert stricter.status_code == 201 and stricter.json()["shortlist_id"] != first["shortlist_id"]
    body = stricter.json()
    assert body["anonymity"] == {"k": 5}
    # Only four workshops can take O1 (those of T1): any entry would describe fewer than five.
    assert body["singles"] == [] and body["groups"] == []
    assert [m["key"] for m in body["note_messages"]] == ["shortlist.small_pool"]
    assert body["search"]["candidates"] == 0  # each can take it alone: no group was searched
    # Open to both territories (eight workshops), five may show: the territory (four each) is
    # withheld, and all eight share every other field.
    with world.app.state.sessions() as session:
        session.execute(update(OrderRow).where(OrderRow.order_id == "O1").values(territories=[]))
        bump_data_version(session)
        session.commit()
    opened = _create(world, top=8).json()
    assert len(opened["singles"]) == 8
    member = opened["singles"][0]["members"][0]
    assert member["territory"] is None and member["quality"] == {"low": 3, "high": 3}


def test_an_anonymity_below_five_is_refused():
    with pytest.raises(ValidationError, match="greater than or equal to 5"):
        Settings(demo=True, k_anonymity=4)
