"""The browser pages: home, sign-in, network, dashboard, group proposal, shortlist, mentoring and plan.

A page is the shell of :func:`matcher.views.render_page` (the same templates
and script as ``matcher analyze --html``); its data comes from the JSON routes
(``/views/...``, ``/orders/.../shortlists``), which check the caller's role and
scope like every other route, with the token the sign-in page keeps for the
browser tab. So the shells are open to anyone and hold nothing private; a
caller without the right role sees the page tell them so.

Scripts and styles, plotly.js included, are served from the installed
packages (``/ui/static/...``): the pages work with no internet. The pages'
script is ES modules (:mod:`matcher.views.bundle`), each under its own name
beside the entry ``app.js``, so the Content-Security-Policy allows scripts
from this origin only (no inline script runs).
"""

from __future__ import annotations

from urllib.parse import quote, urlencode

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse

from matcher import views
from matcher_service.assets import asset_response, page_asset
from matcher_service.auth import allow
from matcher_service.roles import ANYONE
from matcher_service.route import Route

__all__ = ["SECURITY_HEADERS", "router"]

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


@router.get("/ui/mentoring", **allow(ANYONE))
def mentoring(request: Request) -> HTMLResponse:
    """Mentoring circles: the form that starts a run (``/jobs/mentoring``) and, with ``?job=``, the
    finished run's circles on the network (data: ``/views/jobs/{job_id}/mentoring``, ``/views/network``)."""
    return _page(
        request,
        "mentoring",
        {
            "run": "/jobs/mentoring",
            "jobs": "/jobs",
            "view": "/views/jobs/{job_id}/mentoring",
            "network": _network_url(request),
            "me": "/me",
        },
    )


@router.get("/ui/plan", **allow(ANYONE))
def plan(request: Request) -> HTMLResponse:
    """An upgrade plan: the form that starts one (``/jobs/plan``) and, with ``?job=``, the finished
    plan's ranked interventions (data: ``/views/jobs/{job_id}/plan``)."""
    return _page(
        request,
        "plan",
        {"run": "/jobs/plan", "jobs": "/jobs", "view": "/views/jobs/{job_id}/plan", "me": "/me"},
    )


@router.get(STATIC + "/{name}", **allow(ANYONE))
def static(name: str, request: Request) -> Response:
    """Script modules, styles and language catalogues of the pages (plotly.js from the plotly package)."""
    return asset_response(page_asset(name), request)
