"""The audit trail's queries: answers and pages of changes, newest first."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from matcher_service.models import AuditEntry
from matcher_service.schemas.audit import AuditOut
from matcher_service.store import Page, PageParams, page_of

__all__ = ["audit_out", "audit_page"]


def audit_out(row: AuditEntry) -> AuditOut:
    """An audit entry's answer."""
    return AuditOut(
        audit_id=row.audit_id,
        at=row.at,
        user_id=row.user_id,
        username=row.username,
        action=row.action,
        entity=row.entity,
        entity_id=row.entity_id,
        detail=dict(row.detail or {}),
    )


def audit_page(
    session: Session,
    page: PageParams,
    *,
    entity: str | None = None,
    entity_id: str | None = None,
    user: str | None = None,
    action: str | None = None,
) -> Page[AuditOut]:
    """A page of the changes that pass the filters (``user``: a user name), newest first."""
    query = select(AuditEntry)
    if entity is not None:
        query = query.where(AuditEntry.entity == entity)
    if entity_id is not None:
        query = query.where(AuditEntry.entity_id == entity_id)
    if user is not None:
        query = query.where(AuditEntry.username == user)
    if action is not None:
        query = query.where(AuditEntry.action == action)
    return page_of(session, query, page, audit_out, [AuditEntry.at.desc(), AuditEntry.audit_id.desc()])
