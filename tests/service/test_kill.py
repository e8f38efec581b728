"""Killed with SIGKILL mid-write, the service loses nothing it acknowledged and leaves nothing half-written.

Each round starts the server in a process of its own (``matcher_service.server.run``, what ``matcher serve``
runs), lets a few clients write at once (ties and workshops one by one, whole datasets through
``POST /imports``), kills the process with SIGKILL at a seeded random moment while writes are in
flight, and starts it again on the same database. Then:

* every write that got a 2xx answer reads back as it was sent;
* a write that got no answer is either all there or not there at all; sent again with its
  ``Idempotency-Key`` it lands exactly once;
* an import is all its workshops, ties and contacts or none of them, and one audit record per import
  that landed;
* every change has its audit record and its bump of the data version, and nothing else does;
* ``/health`` answers that the database reads and writes.

A kill stops the process, not the machine: what it had handed to the operating system stays, so
this checks that the transactions are whole, not that the disk is flushed (power loss).

Each server process is forked from one that has the service imported and its static files
compressed already, so a start takes a fraction of a second instead of the seconds of a fresh
interpreter; what runs after the fork is ``matcher_service.server.run``, as in ``matcher serve``.
"""

from __future__ import annotations

import itertools
import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx2 as httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from matcher.model import TIE_KINDS
from matcher_service.app import create_app
from matcher_service.db import data_version, make_engine
from matcher_service.models import AuditEntry, ContactRow, Membership, TieRow, WorkshopRow
from tests.service.conftest import KEYS, SECRET, make_settings, reset_database

ROUNDS = 5
WRITERS = 4
SEED = 20260309
#: Rows of each kind in one import: that many workshops and contacts, one tie less (a chain).
IMPORT_ROWS = 4
ADMIN = {"X-API-Key": KEYS["admin"]}
WORLD_WORKSHOPS = [f"W{i}" for i in range(1, 9)]

#: The parent of the server processes: imports the service once, then forks a server per request.
#: It reads ``start <port> <database url>`` (answers the server's pid), ``poll <pid>`` (answers
#: ``running`` or the exit code) and ``wait <pid>`` (answers the exit code; -9 after a SIGKILL).
FORKER = """
import os, sys, traceback
import matcher.graph, matcher.optimize.shortlist, psycopg, sqlite3
import matcher_service.app, matcher_service.jobs, matcher_service.routes, matcher_service.server
import uvicorn.lifespan.on, uvicorn.loops.auto, uvicorn.protocols.http.auto
from matcher_service.assets import warm_assets

warm_assets()
print("ready", flush=True)
for line in sys.stdin:
    command, *args = line.split()
    if command == "start":
        pid = os.fork()
        if pid == 0:
            code = 0
            try:
                null = os.open(os.devnull, os.O_RDWR)
                os.dup2(null, 0)
                os.dup2(null, 1)
                os.dup2(os.open("server.log", os.O_WRONLY | os.O_CREAT | os.O_APPEND), 2)
                env = {"MATCHER_DATABASE_URL": args[1]}
                matcher_service.server.run("127.0.0.1", int(args[0]), env=env)
            except BaseException:
                traceback.print_exc()
                code = 1
            finally:
                os._exit(code)
        print(pid, flush=True)
    else:
        pid, status = os.waitpid(int(args[0]), os.WNOHANG if command == "poll" else 0)
        print(os.waitstatus_to_exitcode(status) if pid else "running", flush=True)
"""


class Forker:
    """The process that forks the servers (see ``FORKER``)."""

    def __init__(self, folder: Path) -> None:
        env = {k: v for k, v in os.environ.items() if not k.startswith("MATCHER_")}
        # One thread per process in numerical libraries: nothing but the main thread is forked.
        env.update(MATCHER_SECRET_KEY=SECRET, OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1")
        self.folder = folder  # the working directory of the servers: no .env file of the tree is read
        self.process = subprocess.Popen(
            [sys.executable, "-c", FORKER],
            cwd=folder,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.ask() == "ready", "the server forker did not start"

    def ask(self, *words: object) -> str:
        if words:
            self.process.stdin.write(" ".join(map(str, words)) + "\n")
            self.process.stdin.flush()
        return self.process.stdout.readline().strip()

    def log(self) -> str:
        path = self.folder / "server.log"
        return path.read_text()[-2000:] if path.exists() else ""

    def close(self) -> None:
        self.process.stdin.close()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.process.stdout.close()


@pytest.fixture(scope="module")
def forker(tmp_path_factory) -> Iterator[Forker]:
    started = Forker(tmp_path_factory.mktemp("kill"))
    try:
        yield started
    finally:
        started.close()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """The service in a process of its own, started and killed at will."""

    def __init__(self, forker: Forker, database_url: str) -> None:
        self.forker = forker
        self.database_url = database_url
        self.pid: int | None = None
        self.url = ""

    def start(self) -> dict:
        """Start the service and wait until ``/health`` answers; its answer."""
        port = _free_port()
        self.url = f"http://127.0.0.1:{port}"
        self.pid = int(self.forker.ask("start", port, self.database_url))
        deadline = time.monotonic() + 60
        while True:
            try:
                answer = httpx.get(f"{self.url}/health", timeout=5)
                if answer.status_code == 200:
                    return answer.json()
            except httpx.TransportError:
                pass
            state = self.forker.ask("poll", self.pid)
            assert state == "running", f"the server stopped ({state}): {self.forker.log()}"
            assert time.monotonic() < deadline, f"the server did not answer /health: {self.forker.log()}"
            time.sleep(0.02)

    def kill(self) -> None:
        """SIGKILL the server process and wait until it is gone."""
        os.kill(self.pid, signal.SIGKILL)
        code = self.forker.ask("wait", self.pid)
        self.pid = None
        assert code == str(-signal.SIGKILL), f"the server ended with {code}, not by SIGKILL"

    def stop(self) -> None:
        if self.pid is not None:
            self.kill()


@dataclass
class Write:
    """One write sent to the server and what came back (``status`` None: no answer)."""

    kind: str  # "tie", "workshop" or "import"
    key: str  # the tie's wave, the workshop's id, the import's prefix
    body: dict[str, Any]
    status: int | None = None
    answer: dict[str, Any] = field(default_factory=dict)

    @property
    def acknowledged(self) -> bool:
        return self.status is not None and 200 <= self.status < 300


def _tie(rng: random.Random, key: str) -> dict[str, Any]:
    source, target = rng.sample(WORLD_WORKSHOPS, 2)
    return {
        "source": source,
        "target": target,
        "kind": rng.choice(TIE_KINDS),
        "strength": rng.randint(1, 5),
        "wave": key,
    }


def _workshop(rng: random.Random, key: str) -> dict[str, Any]:
    territory, organization = rng.choice([("T1", "ORG1"), ("T2", "ORG2")])
    return {
        "workshop_id": key,
        "territory": territory,
        "workers": rng.randint(1, 40),
        "products": ["tshirt"],
        "processes": rng.sample(["cutting", "sewing", "finishing", "packing"], 2),
        "quality": rng.randint(1, 5),
        "organizations": [organization],
    }


def _import_ids(key: str) -> list[str]:
    return [f"{key}-{j}" for j in range(IMPORT_ROWS)]


def _import(rng: random.Random, key: str) -> dict[str, Any]:
    """The CSV files of a small dataset: new workshops, a chain of ties among them, their contacts."""
    ids = _import_ids(key)
    workshops = "workshop_id,territory,workers,products,processes,organizations,quality\n" + "".join(
        f"{w},T1,{rng.randint(1, 40)},tshirt,sewing;cutting,ORG1,{rng.randint(1, 5)}\n" for w in ids
    )
    ties = "source,target,kind,strength\n" + "".join(
        f"{a},{b},friendship,{rng.randint(1, 5)}\n" for a, b in itertools.pairwise(ids)
    )
    contacts = "workshop_id,owner_name,phone\n" + "".join(
        f"{w},Owner {w},+598 99 {j:03d} 000\n" for j, w in enumerate(ids)
    )
    return {"workshops.csv": workshops, "ties.csv": ties, "contacts.csv": contacts}


def _send(client: httpx.Client, write: Write) -> httpx.Response:
    if write.kind == "import":
        files = [("files", (name, text.encode(), "text/csv")) for name, text in write.body.items()]
        return client.post("/imports", files=files)
    path = "/ties" if write.kind == "tie" else "/workshops"
    return client.post(path, json=write.body, headers={"Idempotency-Key": write.key})


MAKERS = {"tie": _tie, "workshop": _workshop, "import": _import}


@dataclass
class Round:
    """The writes of one round, recorded by the writers before they are sent."""

    writes: list[Write] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    answered: threading.Event = field(default_factory=threading.Event)  # set at the first 2xx

    def writer(self, url: str, rng: random.Random, prefix: str, kinds: tuple[str, ...]) -> None:
        """Write one after another until the server is gone."""
        with httpx.Client(base_url=url, headers=ADMIN, timeout=30) as client:
            for n in range(10_000):
                kind = rng.choice(kinds)
                key = f"{prefix}{kind[0]}{n}"
                write = Write(kind, key, MAKERS[kind](rng, key))
                with self.lock:
                    self.writes.append(write)
                try:
                    answer = _send(client, write)
                except httpx.TransportError:
                    return  # killed: this write may or may not have landed
                write.status, write.answer = answer.status_code, answer.json()
                if write.acknowledged:
                    self.answered.set()


@dataclass
class Stored:
    """What the database holds of this test's writes, read directly (not through the service)."""

    ties: dict[str, list[tuple]]  # wave -> [(tie_id, source, target, kind, strength)], ties sent one by one
    import_ties: set[tuple[str, str]]  # (source, target) of the ties that came in imports
    workshops: dict[str, tuple]  # id -> (territory, workers, quality, organizations of its memberships)
    contacts: set[str]
    audits: Counter  # (action, entity, entity_id of a create) -> records
    version: int


def _stored(database_url: str) -> Stored:
    engine = make_engine(database_url, pool_size=1)
    try:
        with Session(engine) as session:
            ties: dict[str, list[tuple]] = {}
            for r in session.scalars(select(TieRow).where(TieRow.wave.like("kill-%"))):
                ties.setdefault(r.wave, []).append((r.tie_id, r.source, r.target, r.kind, r.strength))
            import_ties = {
                (r.source, r.target)
                for r in session.scalars(select(TieRow).where(TieRow.source.like("kill-%")))
            }
            members: dict[str, list[str]] = {}
            for workshop_id, organization in session.execute(
                select(Membership.workshop_id, Membership.organization_id)
            ):
                members.setdefault(workshop_id, []).append(organization)
            workshops = {
                r.workshop_id: (r.territory, r.workers, r.quality, sorted(members.get(r.workshop_id, [])))
                for r in session.scalars(select(WorkshopRow).where(WorkshopRow.workshop_id.like("kill-%")))
            }
            contacts = set(
                session.scalars(select(ContactRow.workshop_id).where(ContactRow.workshop_id.like("kill-%")))
            )
            audits = Counter(
                (action, entity, entity_id if action == "create" else None)
                for action, entity, entity_id in session.execute(
                    select(AuditEntry.action, AuditEntry.entity, AuditEntry.entity_id)
                )
            )
            return Stored(ties, import_ties, workshops, contacts, audits, data_version(session))
    finally:
        engine.dispose()


def _check_database(
    writes: list[Write], stored: Stored, before: Stored, bumps: dict[str, int]
) -> tuple[list[str], int]:
    """What is wrong in the database after the kills; and how many imports landed whole."""
    problems: list[str] = []
    ties = {w.key: w for w in writes if w.kind == "tie"}
    workshops = {w.key: w for w in writes if w.kind == "workshop"}
    for key, write in ties.items():
        rows, sent = stored.ties.get(key, []), write.body
        if not rows:
            if write.acknowledged:
                problems.append(f"acknowledged tie {key} (tie {write.answer['tie_id']}) is lost")
            continue
        if len(rows) > 1:
            problems.append(f"tie {key} is stored {len(rows)} times: {rows}")
        row = rows[0]
        if row[1:] != (sent["source"], sent["target"], sent["kind"], sent["strength"]):
            problems.append(f"tie {key} is stored as {row[1:]}, was sent as {sent}")
        if write.acknowledged and row[0] != write.answer["tie_id"]:
            problems.append(f"tie {key} is stored as tie {row[0]}, was answered as {write.answer['tie_id']}")
    problems += [f"tie {key} was never sent" for key in stored.ties.keys() - ties.keys()]
    for key, write in workshops.items():
        row, sent = stored.workshops.get(key), write.body
        if row is None:
            if write.acknowledged:
                problems.append(f"acknowledged workshop {key} is lost")
        elif row != (sent["territory"], sent["workers"], sent["quality"], sent["organizations"]):
            problems.append(f"workshop {key} is stored as {row}, was sent as {sent}")
    landed = 0
    for write in (w for w in writes if w.kind == "import"):
        ids = _import_ids(write.key)
        found = (
            sum(w in stored.workshops for w in ids),
            sum(w in stored.contacts for w in ids),
            sum(pair in stored.import_ties for pair in itertools.pairwise(ids)),
        )
        whole = (IMPORT_ROWS, IMPORT_ROWS, IMPORT_ROWS - 1)
        if found not in ((0, 0, 0), whole):
            problems.append(f"import {write.key} is partly there: (workshops, contacts, ties) = {found}")
        elif write.acknowledged and found != whole:
            problems.append(f"acknowledged import {write.key} is lost")
        landed += found == whole
    # Each change that is there has its one audit record and its bumps of the data version; no other.
    expected = Counter(("create", "tie", str(row[0])) for rows in stored.ties.values() for row in rows)
    expected.update(("create", "workshop", key) for key in stored.workshops if key in workshops)
    if landed:
        expected[("import", "dataset", None)] = landed
    audits = stored.audits - before.audits
    if audits != expected:
        too_many, missing = dict(audits - expected), dict(expected - audits)
        problems.append(f"audit records too many: {too_many}, missing: {missing}")
    changes = sum(map(len, stored.ties.values())) * bumps["tie"] + landed * bumps["import"]
    changes += sum(key in workshops for key in stored.workshops) * bumps["workshop"]
    if stored.version - before.version != changes:
        problems.append(f"the data version grew by {stored.version - before.version}, not {changes}")
    return problems, landed


def _read_back(url: str, writes: list[Write]) -> list[str]:
    """Acknowledged writes that the service does not give back as they were sent."""
    lost: list[str] = []
    with httpx.Client(base_url=url, headers=ADMIN, timeout=30) as client:
        for write in writes:
            sent = write.body
            if write.kind == "tie":
                got = client.get(f"/ties/{write.answer['tie_id']}")
                fields = ("source", "target", "kind", "strength", "wave")
                if got.status_code != 200 or {k: got.json()[k] for k in fields} != sent:
                    lost.append(f"tie {write.key}: {got.status_code} {got.text[:200]}")
            elif write.kind == "workshop":
                got = client.get(f"/workshops/{write.key}")
                if got.status_code != 200 or {k: got.json()[k] for k in sent} != sent:
                    lost.append(f"workshop {write.key}: {got.status_code} {got.text[:200]}")
            else:
                ids = _import_ids(write.key)
                status = [client.get(f"/workshops/{w}").status_code for w in ids]
                chain = client.get("/ties", params={"workshop": ids[0]}).json()
                if status != [200] * IMPORT_ROWS or [t["target"] for t in chain["items"]] != ids[1:2]:
                    lost.append(f"import {write.key}: workshops {status}, ties of {ids[0]} {chain}")
    return lost


def _bumps_per_change(client: TestClient, app: Any) -> dict[str, int]:
    """How much one tie, one workshop and one import move the data version (in this process)."""
    rng = random.Random(SEED)
    bumps = {}
    for kind, make in (("tie", _tie), ("workshop", _workshop), ("import", _import)):
        with app.state.sessions() as session:
            version = data_version(session)
        write = Write(kind, f"probe-{kind}", make(rng, f"probe-{kind}"))
        if kind == "import":
            files = [("files", (name, text.encode(), "text/csv")) for name, text in write.body.items()]
            answer = client.post("/imports", files=files, headers=ADMIN)
        else:
            answer = client.post(f"/{kind}s", json=write.body, headers=ADMIN)
        assert answer.status_code in (200, 201), answer.text
        with app.state.sessions() as session:
            bumps[kind] = data_version(session) - version
    return bumps


def test_nothing_acknowledged_is_lost_when_killed(database_url, backend, forker):
    app = create_app(make_settings(database_url))
    with TestClient(app) as client:
        reset_database(app)
        bumps = _bumps_per_change(client, app)
        reset_database(app)
    before = _stored(database_url)
    server = Server(forker, database_url)
    writes: list[Write] = []
    acknowledged: Counter = Counter()  # writes answered 2xx before the kills, by kind
    unanswered = retried = imported = 0
    started = time.monotonic()
    try:
        assert server.start()["status"] == "ok"
        for number in range(ROUNDS):
            rng = random.Random(f"{SEED}-{backend}-{number}")
            this = Round()
            # One writer imports datasets, the others add ties and workshops.
            writers = [
                threading.Thread(
                    target=this.writer,
                    args=(
                        server.url,
                        random.Random(rng.random()),
                        f"kill-{number}-{t}-",
                        ("import",) if t == 0 else ("tie", "workshop"),
                    ),
                    daemon=True,
                )
                for t in range(WRITERS)
            ]
            for writer in writers:
                writer.start()
            # The kill comes at a seeded random moment once the writers are under way.
            assert this.answered.wait(timeout=60), "no write was acknowledged"
            time.sleep(rng.uniform(0.2, 0.8))
            server.kill()
            for writer in writers:
                writer.join(timeout=60)
                assert not writer.is_alive()
            batch = this.writes
            writes += batch
            refused = [(w.key, w.status, w.answer) for w in batch if w.status and not w.acknowledged]
            assert not refused, refused
            in_flight = [w for w in batch if w.status is None]
            assert in_flight, "the kill came when no write was in flight"
            unanswered += len(in_flight)
            acknowledged.update(w.kind for w in batch if w.acknowledged)

            assert server.start() == {"status": "ok", "database": "ok", "writable": True}
            lost = _read_back(server.url, [w for w in batch if w.acknowledged])
            assert not lost, lost
            problems, imported = _check_database(writes, _stored(database_url), before, bumps)
            assert not problems, problems
            # A client sends an unanswered write again with its Idempotency-Key: it lands exactly once.
            with httpx.Client(base_url=server.url, headers=ADMIN, timeout=30) as client:
                for write in in_flight:
                    if write.kind != "import":
                        answer = _send(client, write)
                        retried += 1
                        write.status, write.answer = answer.status_code, answer.json()
                        assert write.acknowledged, (write.key, answer.status_code, answer.text)
            problems, imported = _check_database(writes, _stored(database_url), before, bumps)
            assert not problems, problems
    finally:
        server.stop()
    kinds = ", ".join(f"{acknowledged[k]} {k}s" for k in ("tie", "workshop", "import"))
    print(
        f"\nkill -9 {backend}: {ROUNDS} rounds in {time.monotonic() - started:.1f} s, "
        f"{sum(acknowledged.values())} writes acknowledged ({kinds}), 0 lost, "
        f"{unanswered} unanswered at the kill ({retried} sent again, each landed once), "
        f"0 partial imports ({imported} whole)"
    )
