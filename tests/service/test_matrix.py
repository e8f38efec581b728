"""Every route × every role × (own / other's / missing object) answers as its case says."""

from __future__ import annotations

import pytest
from fastapi.routing import APIRoute

from matcher_service.app import api_routes, create_app
from matcher_service.auth import route_roles
from tests.service.cases import all_cases
from tests.service.conftest import MATRIX_ROLES, make_settings
from tests.service.matrix import WRITES, Case

CASES = all_cases()


def _routes() -> dict[tuple[str, str], APIRoute]:
    app = create_app(make_settings("sqlite://"))
    routes = {}
    for route in api_routes(app):
        for method in route.methods:
            routes[(method, route.path)] = route
    return routes


ROUTES = _routes()


def test_every_route_has_a_case():
    declared = {c.key for c in CASES}
    assert len(declared) == len(CASES), "two cases for one route"
    missing = sorted(set(ROUTES) - declared)
    assert not missing, f"routes without an authorization case: {missing}"
    stale = sorted(declared - set(ROUTES))
    assert not stale, f"cases for routes that do not exist: {stale}"


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c.method} {c.path}")
def test_declared_roles_match(case: Case):
    route = ROUTES.get(case.key)
    assert route is not None
    assert route_roles(route) == frozenset({*case.roles, "admin"})


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c.method} {c.path}")
def test_matrix(world, case: Case):
    failures = []
    for role in MATRIX_ROLES:
        for which in case.contexts:
            expected = case.expected(role, which)
            response = case.send(world, role, which)
            if response.status_code != expected:
                failures.append(
                    f"{role:12} {which:7} {case.method} {case.url(role, which)}: "
                    f"{response.status_code} (expected {expected}) {response.text[:160]}"
                )
            if "traceback" in response.text.lower():
                failures.append(f"{role} {which}: a traceback in the response")
            if case.method in WRITES and response.status_code < 300:
                world.reset()
    assert not failures, "\n".join(failures)


def test_openapi_describes_every_error_answer():
    schema = create_app(make_settings("sqlite://")).openapi()
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            codes = set(operation["responses"])
            assert {"401", "403", "404", "422", "500"} <= codes, (method, path)
            assert operation["x-roles"], (method, path)
            if method in ("patch", "put"):
                assert {"409", "412", "428"} <= codes, (method, path)
            error = operation["responses"]["404"]["content"]["application/json"]["schema"]
            assert error == {"$ref": "#/components/schemas/ErrorBody"}
    assert "429" in schema["paths"]["/auth/token"]["post"]["responses"]
