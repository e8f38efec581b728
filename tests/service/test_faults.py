"""Faults answer honestly: a database that is full, read-only or gone gives 503 with Retry-After.

Read-only is made for real on both databases: SQLite through ``PRAGMA
query_only`` on every connection (and, in one test, the file opened with
``?mode=ro``), PostgreSQL through ``ALTER DATABASE … SET
default_transaction_read_only`` on the test's own database, set back at the
end. A full disk is SQLite's ``PRAGMA max_page_count``. An error no handler
takes is answered as a 500 in the one shape, and the connection stays open.
"""

from __future__ import annotations

import http.client
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit

import psycopg.errors
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError, OperationalError, ProgrammingError

from matcher_service.app import create_app
from matcher_service.auth import allow
from matcher_service.errors import RETRY_SECONDS, database_fault
from matcher_service.messages import ApiMessage
from matcher_service.roles import ANYONE
from tests.service.conftest import PASSWORD, POSTGRES_URL, live_server, make_settings

CANNOT_WRITE = ApiMessage("error.cannot_write", {"seconds": RETRY_SECONDS})
NOT_SIGNED_OUT = ApiMessage("auth.not_signed_out", {"seconds": RETRY_SECONDS})


@contextmanager
def read_only(world) -> Iterator[None]:
    """The world's database refuses every change while inside (reads still work)."""
    engine = world.app.state.engine
    if world.backend == "sqlite":

        def query_only(dbapi_connection, _record) -> None:
            dbapi_connection.execute("PRAGMA query_only = ON")

        event.listen(engine, "connect", query_only)
        engine.dispose()
        try:
            yield
        finally:
            event.remove(engine, "connect", query_only)
            engine.dispose()
        return
    name = engine.url.database
    admin = create_engine(make_url(POSTGRES_URL), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'ALTER DATABASE "{name}" SET default_transaction_read_only = on'))
    engine.dispose()
    try:
        yield
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'ALTER DATABASE "{name}" RESET default_transaction_read_only'))
        admin.dispose()
        engine.dispose()


def _sign_in(world) -> str:
    r = world.client.post("/auth/token", data={"username": "admin", "password": PASSWORD})
    assert r.status_code == 200, r.text
    return r.json()["access_token"]


def _unavailable(r, message: ApiMessage, lang: str = "en") -> None:
    assert r.status_code == 503, r.text
    assert r.headers["Retry-After"] == str(RETRY_SECONDS)
    assert r.json()["error"]["code"] == "unavailable"
    assert r.json()["error"]["message"] == message.say(lang)
    assert "Traceback" not in r.text and "sqlite" not in r.text.lower() and "psycopg" not in r.text


def test_read_only_database_answers_503_with_retry_after(world):
    token = _sign_in(world)
    bearer = {"Authorization": f"Bearer {token}"}
    with read_only(world):
        # Reads go on.
        assert world.as_("coordinator", "GET", "/workshops").status_code == 200
        assert world.client.get("/me", headers=bearer).status_code == 200
        # Every write says why it failed, in the caller's language; sign-in included.
        r = world.client.post("/auth/token", data={"username": "admin", "password": PASSWORD})
        _unavailable(r, CANNOT_WRITE)
        r = world.as_(
            "coordinator", "POST", "/me/api-keys", json={"name": "x"}, headers={"Accept-Language": "es"}
        )
        _unavailable(r, CANNOT_WRITE, "es")
        assert r.json()["error"]["message"].startswith("La base de datos no acepta cambios")
        r = world.as_(
            "coordinator", "PATCH", "/workshops/W1", json={"workers": 9}, headers={"If-Match": '"W1.1"'}
        )
        _unavailable(r, CANNOT_WRITE)
        # Logout does not pretend: the token stays valid, and the answer says so.
        r = world.client.post("/auth/logout", headers=bearer)
        _unavailable(r, NOT_SIGNED_OUT)
        assert world.client.get("/me", headers=bearer).status_code == 200
        # The health check sees it.
        r = world.client.get("/health")
        assert r.status_code == 503
        assert r.headers["Retry-After"] == str(RETRY_SECONDS)
        assert r.json() == {"status": "unavailable", "database": "not_writable", "writable": False}
    assert world.client.get("/health").json() == {"status": "ok", "database": "ok", "writable": True}
    assert world.client.post("/auth/logout", headers=bearer).status_code == 204
    assert world.client.get("/me", headers=bearer).status_code == 401
    # Nothing was written meanwhile.
    assert world.as_("coordinator", "GET", "/workshops/W1").json()["workers"] != 9


def test_health_probe_leaves_nothing_behind(world):
    for _ in range(3):
        assert world.client.get("/health").status_code == 200
    with world.app.state.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM meta WHERE key = 'health.probe'")).scalar() == 0


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_sqlite_file_opened_read_only(world, database_url):
    with world.app.state.engine.begin() as conn:  # a service started read-only cannot fail its jobs
        conn.execute(text("UPDATE jobs SET status = 'failed'"))
    path = make_url(database_url).database
    settings = make_settings(f"sqlite:///file:{path}?mode=ro&uri=true")
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        key = {"X-API-Key": world.keys["coordinator"]}
        assert client.get("/workshops", headers=key).status_code == 200
        _unavailable(client.post("/me/api-keys", json={"name": "x"}, headers=key), CANNOT_WRITE)
        r = client.post("/auth/token", data={"username": "admin", "password": PASSWORD})
        _unavailable(r, CANNOT_WRITE)
        assert client.get("/health").json() == {
            "status": "unavailable",
            "database": "not_writable",
            "writable": False,
        }


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_full_sqlite_disk_answers_503_never_500(world):
    engine = world.app.state.engine

    def full(dbapi_connection, _record) -> None:
        dbapi_connection.execute("PRAGMA max_page_count = 1")  # no page beyond those in use

    event.listen(engine, "connect", full)
    engine.dispose()
    try:
        statuses = []
        for i in range(300):
            r = world.as_("coordinator", "POST", "/me/api-keys", json={"name": f"key {i} " + "x" * 100})
            statuses.append(r.status_code)
            if r.status_code == 503:
                _unavailable(r, CANNOT_WRITE)
                break
        assert set(statuses) <= {201, 503}
        assert statuses[-1] == 503
    finally:
        event.remove(engine, "connect", full)
        engine.dispose()
    assert world.as_("coordinator", "POST", "/me/api-keys", json={"name": "after"}).status_code == 201


@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
def test_lost_connections_answer_503_then_recover(world):
    assert world.as_("coordinator", "GET", "/workshops").status_code == 200
    admin = create_engine(make_url(POSTGRES_URL), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(
            text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :name"),
            {"name": world.app.state.engine.url.database},
        )
    admin.dispose()
    first = world.as_("coordinator", "GET", "/workshops")
    _unavailable(first, ApiMessage("error.unreachable", {"seconds": RETRY_SECONDS}))
    # The pool drops every connection of the lost server; the next request opens a new one.
    assert [world.as_("coordinator", "GET", "/workshops").status_code for _ in range(3)] == [200] * 3


def _wrapped(exc: Exception, kind=OperationalError) -> Exception:
    return kind("INSERT ...", {}, exc)


@pytest.mark.parametrize(
    ("cause", "fault"),
    [
        (psycopg.errors.DiskFull("could not extend file"), "cannot_write"),
        (psycopg.errors.ReadOnlySqlTransaction("read-only transaction"), "cannot_write"),
        (psycopg.errors.OutOfMemory("out of memory"), "cannot_write"),
        (psycopg.errors.AdminShutdown("terminating connection"), "unreachable"),
        (psycopg.errors.ConnectionFailure("connection failure"), "unreachable"),
        (psycopg.errors.UndefinedTable("no table"), None),
        (sqlite3.OperationalError("database or disk is full"), "cannot_write"),
        (sqlite3.OperationalError("attempt to write a readonly database"), "cannot_write"),
        (sqlite3.OperationalError("disk I/O error"), "cannot_write"),
        (sqlite3.OperationalError("no such table: x"), None),
    ],
)
def test_database_fault_reads_the_driver_error(cause, fault):
    kind = ProgrammingError if isinstance(cause, psycopg.errors.UndefinedTable) else OperationalError
    assert database_fault(_wrapped(cause, kind)) == fault


def test_a_clash_is_no_fault():
    assert database_fault(_wrapped(psycopg.errors.UniqueViolation("dup"), IntegrityError)) is None
    assert database_fault(ValueError("not a database error")) is None


def _app_that_fails(database_url: str):
    app = create_app(make_settings(database_url))

    @app.get("/fails", **allow(ANYONE))
    def fails() -> None:
        raise RuntimeError("secret detail of the failure")

    return app


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_unexpected_error_is_a_500_in_the_one_shape(database_url):
    with TestClient(_app_that_fails(database_url)) as client:  # raise_server_exceptions: nothing escapes
        r = client.get("/fails", headers={"Accept-Language": "es"})
    assert r.status_code == 500
    assert r.headers["content-type"] == "application/json"
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    error = r.json()["error"]
    assert error["code"] == "internal"
    assert error["message"].startswith("Falla inesperada; indique el incidente ")
    assert "secret" not in r.text and "Traceback" not in r.text and "RuntimeError" not in r.text


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_connection_stays_open_after_an_unexpected_error(database_url):
    with live_server(_app_that_fails(database_url)) as base:
        address = urlsplit(base)
        conn = http.client.HTTPConnection(address.hostname, address.port, timeout=10)
        try:
            conn.request("GET", "/fails")
            first = conn.getresponse()
            body = first.read()
            sock = conn.sock
            assert first.status == 500 and b'"internal"' in body and b"secret" not in body
            assert first.getheader("connection") != "close"
            conn.request("GET", "/health")  # on the same connection
            second = conn.getresponse()
            assert second.status == 200, second.read()
            second.read()
            assert conn.sock is sock
        finally:
            conn.close()
