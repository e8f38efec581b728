"""A long schemathesis run of every operation, as every kind of caller, on both databases.

    python benchmarks/fuzz.py                          # 50 examples, PostgreSQL and SQLite
    python benchmarks/fuzz.py --examples 200 --database sqlite --seed 7

The suite's ``tests/service/test_fuzz.py`` runs the same thing bounded (2
examples per operation); this one runs it as long as asked. For each database
and role (admin, coordinator, lead firm, anonymous) a fresh copy of the test
world is served on loopback and schemathesis runs all its phases (examples,
coverage, fuzzing, stateful) with the checks of ``tests/service/fuzzing.py``:
no answer 5xx, every answer within its operation's schema.

The table gives, per run, the requests the server answered (counted by the
server), the answers 5xx, the failures schemathesis found (server errors and
answers off the schema) and the time. Targets: 0 answers 5xx, 0 failures.
The command exits 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks._table import markdown_table, text_table, write_results
from benchmarks.service import _database


def _run(database: str, who: str, seed: int, examples: int, folder: Path) -> list[str]:
    from matcher_service.app import create_app
    from tests.service.conftest import live_server, make_settings, reset_database
    from tests.service.fuzzing import Tally, fuzz

    room = folder / f"{database}-{who}"
    room.mkdir()
    url, drop = _database(database, room)
    try:
        app = create_app(make_settings(url))
        tally = Tally(app)
        started = time.perf_counter()
        with live_server(tally) as base:
            reset_database(app)
            app.state.settings.k_anonymity = 4
            result = fuzz(base, who, seed=seed, examples=examples, report=folder / f"{database}-{who}.json")
        seconds = time.perf_counter() - started
        app.state.engine.dispose()
    finally:
        drop()
    failures = sum(f["count"] for f in result["failures"])
    for f in result["failures"]:
        where = ", ".join(f["operations"])
        print(f"  {database} {who}: {f['code']} {f['title']} in {where}", file=sys.stderr)
    for line in tally.failing[:10]:
        print(f"  {database} {who}: 5xx {line}", file=sys.stderr)
    return [
        database,
        who,
        f"{sum(tally.statuses.values()):,}",
        f"{result['test_cases']['generated']:,}",
        str(sum(n for status, n in tally.statuses.items() if status >= 500)),
        str(failures),
        f"{seconds:.0f}",
    ]


def main(argv: list[str] | None = None) -> int:
    from tests.service.fuzzing import ROLES

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=("postgresql", "sqlite", "both"), default="both")
    parser.add_argument("--examples", type=int, default=50, help="test cases per operation and phase")
    parser.add_argument("--seed", type=int, default=0, help="added to each role's seed")
    args = parser.parse_args(argv)
    databases = ("postgresql", "sqlite") if args.database == "both" else (args.database,)
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        for database in databases:
            for who, seed in ROLES.items():
                rows.append(_run(database, who, seed + args.seed, args.examples, Path(folder)))
                print(f"{database} {who}: done", file=sys.stderr)
    total = sum(int(row[2].replace(",", "")) for row in rows)
    bad = sum(int(row[4]) + int(row[5]) for row in rows)
    columns = ["database", "as", "requests", "test cases", "5xx", "failures", "s"]
    verdict = "pass" if bad == 0 else "FAIL"
    summary = f"{total:,} requests in all; targets: 0 answers 5xx, 0 failures -> {verdict}"
    print(text_table(columns, rows))
    print(f"\n{summary}")
    write_results("fuzz", [markdown_table(columns, rows), summary], argv)
    return 0 if bad == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
