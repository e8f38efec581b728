"""Every error the service answers with, and the one shape of its answer (the handlers that
map each error to its answer: :mod:`matcher_service.handlers`).

Responses carry ``{"error": {"code", "message", "details"}}``; a failure that
is not the client's doing is logged with an id and answered with that id
only — never a stack trace.

The message and the details' messages are said in the request's language
(``?lang=``, then ``Accept-Language``; English by default): an error carries
an :class:`~matcher_service.messages.ApiMessage` (the library's errors their
:class:`~matcher.messages.Message`), not a text. The code and the field
locations stay as they are in every language.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fastapi import Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy.exc import DBAPIError, IntegrityError

from matcher.messages import Message, fill, language_of, sentence
from matcher_service.language import request_language
from matcher_service.messages import ApiMessage, InvalidValue

__all__ = [
    "ERROR_RESPONSES",
    "RETRY_SECONDS",
    "ApiError",
    "Conflict",
    "ErrorBody",
    "Forbidden",
    "InvalidFields",
    "NotFound",
    "PreconditionFailed",
    "PreconditionRequired",
    "Unauthorized",
    "Unavailable",
    "Unprocessable",
    "database_fault",
    "detail",
    "error_response",
    "fields_summary",
    "joined",
    "pydantic_message",
    "said_details",
    "said_response",
    "unavailable",
    "validation_details",
]


class ErrorDetail(BaseModel):
    code: str
    message: str
    details: list[dict[str, Any]] = []


class ErrorBody(BaseModel):
    """The body of every error response."""

    error: ErrorDetail


class ApiError(Exception):
    """An error with its HTTP status, a stable code and a message for the client.

    ``message`` is a key of :data:`matcher_service.messages.ENGLISH` (its arguments as
    keywords) or a :class:`~matcher.messages.Message`; ``details`` are dicts whose
    ``message`` may be one too. Without a message, the details' messages are
    the error's, joined by ``"; "`` (every problem of a body at once).

    Examples
    --------
    >>> err = NotFound("orders.not_found", order_id="O5")
    >>> str(err), err.say("es")
    ('no order O5', 'No existe el pedido O5')
    >>> err = Unprocessable(details=[detail("quantity", "invalid.not_null"), detail("due", "orders.no_due")])
    >>> err.say("en")
    'cannot be null; give due_weeks (weeks from now) or due_date'
    """

    status = 400
    code = "bad_request"

    def __init__(
        self,
        message: str | Message | None = None,
        /,
        *,
        details: list[dict[str, Any]] | None = None,
        headers: dict[str, str] | None = None,
        **args: Any,
    ) -> None:
        self.message: Message | None = ApiMessage(message, args) if isinstance(message, str) else message
        self.details = details or []
        self.headers = headers
        super().__init__(self.say("en"))

    def say(self, lang: str = "en") -> str:
        """The error's message in a language."""
        if self.message is not None:
            return self.message.say(lang)
        return joined([d.get("message", "") for d in self.details], lang)


def detail(field: str, message: str | Message, *, where: str = "body", **args: Any) -> dict[str, Any]:
    """One problem of a request: where (body, query), which field, and a message key and its arguments.

    Examples
    --------
    >>> detail("firm_id", "users.unknown_firm", firm_id="F9")["message"].text
    'unknown lead firm F9'
    """
    said = ApiMessage(message, args) if isinstance(message, str) else message
    return {"in": where, "field": field, "message": said}


def joined(messages: list[Message | str], lang: str, *, sep: str = "; ") -> str:
    """Messages (or texts) as one sentence in a language: lower-case inside, its first letter
    capitalised (English keeps the service's lower-case texts)."""
    lang = language_of(lang)
    text = sep.join(_inside(m, lang) for m in messages)
    if lang == "en":
        return text
    first = messages[0] if messages else None
    return sentence(first.template(lang) if isinstance(first, Message) else "", text)


def _inside(message: Message | str, lang: str) -> str:
    """A message as part of a sentence (not capitalised)."""
    if not isinstance(message, Message):
        return str(message)
    return message.text if lang == "en" else fill(message.template(lang), message.args, lang)


def said_details(details: list[Mapping[str, Any]], lang: str) -> list[dict[str, Any]]:
    """Details with every message in them said in a language (texts pass as they are)."""
    return [{k: v.say(lang) if isinstance(v, Message) else v for k, v in d.items()} for d in details]


class Unauthorized(ApiError):
    status, code = 401, "unauthorized"

    def __init__(self, message: str | Message = "auth.sign_in", /, **kw: Any) -> None:
        kw.setdefault("headers", {"WWW-Authenticate": "Bearer"})
        super().__init__(message, **kw)


class Forbidden(ApiError):
    status, code = 403, "forbidden"


class NotFound(ApiError):
    status, code = 404, "not_found"


class Conflict(ApiError):
    status, code = 409, "conflict"


class PreconditionFailed(ApiError):
    status, code = 412, "precondition_failed"


class PayloadTooLarge(ApiError):
    status, code = 413, "payload_too_large"


class Unprocessable(ApiError):
    status, code = 422, "invalid"


class InvalidFields(Unprocessable):
    """422 whose message lists every problem with its field, as a body pydantic refused does.

    Examples
    --------
    >>> unknown = detail("pinned.0.mentor_id", "workshops.not_found", workshop_id="W9")
    >>> InvalidFields(details=[unknown]).say("en")
    'invalid input: pinned.0.mentor_id: no workshop W9'
    """

    def say(self, lang: str = "en") -> str:
        """Every problem with its field, in a language."""
        return fields_summary(self.details, lang)


class PreconditionRequired(ApiError):
    status, code = 428, "precondition_required"


class TooManyRequests(ApiError):
    status, code = 429, "too_many_requests"


class Unavailable(ApiError):
    status, code = 503, "unavailable"


#: Seconds a client is told to wait (``Retry-After``) when the database cannot take a change.
RETRY_SECONDS = 30

#: SQLite's primary result codes that mean the database cannot be written now (full, read-only,
#: an I/O error, a file it cannot open, busy or locked past the timeout).
SQLITE_CANNOT_WRITE = frozenset({5, 6, 8, 10, 13, 14})
#: SQLite's messages for them, for a driver that gives no result code.
SQLITE_MESSAGES = (
    "database or disk is full",
    "attempt to write a readonly database",
    "disk i/o error",
    "unable to open database file",
    "database is locked",
)
#: PostgreSQL SQLSTATE prefixes and codes that mean the same: insufficient resources (53, disk
#: full among them), system errors (58: I/O) and a read-only transaction (25006).
POSTGRES_CANNOT_WRITE = ("53", "58", "25006")
#: SQLSTATE prefixes of a lost connection: connection exceptions (08) and operator intervention
#: (57P: the server shutting down or not taking connections yet).
POSTGRES_UNREACHABLE = ("08", "57P")


def database_fault(exc: BaseException) -> str | None:
    """What a database error says of the database itself, None when it is about the request.

    ``"cannot_write"``: the database answers but cannot store a change (full,
    read-only, an I/O error, locked); ``"unreachable"``: the connection failed.
    Either is the server's state, not the client's doing: the answer is 503
    with ``Retry-After``.

    Examples
    --------
    >>> import sqlite3
    >>> from sqlalchemy.exc import OperationalError
    >>> database_fault(OperationalError("INSERT", {}, sqlite3.OperationalError("database or disk is full")))
    'cannot_write'
    >>> database_fault(OperationalError("SELECT", {}, sqlite3.OperationalError("no such table: x"))) is None
    True
    """
    if not isinstance(exc, DBAPIError) or isinstance(exc, IntegrityError):
        return None
    cause = exc.orig
    state = getattr(cause, "sqlstate", None)
    if isinstance(state, str) and state:
        if state.startswith(POSTGRES_CANNOT_WRITE):
            return "cannot_write"
        return "unreachable" if state.startswith(POSTGRES_UNREACHABLE) else None
    if exc.connection_invalidated:
        return "unreachable"
    code = getattr(cause, "sqlite_errorcode", None)
    if isinstance(code, int):
        return "cannot_write" if code & 0xFF in SQLITE_CANNOT_WRITE else None
    text = str(cause).lower()
    if any(m in text for m in SQLITE_MESSAGES):
        return "cannot_write"
    if type(cause).__module__.startswith("psycopg") and "connection" in text:
        return "unreachable"
    return None


def unavailable(fault: str) -> Unavailable:
    """The 503 of a database fault (see :func:`database_fault`), with ``Retry-After``."""
    key = "error.cannot_write" if fault == "cannot_write" else "error.unreachable"
    return Unavailable(key, seconds=RETRY_SECONDS, headers={"Retry-After": str(RETRY_SECONDS)})


def _body(code: str, message: str, details: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "details": details or []}}


def error_response(
    status: int, code: str, message: str, details: list[dict[str, Any]] | None = None, headers=None
) -> JSONResponse:
    """A JSON error response in the one shape of the service."""
    return JSONResponse(_body(code, message, details), status_code=status, headers=headers)


def said_response(
    request: Request, status: int, code: str, message: Message, details=None, headers=None
) -> JSONResponse:
    """An error response with ``message`` and the details' messages said in the request's language."""
    lang = request_language(request)
    headers = {**(headers or {}), "Content-Language": lang}
    return error_response(status, code, message.say(lang), said_details(details or [], lang), headers)


#: OpenAPI description of the error responses every route may give.
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorBody, "description": "Not signed in, or the token/API key expired"},
    403: {"model": ErrorBody, "description": "The role may not do this"},
    404: {"model": ErrorBody, "description": "No such object, or not one the caller may see"},
    422: {"model": ErrorBody, "description": "Invalid input; every problem is listed with its field"},
    500: {"model": ErrorBody, "description": "Unexpected failure; the answer carries an incident id"},
    503: {
        "model": ErrorBody,
        "description": "The database cannot take changes (full, read-only) or does not answer, or no "
        "solver is available; Retry-After says when to try again",
    },
}


#: pydantic's error types -> the key that says them (with the names of their context's values).
PYDANTIC_KEYS: dict[str, tuple[str, dict[str, str]]] = {
    "missing": ("invalid.missing", {}),
    "extra_forbidden": ("invalid.extra", {}),
    "float_parsing": ("invalid.number", {}),
    "float_type": ("invalid.number", {}),
    "int_parsing": ("invalid.whole_number", {}),
    "int_type": ("invalid.whole_number", {}),
    "int_from_float": ("invalid.whole_number", {}),
    "string_type": ("invalid.text", {}),
    "bool_parsing": ("invalid.boolean", {}),
    "bool_type": ("invalid.boolean", {}),
    "list_type": ("invalid.list", {}),
    "dict_type": ("invalid.object", {}),
    "model_type": ("invalid.object", {}),
    "model_attributes_type": ("invalid.object", {}),
    "date_parsing": ("invalid.date", {}),
    "date_type": ("invalid.date", {}),
    "date_from_datetime_parsing": ("invalid.date", {}),
    "date_from_datetime_inexact": ("invalid.date", {}),
    "finite_number": ("invalid.finite", {}),
    "greater_than": ("invalid.greater_than", {"gt": "limit"}),
    "greater_than_equal": ("invalid.at_least", {"ge": "limit"}),
    "less_than": ("invalid.less_than", {"lt": "limit"}),
    "less_than_equal": ("invalid.at_most", {"le": "limit"}),
    "too_short": ("invalid.too_short", {"min_length": "limit"}),
    "too_long": ("invalid.too_long", {"max_length": "limit"}),
    "string_too_short": ("invalid.text_too_short", {"min_length": "limit"}),
    "string_too_long": ("invalid.text_too_long", {"max_length": "limit"}),
    "string_pattern_mismatch": ("invalid.pattern", {}),
    "literal_error": ("invalid.choice", {"expected": "expected"}),
    "enum": ("invalid.choice", {"expected": "expected"}),
    "json_invalid": ("invalid.json", {}),
}


def pydantic_message(error: Mapping[str, Any]) -> Message:
    """What one pydantic error says, as a message (English: pydantic's own words).

    A validator's :class:`~matcher_service.messages.InvalidValue` says its own message;
    a type without a key here says ``invalid.value``.
    """
    cause = (error.get("ctx") or {}).get("error")
    if isinstance(cause, InvalidValue):
        return cause.message
    key, names = PYDANTIC_KEYS.get(str(error.get("type")), ("invalid.value", {}))
    context = error.get("ctx") or {}
    return _Pydantic(key, {new: context.get(old) for old, new in names.items()}, error.get("msg", ""))


class _Pydantic(ApiMessage):
    """A pydantic error: English in pydantic's words, other languages from the key's template."""

    def __init__(self, key: str, args: Mapping[str, Any], english: str) -> None:
        super().__init__(key, args)
        object.__setattr__(self, "_english", str(english).removeprefix("Value error, "))

    @property
    def text(self) -> str:
        return self._english


def validation_details(errors: list[Mapping[str, Any]], *, where: str | None = None) -> list[dict[str, Any]]:
    """The details of pydantic errors: where, which field (as sent), and the message.

    ``where``: the part of the request of errors whose location does not say it
    (a model checked again inside a route: ``"body"``).
    """
    details = []
    for err in errors:
        loc = [str(part) for part in err.get("loc", ())]
        if loc and loc[0] in ("body", "query", "path", "header"):
            part, field = loc[0], ".".join(loc[1:])
        else:
            part, field = where, ".".join(loc)
        details.append({"in": part, "field": field, "message": pydantic_message(err)})
    return details


def fields_summary(details: list[dict[str, Any]], lang: str) -> str:
    lang = language_of(lang)
    listed = "; ".join(
        f"{d['field']}: {_inside(d['message'], lang)}" if d["field"] else _inside(d["message"], lang)
        for d in details
    )
    return ApiMessage("invalid.input", {"problems": listed}).say(lang)
