"""What every request body is: :class:`Input` (and :class:`StrictInput`, which refuses unknown fields).

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
from pydantic import BaseModel, ConfigDict, ValidationInfo, field_validator

from matcher.io._cells import first_control, first_unwritable
from matcher_service.errors import Unprocessable, detail
from matcher_service.messages import InvalidValue, said

__all__ = ["FREE_TEXT", "Input", "StrictInput", "refuse_control_characters"]

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


class StrictInput(Input):
    """A request body that refuses fields it does not know (422 naming them)."""

    model_config = ConfigDict(extra="forbid")
