"""Shortlists' queries: the territories of shortlisted workshops, pages of an order's shortlists."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from matcher_service.models import ShortlistRow, WorkshopRow
from matcher_service.roles import LEAD_FIRM, Principal
from matcher_service.schemas.shortlists import ShortlistSummary
from matcher_service.store import Page, PageParams, page_of

__all__ = ["shortlist_page", "territories_of"]


def territories_of(session: Session, ids: Iterable[str]) -> dict[str, str]:
    """The territory of each workshop in ``ids`` that exists."""
    return dict(
        session.execute(
            select(WorkshopRow.workshop_id, WorkshopRow.territory).where(WorkshopRow.workshop_id.in_(ids))
        ).all()
    )


def _summary(current_version: int) -> Callable[[ShortlistRow], ShortlistSummary]:
    def convert(row: ShortlistRow) -> ShortlistSummary:
        return ShortlistSummary(
            shortlist_id=row.shortlist_id,
            order_id=row.order_id,
            top=row.body["top"],
            data_version=row.data_version,
            current=row.data_version == current_version,
            singles=len(row.body["singles"]),
            groups=len(row.body["groups"]),
            created_at=row.created_at,
        )

    return convert


def shortlist_page(
    session: Session, principal: Principal, order_id: str, page: PageParams, current_version: int
) -> Page[ShortlistSummary]:
    """A page of the order's stored shortlists (a lead firm: those made for it), newest first (by
    data version, then by time made); ``current`` says which were made at ``current_version``."""
    query = select(ShortlistRow).where(ShortlistRow.order_id == order_id)
    if principal.role == LEAD_FIRM:
        query = query.where(ShortlistRow.firm_id == principal.firm_id)
    return page_of(
        session,
        query,
        page,
        _summary(current_version),
        [ShortlistRow.data_version.desc(), ShortlistRow.created_at.desc(), ShortlistRow.shortlist_id],
    )
