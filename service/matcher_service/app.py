"""The ASGI application: settings, database, routes, errors.

Examples
--------
>>> from matcher_service.settings import Settings
>>> app = create_app(Settings(demo=True, database_url="sqlite://"))
>>> "/workshops" in {r.path for r in api_routes(app)}
True
"""

from __future__ import annotations

import asyncio
import gc
import logging
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import Depends, FastAPI, Request
from fastapi.routing import APIRoute
from sqlalchemy.orm import sessionmaker
from starlette.types import ASGIApp, Message, Receive, Scope, Send

import matcher
from matcher_service.auth import route_roles
from matcher_service.cache import LruCache, RefreshedSummary, cached_network_view
from matcher_service.convert import SnapshotCache
from matcher_service.db import make_engine, migrate
from matcher_service.errors import ERROR_RESPONSES, said_response
from matcher_service.handlers import UnexpectedErrors, install_error_handlers
from matcher_service.messages import ApiMessage
from matcher_service.route import Answers
from matcher_service.schemas import refuse_control_characters
from matcher_service.security import SignInThrottle, trusted_networks
from matcher_service.settings import Settings, get_settings

__all__ = ["api_routes", "check_routes", "create_app"]

log = logging.getLogger("matcher.service")

DESCRIPTION = """
Network analysis and matchmaking for clusters of small garment workshops.

Sign in at `/auth/token` (OAuth2 password flow) and send `Authorization: Bearer <token>`,
or send an API key as `X-API-Key`. Every route states the roles that may call it
(`x-roles`); objects outside the caller's scope answer 404. Lead firms see
anonymized profiles only; contacts are released by a municipality.
"""


class BodyLimit:
    """Refuse request bodies above the configured size (413), before reading them."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = dict(scope.get("headers") or ()).get(b"content-length")
        if length is not None and length.isdigit() and int(length) > self.limit:
            await self._too_large(scope, receive, send)
            return
        seen = 0

        async def limited() -> dict:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    raise _TooLarge
            return message

        try:
            await self.app(scope, limited, send)
        except _TooLarge:
            await self._too_large(scope, receive, send)

    async def _too_large(self, scope: Scope, receive: Receive, send: Send) -> None:
        said = ApiMessage("limit.body", {"limit": self.limit})
        response = said_response(Request(scope), 413, "payload_too_large", said)
        await response(scope, receive, send)


class _TooLarge(Exception):
    pass


class SecurityHeaders:
    """Headers every answer carries: no MIME sniffing, no framing, no referrer.

    An HTML answer without a Content-Security-Policy of its own (the pages and
    the API docs set theirs) gets one that allows nothing to load.
    """

    HEADERS = (
        (b"x-content-type-options", b"nosniff"),
        (b"x-frame-options", b"DENY"),
        (b"referrer-policy", b"no-referrer"),
    )
    HTML_POLICY = b"default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers") or [])
                present = {name.lower() for name, _ in headers}
                headers += [(name, value) for name, value in self.HEADERS if name not in present]
                html = any(n.lower() == b"content-type" and v.startswith(b"text/html") for n, v in headers)
                if html and b"content-security-policy" not in present:
                    headers.append((b"content-security-policy", self.HTML_POLICY))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, sending)


class ConcurrencyLimit:
    """Let at most ``limit`` requests in at once; the others wait in line, holding nothing.

    Every request takes one database connection and hops between threads; with
    no limit, a burst could hold every connection while waiting for threads
    (and the reverse) until the pool times out.
    """

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit
        self._gate: asyncio.Semaphore | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if self._gate is None:
            self._gate = asyncio.Semaphore(self.limit)
        async with self._gate:
            await self.app(scope, receive, send)


def api_routes(app: FastAPI) -> list[APIRoute]:
    """Every API route of the app, included routers walked through."""
    found: list[APIRoute] = []

    def walk(routes) -> None:
        for route in routes:
            if isinstance(route, APIRoute):
                found.append(route)
            elif hasattr(route, "original_router"):  # a router included as a whole
                walk(route.original_router.routes)
            elif hasattr(route, "routes"):
                walk(route.routes)

    walk(app.routes)
    return found


def check_routes(app: FastAPI) -> None:
    """Refuse to build an app with a route that declares no roles (deny by default)."""
    routes = api_routes(app)
    if not routes:
        raise RuntimeError("the app has no API routes")
    missing = [f"{sorted(r.methods)} {r.path}" for r in routes if route_roles(r) is None]
    if missing:
        raise RuntimeError(f"routes without declared roles: {', '.join(missing)}")


def _warm(app: FastAPI) -> None:
    """Build the cluster snapshot, the network view of the whole cluster and the compressed static
    files before the first request needs them (a view of thousands of workshops takes a second or
    two to lay out, compressing plotly.js a fraction of one)."""
    try:
        import matcher.graph
        import matcher.optimize.shortlist  # noqa: F401
        from matcher_service.assets import warm_assets

        warm_assets()
        with app.state.sessions() as session:
            version, cluster = app.state.snapshots.get(session)
        if cluster.workshops:
            cached_network_view(app.state.views, version, cluster, None)
        # What was built lives as long as the process: keep the collector from scanning it again at
        # each full collection (a pause of a quarter of a second at 20,000 workshops).
        gc.collect()
        gc.freeze()
    except Exception as exc:  # warming only saves the first request some time; it retries
        log.warning("could not warm the cluster snapshot: %s", str(exc).splitlines()[0])


#: Error answers beyond those every route may give, by HTTP method.
WRITE_ERRORS = {
    "post": {409: "Clashes with existing data", 413: "The body is above the size limit"},
    "put": {
        409: "The version sent is not the current one",
        412: "If-Match names an older version",
        428: "If-Match (or the version) is missing",
    },
    "patch": {
        409: "The version sent is not the current one",
        412: "If-Match names an older version",
        428: "If-Match (or the version) is missing",
    },
    "delete": {
        409: "Other data depends on it",
        412: "If-Match names an older version",
        428: "If-Match is missing",
    },
}


def document_errors(app: FastAPI) -> None:
    """Describe in OpenAPI the error answers of each operation (shape: ``ErrorBody``)."""
    build = app.openapi

    def openapi() -> dict:
        if app.openapi_schema:
            return app.openapi_schema
        schema = build()
        body = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}}}
        for path, operations in schema.get("paths", {}).items():
            for method, operation in operations.items():
                extra = dict(WRITE_ERRORS.get(method, {}))
                if path == "/auth/token":
                    extra[429] = "Too many failed sign-ins; see Retry-After"
                if path.startswith("/jobs/match") or path.endswith("/shortlists"):
                    extra[503] = "No solver is available"
                responses = operation.setdefault("responses", {})
                for code, description in extra.items():
                    responses.setdefault(str(code), {"description": description, "content": body})
        app.openapi_schema = schema
        return schema

    app.openapi = openapi


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the service for ``settings`` (default: from the environment).

    The schema is migrated to the newest version when the app starts.
    """
    from matcher_service.job_runner import JobRunner
    from matcher_service.routes import ROUTERS
    from matcher_service.tasks import TASKS

    settings = settings or get_settings()
    # A connection per request let in, one for the job runner's dispatcher and one for the warming.
    engine = make_engine(settings.database_url, pool_size=settings.max_concurrent_requests + 2)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        migrate(engine)
        app.state.jobs.start()
        app.state.warming = threading.Thread(target=_warm, args=(app,), name="matcher-warm", daemon=True)
        app.state.warming.start()
        try:
            yield
        finally:
            app.state.jobs.stop()
            engine.dispose()

    app = FastAPI(
        title="matcher",
        version=matcher.__version__,
        description=DESCRIPTION,
        lifespan=lifespan,
        responses=ERROR_RESPONSES,
        docs_url=None,  # served by matcher_service.routes.docs, with their scripts from this origin
        redoc_url=None,
        dependencies=[Depends(refuse_control_characters)],
    )
    app.state.settings = settings
    app.state.engine = engine
    app.state.sessions = sessionmaker(engine, expire_on_commit=False, info={"totals": LruCache(size=256)})
    app.state.answers = Answers()
    app.state.snapshots = SnapshotCache()
    app.state.views = LruCache()
    app.state.public_summary = RefreshedSummary()
    app.state.throttle = SignInThrottle(
        settings.secret_key,
        attempts=settings.login_attempts,
        window=settings.login_window_seconds,
        address_attempts=settings.login_address_attempts,
        user_attempts=settings.login_user_attempts,
        slowdown=settings.login_slowdown_seconds,
    )
    app.state.proxies = trusted_networks(settings.trusted_proxies)
    app.state.jobs = JobRunner(
        app.state.sessions,
        settings.database_url,
        tasks=TASKS,
        workers=settings.job_workers,
        scheduler=settings.scheduler or None,
        stale_seconds=settings.job_stale_seconds,
        cancel_seconds=settings.job_cancel_seconds,
    )
    install_error_handlers(app)
    for router in ROUTERS:
        app.include_router(router)
    check_routes(app)
    document_errors(app)
    app.add_middleware(BodyLimit, limit=settings.max_request_bytes)
    app.add_middleware(ConcurrencyLimit, limit=settings.max_concurrent_requests)
    app.add_middleware(UnexpectedErrors)
    app.add_middleware(SecurityHeaders)
    return app
