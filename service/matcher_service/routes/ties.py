"""Ties between workshops: list (filtered, paged), get, create, update, delete — within the caller's scope.

A coordinator reads and changes the ties whose two ends are both in their
territories; an association leader reads the ties whose two ends are both
members of their organization. The rules are those of ``ties.csv`` in the
dataset contract: a known kind, strength 1..5, two different workshops that
exist, and no second tie of the same kind and wave between the same pair.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from fastapi import APIRouter, Depends, Query, Request, Response
from pydantic import BaseModel, ConfigDict, Field, field_validator
from sqlalchemy import ColumnElement, Select, and_, exists, false, or_, select
from sqlalchemy.orm import Session

from matcher.model import DEFAULT_STRENGTH, DIRECTED_TIE_KINDS, TIE_KINDS, Tie
from matcher_service.auth import allow, current, get_session
from matcher_service.convert import tie_of, tie_row
from matcher_service.errors import Conflict, NotFound, Unprocessable, detail
from matcher_service.messages import InvalidValue, said
from matcher_service.models import Membership, TieRow, WorkshopRow
from matcher_service.roles import COORDINATOR, LEADER, Principal
from matcher_service.route import Route, kept_per_data_version
from matcher_service.schemas import Input
from matcher_service.store import (
    Page,
    Paging,
    RowId,
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

__all__ = ["TieIn", "TieOut", "TiePatch", "router"]

router = APIRouter(route_class=Route, prefix="/ties", tags=["ties"])

WORKSHOP_ID = {"min_length": 1, "max_length": 128, "pattern": r"^\S(.*\S)?$"}


def _known_kind(kind: str | None) -> str | None:
    if kind is not None and kind not in TIE_KINDS:
        raise InvalidValue(said("ties.unknown_kind", kind=kind, kinds=list(TIE_KINDS)))
    return kind


class TieIn(Input):
    """A new tie; ``subcontracting`` and ``mentoring`` read source -> target, the other kinds both ways."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"source": "W1", "target": "W3", "kind": "friendship", "strength": 3}]
        },
    )

    source: str = Field(**WORKSHOP_ID)
    target: str = Field(**WORKSHOP_ID)
    kind: str = Field(description=f"One of {', '.join(TIE_KINDS)} (conflict = mistrust).")
    strength: int = Field(DEFAULT_STRENGTH, ge=1, le=5)
    wave: str | None = Field(None, min_length=1, max_length=64, description="Survey round.")

    _kind = field_validator("kind")(_known_kind)


class TiePatch(Input):
    """Fields to change; the others keep their value. ``version`` may replace If-Match."""

    model_config = ConfigDict(extra="forbid")

    source: str | None = Field(None, **WORKSHOP_ID)
    target: str | None = Field(None, **WORKSHOP_ID)
    kind: str | None = None
    strength: int | None = Field(None, ge=1, le=5)
    wave: str | None = Field(None, min_length=1, max_length=64)
    version: int | None = Field(None, ge=1)

    _kind = field_validator("kind")(_known_kind)


class TieOut(BaseModel):
    """A tie as coordinators and association leaders see it."""

    tie_id: int
    source: str
    target: str
    kind: str
    strength: int
    wave: str | None
    version: int


#: The fields of a tie's answer, and a read of them (rows, not ORM objects), built once.
_FIELDS = ("tie_id", "source", "target", "kind", "strength", "wave", "version")
_ANSWERS = select(*(getattr(TieRow, name) for name in _FIELDS))


def tie_answer(row: Sequence[Any]) -> dict[str, Any]:
    """A tie's answer as the plain body FastAPI checks against :class:`TieOut`, from a row of
    ``_ANSWERS``."""
    return dict(zip(_FIELDS, row, strict=True))


def tie_out(row: TieRow) -> TieOut:
    """A stored tie's answer (:func:`tie_answer` of its fields)."""
    return TieOut(**tie_answer([getattr(row, name) for name in _FIELDS]))


def tie_key(tie_id: int) -> str:
    """The ETag key of a tie."""
    return f"tie-{tie_id}"


def _ends_in_scope(session: Session, principal: Principal) -> Select | None:
    """The ids of workshops a tie end must be among for the caller to read it (None: any)."""
    if principal.is_admin:
        return None
    if principal.role == COORDINATOR:
        return select(WorkshopRow.workshop_id).where(
            one_of(session, WorkshopRow.territory, principal.territories)
        )
    if principal.role == LEADER:
        return select(Membership.workshop_id).where(Membership.organization_id == principal.organization_id)
    return select(WorkshopRow.workshop_id).where(false())


def _end_in_scope(session: Session, principal: Principal, end) -> ColumnElement[bool]:
    """A tie end in the caller's scope, checked on that end's row (for lists of a few ties)."""
    if principal.role == COORDINATOR:
        return exists().where(
            WorkshopRow.workshop_id == end, one_of(session, WorkshopRow.territory, principal.territories)
        )
    if principal.role == LEADER:
        return exists().where(
            Membership.workshop_id == end, Membership.organization_id == principal.organization_id
        )
    return false()


def _visible(session: Session, principal: Principal, ids: set[str]) -> set[str]:
    """Which of ``ids`` are workshops the caller sees (admins: every existing one)."""
    query = select(WorkshopRow.workshop_id).where(WorkshopRow.workshop_id.in_(ids))
    scope = _ends_in_scope(session, principal)
    if scope is not None:
        query = query.where(WorkshopRow.workshop_id.in_(scope))
    return set(session.scalars(query))


def readable(principal: Principal, session: Session, tie_id: int) -> TieRow:
    """The tie if both its ends are in the caller's scope; 404 otherwise."""
    row = session.get(TieRow, tie_id)
    if row is None or _visible(session, principal, {row.source, row.target}) != {row.source, row.target}:
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
    seen = _visible(session, principal, {tie.source, tie.target})
    unknown = "ties.unknown_workshop" if principal.is_admin else "ties.unknown_workshop_seen"
    for field, end in (("source", tie.source), ("target", tie.target)):
        if end not in seen and not (field == "target" and end == tie.source):
            problems.append(detail(field, unknown, workshop_id=end))
    if problems:
        raise Unprocessable(details=problems)
    # The same kind and wave between the same pair is one tie (the pair is ordered for directed kinds).
    same_way = and_(TieRow.source == tie.source, TieRow.target == tie.target)
    other_way = and_(TieRow.source == tie.target, TieRow.target == tie.source)
    query = select(TieRow.tie_id).where(
        TieRow.kind == tie.kind,
        TieRow.wave.is_(None) if tie.wave is None else TieRow.wave == tie.wave,
        same_way if tie.kind in DIRECTED_TIE_KINDS else or_(same_way, other_way),
    )
    if tie_id is not None:
        query = query.where(TieRow.tie_id != tie_id)
    clash = session.scalar(query.limit(1))
    if clash is not None:
        key = "ties.duplicate_in_wave" if tie.wave else "ties.duplicate"
        raise Conflict(
            key, kind=[tie.kind], source=tie.source, target=tie.target, wave=tie.wave, tie_id=clash
        )


@router.get("", response_model=Page[TieOut], **allow(COORDINATOR, LEADER))
@kept_per_data_version
def list_ties(
    page: Paging,
    workshop: str | None = Query(None, description="Only ties with this workshop at either end."),
    kind: str | None = Query(None, description="Only ties of this kind."),
    wave: str | None = Query(None, description="Only ties of this survey round."),
    principal: Principal = Depends(current),
    session: Session = Depends(get_session),
) -> Page[TieOut]:
    """Ties whose two ends are in the caller's scope, by id."""
    query = _ANSWERS
    scope = _ends_in_scope(session, principal)
    if scope is not None and workshop is not None:
        # One workshop's ties: check the few ends found rather than build the whole scope.
        query = query.where(
            _end_in_scope(session, principal, TieRow.source), _end_in_scope(session, principal, TieRow.target)
        )
    elif scope is not None:
        query = query.where(TieRow.source.in_(scope), TieRow.target.in_(scope))
    if workshop is not None:
        query = query.where(or_(TieRow.source == workshop, TieRow.target == workshop))
    if kind is not None:
        query = query.where(TieRow.kind == kind)
    if wave is not None:
        query = query.where(TieRow.wave == wave)
    return page_of(session, query, page, tie_answer, [TieRow.tie_id], cluster_data=True)


@router.get("/{tie_id}", response_model=TieOut, **allow(COORDINATOR, LEADER))
@kept_per_data_version
def get_tie(
    tie_id: RowId,
    response: Response,
    principal: Principal = Depends(current),
    session: Session = Depends(get_session),
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
    principal: Principal = Depends(current),
    session: Session = Depends(get_session),
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
    principal: Principal = Depends(current),
    session: Session = Depends(get_session),
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
    principal: Principal = Depends(current),
    session: Session = Depends(get_session),
) -> Response:
    """Remove a tie; needs ``If-Match``."""
    row = writable(principal, session, tie_id)
    check_version(request, tie_key(row.tie_id), row.version)
    detail = tie_out(row).model_dump(exclude={"version"})
    session.delete(row)
    audit(session, principal, "delete", "tie", str(tie_id), detail)
    commit(session, what=f"tie {tie_id}")
    return Response(status_code=204)
