"""Who is calling (bearer token or API key) and what the route allows.

Every route is declared through :func:`allow`; the app refuses to start when a
route has no declared roles (deny by default), and the declared roles are
published in OpenAPI as ``x-roles``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.concurrency import run_in_threadpool
from sqlalchemy import Select, bindparam, select
from sqlalchemy.orm import Session

from matcher_service.db import data_version_column
from matcher_service.errors import Forbidden, Unauthorized
from matcher_service.models import ApiKey, Token, User
from matcher_service.roles import ADMIN, ANYONE, ROLES, Principal
from matcher_service.security import API_KEY_PREFIX, token_digest

__all__ = ["allow", "credential_expiry", "current", "get_session", "route_roles"]


async def get_session(request: Request) -> AsyncIterator[Session]:
    """One database session per request.

    Routes that write commit through :func:`matcher_service.store.commit` before they
    answer (so a failed commit becomes the answer); anything left uncommitted
    is rolled back and the connection returned to the pool in a worker thread
    (the handler's own, see :mod:`matcher_service.route`). Opening a session does no
    I/O, so it happens here without a thread hop.
    """
    session: Session = request.app.state.sessions()
    try:
        yield session
    finally:
        # not ended by the handler's thread (matcher_service.route): end it in one
        if session.in_transaction():
            await run_in_threadpool(session.close)
        else:
            session.close()  # nothing to release: no I/O


def _principal(user: Any) -> Principal:
    return Principal(
        user.user_id,
        user.username,
        user.role,
        territories=tuple(user.territories or ()),
        organization_id=user.organization_id,
        firm_id=user.firm_id,
    )


def _credential(request: Request) -> tuple[str, str] | None:
    """``("token" | "key", credential)`` from the request's headers; None when anonymous."""
    header = request.headers.get("authorization", "")
    key = request.headers.get("x-api-key")
    if header:
        scheme, _, credential = header.partition(" ")
        if scheme.lower() != "bearer" or not credential:
            raise Unauthorized("auth.bad_header")
        return ("key", credential) if credential.startswith(API_KEY_PREFIX) else ("token", credential)
    if key:
        return ("key", key)
    return None


#: The columns of the caller's account a request needs (table columns, not ORM attributes: the
#: query runs on the session's connection without the ORM's bookkeeping; one row, read and dropped).
_ACCOUNT = tuple(
    User.__table__.c[name]
    for name in ("user_id", "username", "role", "territories", "organization_id", "firm_id", "active")
)


def _account_query(table: type[Token] | type[ApiKey]) -> Select:
    credential = table.__table__.c
    return (
        select(*_ACCOUNT, credential.expires_at, data_version_column())
        .join(table.__table__, credential.user_id == User.__table__.c.user_id)
        .where(credential.digest == bindparam("digest"))
    )


#: The statements that find the account behind a credential, built once (their cache key with them).
_ACCOUNT_BY = {"token": _account_query(Token), "key": _account_query(ApiKey)}


def _lookup(
    session: Session, kind: str, digest: str, reads_only: bool = False
) -> tuple[Principal, datetime | None]:
    """The principal behind a credential digest and when the credential expires; 401 otherwise.

    Read from the database on every request (one query): a credential revoked or an account
    disabled by any process of the service is refused by every other one at once. The same
    query reads the data version, which the request's pages key their cached totals on
    (:func:`matcher_service.store.page_of`); it goes to ``session.info["data_version"]``.

    A route that only reads (``reads_only``, see :mod:`matcher_service.route`) runs without a transaction
    on PostgreSQL: each statement sees the data committed when it starts, as it would inside
    one at the read-committed level, without the two round trips that open and end it.
    """
    if reads_only and session.get_bind().dialect.name == "postgresql":
        connection = session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})
    else:
        connection = session.connection()
    now = datetime.now(UTC)
    found = connection.execute(_ACCOUNT_BY[kind], {"digest": digest}).first()
    if kind == "token" and (found is None or found.expires_at <= now):
        raise Unauthorized("auth.token_expired")
    if found is None or (found.expires_at is not None and found.expires_at <= now):
        raise Unauthorized("auth.key_expired")
    if not found.active:
        raise Unauthorized("auth.disabled")
    session.info["data_version"] = found.data_version
    return _principal(found), found.expires_at


async def _caller(request: Request, session: Session) -> Principal | None:
    """The caller, looked up in the database; the credential's kind and expiry go to
    ``request.state.credential`` (an API key may mint no key that outlives it)."""
    credential = _credential(request)
    if credential is None:
        return None
    kind, value = credential
    digest = token_digest(value, request.app.state.settings.secret_key)
    reads_only = getattr(request.scope.get("route"), "reads_only", False)
    principal, expires = await run_in_threadpool(_lookup, session, kind, digest, reads_only)
    request.state.credential = (kind, expires)
    return principal


def allow(*roles: str) -> dict[str, Any]:
    """Route keyword arguments that restrict the route to ``roles`` (admins always pass).

    A route open to :data:`~matcher_service.roles.ANYONE` ignores the credentials sent.

    Use as ``@router.get(path, **allow(COORDINATOR, LEADER))``; the route's
    handler receives the caller as ``principal: CurrentPrincipal`` (:mod:`matcher_service.deps`).
    """
    unknown = [r for r in roles if r not in ROLES]
    if unknown or not roles:
        raise ValueError(f"unknown roles {unknown}; known: {ROLES}")
    allowed = frozenset((*roles, ADMIN))

    async def guard(request: Request, session: Annotated[Session, Depends(get_session)]) -> Principal | None:
        if ANYONE in allowed:
            # Open to anyone: the credentials sent are not looked at, so an expired or malformed
            # one never makes an open route answer 401.
            request.state.principal = None
            return None
        principal = await _caller(request, session)
        request.state.principal = principal
        if principal is None:
            raise Unauthorized()
        if principal.role not in allowed:
            raise Forbidden("auth.forbidden", role=principal.role)
        return principal

    return {
        "dependencies": [Depends(guard)],
        "openapi_extra": {"x-roles": sorted(allowed)},
    }


async def current(request: Request) -> Principal:
    """The caller of a route that requires sign-in (after :func:`allow`'s guard ran)."""
    principal = getattr(request.state, "principal", None)
    if principal is None:
        raise Unauthorized()
    return principal


def credential_expiry(request: Request) -> tuple[str, datetime | None]:
    """How the caller signed in (``"token"`` or ``"key"``) and when that credential expires."""
    return getattr(request.state, "credential", ("token", None))


def route_roles(route: Any) -> frozenset[str] | None:
    """The roles a route declares, None when it declares none."""
    extra = getattr(route, "openapi_extra", None) or {}
    roles = extra.get("x-roles")
    return frozenset(roles) if roles else None
