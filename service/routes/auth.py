"""Sign in (OAuth2 password flow), who am I, and API keys for machine clients."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response
from fastapi.security import OAuth2PasswordRequestForm
from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from service.auth import allow, credential_expiry, current, get_session
from service.errors import (
    RETRY_SECONDS,
    NotFound,
    TooManyRequests,
    Unauthorized,
    Unavailable,
    Unprocessable,
    database_fault,
    detail,
)
from service.models import ApiKey, Token, User
from service.roles import ANYONE, COORDINATOR, LEAD_FIRM, LEADER, MUNICIPALITY, Principal
from service.route import Route
from service.schemas import Input
from service.security import (
    SignInThrottle,
    client_address,
    new_api_key,
    new_token,
    token_digest,
    verify_password,
)
from service.store import RowId, audit, commit

router = APIRouter(route_class=Route, tags=["auth"])
SIGNED_IN = (COORDINATOR, LEADER, LEAD_FIRM, MUNICIPALITY)
USERNAME_LENGTH = User.__table__.c.username.type.length


class TokenOut(BaseModel):
    access_token: str
    token_type: str = "bearer"
    expires_in: int = Field(description="Seconds until the token expires.")


class MeOut(BaseModel):
    user_id: int
    username: str
    role: str
    territories: list[str]
    organization_id: str | None
    firm_id: str | None


class ApiKeyIn(Input):
    name: str = Field(min_length=1, max_length=128, description="What the key is for.")
    expires_days: int | None = Field(None, ge=1, le=3650, description="Days until it expires (none: never).")


class ApiKeyOut(BaseModel):
    key_id: int
    name: str
    prefix: str
    created_at: datetime
    expires_at: datetime | None


class NewApiKeyOut(ApiKeyOut):
    api_key: str = Field(description="Shown once; send it as X-API-Key.")


@router.post("/auth/token", response_model=TokenOut, **allow(ANYONE))
def login(
    request: Request,
    form: Annotated[OAuth2PasswordRequestForm, Depends()],
    session: Session = Depends(get_session),
) -> TokenOut:
    """Exchange user name and password for a bearer token (OAuth2 password flow).

    Failed attempts are counted per user name and client address, per address
    and per user name (429 with ``Retry-After``; see
    :class:`~service.security.SignInThrottle`): failures from one address never
    lock the user out at another. The client address is the connection's, or
    the one ``X-Forwarded-For`` names when the connection comes from a trusted
    proxy (``MATCHER_TRUSTED_PROXIES``).
    """
    settings = request.app.state.settings
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
    user = session.scalar(select(User).where(User.username == form.username)) if known else None
    if not verify_password(user.password_hash if user else None, form.password) or not (user and user.active):
        raise Unauthorized("auth.wrong_password")
    throttle.succeeded(session, keys)
    token = new_token()
    session.add(
        Token(
            digest=token_digest(token, settings.secret_key),
            user_id=user.user_id,
            expires_at=datetime.now(UTC) + timedelta(minutes=settings.token_minutes),
        )
    )
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
def me(principal: Principal = Depends(current)) -> MeOut:
    """The signed-in user, role and scope."""
    return _me(principal)


@router.post("/auth/logout", status_code=204, **allow(*SIGNED_IN))
def logout(request: Request, session: Session = Depends(get_session)) -> Response:
    """Revoke the bearer token the request was made with.

    When the database cannot take the change, the answer is 503 saying that the
    token stays valid: it never reports a sign-out that did not happen.
    """
    _, _, credential = request.headers.get("authorization", "").partition(" ")
    if credential:
        try:
            row = session.get(Token, token_digest(credential, request.app.state.settings.secret_key))
            if row is not None:
                session.delete(row)
                commit(session, what="the token")
        except DBAPIError as exc:
            if database_fault(exc) is None:
                raise
            retry = {"Retry-After": str(RETRY_SECONDS)}
            raise Unavailable("auth.not_signed_out", seconds=RETRY_SECONDS, headers=retry) from exc
    return Response(status_code=204)


def _key_out(k: ApiKey) -> ApiKeyOut:
    return ApiKeyOut(
        key_id=k.key_id, name=k.name, prefix=k.prefix, created_at=k.created_at, expires_at=k.expires_at
    )


@router.get("/me/api-keys", response_model=list[ApiKeyOut], **allow(*SIGNED_IN))
def list_api_keys(principal: Principal = Depends(current), session: Session = Depends(get_session)):
    """The caller's API keys (never the keys themselves)."""
    keys = session.scalars(select(ApiKey).where(ApiKey.user_id == principal.user_id).order_by(ApiKey.key_id))
    return [_key_out(k) for k in keys]


@router.post("/me/api-keys", response_model=NewApiKeyOut, status_code=201, **allow(*SIGNED_IN))
def create_api_key(
    body: ApiKeyIn,
    request: Request,
    principal: Principal = Depends(current),
    session: Session = Depends(get_session),
) -> NewApiKeyOut:
    """A new API key acting as the caller; the key is shown only in this answer."""
    return issue_api_key(request, session, principal, principal.user_id, body)


def issue_api_key(
    request: Request, session: Session, principal: Principal, user_id: int, body: ApiKeyIn
) -> NewApiKeyOut:
    """Create, audit and commit an API key for ``user_id``; the answer is the only copy of the key.

    A key made with an API key expires no later than that key: without ``expires_days`` it
    gets that key's expiry, and ``expires_days`` beyond it is refused (422).
    """
    key = new_api_key()
    expires = datetime.now(UTC) + timedelta(days=body.expires_days) if body.expires_days else None
    kind, latest = credential_expiry(request)
    if kind == "key" and latest is not None:
        if expires is not None and expires > latest:
            field = detail("expires_days", "auth.key_outlives", latest=latest.isoformat(timespec="seconds"))
            raise Unprocessable(details=[field])
        expires = expires or latest
    row = ApiKey(
        digest=token_digest(key, request.app.state.settings.secret_key),
        prefix=key[:8],
        name=body.name,
        user_id=user_id,
        expires_at=expires,
    )
    session.add(row)
    session.flush()
    audited = {"name": body.name} if user_id == principal.user_id else {"name": body.name, "user_id": user_id}
    audit(session, principal, "create", "api_key", str(row.key_id), audited, data=False)
    commit(session, what="the API key")
    return NewApiKeyOut(**_key_out(row).model_dump(), api_key=key)


@router.delete("/me/api-keys/{key_id}", status_code=204, **allow(*SIGNED_IN))
def delete_api_key(
    key_id: RowId, principal: Principal = Depends(current), session: Session = Depends(get_session)
) -> Response:
    """Revoke one of the caller's API keys."""
    row = session.get(ApiKey, key_id)
    if row is None or row.user_id != principal.user_id:
        raise NotFound("auth.no_key", key_id=key_id)
    session.delete(row)
    audit(session, principal, "delete", "api_key", str(key_id), data=False)
    commit(session, what="the API key")
    return Response(status_code=204)
