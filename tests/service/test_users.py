"""User accounts through the API (admins only): scope rules, passwords, versions, keys for machines.

The world's accounts by id: 1 admin, 2 coordinator (T1), 3 association_leader (ORG1), 4 lead_firm (F1),
5 municipality (T1), 6-9 the same roles for the second scope.
"""

from __future__ import annotations

from tests.service.conftest import ACCOUNTS

NEW = {"username": "ana", "password": "long enough pw", "role": "coordinator", "territories": ["T2"]}


def _fields(response) -> list[str]:
    assert response.status_code == 422, response.text
    return sorted(d["field"] for d in response.json()["error"]["details"])


def _login(world, username: str, password: str) -> int:
    return world.client.post("/auth/token", data={"username": username, "password": password}).status_code


def test_admins_only(world):
    for who in ("coordinator", "association_leader", "lead_firm", "municipality"):
        assert world.as_(who, "GET", "/users").status_code == 403
        assert world.as_(who, "POST", "/users", json=NEW).status_code == 403
    assert world.as_("anyone", "GET", "/users").status_code == 401


def test_list_get_never_show_hashes(world):
    r = world.as_("admin", "GET", "/users")
    assert r.status_code == 200
    assert [u["username"] for u in r.json()["items"]] == list(ACCOUNTS)
    assert "$argon2" not in r.text and all("password_hash" not in u for u in r.json()["items"])
    assert [u["has_password"] for u in r.json()["items"]] == [name == "admin" for name in ACCOUNTS]
    r = world.as_("admin", "GET", "/users", params={"role": "coordinator"})
    assert [(u["user_id"], u["territories"]) for u in r.json()["items"]] == [(2, ["T1"]), (6, ["T2"])]
    r = world.as_("admin", "GET", "/users", params={"limit": 2, "offset": 8})
    assert [u["username"] for u in r.json()["items"]] == ["municipality2"] and r.json()["total"] == 9
    r = world.as_("admin", "GET", "/users/4")
    assert r.status_code == 200 and r.headers["ETag"] == '"user-4.1"'
    assert (r.json()["role"], r.json()["firm_id"], r.json()["active"]) == ("lead_firm", "F1", True)
    assert world.as_("admin", "GET", "/users/99").status_code == 404


def test_create_with_password(world):
    r = world.as_("admin", "POST", "/users", json=NEW, headers={"Idempotency-Key": "ana"})
    assert r.status_code == 201, r.text
    user = r.json()
    assert (user["user_id"], user["has_password"], user["territories"]) == (10, True, ["T2"])
    assert r.headers["Location"] == "/users/10" and "$argon2" not in r.text and "long enough" not in r.text
    again = world.as_("admin", "POST", "/users", json=NEW, headers={"Idempotency-Key": "ana"})
    assert again.status_code == 201 and again.json() == user
    other = world.as_(
        "admin",
        "POST",
        "/users",
        json={**NEW, "password": "another long pw"},
        headers={"Idempotency-Key": "ana"},
    )
    assert other.status_code == 422
    assert _login(world, "ana", "long enough pw") == 200
    assert _login(world, "ana", "wrong password") == 401
    assert world.as_("admin", "POST", "/users", json=NEW).status_code == 409
    entry = world.as_("admin", "GET", "/audit", params={"entity": "user"}).json()["items"][0]
    assert entry["action"] == "create" and entry["entity_id"] == "10"
    assert entry["detail"]["password_changed"] is True and "password" not in entry["detail"]


def test_scope_rules_name_the_field(world):
    post = lambda **change: world.as_("admin", "POST", "/users", json={**NEW, **change})  # noqa: E731
    assert _fields(post(password="short")) == ["password"]
    r = post(role="superuser")
    assert _fields(r) == ["role"] and "role must be one of" in r.json()["error"]["message"]
    r = post(territories=[])
    assert (
        _fields(r) == ["territories"]
        and r.json()["error"]["message"] == "the role coordinator needs at least one territory"
    )
    assert _fields(post(role="lead_firm", firm_id="F9")) == ["firm_id", "territories"]
    r = post(role="association_leader", territories=[], organization_id="ORG9")
    assert _fields(r) == ["organization_id"] and "unknown organization ORG9" in r.text
    r = post(role="association_leader", territories=[], organization_id="ORG1", username="leader_3")
    assert r.status_code == 201 and r.json()["organization_id"] == "ORG1" and r.json()["has_password"]
    r = post(username="bot", password=None, role="lead_firm", territories=[], firm_id="F2")
    assert r.status_code == 201 and r.json()["has_password"] is False


def test_update_role_scope_active_password(world):
    assert world.as_("admin", "PATCH", "/users/2", json={"active": False}).status_code == 428
    r = world.as_(
        "admin", "PATCH", "/users/2", json={"role": "lead_firm"}, headers={"If-Match": '"user-2.1"'}
    )
    assert _fields(r) == ["firm_id", "territories"]
    r = world.as_(
        "admin",
        "PATCH",
        "/users/2",
        json={"role": "lead_firm", "territories": [], "firm_id": "F2"},
        headers={"If-Match": '"user-2.1"'},
    )
    assert r.status_code == 200, r.text
    assert (r.json()["role"], r.json()["firm_id"], r.headers["ETag"]) == ("lead_firm", "F2", '"user-2.2"')
    assert world.as_("coordinator", "GET", "/me").json()["role"] == "lead_firm"
    r = world.as_("admin", "PATCH", "/users/2", json={"active": False}, headers={"If-Match": '"user-2.1"'})
    assert r.status_code == 412
    assert world.as_("admin", "PATCH", "/users/2", json={"active": False, "version": 1}).status_code == 409
    assert world.as_("admin", "PATCH", "/users/2", json={"active": False, "version": 2}).status_code == 200
    assert world.as_("coordinator", "GET", "/me").status_code == 401
    assert _fields(
        world.as_("admin", "PATCH", "/users/3", json={"active": None}, headers={"If-Match": "*"})
    ) == ["active"]


def test_new_password_signs_out_tokens(world):
    token = world.client.post("/auth/token", data={"username": "admin", "password": "correct horse battery"})
    bearer = {"Authorization": f"Bearer {token.json()['access_token']}"}
    assert world.client.get("/users/1", headers=bearer).status_code == 200
    r = world.as_(
        "admin", "PATCH", "/users/1", json={"password": "a new long password"}, headers={"If-Match": "*"}
    )
    assert r.status_code == 200
    assert world.client.get("/users/1", headers=bearer).status_code == 401
    assert _login(world, "admin", "a new long password") == 200
    assert _login(world, "admin", "correct horse battery") == 401
    entry = world.as_("admin", "GET", "/audit", params={"entity": "user", "action": "update"}).json()[
        "items"
    ][0]
    assert entry["detail"] == {"password_changed": True}
    assert "a new long password" not in world.as_("admin", "GET", "/audit").text


def test_last_admin_stays(world):
    r = world.as_("admin", "PATCH", "/users/1", json={"active": False}, headers={"If-Match": "*"})
    assert r.status_code == 409 and "last active admin" in r.json()["error"]["message"]
    r = world.as_(
        "admin",
        "PATCH",
        "/users/1",
        json={"role": "coordinator", "territories": ["T1"]},
        headers={"If-Match": "*"},
    )
    assert r.status_code == 409
    assert world.as_("admin", "DELETE", "/users/1", headers={"If-Match": "*"}).status_code == 409
    second = world.as_("admin", "POST", "/users", json={**NEW, "role": "admin", "territories": []})
    assert second.status_code == 201
    assert (
        world.as_(
            "admin", "PATCH", "/users/10", json={"active": False}, headers={"If-Match": "*"}
        ).status_code
        == 200
    )
    assert world.as_("admin", "DELETE", "/users/1", headers={"If-Match": "*"}).status_code == 409
    r = world.as_("admin", "PATCH", "/users/10", json={"active": True}, headers={"If-Match": "*"})
    assert r.status_code == 200
    assert world.as_("admin", "DELETE", "/users/10", headers={"If-Match": '"user-10.3"'}).status_code == 204


def test_delete_revokes_keys(world):
    assert world.as_("coordinator", "GET", "/me").status_code == 200
    assert world.as_("admin", "DELETE", "/users/2").status_code == 428
    assert world.as_("admin", "DELETE", "/users/2", headers={"If-Match": '"user-2.9"'}).status_code == 412
    assert world.as_("admin", "DELETE", "/users/2", headers={"If-Match": '"user-2.1"'}).status_code == 204
    assert world.as_("admin", "GET", "/users/2").status_code == 404
    assert world.as_("coordinator", "GET", "/me").status_code == 401
    entry = world.as_("admin", "GET", "/audit", params={"entity": "user", "action": "delete"}).json()[
        "items"
    ][0]
    assert (entry["entity_id"], entry["detail"]) == ("2", {"username": "coordinator"})


def test_api_key_for_a_machine_client(world):
    r = world.as_("admin", "POST", "/users/4/api-keys", json={"name": "erp sync", "expires_days": 30})
    assert r.status_code == 201, r.text
    key = r.json()["api_key"]
    assert key.startswith("mk_") and r.json()["prefix"] == key[:8] and r.json()["expires_at"] is not None
    me = world.client.get("/me", headers={"X-API-Key": key})
    assert me.status_code == 200 and (me.json()["username"], me.json()["firm_id"]) == ("lead_firm", "F1")
    assert _fields(world.as_("admin", "POST", "/users/4/api-keys", json={"name": ""})) == ["name"]
    assert world.as_("admin", "POST", "/users/99/api-keys", json={"name": "x"}).status_code == 404
    assert (
        world.as_("admin", "PATCH", "/users/5", json={"active": False}, headers={"If-Match": "*"}).status_code
        == 200
    )
    assert world.as_("admin", "POST", "/users/5/api-keys", json={"name": "x"}).status_code == 409
    entry = world.as_("admin", "GET", "/audit", params={"entity": "api_key"}).json()["items"][0]
    assert entry["detail"] == {"name": "erp sync", "user_id": 4}
    assert key not in world.as_("admin", "GET", "/audit").text


def test_control_characters_in_user_names_are_refused(world):
    for username in ("ana\x00", "ana\tb", "ana\u0085"):
        r = world.as_("admin", "POST", "/users", json={**NEW, "username": username})
        assert r.status_code == 422, r.text
        assert [d["field"] for d in r.json()["error"]["details"]] == ["username"]
    # Signing in with one is refused the same way (PostgreSQL cannot even look a NUL up).
    r = world.client.post("/auth/token", data={"username": "ana\x00", "password": "x"})
    assert r.status_code == 422 and r.json()["error"]["details"][0]["field"] == "username"
