"""Analysis bodies."""

from __future__ import annotations

from pydantic import ConfigDict, Field

from matcher_service.schemas.base import Input

__all__ = ["GroupIn"]


class GroupIn(Input):
    """The workshops of a group to assess."""

    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"workshop_ids": ["W1", "W2", "W3"]}]}
    )

    workshop_ids: list[str] = Field(min_length=1, max_length=1000)
