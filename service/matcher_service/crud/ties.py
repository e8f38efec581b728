"""Ties' queries: answers, the workshops a caller sees at a tie's ends, pages, duplicates."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, exists, false, or_, select
from sqlalchemy.orm import Session

from matcher.model import DIRECTED_TIE_KINDS, Tie
from matcher_service.models import Membership, TieRow, WorkshopRow
from matcher_service.roles import COORDINATOR, LEADER, Principal
from matcher_service.schemas.ties import TieOut
from matcher_service.store import Page, PageParams, one_of, page_of

__all__ = ["duplicate_of", "tie_answer", "tie_out", "tie_page", "visible_workshops"]


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


def visible_workshops(session: Session, principal: Principal, ids: set[str]) -> set[str]:
    """Which of ``ids`` are workshops the caller sees (admins: every existing one)."""
    query = select(WorkshopRow.workshop_id).where(WorkshopRow.workshop_id.in_(ids))
    scope = _ends_in_scope(session, principal)
    if scope is not None:
        query = query.where(WorkshopRow.workshop_id.in_(scope))
    return set(session.scalars(query))


def tie_page(
    session: Session,
    principal: Principal,
    page: PageParams,
    *,
    workshop: str | None = None,
    kind: str | None = None,
    wave: str | None = None,
) -> Page[TieOut]:
    """A page of the ties whose two ends are in the caller's scope and that pass the filters, by id."""
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


def duplicate_of(session: Session, tie: Tie, tie_id: int | None = None) -> int | None:
    """The id of another tie (not ``tie_id``) of the same kind and wave between the same pair; None
    when there is none. The pair is ordered for directed kinds."""
    same_way = and_(TieRow.source == tie.source, TieRow.target == tie.target)
    other_way = and_(TieRow.source == tie.target, TieRow.target == tie.source)
    query = select(TieRow.tie_id).where(
        TieRow.kind == tie.kind,
        TieRow.wave.is_(None) if tie.wave is None else TieRow.wave == tie.wave,
        same_way if tie.kind in DIRECTED_TIE_KINDS else or_(same_way, other_way),
    )
    if tie_id is not None:
        query = query.where(TieRow.tie_id != tie_id)
    return session.scalar(query.limit(1))
