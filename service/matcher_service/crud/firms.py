"""Lead firms' queries: answers, pages, what refers to a firm."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from matcher_service.models import LeadFirmRow, OrderRow, User
from matcher_service.roles import LEAD_FIRM, Principal
from matcher_service.schemas.firms import FirmOut
from matcher_service.store import Page, PageParams, page_of

__all__ = ["firm_out", "firm_page", "firm_references"]


def firm_out(row: LeadFirmRow) -> FirmOut:
    """A lead firm's answer."""
    return FirmOut(firm_id=row.firm_id, name=row.name, territory=row.territory, version=row.version)


def firm_page(
    session: Session, principal: Principal, page: PageParams, *, territory: str | None = None
) -> Page[FirmOut]:
    """A page of lead firms by id (a lead firm's account: only its own)."""
    query = select(LeadFirmRow)
    if principal.role == LEAD_FIRM:
        query = query.where(LeadFirmRow.firm_id == principal.firm_id)
    if territory is not None:
        query = query.where(LeadFirmRow.territory == territory)
    return page_of(session, query, page, firm_out, [LeadFirmRow.firm_id])


def firm_references(session: Session, firm_id: str) -> tuple[int, int]:
    """How many orders and how many user accounts refer to the firm."""
    orders = session.scalar(select(func.count()).where(OrderRow.firm_id == firm_id)) or 0
    accounts = session.scalar(select(func.count()).where(User.firm_id == firm_id)) or 0
    return orders, accounts
