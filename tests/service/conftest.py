"""One small world for every service test, on SQLite and on PostgreSQL.

Two territories (T1, T2), two organizations (ORG1 in T1, ORG2 in T2), two lead
firms (F1, F2) with one order each, eight workshops with contacts, and one user
per role and scope. Each role signs in with a fixed API key (``KEYS``).
Seeded for the authorization matrix: shortlists SL1 (F1) and SL2 (F2) and
contact requests 1-4 (see :func:`seeded_shortlists`, :func:`seeded_releases`).

The PostgreSQL server is the one on 127.0.0.1:5432 (``MATCHER_TEST_POSTGRES_URL``
overrides it); a run creates its own database there and drops it at the end.
It is never skipped: when the server is down the PostgreSQL tests fail.
"""

from __future__ import annotations

import os
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import pytest
import uvicorn
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from matcher.model import Cluster, Contact, LeadFirm, Order, Tie, Workshop
from matcher.routing import default_routings
from matcher_service.app import create_app
from matcher_service.dataset import apply_dataset
from matcher_service.models import ApiKey, Base, ContactRelease, Job, ShortlistRow, User
from matcher_service.security import hash_password, token_digest
from matcher_service.settings import Settings
from tests._needs import unavailable

POSTGRES_URL = os.environ.get(
    "MATCHER_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
SECRET = "test-secret"
PASSWORD = "correct horse battery"

#: role name in tests -> (role, territories, organization, firm)
ACCOUNTS = {
    "admin": ("admin", [], None, None),
    "coordinator": ("coordinator", ["T1"], None, None),
    "association_leader": ("association_leader", [], "ORG1", None),
    "lead_firm": ("lead_firm", [], None, "F1"),
    "municipality": ("municipality", ["T1"], None, None),
    "coordinator2": ("coordinator", ["T2"], None, None),
    "association_leader2": ("association_leader", [], "ORG2", None),
    "lead_firm2": ("lead_firm", [], None, "F2"),
    "municipality2": ("municipality", ["T2"], None, None),
}
#: the roles of the authorization matrix (``anyone`` = no credential)
MATRIX_ROLES = ("admin", "coordinator", "association_leader", "lead_firm", "municipality", "anyone")
KEYS = {name: f"mk_test_{name}" for name in ACCOUNTS}
ADMIN_HASH = hash_password(PASSWORD)

NAMES = {f"W{i}": f"Owner Name {i}" for i in range(1, 9)}


def tiny_cluster() -> tuple[Cluster, list[Contact]]:
    """The world's data: W1-W4 in T1 (ORG1), W5-W8 in T2 (ORG2)."""
    processes = ("cutting", "sewing", "finishing", "packing")
    workshops = tuple(
        Workshop(
            f"W{i}",
            "T1" if i <= 4 else "T2",
            workers=2 + i % 3,
            products=("tshirt",),
            processes=processes,
            capacity_minutes_per_week=3000.0,
            can_lead=i in (1, 5),
            quality=3,
            organizations=("ORG1",) if i <= 4 else ("ORG2",),
        )
        for i in range(1, 9)
    )
    ties = (
        Tie("W1", "W2", "kinship", 4),
        Tie("W2", "W3", "friendship", 3),
        Tie("W3", "W4", "subcontracting", 2),
        Tie("W1", "W4", "conflict", 3),
        Tie("W5", "W6", "kinship", 4),
        Tie("W6", "W7", "friendship", 3),
        Tie("W7", "W8", "friendship", 2),
        Tie("W4", "W5", "friendship", 2),
    )
    firms = (LeadFirm("F1", "Firm One (synthetic)", "T1"), LeadFirm("F2", "Firm Two (synthetic)", "T2"))
    orders = (
        Order("O1", "tshirt", 300, 2.0, firm_id="F1", territories=("T1",)),
        Order("O2", "tshirt", 300, 2.0, firm_id="F2", territories=("T2",)),
    )
    contacts = [
        Contact(
            w.workshop_id,
            NAMES[w.workshop_id],
            f"+598 99 000 00{w.workshop_id[1:]}",
            f"Calle Falsa {w.workshop_id[1:]}00",
            -34.5 - int(w.workshop_id[1:]) / 100,
            -56.2,
        )
        for w in workshops
    ]
    return Cluster(workshops, ties, firms, orders, routings=default_routings()), contacts


@dataclass
class World:
    """The app under test, its client and how to act as each role."""

    client: TestClient
    app: object
    backend: str
    keys: dict[str, str] = field(default_factory=lambda: dict(KEYS))

    def headers(self, who: str) -> dict[str, str]:
        """Auth headers of a role (no header for ``anyone``)."""
        return {} if who == "anyone" else {"X-API-Key": self.keys[who]}

    def as_(self, who: str, method: str, url: str, **kw):
        headers = {**self.headers(who), **kw.pop("headers", {})}
        return self.client.request(method, url, headers=headers, **kw)

    def reset(self) -> None:
        """Empty every table and load the world again."""
        reset_database(self.app)


#: Every table but ``meta``: the data version only ever grows, as in a real database, so no
#: snapshot cached under an old version can pass for the new data.
DATA_TABLES = [t for t in Base.metadata.sorted_tables if t.name != "meta"]


def empty_database(app) -> None:
    """Empty every data table (failed sign-ins and credentials included)."""
    warming = getattr(app.state, "warming", None)
    if warming is not None:
        warming.join(timeout=60)  # its read transaction would deadlock with TRUNCATE
    engine = app.state.engine
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            names = ", ".join(f'"{t.name}"' for t in DATA_TABLES)
            conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            for table in reversed(DATA_TABLES):
                conn.execute(table.delete())
            if conn.execute(text("SELECT name FROM sqlite_master WHERE name='sqlite_sequence'")).first():
                conn.execute(text("DELETE FROM sqlite_sequence"))


def reset_database(app) -> None:
    empty_database(app)
    cluster, contacts = tiny_cluster()
    with app.state.sessions() as session:
        apply_dataset(session, cluster, contacts)
        user_ids: dict[str, int] = {}
        for name, (role, territories, org, firm) in ACCOUNTS.items():
            user = User(
                username=name,
                password_hash=ADMIN_HASH if name == "admin" else None,
                role=role,
                territories=territories,
                organization_id=org,
                firm_id=firm,
            )
            session.add(user)
            session.flush()
            session.add(
                ApiKey(
                    digest=token_digest(KEYS[name], SECRET),
                    prefix=KEYS[name][:8],
                    name="test",
                    user_id=user.user_id,
                )
            )
            user_ids[name] = user.user_id
        session.add_all(seeded_jobs(user_ids))
        session.flush()
        session.add_all(seeded_shortlists())
        session.flush()
        session.add_all(seeded_releases())
        session.commit()


def seeded_jobs(user_ids: dict[str, int]) -> list[Job]:
    """J1 (coordinator's, T1) and J2 (coordinator2's, T2), matching runs; J3 (association_leader's,
    ORG1) and J4 (association_leader2's, ORG2), mentoring runs: running jobs no worker runs.

    They give the authorization matrix a job of one's own and of another; no
    worker picks them up (only queued jobs are run).
    """
    matches = [
        Job(
            job_id=job_id,
            kind="match",
            status="running",
            progress=0.1,
            message="seeded by the test world",
            params={"order_ids": [order_id], "options": {}, "territories": [territory]},
            created_by=user_ids[owner],
            territories=[territory],
        )
        for job_id, owner, order_id, territory in (
            ("J1", "coordinator", "O1", "T1"),
            ("J2", "coordinator2", "O2", "T2"),
        )
    ]
    circles = [
        Job(
            job_id=job_id,
            kind="mentoring",
            status="running",
            progress=0.1,
            message="seeded by the test world",
            params={"max_trainees": 3, "pinned": [], "territories": [], "organization": organization},
            created_by=user_ids[owner],
            territories=[],
        )
        for job_id, owner, organization in (
            ("J3", "association_leader", "ORG1"),
            ("J4", "association_leader2", "ORG2"),
        )
    ]
    return matches + circles


def _seeded_body(order_id: str, territory: str) -> dict:
    """A hand-written anonymized shortlist body: singles S1, S2 and one group G1 (G1-a, G1-b)."""

    def member(ref: str) -> dict:
        # T1 and T2 hold four workshops each: fewer than k = 5, so the territory is withheld.
        return {
            "ref": ref,
            "territory": None,
            "size_band": "micro",
            "quality": {"low": 3, "high": 3},
            "formal": False,
            "processes": ["cutting", "sewing", "finishing", "packing"],
            "main_product": True,
            "leader": False,
            "withheld": ["territory"],
            "allocations": [],
        }

    def entry(ref: str, kind: str, members: list[str]) -> dict:
        score = {"capability": 1.0, "capacity": 0.5, "quality_margin": 0.5, "reliability": None}
        return {
            "ref": ref,
            "kind": kind,
            "size": len(members),
            "score": {**score, "cohesion": None, "total": 0.6667},
            "free_minutes": 6000.0,
            "needed_minutes": 2550.0,
            "members": [member(m) for m in members],
            "why": [],
        }

    return {
        "top": 2,
        "order": {
            "order_id": order_id,
            "described": False,
            "product": "tshirt",
            "quantity": 300,
            "due_weeks": 2.0,
            "min_quality": 1,
            "max_group_size": None,
            "territories": [territory],
            "require_formal": False,
        },
        "score_weights": dict.fromkeys(
            ("capability", "capacity", "quality_margin", "reliability", "cohesion"), 1.0
        ),
        "anonymity": {"k": 5},
        "singles": [entry("S1", "single", ["S1"]), entry("S2", "single", ["S2"])],
        "groups": [entry("G1", "group", ["G1-a", "G1-b"])],
        "search": {"solver": "highs", "stopped": "no_more_groups", "groups_found": 1},
        "notes": [],
    }


def seeded_shortlists() -> list[ShortlistRow]:
    """SL1 (O1, firm F1: S1=W1, S2=W2, G1=W3+W4) and SL2 (O2, firm F2: S1=W5, S2=W6, G1=W7+W8)."""
    rows = []
    for shortlist_id, order_id, firm_id, territory, first in (
        ("SL1", "O1", "F1", "T1", 1),
        ("SL2", "O2", "F2", "T2", 5),
    ):
        w = [f"W{first + i}" for i in range(4)]
        refs = {"S1": [w[0]], "S2": [w[1]], "G1": [w[2], w[3]], "G1-a": [w[2]], "G1-b": [w[3]]}
        rows.append(
            ShortlistRow(
                shortlist_id=shortlist_id,
                order_id=order_id,
                firm_id=firm_id,
                body=_seeded_body(order_id, territory),
                refs=refs,
                data_version=0,
            )
        )
    return rows


def seeded_releases() -> list[ContactRelease]:
    """Contact requests: 1 (W2 to F1) and 2 (W6 to F2) released; 3 (W3 to F1) and 4 (W7 to F2) asked."""
    return [
        ContactRelease(
            workshop_id=workshop_id,
            firm_id=firm_id,
            shortlist_id=shortlist_id,
            ref=ref,
            status=status,
            message="seeded by the test world",
        )
        for workshop_id, firm_id, shortlist_id, ref, status in (
            ("W2", "F1", "SL1", "S2", "released"),
            ("W6", "F2", "SL2", "S2", "released"),
            ("W3", "F1", "SL1", "G1-a", "requested"),
            ("W7", "F2", "SL2", "G1-a", "requested"),
        )
    ]


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A fresh database on the PostgreSQL server for this run (dropped at the end)."""
    base = make_url(POSTGRES_URL)
    name = f"matcher_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:
        unavailable(
            f"PostgreSQL at {base.render_as_string()} is not reachable ({type(exc).__name__})",
            "pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start",
        )
    try:
        yield base.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request) -> str:
    return request.param


@pytest.fixture
def database_url(backend, request, tmp_path) -> str:
    if backend == "sqlite":
        return f"sqlite:///{tmp_path / 'matcher.db'}"
    return request.getfixturevalue("postgres_url")


def make_settings(database_url: str, **overrides) -> Settings:
    return Settings(database_url=database_url, secret_key=SECRET, **overrides)


@pytest.fixture
def world(database_url, backend) -> Iterator[World]:
    """The app on a fresh copy of the world, with a client."""
    app = create_app(make_settings(database_url))
    # Each order of the world has four eligible workshops: with the default k = 5 no shortlist could
    # show them. The world's shortlists are anonymous among four (a setting the service refuses
    # below 5; tests of small cells set it back).
    app.state.settings.k_anonymity = 4
    with TestClient(app, raise_server_exceptions=False) as client:
        reset_database(app)
        yield World(client, app, backend)


@contextmanager
def live_server(app) -> Iterator[str]:
    """``app`` served by uvicorn on a free loopback port, in a thread; yields its base URL."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=20)
