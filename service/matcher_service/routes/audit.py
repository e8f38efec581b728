"""The audit trail (admins only): who changed what, when — newest first."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from matcher_service.auth import allow
from matcher_service.crud.audit import audit_page
from matcher_service.deps import Paging, SessionDep
from matcher_service.roles import ADMIN
from matcher_service.route import Route
from matcher_service.schemas.audit import AuditOut
from matcher_service.store import Page

__all__ = ["router"]

router = APIRouter(route_class=Route, prefix="/audit", tags=["audit"])


@router.get("", response_model=Page[AuditOut], **allow(ADMIN))
def list_audit(
    page: Paging,
    session: SessionDep,
    entity: Annotated[
        str | None, Query(description="Only changes of this kind of object (workshop, tie, ...).")
    ] = None,
    entity_id: Annotated[str | None, Query(description="Only changes of this object.")] = None,
    user: Annotated[str | None, Query(description="Only changes made by this user name.")] = None,
    action: Annotated[
        str | None, Query(description="Only this action (create, update, delete, ...).")
    ] = None,
) -> Page[AuditOut]:
    """Changes, newest first."""
    return audit_page(session, page, entity=entity, entity_id=entity_id, user=user, action=action)
