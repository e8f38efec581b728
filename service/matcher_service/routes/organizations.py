"""Organizations (associations, cooperatives): list, get, create, update, delete.

Admins and coordinators manage them; an association leader reads only their
own organization. Each carries the number of member workshops.
"""

from __future__ import annotations

from collections.abc import Sequence

from fastapi import APIRouter, Depends, Request, Response
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from matcher_service.auth import allow, current, get_session
from matcher_service.errors import Conflict, NotFound
from matcher_service.models import Membership, OrganizationRow, User
from matcher_service.roles import COORDINATOR, LEADER, Principal
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

__all__ = ["OrganizationIn", "OrganizationOut", "OrganizationPatch", "router"]

router = APIRouter(route_class=Route, prefix="/organizations", tags=["organizations"])


class OrganizationIn(Input):
    """A new organization; workshops join it through their ``organizations``."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"organization_id": "ORG9", "name": "Asociación Norte"}]},
    )

    organization_id: str = Field(min_length=1, max_length=128, pattern=r"^[^;\s]([^;]*[^;\s])?$")
    name: str | None = Field(None, min_length=1, max_length=256)


class OrganizationPatch(Input):
    """A new name (``null`` clears it). ``version`` may replace If-Match."""

    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(None, min_length=1, max_length=256)
    version: int | None = Field(None, ge=1)


class OrganizationOut(BaseModel):
    """An organization and how many workshops belong to it."""

    organization_id: str
    name: str | None
    member_count: int
    version: int


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
    return OrganizationOut(
        organization_id=row.organization_id, name=row.name, member_count=members, version=row.version
    )


def _out(session: Session, row: OrganizationRow) -> OrganizationOut:
    return organization_out(row, member_counts(session, [row.organization_id]).get(row.organization_id, 0))


def readable(principal: Principal, session: Session, organization_id: str) -> OrganizationRow:
    """The organization if the caller may read it (a leader: only their own); 404 otherwise."""
    row = session.get(OrganizationRow, organization_id)
    if row is None or (principal.role == LEADER and row.organization_id != principal.organization_id):
        raise NotFound("organizations.not_found", organization_id=organization_id)
    return row


@router.get("", response_model=Page[OrganizationOut], **allow(COORDINATOR, LEADER))
def list_organizations(
    page: Paging,
    principal: Principal = Depends(current),
    session: Session = Depends(get_session),
) -> Page[OrganizationOut]:
    """Organizations by id (an association leader: only their own)."""
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


@router.get("/{organization_id}", response_model=OrganizationOut, **allow(COORDINATOR, LEADER))
def get_organization(
    organization_id: str,
    response: Response,
    principal: Principal = Depends(current),
    session: Session = Depends(get_session),
) -> OrganizationOut:
    """One organization, with its ETag."""
    row = readable(principal, session, organization_id)
    set_etag(response, row.organization_id, row.version)
    return _out(session, row)


@router.post("", response_model=OrganizationOut, status_code=201, **allow(COORDINATOR))
def create_organization(
    body: OrganizationIn,
    request: Request,
    response: Response,
    principal: Principal = Depends(current),
    session: Session = Depends(get_session),
):
    """Add an organization (``Idempotency-Key`` honoured).

    Organization ids are shared by the whole cluster: a taken id answers 409
    saying the organization exists, since whoever may add organizations reads
    every organization.
    """

    def create():
        if session.get(OrganizationRow, body.organization_id) is not None:
            raise Conflict("organizations.exists", organization_id=body.organization_id)
        row = OrganizationRow(organization_id=body.organization_id, name=body.name)
        session.add(row)
        session.flush()
        audit(session, principal, "create", "organization", row.organization_id, body.model_dump())
        return _out(session, row), {
            "ETag": etag_of(row.organization_id, row.version),
            "Location": location("/organizations", row.organization_id),
        }

    return idempotent_create(
        request, response, session, principal, body.model_dump(), create, what="the organization"
    )


@router.patch("/{organization_id}", response_model=OrganizationOut, **allow(COORDINATOR))
def update_organization(
    organization_id: str,
    body: OrganizationPatch,
    request: Request,
    response: Response,
    principal: Principal = Depends(current),
    session: Session = Depends(get_session),
) -> OrganizationOut:
    """Rename an organization; needs ``If-Match`` (412 when stale) or ``version`` (409 when stale)."""
    row = readable(principal, session, organization_id)
    check_version(request, row.organization_id, row.version, body.version)
    changes = body.model_dump(exclude_unset=True, exclude={"version"})
    if "name" in changes:
        row.name = changes["name"]
    audit(session, principal, "update", "organization", organization_id, changes)
    commit(session, what=f"organization {organization_id}")
    set_etag(response, row.organization_id, row.version)
    return _out(session, row)


@router.delete("/{organization_id}", status_code=204, **allow(COORDINATOR))
def delete_organization(
    organization_id: str,
    request: Request,
    principal: Principal = Depends(current),
    session: Session = Depends(get_session),
) -> Response:
    """Remove an organization without members or leaders; needs ``If-Match``.

    One still referred to answers 409: take its workshops out of it and move
    its leaders' accounts first.
    """
    row = readable(principal, session, organization_id)
    check_version(request, row.organization_id, row.version)
    members = member_counts(session, [organization_id]).get(organization_id, 0)
    leaders = session.scalar(select(func.count()).where(User.organization_id == organization_id)) or 0
    if members or leaders:
        raise Conflict(
            "organizations.in_use", organization_id=organization_id, members=members, accounts=leaders
        )
    session.delete(row)
    audit(session, principal, "delete", "organization", organization_id)
    commit(session, what=f"organization {organization_id}")
    return Response(status_code=204)
