"""Ties' bodies and answers."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, field_validator

from matcher.model import DEFAULT_STRENGTH, TIE_KINDS
from matcher_service.messages import InvalidValue, said
from matcher_service.schemas.base import Input

__all__ = ["TieIn", "TieOut", "TiePatch"]


WORKSHOP_ID = {"min_length": 1, "max_length": 128, "pattern": r"^\S(.*\S)?$"}


def _known_kind(kind: str | None) -> str | None:
    if kind is not None and kind not in TIE_KINDS:
        raise InvalidValue(said("ties.unknown_kind", kind=kind, kinds=list(TIE_KINDS)))
    return kind


class TieIn(Input):
    """A new tie; ``subcontracting`` and ``mentoring`` read source -> target, the other kinds both ways."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"source": "W1", "target": "W3", "kind": "friendship", "strength": 3}]
        },
    )

    source: str = Field(**WORKSHOP_ID)
    target: str = Field(**WORKSHOP_ID)
    kind: str = Field(description=f"One of {', '.join(TIE_KINDS)} (conflict = mistrust).")
    strength: int = Field(DEFAULT_STRENGTH, ge=1, le=5)
    wave: str | None = Field(None, min_length=1, max_length=64, description="Survey round.")

    _kind = field_validator("kind")(_known_kind)


class TiePatch(Input):
    """Fields to change; the others keep their value. ``version`` may replace If-Match."""

    model_config = ConfigDict(extra="forbid")

    source: str | None = Field(None, **WORKSHOP_ID)
    target: str | None = Field(None, **WORKSHOP_ID)
    kind: str | None = None
    strength: int | None = Field(None, ge=1, le=5)
    wave: str | None = Field(None, min_length=1, max_length=64)
    version: int | None = Field(None, ge=1)

    _kind = field_validator("kind")(_known_kind)


class TieOut(BaseModel):
    """A tie as coordinators and association leaders see it."""

    tie_id: int
    source: str
    target: str
    kind: str
    strength: int
    wave: str | None
    version: int
