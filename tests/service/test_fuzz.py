"""Every operation fuzzed from the OpenAPI schema, as every kind of caller: no 5xx, no answer off its schema.

`Schemathesis <https://schemathesis.readthedocs.io>`_ reads ``/openapi.json``
and, for each role (admin, coordinator, lead firm, anonymous), runs all its
phases against a real server on loopback: examples, coverage (boundary and
invalid values of every parameter and field), fuzzing (random valid and
invalid requests) and stateful (chains of requests following the links the
schema declares: create, then read, change, delete). Each role starts from a
fresh copy of the world. The run is seeded and bounded by examples per
operation, so it is the same run every time; ``benchmarks/fuzz.py`` runs the
same thing longer (``tests/service/fuzzing.py`` holds what both run).

What must hold, counted by the server itself (every answer it started) and by
schemathesis' checks: no answer 5xx, every answer within the schema of its
operation (body, content type, headers), and at least ``REQUESTS_PER_RUN``
requests in each of the eight runs (10,000 in all).
"""

from __future__ import annotations

import pytest

from matcher_service.app import create_app
from tests.service.conftest import live_server, make_settings, reset_database
from tests.service.fuzzing import ROLES, Tally, fuzz

#: Test cases per operation and phase (the coverage phase adds its own boundary cases).
EXAMPLES = 2
#: Requests each run must reach: the eight runs (four roles, two databases) send at least 10,000.
REQUESTS_PER_RUN = 1_250


@pytest.mark.slow
@pytest.mark.parametrize("who", list(ROLES))
def test_fuzzing_finds_no_server_error_and_no_answer_off_schema(database_url, backend, who, tmp_path):
    app = create_app(make_settings(database_url))
    tally = Tally(app)
    with live_server(tally) as url:
        reset_database(app)
        app.state.settings.k_anonymity = 4
        result = fuzz(url, who, seed=ROLES[who], examples=EXAMPLES, report=tmp_path / "report.json")
    served = sum(tally.statuses.values())
    print(
        f"\nfuzzed as {who} on {backend}: {served} requests, "
        f"{result['test_cases']['generated']} test cases, statuses {dict(sorted(tally.statuses.items()))}"
    )
    failures = result["failures"]
    assert not tally.failing, f"answers 5xx: {tally.failing[:10]}"
    assert not failures, "\n".join(
        [f"{f['code']} {f['title']}: {f['operations']}" for f in failures] + [result["output"][-6000:]]
    )
    assert result["complete"] and not result["errors"], result["output"][-6000:]
    assert result["operations"]["tested"] == result["operations"]["total"] > 50
    assert served >= REQUESTS_PER_RUN
