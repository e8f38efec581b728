from tests.service.matrix import OWN, Case

SIGNED_IN = {"coordinator", "association_leader", "lead_firm", "municipality"}


def _login_status(role: str, which: str) -> int:
    return 200 if role == "admin" else 401  # only the admin account has a password in the world


CASES = [
    Case(
        "POST",
        "/auth/token",
        {"anyone"},
        body=lambda role, which: {
            "data": {"username": "admin" if role == "admin" else role, "password": "correct horse battery"}
        },
        form=True,
        contexts=(OWN,),
        expect=_login_status,
    ),
    Case("GET", "/me", SIGNED_IN, contexts=(OWN,)),
    Case("POST", "/auth/logout", SIGNED_IN, contexts=(OWN,), ok=204),
    Case("GET", "/me/api-keys", SIGNED_IN, contexts=(OWN,)),
    Case("POST", "/me/api-keys", SIGNED_IN, body=lambda r, w: {"name": "ci"}, contexts=(OWN,), ok=201),
    Case(
        "DELETE",
        "/me/api-keys/{key_id}",
        SIGNED_IN,
        # Each role's own key has the id of its account (users and keys are created together).
        params=lambda role, which: {"key_id": {"own": _own_key(role), "other": 999, "missing": 12345}[which]},
        ok=204,
        expect=lambda role, which: 404 if which == "other" and role == "admin" else None,
    ),
]


def _own_key(role: str) -> int:
    order = ["admin", "coordinator", "association_leader", "lead_firm", "municipality"]
    return order.index(role) + 1 if role in order else 1
