"""Security headers on every answer, API docs served from this origin, open routes ignoring credentials."""

from __future__ import annotations

import base64
import hashlib
import re
from datetime import UTC, datetime, timedelta

from sqlalchemy import update

from matcher_service.models import Token
from tests.service.conftest import PASSWORD


def _every_answer_is_guarded(r) -> None:
    assert r.headers["X-Content-Type-Options"] == "nosniff", r.url
    assert r.headers["X-Frame-Options"] == "DENY", r.url


def test_json_answers_carry_nosniff_and_deny_framing(world):
    answers = [
        world.as_("anyone", "GET", "/health"),
        world.as_("coordinator", "GET", "/workshops"),
        world.as_("anyone", "GET", "/workshops"),  # 401
        world.as_("lead_firm", "DELETE", "/workshops/W1"),  # 403
        world.as_("anyone", "GET", "/no/such/address"),  # 404
        world.as_("coordinator", "GET", "/workshops?limit=abc"),  # 422
        world.as_("anyone", "GET", "/openapi.json"),
        world.as_("anyone", "GET", "/ui/static/app.css"),
    ]
    assert [r.status_code for r in answers] == [200, 200, 401, 403, 404, 422, 200, 200]
    for r in answers:
        _every_answer_is_guarded(r)
        assert "text/html" not in r.headers["content-type"]


def test_every_html_answer_has_a_policy(world):
    for url in ("/ui", "/ui/login", "/docs", "/redoc", "/docs/oauth2-redirect"):
        r = world.as_("anyone", "GET", url)
        assert r.status_code == 200, url
        assert r.headers["content-type"].startswith("text/html")
        _every_answer_is_guarded(r)
        policy = r.headers["Content-Security-Policy"]
        assert "frame-ancestors 'none'" in policy
        assert "http" not in policy and "*" not in policy, policy  # no other origin is allowed


def _inline_hashes(html: str) -> set[str]:
    return {
        "'sha256-" + base64.b64encode(hashlib.sha256(s.encode()).digest()).decode() + "'"
        for s in re.findall(r"<script>(.*?)</script>", html, re.DOTALL)
    }


def test_docs_load_everything_from_this_origin(world):
    for url, assets in (
        ("/docs", {"/docs/static/swagger-ui-bundle.js", "/docs/static/swagger-ui.css"}),
        ("/redoc", {"/docs/static/redoc.standalone.js"}),
    ):
        r = world.as_("anyone", "GET", url)
        html = r.text
        assert "http:" not in html and "https:" not in html, url  # no CDN, no Google fonts
        linked = set(re.findall(r'(?:src|href)="([^"]+)"', html))
        assert assets <= linked, linked
        assert all(link.startswith("/docs/static/") for link in linked), linked
        policy = r.headers["Content-Security-Policy"]
        script_src = re.search(r"script-src ([^;]+)", policy).group(1).split()
        assert set(script_src) == {"'self'", *_inline_hashes(html)}
        assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src
        for asset in assets:
            a = world.as_("anyone", "GET", asset)
            assert a.status_code == 200 and len(a.content) > 100_000, asset
            _every_answer_is_guarded(a)
    assert world.as_("anyone", "GET", "/docs/static/../../secrets").status_code == 404
    assert world.as_("anyone", "GET", "/docs/static/index.html").status_code == 404
    js = world.as_("anyone", "GET", "/docs/static/swagger-ui-bundle.js", headers={"Accept-Encoding": "gzip"})
    assert "javascript" in js.headers["content-type"]
    assert js.headers["Content-Encoding"] == "gzip"


def test_docs_are_not_api_operations(world):
    paths = world.as_("anyone", "GET", "/openapi.json").json()["paths"]
    assert not [p for p in paths if p.startswith(("/docs", "/redoc"))]


def _expired_token(world) -> str:
    r = world.client.post("/auth/token", data={"username": "admin", "password": PASSWORD})
    token = r.json()["access_token"]
    with world.app.state.sessions() as session:
        session.execute(update(Token).values(expires_at=datetime.now(UTC) - timedelta(minutes=1)))
        session.commit()
    cache = getattr(world.app.state, "credentials", None)
    if cache is not None:
        cache.clear()
    return token


def test_open_routes_ignore_expired_or_malformed_credentials(world):
    expired = {"Authorization": f"Bearer {_expired_token(world)}"}
    assert world.client.get("/me", headers=expired).status_code == 401  # a guarded route still says so
    for headers in (
        expired,
        {"Authorization": "Basic YWRtaW46YWRtaW4="},
        {"Authorization": "Bearer"},
        {"X-API-Key": "mk_no_such_key"},
    ):
        for url in ("/health", "/public/summary", "/ui", "/docs"):
            r = world.client.get(url, headers=headers)
            assert r.status_code == 200, (url, headers, r.text)
    r = world.client.post("/auth/token", data={"username": "admin", "password": PASSWORD}, headers=expired)
    assert r.status_code == 200
