"""Workshops' queries: pages of answers in the caller's scope, one answer, a stored workshop."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Row, Select, delete, select
from sqlalchemy.orm import Session

from matcher.model import Workshop
from matcher_service.convert import memberships, workshop_row
from matcher_service.models import Membership, WorkshopRow
from matcher_service.roles import COORDINATOR, LEADER, Principal
from matcher_service.schemas.workshops import WorkshopOut
from matcher_service.store import Page, PageParams, one_of, page_of

__all__ = [
    "ANSWER_COLUMNS",
    "answer_row",
    "store_workshop",
    "workshop_answer",
    "workshop_out",
    "workshop_page",
]

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


def _members_of(organization_id: str | None) -> Select:
    return select(Membership.workshop_id).where(Membership.organization_id == organization_id)


def workshop_page(
    session: Session,
    principal: Principal,
    page: PageParams,
    *,
    territory: str | None = None,
    organization: str | None = None,
    product: str | None = None,
    can_lead: bool | None = None,
) -> Page[WorkshopOut]:
    """A page of the workshops in the caller's scope that pass the filters, by id."""
    query = _ANSWERS
    if principal.role == COORDINATOR:
        query = query.where(one_of(session, WorkshopRow.territory, principal.territories))
    elif principal.role == LEADER:
        query = query.where(WorkshopRow.workshop_id.in_(_members_of(principal.organization_id)))
    if territory is not None:
        query = query.where(WorkshopRow.territory == territory)
    if organization is not None:
        query = query.where(WorkshopRow.workshop_id.in_(_members_of(organization)))
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


def answer_row(session: Session, workshop_id: str) -> Row | None:
    """The workshop's row of :data:`ANSWER_COLUMNS`; None when there is none."""
    return session.execute(_ANSWERS.where(WorkshopRow.workshop_id == workshop_id)).first()


def store_workshop(session: Session, workshop: Workshop, row: WorkshopRow | None = None) -> WorkshopRow:
    """Write ``workshop`` into ``row`` (None: a new row, added) and replace its memberships."""
    row = workshop_row(workshop, row)
    if row.version is None:
        session.add(row)
    session.execute(delete(Membership).where(Membership.workshop_id == workshop.workshop_id))
    session.add_all(memberships(workshop))
    return row
