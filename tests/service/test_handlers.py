"""Each library error answered with its status and code, in the request's language
(matcher_service.handlers)."""

from __future__ import annotations

import logging

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from matcher.errors import (
    InvalidOptionError,
    MatcherError,
    SolverFailed,
    SolverUnavailable,
    UnknownIdError,
)
from matcher.messages import Message
from matcher_service.handlers import install_error_handlers

DATE = [Message("option.date", {"name": "as_of", "got": "30/09"})]


@pytest.mark.parametrize(
    ("error", "status", "code"),
    [
        (UnknownIdError("order", ["O9"], ["O1"]), 404, "not_found"),
        (InvalidOptionError(messages=DATE), 422, "invalid_option"),
        (SolverUnavailable("no solver"), 503, "solver_unavailable"),
        (SolverFailed("highs crashed", messages=[Message("solver.failed")]), 500, "solver_failed"),
        (MatcherError(messages=DATE), 422, "invalid"),
    ],
)
def test_a_library_error_has_its_status_code_and_language(caplog, error, status, code):
    app = FastAPI()
    install_error_handlers(app)

    @app.get("/fail")
    def fail():
        raise error

    with caplog.at_level(logging.ERROR, logger="matcher.service"):
        answer = TestClient(app, raise_server_exceptions=False).get("/fail?lang=es")
    assert answer.status_code == status and answer.json()["error"]["code"] == code
    assert answer.json()["error"]["message"] == error.say("es")
    assert answer.headers["content-language"] == "es"
    logged = [r.getMessage() for r in caplog.records]
    assert any("highs crashed" in line for line in logged) is isinstance(error, SolverFailed)
    assert "O1" not in answer.text  # an unknown id's answer never lists the ids that exist
