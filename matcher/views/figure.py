"""A plotly figure of a network view, for notebooks.

The figure is drawn with SVG ``scatter`` traces (faster than WebGL where
there is no GPU): one line trace per tie kind, segments separated by gaps,
conflicts in red and dashed; then one marker trace of the workshops,
coloured by a category and sized by a measure, with a hover text each.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import plotly.graph_objects as go
from plotly.colors import qualitative

from matcher.errors import InvalidOptionError
from matcher.model import CONFLICT

__all__ = ["COLOR_BY", "SIZE_BY", "network_figure"]

COLOR_BY = ("community", "territory", "product")
SIZE_BY = ("degree", "betweenness", "capacity")
#: Colours of the categories, cycled when there are more categories than colours.
PALETTE: tuple[str, ...] = tuple(qualitative.Safe[:-1]) + tuple(qualitative.Bold[:-1])
#: Colour of a workshop without the category (an isolate has no community).
NO_CATEGORY = "#9e9e9e"
CONFLICT_COLOR = "#d62728"
KIND_COLORS = {
    "kinship": "#8c6d31",
    "friendship": "#6b6ecf",
    "subcontracting": "#17becf",
    "mentoring": "#bcbd22",
    "machine_lending": "#7f7f7f",
    "joint_purchase": "#e377c2",
    "association": "#9467bd",
}
OTHER_KIND_COLOR = "#a0a0a0"
SMALLEST, LARGEST = 5.0, 20.0


def _check(view: Any, color_by: str, size_by: str) -> None:
    problems = []
    if not isinstance(view, Mapping) or view.get("view") != "network":
        got = view.get("view") if isinstance(view, Mapping) else type(view).__name__
        problems.append(f"network_figure draws a network view (from network_view), got {got!r}")
    if color_by not in COLOR_BY:
        problems.append(f"color_by must be one of {', '.join(COLOR_BY)}, got {color_by!r}")
    if size_by not in SIZE_BY:
        problems.append(f"size_by must be one of {', '.join(SIZE_BY)}, got {size_by!r}")
    if problems:
        raise InvalidOptionError("; ".join(problems))


def _segments(x: np.ndarray, y: np.ndarray, source: np.ndarray, target: np.ndarray) -> tuple[Any, Any]:
    """Coordinates of line segments separated by gaps (NaN), for one line trace."""
    xs = np.full((len(source), 3), np.nan)
    ys = np.full((len(source), 3), np.nan)
    xs[:, 0], xs[:, 1] = x[source], x[target]
    ys[:, 0], ys[:, 1] = y[source], y[target]
    return xs.ravel(), ys.ravel()


def _sizes(values: list[Any]) -> np.ndarray:
    """Marker sizes from SMALLEST to LARGEST, area proportional to the value; unknown is smallest."""
    numbers = np.array([0.0 if v is None else float(v) for v in values])
    top = float(numbers.max()) if len(numbers) else 0.0
    if top <= 0:
        return np.full(len(numbers), (SMALLEST + LARGEST) / 2.0)
    return SMALLEST + (LARGEST - SMALLEST) * np.sqrt(np.clip(numbers, 0.0, None) / top)


def _hover(view: Mapping[str, Any]) -> list[str]:
    nodes, categories = view["nodes"], view["categories"]

    def name(kind: str, index: int) -> str:
        return categories[kind][index] if index >= 0 else "—"

    return [
        f"<b>{w}</b><br>territory: {name('territory', t)}<br>product: {name('product', p)}<br>degree: {d}"
        for w, t, p, d in zip(nodes["id"], nodes["territory"], nodes["product"], nodes["degree"], strict=True)
    ]


def network_figure(
    view: Mapping[str, Any], *, color_by: str = "community", size_by: str = "degree"
) -> go.Figure:
    """Draw a network view: ties by kind (conflicts red, dashed), workshops coloured and sized.

    Every workshop is drawn, collapsed view or not.

    Parameters
    ----------
    view : dict
        A view from :func:`matcher.views.network_view`.
    color_by : {"community", "territory", "product"}
        Category that colours the workshops (grey when a workshop has none).
    size_by : {"degree", "betweenness", "capacity"}
        Measure that sizes the workshops (marker area ∝ value).

    Returns
    -------
    plotly.graph_objects.Figure
        One line trace per tie kind present, in the view's ``kinds`` order,
        then the ``workshops`` marker trace (``customdata`` holds the ids).

    Raises
    ------
    InvalidOptionError
        For something other than a network view, or an unknown ``color_by`` or ``size_by``.

    Examples
    --------
    >>> import networkx as nx
    >>> from matcher.views import network_view
    >>> G = nx.Graph()
    >>> G.add_edge("A", "B", kind="friendship")
    >>> G.add_edge("B", "C", kind="conflict")
    >>> fig = network_figure(network_view(G))
    >>> [t.name for t in fig.data], fig.data[1].line.dash
    (['friendship', 'conflict', 'workshops'], 'dash')
    """
    _check(view, color_by, size_by)
    nodes, edges = view["nodes"], view["edges"]
    x = np.asarray(nodes["x"], dtype=float)
    y = np.asarray(nodes["y"], dtype=float)
    source = np.asarray(edges["source"], dtype=np.int64)
    target = np.asarray(edges["target"], dtype=np.int64)
    kind = np.asarray(edges["kind"], dtype=np.int64)
    figure = go.Figure()
    for k, name in enumerate(view["kinds"]):
        rows = kind == k
        if not rows.any():
            continue
        xs, ys = _segments(x, y, source[rows], target[rows])
        conflict = name == CONFLICT
        figure.add_trace(
            go.Scatter(
                x=xs,
                y=ys,
                mode="lines",
                name=name,
                hoverinfo="skip",
                opacity=0.9 if conflict else 0.45,
                line={
                    "color": CONFLICT_COLOR if conflict else KIND_COLORS.get(name, OTHER_KIND_COLOR),
                    "width": 1.2 if conflict else 0.8,
                    "dash": "dash" if conflict else "solid",
                },
            )
        )
    category = nodes[color_by]
    colors = [PALETTE[c % len(PALETTE)] if c >= 0 else NO_CATEGORY for c in category]
    figure.add_trace(
        go.Scatter(
            x=x,
            y=y,
            mode="markers",
            name="workshops",
            text=_hover(view),
            hoverinfo="text",
            customdata=nodes["id"],
            marker={
                "color": colors,
                "size": _sizes(nodes[size_by]),
                "line": {"color": "#ffffff", "width": 0.5},
            },
        )
    )
    figure.update_layout(
        showlegend=True,
        legend_title_text="ties",
        hovermode="closest",
        plot_bgcolor="#ffffff",
        margin={"l": 10, "r": 10, "t": 30, "b": 10},
        xaxis={"visible": False},
        yaxis={"visible": False, "scaleanchor": "x", "scaleratio": 1},
    )
    return figure
