"""Every error the service answers with, mapped to HTTP in one place.

Responses carry ``{"error": {"code", "message", "details"}}``; a failure that
is not the client's doing is logged with an id and answered with that id
only — never a stack trace.
"""

from __future__ import annotations

import logging
import uuid
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError
from starlette.exceptions import HTTPException as StarletteHTTPException

from matcher.errors import (
    InvalidDataError,
    InvalidOptionError,
    MatcherError,
    SolverFailed,
    SolverUnavailable,
    UnknownIdError,
)

__all__ = [
    "ERROR_RESPONSES",
    "ApiError",
    "Conflict",
    "ErrorBody",
    "Forbidden",
    "NotFound",
    "PreconditionFailed",
    "PreconditionRequired",
    "Unauthorized",
    "Unprocessable",
    "install_error_handlers",
]

log = logging.getLogger("matcher.service")


class ErrorDetail(BaseModel):
    code: str
    message: str
    details: list[dict[str, Any]] = []


class ErrorBody(BaseModel):
    """The body of every error response."""

    error: ErrorDetail


class ApiError(Exception):
    """An error with its HTTP status, a stable code and a message for the client."""

    status = 400
    code = "bad_request"

    def __init__(
        self,
        message: str,
        *,
        details: list[dict[str, Any]] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.details = details or []
        self.headers = headers


class Unauthorized(ApiError):
    status, code = 401, "unauthorized"

    def __init__(self, message: str = "sign in first (a bearer token or an API key)", **kw: Any) -> None:
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


class PreconditionRequired(ApiError):
    status, code = 428, "precondition_required"


class TooManyRequests(ApiError):
    status, code = 429, "too_many_requests"


class Unavailable(ApiError):
    status, code = 503, "unavailable"


def _body(code: str, message: str, details: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "details": details or []}}


def error_response(
    status: int, code: str, message: str, details: list[dict[str, Any]] | None = None, headers=None
) -> JSONResponse:
    """A JSON error response in the one shape of the service."""
    return JSONResponse(_body(code, message, details), status_code=status, headers=headers)


#: OpenAPI description of the error responses every route may give.
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorBody, "description": "Not signed in, or the token/API key expired"},
    403: {"model": ErrorBody, "description": "The role may not do this"},
    404: {"model": ErrorBody, "description": "No such object, or not one the caller may see"},
    422: {"model": ErrorBody, "description": "Invalid input; every problem is listed with its field"},
    500: {"model": ErrorBody, "description": "Unexpected failure; the answer carries an incident id"},
}


def _validation_details(exc: RequestValidationError) -> list[dict[str, Any]]:
    details = []
    for err in exc.errors():
        loc = [str(part) for part in err.get("loc", ())]
        field = ".".join(loc[1:]) if loc and loc[0] in ("body", "query", "path", "header") else ".".join(loc)
        message = str(err.get("msg", "invalid")).removeprefix("Value error, ")
        details.append({"in": loc[0] if loc else None, "field": field, "message": message})
    return details


def install_error_handlers(app: FastAPI) -> None:
    """Map every error to its HTTP answer (the only place this happens)."""

    @app.exception_handler(ApiError)
    async def _api(_request: Request, exc: ApiError) -> JSONResponse:
        return error_response(exc.status, exc.code, exc.message, exc.details, exc.headers)

    @app.exception_handler(RequestValidationError)
    async def _validation(_request: Request, exc: RequestValidationError) -> JSONResponse:
        details = _validation_details(exc)
        said = "; ".join(f"{d['field']}: {d['message']}" if d["field"] else d["message"] for d in details)
        return error_response(422, "invalid", f"invalid input: {said}", details)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = {404: "not_found", 405: "method_not_allowed", 413: "payload_too_large"}.get(
            exc.status_code, "http_error"
        )
        return error_response(exc.status_code, code, str(exc.detail), headers=getattr(exc, "headers", None))

    @app.exception_handler(InvalidDataError)
    async def _data(_request: Request, exc: InvalidDataError) -> JSONResponse:
        details = [p.to_dict() for p in exc.problems]
        n = len(details)
        return error_response(422, "invalid_data", f"{n} problem{'s' if n != 1 else ''} in the data", details)

    @app.exception_handler(UnknownIdError)
    async def _unknown(_request: Request, exc: UnknownIdError) -> JSONResponse:
        # Never list the known ids: that would disclose what the caller may not see.
        ids = ", ".join(exc.asked)
        return error_response(404, "not_found", f"unknown {exc.what} id {ids}")

    @app.exception_handler(InvalidOptionError)
    async def _option(_request: Request, exc: InvalidOptionError) -> JSONResponse:
        return error_response(422, "invalid_option", str(exc))

    @app.exception_handler(SolverUnavailable)
    async def _solver(_request: Request, exc: SolverUnavailable) -> JSONResponse:
        return error_response(503, "solver_unavailable", str(exc))

    @app.exception_handler(SolverFailed)
    async def _failed(_request: Request, exc: SolverFailed) -> JSONResponse:
        return error_response(500, "solver_failed", str(exc))

    @app.exception_handler(MatcherError)
    async def _matcher(_request: Request, exc: MatcherError) -> JSONResponse:
        return error_response(422, "invalid", str(exc))

    @app.exception_handler(StaleDataError)
    async def _stale(_request: Request, _exc: StaleDataError) -> JSONResponse:
        return error_response(
            412, "precondition_failed", "the object was changed by someone else meanwhile; read it again"
        )

    @app.exception_handler(IntegrityError)
    async def _integrity(_request: Request, exc: IntegrityError) -> JSONResponse:
        reason = str(getattr(exc, "orig", exc)).splitlines()[0][:200]
        return error_response(409, "conflict", f"the change clashes with existing data ({reason})")

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        incident = uuid.uuid4().hex[:12]
        log.exception("incident %s on %s %s", incident, request.method, request.url.path, exc_info=exc)
        return error_response(
            500, "internal", f"unexpected failure; quote incident {incident} to the administrator"
        )
