"""User accounts (admins only): list, get, create, update, delete, and API keys for machine clients.

A role's scope is checked with :func:`matcher_service.users.scope_problems` (the same
rules as the ``matcher user`` command); passwords are stored as Argon2id hashes
and never returned.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from sqlalchemy.orm import Session

from matcher_service.api_keys import ApiKeyIn, NewApiKeyOut, issue_api_key
from matcher_service.auth import allow
from matcher_service.crud.users import other_active_admins, sign_out, user_out, user_page, username_taken
from matcher_service.deps import CurrentPrincipal, Paging, RowId, SessionDep, SettingsDep
from matcher_service.errors import Conflict, NotFound, Unprocessable, detail
from matcher_service.models import LeadFirmRow, OrganizationRow, User
from matcher_service.roles import ADMIN
from matcher_service.route import Route
from matcher_service.schemas.users import UserIn, UserOut, UserPatch
from matcher_service.security import hash_password, token_digest
from matcher_service.store import (
    Page,
    audit,
    check_version,
    commit,
    etag_of,
    idempotent_create,
    location,
    set_etag,
)
from matcher_service.users import scope_problems

__all__ = ["router"]

router = APIRouter(route_class=Route, prefix="/users", tags=["users"])


def user_key(user_id: int) -> str:
    """The ETag key of an account."""
    return f"user-{user_id}"


def _check_scope(session: Session, role: str, territories: list[str], org: str | None, firm: str | None):
    """Every problem with a role and its scope, at once (422)."""
    details = [detail(field, message) for field, message in scope_problems(role, territories, org, firm)]
    if org is not None and session.get(OrganizationRow, org) is None:
        details.append(detail("organization_id", "users.unknown_organization", organization_id=org))
    if firm is not None and session.get(LeadFirmRow, firm) is None:
        details.append(detail("firm_id", "users.unknown_firm", firm_id=firm))
    if details:
        raise Unprocessable(details=details)


def _keep_an_admin(session: Session, row: User) -> None:
    """Refuse to leave the service without an active admin (nobody could manage accounts)."""
    if not other_active_admins(session, row):
        raise Conflict("users.last_admin", username=row.username)


def _found(session: Session, user_id: int) -> User:
    row = session.get(User, user_id)
    if row is None:
        raise NotFound("users.not_found", user_id=user_id)
    return row


def _audited(data: dict[str, Any]) -> dict[str, Any]:
    """What the audit keeps of a body: everything but the password."""
    kept = {k: v for k, v in data.items() if k not in ("password", "version")}
    if data.get("password") is not None:
        kept["password_changed"] = True
    return kept


@router.get("", response_model=Page[UserOut], **allow(ADMIN))
def list_users(
    page: Paging,
    session: SessionDep,
    role: Annotated[str | None, Query(description="Only accounts of this role.")] = None,
    active: Annotated[bool | None, Query(description="Only active (or only disabled) accounts.")] = None,
) -> Page[UserOut]:
    """Accounts by id."""
    return user_page(session, page, role=role, active=active)


@router.get("/{user_id}", response_model=UserOut, **allow(ADMIN))
def get_user(user_id: RowId, response: Response, session: SessionDep) -> UserOut:
    """One account, with its ETag."""
    row = _found(session, user_id)
    set_etag(response, user_key(row.user_id), row.version)
    return user_out(row)


@router.post("", response_model=UserOut, status_code=201, **allow(ADMIN))
def create_user(
    body: UserIn,
    request: Request,
    response: Response,
    principal: CurrentPrincipal,
    session: SessionDep,
    settings: SettingsDep,
):
    """Add an account (``Idempotency-Key`` honoured); a taken user name is 409."""
    _check_scope(session, body.role, body.territories, body.organization_id, body.firm_id)

    def create():
        if username_taken(session, body.username):
            raise Conflict("users.taken", username=body.username)
        row = User(
            username=body.username,
            password_hash=hash_password(body.password) if body.password is not None else None,
            role=body.role,
            territories=list(dict.fromkeys(body.territories)),
            organization_id=body.organization_id,
            firm_id=body.firm_id,
            active=body.active,
        )
        session.add(row)
        session.flush()
        audit(session, principal, "create", "user", str(row.user_id), _audited(body.model_dump()), data=False)
        return user_out(row), {
            "ETag": etag_of(user_key(row.user_id), row.version),
            "Location": location("/users", row.user_id),
        }

    # The stored fingerprint must not let a copy of the database test guesses of the password.
    payload = body.model_dump()
    if body.password is not None:
        payload["password"] = token_digest(body.password, settings.secret_key)
    return idempotent_create(request, response, session, principal, payload, create, what="the user")


@router.patch("/{user_id}", response_model=UserOut, **allow(ADMIN))
def update_user(
    user_id: RowId,
    body: UserPatch,
    request: Request,
    response: Response,
    principal: CurrentPrincipal,
    session: SessionDep,
) -> UserOut:
    """Change role, scope, active or password; needs ``If-Match`` (412 when stale) or ``version`` (409).

    A new password signs the account out of its bearer tokens (its API keys stay).
    """
    row = _found(session, user_id)
    check_version(request, user_key(row.user_id), row.version, body.version)
    changes = body.model_dump(exclude_unset=True, exclude={"version"})
    empty = sorted(
        n for n in ("password", "role", "territories", "active") if n in changes and changes[n] is None
    )
    if empty:
        details = [detail(n, "invalid.not_null") for n in empty]
        raise Unprocessable("invalid.not_null_fields", fields=empty, details=details)
    role = changes.get("role", row.role)
    territories = changes.get("territories", list(row.territories or ()))
    org = changes.get("organization_id", row.organization_id)
    firm = changes.get("firm_id", row.firm_id)
    _check_scope(session, role, territories, org, firm)
    active = changes.get("active", row.active)
    if row.role == ADMIN and row.active and not (role == ADMIN and active):
        _keep_an_admin(session, row)
    row.role, row.territories, row.organization_id, row.firm_id, row.active = (
        role,
        list(dict.fromkeys(territories)),
        org,
        firm,
        active,
    )
    if "password" in changes:
        row.password_hash = hash_password(changes["password"])
        sign_out(session, row.user_id)
    audit(session, principal, "update", "user", str(user_id), _audited(changes), data=False)
    commit(session, what=f"user {user_id}")
    set_etag(response, user_key(row.user_id), row.version)
    return user_out(row)


@router.delete("/{user_id}", status_code=204, **allow(ADMIN))
def delete_user(
    user_id: RowId,
    request: Request,
    principal: CurrentPrincipal,
    session: SessionDep,
) -> Response:
    """Remove an account with its tokens and API keys; needs ``If-Match``."""
    row = _found(session, user_id)
    check_version(request, user_key(row.user_id), row.version)
    if row.role == ADMIN and row.active:
        _keep_an_admin(session, row)
    username = row.username
    session.delete(row)
    audit(session, principal, "delete", "user", str(user_id), {"username": username}, data=False)
    commit(session, what=f"user {user_id}")
    return Response(status_code=204)


@router.post("/{user_id}/api-keys", response_model=NewApiKeyOut, status_code=201, **allow(ADMIN))
def create_user_api_key(
    user_id: RowId,
    body: ApiKeyIn,
    request: Request,
    principal: CurrentPrincipal,
    session: SessionDep,
) -> NewApiKeyOut:
    """A new API key acting as this account (for a machine client); the key is shown only here.

    ``Idempotency-Key`` is not honoured on purpose: a stored answer would keep
    the key in clear text.
    """
    row = _found(session, user_id)
    if not row.active:
        raise Conflict("users.disabled", user_id=user_id)
    return issue_api_key(request, session, principal, row.user_id, body)
