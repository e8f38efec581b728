"""Organizations' queries: member counts, answers, pages, the accounts that lead one."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from matcher_service.models import Membership, OrganizationRow, User
from matcher_service.roles import LEADER, Principal
from matcher_service.schemas.organizations import OrganizationOut
from matcher_service.store import Page, PageParams, page_of

__all__ = ["leader_count", "member_counts", "organization_answer", "organization_out", "organization_page"]


def member_counts(session: Session, ids: Sequence[str]) -> dict[str, int]:
    """Member workshops of each organization in ``ids`` (one query)."""
    if not ids:
        return {}
    rows = session.execute(
        select(Membership.organization_id, func.count())
        .where(Membership.organization_id.in_(ids))
        .group_by(Membership.organization_id)
    )
    return {org: int(n) for org, n in rows}


def organization_out(row: OrganizationRow, members: int) -> OrganizationOut:
    """An organization's answer, with its number of member workshops."""
    return OrganizationOut(
        organization_id=row.organization_id, name=row.name, member_count=members, version=row.version
    )


def organization_answer(session: Session, row: OrganizationRow) -> OrganizationOut:
    """An organization's answer, its members counted."""
    return organization_out(row, member_counts(session, [row.organization_id]).get(row.organization_id, 0))


def organization_page(session: Session, principal: Principal, page: PageParams) -> Page[OrganizationOut]:
    """A page of organizations by id (an association leader: only their own), members counted."""
    query = select(OrganizationRow)
    if principal.role == LEADER:
        query = query.where(OrganizationRow.organization_id == principal.organization_id)
    found = page_of(session, query, page, lambda row: row, [OrganizationRow.organization_id])
    counts = member_counts(session, [row.organization_id for row in found.items])
    return Page(
        items=[organization_out(row, counts.get(row.organization_id, 0)) for row in found.items],
        total=found.total,
        limit=found.limit,
        offset=found.offset,
    )


def leader_count(session: Session, organization_id: str) -> int:
    """How many accounts lead the organization."""
    return session.scalar(select(func.count()).where(User.organization_id == organization_id)) or 0
