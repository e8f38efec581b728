"""The public summary's and the health check's answers."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

__all__ = ["Cell", "HealthOut", "SummaryOut", "Totals"]


class Cell(BaseModel):
    """One cell of a breakdown: workshops and their workers, or nulls when suppressed."""

    key: str
    workshops: int | None
    workers: int | None
    suppressed: bool


class Totals(BaseModel):
    workshops: int | None
    workers: int | None
    suppressed: bool


class SummaryOut(BaseModel):
    """Counts of workshops and workers by territory, product, size band and formality."""

    threshold: int = Field(description="Smallest number of workshops a published cell counts.")
    method: str = Field(description="How small cells are suppressed.")
    totals: Totals
    by_territory: list[Cell]
    by_product: list[Cell]
    by_size_band: list[Cell]
    by_formality: list[Cell]


class HealthOut(BaseModel):
    """Whether the service can answer, and read and write its database."""

    status: Literal["ok", "unavailable"] = Field(description="unavailable: the answer is 503.")
    database: Literal["ok", "not_writable", "unavailable"] = Field(
        description="not_writable: it answers but cannot take changes (full or read-only)."
    )
    writable: bool = Field(description="Whether a change can be written now (a probe, rolled back).")
