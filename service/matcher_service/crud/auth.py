"""Sign-in's queries: the account behind a user name, bearer tokens, the caller's API keys."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from matcher_service.models import ApiKey, Token, User

__all__ = ["add_token", "api_keys_of", "user_named"]


def user_named(session: Session, username: str) -> User | None:
    """The account with this user name; None when there is none."""
    return session.scalar(select(User).where(User.username == username))


def add_token(session: Session, digest: str, user_id: int, expires_at: datetime) -> None:
    """Store a bearer token (its digest: the token itself is never stored)."""
    session.add(Token(digest=digest, user_id=user_id, expires_at=expires_at))


def api_keys_of(session: Session, user_id: int) -> Sequence[ApiKey]:
    """The account's API keys, by id."""
    return session.scalars(select(ApiKey).where(ApiKey.user_id == user_id).order_by(ApiKey.key_id)).all()
