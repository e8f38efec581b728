"""Index arrays of a cluster's ties, the common input of every graph computation.

Built once from the Cluster's plain tuples with numpy, without any graph
library, so the heavy analysis can hand them straight to igraph.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np

from matcher.model import CONFLICT, Cluster

__all__ = ["TieArrays", "tie_arrays"]


@dataclass(frozen=True, eq=False)
class TieArrays:
    """Ties as integer arrays over workshop positions (dataset order)."""

    ids: tuple[str, ...]
    source: np.ndarray
    target: np.ndarray
    kind: np.ndarray  # object array of kind codes
    strength: np.ndarray

    @property
    def n(self) -> int:
        return len(self.ids)

    @cached_property
    def positive(self) -> np.ndarray:
        return self.kind != CONFLICT

    @cached_property
    def collaboration_edges(self) -> np.ndarray:
        """Unique undirected pairs (i < j) joined by at least one positive tie."""
        return _unique_pairs(self.source[self.positive], self.target[self.positive], self.n)

    @cached_property
    def conflict_edges(self) -> np.ndarray:
        """Unique undirected pairs (i < j) joined by a conflict tie."""
        neg = ~self.positive
        return _unique_pairs(self.source[neg], self.target[neg], self.n)


def _unique_pairs(a: np.ndarray, b: np.ndarray, n: int) -> np.ndarray:
    lo = np.minimum(a, b).astype(np.int64)
    hi = np.maximum(a, b).astype(np.int64)
    keys = np.unique(lo * max(n, 1) + hi)
    return np.column_stack((keys // max(n, 1), keys % max(n, 1))).astype(np.int64)


def tie_arrays(cluster: Cluster) -> TieArrays:
    """The cluster's ties as index arrays (ties must name known workshops)."""
    ids = cluster.workshop_ids
    index = {w: i for i, w in enumerate(ids)}
    m = len(cluster.ties)
    source = np.fromiter((index[t.source] for t in cluster.ties), dtype=np.int64, count=m)
    target = np.fromiter((index[t.target] for t in cluster.ties), dtype=np.int64, count=m)
    kind = np.array([t.kind for t in cluster.ties], dtype=object)
    strength = np.fromiter((t.strength for t in cluster.ties), dtype=np.int64, count=m)
    return TieArrays(ids, source, target, kind, strength)
