"""Contacts and contact releases (objects seeded in the test world, see ``conftest.seeded_releases``)."""

from tests.service.matrix import OWN, WORKSHOP, Case, ids

workshop = ids(WORKSHOP)
# A lead firm reads only contacts released to it: W2 is released to F1, W6 to F2 (not to F1).
readable = ids({**WORKSHOP, "lead_firm": ("W2", "W6")})
# Shortlists SL1 (F1, T1) and SL2 (F2, T2); requests 3 (W3, T1) and 4 (W7, T2) are open.
shortlist = ids(dict.fromkeys(WORKSHOP, ("SL1", "SL2")))
release = ids(dict.fromkeys(WORKSHOP, (3, 4)), missing=999)

CONTACT = {"owner_name": "Someone (synthetic)", "phone": "+598 99 123 456", "address": "Calle 1"}

CASES = [
    Case(
        "GET",
        "/workshops/{workshop_id}/contact",
        {"municipality", "lead_firm"},
        params=lambda r, w: {"workshop_id": readable(r, w)},
    ),
    Case(
        "PUT",
        "/workshops/{workshop_id}/contact",
        {"coordinator"},
        params=lambda r, w: {"workshop_id": workshop(r, w)},
        body=lambda r, w: CONTACT,
        headers={"If-Match": "*"},
    ),
    Case("GET", "/municipality/contacts", {"municipality"}, contexts=(OWN,)),
    Case(
        "POST",
        "/shortlists/{shortlist_id}/contact-requests",
        {"lead_firm"},
        params=lambda r, w: {"shortlist_id": shortlist(r, w)},
        body=lambda r, w: {"ref": "S1", "message": "we would like to talk"},
        ok=201,
    ),
    Case("GET", "/contact-requests", {"lead_firm", "municipality"}, contexts=(OWN,)),
    Case(
        "POST",
        "/contact-requests/{release_id}/decision",
        {"municipality"},
        params=lambda r, w: {"release_id": release(r, w)},
        body=lambda r, w: {"release": True, "note": "agreed by phone"},
    ),
]
