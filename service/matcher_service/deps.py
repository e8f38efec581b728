"""What a route's handler receives, as ``Annotated`` aliases: ``session: SessionDep``,
``principal: CurrentPrincipal``, ``settings: SettingsDep``, ``page: Paging``, ``lang: Language``.

Who may call a route is declared on the route (``**allow(ROLE, ...)``, :func:`matcher_service.auth.allow`);
:data:`CurrentPrincipal` is the caller that check let through.

Examples
--------
>>> from fastapi import APIRouter
>>> from matcher_service.auth import allow
>>> from matcher_service.roles import COORDINATOR
>>> router = APIRouter()
>>> @router.get("/me", **allow(COORDINATOR))
... def me(principal: CurrentPrincipal, session: SessionDep) -> str:
...     return principal.username
>>> [p.name for p in router.routes[0].dependant.dependencies][1:]
['principal', 'session']
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from matcher_service.auth import current, get_session
from matcher_service.language import Language
from matcher_service.roles import Principal
from matcher_service.settings import Settings
from matcher_service.store import Paging, RowId

__all__ = ["CurrentPrincipal", "Language", "Paging", "RowId", "SessionDep", "SettingsDep", "app_settings"]


async def app_settings(request: Request) -> Settings:
    """The settings the app was built with (a coroutine: no thread)."""
    return request.app.state.settings


#: The request's database session (:func:`matcher_service.auth.get_session`).
SessionDep = Annotated[Session, Depends(get_session)]
#: The signed-in caller of a route that requires sign-in (:func:`matcher_service.auth.current`).
CurrentPrincipal = Annotated[Principal, Depends(current)]
#: The app's settings (:func:`app_settings`).
SettingsDep = Annotated[Settings, Depends(app_settings)]
