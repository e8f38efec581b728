"""Sign in (OAuth2 password flow), who am I, and API keys for machine clients."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response
from fastapi.security import OAuth2PasswordRequestForm
from sqlalchemy.exc import DBAPIError

from matcher_service.api_keys import ApiKeyIn, ApiKeyOut, NewApiKeyOut, issue_api_key, key_out
from matcher_service.auth import allow
from matcher_service.crud.auth import add_token, api_keys_of, user_named
from matcher_service.deps import CurrentPrincipal, RowId, SessionDep, SettingsDep
from matcher_service.errors import (
    RETRY_SECONDS,
    NotFound,
    TooManyRequests,
    Unauthorized,
    Unavailable,
    database_fault,
)
from matcher_service.models import ApiKey, Token, User
from matcher_service.roles import ANYONE, COORDINATOR, LEAD_FIRM, LEADER, MUNICIPALITY, Principal
from matcher_service.route import Route
from matcher_service.schemas.auth import MeOut, TokenOut
from matcher_service.security import (
    SignInThrottle,
    client_address,
    new_token,
    token_digest,
    verify_password,
)
from matcher_service.store import audit, commit

router = APIRouter(route_class=Route, tags=["auth"])
SIGNED_IN = (COORDINATOR, LEADER, LEAD_FIRM, MUNICIPALITY)
USERNAME_LENGTH = User.__table__.c.username.type.length


@router.post("/auth/token", response_model=TokenOut, **allow(ANYONE))
def login(
    request: Request,
    form: Annotated[OAuth2PasswordRequestForm, Depends()],
    session: SessionDep,
    settings: SettingsDep,
) -> TokenOut:
    """Exchange user name and password for a bearer token (OAuth2 password flow).

    Failed attempts are counted per user name and client address, per address
    and per user name (429 with ``Retry-After``; see
    :class:`~matcher_service.security.SignInThrottle`): failures from one address never
    lock the user out at another. The client address is the connection's, or
    the one ``X-Forwarded-For`` names when the connection comes from a trusted
    proxy (``MATCHER_TRUSTED_PROXIES``).
    """
    throttle: SignInThrottle = request.app.state.throttle
    address = client_address(
        request.client.host if request.client else None,
        ",".join(request.headers.getlist("x-forwarded-for")),
        request.app.state.proxies,
    )
    keys = throttle.keys(form.username, address)
    wait = throttle.wait(session, keys)
    if wait <= 0:
        within = throttle.charge(session, keys)
        commit(session, what="the sign-in attempt")
        if not within:  # attempts sent at once took the last ones left
            wait = max(throttle.wait(session, keys), 1.0)
    if wait > 0:
        raise TooManyRequests(
            "auth.throttled", seconds=int(wait) + 1, headers={"Retry-After": str(int(wait) + 1)}
        )
    # No account has a longer name: such a name is not looked up (the password is checked all the same).
    known = len(form.username) <= USERNAME_LENGTH
    user = user_named(session, form.username) if known else None
    if not verify_password(user.password_hash if user else None, form.password) or not (user and user.active):
        raise Unauthorized("auth.wrong_password")
    throttle.succeeded(session, keys)
    token = new_token()
    expires_at = datetime.now(UTC) + timedelta(minutes=settings.token_minutes)
    add_token(session, token_digest(token, settings.secret_key), user.user_id, expires_at)
    commit(session, what="the token")
    return TokenOut(access_token=token, expires_in=settings.token_minutes * 60)


def _me(p: Principal) -> MeOut:
    return MeOut(
        user_id=p.user_id,
        username=p.username,
        role=p.role,
        territories=list(p.territories),
        organization_id=p.organization_id,
        firm_id=p.firm_id,
    )


@router.get("/me", response_model=MeOut, **allow(*SIGNED_IN))
def me(principal: CurrentPrincipal) -> MeOut:
    """The signed-in user, role and scope."""
    return _me(principal)


@router.post("/auth/logout", status_code=204, **allow(*SIGNED_IN))
def logout(request: Request, session: SessionDep, settings: SettingsDep) -> Response:
    """Revoke the bearer token the request was made with.

    When the database cannot take the change, the answer is 503 saying that the
    token stays valid: it never reports a sign-out that did not happen.
    """
    _, _, credential = request.headers.get("authorization", "").partition(" ")
    if credential:
        try:
            row = session.get(Token, token_digest(credential, settings.secret_key))
            if row is not None:
                session.delete(row)
                commit(session, what="the token")
        except DBAPIError as exc:
            if database_fault(exc) is None:
                raise
            retry = {"Retry-After": str(RETRY_SECONDS)}
            raise Unavailable("auth.not_signed_out", seconds=RETRY_SECONDS, headers=retry) from exc
    return Response(status_code=204)


@router.get("/me/api-keys", response_model=list[ApiKeyOut], **allow(*SIGNED_IN))
def list_api_keys(principal: CurrentPrincipal, session: SessionDep):
    """The caller's API keys (never the keys themselves)."""
    return [key_out(k) for k in api_keys_of(session, principal.user_id)]


@router.post("/me/api-keys", response_model=NewApiKeyOut, status_code=201, **allow(*SIGNED_IN))
def create_api_key(
    body: ApiKeyIn,
    request: Request,
    principal: CurrentPrincipal,
    session: SessionDep,
) -> NewApiKeyOut:
    """A new API key acting as the caller; the key is shown only in this answer."""
    return issue_api_key(request, session, principal, principal.user_id, body)


@router.delete("/me/api-keys/{key_id}", status_code=204, **allow(*SIGNED_IN))
def delete_api_key(key_id: RowId, principal: CurrentPrincipal, session: SessionDep) -> Response:
    """Revoke one of the caller's API keys."""
    row = session.get(ApiKey, key_id)
    if row is None or row.user_id != principal.user_id:
        raise NotFound("auth.no_key", key_id=key_id)
    session.delete(row)
    audit(session, principal, "delete", "api_key", str(key_id), data=False)
    commit(session, what="the API key")
    return Response(status_code=204)
