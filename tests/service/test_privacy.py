"""No route a lead firm may call discloses a workshop whose contact was not released to it.

The routes are taken from the app's route table (every route whose declared roles include
``lead_firm`` or ``anyone``), so a route added later is checked without being listed here.
Each path parameter is filled by its name (:data:`PARAMS`): a lead-firm route with a parameter
this test cannot fill fails :func:`test_every_lead_firm_route_has_a_recipe` until a filler is
added. Routes that need a body, a query or a special answer have a :class:`Recipe`.

Two scenes, each on a fresh world (the seeded shortlists and requests removed first):

- ``shortlist``: F1 shortlisted order O1 (S1..S3 are W1..W3) and asked for S1's contact;
- ``released``: the same, and the municipality of T1 released W1's contact to F1.

In every answer (body and headers) to F1, the owner names, phones, addresses and latitudes
of the workshops not released to it must not appear, nor their ids (W2..W8, or W1..W8 in the
``shortlist`` scene). All workshops share one longitude, so it is checked only in the
``shortlist`` scene, where no contact is released.
"""

from __future__ import annotations

import json
import re
import string
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from sqlalchemy import delete

from matcher_service.app import api_routes, create_app
from matcher_service.auth import route_roles
from matcher_service.models import ContactRelease, ShortlistRow
from tests.service.conftest import make_settings, tiny_cluster

LEAD_FIRM_ROLES = frozenset({"lead_firm", "anyone"})


@dataclass
class Scene:
    """What exists when the routes are called."""

    shortlist_id: str
    release_id: int
    released: str | None  # the workshop whose contact F1 may read
    spare_key: int  # an API key of F1's account that may be deleted


#: How to fill each path parameter, by its name, for the lead firm F1.
PARAMS: dict[str, Callable[[Scene], Any]] = {
    "workshop_id": lambda s: s.released or "W1",
    "order_id": lambda s: "O1",
    "firm_id": lambda s: "F1",
    "shortlist_id": lambda s: s.shortlist_id,
    "release_id": lambda s: s.release_id,
    "key_id": lambda s: s.spare_key,
    "name": lambda s: "app.js",  # a static file of the pages
}


@dataclass
class Recipe:
    """How to call one route: body (JSON or form), query, headers and the status to expect.

    Without ``status`` a read must succeed (2xx) and a write must not fail unexpectedly (5xx).
    """

    json: Any = None
    data: dict[str, str] | None = None
    query: dict[str, Any] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)
    status: Callable[[Scene], int] | None = None


RECIPES: dict[tuple[str, str], Recipe] = {
    ("POST", "/auth/token"): Recipe(
        data={"username": "lead_firm", "password": "not it"}, status=lambda s: 401
    ),
    ("POST", "/me/api-keys"): Recipe(json={"name": "privacy check"}),
    ("GET", "/workshops/{workshop_id}/contact"): Recipe(status=lambda s: 200 if s.released else 404),
    ("POST", "/orders/{order_id}/shortlists"): Recipe(query={"top": 3}),
    ("POST", "/shortlists/{shortlist_id}/contact-requests"): Recipe(
        json={"ref": "S2", "message": "privacy check"}, status=lambda s: 201
    ),
    ("PATCH", "/lead-firms/{firm_id}"): Recipe(
        json={"name": "Firm One renamed (synthetic)"}, headers={"If-Match": "*"}
    ),
    ("POST", "/orders"): Recipe(
        json={"order_id": "O9", "product": "tshirt", "quantity": 100, "due_weeks": 2.0, "firm_id": "F1"}
    ),
    ("PATCH", "/orders/{order_id}"): Recipe(json={"quantity": 310}, headers={"If-Match": "*"}),
    ("DELETE", "/orders/{order_id}"): Recipe(headers={"If-Match": "*"}),
    ("GET", "/docs/static/{name}"): Recipe(status=lambda s: 404),  # app.js is the pages', not the docs'
}


def lead_firm_routes() -> list[tuple[str, str, Any]]:
    """(method, path, route) of every route a lead firm may call, reads first and sign-out last."""
    app = create_app(make_settings("sqlite://"))
    found = [
        (method, route.path, route)
        for route in api_routes(app)
        if (route_roles(route) or frozenset()) & LEAD_FIRM_ROLES
        for method in sorted(route.methods)
    ]
    rank = {"GET": 0, "POST": 1, "PUT": 1, "PATCH": 1, "DELETE": 2}
    return sorted(found, key=lambda r: (r[1] == "/auth/logout", rank.get(r[0], 1), r[1]))


ROUTES = lead_firm_routes()


def _path_params(path: str) -> list[str]:
    return [name for _, name, _, _ in string.Formatter().parse(path) if name]


def test_every_lead_firm_route_has_a_recipe():
    missing = [
        f"{method} {path}: no filler for {{{name}}} (add it to PARAMS)"
        for method, path, _ in ROUTES
        for name in _path_params(path)
        if name not in PARAMS
    ]
    assert not missing, "\n".join(missing)
    stale = sorted(set(RECIPES) - {(m, p) for m, p, _ in ROUTES})
    assert not stale, f"recipes for routes a lead firm cannot call (remove them): {stale}"
    # The routes of this test's own subject are among them.
    assert {("GET", "/shortlists/{shortlist_id}"), ("GET", "/contact-requests")} <= {
        (m, p) for m, p, _ in ROUTES
    }


def _private(released: str | None) -> tuple[list[str], re.Pattern[str]]:
    """The private strings of every workshop not released to F1, and a pattern of their ids."""
    _, contacts = tiny_cluster()
    hidden = [c for c in contacts if c.workshop_id != released]
    strings = []
    for c in hidden:
        strings += [c.owner_name, c.phone, c.address, json.dumps(c.lat)]
        if released is None:
            strings.append(json.dumps(c.lon))
    ids = "|".join(re.escape(c.workshop_id) for c in hidden)
    return strings, re.compile(rf"\b(?:{ids})\b")


def _scene(world, release: bool) -> Scene:
    with world.app.state.sessions() as session:
        session.execute(delete(ContactRelease))
        session.execute(delete(ShortlistRow))
        session.commit()
    made = world.as_("lead_firm", "POST", "/orders/O1/shortlists", params={"top": 3})
    assert made.status_code == 201, made.text
    asked = world.as_(
        "lead_firm", "POST", f"/shortlists/{made.json()['shortlist_id']}/contact-requests", json={"ref": "S1"}
    )
    assert asked.status_code == 201, asked.text
    refs = world.as_("coordinator", "GET", f"/shortlists/{made.json()['shortlist_id']}").json()["refs"]
    assert refs["S1"] == ["W1"]
    if release:
        decided = world.as_(
            "municipality",
            "POST",
            f"/contact-requests/{asked.json()['release_id']}/decision",
            json={"release": True},
        )
        assert decided.status_code == 200, decided.text
    key = world.as_("lead_firm", "POST", "/me/api-keys", json={"name": "spare"})
    assert key.status_code == 201, key.text
    return Scene(
        made.json()["shortlist_id"],
        asked.json()["release_id"],
        "W1" if release else None,
        key.json()["key_id"],
    )


@pytest.mark.parametrize("release", [False, True], ids=["shortlist", "released"])
def test_lead_firm_routes_disclose_nothing_unreleased(world, release):
    scene = _scene(world, release)
    strings, ids = _private(scene.released)
    problems, seen = [], []
    for method, path, _ in ROUTES:
        recipe = RECIPES.get((method, path), Recipe())
        url = path.format(**{name: PARAMS[name](scene) for name in _path_params(path)})
        kwargs: dict[str, Any] = {"headers": dict(recipe.headers), "params": recipe.query}
        if recipe.json is not None:
            kwargs["json"] = recipe.json
        if recipe.data is not None:
            kwargs["data"] = recipe.data
        r = world.as_("lead_firm", method, url, **kwargs)
        where = f"{method} {url} ({r.status_code})"
        if recipe.status is not None:
            if r.status_code != recipe.status(scene):
                problems.append(f"{where}: expected {recipe.status(scene)}: {r.text[:200]}")
        elif method == "GET" and not 200 <= r.status_code < 300:
            problems.append(f"{where}: a read must succeed to be checked (give it a Recipe): {r.text[:200]}")
        elif r.status_code >= 500:
            problems.append(f"{where}: {r.text[:200]}")
        text = r.text + json.dumps(dict(r.headers))
        seen.append(text)
        problems += [f"{where}: discloses {s!r}" for s in strings if s in text]
        problems += [f"{where}: discloses workshop id {m}" for m in sorted(set(ids.findall(text)))]
    assert not problems, "\n".join(problems)
    # The check can see a contact: with W1 released, F1 does read it.
    assert any("Owner Name 1" in text for text in seen) == release
