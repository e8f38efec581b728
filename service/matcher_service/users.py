"""Rules on user accounts shared by the CLI and the routes.

Examples
--------
>>> [(field, m.text) for field, m in scope_problems("coordinator", [], None, None)]
[('territories', 'the role coordinator needs at least one territory')]
>>> scope_problems("lead_firm", [], None, "F1")
[]
"""

from __future__ import annotations

from collections.abc import Sequence

from matcher_service.messages import ApiMessage, said
from matcher_service.roles import COORDINATOR, LEAD_FIRM, LEADER, MUNICIPALITY, USER_ROLES

__all__ = ["scope_problems"]


def scope_problems(
    role: str, territories: Sequence[str], organization_id: str | None, firm_id: str | None
) -> list[tuple[str, ApiMessage]]:
    """What is wrong with a role's scope, as (field, message) pairs (empty when it fits the role)."""
    if role not in USER_ROLES:
        return [("role", said("users.role_one_of", roles=list(USER_ROLES)))]
    problems = []
    if role in (COORDINATOR, MUNICIPALITY) and not territories:
        problems.append(("territories", said("users.needs_territory", role=role)))
    if role not in (COORDINATOR, MUNICIPALITY) and territories:
        problems.append(("territories", said("users.no_territories", role=role)))
    if role == LEADER and not organization_id:
        problems.append(("organization_id", said("users.needs_organization", role=role)))
    if role != LEADER and organization_id:
        problems.append(("organization_id", said("users.no_organization", role=role)))
    if role == LEAD_FIRM and not firm_id:
        problems.append(("firm_id", said("users.needs_firm", role=role)))
    if role != LEAD_FIRM and firm_id:
        problems.append(("firm_id", said("users.no_firm", role=role)))
    return problems
