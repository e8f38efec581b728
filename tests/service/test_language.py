"""One language at a time: every error, detail and job message in the request's language; numbers for people.

Spanish is asked for with ``Accept-Language: es`` (as the pages send it); without
it the service answers in English. A message names no route or method.
"""

from __future__ import annotations

import json
import math
import re
import time
from pathlib import Path
from typing import Any

import pytest

from matcher.messages import FORMATS, Message
from matcher_service.auth import current
from matcher_service.errors import ApiError
from matcher_service.jobs import stored
from matcher_service.messages import ENGLISH, ApiMessage
from matcher_service.models import Job
from matcher_service.reading import AMOUNTS, EXACT, MINUTES, SHARES, SIGNIFICANT, for_people, rounded
from tests.service import job_tasks
from tests.service.cases import all_cases
from tests.service.conftest import MATRIX_ROLES
from tests.service.matrix import WRITES
from tests.service.test_jobs import QUICK, wait_for

CATALOGUES = {
    lang: json.loads(
        (
            Path(__file__).resolve().parents[2] / "matcher" / "views" / "static" / "i18n" / f"{lang}.json"
        ).read_text(encoding="utf-8")
    )
    for lang in ("es", "en")
}
FIELD = re.compile(r"\{(\w+)(?::(\w+)|\|([^{}|]*)\|([^{}|]*))?\}")
ES = {"Accept-Language": "es-PY,es;q=0.9"}

#: Words that are English and never Spanish: one of them in a Spanish answer is an untranslated text.
ENGLISH_WORDS = {
    "the", "must", "unknown", "already", "exists", "your", "may", "not", "sign", "found", "invalid",
    "input", "should", "field", "required", "order", "workshop", "job", "cannot", "is", "are", "has",
    "have", "with", "of", "and", "or", "first", "again", "this", "there", "was", "failed", "request",
}  # fmt: skip
#: Words that are Spanish and never English.
SPANISH_WORDS = {"el", "la", "los", "las", "del", "existe", "debe", "su", "ya", "está", "falta", "pedido"}
#: Route and method names, which no message may carry.
ROUTE_NAMES = re.compile(r"\b(GET|POST|PUT|PATCH|DELETE) /|/jobs|/auth/|/views|/orders/")


def words(text: str) -> set[str]:
    return {w.lower() for w in re.findall(r"[^\W\d_]+", text)}


def english_in(text: str) -> set[str]:
    """The English words of a text, field names and codes left out (they stay as the client sends them)."""
    text = re.sub(r"[\w.]+:\s|\w*_\w*", " ", text)
    return words(text) & ENGLISH_WORDS


# ---------------------------------------------------------------- the catalogue


def fields(template: str) -> set[tuple[str, str]]:
    return {(name, form or "") for name, form, one, _ in FIELD.findall(template) if one == ""}


def test_every_service_message_is_in_both_languages():
    for lang, catalogue in CATALOGUES.items():
        keys = {k.removeprefix("api.") for k in catalogue if k.startswith("api.")}
        assert keys == set(ENGLISH), lang
    assert {k: CATALOGUES["en"][f"api.{k}"] for k in ENGLISH} == ENGLISH
    for key, english in ENGLISH.items():
        spanish = CATALOGUES["es"][f"api.{key}"]
        assert fields(spanish) == fields(english), key  # the same arguments, each in the same format
        assert {form for _, form in fields(spanish)} <= set(FORMATS) | {""}, key
        assert spanish != english or not words(english) - {"if", "match", "etag", "http"}, key
        assert not ROUTE_NAMES.search(english) and not ROUTE_NAMES.search(spanish), key


def test_messages_say_plurals_right_in_both_languages():
    in_use = {"firm_id": "F1", "orders": 1, "accounts": 1}
    assert ApiMessage("firms.in_use", in_use).text == (
        "lead firm F1 still has 1 order and 1 user account; delete or reassign them first"
    )
    assert ApiMessage("firms.in_use", {**in_use, "orders": 2, "accounts": 0}).say("es") == (
        "La empresa líder F1 todavía tiene 2 pedidos y 0 cuentas de usuario; "
        "bórrelos o páselos a otra primero"
    )
    assert ApiMessage("data.outside", {"count": 1}).say("es") == "1 fila está fuera de su alcance"
    assert ApiMessage("data.outside", {"count": 3}).text == "3 rows outside your scope"
    short = {"process": "sewing", "need": 20.0, "week": 1.0, "workshops": 1, "have": 15.0}
    assert Message("diagnose.short", short).text == (
        "sewing needs 20 min by week 1; 1 eligible workshop does it, with 15 min free by then."
    )
    assert Message("diagnose.short", short).say("es") == (
        "El proceso de costura necesita 20 min hasta la semana 1; 1 taller elegible lo hace, "
        "con 15 min libres hasta entonces."
    )
    assert Message("data.problems", {"count": 2}).say("es") == "2 problemas en los datos"
    linked = Message("shortlist.group_linked", {"tied": 1, "pairs": 1})
    assert linked.text == "1 of 1 member pair tied; all linked through existing ties."
    assert (
        linked.say("es") == "1 de 1 par de miembros tiene un lazo; todos están unidos por lazos existentes."
    )


def test_no_count_in_a_template_lacks_its_plural():
    """A count followed by a plural noun has a plural choice, unless the count is never 1 there."""
    never_one = {  # counts that are 2 or more where the sentence is said
        "reason.process_split", "reason.process_split_lots", "reason.all_tied_parts", "reason.some_tied",
        "reason.leads", "reason.leads_as_tied", "reason.leads_most_work", "change.max_group_size",
        "change.min_lot", "shortlist.group", "shortlist.group_parts", "shortlist.pool", "part.min_group_size",
        "shortlist.anonymity_short", "why.makes", "why.makes_no_free_minutes", "reason.uses",
        "diagnose.only", "diagnose.lot", "diagnose.cap", "limit.body", "public.method", "problem.limit_rows",
        "mentor.circle_cap", "mentor.pair.hops",  # a circle has 2 members or more; not tied: 2 steps or more
    }  # fmt: skip
    from matcher.messages import ENGLISH as LIBRARY

    nouns = (
        "workshops|orders|ties|pairs|members|rows|problems|accounts|parts|steps|groups|territories|ids|files"
    )
    counted = re.compile(rf"\{{(\w+)(?::n)?\}}\s+(?:member\s+|eligible\s+|user\s+|tied\s+)?({nouns})\b")
    checked = 0
    for table in (LIBRARY, ENGLISH):
        for key, template in table.items():
            for name, noun in counted.findall(template):
                checked += 1
                assert key in never_one or f"{{{name}|" in template, (key, name, noun)
    assert checked > 10


# ---------------------------------------------------------------- each kind of error


def _error(r) -> dict[str, Any]:
    assert r.status_code >= 400, r.text
    return r.json()["error"]


def test_api_errors_in_the_request_language(world):
    # 404 of the service (an id) and of the library (UnknownIdError: a wave)
    es = _error(world.as_("coordinator", "GET", "/orders/O9", headers=ES))
    en = _error(world.as_("coordinator", "GET", "/orders/O9"))
    assert es["message"] == "No existe el pedido O9" and en["message"] == "no order O9"
    r = world.as_("coordinator", "GET", "/analysis/waves", params={"before": "1", "after": "2"}, headers=ES)
    assert r.status_code == 404 and r.json()["error"]["message"] == "No existe la ola de encuesta 1"
    assert r.headers["content-language"] == "es"
    r = world.as_("coordinator", "GET", "/analysis/waves", params={"before": "1", "after": "2"})
    assert r.json()["error"]["message"] == "unknown survey wave 1" and r.headers["content-language"] == "en"
    # 401 and 403
    assert _error(world.as_("anyone", "GET", "/orders", headers=ES))["message"] == (
        "Inicie sesión primero (con un token o una clave de API)"
    )
    es = _error(world.as_("association_leader", "GET", "/orders", headers=ES))["message"]
    en = _error(world.as_("association_leader", "GET", "/orders"))["message"]
    assert es == "Su rol (liderazgo de asociación) no permite hacer esto"
    assert en == "your role (association leader) may not do this"
    # ?lang= wins over the header (a page link); an unknown language is English
    r = world.as_("association_leader", "GET", "/orders?lang=es", headers={"Accept-Language": "en"})
    assert r.json()["error"]["message"].startswith("Su rol")
    r = world.as_("association_leader", "GET", "/orders", headers={"Accept-Language": "fr"})
    assert r.json()["error"]["message"].startswith("your role")


def test_validation_problems_in_the_request_language(world):
    body = {"order_id": "O9", "product": "rocket", "quantity": 0, "due_weeks": 2, "firm_id": "F9"}
    es = _error(world.as_("coordinator", "POST", "/orders", json=body, headers=ES))
    en = _error(world.as_("coordinator", "POST", "/orders", json=body))
    # pydantic's problems: the summary and each detail said; the field stays as sent
    assert es["code"] == en["code"] == "invalid"
    assert [d["field"] for d in es["details"]] == [d["field"] for d in en["details"]] == ["quantity"]
    assert es["message"] == "Datos no válidos: quantity: debe ser mayor o igual a 1"
    assert en["message"] == "invalid input: quantity: Input should be greater than or equal to 1"
    assert es["details"][0]["message"] == "Debe ser mayor o igual a 1"
    # the route's own problems, every one at once
    body["quantity"] = 10
    es = _error(world.as_("coordinator", "POST", "/orders", json=body, headers=ES))
    assert [d["field"] for d in es["details"]] == ["product", "firm_id"]
    assert es["message"] == (
        "Producto desconocido: «rocket»; descríbalo primero en las rutas de procesos; "
        "no existe la empresa líder F9"
    )
    en = _error(world.as_("coordinator", "POST", "/orders", json=body))
    assert (
        en["message"] == "unknown product 'rocket'; describe it in the routings first; unknown lead firm F9"
    )
    # a validator's own refusal (women_workers above workers)
    workshop = {"workshop_id": "W9", "territory": "T1", "workers": 3, "women_workers": 5,
                "products": ["tshirt"], "processes": ["sewing"]}  # fmt: skip
    es = _error(world.as_("coordinator", "POST", "/workshops", json=workshop, headers=ES))
    assert "5 mujeres entre 3 trabajadores" in es["message"] and not english_in(es["message"])
    en = _error(world.as_("coordinator", "POST", "/workshops", json=workshop))
    assert "5 women among 3 workers; women_workers cannot exceed workers" in en["message"]


def test_library_errors_in_the_request_language(world):
    bad = {"order_ids": ["O1"], "options": {**QUICK, "rules": {"cohesion": "always", "min_lot": -1}}}
    es = _error(world.as_("coordinator", "POST", "/jobs/match", json=bad, headers=ES))
    en = _error(world.as_("coordinator", "POST", "/jobs/match", json=bad))
    assert es["code"] == en["code"] == "invalid_option"
    assert es["message"] == (
        "La regla cohesion debe estar en off, preferred o required; se recibió 'always'; "
        "el valor de min_lot debe ser un número entero mayor o igual a 0 (0: sin lotes); se recibió -1"
    )
    assert en["message"] == (
        "cohesion must be off, preferred, required, got 'always'; "
        "min_lot must be a whole number >= 0 (0: no lots), got -1"
    )
    bad = {"order_ids": ["O1"], "options": {**QUICK, "order_rules": {"O1": {"speed": 3}}}}
    es = _error(world.as_("coordinator", "POST", "/jobs/match", json=bad, headers=ES))["message"]
    assert es.startswith("Pedido O1: no existe la regla ni el parámetro «speed»; reglas: ")
    bad = {"order_ids": ["O1"], "options": {**QUICK, "solver": "gurobi"}}
    es = _error(world.as_("coordinator", "POST", "/jobs/match", json=bad, headers=ES))["message"]
    assert es.startswith("El valor de solver debe ser uno de estos: auto, ") and es.endswith(
        "se recibió 'gurobi'"
    )


def test_service_and_dataset_errors_in_the_request_language(world):
    # 409 with plural forms
    es = _error(world.as_("admin", "DELETE", "/lead-firms/F1", headers={**ES, "If-Match": "*"}))["message"]
    assert es == (
        "La empresa líder F1 todavía tiene 1 pedido y 1 cuenta de usuario; bórrelos o páselos a otra primero"
    )
    # 428, 412 and an unknown address
    es = _error(world.as_("coordinator", "PATCH", "/orders/O1", json={"quantity": 5}, headers=ES))
    assert es["message"].startswith("Envíe If-Match con la ETag")
    es = _error(world.as_("coordinator", "PATCH", "/orders/O1", json={"quantity": 5},
                          headers={**ES, "If-Match": '"O1.99"'}))  # fmt: skip
    assert (
        es["message"] == "O1 está en la versión 1; su copia es anterior. Vuelva a leerlo e intente de nuevo"
    )
    assert (
        _error(world.as_("admin", "GET", "/nowhere", headers=ES))["message"]
        == "No hay nada en esta dirección"
    )
    # a dataset refused: the summary in the language, with its plural
    files = {"files": [("files", ("workshops.csv", b"workshop_id,territory\nW9,T1\n", "text/csv"))]}
    es = _error(world.as_("coordinator", "POST", "/imports", headers=ES, **files))
    assert es["code"] == "invalid_data" and re.fullmatch(r"\d+ problemas? en los datos", es["message"])
    en = _error(world.as_("coordinator", "POST", "/imports", **files))
    assert re.fullmatch(r"\d+ problems? in the data", en["message"])
    # rows outside a coordinator's scope
    files = {"files": [("files", ("workshops.csv", b"workshop_id,territory,workers,products,processes\n"
                                  b"W9,T2,3,tshirt,sewing\n", "text/csv"))]}  # fmt: skip
    es = _error(world.as_("coordinator", "POST", "/imports", headers=ES, **files))
    assert es["message"] == "1 fila está fuera de su alcance"
    assert es["details"][0]["message"] == "El territorio T2 está fuera de sus territorios (T1)"
    assert es["details"][0]["row"] == 2 and es["details"][0]["column"] == "territory"


def test_an_unexpected_failure_gives_its_incident_in_the_language(world):
    def broken():
        raise RuntimeError("a bug, not the client's doing")

    world.app.dependency_overrides[current] = broken
    try:
        r = world.as_("coordinator", "GET", "/orders", headers=ES)
    finally:
        world.app.dependency_overrides.clear()
    error = _error(r)
    assert r.status_code == 500 and error["code"] == "internal"
    assert re.fullmatch(
        r"Falla inesperada; indique el incidente [0-9a-f]{12} a la administración", error["message"]
    )
    assert "bug" not in r.text


def test_api_error_needs_a_known_key():
    with pytest.raises(
        ValueError, match=r"unknown message key 'no such thing'; keys are listed in matcher_service\.messages"
    ):
        ApiError("no such thing")


# ---------------------------------------------------------------- jobs


def test_a_job_reads_in_the_readers_language(world):
    r = world.as_("coordinator", "POST", "/jobs/match", json={"order_ids": ["O1"], "options": QUICK})
    assert r.status_code == 202 and r.json()["message"] == "queued"
    job_id = r.json()["job_id"]
    done = wait_for(world, "coordinator", job_id)
    assert done["message"] == "done"
    es = world.as_("coordinator", "GET", f"/jobs/{job_id}", headers=ES).json()
    assert es["message"] == "Terminado"
    # the result's sentences too, beside their messages (which stay as they are)
    order = es["result"]["orders"][0]
    assert order["reasons"] == [Message(m["key"], m["args"]).say("es") for m in order["reason_messages"]]
    assert order["reasons"][0].startswith(("1 taller puede", "2 talleres pueden")), order["reasons"]
    listed = world.as_("coordinator", "GET", "/jobs", headers=ES).json()["items"]
    assert {j["message"] for j in listed if j["job_id"] == job_id} == {"Terminado"}


def test_a_failed_job_says_why_in_the_readers_language(world):
    world.app.state.jobs.tasks["refuses"] = job_tasks.refuses
    try:
        with world.app.state.sessions() as session:
            session.add(Job(job_id="JX", kind="refuses", status="queued", progress=0.0, message="job.queued",
                            params={}, created_by=2, territories=["T1"]))  # fmt: skip
            session.commit()
        world.app.state.jobs.submit("JX")
        deadline = time.monotonic() + 30
        while world.as_("coordinator", "GET", "/jobs/JX").json()["status"] != "failed":
            assert time.monotonic() < deadline
            time.sleep(0.05)
    finally:
        del world.app.state.jobs.tasks["refuses"]
    en = world.as_("coordinator", "GET", "/jobs/JX").json()
    es = world.as_("coordinator", "GET", "/jobs/JX", headers=ES).json()
    assert (en["message"], en["error"]) == ("failed", "the dataset has no orders; add them in orders.csv")
    assert (es["message"], es["error"]) == ("Falló", "Los datos no tienen pedidos; agréguelos en orders.csv")
    with world.app.state.sessions() as session:
        assert session.get(Job, "JX").error == stored([Message("option.no_orders")])
    # a message stored as text before messages were keys reads as it was written
    assert (
        world.as_("coordinator", "GET", "/jobs/J1", headers=ES).json()["message"]
        == "seeded by the test world"
    )


# ---------------------------------------------------------------- every route


def _provoked(world):
    """Every 4xx the route table gives (wrong role, no credentials, others' and missing objects, a body
    that is not the route's), each asked in Spanish and in English."""
    for case in all_cases():
        for role in MATRIX_ROLES:
            for which in case.contexts:
                if case.expected(role, which) >= 400:
                    yield case, role, which, None
        if case.method in WRITES and not case.form and case.body:
            yield case, "admin", "own", {"nonsense": [1]}


def test_every_error_of_the_route_table_is_spanish_when_asked(world):
    failures = []
    seen = 0
    for case, role, which, body in _provoked(world):
        answers = {}
        for lang, headers in (("es", ES), ("en", {})):
            if body is None:
                r = case.send(world, role, which, headers=headers)
            else:
                r = world.as_(role, case.method, case.url(role, which), json=body,
                              headers={**case.headers, **headers})  # fmt: skip
            if r.status_code < 400 or r.status_code >= 500:
                failures.append(f"{case.method} {case.path} {role} {which}: {r.status_code}")
                break
            answers[lang] = r.json()["error"]
        else:
            seen += 1
            es, en = answers["es"]["message"], answers["en"]["message"]
            said = [es, *(str(d.get("message", "")) for d in answers["es"]["details"])]
            for text in said:
                if english_in(text) or ROUTE_NAMES.search(text):
                    failures.append(f"{case.method} {case.path} {role} {which} es: {text!r}")
            if words(en) & SPANISH_WORDS or ROUTE_NAMES.search(en) or es == en:
                failures.append(f"{case.method} {case.path} {role} {which} en: {en!r}")
    assert seen > 150
    assert not failures, "\n".join(failures)


# ---------------------------------------------------------------- numbers for people


def test_rounded_for_people():
    assert rounded(1.7999999999999998, "minutes") == 1.8
    assert rounded(32507.200000000004, "free_minutes") == 32507.2
    assert rounded(0.9999399435469339, "largest_utilisation") == 1.0
    assert rounded(0.3772189349112426, "share") == 0.38
    assert rounded(0.2987, "total", share=True) == 0.3
    assert rounded(1.4184397163120568e-05, "betweenness") == 1.42e-05  # a broker stays above zero
    assert rounded(-0.0004406835608218802, "assortativity") == -0.000441
    assert rounded(8.524, "time_seconds") == 8.5 and rounded(-49.599999999999994, "value") == -49.6
    assert rounded(math.inf, "share") is None
    result = {
        "options": {"rules": {"fairness_share": 0.6}},
        "orders": [
            {
                "due_weeks": 1.43,
                "group": [
                    {
                        "minutes": 2518.7999999999997,
                        "why_messages": [{"key": "why.makes", "args": {"week": 1.43}}],
                    }
                ],
            }
        ],
    }
    answered = for_people(result)
    assert answered["options"] == {"rules": {"fairness_share": 0.6}}  # sent by the client: exact
    assert answered["orders"][0]["due_weeks"] == 1.43
    assert answered["orders"][0]["group"][0]["minutes"] == 2518.8
    assert answered["orders"][0]["group"][0]["why_messages"][0]["args"] == {"week": 1.43}


def _digits_ok(value: float, key: str | None, share: bool) -> bool:
    if share or key in SHARES or (key or "").endswith("_share"):
        return round(value, 2) == value
    if key in MINUTES or (key or "").endswith("_minutes") or key in AMOUNTS:
        return round(value, 1) == value
    return value == 0 or float(f"{value:.{SIGNIFICANT}g}") == value


def too_precise(value: Any, path: str = "", key: str | None = None, share: bool = False) -> list[str]:
    """Every float of an answer with more digits than people read (exact keys left out)."""
    if isinstance(value, float):
        return [] if _digits_ok(value, key, share) else [f"{path} = {value!r}"]
    if isinstance(value, list):
        return [p for i, v in enumerate(value) for p in too_precise(v, f"{path}[{i}]", key, share)]
    if isinstance(value, dict):
        return [
            p
            for k, v in value.items()
            if k not in EXACT
            for p in too_precise(v, f"{path}.{k}", k, share or k == "score")
        ]
    return []


def test_every_figure_the_api_answers_is_rounded_for_people(world):
    # An order whose minutes per unit add up with float noise (0.1 + 0.7 ...), matched and shortlisted.
    order = {
        "order_id": "O7",
        "product": "tshirt",
        "quantity": 210,
        "due_weeks": 3,
        "firm_id": "F1",
        "territories": ["T1"],
        "processes": ["cutting:0.1", "sewing:0.7", "finishing:0.3", "packing:0.1"],
    }
    assert world.as_("coordinator", "POST", "/orders", json=order).status_code == 201
    job = world.as_("coordinator", "POST", "/jobs/match", json={"order_ids": ["O1", "O7"], "options": QUICK})
    done = wait_for(world, "coordinator", job.json()["job_id"])
    assert done["status"] == "done", done
    with world.app.state.sessions() as session:
        raw = session.get(Job, done["job_id"]).result
    assert too_precise(raw), "the test needs figures with float noise to round"
    answers = {
        "job": done,
        "job es": world.as_("coordinator", "GET", f"/jobs/{done['job_id']}", headers=ES).json(),
    }
    for who in ("lead_firm", "coordinator"):
        answers[f"shortlist {who}"] = world.as_(
            who, "POST", "/orders/O7/shortlists", params={"top": 3}
        ).json()
    answers["group"] = world.as_(
        "coordinator", "POST", "/analysis/group", json={"workshop_ids": ["W1", "W2"]}
    ).json()
    for case in all_cases():
        if case.method != "GET":
            continue
        for role in ("admin", "coordinator", "association_leader", "lead_firm"):
            if case.expected(role, "own") == 200:
                r = case.send(world, role, "own", headers=ES)
                if r.headers.get("content-type", "").startswith("application/json"):
                    answers[f"{case.path} {role}"] = r.json()
    assert len(answers) > 40
    failures = {name: found for name, body in answers.items() if (found := too_precise(body))}
    assert not failures, json.dumps(failures, indent=1)
    proposal = world.as_("coordinator", "GET", "/views/orders/O7/proposal", headers=ES).json()
    minutes = [a["minutes"] for m in proposal["members"] for a in m["allocations"]]
    assert minutes and all(round(m, 1) == m for m in minutes)
    assert proposal["reasons"] and not english_in(" ".join(proposal["reasons"]))
