"""Lead firms: list (filtered, paged), get, create, update, delete.

Admins and coordinators manage every firm. A lead firm's account sees only its
own firm and may rename it; it cannot move or delete it.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Query, Request, Response
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from matcher_service.auth import allow, current, get_session
from matcher_service.errors import Conflict, Forbidden, NotFound
from matcher_service.models import LeadFirmRow, OrderRow, User
from matcher_service.roles import COORDINATOR, LEAD_FIRM, Principal
from matcher_service.route import Route
from matcher_service.schemas import Input
from matcher_service.store import (
    Page,
    Paging,
    audit,
    check_version,
    commit,
    etag_of,
    idempotent_create,
    location,
    page_of,
    set_etag,
)

__all__ = ["FirmIn", "FirmOut", "FirmPatch", "router"]

router = APIRouter(route_class=Route, prefix="/lead-firms", tags=["lead firms"])


class FirmIn(Input):
    """A new lead firm (``lead_firms.csv``: firm_id, name, territory)."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"firm_id": "F9", "name": "Uniformes del Sur (synthetic)", "territory": "T1"}]
        },
    )

    firm_id: str = Field(min_length=1, max_length=128, pattern=r"^\S(.*\S)?$")
    name: str | None = Field(None, min_length=1, max_length=256)
    territory: str | None = Field(None, min_length=1, max_length=128)


class FirmPatch(Input):
    """Fields to change (a lead firm may change only its name). ``version`` may replace If-Match."""

    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(None, min_length=1, max_length=256)
    territory: str | None = Field(None, min_length=1, max_length=128)
    version: int | None = Field(None, ge=1)


class FirmOut(BaseModel):
    """A lead firm."""

    firm_id: str
    name: str | None
    territory: str | None
    version: int


def firm_out(row: LeadFirmRow) -> FirmOut:
    return FirmOut(firm_id=row.firm_id, name=row.name, territory=row.territory, version=row.version)


def readable(principal: Principal, session: Session, firm_id: str) -> LeadFirmRow:
    """The firm if the caller may read it (a lead firm: only its own); 404 otherwise."""
    row = session.get(LeadFirmRow, firm_id)
    if row is None or (principal.role == LEAD_FIRM and row.firm_id != principal.firm_id):
        raise NotFound("firms.not_found", firm_id=firm_id)
    return row


@router.get("", response_model=Page[FirmOut], **allow(COORDINATOR, LEAD_FIRM))
def list_firms(
    page: Paging,
    territory: str | None = Query(None, description="Only firms of this territory."),
    principal: Principal = Depends(current),
    session: Session = Depends(get_session),
) -> Page[FirmOut]:
    """Lead firms, by id (a lead firm's account: only its own)."""
    query = select(LeadFirmRow)
    if principal.role == LEAD_FIRM:
        query = query.where(LeadFirmRow.firm_id == principal.firm_id)
    if territory is not None:
        query = query.where(LeadFirmRow.territory == territory)
    return page_of(session, query, page, firm_out, [LeadFirmRow.firm_id])


@router.get("/{firm_id}", response_model=FirmOut, **allow(COORDINATOR, LEAD_FIRM))
def get_firm(
    firm_id: str,
    response: Response,
    principal: Principal = Depends(current),
    session: Session = Depends(get_session),
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
    principal: Principal = Depends(current),
    session: Session = Depends(get_session),
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
    principal: Principal = Depends(current),
    session: Session = Depends(get_session),
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
    principal: Principal = Depends(current),
    session: Session = Depends(get_session),
) -> Response:
    """Remove a lead firm that has no orders and no user accounts; needs ``If-Match``.

    A firm still referred to answers 409 with what refers to it: delete or move
    its orders and its accounts first, so nothing is left pointing nowhere.
    """
    row = readable(principal, session, firm_id)
    check_version(request, row.firm_id, row.version)
    orders = session.scalar(select(func.count()).where(OrderRow.firm_id == firm_id)) or 0
    accounts = session.scalar(select(func.count()).where(User.firm_id == firm_id)) or 0
    if orders or accounts:
        raise Conflict("firms.in_use", firm_id=firm_id, orders=orders, accounts=accounts)
    session.delete(row)
    audit(session, principal, "delete", "lead_firm", firm_id)
    commit(session, what=f"lead firm {firm_id}")
    return Response(status_code=204)
