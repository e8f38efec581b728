"""Workshops: list (filtered, paged), get, create, update, delete — within the caller's scope."""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from matcher.model import Workshop
from matcher.routing import known_processes
from matcher_service.auth import allow
from matcher_service.convert import routings_from_session, workshop_of
from matcher_service.crud.workshops import (
    answer_row,
    store_workshop,
    workshop_answer,
    workshop_out,
    workshop_page,
)
from matcher_service.deps import CurrentPrincipal, Paging, SessionDep
from matcher_service.errors import Conflict, Forbidden, NotFound, Unprocessable, detail, validation_details
from matcher_service.models import WorkshopRow
from matcher_service.policy import workshop_in_scope, writable_workshop
from matcher_service.roles import COORDINATOR, LEADER, Principal
from matcher_service.route import Route, kept_per_data_version
from matcher_service.schemas.workshops import WorkshopIn, WorkshopOut, WorkshopPatch, workshop_fields
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

router = APIRouter(route_class=Route, prefix="/workshops", tags=["workshops"])


def _check_codes(session: Session, products: tuple[str, ...], processes: tuple[str, ...]) -> None:
    routings = routings_from_session(session)
    problems = []
    unknown = [p for p in products if p not in routings]
    if unknown:
        problems.append(
            detail("products", "workshops.unknown_products", products=unknown, count=len(unknown))
        )
    known = known_processes(routings)
    unknown = [p for p in processes if p not in known]
    if unknown:
        problems.append(
            detail("processes", "workshops.unknown_processes", processes=unknown, count=len(unknown))
        )
    if problems:
        raise Unprocessable(details=problems)


def _check_territory(principal: Principal, territory: str) -> None:
    if not principal.sees_territory(territory):
        raise Forbidden("workshops.outside", territory=territory)


@router.get("", response_model=Page[WorkshopOut], **allow(COORDINATOR, LEADER))
@kept_per_data_version
def list_workshops(
    page: Paging,
    principal: CurrentPrincipal,
    session: SessionDep,
    territory: Annotated[str | None, Query(description="Only this territory.")] = None,
    organization: Annotated[str | None, Query(description="Only members of this organization.")] = None,
    product: Annotated[str | None, Query(description="Only workshops that make this product.")] = None,
    can_lead: bool | None = None,
) -> Page[WorkshopOut]:
    """Workshops in the caller's scope, by id."""
    return workshop_page(
        session,
        principal,
        page,
        territory=territory,
        organization=organization,
        product=product,
        can_lead=can_lead,
    )


@router.get("/{workshop_id}", response_model=WorkshopOut, **allow(COORDINATOR, LEADER))
@kept_per_data_version
def get_workshop(
    workshop_id: str,
    response: Response,
    principal: CurrentPrincipal,
    session: SessionDep,
) -> WorkshopOut:
    """One workshop, with its ETag."""
    row = answer_row(session, workshop_id)
    if row is None or not workshop_in_scope(principal, row):
        raise NotFound("workshops.not_found", workshop_id=workshop_id)
    set_etag(response, row.workshop_id, row.version)
    return workshop_answer(row)


@router.post("", response_model=WorkshopOut, status_code=201, **allow(COORDINATOR))
def create_workshop(
    body: WorkshopIn,
    request: Request,
    response: Response,
    principal: CurrentPrincipal,
    session: SessionDep,
):
    """Add a workshop in one of the caller's territories (``Idempotency-Key`` honoured).

    Workshop ids are shared by the whole cluster: an id taken in any territory
    cannot be used again (409). When the caller can read the workshop holding
    it the answer says it exists; otherwise it says only that the id cannot be
    used, nothing of the workshop, its territory or whether it exists.
    """
    _check_territory(principal, body.territory)
    fields = workshop_fields(body.model_dump())
    _check_codes(session, fields["products"], fields["processes"])

    def create():
        taken = session.get(WorkshopRow, body.workshop_id)
        if taken is not None:
            key = "workshops.exists" if workshop_in_scope(principal, taken) else "workshops.id_unavailable"
            raise Conflict(key, workshop_id=body.workshop_id)
        row = store_workshop(session, Workshop(**fields))
        session.flush()
        audit(session, principal, "create", "workshop", row.workshop_id, body.model_dump())
        return workshop_out(row), {
            "ETag": etag_of(row.workshop_id, row.version),
            "Location": location("/workshops", row.workshop_id),
        }

    return idempotent_create(
        request, response, session, principal, body.model_dump(), create, what="the workshop"
    )


@router.patch("/{workshop_id}", response_model=WorkshopOut, **allow(COORDINATOR))
def update_workshop(
    workshop_id: str,
    body: WorkshopPatch,
    request: Request,
    response: Response,
    principal: CurrentPrincipal,
    session: SessionDep,
) -> WorkshopOut:
    """Change some fields; needs ``If-Match`` (412 when stale) or ``version`` (409 when stale)."""
    row = writable_workshop(principal, session, workshop_id)
    check_version(request, row.workshop_id, row.version, body.version)
    changes = workshop_fields(body.model_dump(exclude_unset=True, exclude={"version"}))
    current_ws = workshop_of(row)
    updated = replace(current_ws, **changes)
    try:
        WorkshopIn(**_as_body(updated))
    except ValidationError as exc:  # the fields together break a rule of the whole workshop
        raise Unprocessable(details=validation_details(exc.errors(), where="body")) from None
    _check_territory(principal, updated.territory)
    if "products" in changes or "processes" in changes:
        _check_codes(session, updated.products, updated.processes)
    store_workshop(session, updated, row)
    audit(session, principal, "update", "workshop", workshop_id, body.model_dump(exclude_unset=True))
    commit(session, what=f"workshop {workshop_id}")
    set_etag(response, row.workshop_id, row.version)
    return workshop_out(row)


def _as_body(w: Workshop) -> dict:
    return {
        "workshop_id": w.workshop_id,
        "territory": w.territory,
        "workers": w.workers,
        "products": list(w.products),
        "processes": list(w.processes),
        "women_workers": w.women_workers,
        "hours_per_week": w.hours_per_week,
        "efficiency": w.efficiency,
        "capacity_minutes_per_week": w.capacity_minutes_per_week,
        "committed_minutes_per_week": w.committed_minutes_per_week,
        "machines": dict(w.machines),
        "quality": w.quality,
        "formal": w.formal,
        "can_lead": w.can_lead,
        "cost_per_minute": w.cost_per_minute,
        "organizations": list(w.organizations),
        "reliability": w.reliability,
        "extra": dict(w.extra),
    }


@router.delete("/{workshop_id}", status_code=204, **allow(COORDINATOR))
def delete_workshop(
    workshop_id: str,
    request: Request,
    principal: CurrentPrincipal,
    session: SessionDep,
) -> Response:
    """Remove a workshop, its ties and its contact; needs ``If-Match``."""
    row = writable_workshop(principal, session, workshop_id)
    check_version(request, row.workshop_id, row.version)
    session.delete(row)
    audit(session, principal, "delete", "workshop", workshop_id)
    commit(session, what=f"workshop {workshop_id}")
    return Response(status_code=204)
