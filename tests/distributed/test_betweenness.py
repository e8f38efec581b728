"""Betweenness on the loopback Dask cluster: the same answers as on one machine, and the brokers
section of an analysis computed on the cluster above the local limits."""

from __future__ import annotations

import functools
import json

import networkx as nx
import numpy as np
import pytest
from typer.testing import CliRunner

import matcher.distributed
from matcher.cli import app
from matcher.distributed.betweenness import cluster_betweenness, cluster_sampled_betweenness
from matcher.errors import SchedulerUnavailableError
from matcher.graph import brokers, cohesion_report, network_report
from matcher.graph._igraph import betweenness, igraph_of, sampled_betweenness
from matcher.sample import SAMPLE_DIR

runner = CliRunner()


def graph_of(network: nx.Graph):
    """The igraph graph of a networkx one, vertex i the i-th node."""
    nodes = {v: i for i, v in enumerate(network)}
    return igraph_of(len(nodes), np.array([(nodes[a], nodes[b]) for a, b in network.edges()]).reshape(-1, 2))


@pytest.fixture(scope="module")
def scale_free():
    """A graph of 1,500 vertices: a few hundred milliseconds of shortest paths."""
    return graph_of(nx.barabasi_albert_graph(1_500, 2, seed=7))


def test_exact_on_the_cluster_is_igraph_and_networkx(dask_client) -> None:
    karate = nx.karate_club_graph()
    graph = graph_of(karate)
    on_cluster = cluster_betweenness(graph, dask_client, chunk=4)  # 9 tasks over both workers
    np.testing.assert_allclose(on_cluster, betweenness(graph), rtol=1e-12, atol=1e-15)
    known = nx.betweenness_centrality(karate)
    np.testing.assert_allclose(on_cluster, [known[v] for v in karate], rtol=1e-9)
    # A path: the vertex k of 0..4 lies between k (4 - k) pairs out of (4 × 3) / 2.
    path = cluster_betweenness(graph_of(nx.path_graph(5)), dask_client, chunk=2)
    np.testing.assert_allclose(path, [0.0, 0.5, 4 / 6, 0.5, 0.0])


def test_sampled_on_the_cluster_is_the_local_estimate_for_the_same_seed(dask_client, scale_free) -> None:
    for samples, seed in ((64, 0), (31, 5)):
        local, local_error = sampled_betweenness(scale_free, samples=samples, seed=seed)
        value, error = cluster_sampled_betweenness(
            scale_free, dask_client, samples=samples, seed=seed, chunk=3
        )
        np.testing.assert_allclose(value, local, rtol=1e-10, atol=1e-15)
        np.testing.assert_allclose(error, local_error, rtol=1e-8, atol=1e-12)
    other, _ = cluster_sampled_betweenness(scale_free, dask_client, samples=64, seed=1, chunk=3)
    assert not np.allclose(other, sampled_betweenness(scale_free, samples=64, seed=0)[0])


def test_the_same_bits_whatever_the_number_of_workers(dask_client, scale_free) -> None:
    from distributed import Client

    two = cluster_sampled_betweenness(scale_free, dask_client, samples=48, seed=3, chunk=2)
    with Client(processes=False, n_workers=1, threads_per_worker=1, dashboard_address=":0") as alone:
        one = cluster_sampled_betweenness(scale_free, alone, samples=48, seed=3, chunk=2)
    assert np.array_equal(one[0], two[0]) and np.array_equal(one[1], two[1])
    assert np.array_equal(cluster_betweenness(scale_free, dask_client, chunk=100),
                          cluster_betweenness(scale_free, dask_client, chunk=100))  # fmt: skip


@pytest.fixture
def small_limits(monkeypatch):
    """Local limits of 50 (exact) and 100 (sampled) workshops, so a network of hundreds is 'national'."""
    monkeypatch.setattr(brokers, "EXACT_BETWEENNESS_MAX", 50)
    monkeypatch.setattr(brokers, "SAMPLED_BETWEENNESS_MAX", 100)


def test_the_brokers_section_is_computed_on_the_cluster_beyond_the_local_limits(
    dask_cluster, small_limits, monkeypatch
) -> None:
    scale_free = nx.barabasi_albert_graph(300, 2, seed=3)
    graph = graph_of(scale_free)
    alone = network_report(scale_free)["brokers"]
    assert alone["betweenness"]["method"] == "none" and "not computed for 300" in alone["betweenness"]["note"]

    # The cluster affords exact betweenness of 300 workshops.
    report = cohesion_report(scale_free, scheduler=dask_cluster.address)
    how = report["brokers"]["betweenness"]
    assert how["method"] == "exact" and how["dask_workers"] >= 2
    assert f"Dask cluster of {how['dask_workers']} workers" in how["note"]
    exact = betweenness(graph)
    rows = {r["workshop_id"]: r["betweenness"] for r in report["workshops"]}
    np.testing.assert_allclose([rows[str(v)] for v in scale_free], exact, rtol=1e-10, atol=1e-15)
    assert report["brokers"]["ranked_by"] == "betweenness" and report["brokers"]["top"]

    # Beyond its budget, sampled with the standard error, the same as the local estimate.
    monkeypatch.setattr("matcher.distributed.betweenness.EXACT_WORK_PER_WORKER", 1_000)
    report = cohesion_report(scale_free, scheduler=dask_cluster.address, seed=4)
    how = report["brokers"]["betweenness"]
    assert how["method"] == "sampled" and how["samples"] == brokers.DEFAULT_SAMPLES and how["seed"] == 4
    assert how["dask_workers"] >= 2 and how["max_standard_error"] > 0
    local, error = sampled_betweenness(graph, samples=brokers.DEFAULT_SAMPLES, seed=4)
    by_id = {r["workshop_id"]: r for r in report["workshops"]}
    np.testing.assert_allclose(
        [by_id[str(v)]["betweenness"] for v in scale_free], local, rtol=1e-10, atol=1e-15
    )
    np.testing.assert_allclose(
        [by_id[str(v)]["betweenness_error"] for v in scale_free], error, rtol=1e-8, atol=1e-12
    )

    # Below the local exact limit nothing leaves this process, scheduler or not.
    small = network_report(nx.path_graph(40), scheduler="tcp://127.0.0.1:1")["brokers"]["betweenness"]
    assert small == {"method": "exact"}


def test_a_scheduler_without_workers_is_refused(small_limits) -> None:
    from distributed import LocalCluster

    ring = graph_of(nx.cycle_graph(60))
    with (
        LocalCluster(n_workers=0, processes=False, dashboard_address=":0") as empty,
        pytest.raises(SchedulerUnavailableError, match=r"has no workers; start some \(dask worker "),
    ):
        brokers.betweenness_of(ring, method="exact", scheduler=empty.scheduler_address)


def test_analyze_with_a_scheduler(dask_cluster, monkeypatch, tmp_path) -> None:
    monkeypatch.setattr(brokers, "EXACT_BETWEENNESS_MAX", 50)
    result = runner.invoke(app, ["analyze", str(SAMPLE_DIR), "--json", "--scheduler", dask_cluster.address])
    assert result.exit_code == 0, result.output
    how = json.loads(result.stdout)["brokers"]["betweenness"]
    assert how["method"] == "exact" and how["dask_workers"] >= 2
    table = runner.invoke(app, ["analyze", str(SAMPLE_DIR), "--scheduler", dask_cluster.address])
    assert table.exit_code == 0 and "computed exactly on a Dask cluster of" in " ".join(table.output.split())


def test_analyze_with_an_unreachable_scheduler_exits_2_and_writes_nothing(monkeypatch, tmp_path) -> None:
    quick = functools.partial(matcher.distributed.connect, timeout=0.5)  # 10 s by default
    monkeypatch.setattr(matcher.distributed, "connect", quick)
    target = tmp_path / "network.graphml"
    result = runner.invoke(
        app, ["analyze", str(SAMPLE_DIR), "--scheduler", "tcp://127.0.0.1:1", "--export", str(target)]
    )
    assert result.exit_code == 2, result.output
    said = " ".join(result.output.split())
    assert "No Dask scheduler answers at tcp://127.0.0.1:1" in said and "leave out --scheduler" in said
    assert "Traceback" not in result.output and not target.exists()
