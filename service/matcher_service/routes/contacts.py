"""Workshop contacts and their release to lead firms.

Contacts are private, kept apart from characterization, read only by those allowed to.

Who reads a workshop's contact (owner name, phone, address, location):

- an admin;
- a municipality whose territories hold the workshop;
- a lead firm to which a municipality released that workshop's contact
  (a :class:`~matcher_service.models.ContactRelease` with status ``released``).

Coordinators of the workshop's territory may *write* a contact (they collect it
in the field) but do not read it back. Contact changes are audited with the
names of the fields changed only, never the values.

Releases: a lead firm asks for the contact of a workshop of one of its
shortlists by the shortlist's reference (``S1``, ``G1-a``); a municipality of
the workshop's territory (or an admin) releases or denies it. Until it is
released the firm sees its request by reference only, never the workshop id.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from fastapi import APIRouter, Depends, Query, Request, Response
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from matcher_service.auth import allow, current, get_session
from matcher_service.errors import Conflict, NotFound, Unprocessable, detail
from matcher_service.models import ContactRelease, ContactRow, WorkshopRow
from matcher_service.policy import readable_shortlist
from matcher_service.roles import COORDINATOR, LEAD_FIRM, MUNICIPALITY, Principal
from matcher_service.route import Route
from matcher_service.schemas import Input
from matcher_service.store import (
    Page,
    Paging,
    RowId,
    audit,
    check_version,
    commit,
    idempotent_create,
    one_of,
    page_of,
    set_etag,
)

__all__ = ["CONTACT_FIELDS", "ContactIn", "ContactOut", "contact_out", "released_to", "router"]

router = APIRouter(route_class=Route, tags=["contacts"])

#: The private fields of a contact, in the order they are shown.
CONTACT_FIELDS = ("owner_name", "phone", "address", "lat", "lon")
REQUESTED, RELEASED, DENIED = "requested", "released", "denied"
Status = Literal["requested", "released", "denied"]


class ContactIn(Input):
    """A workshop's whole contact (PUT replaces it; a field left out becomes empty)."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"owner_name": "Name (synthetic)", "phone": "+595 21 000 000", "address": "Calle 1"}]
        },
    )

    owner_name: str | None = Field(None, min_length=1, max_length=256)
    phone: str | None = Field(None, min_length=1, max_length=64)
    address: str | None = Field(None, min_length=1, max_length=2000)
    lat: float | None = Field(None, ge=-90, le=90)
    lon: float | None = Field(None, ge=-180, le=180)
    version: int | None = Field(None, ge=1, description="May replace If-Match when the contact exists.")


class ContactOut(BaseModel):
    """A workshop's contact, for the roles allowed to read it."""

    workshop_id: str
    owner_name: str | None
    phone: str | None
    address: str | None
    lat: float | None
    lon: float | None
    version: int
    updated_at: datetime | None = None


class ContactWritten(BaseModel):
    """What a contact write answers: which fields changed, never the values (writers may not read)."""

    workshop_id: str
    version: int
    created: bool
    changed: list[str]


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


def _can_read(principal: Principal, session: Session, workshop: WorkshopRow) -> bool:
    if principal.is_admin:
        return True
    if principal.role == MUNICIPALITY:
        return principal.sees_territory(workshop.territory)
    if principal.role == LEAD_FIRM:
        return released_to(session, workshop.workshop_id, principal.firm_id)
    return False


# The messages never name the workshop: a lead firm must not learn whether an id exists.
_NO_CONTACT = "contacts.none"


@router.get("/workshops/{workshop_id}/contact", response_model=ContactOut, **allow(MUNICIPALITY, LEAD_FIRM))
def get_contact(
    workshop_id: str,
    response: Response,
    principal: Principal = Depends(current),
    session: Session = Depends(get_session),
) -> ContactOut:
    """A workshop's contact, with its ETag.

    Municipalities read the workshops of their territories; a lead firm only
    workshops whose contact a municipality released to it. Anything else is
    404, as is a workshop without a recorded contact.
    """
    workshop = session.get(WorkshopRow, workshop_id)
    if workshop is None or not _can_read(principal, session, workshop):
        raise NotFound(_NO_CONTACT)
    row = session.get(ContactRow, workshop_id)
    if row is None:
        raise NotFound(_NO_CONTACT)
    set_etag(response, f"contact-{row.workshop_id}", row.version)
    return contact_out(row)


@router.put("/workshops/{workshop_id}/contact", response_model=ContactWritten, **allow(COORDINATOR))
def put_contact(
    workshop_id: str,
    body: ContactIn,
    request: Request,
    response: Response,
    principal: Principal = Depends(current),
    session: Session = Depends(get_session),
) -> ContactWritten:
    """Record or replace a workshop's contact (admin, or a coordinator of its territory).

    Replacing an existing contact needs ``If-Match`` with the ETag of the last
    read or write (``*`` to overwrite whatever is there) or ``version`` in the
    body. The answer and the audit trail name the fields that changed, never
    their values: coordinators write contacts but do not read them.
    """
    workshop = session.get(WorkshopRow, workshop_id)
    if workshop is None or not (
        principal.is_admin or (principal.role == COORDINATOR and principal.sees_territory(workshop.territory))
    ):
        raise NotFound("workshops.not_found", workshop_id=workshop_id)
    row = session.get(ContactRow, workshop_id)
    created = row is None
    if row is None:
        row = ContactRow(workshop_id=workshop_id)
        session.add(row)
    else:
        check_version(request, f"contact-{workshop_id}", row.version, body.version)
    values = body.model_dump(include=set(CONTACT_FIELDS))
    changed = [name for name in CONTACT_FIELDS if getattr(row, name) != values[name]]
    for name in CONTACT_FIELDS:
        setattr(row, name, values[name])
    if created or changed:
        audit(
            session,
            principal,
            "create" if created else "update",
            "contact",
            workshop_id,
            {"changed": changed},
            data=False,
        )
    commit(session, what=f"the contact of workshop {workshop_id}")
    set_etag(response, f"contact-{workshop_id}", row.version)
    if created:
        response.status_code = 201
    return ContactWritten(workshop_id=workshop_id, version=row.version, created=created, changed=changed)


@router.get("/municipality/contacts", response_model=Page[ContactOut], **allow(MUNICIPALITY))
def list_contacts(
    page: Paging,
    territory: str | None = Query(None, description="Only this territory."),
    principal: Principal = Depends(current),
    session: Session = Depends(get_session),
) -> Page[ContactOut]:
    """Contacts of the workshops in the municipality's territories, by workshop id."""
    query = select(ContactRow).join(WorkshopRow, WorkshopRow.workshop_id == ContactRow.workshop_id)
    if not principal.is_admin:
        query = query.where(one_of(session, WorkshopRow.territory, principal.territories))
    if territory is not None:
        query = query.where(WorkshopRow.territory == territory)
    return page_of(session, query, page, contact_out, [ContactRow.workshop_id])


# ---------------------------------------------------------------- releases


class ContactRequestIn(Input):
    """A lead firm's request for the contact of one shortlisted workshop."""

    model_config = ConfigDict(extra="forbid")

    ref: str = Field(
        min_length=1, max_length=32, description="The workshop's reference in the shortlist: S1 or G1-a."
    )
    message: str | None = Field(None, max_length=2000, description="Why the firm wants to reach it.")


class DecisionIn(Input):
    """A municipality's decision on a request (a release may be withdrawn later with ``false``)."""

    model_config = ConfigDict(extra="forbid")

    release: bool
    note: str | None = Field(None, max_length=2000, description="Kept in the audit trail.")


class FirmRequestOut(BaseModel):
    """A request as the lead firm sees it: the workshop and its contact only once released."""

    model_config = ConfigDict(extra="forbid")

    release_id: int
    shortlist_id: str | None
    ref: str | None
    status: str
    message: str | None
    created_at: datetime | None
    decided_at: datetime | None
    workshop_id: str | None = None
    contact: ContactOut | None = None


class RequestOut(BaseModel):
    """A request as a municipality (or an admin) sees it."""

    model_config = ConfigDict(extra="forbid")

    release_id: int
    workshop_id: str
    territory: str | None
    firm_id: str
    shortlist_id: str | None
    ref: str | None
    status: str
    message: str | None
    requested_by: int | None
    decided_by: int | None
    created_at: datetime | None
    decided_at: datetime | None


def _decided_at(row: ContactRelease) -> datetime | None:
    return None if row.status == REQUESTED else row.updated_at


def _firm_view(session: Session, row: ContactRelease) -> FirmRequestOut:
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


def _full_view(session: Session, row: ContactRelease) -> RequestOut:
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


def _view(principal: Principal, session: Session, row: ContactRelease) -> FirmRequestOut | RequestOut:
    return _firm_view(session, row) if principal.role == LEAD_FIRM else _full_view(session, row)


def _resolve(refs: dict, ref: str) -> str:
    """The one workshop behind ``ref``; 422 for an unknown ref or a whole group."""
    members = sorted(r for r, ids in refs.items() if len(ids) == 1)
    ids = refs.get(ref)
    if ids is None:
        choose = detail("ref", "contacts.one_of", refs=members)
        if not members:
            choose = detail("ref", "contacts.no_refs")
        raise Unprocessable("contacts.no_ref", ref=ref, details=[choose])
    if len(ids) != 1:
        own = [r for r in members if r.startswith(f"{ref}-")]
        raise Unprocessable("contacts.group", ref=ref, details=[detail("ref", "contacts.one_of", refs=own)])
    return str(ids[0])


@router.post(
    "/shortlists/{shortlist_id}/contact-requests",
    response_model=FirmRequestOut | RequestOut,
    status_code=201,
    **allow(LEAD_FIRM),
)
def request_contact(
    shortlist_id: str,
    body: ContactRequestIn,
    request: Request,
    response: Response,
    principal: Principal = Depends(current),
    session: Session = Depends(get_session),
):
    """Ask a municipality for the contact of a shortlisted workshop, by its reference.

    Only the lead firm the shortlist was made for may ask (and admins, on its
    behalf). One open or granted request per workshop and firm (409 for
    another); a denied one may be asked again. ``Idempotency-Key`` honoured.
    """
    shortlist = readable_shortlist(principal, session, shortlist_id)
    if shortlist.firm_id is None:
        raise Unprocessable("contacts.no_firm")
    workshop_id = _resolve(shortlist.refs or {}, body.ref)

    def create():
        if session.get(WorkshopRow, workshop_id) is None:
            raise Conflict("contacts.gone", ref=body.ref)
        open_request = session.scalar(
            select(ContactRelease).where(
                ContactRelease.workshop_id == workshop_id,
                ContactRelease.firm_id == shortlist.firm_id,
                ContactRelease.status.in_((REQUESTED, RELEASED)),
            )
        )
        if open_request is not None:
            key = "contacts.released" if open_request.status == RELEASED else "contacts.asked"
            raise Conflict(key, release_id=open_request.release_id)
        row = ContactRelease(
            workshop_id=workshop_id,
            firm_id=shortlist.firm_id,
            shortlist_id=shortlist.shortlist_id,
            ref=body.ref,
            status=REQUESTED,
            message=body.message,
            requested_by=principal.user_id,
        )
        session.add(row)
        session.flush()
        audit(
            session,
            principal,
            "create",
            "contact_release",
            str(row.release_id),
            {"shortlist_id": shortlist.shortlist_id, "ref": body.ref},
            data=False,
        )
        return _view(principal, session, row).model_dump(), {}

    return idempotent_create(
        request, response, session, principal, body.model_dump(), create, what="the contact request"
    )


@router.get(
    "/contact-requests",
    response_model=Page[FirmRequestOut] | Page[RequestOut],
    **allow(LEAD_FIRM, MUNICIPALITY),
)
def list_requests(
    page: Paging,
    status: Status | None = Query(None, description="Only requests in this status."),
    principal: Principal = Depends(current),
    session: Session = Depends(get_session),
):
    """Contact requests: a lead firm's own, or those for workshops of a municipality's territories.

    A lead firm sees each request by shortlist reference; the workshop id and
    the contact appear once the request is released.
    """
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
    # A dict, not a model: the response union then picks the one model that forbids nothing in it.
    return page_of(
        session, query, page, lambda row: _view(principal, session, row), [ContactRelease.release_id]
    ).model_dump()


@router.post("/contact-requests/{release_id}/decision", response_model=RequestOut, **allow(MUNICIPALITY))
def decide_request(
    release_id: RowId,
    body: DecisionIn,
    principal: Principal = Depends(current),
    session: Session = Depends(get_session),
) -> RequestOut:
    """Release (``true``) or deny (``false``) a workshop's contact to the firm that asked.

    A municipality decides for the workshops of its territories. A release may
    be withdrawn by deciding again with ``false``. The note goes to the audit
    trail.
    """
    row = session.get(ContactRelease, release_id)
    workshop = session.get(WorkshopRow, row.workshop_id) if row is not None else None
    if row is None or workshop is None or not principal.sees_territory(workshop.territory):
        raise NotFound("contacts.request_not_found", release_id=release_id)
    before = row.status
    row.status = RELEASED if body.release else DENIED
    row.decided_by = principal.user_id
    audit(
        session,
        principal,
        "release" if body.release else "deny",
        "contact_release",
        str(release_id),
        {"before": before, "after": row.status, "note": body.note},
        data=False,
    )
    commit(session, what=f"contact request {release_id}")
    return _full_view(session, row)
