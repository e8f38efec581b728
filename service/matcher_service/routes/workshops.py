"""Workshops: list (filtered, paged), get, create, update, delete — within the caller's scope."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from fastapi import APIRouter, Depends, Query, Request, Response
from pydantic import ValidationError
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from matcher.model import Workshop
from matcher.routing import known_processes
from matcher_service.auth import allow, current, get_session
from matcher_service.convert import memberships, routings_from_session, workshop_of, workshop_row
from matcher_service.errors import Conflict, Forbidden, NotFound, Unprocessable, detail, validation_details
from matcher_service.models import Membership, WorkshopRow
from matcher_service.policy import workshop_in_scope, writable_workshop
from matcher_service.roles import COORDINATOR, LEADER, Principal
from matcher_service.route import Route, kept_per_data_version
from matcher_service.schemas import WorkshopIn, WorkshopOut, WorkshopPatch, workshop_fields
from matcher_service.store import (
    Page,
    Paging,
    audit,
    check_version,
    commit,
    etag_of,
    idempotent_create,
    location,
    one_of,
    page_of,
    set_etag,
)

router = APIRouter(route_class=Route, prefix="/workshops", tags=["workshops"])


#: The fields of an answer taken from their column as stored, and the lists among the rest.
_PLAIN = (
    "workshop_id", "territory", "workers", "women_workers", "hours_per_week", "efficiency",
    "capacity_minutes_per_week", "committed_minutes_per_week", "quality", "formal", "can_lead",
    "cost_per_minute", "reliability", "version",
)  # fmt: skip
_LISTS = ("products", "processes", "organizations")

#: The columns a read of workshops selects, in this order: rows, not ORM objects (a page reads fifty).
ANSWER_COLUMNS = tuple(getattr(WorkshopRow, name) for name in (*_PLAIN, *_LISTS, "machines", "extra"))

#: A read of workshops, built once (each filter adds to a copy).
_ANSWERS = select(*ANSWER_COLUMNS)


def workshop_answer(row: Sequence[Any]) -> dict[str, Any]:
    """A workshop's answer as the plain body FastAPI checks against :class:`WorkshopOut`, from a
    row of :data:`ANSWER_COLUMNS` (read by position: a row's attributes cost more)."""
    answer = dict(zip(_PLAIN, row, strict=False))
    products, processes, organizations, machines, extra = row[len(_PLAIN) :]
    answer["products"] = list(products or ())
    answer["processes"] = list(processes or ())
    answer["organizations"] = list(organizations or ())
    answer["machines"] = {str(m): int(n) for m, n in (machines or ())}
    answer["extra"] = {str(k): str(v) for k, v in (extra or ())}
    return answer


def workshop_out(row: WorkshopRow) -> WorkshopOut:
    """A stored workshop's characterization as coordinators and association leaders see it
    (:func:`workshop_answer` of its columns)."""
    return WorkshopOut(**workshop_answer([getattr(row, column.key) for column in ANSWER_COLUMNS]))


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


def _store(session: Session, workshop: Workshop, row: WorkshopRow | None = None) -> WorkshopRow:
    row = workshop_row(workshop, row)
    if row.version is None:
        session.add(row)
    session.execute(delete(Membership).where(Membership.workshop_id == workshop.workshop_id))
    session.add_all(memberships(workshop))
    return row


@router.get("", response_model=Page[WorkshopOut], **allow(COORDINATOR, LEADER))
@kept_per_data_version
def list_workshops(
    page: Paging,
    territory: str | None = Query(None, description="Only this territory."),
    organization: str | None = Query(None, description="Only members of this organization."),
    product: str | None = Query(None, description="Only workshops that make this product."),
    can_lead: bool | None = Query(None),
    principal: Principal = Depends(current),
    session: Session = Depends(get_session),
) -> Page[WorkshopOut]:
    """Workshops in the caller's scope, by id."""
    query = _ANSWERS
    if principal.role == COORDINATOR:
        query = query.where(one_of(session, WorkshopRow.territory, principal.territories))
    elif principal.role == LEADER:
        query = query.where(
            WorkshopRow.workshop_id.in_(
                select(Membership.workshop_id).where(Membership.organization_id == principal.organization_id)
            )
        )
    if territory is not None:
        query = query.where(WorkshopRow.territory == territory)
    if organization is not None:
        query = query.where(
            WorkshopRow.workshop_id.in_(
                select(Membership.workshop_id).where(Membership.organization_id == organization)
            )
        )
    if can_lead is not None:
        query = query.where(WorkshopRow.can_lead == can_lead)
    if product is not None:
        # JSON containment differs between databases; filter the page candidates in Python.
        rows = [
            r
            for r in session.execute(query.order_by(WorkshopRow.workshop_id))
            if product in (r.products or ())
        ]
        chosen = rows[page.offset : page.offset + page.limit]
        return Page(
            items=[workshop_answer(r) for r in chosen], total=len(rows), limit=page.limit, offset=page.offset
        )
    return page_of(session, query, page, workshop_answer, [WorkshopRow.workshop_id], cluster_data=True)


@router.get("/{workshop_id}", response_model=WorkshopOut, **allow(COORDINATOR, LEADER))
@kept_per_data_version
def get_workshop(
    workshop_id: str,
    response: Response,
    principal: Principal = Depends(current),
    session: Session = Depends(get_session),
) -> WorkshopOut:
    """One workshop, with its ETag."""
    row = session.execute(_ANSWERS.where(WorkshopRow.workshop_id == workshop_id)).first()
    if row is None or not workshop_in_scope(principal, row):
        raise NotFound("workshops.not_found", workshop_id=workshop_id)
    set_etag(response, row.workshop_id, row.version)
    return workshop_answer(row)


@router.post("", response_model=WorkshopOut, status_code=201, **allow(COORDINATOR))
def create_workshop(
    body: WorkshopIn,
    request: Request,
    response: Response,
    principal: Principal = Depends(current),
    session: Session = Depends(get_session),
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
        row = _store(session, Workshop(**fields))
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
    principal: Principal = Depends(current),
    session: Session = Depends(get_session),
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
    _store(session, updated, row)
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
    principal: Principal = Depends(current),
    session: Session = Depends(get_session),
) -> Response:
    """Remove a workshop, its ties and its contact; needs ``If-Match``."""
    row = writable_workshop(principal, session, workshop_id)
    check_version(request, row.workshop_id, row.version)
    session.delete(row)
    audit(session, principal, "delete", "workshop", workshop_id)
    commit(session, what=f"workshop {workshop_id}")
    return Response(status_code=204)
