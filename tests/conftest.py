"""A real Dask cluster on loopback for the tests: one ``dask scheduler`` and two ``dask worker``
processes, started once per session (the same commands a deployment runs), for the tests of
``matcher.distributed`` and for the service's jobs on a Dask cluster alike.

``dask_cluster`` gives the scheduler's address and the workers' process handles (a test may
kill one); ``dask_client`` a client connected to it. Without the ``dask`` extra the tests are
skipped with the command that installs it (failed under ``CI=true``).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests._needs import unavailable

#: Seconds a process of the cluster has to come up.
START_TIMEOUT = 60.0


@dataclass
class DaskCluster:
    """A running scheduler and its workers."""

    address: str
    scheduler_file: Path
    workers: list[subprocess.Popen] = field(default_factory=list)
    logs: Path | None = None

    def start_worker(self, name: str) -> subprocess.Popen:
        """Start one more single-threaded worker process and wait until the scheduler has it."""
        from distributed import Client

        log = open(self.logs / f"{name}.log", "ab") if self.logs else subprocess.DEVNULL  # noqa: SIM115
        process = subprocess.Popen(
            [
                *_dask(), "worker", "--scheduler-file", str(self.scheduler_file),
                "--name", name, "--nworkers", "1", "--nthreads", "1", "--no-dashboard",
                "--host", "127.0.0.1", "--death-timeout", "60",
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
            env=_env(),
        )  # fmt: skip
        self.workers.append(process)
        with Client(self.address, timeout=START_TIMEOUT) as client:
            deadline = time.monotonic() + START_TIMEOUT
            while name not in {w["name"] for w in client.scheduler_info()["workers"].values()}:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"dask worker {name} did not start (log in {self.logs})")
                time.sleep(0.1)
        return process

    def live_workers(self) -> int:
        from distributed import Client

        with Client(self.address, timeout=START_TIMEOUT) as client:
            return len(client.scheduler_info()["workers"])


def _dask() -> list[str]:
    """The ``dask`` command of this environment."""
    here = Path(sys.executable).with_name("dask")
    if here.exists():
        return [str(here)]
    found = shutil.which("dask")
    return [found] if found else [sys.executable, "-m", "distributed.cli.dask_spec"]


def _env() -> dict[str, str]:
    env = dict(os.environ)
    root = str(Path(__file__).resolve().parents[1])
    env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH", "")) if p)
    env.setdefault("DASK_DISTRIBUTED__WORKER__DAEMON", "False")
    return env


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="session")
def dask_cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DaskCluster]:
    """A scheduler and two single-threaded workers on 127.0.0.1, for the whole session."""
    try:
        import distributed  # noqa: F401
    except ImportError:
        unavailable("Dask distributed is not installed", "pip install -e '.[test]'")
    logs = tmp_path_factory.mktemp("dask")
    scheduler_file = logs / "scheduler.json"
    scheduler = subprocess.Popen(
        [
            *_dask(), "scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
            "--scheduler-file", str(scheduler_file),
        ],
        stdout=open(logs / "scheduler.log", "ab"),  # noqa: SIM115
        stderr=subprocess.STDOUT,
        env=_env(),
    )  # fmt: skip
    deadline = time.monotonic() + START_TIMEOUT
    while not scheduler_file.exists():
        if scheduler.poll() is not None or time.monotonic() > deadline:
            _stop(scheduler)
            raise RuntimeError(f"dask scheduler did not start (log in {logs})")
        time.sleep(0.1)
    time.sleep(0.2)  # the file is written whole before the scheduler listens
    address = json.loads(scheduler_file.read_text())["address"]
    cluster = DaskCluster(address, scheduler_file, logs=logs)
    try:
        cluster.start_worker("worker-1")
        cluster.start_worker("worker-2")
        yield cluster
    finally:
        for worker in cluster.workers:
            _stop(worker)
        _stop(scheduler)


@pytest.fixture
def dask_client(dask_cluster: DaskCluster) -> Iterator[object]:
    """A client of the session's cluster (closed after the test)."""
    from distributed import Client

    with Client(dask_cluster.address, timeout=START_TIMEOUT) as client:
        yield client
