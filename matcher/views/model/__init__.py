"""View models: the JSON-ready data behind the network, proposal and dashboard pages.

Each function returns plain dicts and lists (no NaN: None instead), the same
for the same input and seed, rows sorted by id. The schema is the contract
between the library and the pages that draw it; every view carries ``view``
(its name) and ``version``.

- :func:`network_view`: the collaboration network in columnar arrays (node
  ``i`` is position ``i`` of every ``nodes`` array), with a layout, the
  communities as discs, and the cohesion report's summary;
- :func:`proposal_view`: the group proposed for one order of a matching run,
  with each member's minutes used, free and taken by the run's other orders;
- :func:`dashboard_view`: capacity by product, process and territory,
  utilisation, orders and their status, territory centroids;
- :func:`mentoring_view`: mentoring circles (mentors, trainees, the links
  between them, reasons, the workshops without a mentor and why), for the
  network figure;
- :func:`plan_view`: an upgrade plan's interventions ranked with the orders
  each helps fill, every unfilled order's set, and the portfolio.

Workshop names and contacts never appear in a view: contacts only give
territory centroids (means of several workshops, never one point).
"""

from __future__ import annotations

from matcher.views.model.contract import VERSION
from matcher.views.model.dashboard import CENTROID_DECIMALS, MIN_CENTROID_WORKSHOPS, dashboard_view
from matcher.views.model.develop import mentoring_view, plan_view
from matcher.views.model.network import NETWORK_SUMMARY, network_view
from matcher.views.model.proposal import proposal_view

__all__ = [
    "CENTROID_DECIMALS",
    "MIN_CENTROID_WORKSHOPS",
    "NETWORK_SUMMARY",
    "VERSION",
    "dashboard_view",
    "mentoring_view",
    "network_view",
    "plan_view",
    "proposal_view",
]
