"""The one place every error is mapped to its HTTP answer: the service's exception handlers,
and the last resort for an error no handler took (an incident id, never a stack trace).
The errors and the shape of the answer: :mod:`matcher_service.errors`.
"""

from __future__ import annotations

import inspect
import logging
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm.exc import StaleDataError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Receive, Scope, Send
from starlette.types import Message as AsgiMessage

from matcher.errors import (
    InvalidDataError,
    InvalidOptionError,
    LimitExceededError,
    MatcherError,
    SolverFailed,
    SolverUnavailable,
    UnknownIdError,
)
from matcher_service.errors import (
    ApiError,
    database_fault,
    error_response,
    fields_summary,
    said_details,
    said_response,
    unavailable,
    validation_details,
)
from matcher_service.language import request_language
from matcher_service.messages import ApiMessage

__all__ = ["UnexpectedErrors", "incident_response", "install_error_handlers"]

log = logging.getLogger("matcher.service")


def install_error_handlers(app: FastAPI) -> None:
    """Map every error to its HTTP answer (the only place this happens)."""

    @app.exception_handler(ApiError)
    async def _api(request: Request, exc: ApiError) -> JSONResponse:
        lang = request_language(request)
        headers = {**(exc.headers or {}), "Content-Language": lang}
        return error_response(exc.status, exc.code, exc.say(lang), said_details(exc.details, lang), headers)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        lang = request_language(request)
        details = validation_details(exc.errors())
        headers = {"Content-Language": lang}
        return error_response(
            422, "invalid", fields_summary(details, lang), said_details(details, lang), headers
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = {404: "not_found", 405: "method_not_allowed", 413: "payload_too_large"}.get(
            exc.status_code, "http_error"
        )
        said = {
            404: ApiMessage("error.no_address"),
            405: ApiMessage("error.method"),
        }.get(exc.status_code, ApiMessage("error.http", {"status": exc.status_code}))
        return said_response(request, exc.status_code, code, said, headers=getattr(exc, "headers", None))

    @app.exception_handler(InvalidDataError)
    async def _data(request: Request, exc: InvalidDataError) -> JSONResponse:
        lang = request_language(request)
        details = [_problem(p, lang) for p in exc.problems]
        return error_response(422, "invalid_data", exc.say(lang), details, {"Content-Language": lang})

    @app.exception_handler(LimitExceededError)
    async def _limit(request: Request, exc: LimitExceededError) -> JSONResponse:
        # A dataset over a reading limit: 413 for a size in bytes, 422 for its content; the
        # message is the problem itself (file or sheet, and the limit).
        lang = request_language(request)
        details = [_problem(p, lang) for p in exc.problems]
        status, code = (413, "payload_too_large") if exc.size else (422, "invalid_data")
        said = exc.problems[0].say(lang)
        return error_response(status, code, said, details, {"Content-Language": lang})

    # The library's errors, said in the request's language. An unknown id's message names the
    # ids asked only: the known ones would disclose what the caller may not see.
    for error, status, code in LIBRARY_ERRORS:
        app.add_exception_handler(error, _library(status, code))

    @app.exception_handler(StaleDataError)
    async def _stale(request: Request, _exc: StaleDataError) -> JSONResponse:
        return said_response(request, 412, "precondition_failed", ApiMessage("version.changed"))

    @app.exception_handler(IntegrityError)
    async def _integrity(request: Request, exc: IntegrityError) -> JSONResponse:
        reason = str(getattr(exc, "orig", exc)).splitlines()[0][:200]
        log.info("a change clashed with stored data on %s %s: %s", request.method, request.url.path, reason)
        return said_response(request, 409, "conflict", ApiMessage("error.clash"))

    @app.exception_handler(DBAPIError)
    async def _database(request: Request, exc: DBAPIError) -> JSONResponse:
        fault = database_fault(exc)
        if fault is None:
            return incident_response(request, exc)
        reason = str(exc.orig).splitlines()[0][:200] if exc.orig else type(exc).__name__
        log.warning("the database %s on %s %s: %s", fault, request.method, request.url.path, reason)
        return await _api(request, unavailable(fault))

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        return incident_response(request, exc)


def incident_response(request: Request, exc: BaseException) -> JSONResponse:
    """A failure that is not the client's doing: logged with an incident id, answered with the id only."""
    incident = uuid.uuid4().hex[:12]
    log.error("incident %s on %s %s", incident, request.method, request.url.path, exc_info=exc)
    return said_response(request, 500, "internal", ApiMessage("error.incident", {"incident": incident}))


class UnexpectedErrors:
    """Answer an error that no handler took as a 500 in the one shape (an incident id, no trace).

    Starlette's last-resort handler sends that answer and then raises the error
    again to the server, which closes the connection: the client's next request
    on it fails. Here the error ends with the answer. An error raised after the
    answer started cannot be answered any more and goes on to the server.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def sending(message: AsgiMessage) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, sending)
        except Exception as exc:
            if started:
                raise
            await incident_response(Request(scope), exc)(scope, receive, send)


#: The library's errors and the status and code each is answered with (an error takes the
#: handler of its nearest class here).
LIBRARY_ERRORS: tuple[tuple[type[MatcherError], int, str], ...] = (
    (UnknownIdError, 404, "not_found"),
    (InvalidOptionError, 422, "invalid_option"),
    (SolverUnavailable, 503, "solver_unavailable"),
    (SolverFailed, 500, "solver_failed"),
    (MatcherError, 422, "invalid"),
)


def _library(status: int, code: str) -> Callable[[Request, Exception], Awaitable[JSONResponse]]:
    """The handler of a library error: said in the request's language (its English text when it
    carries no message); a solver's failure is logged too."""

    async def handle(request: Request, exc: Exception) -> JSONResponse:
        if isinstance(exc, SolverFailed):
            log.error("the solver failed on %s %s: %s", request.method, request.url.path, exc)
        lang = request_language(request)
        said = exc.say(lang) if isinstance(exc, MatcherError) else str(exc)
        return error_response(status, code, said, headers={"Content-Language": lang})

    return handle


def _problem(problem: Any, lang: str) -> dict[str, Any]:
    """A dataset problem as JSON, in a language when the problem can say itself in one."""
    if "lang" in inspect.signature(problem.to_dict).parameters:
        return problem.to_dict(lang=lang)
    return problem.to_dict()
