"""Organizations' bodies and answers."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from matcher_service.schemas.base import Input

__all__ = ["OrganizationIn", "OrganizationOut", "OrganizationPatch"]


class OrganizationIn(Input):
    """A new organization; workshops join it through their ``organizations``."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"organization_id": "ORG9", "name": "Asociación Norte"}]},
    )

    organization_id: str = Field(min_length=1, max_length=128, pattern=r"^[^;\s]([^;]*[^;\s])?$")
    name: str | None = Field(None, min_length=1, max_length=256)


class OrganizationPatch(Input):
    """A new name (``null`` clears it). ``version`` may replace If-Match."""

    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(None, min_length=1, max_length=256)
    version: int | None = Field(None, ge=1)


class OrganizationOut(BaseModel):
    """An organization and how many workshops belong to it."""

    organization_id: str
    name: str | None
    member_count: int
    version: int
