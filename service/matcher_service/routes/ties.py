"""Ties between workshops: list (filtered, paged), get, create, update, delete — within the caller's scope.

A coordinator reads and changes the ties whose two ends are both in their
territories; an association leader reads the ties whose two ends are both
members of their organization. The rules are those of ``ties.csv`` in the
dataset contract: a known kind, strength 1..5, two different workshops that
exist, and no second tie of the same kind and wave between the same pair.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from sqlalchemy.orm import Session

from matcher.model import Tie
from matcher_service.auth import allow
from matcher_service.convert import tie_of, tie_row
from matcher_service.crud.ties import duplicate_of, tie_out, tie_page, visible_workshops
from matcher_service.deps import CurrentPrincipal, Paging, RowId, SessionDep
from matcher_service.errors import Conflict, NotFound, Unprocessable, detail
from matcher_service.models import TieRow
from matcher_service.roles import COORDINATOR, LEADER, Principal
from matcher_service.route import Route, kept_per_data_version
from matcher_service.schemas.ties import TieIn, TieOut, TiePatch
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

router = APIRouter(route_class=Route, prefix="/ties", tags=["ties"])


def tie_key(tie_id: int) -> str:
    """The ETag key of a tie."""
    return f"tie-{tie_id}"


def readable(principal: Principal, session: Session, tie_id: int) -> TieRow:
    """The tie if both its ends are in the caller's scope; 404 otherwise."""
    row = session.get(TieRow, tie_id)
    if row is None or visible_workshops(session, principal, {row.source, row.target}) != {
        row.source,
        row.target,
    }:
        raise NotFound("ties.not_found", tie_id=tie_id)
    return row


def writable(principal: Principal, session: Session, tie_id: int) -> TieRow:
    """The tie if the caller may change it (admin, or a coordinator of both ends' territories)."""
    if not (principal.is_admin or principal.role == COORDINATOR):
        raise NotFound("ties.not_found", tie_id=tie_id)
    return readable(principal, session, tie_id)


def _check(session: Session, principal: Principal, tie: Tie, tie_id: int | None = None) -> None:
    """Every reason the tie breaks the contract (422), then a duplicate of another tie (409)."""
    problems = []
    if tie.source == tie.target:
        problems.append(detail("target", "ties.self"))
    seen = visible_workshops(session, principal, {tie.source, tie.target})
    unknown = "ties.unknown_workshop" if principal.is_admin else "ties.unknown_workshop_seen"
    for field, end in (("source", tie.source), ("target", tie.target)):
        if end not in seen and not (field == "target" and end == tie.source):
            problems.append(detail(field, unknown, workshop_id=end))
    if problems:
        raise Unprocessable(details=problems)
    # The same kind and wave between the same pair is one tie.
    clash = duplicate_of(session, tie, tie_id)
    if clash is not None:
        key = "ties.duplicate_in_wave" if tie.wave else "ties.duplicate"
        raise Conflict(
            key, kind=[tie.kind], source=tie.source, target=tie.target, wave=tie.wave, tie_id=clash
        )


@router.get("", response_model=Page[TieOut], **allow(COORDINATOR, LEADER))
@kept_per_data_version
def list_ties(
    page: Paging,
    principal: CurrentPrincipal,
    session: SessionDep,
    workshop: Annotated[str | None, Query(description="Only ties with this workshop at either end.")] = None,
    kind: Annotated[str | None, Query(description="Only ties of this kind.")] = None,
    wave: Annotated[str | None, Query(description="Only ties of this survey round.")] = None,
) -> Page[TieOut]:
    """Ties whose two ends are in the caller's scope, by id."""
    return tie_page(session, principal, page, workshop=workshop, kind=kind, wave=wave)


@router.get("/{tie_id}", response_model=TieOut, **allow(COORDINATOR, LEADER))
@kept_per_data_version
def get_tie(
    tie_id: RowId,
    response: Response,
    principal: CurrentPrincipal,
    session: SessionDep,
) -> TieOut:
    """One tie, with its ETag."""
    row = readable(principal, session, tie_id)
    set_etag(response, tie_key(row.tie_id), row.version)
    return tie_out(row)


@router.post("", response_model=TieOut, status_code=201, **allow(COORDINATOR))
def create_tie(
    body: TieIn,
    request: Request,
    response: Response,
    principal: CurrentPrincipal,
    session: SessionDep,
):
    """Add a tie between two workshops of the caller's territories (``Idempotency-Key`` honoured)."""
    tie = Tie(body.source, body.target, body.kind, body.strength, body.wave)

    def create():
        _check(session, principal, tie)
        row = tie_row(tie)
        session.add(row)
        session.flush()
        audit(session, principal, "create", "tie", str(row.tie_id), body.model_dump())
        return tie_out(row), {
            "ETag": etag_of(tie_key(row.tie_id), row.version),
            "Location": location("/ties", row.tie_id),
        }

    return idempotent_create(request, response, session, principal, body.model_dump(), create, what="the tie")


@router.patch("/{tie_id}", response_model=TieOut, **allow(COORDINATOR))
def update_tie(
    tie_id: RowId,
    body: TiePatch,
    request: Request,
    response: Response,
    principal: CurrentPrincipal,
    session: SessionDep,
) -> TieOut:
    """Change some fields; needs ``If-Match`` (412 when stale) or ``version`` (409 when stale).

    Sending ``"wave": null`` moves the tie out of any survey round.
    """
    row = writable(principal, session, tie_id)
    check_version(request, tie_key(row.tie_id), row.version, body.version)
    changes = body.model_dump(exclude_unset=True, exclude={"version"})
    for name in ("source", "target", "kind", "strength"):
        if name in changes and changes[name] is None:
            raise Unprocessable(
                "invalid.not_null_fields", fields=[name], details=[detail(name, "invalid.not_null")]
            )
    current_tie = tie_of(row)
    tie = Tie(
        changes.get("source", current_tie.source),
        changes.get("target", current_tie.target),
        changes.get("kind", current_tie.kind),
        changes.get("strength", current_tie.strength),
        changes.get("wave", current_tie.wave),
    )
    _check(session, principal, tie, tie_id=row.tie_id)
    tie_row(tie, row)
    audit(session, principal, "update", "tie", str(tie_id), changes)
    commit(session, what=f"tie {tie_id}")
    set_etag(response, tie_key(row.tie_id), row.version)
    return tie_out(row)


@router.delete("/{tie_id}", status_code=204, **allow(COORDINATOR))
def delete_tie(
    tie_id: RowId,
    request: Request,
    principal: CurrentPrincipal,
    session: SessionDep,
) -> Response:
    """Remove a tie; needs ``If-Match``."""
    row = writable(principal, session, tie_id)
    check_version(request, tie_key(row.tie_id), row.version)
    detail = tie_out(row).model_dump(exclude={"version"})
    session.delete(row)
    audit(session, principal, "delete", "tie", str(tie_id), detail)
    commit(session, what=f"tie {tie_id}")
    return Response(status_code=204)
