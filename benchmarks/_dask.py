"""A Dask cluster on 127.0.0.1 for the benchmarks: a scheduler and single-threaded workers.

The commands a deployment runs (docs/guide/deployment.md), started and stopped
by the benchmark itself, so that a timing includes nothing but the work.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

#: Seconds the scheduler and the workers may take to start.
START_TIMEOUT = 60.0


def dask_command() -> list[str]:
    """The ``dask`` command of this environment."""
    here = Path(sys.executable).with_name("dask")
    return [str(here)] if here.exists() else [shutil.which("dask") or "dask"]


@contextmanager
def local_cluster(workers: int, *, name: str = "bench", nice: int = 0) -> Iterator[str]:
    """A scheduler and ``workers`` single-threaded worker processes on 127.0.0.1; yields the address.

    The workers are named ``{name}-1``, ``{name}-2``, ...; with ``nice`` they
    run at that lower priority (``nice -n``), as workers sharing a machine with
    the service should. Every process is stopped when the block ends, however it ends.
    """
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH")) if p),
    }
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL, "env": env}
    processes: list[subprocess.Popen] = []
    with tempfile.TemporaryDirectory(prefix="matcher-dask-") as folder:
        scheduler_file = Path(folder) / "scheduler.json"
        try:
            processes.append(subprocess.Popen(
                [*dask_command(), "scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
                 "--scheduler-file", str(scheduler_file)], **quiet,
            ))  # fmt: skip
            deadline = time.monotonic() + START_TIMEOUT
            while not scheduler_file.exists():
                if processes[0].poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("dask scheduler did not start")
                time.sleep(0.1)
            time.sleep(0.2)  # the file is written whole before the scheduler listens
            address = json.loads(scheduler_file.read_text())["address"]
            lower = ["nice", "-n", str(nice)] if nice else []
            for i in range(workers):
                processes.append(subprocess.Popen(
                    [*lower, *dask_command(), "worker", "--scheduler-file", str(scheduler_file), "--name",
                     f"{name}-{i + 1}", "--nworkers", "1", "--nthreads", "1", "--no-dashboard",
                     "--host", "127.0.0.1"], **quiet,
                ))  # fmt: skip
            yield address
        finally:
            for process in reversed(processes):
                process.terminate()
            for process in processes:
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
