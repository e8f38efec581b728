"""The answer of a dataset import."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

__all__ = ["ImportOut"]


class ImportOut(BaseModel):
    """What an import added and replaced, per kind of row (or would have, for a dry run)."""

    dry_run: bool
    added: dict[str, int]
    replaced: dict[str, int]
    counts: dict[str, int] = Field(description="Data rows read per file.")
    warnings: list[dict[str, Any]] = Field(description="Things that look wrong but did not stop the import.")
