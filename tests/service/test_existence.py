"""An object outside the caller's scope is answered exactly as one that does not exist.

For every route of the authorization matrix (:mod:`tests.service.cases`) and
every role it allows but an admin, where the case says both another's object
and a missing one get 404, the two answers must be the same apart from the id
asked for: status, code, message (in English and Spanish), details and header
names. A few calls the matrix does not make are compared the same way (a tie or
a group naming a workshop of another territory, an import of another
territory's workshop id).
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.service.cases import all_cases
from tests.service.matrix import MISSING, OTHER, WRITES, Case

CASES = all_cases()

#: Headers that differ with the id's length or the request, whatever the object.
VARYING = {"content-length", "date"}


def _leaves(value: Any) -> list[str]:
    """Every scalar in a body, query or path parameters, as text."""
    if isinstance(value, dict):
        return [leaf for v in value.values() for leaf in _leaves(v)]
    if isinstance(value, list | tuple):
        return [leaf for v in value for leaf in _leaves(v)]
    return [] if value is None else [str(value)]


def _without(text: str, values: list[str]) -> str:
    """``text`` with every whole occurrence of ``values`` (longest first) replaced by ``<id>``.

    A number is also found as a message writes it (``12,345``; Spanish ``12.345``).
    """
    grouped = [f"{int(v):,}" for v in values if v.isdigit()]
    values = [*values, *grouped, *(g.replace(",", ".") for g in grouped)]
    for value in sorted(set(values), key=len, reverse=True):
        text = re.sub(rf"(?<![\w-]){re.escape(value)}(?![\w-])", "<id>", text)
    return text


def _answer(response, values: list[str]) -> tuple[int, str, list[str]]:
    headers = sorted(h for h in response.headers if h.lower() not in VARYING)
    return response.status_code, _without(response.text, values), headers


def _asked(case: Case, role: str, which: str) -> list[str]:
    values = []
    for part in (case.params, case.query, None if case.form else case.body):
        if part is not None:
            values.extend(_leaves(part(role, which)))
    return values


def _compared(case: Case) -> list[str]:
    """The roles (admins aside) for which the case expects another's object and a missing one alike: 404."""
    if OTHER not in case.contexts or MISSING not in case.contexts:
        return []
    return [
        role
        for role in sorted(case.roles)
        if case.expected(role, OTHER) == case.expected(role, MISSING) == 404
    ]


COMPARED = [case for case in CASES if _compared(case)]


def test_the_comparison_covers_every_kind_of_object():
    paths = {case.path for case in COMPARED}
    for thing in ("workshop_id", "order_id", "tie_id", "firm_id", "organization_id", "shortlist_id"):
        assert any(f"{{{thing}}}" in p for p in paths), thing
    for thing in ("job_id", "release_id"):
        assert any(f"{{{thing}}}" in p for p in paths), thing
    # Users are an admin's alone: every other role gets 403 whatever the user (see test_matrix).
    assert not any("{user_id}" in case.path for case in COMPARED)


@pytest.mark.parametrize("case", COMPARED, ids=lambda c: f"{c.method} {c.path}")
def test_another_scope_is_answered_as_nothing(world, case: Case):
    failures = []
    for role in _compared(case):
        for lang in ("en", "es"):
            answers = {}
            for which in (OTHER, MISSING):
                response = case.send(world, role, which, params={"lang": lang})
                answers[which] = _answer(response, _asked(case, role, which))
                if case.method in WRITES and response.status_code < 300:
                    world.reset()
            if answers[OTHER] != answers[MISSING] or answers[OTHER][0] != 404:
                failures.append(f"{role} {lang}: {answers[OTHER]} != {answers[MISSING]}")
    assert not failures, "\n".join(failures)


def _same(world, who: str, method: str, url: str, asked: dict[str, Any], unknown: dict[str, Any], **kw):
    """``asked`` (naming another's object) and ``unknown`` (naming none) get the same answer."""
    answers = []
    for lang in ("en", "es"):
        for values in (asked, unknown):
            call = {key: value(values) if callable(value) else value for key, value in kw.items()}
            response = world.as_(who, method, url, params={"lang": lang, **call.pop("params", {})}, **call)
            answers.append(_answer(response, _leaves(values)))
    assert answers[0] == answers[1] and answers[2] == answers[3], answers
    return answers[0]


def test_a_tie_to_another_territory_is_a_tie_to_no_workshop(world):
    for end in ("source", "target"):
        status, text, _ = _same(
            world,
            "coordinator",
            "POST",
            "/ties",
            {"w": "W5"},
            {"w": "NOPE"},
            json=lambda v, end=end: {"source": "W1", "target": "W1", end: v["w"], "kind": "kinship"},
        )
        assert status == 422 and "T2" not in text


def test_a_group_with_another_organizations_workshop_is_a_group_with_none(world):
    for who, own, other in (
        ("coordinator", "W2", "W5"),
        ("association_leader", "W2", "W5"),
        ("association_leader2", "W6", "W4"),
    ):
        status, _, _ = _same(
            world,
            who,
            "POST",
            "/analysis/group",
            {"w": other},
            {"w": "NOPE"},
            json=lambda v, own=own: {"workshop_ids": [own, v["w"]]},
        )
        assert status == 404


def test_an_import_of_another_territorys_workshop_id_says_nothing_of_it(world):
    text = "workshop_id,territory,workers,products,processes,organizations\nW5,T1,3,tshirt,sewing,ORG1\n"
    files = [("files", ("workshops.csv", text.encode(), "text/csv"))]
    for lang, said in (
        ("en", "the id W5 cannot be used; choose another"),
        ("es", "el identificador W5 no se puede usar; elija otro"),
    ):
        r = world.as_("coordinator", "POST", "/imports", files=files, params={"lang": lang})
        assert r.status_code == 403, r.text
        (problem,) = r.json()["error"]["details"]
        assert problem["column"] == "workshop_id" and problem["message"].lower() == said.lower()
        for word in ("T2", "ORG2", "Owner Name 5", "scope", "alcance", "exist"):
            assert word not in problem["message"], word
    assert world.as_("admin", "GET", "/workshops/W5").json()["territory"] == "T2"
