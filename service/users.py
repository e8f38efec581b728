"""Rules on user accounts shared by the CLI and the routes.

Examples
--------
>>> scope_problems("coordinator", [], None, None)
['a coordinator needs at least one territory']
>>> scope_problems("lead_firm", [], None, "F1")
[]
"""

from __future__ import annotations

from collections.abc import Sequence

from service.roles import COORDINATOR, LEAD_FIRM, LEADER, MUNICIPALITY, USER_ROLES

__all__ = ["scope_problems"]


def scope_problems(
    role: str, territories: Sequence[str], organization_id: str | None, firm_id: str | None
) -> list[str]:
    """What is wrong with a role's scope (empty when it fits the role)."""
    problems = []
    if role not in USER_ROLES:
        return [f"role must be one of {', '.join(USER_ROLES)}"]
    if role in (COORDINATOR, MUNICIPALITY) and not territories:
        problems.append(f"a {role} needs at least one territory")
    if role not in (COORDINATOR, MUNICIPALITY) and territories:
        problems.append(f"a {role} has no territories")
    if role == LEADER and not organization_id:
        problems.append("an association_leader needs an organization")
    if role != LEADER and organization_id:
        problems.append(f"a {role} has no organization")
    if role == LEAD_FIRM and not firm_id:
        problems.append("a lead_firm needs a firm")
    if role != LEAD_FIRM and firm_id:
        problems.append(f"a {role} has no firm")
    return problems
