"""Request and response bodies shared by several routes.

Field rules mirror the dataset contract (``docs/data-contract.md``), so a value
the CLI refuses in a file is refused here with the same reason.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from matcher.model import DEFAULT_EFFICIENCY, DEFAULT_HOURS_PER_WEEK, DEFAULT_QUALITY
from service.messages import InvalidValue, said

__all__ = ["WorkshopIn", "WorkshopOut", "WorkshopPatch"]

Code = Field(min_length=1, max_length=128, pattern=r"^[^;:\s][^;:]*$")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class WorkshopFields(_Strict):
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

    @model_validator(mode="after")
    def _women(self) -> WorkshopFields:
        if self.women_workers is not None and self.women_workers > self.workers:
            raise InvalidValue(
                said("workshops.women_above_workers", women=self.women_workers, workers=self.workers)
            )
        if any(n < 0 for n in self.machines.values()):
            raise InvalidValue(said("workshops.machines"))
        return self


class WorkshopIn(WorkshopFields):
    """A new workshop (characterization only; its contact goes to ``/workshops/{id}/contact``)."""

    workshop_id: str = Field(min_length=1, max_length=128, pattern=r"^\S(.*\S)?$")


class WorkshopPatch(_Strict):
    """Fields to change; the others keep their value. ``version`` may replace If-Match."""

    territory: str | None = Field(None, min_length=1, max_length=128)
    workers: int | None = Field(None, ge=1, le=10_000)
    products: list[str] | None = Field(None, min_length=1)
    processes: list[str] | None = Field(None, min_length=1)
    women_workers: int | None = Field(None, ge=0)
    hours_per_week: float | None = Field(None, gt=0, le=168)
    efficiency: float | None = Field(None, gt=0, le=1)
    capacity_minutes_per_week: float | None = Field(None, ge=0)
    committed_minutes_per_week: float | None = Field(None, ge=0)
    machines: dict[str, int] | None = None
    quality: int | None = Field(None, ge=1, le=5)
    formal: bool | None = None
    can_lead: bool | None = None
    cost_per_minute: float | None = Field(None, ge=0)
    organizations: list[str] | None = None
    reliability: float | None = Field(None, ge=0, le=1)
    extra: dict[str, str] | None = None
    version: int | None = Field(None, ge=1)


class WorkshopOut(WorkshopFields):
    """A workshop's characterization as coordinators and association leaders see it."""

    workshop_id: str
    version: int


def workshop_fields(data: dict[str, Any]) -> dict[str, Any]:
    """Library field values from a validated body (machines and extra as pairs)."""
    data = dict(data)
    if "machines" in data and data["machines"] is not None:
        data["machines"] = tuple(sorted(data["machines"].items()))
    if "extra" in data and data["extra"] is not None:
        data["extra"] = tuple(data["extra"].items())
    for name in ("products", "processes", "organizations"):
        if name in data and data[name] is not None:
            data[name] = tuple(dict.fromkeys(v.strip() for v in data[name]))
    return data
