"""The authorization matrix: what each route must answer to each role, for own, other's and missing objects.

Every route of the app needs one :class:`Case` in a ``cases/*.py`` module
(``CASES = [...]``); a route without one fails the suite, and so does a route
whose declared roles differ from the case's.

For a role the route allows, ``own`` is an object in the role's scope,
``other`` one outside it (an admin's scope is everything, so for an admin it
is answered like ``own``) and ``missing`` one that does not exist. A role the
route does not allow gets 403, and a caller without credentials 401, whatever
the object.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

OWN, OTHER, MISSING = "own", "other", "missing"
WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})

#: Objects per role: what is in scope ("own") and what is not ("other") for the test world.
WORKSHOP = {
    "admin": ("W1", "W5"),
    "coordinator": ("W1", "W5"),
    "association_leader": ("W1", "W5"),
    "municipality": ("W1", "W5"),
    "lead_firm": ("W1", "W5"),
    "anyone": ("W1", "W5"),
}
ORDER = dict.fromkeys(WORKSHOP, ("O1", "O2"))
FIRM = dict.fromkeys(WORKSHOP, ("F1", "F2"))


def ids(table: dict[str, tuple[str, str]], missing: str = "NOPE") -> Callable[[str, str], str]:
    """A chooser: (role, which) -> the id of that object for that role."""

    def choose(role: str, which: str) -> str:
        own, other = table.get(role, table["admin"])
        return {OWN: own, OTHER: other, MISSING: missing}[which]

    return choose


@dataclass
class Case:
    """What one route must answer.

    Parameters
    ----------
    method, path : str
        The route as declared (``/workshops/{workshop_id}``).
    roles : set of str
        Roles allowed besides admin (``anyone`` when open to all).
    params : callable, optional
        ``(role, which) -> {path parameter: value}``; omit for routes without
        an object in the path (then only ``own`` is tried).
    body : callable, optional
        ``(role, which) -> JSON body`` (or ``{"files": ..., "data": ...}`` with ``form=True``).
    query : callable, optional
        ``(role, which) -> query parameters``.
    headers : dict
        Extra headers (``If-Match: *`` for writes).
    ok : int
        Status for an allowed role on its own object.
    other, missing : int
        Statuses for an allowed role on an object outside its scope / that does not exist.
    expect : callable, optional
        ``(role, which) -> status`` overriding the defaults for special cases.
    contexts : tuple of str
        Which of own/other/missing apply.
    """

    method: str
    path: str
    roles: set[str]
    params: Callable[[str, str], dict[str, Any]] | None = None
    body: Callable[[str, str], Any] | None = None
    query: Callable[[str, str], dict[str, Any]] | None = None
    headers: dict[str, str] = field(default_factory=dict)
    ok: int = 200
    other: int = 404
    missing: int = 404
    expect: Callable[[str, str], int | None] | None = None
    contexts: tuple[str, ...] = (OWN, OTHER, MISSING)
    form: bool = False

    @property
    def key(self) -> tuple[str, str]:
        return (self.method, self.path)

    def expected(self, role: str, which: str) -> int:
        if self.expect is not None:
            special = self.expect(role, which)
            if special is not None:
                return special
        if role == "anyone" and "anyone" not in self.roles:
            return 401
        if role != "admin" and role not in self.roles and "anyone" not in self.roles:
            return 403
        if which == OWN:
            return self.ok
        if which == OTHER:
            return self.ok if role == "admin" else self.other
        return self.missing

    def url(self, role: str, which: str) -> str:
        values = self.params(role, which) if self.params else {}
        return self.path.format(**values)

    def send(self, world, role: str, which: str, *, headers: dict[str, str] | None = None,
             params: dict[str, Any] | None = None):  # fmt: skip
        """Ask the route as ``role`` about its ``which`` object, with extra headers and query parameters."""
        kwargs: dict[str, Any] = {"headers": {**self.headers, **(headers or {})}}
        query = {**(params or {}), **(self.query(role, which) if self.query else {})}
        if query:
            kwargs["params"] = query
        if self.body:
            body = self.body(role, which)
            if self.form:
                kwargs.update(body)
            else:
                kwargs["json"] = body
        return world.as_(role, self.method, self.url(role, which), **kwargs)
