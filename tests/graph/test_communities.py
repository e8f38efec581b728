"""Leiden communities: modularity, seeds, resolution and stability."""

from __future__ import annotations

import statistics

import networkx as nx
import pytest

from matcher.errors import InvalidOptionError
from matcher.graph import communities, partition_agreement
from matcher.sample import load_sample


def test_ring_of_cliques_is_found_exactly():
    ring = nx.ring_of_cliques(6, 5)
    labels, summary = communities(ring)
    truth = [v // 5 for v in ring.nodes]
    assert partition_agreement(labels, truth) == {"ari": pytest.approx(1.0), "nmi": pytest.approx(1.0)}
    assert summary["count"] == 6 and summary["sizes"] == [5] * 6
    parts = [{v for v in ring if labels[v] == c} for c in range(6)]
    assert summary["modularity"] == pytest.approx(nx.community.modularity(ring, parts))
    assert summary["stability"]["mean_ari"] == pytest.approx(1.0)


def test_partition_agreement_by_hand():
    # Same partition under other labels.
    assert partition_agreement([0, 0, 1, 1], [5, 5, 3, 3]) == {"ari": 1.0, "nmi": 1.0}
    # Splitting {0,1,2,3} into {0,1},{2,3} against all together: NMI 0, ARI 0.
    assert partition_agreement([0, 0, 0, 0], [0, 0, 1, 1])["nmi"] == pytest.approx(0.0)


def test_higher_resolution_gives_smaller_communities():
    cluster, _ = load_sample()
    _, coarse = communities(cluster, resolution=1.0, runs=1)
    _, fine = communities(cluster, resolution=10.0, runs=1)
    assert fine["count"] > coarse["count"]
    # Around resolution 10 communities have the size of workshop groups.
    assert 3 <= statistics.median(fine["sizes"]) <= 10
    assert fine["resolution"] == 10.0


def test_seed_reproducible_and_isolates_have_no_community():
    graph = nx.karate_club_graph()
    graph.add_node(99)
    first, summary = communities(graph, seed=4, runs=2)
    assert (first, summary) == communities(graph, seed=4, runs=2)
    assert first[-1] is None and None not in first[:-1]
    assert summary["stability"]["seeds"] == [4, 5]
    with pytest.raises(InvalidOptionError, match="resolution"):
        communities(graph, resolution=0)
    with pytest.raises(InvalidOptionError, match="runs"):
        communities(graph, runs=0)


def _runs(monkeypatch, **patch):
    from matcher.graph import _igraph

    graph = _igraph.igraph_of(*_lfr_like())
    for name, value in patch.items():
        monkeypatch.setattr(_igraph, name, value)
    return _igraph.leiden_memberships(graph, seeds=[3, 4, 5], resolution=1.0)


def _lfr_like():
    import numpy as np

    graph = nx.relaxed_caveman_graph(40, 8, 0.2, seed=1)
    return graph.number_of_nodes(), np.array(list(graph.edges), dtype=np.int64)


def test_leiden_runs_shared_with_a_forked_process_are_the_runs_one_after_another(monkeypatch):
    from matcher.graph import _igraph

    graph = _igraph.igraph_of(*_lfr_like())
    alone = [_igraph.leiden_membership(graph, seed=s, resolution=1.0) for s in (3, 4, 5)]
    assert len({tuple(m) for m in alone}) > 1  # the seeds differ: the order is checked
    assert _runs(monkeypatch, SHARED_LEIDEN_EDGES=0) == alone


def test_leiden_runs_stay_here_when_no_process_can_be_started_or_it_dies(monkeypatch):
    import os

    from matcher.graph import _igraph

    alone = _runs(monkeypatch)
    assert _runs(monkeypatch, SHARED_LEIDEN_EDGES=0, _forked=lambda *a: None) == alone
    assert _runs(monkeypatch, SHARED_LEIDEN_EDGES=0, _leiden_apart=lambda *a: os._exit(1)) == alone
    monkeypatch.setattr(_igraph.multiprocessing, "get_all_start_methods", lambda: ["spawn"])
    assert _runs(monkeypatch, SHARED_LEIDEN_EDGES=0) == alone


def test_the_same_trivial_partition_agrees_fully():
    # igraph's adjusted Rand index is 0/0 there; a report must not say "nan"
    assert partition_agreement([0, 0, 0], [1, 1, 1]) == {"ari": 1.0, "nmi": 1.0}
    assert partition_agreement([0, 1, 2], [2, 0, 1]) == {"ari": 1.0, "nmi": 1.0}
    assert partition_agreement([0, 0, 0], [0, 1, 2])["ari"] == pytest.approx(0.0)
