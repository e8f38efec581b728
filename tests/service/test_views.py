"""The data behind the pages (``/views/...``) and the page shells (``/ui/...``)."""

from __future__ import annotations

import gzip
import json
import threading
import time

from starlette.requests import Request

from matcher import views
from matcher_service.cache import LruCache
from matcher_service.models import Job
from matcher_service.reading import for_people
from matcher_service.routes.views import _json
from tests.service.conftest import NAMES, tiny_cluster
from tests.service.test_jobs import wait_for

QUICK = {"time_limit": 5, "explain_seconds": 0}


def _no_private_data(text: str) -> None:
    assert not any(name in text for name in NAMES.values())
    assert "Calle Falsa" not in text and "+598" not in text


def test_network_view_is_the_library_view_of_the_callers_scope(world):
    cluster, _contacts = tiny_cluster()
    for who, members in (
        ("coordinator", ["W1", "W2", "W3", "W4"]),
        ("association_leader", ["W1", "W2", "W3", "W4"]),
        ("admin", [f"W{i}" for i in range(1, 9)]),
    ):
        r = world.as_(who, "GET", "/views/network")
        assert r.status_code == 200, r.text
        view = r.json()
        assert view["nodes"]["id"] == members
        scope = None if who == "admin" else members
        assert view == json.loads(json.dumps(for_people(views.network_view(cluster, workshops=scope))))
        _no_private_data(r.text)


def test_network_view_options_and_their_checks(world):
    r = world.as_("coordinator", "GET", "/views/network", params={"collapse_above": 2})
    assert r.status_code == 200 and r.json()["collapsed"] is True
    r = world.as_("coordinator", "GET", "/views/network", params={"collapse_above": -1})
    assert r.status_code == 422 and "collapse_above" in r.text
    assert world.as_("lead_firm", "GET", "/views/network").status_code == 403
    assert world.as_("anyone", "GET", "/views/network").status_code == 401


def test_dashboard_keeps_small_territories_off_the_map(world):
    r = world.as_("coordinator", "GET", "/views/dashboard")
    assert r.status_code == 200, r.text
    view = r.json()
    assert view["workshops"] == 4
    # four workshops in T1 have coordinates: too few for a published centroid
    assert view["territories"] == []
    assert [o["order_id"] for o in view["orders"]] == ["O1"]
    assert view["orders"][0]["status"] == "not matched"
    _no_private_data(r.text)
    # an association leader sees the members' capacity but no orders
    leader = world.as_("association_leader", "GET", "/views/dashboard").json()
    assert leader["workshops"] == 4 and leader["orders"] == []


def test_proposal_after_a_matching_run(world):
    r = world.as_("coordinator", "GET", "/views/orders/O1/proposal")
    assert r.status_code == 404 and r.json()["error"]["message"] == (
        "order O1 has no proposal yet: no finished matching run includes it; match it first"
    )
    job = world.as_("coordinator", "POST", "/jobs/match", json={"order_ids": ["O1"], "options": QUICK}).json()
    done = wait_for(world, "coordinator", job["job_id"])
    assert done["status"] == "done", done
    r = world.as_("coordinator", "GET", "/views/orders/O1/proposal")
    assert r.status_code == 200, r.text
    view = r.json()
    assert view["job_id"] == job["job_id"]
    assert view["order"]["order_id"] == "O1"
    with world.app.state.sessions() as session:
        stored = session.get(Job, job["job_id"]).result  # as computed, before the answer rounds it
    expected = {**views.proposal_view(tiny_cluster()[0], stored, "O1"), "job_id": job["job_id"]}
    assert view == json.loads(json.dumps(for_people(expected)))
    assert {m["workshop_id"] for m in view["members"]} <= {"W1", "W2", "W3", "W4"}
    _no_private_data(r.text)
    # the run includes O1 only; another coordinator sees neither the run nor the order
    assert world.as_("coordinator", "GET", "/views/orders/O2/proposal").status_code == 404
    assert world.as_("coordinator2", "GET", "/views/orders/O1/proposal").status_code == 404
    missing = world.as_("coordinator", "GET", "/views/orders/O1/proposal", params={"job_id": "J9"})
    assert missing.status_code == 404
    # the dashboard now reports the order's status in that run
    orders = world.as_("coordinator", "GET", "/views/dashboard").json()["orders"]
    assert orders[0]["status"] == done["result"]["orders"][0]["status"]


def test_page_shells(world):
    r = world.as_("anyone", "GET", "/", follow_redirects=False)
    assert r.status_code == 307 and r.headers["location"] == "/ui"
    for path in ("/ui", "/ui/login", "/ui/network", "/ui/dashboard", "/ui/orders/O1/proposal"):
        r = world.as_("anyone", "GET", path)
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/html"), path
        assert "script-src 'self'" in r.headers["content-security-policy"]
        assert 'src="/ui/static/app.js"' in r.text and "cdn" not in r.text.lower()
        if path not in ("/ui", "/ui/login"):  # pages that draw
            assert 'src="/ui/static/plotly.min.js"' in r.text
        assert '<html lang="es"' in r.text
    assert '<html lang="en"' in world.as_("anyone", "GET", "/ui/network", params={"lang": "en"}).text
    # an unknown language falls back to Spanish rather than failing the page
    assert '<html lang="es"' in world.as_("anyone", "GET", "/ui/network", params={"lang": "xx"}).text
    # the page's view options reach its data route
    page = world.as_("anyone", "GET", "/ui/network", params={"collapse_above": 5}).text
    assert "/views/network?collapse_above=5" in page
    # order ids are quoted into the data routes
    assert (
        "/views/orders/O%26%201/proposal" in world.as_("anyone", "GET", "/ui/orders/O%26%201/proposal").text
    )


def test_static_files_are_served_from_the_packages(world):
    r = world.as_("anyone", "GET", "/ui/static/plotly.min.js", headers={"Accept-Encoding": "gzip"})
    assert r.status_code == 200 and "javascript" in r.headers["content-type"]
    assert r.headers["content-encoding"] == "gzip"
    assert r.content.startswith(b"/**") and b"plotly.js" in r.content[:200]  # the client undid the gzip
    again = world.as_(
        "anyone", "GET", "/ui/static/plotly.min.js", headers={"If-None-Match": r.headers["etag"]}
    )
    assert again.status_code == 304
    raw = world.as_("anyone", "GET", "/ui/static/app.css", headers={"Accept-Encoding": "identity"})
    assert raw.status_code == 200 and "content-encoding" not in raw.headers
    for bad in ("nope.js", "..%2Fmodel.py", "%2E%2E"):
        r = world.as_("anyone", "GET", f"/ui/static/{bad}")
        assert r.status_code == 404, bad
        assert "Traceback" not in r.text


def test_large_views_are_compressed_for_clients_that_accept_it():
    payload = {"x": list(range(5000))}

    def request(*headers: tuple[bytes, bytes]) -> Request:
        return Request({"type": "http", "headers": list(headers)})

    r = _json(request((b"accept-encoding", b"gzip, br")), payload)
    assert r.headers["content-encoding"] == "gzip" and r.headers["vary"] == "Accept-Encoding"
    assert json.loads(gzip.decompress(r.body)) == payload
    assert "content-encoding" not in _json(request((b"accept-encoding", b"gzip")), {"a": 1}).headers
    plain = _json(request(), payload)
    assert "content-encoding" not in plain.headers and json.loads(plain.body) == payload


def test_a_view_is_built_once_when_asked_twice_at_the_same_time():
    cache = LruCache(size=2)
    calls = []

    def build():
        calls.append(1)
        time.sleep(0.2)
        return {"built": len(calls)}

    threads = [threading.Thread(target=cache.get, args=(("k",), build)) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert calls == [1] and cache.get(("k",), build) == {"built": 1}
    # the oldest view leaves when the cache is full
    cache.get(("a",), lambda: 1)
    cache.get(("b",), lambda: 2)
    assert cache.get(("k",), lambda: "again") == "again"
