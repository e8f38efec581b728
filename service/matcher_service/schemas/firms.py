"""Lead firms' bodies and answers."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from matcher_service.schemas.base import Input

__all__ = ["FirmIn", "FirmOut", "FirmPatch"]


class FirmIn(Input):
    """A new lead firm (``lead_firms.csv``: firm_id, name, territory)."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"firm_id": "F9", "name": "Uniformes del Sur (synthetic)", "territory": "T1"}]
        },
    )

    firm_id: str = Field(min_length=1, max_length=128, pattern=r"^\S(.*\S)?$")
    name: str | None = Field(None, min_length=1, max_length=256)
    territory: str | None = Field(None, min_length=1, max_length=128)


class FirmPatch(Input):
    """Fields to change (a lead firm may change only its name). ``version`` may replace If-Match."""

    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(None, min_length=1, max_length=256)
    territory: str | None = Field(None, min_length=1, max_length=128)
    version: int | None = Field(None, ge=1)


class FirmOut(BaseModel):
    """A lead firm."""

    firm_id: str
    name: str | None
    territory: str | None
    version: int
