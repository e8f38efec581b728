"""The audit log's answers."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel

__all__ = ["AuditOut"]


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
