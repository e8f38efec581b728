"""Organizations (associations, cooperatives): list, get, create, update, delete.

Admins and coordinators manage them; an association leader reads only their
own organization. Each carries the number of member workshops.
"""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from sqlalchemy.orm import Session

from matcher_service.auth import allow
from matcher_service.crud.organizations import (
    leader_count,
    member_counts,
    organization_answer,
    organization_page,
)
from matcher_service.deps import CurrentPrincipal, Paging, SessionDep
from matcher_service.errors import Conflict, NotFound
from matcher_service.models import OrganizationRow
from matcher_service.roles import COORDINATOR, LEADER, Principal
from matcher_service.route import Route
from matcher_service.schemas.organizations import OrganizationIn, OrganizationOut, OrganizationPatch
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

router = APIRouter(route_class=Route, prefix="/organizations", tags=["organizations"])


def readable(principal: Principal, session: Session, organization_id: str) -> OrganizationRow:
    """The organization if the caller may read it (a leader: only their own); 404 otherwise."""
    row = session.get(OrganizationRow, organization_id)
    if row is None or (principal.role == LEADER and row.organization_id != principal.organization_id):
        raise NotFound("organizations.not_found", organization_id=organization_id)
    return row


@router.get("", response_model=Page[OrganizationOut], **allow(COORDINATOR, LEADER))
def list_organizations(
    page: Paging,
    principal: CurrentPrincipal,
    session: SessionDep,
) -> Page[OrganizationOut]:
    """Organizations by id (an association leader: only their own)."""
    return organization_page(session, principal, page)


@router.get("/{organization_id}", response_model=OrganizationOut, **allow(COORDINATOR, LEADER))
def get_organization(
    organization_id: str,
    response: Response,
    principal: CurrentPrincipal,
    session: SessionDep,
) -> OrganizationOut:
    """One organization, with its ETag."""
    row = readable(principal, session, organization_id)
    set_etag(response, row.organization_id, row.version)
    return organization_answer(session, row)


@router.post("", response_model=OrganizationOut, status_code=201, **allow(COORDINATOR))
def create_organization(
    body: OrganizationIn,
    request: Request,
    response: Response,
    principal: CurrentPrincipal,
    session: SessionDep,
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
        return organization_answer(session, row), {
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
    principal: CurrentPrincipal,
    session: SessionDep,
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
    return organization_answer(session, row)


@router.delete("/{organization_id}", status_code=204, **allow(COORDINATOR))
def delete_organization(
    organization_id: str,
    request: Request,
    principal: CurrentPrincipal,
    session: SessionDep,
) -> Response:
    """Remove an organization without members or leaders; needs ``If-Match``.

    One still referred to answers 409: take its workshops out of it and move
    its leaders' accounts first.
    """
    row = readable(principal, session, organization_id)
    check_version(request, row.organization_id, row.version)
    members = member_counts(session, [organization_id]).get(organization_id, 0)
    leaders = leader_count(session, organization_id)
    if members or leaders:
        raise Conflict(
            "organizations.in_use", organization_id=organization_id, members=members, accounts=leaders
        )
    session.delete(row)
    audit(session, principal, "delete", "organization", organization_id)
    commit(session, what=f"organization {organization_id}")
    return Response(status_code=204)
