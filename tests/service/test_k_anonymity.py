"""Every workshop profile a lead firm can see through the service fits at least k workshops.

Two worlds, each on SQLite and on PostgreSQL: the bundled sample (377 workshops, five lead firms,
ten orders) and a generated cluster of 2,000 workshops with three orders. In each, every lead firm
shortlists each of its orders (computed and stored), then calls every route its role may call —
taken from the app's route table, as :mod:`tests.service.test_privacy` does, so a route added
later is called too — with its own ids, and a few calls that fail: another firm's shortlist, a
reference the shortlist has not, a group's reference, a ``top`` out of range, an order of another
firm.

Every answer is searched for profiles: every JSON object with a ``ref`` and a ``territory``. Each
must be a member of a shortlist entry, and each is counted against the cluster on every field it
shows (:func:`tests.test_privacy.fitting`, written apart from the library): none may fit fewer
than k workshops. Answers that are not JSON (the pages, the static files) must name no workshop.
"""

from __future__ import annotations

import json
import re
import string
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from fastapi.testclient import TestClient

from matcher.model import Cluster, Contact
from matcher.privacy import DEFAULT_K
from matcher_service.app import create_app
from matcher_service.dataset import apply_dataset
from matcher_service.models import ApiKey, User
from matcher_service.security import token_digest
from tests.service.conftest import SECRET, empty_database, make_settings
from tests.service.test_privacy import lead_firm_routes
from tests.test_privacy import fitting

ROUTES = lead_firm_routes()


@dataclass
class Firm:
    """A lead firm of the world: its account's key and its orders."""

    firm_id: str
    key: str
    orders: list[str]
    shortlists: list[str] = field(default_factory=list)


@dataclass
class AnonymityWorld:
    client: TestClient
    cluster: Cluster
    firms: list[Firm]

    def call(self, firm: Firm, method: str, url: str, **kw):
        headers = {"X-API-Key": firm.key, **kw.pop("headers", {})}
        return self.client.request(method, url, headers=headers, **kw)


def _sample() -> tuple[Cluster, tuple[Contact, ...]]:
    from matcher.io import load_contacts
    from matcher.sample import SAMPLE_DIR, load_sample

    cluster, _ = load_sample()
    return cluster, tuple(load_contacts(SAMPLE_DIR))


def _generated() -> tuple[Cluster, tuple[Contact, ...]]:
    from matcher.synthetic import generate_cluster

    return generate_cluster(2000, 3, seed=7)


WORLDS = {"sample": _sample, "generated": _generated}


@pytest.fixture(params=sorted(WORLDS))
def anonymity_world(request, database_url) -> Iterator[AnonymityWorld]:
    cluster, contacts = WORLDS[request.param]()
    app = create_app(make_settings(database_url))
    with TestClient(app, raise_server_exceptions=False) as client:
        empty_database(app)  # the PostgreSQL database is shared by the run's tests
        firms = []
        with app.state.sessions() as session:
            apply_dataset(session, cluster, contacts)
            for firm in cluster.lead_firms:
                orders = sorted(o.order_id for o in cluster.orders if o.firm_id == firm.firm_id)
                user = User(username=f"firm-{firm.firm_id}", role="lead_firm", firm_id=firm.firm_id)
                session.add(user)
                session.flush()
                key = f"mk_test_firm_{firm.firm_id}"
                digest = token_digest(key, SECRET)
                session.add(ApiKey(digest=digest, prefix=key[:8], name="test", user_id=user.user_id))
                firms.append(Firm(firm.firm_id, key, orders))
            session.commit()
        yield AnonymityWorld(client, cluster, [f for f in firms if f.orders])
        empty_database(app)


def _params(path: str) -> list[str]:
    return [name for _, name, _, _ in string.Formatter().parse(path) if name]


def _shortlists(world: AnonymityWorld, firm: Firm) -> list[Any]:
    """``firm`` shortlists each of its orders (computed and stored)."""
    answers = []
    for order_id in firm.orders:
        made = world.call(firm, "POST", f"/orders/{order_id}/shortlists", params={"top": 5})
        assert made.status_code == 201, made.text
        firm.shortlists.append(made.json()["shortlist_id"])
        answers.append(made)
    return answers


def _calls(world: AnonymityWorld, firm: Firm, other: Firm | None) -> list[Any]:
    """Every answer ``firm`` gets from every lead-firm route, and from calls that fail."""
    answers = []
    shortlist_id = firm.shortlists[0]
    asked = world.call(firm, "POST", f"/shortlists/{shortlist_id}/contact-requests", json={"ref": "S1"})
    spare_key = world.call(firm, "POST", "/me/api-keys", json={"name": "spare"}).json()["key_id"]
    spare_order = f"K-{firm.firm_id}"
    product = world.cluster.order(firm.orders[0]).product
    created = world.call(
        firm,
        "POST",
        "/orders",
        json={"order_id": spare_order, "product": product, "quantity": 100, "due_weeks": 4},
    )
    assert created.status_code == 201, created.text
    answers += [asked, created]
    fill = {
        "order_id": firm.orders[0],
        "firm_id": firm.firm_id,
        "shortlist_id": shortlist_id,
        "workshop_id": world.cluster.workshops[0].workshop_id,
        "release_id": asked.json().get("release_id", 0),
        "key_id": spare_key,
        "name": "app.js",
    }
    bodies: dict[tuple[str, str], dict[str, Any]] = {
        ("POST", "/auth/token"): {"data": {"username": f"firm-{firm.firm_id}", "password": "not it"}},
        ("POST", "/me/api-keys"): {"json": {"name": "anonymity check"}},
        ("POST", "/orders/{order_id}/shortlists"): {"params": {"top": 3}},
        ("POST", "/shortlists/{shortlist_id}/contact-requests"): {"json": {"ref": "S2"}},
        ("PATCH", "/lead-firms/{firm_id}"): {"json": {"name": "renamed"}, "headers": {"If-Match": "*"}},
        ("POST", "/orders"): {
            "json": {"order_id": f"{spare_order}-2", "product": product, "quantity": 50, "due_weeks": 2}
        },
        ("PATCH", "/orders/{order_id}"): {"json": {"quantity": 120}, "headers": {"If-Match": "*"}},
        ("DELETE", "/orders/{order_id}"): {"headers": {"If-Match": "*"}},
    }
    for method, path, _ in ROUTES:
        if path == "/auth/logout":
            continue  # it would end the key's session for the calls after it
        values = dict(fill)
        if method in ("PATCH", "DELETE") and path == "/orders/{order_id}":
            values["order_id"] = spare_order  # changes and removes the spare order, not a shortlisted one
        url = path.format(**{name: values[name] for name in _params(path)})
        r = world.call(firm, method, url, **bodies.get((method, path), {}))
        assert r.status_code < 500, f"{method} {url}: {r.text[:200]}"
        answers.append(r)
    # Calls that fail, whose answers must not describe a workshop either.
    failing = [
        ("POST", f"/shortlists/{shortlist_id}/contact-requests", {"json": {"ref": "S99"}}, 422),
        ("POST", f"/shortlists/{shortlist_id}/contact-requests", {"json": {"ref": "G1"}}, None),
        ("POST", f"/orders/{firm.orders[0]}/shortlists", {"params": {"top": 0}}, 422),
        ("GET", "/shortlists/sl-none", {}, 404),
    ]
    if other is not None:
        failing += [
            ("GET", f"/shortlists/{other.shortlists[0]}", {}, 404),
            ("POST", f"/orders/{other.orders[0]}/shortlists", {}, 404),
        ]
    for method, url, kw, status in failing:
        r = world.call(firm, method, url, **kw)
        assert r.status_code < 500 and (status is None or r.status_code == status), (
            f"{method} {url}: {r.text}"
        )
        answers.append(r)
    return answers


def _objects(data: Any) -> Iterator[dict]:
    """Every JSON object in ``data``, depth first."""
    if isinstance(data, dict):
        yield data
        for value in data.values():
            yield from _objects(value)
    elif isinstance(data, list):
        for value in data:
            yield from _objects(value)


def _check(world: AnonymityWorld, answers: list[Any], k: int) -> tuple[int, int]:
    """(profiles checked, fewest workshops one fits); every profile found must be counted."""
    ids = re.compile(r"\b(?:" + "|".join(re.escape(w.workshop_id) for w in world.cluster.workshops) + r")\b")
    checked, fewest = 0, len(world.cluster.workshops)
    for r in answers:
        try:
            data = r.json()
        except ValueError:
            assert not ids.search(r.text), f"{r.request.url} names a workshop"
            continue
        found = [o for o in _objects(data) if "ref" in o and "territory" in o]
        counted = 0
        for body in (o for o in _objects(data) if {"order", "singles", "groups"} <= set(o)):
            order = world.cluster.order(body["order"]["order_id"])
            assert body["anonymity"] == {"k": k}
            for entry in body["singles"] + body["groups"]:
                for member in entry["members"]:
                    fits = fitting(world.cluster, order, member, entry["kind"] == "single")
                    assert fits >= k, (r.request.url, member, fits)
                    checked, fewest, counted = checked + 1, min(fewest, fits), counted + 1
        assert counted == len(found), f"{r.request.url}: a profile outside a shortlist entry"
        assert not ids.search(json.dumps(data)), f"{r.request.url} names a workshop"
    return checked, fewest


def test_no_lead_firm_sees_a_profile_that_fits_fewer_than_k_workshops(anonymity_world):
    world = anonymity_world
    answers = [r for firm in world.firms for r in _shortlists(world, firm)]
    # Every route for two firms (the second also asks for the first's): each changes the data
    # (an order added, changed, removed), so each firm after them would wait for a new snapshot.
    for i, firm in enumerate(world.firms[:2]):
        answers += _calls(world, firm, world.firms[i - 1] if i else None)
    checked, fewest = _check(world, answers, DEFAULT_K)
    print(f"{len(world.cluster.workshops)} workshops: {checked} profiles checked, the fewest fit {fewest}")
    assert checked >= 10 and fewest >= DEFAULT_K
