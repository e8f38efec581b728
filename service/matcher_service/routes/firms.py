"""Lead firms: list (filtered, paged), get, create, update, delete.

Admins and coordinators manage every firm. A lead firm's account sees only its
own firm and may rename it; it cannot move or delete it.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from sqlalchemy.orm import Session

from matcher_service.auth import allow
from matcher_service.crud.firms import firm_out, firm_page, firm_references
from matcher_service.deps import CurrentPrincipal, Paging, SessionDep
from matcher_service.errors import Conflict, Forbidden, NotFound
from matcher_service.models import LeadFirmRow
from matcher_service.roles import COORDINATOR, LEAD_FIRM, Principal
from matcher_service.route import Route
from matcher_service.schemas.firms import FirmIn, FirmOut, FirmPatch
from matcher_service.store import (
    Page,
    audit,
    check_version,
    commit,
    etag_of,
    idempotent_create,
    location,
    set_etag,
)

__all__ = ["router"]

router = APIRouter(route_class=Route, prefix="/lead-firms", tags=["lead firms"])


def readable(principal: Principal, session: Session, firm_id: str) -> LeadFirmRow:
    """The firm if the caller may read it (a lead firm: only its own); 404 otherwise."""
    row = session.get(LeadFirmRow, firm_id)
    if row is None or (principal.role == LEAD_FIRM and row.firm_id != principal.firm_id):
        raise NotFound("firms.not_found", firm_id=firm_id)
    return row


@router.get("", response_model=Page[FirmOut], **allow(COORDINATOR, LEAD_FIRM))
def list_firms(
    page: Paging,
    principal: CurrentPrincipal,
    session: SessionDep,
    territory: Annotated[str | None, Query(description="Only firms of this territory.")] = None,
) -> Page[FirmOut]:
    """Lead firms, by id (a lead firm's account: only its own)."""
    return firm_page(session, principal, page, territory=territory)


@router.get("/{firm_id}", response_model=FirmOut, **allow(COORDINATOR, LEAD_FIRM))
def get_firm(
    firm_id: str,
    response: Response,
    principal: CurrentPrincipal,
    session: SessionDep,
) -> FirmOut:
    """One lead firm, with its ETag."""
    row = readable(principal, session, firm_id)
    set_etag(response, row.firm_id, row.version)
    return firm_out(row)


@router.post("", response_model=FirmOut, status_code=201, **allow(COORDINATOR))
def create_firm(
    body: FirmIn,
    request: Request,
    response: Response,
    principal: CurrentPrincipal,
    session: SessionDep,
):
    """Add a lead firm (``Idempotency-Key`` honoured).

    Firm ids are shared by the whole cluster: a taken id answers 409 saying the
    firm exists, since whoever may add firms reads every firm.
    """

    def create():
        if session.get(LeadFirmRow, body.firm_id) is not None:
            raise Conflict("firms.exists", firm_id=body.firm_id)
        row = LeadFirmRow(firm_id=body.firm_id, name=body.name, territory=body.territory)
        session.add(row)
        session.flush()
        audit(session, principal, "create", "lead_firm", row.firm_id, body.model_dump())
        return firm_out(row), {
            "ETag": etag_of(row.firm_id, row.version),
            "Location": location("/lead-firms", row.firm_id),
        }

    return idempotent_create(
        request, response, session, principal, body.model_dump(), create, what="the lead firm"
    )


@router.patch("/{firm_id}", response_model=FirmOut, **allow(COORDINATOR, LEAD_FIRM))
def update_firm(
    firm_id: str,
    body: FirmPatch,
    request: Request,
    response: Response,
    principal: CurrentPrincipal,
    session: SessionDep,
) -> FirmOut:
    """Rename or move a firm; needs ``If-Match`` (412 when stale) or ``version`` (409 when stale).

    A lead firm's account may change its own firm's name only; ``null`` clears a field.
    """
    row = readable(principal, session, firm_id)
    check_version(request, row.firm_id, row.version, body.version)
    changes = body.model_dump(exclude_unset=True, exclude={"version"})
    if principal.role == LEAD_FIRM and set(changes) - {"name"}:
        raise Forbidden("firms.name_only")
    for name, value in changes.items():
        setattr(row, name, value)
    audit(session, principal, "update", "lead_firm", firm_id, changes)
    commit(session, what=f"lead firm {firm_id}")
    set_etag(response, row.firm_id, row.version)
    return firm_out(row)


@router.delete("/{firm_id}", status_code=204, **allow(COORDINATOR))
def delete_firm(
    firm_id: str,
    request: Request,
    principal: CurrentPrincipal,
    session: SessionDep,
) -> Response:
    """Remove a lead firm that has no orders and no user accounts; needs ``If-Match``.

    A firm still referred to answers 409 with what refers to it: delete or move
    its orders and its accounts first, so nothing is left pointing nowhere.
    """
    row = readable(principal, session, firm_id)
    check_version(request, row.firm_id, row.version)
    orders, accounts = firm_references(session, firm_id)
    if orders or accounts:
        raise Conflict("firms.in_use", firm_id=firm_id, orders=orders, accounts=accounts)
    session.delete(row)
    audit(session, principal, "delete", "lead_firm", firm_id)
    commit(session, what=f"lead firm {firm_id}")
    return Response(status_code=204)
