"""The API's documentation pages: ``/docs`` (Swagger UI) and ``/redoc`` (ReDoc), served offline.

Their scripts and styles are the builds shipped by the ``fastapi-offline``
package, served from this origin (``/docs/static/...``): the pages load
nothing from another site. Each page's policy (CSP) allows scripts from this
origin and its own inline script, named by its hash, and nothing else.

Examples
--------
>>> inline_script_hashes("<p></p><script>go()</script><script src='/a.js'></script>")
["'sha256-...'"]
"""

from __future__ import annotations

import base64
import functools
import hashlib
import re
from pathlib import Path

import fastapi_offline
from fastapi import APIRouter, Request, Response
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html, get_swagger_ui_oauth2_redirect_html
from fastapi.responses import HTMLResponse

from matcher_service.assets import Asset, asset_response, read_asset
from matcher_service.auth import allow
from matcher_service.errors import NotFound
from matcher_service.roles import ANYONE
from matcher_service.route import Route

__all__ = ["DOCS_STATIC", "docs_policy", "inline_script_hashes", "router"]

router = APIRouter(route_class=Route, tags=["docs"], include_in_schema=False)

DOCS_STATIC = "/docs/static"
OAUTH2_REDIRECT = "/docs/oauth2-redirect"
#: The files of the pages, as the package ships them.
FILES = Path(fastapi_offline.__file__).resolve().parent / "static"
SERVED = frozenset({"swagger-ui-bundle.js", "swagger-ui.css", "redoc.standalone.js", "favicon.png"})

_INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.DOTALL)


def inline_script_hashes(html: str) -> list[str]:
    """CSP sources (``'sha256-…'``) of the inline scripts of a page, in order."""
    return [
        "'sha256-" + base64.b64encode(hashlib.sha256(body.encode()).digest()).decode() + "'"
        for body in _INLINE_SCRIPT.findall(html)
    ]


def docs_policy(html: str) -> str:
    """The Content-Security-Policy of a documentation page: this origin and the page's own scripts.

    ReDoc runs its search in a worker made from a ``blob:`` URL; both pages draw
    icons from ``data:`` URLs and set styles inline.
    """
    scripts = " ".join(["'self'", *inline_script_hashes(html)])
    return (
        f"default-src 'none'; script-src {scripts}; style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; worker-src 'self' blob:; "
        "frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
    )


def _page(response: HTMLResponse) -> HTMLResponse:
    html = bytes(response.body).decode()
    headers = {"Content-Security-Policy": docs_policy(html), "Cache-Control": "no-cache"}
    return HTMLResponse(html, headers=headers)


@router.get("/docs", **allow(ANYONE))
def swagger_ui(request: Request) -> HTMLResponse:
    """Swagger UI on the service's OpenAPI document (try the routes with a token or an API key)."""
    root = request.scope.get("root_path", "")
    return _page(
        get_swagger_ui_html(
            openapi_url=f"{root}{request.app.openapi_url}",
            title=f"{request.app.title} - Swagger UI",
            swagger_js_url=f"{root}{DOCS_STATIC}/swagger-ui-bundle.js",
            swagger_css_url=f"{root}{DOCS_STATIC}/swagger-ui.css",
            swagger_favicon_url=f"{root}{DOCS_STATIC}/favicon.png",
            oauth2_redirect_url=f"{root}{OAUTH2_REDIRECT}",
            # No validator badge: it would send the document to another site.
            swagger_ui_parameters={"validatorUrl": None},
        )
    )


@router.get(OAUTH2_REDIRECT, **allow(ANYONE))
def swagger_ui_redirect() -> HTMLResponse:
    """Where Swagger UI's OAuth2 sign-in returns."""
    return _page(get_swagger_ui_oauth2_redirect_html())


@router.get("/redoc", **allow(ANYONE))
def redoc(request: Request) -> HTMLResponse:
    """ReDoc on the service's OpenAPI document (reading only), with the system's fonts."""
    root = request.scope.get("root_path", "")
    return _page(
        get_redoc_html(
            openapi_url=f"{root}{request.app.openapi_url}",
            title=f"{request.app.title} - ReDoc",
            redoc_js_url=f"{root}{DOCS_STATIC}/redoc.standalone.js",
            redoc_favicon_url=f"{root}{DOCS_STATIC}/favicon.png",
            with_google_fonts=False,
        )
    )


@functools.cache
def _asset(name: str) -> Asset:
    return read_asset(FILES / name)


@router.get(DOCS_STATIC + "/{name}", **allow(ANYONE))
def docs_static(name: str, request: Request) -> Response:
    """The scripts, styles and icon of the documentation pages."""
    if name not in SERVED:
        raise NotFound("ui.no_file", name=name)
    return asset_response(_asset(name), request)
