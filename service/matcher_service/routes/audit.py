"""The audit trail (admins only): who changed what, when — newest first."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session

from matcher_service.auth import allow, get_session
from matcher_service.models import AuditEntry
from matcher_service.roles import ADMIN
from matcher_service.route import Route
from matcher_service.store import Page, Paging, page_of

__all__ = ["AuditOut", "router"]

router = APIRouter(route_class=Route, prefix="/audit", tags=["audit"])


class AuditOut(BaseModel):
    """One change: when, by whom, which action on which object, and what was sent."""

    audit_id: int
    at: datetime
    user_id: int | None
    username: str | None
    action: str
    entity: str
    entity_id: str | None
    detail: dict[str, Any]


def audit_out(row: AuditEntry) -> AuditOut:
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


@router.get("", response_model=Page[AuditOut], **allow(ADMIN))
def list_audit(
    page: Paging,
    entity: str | None = Query(None, description="Only changes of this kind of object (workshop, tie, ...)."),
    entity_id: str | None = Query(None, description="Only changes of this object."),
    user: str | None = Query(None, description="Only changes made by this user name."),
    action: str | None = Query(None, description="Only this action (create, update, delete, ...)."),
    session: Session = Depends(get_session),
) -> Page[AuditOut]:
    """Changes, newest first."""
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
