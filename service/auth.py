"""Who is calling (bearer token or API key) and what the route allows.

Every route is declared through :func:`allow`; the app refuses to start when a
route has no declared roles (deny by default), and the declared roles are
published in OpenAPI as ``x-roles``.
"""

from __future__ import annotations

import threading
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

from fastapi import Depends, Request
from fastapi.concurrency import run_in_threadpool
from sqlalchemy import event, select
from sqlalchemy.orm import Session, sessionmaker

from service.errors import Forbidden, Unauthorized
from service.models import ApiKey, Token, User
from service.roles import ADMIN, ANYONE, ROLES, Principal
from service.security import API_KEY_PREFIX, token_digest

__all__ = ["CredentialCache", "allow", "current", "get_session", "route_roles", "watch_credentials"]


async def get_session(request: Request) -> AsyncIterator[Session]:
    """One database session per request.

    Routes that write commit through :func:`service.store.commit` before they
    answer (so a failed commit becomes the answer); anything left uncommitted
    is rolled back and the connection returned to the pool in a worker thread.
    Opening a session does no I/O, so it happens here without a thread hop.
    """
    session: Session = request.app.state.sessions()
    try:
        yield session
    finally:
        await run_in_threadpool(session.close)


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _principal(user: User) -> Principal:
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


def _lookup(session: Session, kind: str, digest: str) -> tuple[Principal, datetime | None]:
    """The principal behind a credential digest and when the credential expires; 401 otherwise."""
    now = datetime.now(UTC)
    if kind == "token":
        row = session.get(Token, digest)
        if row is None or _aware(row.expires_at) <= now:
            raise Unauthorized("auth.token_expired")
        user_id, expires = row.user_id, _aware(row.expires_at)
    else:
        found = session.scalar(select(ApiKey).where(ApiKey.digest == digest))
        if found is None or (found.expires_at is not None and _aware(found.expires_at) <= now):
            raise Unauthorized("auth.key_expired")
        user_id, expires = found.user_id, _aware(found.expires_at) if found.expires_at else None
    user = session.get(User, user_id)
    if user is None or not user.active:
        raise Unauthorized("auth.disabled")
    return _principal(user), expires


class CredentialCache:
    """Principals of recently seen credentials, for ``ttl`` seconds at most.

    Cleared whenever this process commits a change to users, tokens or API
    keys; another worker process sees such a change within ``ttl``.

    Examples
    --------
    >>> cache = CredentialCache(ttl=5)
    >>> cache.put("d", Principal(1, "ana", "admin"), None)
    >>> cache.get("d").username
    'ana'
    >>> cache.clear(); cache.get("d") is None
    True
    """

    def __init__(self, ttl: float = 5.0) -> None:
        self.ttl = ttl
        self._entries: dict[str, tuple[Principal, float]] = {}
        self._lock = threading.Lock()

    def get(self, digest: str) -> Principal | None:
        entry = self._entries.get(digest)
        if entry is None:
            return None
        if entry[1] <= time.monotonic():
            with self._lock:
                self._entries.pop(digest, None)
            return None
        return entry[0]

    def put(self, digest: str, principal: Principal, expires: datetime | None) -> None:
        until = time.monotonic() + self.ttl
        if expires is not None:
            until = min(until, time.monotonic() + (expires - datetime.now(UTC)).total_seconds())
        with self._lock:
            if len(self._entries) > 10_000:
                self._entries.clear()
            self._entries[digest] = (principal, until)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


CREDENTIAL_TABLES = frozenset({"users", "tokens", "api_keys"})


def watch_credentials(sessions: sessionmaker[Session], cache: CredentialCache) -> None:
    """Clear ``cache`` after any commit that touched users, tokens or API keys."""

    @event.listens_for(sessions, "after_flush")
    def _flushed(session: Session, _context) -> None:
        touched = (*session.new, *session.dirty, *session.deleted)
        if any(getattr(o, "__tablename__", None) in CREDENTIAL_TABLES for o in touched):
            session.info["credentials_changed"] = True

    @event.listens_for(sessions, "do_orm_execute")
    def _executed(state) -> None:
        if state.is_insert or state.is_update or state.is_delete:
            table = getattr(state.statement, "table", None)
            if getattr(table, "name", None) in CREDENTIAL_TABLES:
                state.session.info["credentials_changed"] = True

    @event.listens_for(sessions, "after_commit")
    def _committed(session: Session) -> None:
        if session.info.pop("credentials_changed", False):
            cache.clear()

    @event.listens_for(sessions, "after_rollback")
    def _rolled_back(session: Session) -> None:
        session.info.pop("credentials_changed", None)


async def _caller(request: Request, session: Session) -> Principal | None:
    credential = _credential(request)
    if credential is None:
        return None
    kind, value = credential
    digest = token_digest(value, request.app.state.settings.secret_key)
    cache: CredentialCache = request.app.state.credentials
    principal = cache.get(digest)
    if principal is None:
        principal, expires = await run_in_threadpool(_lookup, session, kind, digest)
        cache.put(digest, principal, expires)
    return principal


def allow(*roles: str) -> dict[str, Any]:
    """Route keyword arguments that restrict the route to ``roles`` (admins always pass).

    Use as ``@router.get(path, **allow(COORDINATOR, LEADER))``; the route's
    handler receives the caller through ``Depends(current)``.
    """
    unknown = [r for r in roles if r not in ROLES]
    if unknown or not roles:
        raise ValueError(f"unknown roles {unknown}; known: {ROLES}")
    allowed = frozenset((*roles, ADMIN))

    async def guard(request: Request, session: Session = Depends(get_session)) -> Principal | None:
        principal = await _caller(request, session)
        request.state.principal = principal
        if ANYONE in allowed:
            return principal
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


def route_roles(route: Any) -> frozenset[str] | None:
    """The roles a route declares, None when it declares none."""
    extra = getattr(route, "openapi_extra", None) or {}
    roles = extra.get("x-roles")
    return frozenset(roles) if roles else None
