"""The data behind the browser pages: the view models of :mod:`matcher.views` for the caller's scope.

Each route calls the same library function as ``matcher analyze --html`` /
``matcher match --html`` (:func:`~matcher.views.network_view`,
:func:`~matcher.views.dashboard_view`, :func:`~matcher.views.proposal_view`) on
the cached snapshot of the database, limited exactly as the analysis and job
routes limit it: a coordinator sees the workshops of their territories, an
association leader the members of their organization, an admin everything.
Views never carry names, contacts or exact locations (at most territory
centroids of five or more located workshops, as the library gives them).

A network view of thousands of workshops takes a second to lay out, so views
are kept per data version and scope (:class:`matcher_service.cache.LruCache`) and sent compressed
when the client accepts it. Figures are rounded for people and the
proposal's reasons said in the request's language (:mod:`matcher_service.reading`).

A development run's page (``/views/jobs/{job_id}/mentoring``, ``.../plan``) is
the finished job's result drawn on the cluster in that job's scope; it is read
by exactly who may read the job (``GET /jobs/{job_id}``).
"""

from __future__ import annotations

import gzip
import json
from dataclasses import replace
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from sqlalchemy.orm import Session

from matcher import views
from matcher.errors import UnknownIdError
from matcher.model import Cluster
from matcher_service.auth import allow
from matcher_service.cache import cached_network_view
from matcher_service.crud.contacts import coordinates
from matcher_service.crud.jobs import finished_job, latest_match
from matcher_service.deps import CurrentPrincipal, Language, SessionDep
from matcher_service.errors import Conflict, NotFound
from matcher_service.jobs import MENTORING, PLAN
from matcher_service.policy import order_visible, scope_ids
from matcher_service.reading import for_people
from matcher_service.roles import COORDINATOR, LEADER, Principal
from matcher_service.route import Route
from matcher_service.store import MAX_SEED
from matcher_service.tasks import scoped_cluster

__all__ = ["router"]

router = APIRouter(route_class=Route, prefix="/views", tags=["views"])

#: Bodies above this many bytes are sent gzip-compressed to clients that accept it.
COMPRESS_ABOVE = 4096


def _json(request: Request, payload: Any) -> Response:
    """``payload`` as JSON, gzip-compressed when large and the client accepts it."""
    body = json.dumps(payload, ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode()
    headers = {"Vary": "Accept-Encoding", "Cache-Control": "private, no-cache"}
    if len(body) > COMPRESS_ABOVE and "gzip" in request.headers.get("accept-encoding", ""):
        body = gzip.compress(body, compresslevel=5)
        headers["Content-Encoding"] = "gzip"
    return Response(body, media_type="application/json", headers=headers)


def _snapshot(request: Request, session: Session) -> tuple[int, Cluster]:
    return request.app.state.snapshots.get(session)


def _scope(principal: Principal, cluster: Cluster) -> list[str] | None:
    ids = scope_ids(principal, cluster)
    if ids is not None and not ids:
        raise NotFound("analysis.no_scope")
    return ids


@router.get("/network", **allow(COORDINATOR, LEADER))
def network(
    request: Request,
    principal: CurrentPrincipal,
    session: SessionDep,
    seed: Annotated[int, Query(ge=0, le=MAX_SEED, description="Seed of the communities and the layout.")] = 0,
    resolution: Annotated[float, Query(gt=0, description="Leiden resolution.")] = 1.0,
    collapse_above: Annotated[
        int, Query(ge=0, description="Draw communities as single nodes above this many workshops.")
    ] = 1000,
) -> Response:
    """The network view (:func:`matcher.views.network_view`) of the caller's part of the cluster.

    Nodes with their layout, communities and roles, ties by kind and wave, the
    summary. Characterization only: no names, contacts or locations.
    """
    version, cluster = _snapshot(request, session)
    view = cached_network_view(
        request.app.state.views, version, cluster, _scope(principal, cluster),
        seed=seed, resolution=resolution, collapse_above=collapse_above,
    )  # fmt: skip
    return _json(request, view)


@router.get("/dashboard", **allow(COORDINATOR, LEADER))
def dashboard(request: Request, principal: CurrentPrincipal, session: SessionDep) -> Response:
    """The cluster dashboard (:func:`matcher.views.dashboard_view`) of the caller's scope.

    Capacity by product, process and territory; utilisation by the caller's
    newest finished matching run (or by committed minutes without one); the
    orders the caller may see with their status in that run; territory
    centroids only where at least five workshops have coordinates.
    """
    version, cluster = _snapshot(request, session)
    ids = _scope(principal, cluster)
    job = latest_match(session, principal)
    visible = replace(cluster, orders=tuple(o for o in cluster.orders if order_visible(principal, o)))
    key = ("dashboard", version, principal.user_id, None if job is None else job.job_id)

    def build() -> dict[str, Any]:
        match = None if job is None else job.result
        view = views.dashboard_view(visible, match, contacts=coordinates(session), workshops=ids)
        if job is not None:
            view["job_id"] = job.job_id
        return for_people(view)

    return _json(request, request.app.state.views.get(key, build))


@router.get("/orders/{order_id}/proposal", **allow(COORDINATOR))
def proposal(
    order_id: str,
    request: Request,
    lang: Language,
    principal: CurrentPrincipal,
    session: SessionDep,
    job_id: Annotated[
        str | None, Query(description="The matching job to show (default: the newest with it).")
    ] = None,
) -> Response:
    """The group proposed for an order (:func:`matcher.views.proposal_view`) by a matching run.

    The run is the caller's newest finished one that includes the order, or
    ``job_id``. With none, 404 says the order has no proposal yet (a matching job makes one).
    """
    _version, cluster = _snapshot(request, session)
    order = next((o for o in cluster.orders if o.order_id == order_id), None)
    if order is None or not order_visible(principal, order):
        raise NotFound("orders.not_found", order_id=order_id)
    job = latest_match(session, principal, order_id=order_id, job_id=job_id)
    if job is None:
        raise NotFound("views.no_run", order_id=order_id)
    view = views.proposal_view(cluster, job.result, order_id)
    view["job_id"] = job.job_id
    return _json(request, for_people(view, lang))


def _develop_view(
    request: Request, session: Session, principal: Principal, job_id: str, kind: str, draw: Any
) -> dict[str, Any]:
    """The view of the caller's finished ``kind`` job, drawn on the cluster in the job's scope."""
    job = finished_job(session, principal, job_id, kind)
    _version, cluster = _snapshot(request, session)
    try:
        view = draw(scoped_cluster(cluster, job.params or {}), job.result)
    except UnknownIdError:  # the data changed since the run: a workshop or an order it names is gone
        raise Conflict("views.job_stale", job_id=job_id) from None
    view["job_id"] = job.job_id
    return view


@router.get("/jobs/{job_id}/mentoring", **allow(COORDINATOR, LEADER))
def mentoring(
    job_id: str, request: Request, lang: Language, principal: CurrentPrincipal, session: SessionDep
) -> Response:
    """A finished mentoring run's circles as the page draws them (:func:`matcher.views.mentoring_view`).

    Read by who may read the job (its starter; an admin any); 404 for another's
    job or one of another kind, 409 while it is not done (or ended without a result).
    """
    view = _develop_view(request, session, principal, job_id, MENTORING, views.mentoring_view)
    return _json(request, for_people(view, lang))


@router.get("/jobs/{job_id}/plan", **allow(COORDINATOR, LEADER))
def plan(
    job_id: str, request: Request, lang: Language, principal: CurrentPrincipal, session: SessionDep
) -> Response:
    """A finished upgrade plan as the page shows it (:func:`matcher.views.plan_view`).

    Read by who may read the job (its starter; an admin any); 404 for another's
    job or one of another kind, 409 while it is not done (or ended without a result).
    """
    view = _develop_view(request, session, principal, job_id, PLAN, views.plan_view)
    return _json(request, for_people(view, lang))
