"""Request and response bodies shared by several routes.

Field rules mirror the dataset contract (``docs/data-contract.md``), so a value
the CLI refuses in a file is refused here with the same reason.

Every body the service reads is an :class:`Input`: no id may hold a control
character (NUL, DEL, a tab or a line break included), and no other text one
that a workbook cannot store; path and query parameters are ids, and form
fields follow the rule of bodies (:func:`refuse_control_characters`). What is stored can then be read back,
exported and named in a header.
"""

from __future__ import annotations

from typing import Any, ClassVar

from fastapi import Request
from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

from matcher.io._cells import first_control, first_unwritable
from matcher.model import DEFAULT_EFFICIENCY, DEFAULT_HOURS_PER_WEEK, DEFAULT_QUALITY
from matcher_service.errors import Unprocessable, detail
from matcher_service.messages import InvalidValue, said

__all__ = ["Input", "WorkshopIn", "WorkshopOut", "WorkshopPatch", "refuse_control_characters"]

Code = Field(min_length=1, max_length=128, pattern=r"^[^;:\s][^;:]*$")

#: Fields of free text (tabs and line breaks allowed); every other text field of a body is an id or a code.
FREE_TEXT = frozenset({"name", "owner_name", "phone", "address", "message", "note", "extra", "password"})


def _control(value: Any, free: bool) -> str | None:
    """The first character ``value`` may not hold (in its texts, lists and mappings, keys too)."""
    if isinstance(value, str):
        return first_unwritable(value) if free else first_control(value)
    if isinstance(value, list | tuple | set | frozenset):
        items = value
    elif isinstance(value, dict):
        items = [*value.keys(), *value.values()]
    else:
        return None
    for item in items:
        found = _control(item, free)
        if found is not None:
            return found
    return None


class Input(BaseModel):
    """A request body: ids without control characters, free text without what a workbook cannot hold.

    Examples
    --------
    >>> class FirmName(Input):
    ...     firm_id: str
    ...     name: str
    >>> FirmName(firm_id="F1", name="two\\tcolumns").name
    'two\\tcolumns'
    >>> from pydantic import ValidationError
    >>> try:
    ...     FirmName(firm_id="F\\x001", name="x")
    ... except ValidationError as exc:
    ...     print(exc.errors()[0]["loc"], exc.errors()[0]["ctx"]["error"])
    ('firm_id',) holds a control character (\\x00); ids may hold none, not even a tab or a line break
    """

    #: The fields of free text (the others are ids and codes).
    free_text: ClassVar[frozenset[str]] = FREE_TEXT

    @field_validator("*", mode="after")
    @classmethod
    def _no_control_characters(cls, value: Any, info: ValidationInfo) -> Any:
        free = info.field_name in cls.free_text
        found = _control(value, free)
        if found is not None:
            key = "invalid.control_in_text" if free else "invalid.control_in_id"
            raise InvalidValue(said(key, character=found))
        return value


async def refuse_control_characters(request: Request) -> None:
    """Refuse a path, query or form parameter with a control character (422 naming it).

    Path and query parameters are ids; a form's fields (the sign-in's) follow the rule of bodies.
    """
    fields: list[tuple[str, str, Any, bool]] = [
        *(("path", name, value, False) for name, value in request.path_params.items()),
        *(("query", name, value, False) for name, value in request.query_params.multi_items()),
    ]
    if request.headers.get("content-type", "").startswith("application/x-www-form-urlencoded"):
        form = await request.form()  # read once: FastAPI has read it already, and keeps it
        fields += [("body", name, value, name in FREE_TEXT) for name, value in form.multi_items()]
    bad = []
    for where, name, value, free in fields:
        found = _control(value, free)
        if found is not None:
            key = "invalid.control_in_text" if free else "invalid.control_in_id"
            bad.append(detail(name, key, where=where, character=found))
    if bad:
        raise Unprocessable(details=bad)


class _Strict(Input):
    model_config = ConfigDict(extra="forbid")


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


class _CheckedWorkshop(WorkshopFields, _Strict):
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


class WorkshopPatch(_Strict):
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
