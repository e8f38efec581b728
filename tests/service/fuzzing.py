"""Fuzzing the service from its OpenAPI schema with schemathesis, as one role, against a server on loopback.

Shared by ``tests/service/test_fuzz.py`` (a bounded, seeded run in the suite)
and ``benchmarks/fuzz.py`` (the same, longer). :func:`fuzz` runs schemathesis'
own command (``python -m schemathesis.cli run``) with every phase and the checks
of :data:`CHECKS`, and returns its JSON report; :class:`Tally` counts, on the
server's side, the status of every answer.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

from tests.service.conftest import KEYS

__all__ = ["CHECKS", "ROLES", "Tally", "fuzz"]

#: Who fuzzes, with the seed of their run.
ROLES = {"admin": 1, "coordinator": 2, "lead_firm": 3, "anyone": 4}
#: The checks of every answer: no server error, and nothing outside the operation's schema.
CHECKS = ",".join(
    (
        "not_a_server_error",
        "response_schema_conformance",
        "content_type_conformance",
        "response_headers_conformance",
    )
)


class Tally:
    """ASGI middleware counting the status of every answer the server starts."""

    def __init__(self, app) -> None:
        self.app = app
        self.statuses: Counter[int] = Counter()
        self.failing: list[str] = []

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def counted(message) -> None:
            if message["type"] == "http.response.start":
                self.statuses[message["status"]] += 1
                if message["status"] >= 500:
                    self.failing.append(f"{scope['method']} {scope['path']}?{scope['query_string'].decode()}")
            await send(message)

        await self.app(scope, receive, counted)


def fuzz(url: str, who: str, *, seed: int, examples: int, report: Path, workers: int = 1) -> dict:
    """Run schemathesis' command against ``url`` as ``who``; its JSON report."""
    command = [
        sys.executable,
        "-m",
        "schemathesis.cli",
        "run",
        f"{url}/openapi.json",
        "--phases",
        "examples,coverage,fuzzing,stateful",
        "--checks",
        CHECKS,
        "--seed",
        str(seed),
        "--max-examples",
        str(examples),
        "--workers",
        str(workers),
        "--suppress-health-check",
        "all",
        "--request-timeout",
        "60",
        "--report",
        "json",
        "--report-json-path",
        str(report),
        "--warnings",
        "off",
    ]
    if who != "anyone":
        command += ["--header", f"X-API-Key: {KEYS[who]}"]
    # Run in the report's folder: schemathesis keeps its own state beside where it runs.
    done = subprocess.run(
        command, capture_output=True, text=True, timeout=900, check=False, cwd=report.parent
    )
    if not report.exists():
        raise AssertionError(f"schemathesis wrote no report:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    result = json.loads(report.read_text())
    result["output"] = done.stdout
    return result
