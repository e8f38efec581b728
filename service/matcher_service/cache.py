"""Values kept in the process: network views and page totals by key, per data version
(:class:`LruCache`), and the public summary (:class:`RefreshedSummary`)."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, Generic, TypeVar

from matcher.model import Cluster
from matcher_service.reading import for_people

T = TypeVar("T")

__all__ = ["LruCache", "RefreshedSummary", "cached_network_view"]


class LruCache:
    """The last ``size`` values built, by key (data version first, so a new version misses).

    Examples
    --------
    >>> cache = LruCache(size=1)
    >>> cache.get(("a",), lambda: 1), cache.get(("a",), lambda: 2), cache.get(("b",), lambda: 3)
    (1, 1, 3)
    """

    def __init__(self, size: int = 16) -> None:
        self._size = size
        self._items: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()
        self._building: dict[Hashable, threading.Lock] = {}

    def _lookup(self, key: Hashable) -> tuple[bool, Any]:
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return True, self._items[key]
            return False, None

    def get(self, key: Hashable, build: Callable[[], Any]) -> Any:
        """The value stored under ``key``, built when missing (once: a second caller waits for it)."""
        found, value = self._lookup(key)
        if found:
            return value
        with self._lock:
            building = self._building.setdefault(key, threading.Lock())
        with building:
            found, value = self._lookup(key)
            if found:
                return value
            value = build()
            with self._lock:
                self._items[key] = value
                while len(self._items) > self._size:
                    self._items.popitem(last=False)
                self._building.pop(key, None)
        return value


def cached_network_view(
    cache: LruCache,
    version: int,
    cluster: Cluster,
    ids: list[str] | None,
    *,
    seed: int = 0,
    resolution: float = 1.0,
    collapse_above: int = 1000,
) -> dict[str, Any]:
    """The network view of ``ids`` (None: every workshop) at a data version, built once.

    A scope that holds every workshop is the whole cluster, so a coordinator of
    every territory and an admin share one view (and the one built on start).
    """
    if ids is not None and len(ids) == len(cluster.workshops):
        ids = None
    key = ("network", version, None if ids is None else tuple(ids), seed, resolution, collapse_above)

    def build() -> dict[str, Any]:
        # Imported here: matcher.views takes a second to import, and every module of the service
        # that pages through a table imports this one (matcher_service.store).
        from matcher import views

        return for_people(
            views.network_view(
                cluster, workshops=ids, seed=seed, resolution=resolution, collapse_above=collapse_above
            )
        )

    return cache.get(key, build)


class RefreshedSummary(Generic[T]):
    """A summary of the cluster as of the last refresh, computed anew at most once per ``seconds``.

    Within ``seconds`` of a refresh every reader gets the same summary without
    a query; after them the data version is read, and the summary is computed
    again only when it changed.

    Examples
    --------
    >>> summary, built = RefreshedSummary(), []
    >>> def snapshot():
    ...     return 1, Cluster(workshops=(), ties=())
    >>> def build(cluster):
    ...     built.append(cluster)
    ...     return len(built)
    >>> summary.get(snapshot, 0.0, build), summary.get(snapshot, 0.0, build)  # same version: kept
    (1, 1)
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._summary: T | None = None
        self._version: int | None = None
        self._checked = 0.0

    def get(
        self, snapshot: Callable[[], tuple[int, Cluster]], seconds: float, build: Callable[[Cluster], T]
    ) -> T:
        """The summary: kept, or ``build`` of the cluster ``snapshot()`` gives when its version changed."""
        with self._lock:
            if self._summary is not None and time.monotonic() - self._checked < seconds:
                return self._summary
        # The snapshot cache reads the data version and builds a cluster only when it changed.
        version, cluster = snapshot()
        with self._lock:
            if self._summary is not None and version == self._version:
                self._checked = time.monotonic()
                return self._summary
        summary = build(cluster)
        with self._lock:
            self._summary, self._version, self._checked = summary, version, time.monotonic()
        return summary
