"""The plotly figure of a network view."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
import pytest

from matcher.errors import InvalidOptionError
from matcher.model import Cluster, Tie, Workshop
from matcher.views import network_figure, network_view
from matcher.views.figure import CONFLICT_COLOR, LARGEST, NO_CATEGORY, SMALLEST


@pytest.fixture(scope="module")
def view() -> dict:
    """A path A–B–C of friendships, B subcontracting to D, a conflict A–C and an isolate E."""
    workshops = (
        Workshop("A", "North", 2, ("tee",), ("sewing",)),
        Workshop("B", "North", 8, ("jeans",), ("sewing",)),
        Workshop("C", "South", 2, ("tee",), ("sewing",)),
        Workshop("D", "South", 2, ("tee",), ("sewing",)),
        Workshop("E", "South", 2, ("tee",), ("sewing",)),
    )
    ties = (
        Tie("A", "B", "friendship"),
        Tie("B", "C", "friendship"),
        Tie("B", "D", "subcontracting"),
        Tie("A", "C", "conflict"),
    )
    return network_view(Cluster(workshops, ties=ties))


def test_one_line_trace_per_kind_then_the_workshops(view):
    fig = network_figure(view)
    assert isinstance(fig, go.Figure)
    assert [t.name for t in fig.data] == ["friendship", "subcontracting", "conflict", "workshops"]
    friendship = fig.data[0]
    # Two segments, each two points and a gap.
    assert len(friendship.x) == 6 and np.isnan(friendship.x[2]) and np.isnan(friendship.x[5])
    xs = view["nodes"]["x"]
    assert list(friendship.x[[0, 1, 3, 4]]) == [xs[0], xs[1], xs[1], xs[2]]


def test_conflicts_are_red_and_dashed(view):
    conflict, friendship = network_figure(view).data[2], network_figure(view).data[0]
    assert (conflict.line.color, conflict.line.dash) == (CONFLICT_COLOR, "dash")
    assert friendship.line.dash == "solid" and friendship.line.color != CONFLICT_COLOR


def test_nodes_coloured_sized_and_described(view):
    nodes = network_figure(view, color_by="territory", size_by="degree").data[-1]
    assert list(nodes.customdata) == ["A", "B", "C", "D", "E"]
    colors = list(nodes.marker.color)
    assert colors[0] == colors[1] != colors[2] == colors[3] == colors[4]  # North, North, South ...
    size = list(nodes.marker.size)
    assert size[1] == LARGEST and size[4] == SMALLEST  # degree 3 and the isolate's 0
    assert nodes.text[1] == "<b>B</b><br>territory: North<br>product: jeans<br>degree: 3"
    by_community = network_figure(view).data[-1].marker.color
    assert by_community[4] == NO_CATEGORY  # an isolate has no community


def test_sized_by_betweenness_none_when_not_computed(view):
    size = list(network_figure(view, size_by="betweenness").data[-1].marker.size)
    assert size[1] == LARGEST and size[0] == SMALLEST  # B brokers every path; A none
    unknown = dict(view, nodes={**view["nodes"], "betweenness": [None] * 5})
    assert len(set(network_figure(unknown, size_by="betweenness").data[-1].marker.size)) == 1


def test_bad_options_and_views_are_refused(view):
    with pytest.raises(InvalidOptionError, match="color_by must be one of community, territory, product"):
        network_figure(view, color_by="size")
    with pytest.raises(InvalidOptionError, match="size_by must be one of degree, betweenness, capacity"):
        network_figure(view, size_by="area")
    with pytest.raises(InvalidOptionError, match="draws a network view"):
        network_figure({"view": "dashboard"})
