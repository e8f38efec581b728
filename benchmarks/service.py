"""Latency of the web service under load, with a cluster of 20,000 workshops loaded, on loopback.

    python benchmarks/service.py                       # PostgreSQL and SQLite, 20,000 workshops, 60 s
    python benchmarks/service.py --database sqlite --seconds 5 --workshops 1000

What must hold, on each database (PostgreSQL and SQLite): reads at 100
requests/s for 60 s with 20,000 workshops loaded have a p99 of 50 ms or less,
while the public summary is asked for 40 times a second (the service's cached
answer) with a p99 of 50 ms or less too; no request fails.

For each database:

1. *Loading* (not timed): a fresh database is migrated and loaded with a
   generated cluster (as ``matcher generate --workshops 20000 --orders 50
   --seed 0`` makes it), one account per lead firm and a coordinator of every
   territory are created, and the database is vacuumed and analysed as after any bulk load.
2. *Start*: the service is started as in production, by ``matcher serve``
   (two uvicorn processes, one per core, unless ``--workers`` says otherwise), with every
   ``MATCHER_*`` setting at its default (a secret key apart), the public
   summary's refresh period ``MATCHER_PUBLIC_SUMMARY_SECONDS`` included, and
   in an empty working directory (no ``.env`` read). Timing starts only once
   the service is ready: its start-up warming (cluster snapshot, network view
   of the whole cluster) is done, the public summary has been computed once
   (later calls get the cached one), and the server has stopped using the CPU.
3. *Warm-up* (not counted): one second of both streams below, and a few
   shortlists, to open the connections and prepare the first query plans.
4. *Timed window* (``--seconds``, 60 by default): two open-loop streams at
   once, each on its own keep-alive connections (open loop: each request
   leaves at its scheduled time whatever the previous ones did, and its
   latency is counted from that time, so a slow server cannot hide its queue):

   * reads at 100 requests/s as the coordinator, in random mix: a page of
     workshops, one workshop, the ties of a workshop, one order, a page of
     orders;
   * the public summary at 40 requests/s, anonymous (``/public/summary``).

5. *Shortlists*, after the timed window and alone, so that their computation
   does not weigh on the reads: each order's lead firm asks for a shortlist of
   its order once (computed: none is stored for this data version yet), then
   once more (the stored one is returned), 4 requests/s each pass.

Targets, each row of the table passing when its p99 is within the target and
it had no error: reads p99 <= 50 ms; public summary p99 <= 50 ms; a computed
shortlist p99 <= 200 ms (a stored one too). The rows "of which" split the
reads by kind and have no target of their own. The exit status is 1 when a
target is missed.

The load generator shares the machine with the server and the database, so
the figures mean something only when nothing else runs.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
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
from benchmarks._table import fmt, markdown_table, text_table, write_results

POSTGRES = os.environ.get("MATCHER_BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
SECRET = "benchmark-secret"

#: Target p99 (ms) of the reads, of the public summary and of a shortlist.
READS_P99, SUMMARY_P99, SHORTLIST_P99 = 50.0, 50.0, 200.0

#: The kinds of read in the mix, in the order :func:`_reads` draws them.
READ_KINDS = ("a page of workshops", "one workshop", "a workshop's ties", "one order", "a page of orders")


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
    from matcher_service.dataset import apply_dataset
    from matcher_service.db import make_engine, migrate
    from matcher_service.models import ApiKey, User
    from matcher_service.security import token_digest

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
    # After a bulk load, as its documentation advises (and autovacuum would do, perhaps in the
    # middle of the timed window): PostgreSQL's VACUUM ANALYZE marks the pages all-visible, so that
    # an index can answer alone, and refreshes the planner's statistics; SQLite's ANALYZE the latter.
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM ANALYZE" if engine.dialect.name == "postgresql" else "ANALYZE"))
    engine.dispose()
    return {
        "keys": keys,
        "workshops": [w.workshop_id for w in cluster.workshops],
        "orders": [(o.order_id, o.firm_id) for o in cluster.orders],
        "load_seconds": time.perf_counter() - started,
    }


def _tree_cpu_seconds(pid: int) -> float:
    """CPU time (user and system, s) used so far by process ``pid`` and its descendants (Linux)."""
    total, todo = 0.0, [pid]
    tick = os.sysconf("SC_CLK_TCK")
    while todo:
        current = todo.pop()
        try:
            stat = Path(f"/proc/{current}/stat").read_text()
            fields = stat.rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / tick
            for task in Path(f"/proc/{current}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except (OSError, ValueError, IndexError):
            continue
    return total


def _settle(pid: int, *, busy: float = 0.05, window: float = 1.0, timeout: float = 600.0) -> None:
    """Wait until the server's processes use less than ``busy`` of a core for two ``window`` in a row."""
    if not Path(f"/proc/{pid}/stat").exists():  # no /proc: give the start-up a few seconds
        time.sleep(5)
        return
    quiet = 0
    deadline = time.monotonic() + timeout
    before = _tree_cpu_seconds(pid)
    while quiet < 2 and time.monotonic() < deadline:
        time.sleep(window)
        now = _tree_cpu_seconds(pid)
        quiet = quiet + 1 if now - before < busy * window else 0
        before = now


def serve(
    url: str,
    port: int,
    workers: int,
    folder: Path,
    keys: dict[str, str],
    *,
    env: dict[str, str] | None = None,
) -> subprocess.Popen:
    """Start ``matcher serve`` on ``url`` and return once it is ready to be timed.

    Ready: it answers, its start-up warming is over (the network view of the
    whole cluster, asked for as the coordinator, comes back from its cache),
    the public summary has been computed once, and its processes are idle.

    Parameters
    ----------
    url : str
        SQLAlchemy URL of the loaded database.
    port : int
        Port to listen on (loopback).
    workers : int
        Server processes (``matcher serve --workers``; production runs one).
    folder : Path
        Working directory of the server (empty: no ``.env`` is read).
    keys : dict of str to str
        API keys by account name; the coordinator's asks for the network view.
    env : dict of str to str, optional
        ``MATCHER_*`` settings other than the defaults (the secret key is always set).

    Returns
    -------
    subprocess.Popen
        The server process, to be terminated by the caller.
    """
    import httpx2 as httpx

    settings = {k: v for k, v in os.environ.items() if not k.startswith("MATCHER_")}
    settings.update(env or {}, MATCHER_SECRET_KEY=SECRET)
    code = "from matcher.cli import main; main()"
    command = [sys.executable, "-c", code, "serve", "--host", "127.0.0.1", "--port", str(port)]
    command += ["--database-url", url, "--workers", str(workers)]
    proc = subprocess.Popen(
        command, env=settings, cwd=folder, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("the service did not start")
            try:
                if httpx.get(f"{base}/openapi.json", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        with httpx.Client(base_url=base, timeout=600) as client:
            _settle(proc.pid)
            client.get("/views/network", headers={"X-API-Key": keys["coordinator"]}).raise_for_status()
            client.get("/public/summary").raise_for_status()
        _settle(proc.pid)
    except BaseException:
        proc.kill()
        proc.wait()
        raise
    return proc


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


def _reads(data: dict, count: int, rng: random.Random) -> tuple[list[tuple[str, str, dict]], list[str]]:
    """``count`` reads of the mix as the coordinator, and the kind of each."""
    coordinator = {"X-API-Key": data["keys"]["coordinator"]}
    last_page = max(1, len(data["workshops"]) - 50)
    reads, kinds = [], []
    for _ in range(count):
        kind = rng.randrange(len(READ_KINDS))
        w = rng.choice(data["workshops"])
        o, _firm = rng.choice(data["orders"])
        path = (
            f"/workshops?limit=50&offset={rng.randrange(0, last_page)}",
            f"/workshops/{w}",
            f"/ties?workshop={w}&limit=50",
            f"/orders/{o}",
            "/orders?limit=50",
        )[kind]
        reads.append(("GET", path, coordinator))
        kinds.append(READ_KINDS[kind])
    return reads, kinds


def measure(port: int, data: dict, rate: float, summary_rate: float, seconds: float, seed: int) -> list[dict]:
    """The rows of one database: the timed window's two streams, then the shortlists alone.

    Parameters
    ----------
    port : int
        Port of the ready server.
    data : dict
        What :func:`load` returned (keys, workshop and order ids).
    rate, summary_rate : float
        Reads and public summaries per second in the timed window.
    seconds : float
        Length of the timed window.
    seed : int
        Seed of the read mix.

    Returns
    -------
    list of dict
        One row per stream: ``what``, ``latencies`` (ms), ``errors`` and ``target`` (p99, ms, or None).
    """
    rng = random.Random(seed)
    reads, kinds = _reads(data, int(rate * seconds), rng)
    summaries = [("GET", "/public/summary", {})] * int(summary_rate * seconds)
    warm_reads, _ = _reads(data, int(rate), random.Random(seed + 1))
    warm_summaries = summaries[: int(summary_rate)]
    shortlists = [
        ("POST", f"/orders/{o}/shortlists", {"X-API-Key": data["keys"][f"firm-{f}"]})
        for o, f in data["orders"]
        if f is not None and f"firm-{f}" in data["keys"]
    ]

    async def run() -> list[dict]:
        pool = _Connections("127.0.0.1", port, size=64)
        public = _Connections("127.0.0.1", port, size=32)  # anonymous callers, other connections
        # Warm-up: connections, the first query plans, the shortlist code (other parameters than below).
        await asyncio.gather(
            _open_loop(pool, warm_reads, rate), _open_loop(public, warm_summaries, summary_rate)
        )
        await _open_loop(pool, [(m, p + "?top=1", h) for m, p, h in shortlists[:6]], 2.0)
        # The load generator must not pause in the window: its requests would leave late, and their
        # latency, counted from the scheduled time, would be the generator's. What it holds is
        # frozen and its cyclic collector (a pass over every object it holds) waits for the end.
        gc.collect()
        gc.freeze()
        gc.disable()
        try:
            (lat, err), (summary_lat, summary_err) = await asyncio.gather(
                _open_loop(pool, reads, rate), _open_loop(public, summaries, summary_rate)
            )
        finally:
            gc.enable()
            gc.unfreeze()
        rows = [{"what": f"reads ({rate:g}/s)", "latencies": lat, "errors": err, "target": READS_P99}]
        for name in READ_KINDS:
            part = [x for x, k in zip(lat, kinds, strict=True) if k == name]
            if part:
                rows.append(
                    {"what": f"  of which {name}", "latencies": part, "errors": Counter(), "target": None}
                )
        rows.append({
            "what": f"public summary ({summary_rate:g}/s, cached)",
            "latencies": summary_lat, "errors": summary_err, "target": SUMMARY_P99,
        })  # fmt: skip
        for label in ("computed", "stored"):
            lat, err = await _open_loop(pool, shortlists, 4.0)
            rows.append({
                "what": f"shortlists, {label} (4/s, afterwards)",
                "latencies": lat, "errors": err, "target": SHORTLIST_P99,
            })  # fmt: skip
        return rows

    return asyncio.run(run())


def _row(kind: str, r: dict) -> tuple[str, ...]:
    """One line of the table: counts, percentiles, target and whether it is met."""
    lat, errors = r["latencies"], sum(r["errors"].values())
    if not lat:
        return (kind, r["what"], "0", str(errors), "-", "-", "-", "-", fmt(r["target"], ".0f"), "-")
    p99 = _pct(lat, 0.99)
    met = "-" if r["target"] is None else "pass" if p99 <= r["target"] and not errors else "FAIL"
    return (
        kind, r["what"], f"{len(lat):,}", str(errors), f"{_pct(lat, 0.5):.1f}", f"{_pct(lat, 0.95):.1f}",
        f"{p99:.1f}", f"{max(lat):.1f}", fmt(r["target"], ".0f"), met,
    )  # fmt: skip


def main() -> None:
    """Run the benchmark on the databases asked for and print the table."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database", choices=("postgresql", "sqlite", "both"), default="both")
    parser.add_argument("--workshops", type=int, default=20_000, help="workshops of the generated cluster")
    parser.add_argument("--orders", type=int, default=50, help="orders of the generated cluster")
    parser.add_argument("--rate", type=float, default=100.0, help="reads per second")
    parser.add_argument("--summary-rate", type=float, default=40.0, help="public summaries per second")
    parser.add_argument("--seconds", type=float, default=60.0, help="length of the timed window")
    parser.add_argument("--workers", type=int, default=2, help="server processes (matcher serve --workers)")
    args = parser.parse_args()
    kinds = ("postgresql", "sqlite") if args.database == "both" else (args.database,)
    body = []
    failures = []
    missed = False
    for kind in kinds:
        with tempfile.TemporaryDirectory() as folder:
            url, drop = _database(kind, Path(folder))
            try:
                data = load(url, args.workshops, args.orders)
                print(
                    f"{kind}: loaded {args.workshops:,} workshops in {data['load_seconds']:.1f} s", flush=True
                )
                port = _free_port()
                started = time.perf_counter()
                proc = serve(url, port, args.workers, Path(folder), data["keys"])
                print(f"{kind}: service ready in {time.perf_counter() - started:.1f} s", flush=True)
                try:
                    rows = measure(port, data, args.rate, args.summary_rate, args.seconds, seed=0)
                finally:
                    proc.terminate()
                    proc.wait(timeout=30)
            finally:
                drop()
        for r in rows:
            if r["errors"]:
                failures.append((kind, r["what"], r["errors"]))
            body.append(_row(kind, r))
            missed |= body[-1][-1] == "FAIL"
    caption = (
        f"{args.workshops:,} workshops, {args.orders} orders, {args.workers} server process(es); "
        f"timed window {args.seconds:g} s: reads and the public summary together, shortlists afterwards.\n"
        "Latency in ms from the scheduled send time; pass: p99 within the target and no error."
    )
    columns = ("database", "stream", "count", "errors", "p50", "p95", "p99", "max", "target p99", "pass")
    error_lines = [f"errors, {kind} {what.strip()}: {dict(counts)}" for kind, what, counts in failures]
    print(f"\n{caption}")
    print(text_table(columns, body))
    for line in error_lines:
        print(line)
    write_results("service", [caption, markdown_table(columns, body), *error_lines])
    raise SystemExit(1 if missed else 0)


if __name__ == "__main__":
    main()
