from tests.service.matrix import OWN, Case

# Accounts of the world by id: 2 = coordinator, 3 = association_leader; admins manage all.
USER = {"own": 2, "other": 3, "missing": 999}


def _user(role: str, which: str) -> dict:
    return {"user_id": USER[which]}


CASES = [
    Case("GET", "/users", set(), contexts=(OWN,)),
    Case("GET", "/users/{user_id}", set(), params=_user),
    Case(
        "POST",
        "/users",
        set(),
        body=lambda r, w: {"username": "new_coordinator", "role": "coordinator", "territories": ["T2"]},
        ok=201,
        contexts=(OWN,),
    ),
    Case(
        "PATCH",
        "/users/{user_id}",
        set(),
        params=_user,
        body=lambda r, w: {"active": False},
        headers={"If-Match": "*"},
    ),
    Case("DELETE", "/users/{user_id}", set(), params=_user, headers={"If-Match": "*"}, ok=204),
    Case("POST", "/users/{user_id}/api-keys", set(), params=_user, body=lambda r, w: {"name": "ci"}, ok=201),
]
