"""Contacts' bodies and answers, and the requests for them."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from matcher_service.schemas.base import Input

__all__ = [
    "ContactIn",
    "ContactOut",
    "ContactRequestIn",
    "ContactWritten",
    "DecisionIn",
    "FirmRequestOut",
    "RequestOut",
]


class ContactIn(Input):
    """A workshop's whole contact (PUT replaces it; a field left out becomes empty)."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"owner_name": "Name (synthetic)", "phone": "+595 21 000 000", "address": "Calle 1"}]
        },
    )

    owner_name: str | None = Field(None, min_length=1, max_length=256)
    phone: str | None = Field(None, min_length=1, max_length=64)
    address: str | None = Field(None, min_length=1, max_length=2000)
    lat: float | None = Field(None, ge=-90, le=90)
    lon: float | None = Field(None, ge=-180, le=180)
    version: int | None = Field(None, ge=1, description="May replace If-Match when the contact exists.")


class ContactOut(BaseModel):
    """A workshop's contact, for the roles allowed to read it."""

    workshop_id: str
    owner_name: str | None
    phone: str | None
    address: str | None
    lat: float | None
    lon: float | None
    version: int
    updated_at: datetime | None = None


class ContactWritten(BaseModel):
    """What a contact write answers: which fields changed, never the values (writers may not read)."""

    workshop_id: str
    version: int
    created: bool
    changed: list[str]


class ContactRequestIn(Input):
    """A lead firm's request for the contact of one shortlisted workshop."""

    model_config = ConfigDict(extra="forbid")

    ref: str = Field(
        min_length=1, max_length=32, description="The workshop's reference in the shortlist: S1 or G1-a."
    )
    message: str | None = Field(None, max_length=2000, description="Why the firm wants to reach it.")


class DecisionIn(Input):
    """A municipality's decision on a request (a release may be withdrawn later with ``false``)."""

    model_config = ConfigDict(extra="forbid")

    release: bool
    note: str | None = Field(None, max_length=2000, description="Kept in the audit trail.")


class FirmRequestOut(BaseModel):
    """A request as the lead firm sees it: the workshop and its contact only once released."""

    model_config = ConfigDict(extra="forbid")

    release_id: int
    shortlist_id: str | None
    ref: str | None
    status: str
    message: str | None
    created_at: datetime | None
    decided_at: datetime | None
    workshop_id: str | None = None
    contact: ContactOut | None = None


class RequestOut(BaseModel):
    """A request as a municipality (or an admin) sees it."""

    model_config = ConfigDict(extra="forbid")

    release_id: int
    workshop_id: str
    territory: str | None
    firm_id: str
    shortlist_id: str | None
    ref: str | None
    status: str
    message: str | None
    requested_by: int | None
    decided_by: int | None
    created_at: datetime | None
    decided_at: datetime | None
