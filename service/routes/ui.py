"""The browser pages: home, sign-in, network, dashboard, group proposal and shortlist.

A page is the shell of :func:`matcher.views.render_page` (the same templates
and script as ``matcher analyze --html``); its data comes from the JSON routes
(``/views/...``, ``/orders/.../shortlists``), which check the caller's role and
scope like every other route, with the token the sign-in page keeps for the
browser tab. So the shells are open to anyone and hold nothing private; a
caller without the right role sees the page tell them so.

Scripts and styles, plotly.js included, are served from the installed
packages (``/ui/static/...``): the pages work with no internet.
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import mimetypes
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse

from matcher import views
from matcher.views.render import ASSETS
from service.auth import allow
from service.errors import NotFound
from service.roles import ANYONE
from service.route import Route

__all__ = ["SECURITY_HEADERS", "asset_response", "read_asset", "router", "warm_assets"]

router = APIRouter(route_class=Route, tags=["pages"], include_in_schema=False)

STATIC = "/ui/static"
LANGUAGES = ("es", "en")

#: Pages get their scripts and data from this origin only.
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data: blob:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; "
        "form-action 'self'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-cache",
}


def _lang(request: Request) -> str:
    asked = request.query_params.get("lang")
    return asked if asked in LANGUAGES else "es"


def _network_url(request: Request) -> str:
    """``/views/network`` with the page's own view options passed on (seed, resolution, collapse_above)."""
    asked = {k: v for k, v in request.query_params.items() if k in ("seed", "resolution", "collapse_above")}
    return "/views/network" + (f"?{urlencode(asked)}" if asked else "")


def _page(request: Request, page: str, data_urls: dict[str, str], title: str | None = None) -> HTMLResponse:
    html = views.render_page(
        page,
        lang=_lang(request),
        standalone=False,
        data_urls=data_urls,
        asset_base=STATIC,
        title=title,
    )
    return HTMLResponse(html, headers=SECURITY_HEADERS)


@router.get("/", **allow(ANYONE))
def root() -> RedirectResponse:
    """The home page."""
    return RedirectResponse("/ui", status_code=307)


@router.get("/ui", **allow(ANYONE))
def home(request: Request) -> HTMLResponse:
    """Links to the pages the signed-in role may open; a lead firm's form for a new order."""
    return _page(
        request,
        "home",
        {"me": "/me", "orders": "/orders", "products": "/products", "summary": "/public/summary"},
    )


@router.get("/ui/login", **allow(ANYONE))
def login(request: Request) -> HTMLResponse:
    """Sign in (the OAuth2 password flow of ``/auth/token``)."""
    return _page(request, "login", {"token": "/auth/token"})


@router.get("/ui/network", **allow(ANYONE))
def network(request: Request) -> HTMLResponse:
    """The collaboration network of the caller's scope (data: ``/views/network``)."""
    return _page(request, "network", {"network": _network_url(request), "me": "/me"})


@router.get("/ui/dashboard", **allow(ANYONE))
def dashboard(request: Request) -> HTMLResponse:
    """Capacity, utilisation, orders and territories (data: ``/views/dashboard``)."""
    return _page(request, "dashboard", {"dashboard": "/views/dashboard", "me": "/me"})


@router.get("/ui/orders/{order_id}/proposal", **allow(ANYONE))
def proposal(order_id: str, request: Request) -> HTMLResponse:
    """The group proposed for an order, on the network (data: ``/views/orders/{id}/proposal``)."""
    order = quote(order_id, safe="")
    return _page(
        request,
        "proposal",
        {
            "network": _network_url(request),
            "proposal": f"/views/orders/{order}/proposal",
            "order": f"/orders/{order}",
            "run": "/jobs/match",
            "jobs": "/jobs",
            "me": "/me",
        },
        title=order_id,
    )


@router.get("/ui/orders/{order_id}/shortlist", **allow(ANYONE))
def shortlist(order_id: str, request: Request) -> HTMLResponse:
    """A lead firm's anonymized shortlist for an order (data: ``/orders/{id}/shortlists``)."""
    order = quote(order_id, safe="")
    return _page(
        request,
        "shortlist",
        {
            "shortlists": f"/orders/{order}/shortlists",
            "shortlist": "/shortlists",
            "order": f"/orders/{order}",
            "me": "/me",
        },
        title=order_id,
    )


@dataclass(frozen=True)
class _Asset:
    body: bytes
    compressed: bytes
    media_type: str
    etag: str


@functools.cache
def _asset(name: str) -> _Asset:
    """A static file, read and compressed once per process."""
    try:
        return read_asset(views.asset_path(name))
    except (KeyError, ValueError, FileNotFoundError, IsADirectoryError):
        raise NotFound("ui.no_file", name=name) from None


def read_asset(path: Path) -> _Asset:
    """A file's bytes, compressed copy, media type and ETag."""
    body = path.read_bytes()
    media_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    if media_type in ("application/javascript", "text/javascript", "text/css", "application/json"):
        media_type += "; charset=utf-8"
    return _Asset(
        body=body,
        compressed=gzip.compress(body, compresslevel=9, mtime=0),
        media_type=media_type,
        etag='"' + hashlib.sha256(body).hexdigest()[:32] + '"',
    )


def warm_assets() -> None:
    """Read and compress every static file now, so that no page waits for it."""
    for name in ASSETS:
        _asset(name)


@router.get(STATIC + "/{name}", **allow(ANYONE))
def static(name: str, request: Request) -> Response:
    """Scripts, styles and language catalogues of the pages (plotly.js from the plotly package)."""
    return asset_response(_asset(name), request)


def asset_response(asset: _Asset, request: Request) -> Response:
    """A static file's answer: 304 when the client has it, compressed when it takes gzip."""
    headers = {"ETag": asset.etag, "Cache-Control": "public, max-age=3600", "Vary": "Accept-Encoding"}
    if request.headers.get("if-none-match") == asset.etag:
        return Response(status_code=304, headers=headers)
    if "gzip" in request.headers.get("accept-encoding", ""):
        return Response(
            asset.compressed, media_type=asset.media_type, headers={**headers, "Content-Encoding": "gzip"}
        )
    return Response(asset.body, media_type=asset.media_type, headers=headers)
