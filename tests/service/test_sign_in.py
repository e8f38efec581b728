"""Sign-in that cannot be turned against the user; revocation seen by every process at once;
no API key outlives the key that made it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from matcher_service.app import create_app
from matcher_service.models import LoginFailures
from matcher_service.security import client_address, trusted_networks
from tests.service.conftest import KEYS, PASSWORD, make_settings, reset_database

ATTACKER, USER, OTHER = ("198.51.100.7", 40000), ("203.0.113.20", 40000), ("192.0.2.30", 40000)


def _sign_in(client: TestClient, password: str = PASSWORD, username: str = "admin", **kw):
    return client.post("/auth/token", data={"username": username, "password": password}, **kw)


@pytest.fixture
def app_of(database_url) -> Iterator:
    """``app_of(**settings)``: an app on the world's database (the first one made runs its start-up)."""
    started: list[TestClient] = []
    apps: list = []

    def make(**overrides):
        app = create_app(make_settings(database_url, **overrides))
        if not started:
            started.append(TestClient(app, raise_server_exceptions=False).__enter__())
            reset_database(app)
        apps.append(app)
        return app

    yield make
    for client in started:
        client.__exit__(None, None, None)
    for app in apps:
        app.state.engine.dispose()


def _from(app, address: tuple[str, int]) -> TestClient:
    """A client of ``app`` whose connections come from ``address``."""
    return TestClient(app, raise_server_exceptions=False, client=address)


# ---------------------------------------------------------------- throttling


def test_failures_from_one_address_never_lock_the_user_out_at_another(app_of):
    app = app_of()
    attacker, user = _from(app, ATTACKER), _from(app, USER)
    assert [_sign_in(attacker, "wrong").status_code for _ in range(5)] == [401] * 5
    refused = _sign_in(attacker, "wrong")
    assert refused.status_code == 429 and 295 <= int(refused.headers["Retry-After"]) <= 301
    assert _sign_in(attacker).status_code == 429  # the right password too, from there
    for _ in range(3):  # a forged X-Forwarded-For from an address not trusted changes nothing
        assert _sign_in(attacker, headers={"X-Forwarded-For": "192.0.2.99"}).status_code == 429
    assert _sign_in(user).status_code == 200
    assert _sign_in(user, "wrong").status_code == 401  # the user's own count starts at one


def test_every_process_sees_the_failures(app_of):
    first, second = app_of(), app_of()
    for _ in range(5):
        assert _sign_in(_from(first, ATTACKER), "wrong").status_code == 401
    assert _sign_in(_from(second, ATTACKER)).status_code == 429
    assert _sign_in(_from(second, USER)).status_code == 200


def test_one_address_trying_many_user_names_is_stopped(app_of):
    app = app_of(login_address_attempts=3)
    attacker = _from(app, ATTACKER)
    assert [_sign_in(attacker, "x", username=f"user{i}").status_code for i in range(4)] == [401] * 3 + [429]
    assert _sign_in(attacker).status_code == 429  # any user name from there
    assert _sign_in(_from(app, USER)).status_code == 200


def test_many_addresses_failing_for_one_user_slow_down_only_the_addresses_that_failed(app_of):
    app = app_of(login_user_attempts=4, login_slowdown_seconds=30)
    failed = [_from(app, (f"198.51.100.{i}", 1)) for i in range(1, 5)]
    assert [_sign_in(c, "wrong").status_code for c in failed] == [401] * 4
    held = _sign_in(failed[0])
    assert held.status_code == 429 and 1 <= int(held.headers["Retry-After"]) <= 31
    assert _sign_in(_from(app, USER)).status_code == 200  # an address that never failed
    fresh = _from(app, OTHER)
    assert [_sign_in(fresh, "wrong").status_code, _sign_in(fresh, "wrong").status_code] == [401, 429]


def test_an_ipv6_client_counts_as_its_64_network(app_of):
    app = app_of()
    for host in ("2001:db8::1", "2001:db8::2", "2001:db8::3", "2001:db8::4", "2001:db8::5"):
        assert _sign_in(_from(app, (host, 1)), "wrong").status_code == 401
    assert _sign_in(_from(app, ("2001:db8::ffff", 1))).status_code == 429
    assert _sign_in(_from(app, ("2001:db8:0:1::1", 1))).status_code == 200


def test_x_forwarded_for_is_read_from_trusted_proxies_only(app_of):
    app = app_of(trusted_proxies=f"{ATTACKER[0]}/32")
    proxy = _from(app, ATTACKER)
    for _ in range(5):
        assert _sign_in(proxy, "wrong", headers={"X-Forwarded-For": "192.0.2.1"}).status_code == 401
    assert _sign_in(proxy, headers={"X-Forwarded-For": "192.0.2.1"}).status_code == 429
    # Another client behind the same proxy is another address.
    assert _sign_in(proxy, headers={"X-Forwarded-For": "192.0.2.2"}).status_code == 200
    # A client cannot pose as another by writing the header itself: the proxy appends the real one.
    assert _sign_in(proxy, headers={"X-Forwarded-For": "192.0.2.2, 192.0.2.1"}).status_code == 429
    # Not from the proxy: the header is ignored, the connection's address counts.
    assert _sign_in(_from(app, USER), headers={"X-Forwarded-For": "192.0.2.1"}).status_code == 200


def test_client_address():
    proxies = trusted_networks(["10.0.0.0/8", "::1"])
    assert client_address("10.1.2.3", "203.0.113.5", proxies) == "203.0.113.5"
    assert client_address("::1", "203.0.113.5, 10.0.0.9", proxies) == "203.0.113.5"
    assert client_address("10.1.2.3", "10.0.0.1, 10.0.0.2", proxies) == "10.0.0.1"
    assert client_address("10.1.2.3", "", proxies) == "10.1.2.3"
    assert client_address("127.0.0.1", "203.0.113.5", proxies) == "127.0.0.1"
    assert client_address("127.0.0.1", "203.0.113.5", trusted_networks([])) == "127.0.0.1"
    assert client_address(None, None, proxies) == "unknown"


def test_failures_take_bounded_room_and_expire(app_of):
    app = app_of(login_address_attempts=8)
    attacker = _from(app, ATTACKER)
    long_names = [f"{i}-" + "ñ" * 20_000 for i in range(12)]
    codes = [_sign_in(attacker, "x", username=name).status_code for name in long_names]
    assert codes == [401] * 8 + [429] * 4
    with app.state.sessions() as session:
        rows = session.scalars(select(LoginFailures)).all()
        # One row per name at the address, per name, and the address's: 64 characters a key.
        assert len(rows) == 17 and {len(r.key) for r in rows} == {64}
        throttle = app.state.throttle
        later = max(r.first_at for r in rows) + throttle.window + 1
        keys = throttle.keys("someone", USER[0])
        assert throttle.wait(session, throttle.keys("admin", ATTACKER[0]), now=later) == 0
        throttle.charge(session, keys, now=later)
        session.commit()
        assert session.scalar(select(func.count()).select_from(LoginFailures)) == 3


def test_failed_sign_ins_sent_at_once_get_no_more_tries(app_of):
    from concurrent.futures import ThreadPoolExecutor

    app = app_of()
    attacker = _from(app, ATTACKER)
    with ThreadPoolExecutor(8) as pool:
        codes = list(pool.map(lambda _: _sign_in(attacker, "wrong").status_code, range(16)))
    assert codes.count(401) <= 5 and codes.count(401) + codes.count(429) == 16


# ---------------------------------------------------------------- revocation


def test_logout_refused_at_once_by_another_process(app_of):
    first, second = app_of(), app_of()
    a, b = _from(first, USER), _from(second, USER)
    token = _sign_in(a).json()["access_token"]
    bearer = {"Authorization": f"Bearer {token}"}
    assert b.get("/me", headers=bearer).status_code == 200
    assert a.post("/auth/logout", headers=bearer).status_code == 204
    assert b.get("/me", headers=bearer).status_code == 401


def test_disabling_refused_at_once_by_another_process(app_of):
    first, second = app_of(), app_of()
    a, b = _from(first, USER), _from(second, USER)
    coordinator = {"X-API-Key": KEYS["coordinator"]}
    assert b.get("/me", headers=coordinator).json()["username"] == "coordinator"
    r = a.patch("/users/2", json={"active": False}, headers={"X-API-Key": KEYS["admin"], "If-Match": "*"})
    assert r.status_code == 200
    refused = b.get("/me", headers=coordinator)
    assert refused.status_code == 401 and refused.json()["error"]["message"] == "the account is disabled"


def test_revoked_key_refused_at_once_by_another_process(app_of):
    first, second = app_of(), app_of()
    a, b = _from(first, USER), _from(second, USER)
    firm = {"X-API-Key": KEYS["lead_firm"]}
    made = a.post("/me/api-keys", json={"name": "ci"}, headers=firm).json()
    key = {"X-API-Key": made["api_key"]}
    assert b.get("/me", headers=key).status_code == 200
    assert a.delete(f"/me/api-keys/{made['key_id']}", headers=firm).status_code == 204
    assert b.get("/me", headers=key).status_code == 401


# ---------------------------------------------------------------- keys made with keys


def test_a_key_never_mints_a_key_that_outlives_it(world):
    day = world.as_("coordinator", "POST", "/me/api-keys", json={"name": "one day", "expires_days": 1})
    assert day.status_code == 201
    ends = datetime.fromisoformat(day.json()["expires_at"])
    short = {"X-API-Key": day.json()["api_key"]}
    child = world.client.post("/me/api-keys", json={"name": "child"}, headers=short)
    assert child.status_code == 201 and datetime.fromisoformat(child.json()["expires_at"]) == ends
    longer = world.client.post("/me/api-keys", json={"name": "long", "expires_days": 30}, headers=short)
    assert longer.status_code == 422
    assert [d["field"] for d in longer.json()["error"]["details"]] == ["expires_days"]
    # A grandchild, made with the child, ends with the first key too.
    grandchild = world.client.post(
        "/me/api-keys", json={"name": "grandchild"}, headers={"X-API-Key": child.json()["api_key"]}
    )
    assert datetime.fromisoformat(grandchild.json()["expires_at"]) == ends
    # A key that never expires, or a sign-in with a password, may make a key for as long as asked.
    forever = world.as_("coordinator", "POST", "/me/api-keys", json={"name": "forever"})
    assert forever.status_code == 201 and forever.json()["expires_at"] is None
    ten_years = world.as_("admin", "POST", "/users/2/api-keys", json={"name": "x", "expires_days": 3650})
    assert datetime.fromisoformat(ten_years.json()["expires_at"]) > ends + timedelta(days=3000)
    # An admin's one-day key makes no longer key for another account either.
    admin_day = world.as_("admin", "POST", "/me/api-keys", json={"name": "day", "expires_days": 1}).json()
    for_user = world.client.post(
        "/users/2/api-keys", json={"name": "x"}, headers={"X-API-Key": admin_day["api_key"]}
    )
    assert datetime.fromisoformat(for_user.json()["expires_at"]) == datetime.fromisoformat(
        admin_day["expires_at"]
    )
