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

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request, Response
from sqlalchemy.orm import Session

from matcher_service.auth import allow
from matcher_service.crud.contacts import (
    DENIED,
    RELEASED,
    REQUESTED,
    contact_out,
    contact_page,
    open_request_for,
    released_to,
    request_out,
    request_page,
    request_view,
)
from matcher_service.deps import CurrentPrincipal, Paging, RowId, SessionDep
from matcher_service.errors import Conflict, NotFound, Unprocessable, detail
from matcher_service.models import ContactRelease, ContactRow, WorkshopRow
from matcher_service.policy import readable_shortlist
from matcher_service.roles import COORDINATOR, LEAD_FIRM, MUNICIPALITY, Principal
from matcher_service.route import Route
from matcher_service.schemas.contacts import (
    ContactIn,
    ContactOut,
    ContactRequestIn,
    ContactWritten,
    DecisionIn,
    FirmRequestOut,
    RequestOut,
)
from matcher_service.store import Page, audit, check_version, commit, idempotent_create, set_etag

__all__ = ["CONTACT_FIELDS", "router"]

router = APIRouter(route_class=Route, tags=["contacts"])

#: The private fields of a contact, in the order they are shown.
CONTACT_FIELDS = ("owner_name", "phone", "address", "lat", "lon")
Status = Literal["requested", "released", "denied"]


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
    principal: CurrentPrincipal,
    session: SessionDep,
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
    principal: CurrentPrincipal,
    session: SessionDep,
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
    principal: CurrentPrincipal,
    session: SessionDep,
    territory: Annotated[str | None, Query(description="Only this territory.")] = None,
) -> Page[ContactOut]:
    """Contacts of the workshops in the municipality's territories, by workshop id."""
    return contact_page(session, principal, page, territory=territory)


# ---------------------------------------------------------------- releases


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
    principal: CurrentPrincipal,
    session: SessionDep,
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
        open_request = open_request_for(session, workshop_id, shortlist.firm_id)
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
        return request_view(principal, session, row).model_dump(), {}

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
    principal: CurrentPrincipal,
    session: SessionDep,
    status: Annotated[Status | None, Query(description="Only requests in this status.")] = None,
):
    """Contact requests: a lead firm's own, or those for workshops of a municipality's territories.

    A lead firm sees each request by shortlist reference; the workshop id and
    the contact appear once the request is released.
    """
    # A dict, not a model: the response union then picks the one model that forbids nothing in it.
    return request_page(session, principal, page, status=status).model_dump()


@router.post("/contact-requests/{release_id}/decision", response_model=RequestOut, **allow(MUNICIPALITY))
def decide_request(
    release_id: RowId,
    body: DecisionIn,
    principal: CurrentPrincipal,
    session: SessionDep,
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
    return request_out(session, row)
