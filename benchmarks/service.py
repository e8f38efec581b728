"""Latency of the web service with a large cluster loaded, under a steady load on loopback.

    python benchmarks/service.py                       # PostgreSQL and SQLite, 10,000 workshops
    python benchmarks/service.py --database sqlite --seconds 10

For each database: a fresh database is migrated and loaded with a generated
cluster (as ``matcher generate --seed 0``: 10,000 workshops, 50 orders), one
account per lead firm and a coordinator of every territory are created, and
``matcher serve``'s app runs under uvicorn in its own process. A load generator
in this process then sends requests at a fixed rate (open loop: each request
leaves at its scheduled time whatever the previous ones did, and its latency is
counted from that time, so a slow server cannot hide its queue):

* reads at 100 requests/s — a page of workshops, one workshop, the ties of a
  workshop, one order, a page of orders, as the coordinator;
* shortlists — each order's lead firm asks for a shortlist of its order once
  (computed: new data version), then once more (the stored one is returned).

Targets: reads p99 <= 50 ms at 100 requests/s; a computed shortlist p99 <=
200 ms; no errors.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks._table import fmt, text_table

POSTGRES = os.environ.get("MATCHER_BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
SECRET = "benchmark-secret"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _database(kind: str, folder: Path) -> tuple[str, callable]:
    """A fresh database URL and a function that drops it."""
    if kind == "sqlite":
        return f"sqlite:///{folder / 'bench.db'}", lambda: None
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    base = make_url(POSTGRES)
    name = f"matcher_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))

    def drop() -> None:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return base.set(database=name).render_as_string(hide_password=False), drop


def load(url: str, workshops: int, orders: int) -> dict:
    """Migrate, load a generated cluster and create the accounts; the keys and ids to use."""
    from sqlalchemy import text
    from sqlalchemy.orm import Session

    from matcher.synthetic import generate_cluster
    from service.dataset import apply_dataset
    from service.db import make_engine, migrate
    from service.models import ApiKey, User
    from service.security import token_digest

    cluster, contacts = generate_cluster(workshops, orders, seed=0)
    engine = make_engine(url)
    migrate(engine)
    keys = {}
    started = time.perf_counter()
    with Session(engine) as session:
        apply_dataset(session, cluster, contacts)
        accounts = [
            ("coordinator", "coordinator", {"territories": sorted({w.territory for w in cluster.workshops})})
        ]
        accounts += [(f"firm-{f.firm_id}", "lead_firm", {"firm_id": f.firm_id}) for f in cluster.lead_firms]
        for name, role, scope in accounts:
            user = User(username=name, role=role, **scope)
            session.add(user)
            session.flush()
            key = f"mk_bench_{name}"
            session.add(
                ApiKey(digest=token_digest(key, SECRET), prefix=key[:8], name="bench", user_id=user.user_id)
            )
            keys[name] = key
        session.commit()
    with engine.connect() as conn:  # fresh planner statistics, as after any bulk load
        conn.execute(text("ANALYZE"))
        conn.commit()
    engine.dispose()
    return {
        "keys": keys,
        "workshops": [w.workshop_id for w in cluster.workshops],
        "orders": [(o.order_id, o.firm_id) for o in cluster.orders],
        "load_seconds": time.perf_counter() - started,
    }


def serve(url: str, port: int, workers: int) -> subprocess.Popen:
    env = {**os.environ, "MATCHER_DATABASE_URL": url, "MATCHER_SECRET_KEY": SECRET}
    code = f"from service.server import run; run('127.0.0.1', {port}, workers={workers})"
    proc = subprocess.Popen([sys.executable, "-c", code], env=env)
    import httpx2 as httpx

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/openapi.json", timeout=1).status_code == 200:
                return proc
        except httpx.HTTPError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError("the service did not start")


class _Connections:
    """A pool of keep-alive HTTP/1.1 connections, speaking just enough HTTP for the benchmark.

    A full client library costs more CPU per request than the server it
    measures on two cores; this one writes a request and reads one response.
    """

    def __init__(self, host: str, port: int, size: int) -> None:
        self.host, self.port = host, port
        self.free: asyncio.Queue = asyncio.Queue()
        self.size = size
        self.opened = 0

    async def _take(self) -> tuple[asyncio.StreamReader, asyncio.StreamWriter, bool]:
        if self.free.empty() and self.opened < self.size:
            self.opened += 1
            reader, writer = await asyncio.open_connection(self.host, self.port)
            return reader, writer, False
        reader, writer = await self.free.get()
        return reader, writer, True

    async def request(self, method: str, path: str, headers: dict[str, str]) -> int:
        reader, writer, reused = await self._take()
        try:
            status = await self._exchange(reader, writer, method, path, headers)
        except (asyncio.IncompleteReadError, ConnectionError):
            writer.close()
            if not reused:
                self.opened -= 1
                raise
            # The server closed an idle connection: ask again on a new one, as HTTP clients do.
            reader, writer = await asyncio.open_connection(self.host, self.port)
            try:
                status = await self._exchange(reader, writer, method, path, headers)
            except BaseException:
                writer.close()
                self.opened -= 1
                raise
        except BaseException:
            writer.close()
            self.opened -= 1
            raise
        self.free.put_nowait((reader, writer))
        return status

    async def _exchange(self, reader, writer, method: str, path: str, headers: dict[str, str]) -> int:
        lines = [f"{method} {path} HTTP/1.1", f"Host: {self.host}", "Content-Length: 0"]
        lines += [f"{k}: {v}" for k, v in headers.items()]
        writer.write(("\r\n".join(lines) + "\r\n\r\n").encode())
        head = await reader.readuntil(b"\r\n\r\n")
        status = int(head.split(b" ", 2)[1])
        length = 0
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value)
        await reader.readexactly(length)
        return status


async def _open_loop(pool: _Connections, requests: list[tuple[str, str, dict]], rate: float):
    """Send ``requests`` at ``rate`` per second; latencies (ms, from the scheduled time) and errors."""
    latencies = [0.0] * len(requests)
    errors: Counter[str] = Counter()
    start = time.perf_counter() + 0.05

    async def one(i: int, method: str, path: str, headers: dict) -> None:
        scheduled = start + i / rate
        await asyncio.sleep(max(0.0, scheduled - time.perf_counter()))
        try:
            status = await asyncio.wait_for(pool.request(method, path, headers), timeout=60)
            if status >= 400:
                errors[f"HTTP {status}"] += 1
        except Exception as exc:  # counted as an error, like a refused request
            errors[type(exc).__name__] += 1
        latencies[i] = (time.perf_counter() - scheduled) * 1000

    await asyncio.gather(*(one(i, m, p, h) for i, (m, p, h) in enumerate(requests)))
    return latencies, errors


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def measure(port: int, data: dict, rate: float, seconds: float, seed: int) -> list[dict]:
    rng = random.Random(seed)
    coordinator = {"X-API-Key": data["keys"]["coordinator"]}
    reads, kinds = [], []
    for _ in range(int(rate * seconds)):
        kind = rng.randrange(5)
        w = rng.choice(data["workshops"])
        o, _firm = rng.choice(data["orders"])
        path = (
            f"/workshops?limit=50&offset={rng.randrange(0, 9000)}",
            f"/workshops/{w}",
            f"/ties?workshop={w}&limit=50",
            f"/orders/{o}",
            "/orders?limit=50",
        )[kind]
        reads.append(("GET", path, coordinator))
        kinds.append(
            ("a page of workshops", "one workshop", "a workshop's ties", "one order", "a page of orders")[
                kind
            ]
        )
    shortlists = [
        ("POST", f"/orders/{o}/shortlists", {"X-API-Key": data["keys"][f"firm-{f}"]})
        for o, f in data["orders"]
        if f is not None and f"firm-{f}" in data["keys"]
    ]

    async def run() -> list[dict]:
        pool = _Connections("127.0.0.1", port, size=64)
        await asyncio.sleep(5)  # each server process warms its cluster snapshot on start
        # Warm up: connections, each process's cached cluster, the first query plans.
        await _open_loop(pool, reads[:100], rate)
        await _open_loop(pool, [(m, p + "?top=1", h) for m, p, h in shortlists[:6]], 2.0)
        lat, err = await _open_loop(pool, reads, rate)
        rows = [{"what": f"reads ({rate:g}/s)", "latencies": lat, "errors": err, "target": 50.0}]
        for name in dict.fromkeys(kinds):
            part = [x for x, k in zip(lat, kinds, strict=True) if k == name]
            rows.append(
                {"what": f"  of which {name}", "latencies": part, "errors": Counter(), "target": None}
            )
        for label in ("shortlists, computed", "shortlists, stored"):
            lat, err = await _open_loop(pool, shortlists, 4.0)
            rows.append({"what": f"{label} (4/s)", "latencies": lat, "errors": err, "target": 200.0})
        return rows

    return asyncio.run(run())


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database", choices=("postgresql", "sqlite", "both"), default="both")
    parser.add_argument("--workshops", type=int, default=10_000)
    parser.add_argument("--orders", type=int, default=50)
    parser.add_argument("--rate", type=float, default=100.0, help="reads per second")
    parser.add_argument("--seconds", type=float, default=30.0, help="length of the read phase")
    parser.add_argument("--workers", type=int, default=2, help="server processes")
    args = parser.parse_args()
    kinds = ("postgresql", "sqlite") if args.database == "both" else (args.database,)
    body = []
    failures = []
    for kind in kinds:
        with tempfile.TemporaryDirectory() as folder:
            url, drop = _database(kind, Path(folder))
            try:
                data = load(url, args.workshops, args.orders)
                print(
                    f"{kind}: loaded {args.workshops:,} workshops in {data['load_seconds']:.1f} s", flush=True
                )
                port = _free_port()
                proc = serve(url, port, args.workers)
                try:
                    rows = measure(port, data, args.rate, args.seconds, seed=0)
                finally:
                    proc.terminate()
                    proc.wait(timeout=30)
            finally:
                drop()
        for r in rows:
            if r["errors"]:
                failures.append((kind, r["what"], r["errors"]))
            lat = r["latencies"]
            p99 = _pct(lat, 0.99)
            body.append((
                kind, r["what"], f"{len(lat):,}", f"{_pct(lat, 0.5):.1f}", f"{_pct(lat, 0.95):.1f}",
                f"{p99:.1f}", f"{max(lat):.1f}", str(sum(r["errors"].values())), fmt(r["target"], ".0f"),
                "-" if r["target"] is None else "yes" if p99 <= r["target"] and not r["errors"] else "NO",
            ))  # fmt: skip
    print()
    print(f"{args.workshops:,} workshops, {args.orders} orders; latency in ms from the scheduled send time")
    columns = ("database", "requests", "n", "p50", "p95", "p99", "max", "errors", "target p99", "met")
    print(text_table(columns, body))
    for kind, what, errors in failures:
        print(f"errors, {kind} {what}: {dict(errors)}")


if __name__ == "__main__":
    main()
