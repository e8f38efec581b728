"""Tasks for the job tests, at the top level of a module so that a worker process imports them.

Each writes what it did to the file ``params["log"]``, one line per event
(``<tag> <event> <pid>``, appended whole), since a worker process shares no
memory with the test.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from matcher.errors import InvalidOptionError
from matcher.messages import Message


def note(params: dict, event: str) -> None:
    """Append ``<tag> <event> <pid>`` to the log named in ``params``."""
    with open(params["log"], "a", encoding="utf-8") as log:
        log.write(f"{params.get('tag', '-')} {event} {os.getpid()}\n")


def events(path: Path) -> list[tuple[str, str, int]]:
    """The lines of a log: ``(tag, event, pid)``."""
    if not path.exists():
        return []
    return [(t, e, int(p)) for t, e, p in (line.split() for line in path.read_text().splitlines())]


def record(cluster, params, report) -> dict:
    """Note the run, take ``params["seconds"]``, and answer the worker's pid."""
    note(params, "ran")
    time.sleep(params.get("seconds", 0.0))
    return {"pid": os.getpid(), "workshops": len(cluster.workshops)}


def hold(cluster, params, report) -> dict:
    """Report 0.42, then wait for the file ``params["release"]`` reporting as it waits; a cancel
    (a report answered False) ends the wait."""
    note(params, "started")
    while report(0.42, "job.solving"):
        if Path(params["release"]).exists():
            note(params, "released")
            return {"pid": os.getpid()}
        time.sleep(0.05)
    note(params, "stopped")
    return {}


def stubborn(cluster, params, report) -> dict:
    """Never report: sleep for ``params["seconds"]``, as a solver that cannot be interrupted."""
    note(params, "started")
    time.sleep(params.get("seconds", 60.0))
    note(params, "finished")
    return {"pid": os.getpid()}


def dies(cluster, params, report) -> dict:
    """End the worker process in the middle of the job."""
    note(params, "started")
    os._exit(3)


def refuses(cluster, params, report) -> dict:
    """Fail as the library fails, with a message."""
    report(0.5, "job.solving")
    raise InvalidOptionError(messages=[Message("option.no_orders")])


#: The folder of :func:`slow_match`'s log and release file, named in the environment the worker
#: process is started with (a match run's params are the route's own).
FOLDER = "MATCH_TEST_FOLDER"


def slow_match(cluster, params, report) -> dict:
    """A match run that notes its orders, waits for the file ``release`` of the folder, and
    reports (a cancelled job stops there)."""
    folder = Path(os.environ[FOLDER])
    note({"log": folder / "log", "tag": "-".join(params["order_ids"])}, "started")
    while not (folder / "release").exists():
        time.sleep(0.05)
    report(0.5, "job.solving")
    return {"never": "kept"}
