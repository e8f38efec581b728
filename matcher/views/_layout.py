"""Positions for the network view: communities first, then their members inside discs.

The community graph (one vertex per community, edges weighted by the
collaboration pairs between them) is laid out with Fruchterman–Reingold, and
the discs (radius ∝ √size) are pushed apart until none overlap. The members
of every community are then laid out (Fruchterman–Reingold over the ties
inside it) and fitted into its disc, so expanding a collapsed community keeps
the picture where it was. Isolates are gathered on rings around the whole
picture.

Everything is seeded (igraph's generator is scoped to the call) and works on
numpy arrays; igraph is used here and nowhere else in :mod:`matcher.views`.
"""

from __future__ import annotations

import numpy as np
from scipy.spatial import cKDTree

from matcher.graph._igraph import igraph_of, seeded

__all__ = ["network_layout", "sunflower"]

#: Space left between two community discs, in units of a node's spacing.
DISC_GAP = 1.0
#: Spacing of the isolates along their rings.
ISOLATE_SPACING = 1.6
#: Share of its disc a community's members may fill.
FILL = 0.92


def sunflower(k: int) -> np.ndarray:
    """``k`` points spread evenly over the unit disc (Vogel's spiral), shape (k, 2).

    Examples
    --------
    >>> points = sunflower(50)
    >>> points.shape, bool(np.all(np.hypot(points[:, 0], points[:, 1]) <= 1.0))
    ((50, 2), True)
    """
    i = np.arange(k, dtype=float) + 0.5
    radius = np.sqrt(i / max(k, 1))
    angle = i * np.pi * (3.0 - np.sqrt(5.0))
    return np.column_stack((radius * np.cos(angle), radius * np.sin(angle)))


def _separate(centres: np.ndarray, radii: np.ndarray, *, gap: float, rounds: int = 200) -> np.ndarray:
    """Push overlapping discs apart along the line of their centres until none overlap."""
    centres = centres.copy()
    k = len(centres)
    if k < 2:
        return centres
    reach = 2.0 * float(radii.max()) + gap
    for _ in range(rounds):
        pairs = cKDTree(centres).query_pairs(reach, output_type="ndarray")
        if not len(pairs):
            break
        a, b = pairs[:, 0], pairs[:, 1]
        delta = centres[b] - centres[a]
        distance = np.hypot(delta[:, 0], delta[:, 1])
        overlap = radii[a] + radii[b] + gap - distance
        hit = overlap > 1e-9
        if not hit.any():
            break
        a, b, delta, distance, overlap = a[hit], b[hit], delta[hit], distance[hit], overlap[hit]
        # Discs on the same spot part along a direction fixed by their numbers.
        same = distance < 1e-12
        angle = (a[same] * 7 + b[same]) * 2.399963
        delta[same] = np.column_stack((np.cos(angle), np.sin(angle)))
        distance[same] = 1.0
        push = delta / distance[:, None] * (overlap / 2.0 + 1e-6)[:, None]
        move = np.zeros_like(centres)
        np.add.at(move, a, -push)
        np.add.at(move, b, push)
        centres += move
    return centres


def _community_centres(
    sizes: np.ndarray, links: np.ndarray, weights: np.ndarray, *, seed: int
) -> tuple[np.ndarray, np.ndarray]:
    """Centres and radii of the community discs."""
    k = len(sizes)
    radii = np.sqrt(sizes.astype(float))
    if k == 1:
        return np.zeros((1, 2)), radii
    graph = igraph_of(k, links)
    start = sunflower(k)[np.argsort(-sizes, kind="stable")] * np.sqrt(k)
    with seeded(seed):
        layout = graph.layout_fruchterman_reingold(
            weights=np.log1p(weights).tolist() if len(links) else None, seed=start.tolist(), niter=500
        )
    centres = np.asarray(layout.coords, dtype=float)
    # Scale so that neighbouring discs about touch, then remove what overlap remains.
    distance, nearest = cKDTree(centres).query(centres, k=2)
    needed = radii + radii[nearest[:, 1]] + DISC_GAP
    scale = float(np.median(needed / np.maximum(distance[:, 1], 1e-9)))
    return _separate(centres * scale, radii, gap=DISC_GAP), radii


def _disc(points: np.ndarray, radius: float) -> np.ndarray:
    """Centre a community's layout and fit it into a disc; the few far outliers go on the rim."""
    points = points - points.mean(axis=0)
    distance = np.hypot(points[:, 0], points[:, 1])
    reach = float(np.quantile(distance, 0.95))
    if reach <= 1e-12:
        return sunflower(len(points)) * radius
    points = points * (radius / reach)
    distance = distance * (radius / reach)
    far = distance > radius
    points[far] *= (radius / distance[far])[:, None]
    return points


def _members(
    n: int, inner: np.ndarray, community: np.ndarray, centres: np.ndarray, radii: np.ndarray, *, seed: int
) -> np.ndarray:
    """Positions of the workshops in communities, each community laid out inside its disc."""
    xy = np.zeros((n, 2))
    order = np.argsort(community, kind="stable")
    bounds = np.searchsorted(community[order], np.arange(len(centres) + 1))
    # Ties inside each community, grouped by community, as positions within it.
    edge_order = np.argsort(community[inner[:, 0]], kind="stable") if len(inner) else np.zeros(0, dtype=int)
    inner = inner[edge_order]
    edge_bounds = np.searchsorted(community[inner[:, 0]], np.arange(len(centres) + 1))
    rank = np.empty(n, dtype=np.int64)
    for c in range(len(centres)):
        members = order[bounds[c] : bounds[c + 1]]
        rank[members] = np.arange(len(members))
        start = sunflower(len(members)) * np.sqrt(len(members))
        ties = rank[inner[edge_bounds[c] : edge_bounds[c + 1]]]
        if len(members) > 3 and len(ties):
            graph = igraph_of(len(members), ties)
            # Fewer rounds for large communities: each costs about size² in repulsion.
            rounds = int(np.clip(300_000 / len(members) ** 2, 50, 300))
            with seeded(seed + c):
                start = np.asarray(
                    graph.layout_fruchterman_reingold(seed=start.tolist(), niter=rounds).coords, dtype=float
                )
        xy[members] = centres[c] + _disc(start, radii[c] * FILL)
    return xy


def _isolate_rings(count: int, outer: float) -> np.ndarray:
    """``count`` points on concentric rings just outside radius ``outer`` around the origin."""
    points = []
    radius = outer + ISOLATE_SPACING if outer > 0 else 0.0
    left = count
    while left:
        fits = max(1, int(2.0 * np.pi * radius / ISOLATE_SPACING)) if radius > 0 else 1
        take = min(left, fits)
        angle = np.pi / 2.0 - 2.0 * np.pi * np.arange(take) / take  # clockwise from the top
        points.append(np.column_stack((radius * np.cos(angle), radius * np.sin(angle))))
        left -= take
        radius += ISOLATE_SPACING
    return np.vstack(points) if points else np.zeros((0, 2))


def network_layout(
    n: int, edges: np.ndarray, community: np.ndarray, *, seed: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """Positions in [0, 1]² of ``n`` workshops and of their communities' centres.

    Parameters
    ----------
    n : int
        Number of workshops.
    edges : ndarray, shape (m, 2)
        Collaboration pairs (positions).
    community : ndarray of int
        Community of each workshop, numbered 0, 1, ...; -1 for isolates.
    seed : int
        Seed of both layouts.

    Returns
    -------
    (node positions (n, 2), community centres (k, 2))
        One scale on both axes, the picture centred in the unit square.

    Examples
    --------
    Two triangles joined by one edge, and an isolate.

    >>> edges = np.array([[0, 1], [0, 2], [1, 2], [2, 3], [3, 4], [3, 5], [4, 5]])
    >>> xy, centres = network_layout(7, edges, np.array([0, 0, 0, 1, 1, 1, -1]))
    >>> xy.shape, centres.shape, bool(xy.min() >= 0 and xy.max() <= 1)
    ((7, 2), (2, 2), True)
    """
    community = np.asarray(community, dtype=np.int64)
    edges = np.asarray(edges, dtype=np.int64).reshape(-1, 2)
    k = int(community.max()) + 1 if n else 0
    xy = np.zeros((n, 2))
    centres = np.zeros((k, 2))
    radii = np.zeros(k)
    if k:
        sizes = np.bincount(community[community >= 0], minlength=k)
        a, b = community[edges[:, 0]], community[edges[:, 1]]
        between = (a >= 0) & (b >= 0) & (a != b)
        lo, hi = np.minimum(a[between], b[between]), np.maximum(a[between], b[between])
        keys, weights = np.unique(lo * k + hi, return_counts=True)
        links = np.column_stack((keys // k, keys % k))
        centres, radii = _community_centres(sizes, links, weights, seed=seed)
        # The origin at the middle of the discs' extent, so isolates ring them evenly.
        middle = (np.min(centres - radii[:, None], axis=0) + np.max(centres + radii[:, None], axis=0)) / 2.0
        centres -= middle
        inner = edges[(a == b) & (a >= 0)]
        xy = _members(n, inner, community, centres, radii, seed=seed)
    isolates = np.flatnonzero(community < 0)
    outer = float(np.max(np.hypot(centres[:, 0], centres[:, 1]) + radii)) if k else 0.0
    xy[isolates] = _isolate_rings(len(isolates), outer)
    return _unit_square(xy, centres, radii)


def _unit_square(xy: np.ndarray, centres: np.ndarray, radii: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Fit the nodes and the discs into [0, 1]² with one scale, centred."""
    if not len(xy):
        return xy, centres
    extent = np.vstack((xy, centres - radii[:, None], centres + radii[:, None]))
    low, high = extent.min(axis=0), extent.max(axis=0)
    span = float(np.max(high - low))
    if span <= 0:
        return np.full_like(xy, 0.5), np.full_like(centres, 0.5)
    shift = (span - (high - low)) / 2.0  # centre the narrower side

    def fit(points: np.ndarray) -> np.ndarray:
        return np.clip((points - low + shift) / span, 0.0, 1.0)

    return fit(xy), fit(centres)
