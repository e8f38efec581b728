"""API keys: what a request for one says, what its owner sees, and how one is issued.

Shared by the caller's own keys (``/me/api-keys``) and an admin's keys for
another account (``/users/{id}/api-keys``).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from fastapi import Request
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from matcher_service.auth import credential_expiry
from matcher_service.errors import Unprocessable, detail
from matcher_service.models import ApiKey
from matcher_service.roles import Principal
from matcher_service.schemas import Input
from matcher_service.security import new_api_key, token_digest
from matcher_service.store import audit, commit

__all__ = ["ApiKeyIn", "ApiKeyOut", "NewApiKeyOut", "issue_api_key", "key_out"]


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


def key_out(k: ApiKey) -> ApiKeyOut:
    """What the owner may see of a key (never the key itself)."""
    return ApiKeyOut(
        key_id=k.key_id, name=k.name, prefix=k.prefix, created_at=k.created_at, expires_at=k.expires_at
    )


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
    return NewApiKeyOut(**key_out(row).model_dump(), api_key=key)
