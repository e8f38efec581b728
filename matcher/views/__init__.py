"""Browser views of a cluster: the data behind the pages, and a network figure for notebooks.

- :func:`network_view`, :func:`proposal_view`, :func:`dashboard_view`: JSON-ready
  view models (plain dicts, deterministic, rows sorted by id) for the
  collaboration network, the group proposed for an order, and the cluster
  dashboard; :func:`mentoring_view`, :func:`plan_view`: mentoring circles and
  an upgrade plan (:mod:`matcher.develop`) for the mentoring and plan pages;
- :func:`network_figure`: a plotly figure of a network view.

Examples
--------
>>> from matcher.sample import load_sample
>>> cluster, _ = load_sample()
>>> network_view(cluster)["view"], dashboard_view(cluster)["view"]
('network', 'dashboard')
"""

from matcher.views.figure import network_figure
from matcher.views.model import dashboard_view, mentoring_view, network_view, plan_view, proposal_view

__all__ = [
    "dashboard_view",
    "mentoring_view",
    "network_figure",
    "network_view",
    "plan_view",
    "proposal_view",
]

# The pages around the views (template, script modules, style sheet): matcher.views.render.
from matcher.views.render import asset_path, render_page, write_html

__all__ += ["asset_path", "render_page", "write_html"]
