"""User accounts' bodies and answers."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from matcher_service.schemas.base import Input

__all__ = ["UserIn", "UserOut", "UserPatch"]


PASSWORD = {"min_length": 8, "max_length": 256, "description": "At least 8 characters; stored hashed only."}


class UserIn(Input):
    """A new account; without a password it signs in only with API keys."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"username": "coordinadora-norte", "role": "coordinator", "territories": ["T1"]}]
        },
    )

    username: str = Field(min_length=1, max_length=128, pattern=r"^\S+$")
    password: str | None = Field(None, **PASSWORD)
    role: str = Field(description="admin, coordinator, association_leader, lead_firm or municipality.")
    territories: list[str] = Field(default_factory=list, description="A coordinator's or municipality's.")
    organization_id: str | None = Field(None, description="An association leader's organization.")
    firm_id: str | None = Field(None, description="A lead firm account's firm.")
    active: bool = True


class UserPatch(Input):
    """Fields to change; the scope is checked again as a whole. ``version`` may replace If-Match."""

    model_config = ConfigDict(extra="forbid")

    password: str | None = Field(None, **PASSWORD)
    role: str | None = None
    territories: list[str] | None = None
    organization_id: str | None = None
    firm_id: str | None = None
    active: bool | None = None
    version: int | None = Field(None, ge=1)


class UserOut(BaseModel):
    """An account (never its password hash)."""

    user_id: int
    username: str
    role: str
    territories: list[str]
    organization_id: str | None
    firm_id: str | None
    active: bool
    has_password: bool
    created_at: datetime
    version: int
