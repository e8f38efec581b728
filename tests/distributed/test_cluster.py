"""The loopback Dask cluster the distributed tests run on."""

from __future__ import annotations


def test_the_cluster_runs_tasks_on_two_workers(dask_client) -> None:
    futures = dask_client.map(lambda x: x * x, range(8), pure=False)
    assert sum(dask_client.gather(futures)) == 140
    assert len(dask_client.scheduler_info()["workers"]) >= 2
