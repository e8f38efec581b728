"""Roles, principals and the scope checks every object goes through.

Examples
--------
>>> p = Principal(1, "ana", COORDINATOR, territories=("Norte",))
>>> p.sees_territory("Norte"), p.sees_territory("Sur")
(True, False)
>>> Principal(2, "root", ADMIN).sees_territory("Sur")
True
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

__all__ = [
    "ADMIN",
    "ANYONE",
    "COORDINATOR",
    "LEADER",
    "LEAD_FIRM",
    "MUNICIPALITY",
    "ROLES",
    "USER_ROLES",
    "Principal",
]

ADMIN = "admin"
COORDINATOR = "coordinator"
LEADER = "association_leader"
LEAD_FIRM = "lead_firm"
MUNICIPALITY = "municipality"
ANYONE = "anyone"

#: Roles a user account can have.
USER_ROLES = (ADMIN, COORDINATOR, LEADER, LEAD_FIRM, MUNICIPALITY)
#: Every role a route may declare (``anyone`` includes callers who are not signed in).
ROLES = (*USER_ROLES, ANYONE)


@dataclass(frozen=True, slots=True)
class Principal:
    """Who is calling: the user, the role and the scope of the role."""

    user_id: int
    username: str
    role: str
    territories: tuple[str, ...] = ()
    organization_id: str | None = None
    firm_id: str | None = None

    @property
    def is_admin(self) -> bool:
        return self.role == ADMIN

    def sees_territory(self, territory: str | None) -> bool:
        """Whether a territory is in the caller's scope (admins see all)."""
        return self.is_admin or (territory is not None and territory in self.territories)

    def sees_any_territory(self, territories: Iterable[str]) -> bool:
        """Whether any of ``territories`` is in scope (an empty list: none is)."""
        return self.is_admin or any(t in self.territories for t in territories)

    def is_member(self, organizations: Iterable[str]) -> bool:
        """Whether a workshop of these organizations belongs to the caller's organization."""
        return self.is_admin or (self.organization_id is not None and self.organization_id in organizations)
