"""The ``--html`` pages the commands write (:mod:`matcher.views`, the ``views`` extra)."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def check_html(path: Path, lang: str, overwrite: bool) -> None:
    """Refuse a bad --html target, or a missing ``views`` extra, before any long work."""
    from matcher.extras import require

    require("views", "--html")
    from matcher.views.render import check_html_path

    check_html_path(path, lang=lang, overwrite=overwrite)


def write_analysis_page(
    target: Path,
    data: Any,
    net: Any,
    path: Path,
    territory: str | None,
    organization: str | None,
    betweenness: str,
    lang: str,
    overwrite: bool,
    *,
    reading: dict[str, Any] | None = None,
    **options: Any,
) -> Path:
    """The network view of the scope analysed and, for a dataset, its dashboard, as one page.

    The dashboard's territory map uses the dataset's contacts, reduced to territory centroids.
    """
    from matcher.io import load_contacts
    from matcher.model import Cluster
    from matcher.views import dashboard_view, network_view
    from matcher.views.render import write_html

    views: dict[str, Any] = {
        "network": network_view(
            data, territory=territory, organization=organization, betweenness=betweenness, **options
        )
    }
    if isinstance(data, Cluster):  # a graph file has no capacities or orders: no dashboard
        contacts = load_contacts(path, **(reading or {}))
        views["dashboard"] = dashboard_view(data, contacts=contacts, workshops=sorted(net.ids))
    return write_html(target, views, page="network", lang=lang, overwrite=overwrite)


def write_match_page(
    target: Path,
    cluster: Any,
    match: dict[str, Any],
    path: Path | None,
    lang: str,
    overwrite: bool,
    *,
    seed: int,
    reading: dict[str, Any] | None = None,
) -> Path:
    """A proposal for every order of the run, the network and the dashboard, as one page.

    ``path``: the dataset, whose contacts give the dashboard's territory centroids (None: no map).
    """
    from matcher.io import load_contacts
    from matcher.views import dashboard_view, network_view, proposal_view
    from matcher.views.render import write_html

    views = {
        "network": network_view(cluster, seed=seed),
        "dashboard": dashboard_view(
            cluster, match, contacts=None if path is None else load_contacts(path, **(reading or {}))
        ),
        "proposals": {o["order_id"]: proposal_view(cluster, match, o["order_id"]) for o in match["orders"]},
    }
    return write_html(target, views, page="proposal", lang=lang, overwrite=overwrite)


def write_mentoring_page(
    target: Path, cluster: Any, result: Any, lang: str, overwrite: bool, *, seed: int
) -> Path:
    """The mentoring circles on the network figure, as one page (with the network page beside it)."""
    from matcher.views import mentoring_view, network_view
    from matcher.views.render import write_html

    views = {"network": network_view(cluster, seed=seed), "mentoring": mentoring_view(cluster, result)}
    return write_html(target, views, page="mentoring", lang=lang, overwrite=overwrite)


def write_plan_page(target: Path, cluster: Any, plan: Any, lang: str, overwrite: bool) -> Path:
    """The upgrade plan as one page: the interventions ranked with the orders each unlocks, the portfolio."""
    from matcher.views import plan_view
    from matcher.views.render import write_html

    return write_html(target, {"plan": plan_view(cluster, plan)}, page="plan", lang=lang, overwrite=overwrite)
