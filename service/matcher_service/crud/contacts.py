"""Contacts' and contact requests' queries: answers, releases, pages in the caller's scope."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from matcher.model import Contact
from matcher_service.models import ContactRelease, ContactRow, WorkshopRow
from matcher_service.roles import LEAD_FIRM, Principal
from matcher_service.schemas.contacts import ContactOut, FirmRequestOut, RequestOut
from matcher_service.store import Page, PageParams, one_of, page_of

__all__ = [
    "DENIED",
    "RELEASED",
    "REQUESTED",
    "contact_out",
    "contact_page",
    "coordinates",
    "open_request_for",
    "released_to",
    "request_out",
    "request_page",
    "request_view",
]

#: The states of a request for a contact.
REQUESTED, RELEASED, DENIED = "requested", "released", "denied"


def coordinates(session: Session) -> list[Contact]:
    """Workshops' coordinates, and nothing else of their contacts: the view keeps territory centroids."""
    rows = session.execute(
        select(ContactRow.workshop_id, ContactRow.lat, ContactRow.lon).where(
            ContactRow.lat.is_not(None), ContactRow.lon.is_not(None)
        )
    )
    return [Contact(workshop_id=w, lat=lat, lon=lon) for w, lat, lon in rows]


def contact_out(row: ContactRow) -> ContactOut:
    """The response form of a contact row."""
    return ContactOut(
        workshop_id=row.workshop_id,
        owner_name=row.owner_name,
        phone=row.phone,
        address=row.address,
        lat=row.lat,
        lon=row.lon,
        version=row.version,
        updated_at=row.updated_at,
    )


def released_to(session: Session, workshop_id: str, firm_id: str | None) -> bool:
    """Whether a municipality released ``workshop_id``'s contact to the lead firm ``firm_id``."""
    if firm_id is None:
        return False
    found = session.scalar(
        select(ContactRelease.release_id).where(
            ContactRelease.workshop_id == workshop_id,
            ContactRelease.firm_id == firm_id,
            ContactRelease.status == RELEASED,
        )
    )
    return found is not None


def _decided_at(row: ContactRelease) -> datetime | None:
    return None if row.status == REQUESTED else row.updated_at


def _firm_request_out(session: Session, row: ContactRelease) -> FirmRequestOut:
    released = row.status == RELEASED
    contact = session.get(ContactRow, row.workshop_id) if released else None
    return FirmRequestOut(
        release_id=row.release_id,
        shortlist_id=row.shortlist_id,
        ref=row.ref,
        status=row.status,
        message=row.message,
        created_at=row.created_at,
        decided_at=_decided_at(row),
        workshop_id=row.workshop_id if released else None,
        contact=contact_out(contact) if contact is not None else None,
    )


def request_out(session: Session, row: ContactRelease) -> RequestOut:
    workshop = session.get(WorkshopRow, row.workshop_id)
    return RequestOut(
        release_id=row.release_id,
        workshop_id=row.workshop_id,
        territory=workshop.territory if workshop is not None else None,
        firm_id=row.firm_id,
        shortlist_id=row.shortlist_id,
        ref=row.ref,
        status=row.status,
        message=row.message,
        requested_by=row.requested_by,
        decided_by=row.decided_by,
        created_at=row.created_at,
        decided_at=_decided_at(row),
    )


def request_view(principal: Principal, session: Session, row: ContactRelease) -> FirmRequestOut | RequestOut:
    return _firm_request_out(session, row) if principal.role == LEAD_FIRM else request_out(session, row)


def contact_page(
    session: Session, principal: Principal, page: PageParams, *, territory: str | None = None
) -> Page[ContactOut]:
    """A page of the contacts of the workshops in the caller's territories (admins: all), by workshop id."""
    query = select(ContactRow).join(WorkshopRow, WorkshopRow.workshop_id == ContactRow.workshop_id)
    if not principal.is_admin:
        query = query.where(one_of(session, WorkshopRow.territory, principal.territories))
    if territory is not None:
        query = query.where(WorkshopRow.territory == territory)
    return page_of(session, query, page, contact_out, [ContactRow.workshop_id])


def open_request_for(session: Session, workshop_id: str, firm_id: str | None) -> ContactRelease | None:
    """The firm's request for the workshop's contact that is still open or was granted; None if none."""
    return session.scalar(
        select(ContactRelease).where(
            ContactRelease.workshop_id == workshop_id,
            ContactRelease.firm_id == firm_id,
            ContactRelease.status.in_((REQUESTED, RELEASED)),
        )
    )


def request_page(
    session: Session, principal: Principal, page: PageParams, *, status: str | None = None
) -> Page[FirmRequestOut] | Page[RequestOut]:
    """A page of contact requests: a lead firm's own, or those for workshops of the caller's
    territories (admins: all), each as the caller may see it (:func:`request_view`)."""
    query = select(ContactRelease)
    if principal.role == LEAD_FIRM:
        query = query.where(ContactRelease.firm_id == principal.firm_id)
    elif not principal.is_admin:
        query = query.where(
            ContactRelease.workshop_id.in_(
                select(WorkshopRow.workshop_id).where(
                    one_of(session, WorkshopRow.territory, principal.territories)
                )
            )
        )
    if status is not None:
        query = query.where(ContactRelease.status == status)
    return page_of(
        session, query, page, lambda row: request_view(principal, session, row), [ContactRelease.release_id]
    )
