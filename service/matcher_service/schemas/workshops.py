"""Workshops' bodies and answers: a characterization (:class:`WorkshopFields`) sent whole to create
(:class:`WorkshopIn`), in part to change (:class:`WorkshopPatch`), and answered (:class:`WorkshopOut`).

Field rules mirror the dataset contract (``docs/data-contract.md``), so a value
the CLI refuses in a file is refused here with the same reason.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from matcher.model import DEFAULT_EFFICIENCY, DEFAULT_HOURS_PER_WEEK, DEFAULT_QUALITY
from matcher_service.messages import InvalidValue, said
from matcher_service.schemas.base import StrictInput

__all__ = ["WorkshopFields", "WorkshopIn", "WorkshopOut", "WorkshopPatch", "workshop_fields"]


class WorkshopFields(BaseModel):
    """A workshop's characterization: the fields its body and its answer share."""

    territory: str = Field(min_length=1, max_length=128)
    workers: int = Field(ge=1, le=10_000)
    products: list[str] = Field(min_length=1)
    processes: list[str] = Field(min_length=1)
    women_workers: int | None = Field(None, ge=0)
    hours_per_week: float = Field(DEFAULT_HOURS_PER_WEEK, gt=0, le=168)
    efficiency: float = Field(DEFAULT_EFFICIENCY, gt=0, le=1)
    capacity_minutes_per_week: float | None = Field(None, ge=0)
    committed_minutes_per_week: float = Field(0.0, ge=0)
    machines: dict[str, int] = Field(default_factory=dict, description="machine kind -> count")
    quality: int = Field(DEFAULT_QUALITY, ge=1, le=5)
    formal: bool = False
    can_lead: bool = False
    cost_per_minute: float | None = Field(None, ge=0)
    organizations: list[str] = Field(default_factory=list)
    reliability: float | None = Field(None, ge=0, le=1)
    extra: dict[str, str] = Field(default_factory=dict, description="columns outside the contract")


class _CheckedWorkshop(WorkshopFields, StrictInput):
    """The characterization as a request sends it: ids checked, no unknown field, women within workers."""

    @model_validator(mode="after")
    def _women(self) -> _CheckedWorkshop:
        if self.women_workers is not None and self.women_workers > self.workers:
            raise InvalidValue(
                said("workshops.women_above_workers", women=self.women_workers, workers=self.workers)
            )
        if any(n < 0 for n in self.machines.values()):
            raise InvalidValue(said("workshops.machines"))
        return self


class WorkshopIn(_CheckedWorkshop):
    """A new workshop (characterization only; its contact goes to ``/workshops/{id}/contact``)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "workshop_id": "W9",
                    "territory": "T1",
                    "workers": 4,
                    "products": ["tshirt"],
                    "processes": ["cutting", "sewing"],
                    "quality": 3,
                    "organizations": ["ORG1"],
                }
            ]
        }
    )

    workshop_id: str = Field(min_length=1, max_length=128, pattern=r"^\S(.*\S)?$")


class WorkshopPatch(StrictInput):
    """Fields to change; the others keep their value. ``version`` may replace If-Match.

    Null clears a field that may be unknown (``women_workers``, ``capacity_minutes_per_week``,
    ``cost_per_minute``, ``reliability``) or a collection (``machines``, ``organizations``,
    ``extra``); every other field takes a value, never null (422 naming it).
    """

    model_config = ConfigDict(json_schema_extra={"examples": [{"workers": 5, "quality": 4}]})

    territory: str = Field(None, min_length=1, max_length=128)
    workers: int = Field(None, ge=1, le=10_000)
    products: list[str] = Field(None, min_length=1)
    processes: list[str] = Field(None, min_length=1)
    women_workers: int | None = Field(None, ge=0)
    hours_per_week: float = Field(None, gt=0, le=168)
    efficiency: float = Field(None, gt=0, le=1)
    capacity_minutes_per_week: float | None = Field(None, ge=0)
    committed_minutes_per_week: float = Field(None, ge=0)
    machines: dict[str, int] | None = Field(None, description="machine kind -> count; null clears")
    quality: int = Field(None, ge=1, le=5)
    formal: bool = Field(None)
    can_lead: bool = Field(None)
    cost_per_minute: float | None = Field(None, ge=0)
    organizations: list[str] | None = Field(None, description="null clears the memberships")
    reliability: float | None = Field(None, ge=0, le=1)
    extra: dict[str, str] | None = Field(None, description="columns outside the contract; null clears")
    version: int | None = Field(None, ge=1)


class WorkshopOut(WorkshopFields):
    """A workshop's characterization as coordinators and association leaders see it (built from
    stored data, checked when it was written: no request checks run on it)."""

    workshop_id: str
    version: int


def workshop_fields(data: dict[str, Any]) -> dict[str, Any]:
    """Library field values from a validated body (machines and extra as pairs)."""
    data = dict(data)
    if "machines" in data:  # null clears the machines, as an empty object does
        data["machines"] = tuple(sorted((data["machines"] or {}).items()))
    if "extra" in data:  # null clears the extra columns
        data["extra"] = tuple((data["extra"] or {}).items())
    if "organizations" in data and data["organizations"] is None:
        data["organizations"] = ()
    for name in ("products", "processes", "organizations"):
        if name in data and data[name] is not None:
            data[name] = tuple(dict.fromkeys(v.strip() for v in data[name]))
    return data
