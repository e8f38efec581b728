"""Accounts' queries: answers, pages, a name taken, the other active admins, signing an account out."""

from __future__ import annotations

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from matcher_service.models import Token, User
from matcher_service.roles import ADMIN
from matcher_service.schemas.users import UserOut
from matcher_service.store import Page, PageParams, page_of

__all__ = ["other_active_admins", "sign_out", "user_out", "user_page", "username_taken"]


def user_out(row: User) -> UserOut:
    """An account's answer (never its password: whether it has one)."""
    return UserOut(
        user_id=row.user_id,
        username=row.username,
        role=row.role,
        territories=list(row.territories or ()),
        organization_id=row.organization_id,
        firm_id=row.firm_id,
        active=row.active,
        has_password=row.password_hash is not None,
        created_at=row.created_at,
        version=row.version,
    )


def user_page(
    session: Session, page: PageParams, *, role: str | None = None, active: bool | None = None
) -> Page[UserOut]:
    """A page of the accounts that pass the filters, by id."""
    query = select(User)
    if role is not None:
        query = query.where(User.role == role)
    if active is not None:
        query = query.where(User.active.is_(active))
    return page_of(session, query, page, user_out, [User.user_id])


def username_taken(session: Session, username: str) -> bool:
    """Whether an account has this user name."""
    return session.scalar(select(User.user_id).where(User.username == username)) is not None


def other_active_admins(session: Session, row: User) -> int:
    """How many active admins there are besides the account ``row``."""
    return session.scalar(
        select(func.count()).where(User.role == ADMIN, User.active.is_(True), User.user_id != row.user_id)
    )


def sign_out(session: Session, user_id: int) -> None:
    """Revoke the account's bearer tokens (its API keys stay)."""
    session.execute(delete(Token).where(Token.user_id == user_id))
