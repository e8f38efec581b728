"""The mentoring and plan pages written by ``matcher mentor --html`` and ``matcher plan --html``.

What is drawn (rings, mentoring lines, tables, the portfolio's figures) is checked against the page's
own data, in Spanish and in English.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from matcher.cli import app
from matcher.sample import SAMPLE_DIR
from matcher.views.render import STATIC
from tests.browser.test_standalone import plot_data
from tests.test_cli_html import page_data

ES = json.loads((STATIC / "i18n" / "es.json").read_text(encoding="utf-8"))
EN = json.loads((STATIC / "i18n" / "en.json").read_text(encoding="utf-8"))


def written(*args: object) -> Path:
    result = CliRunner().invoke(app, [str(a) for a in args])
    assert result.exit_code == 0, result.output
    return Path(str(args[args.index("--html") + 1]))


@pytest.fixture(scope="module")
def pages(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("develop")
    return {
        "mentoring": written(
            "mentor", SAMPLE_DIR, "--demand-seconds", "2", "--html", folder / "mentoring.html"
        ),
        "plan": written(
            "plan", SAMPLE_DIR, "--budget", "25000", "--html", folder / "plan.html", "--lang", "en"
        ),
        "short": written("plan", SAMPLE_DIR, "--budget", "3000", "--html", folder / "short.html"),
    }


def trace(page, name: str) -> dict[str, Any]:
    found = [t for t in plot_data(page, "#network-graph") if t["name"] == name]
    assert len(found) == 1, name
    return found[0]


def segments(line: dict[str, Any]) -> int:
    return sum(v is None for v in line["x"])


def test_mentoring_page_rings_mentors_and_trainees_and_joins_them(tab, pages):
    data = page_data(pages["mentoring"])
    view, network = data["mentoring"], data["network"]
    page = tab.open(pages["mentoring"])
    assert tab.text("#page-title") == ES["page.mentoring"]
    index = {w: i for i, w in enumerate(network["nodes"]["id"])}
    mentors = trace(page, ES["legend.mentors"])
    trainees = trace(page, ES["legend.trainees"])
    assert sorted(mentors["customdata"]) == sorted(index[m] for m in view["mentors"])
    assert sorted(trainees["customdata"]) == sorted(index[t] for t in view["trainees"])
    new = sum(link["new"] for link in view["links"])
    assert segments(trace(page, ES["legend.mentoring_new"])) == new > 0
    assert segments(trace(page, ES["legend.mentoring_kept"])) == len(view["links"]) - new
    assert tab.state()["nodes"] == len(network["nodes"]["id"])
    rows = page.locator("#circle-table tbody tr")
    assert [rows.nth(i).get_attribute("data-mentor") for i in range(rows.count())] == view["mentors"]
    assert page.locator("#unpaired-table tbody tr").count() == view["summary"]["unpaired"]
    assert tab.text("#unpaired-title") == ES["mentoring.unpaired_title"].format(
        count=view["summary"]["unpaired"]
    )
    legend = tab.text("#legend")
    assert all(
        ES[k] in legend
        for k in ("legend.mentors", "legend.trainees", "legend.mentoring_new", "legend.mentoring_kept")
    )
    # The reasons read in Spanish, from their messages: none of the English sentences is shown.
    circle = view["circles"][0]
    shown = page.locator("#circle-table tbody tr").first.locator("td").last.locator("li")
    spanish = [shown.nth(i).inner_text() for i in range(shown.count())]
    assert len(spanish) == len(circle["reasons"]) and not set(spanish) & set(circle["reasons"])
    assert spanish[0].startswith(f"{circle['mentor_id']} es mentor de ")
    page.locator("#circle-table tbody tr").first.locator(
        "details"
    ).first.click()  # one trainee's reasons open
    assert (
        page.locator("#circle-table ul.trainees details[open] li")
        .first.inner_text()
        .startswith(f"{circle['pairs'][0]['trainee_id']} aprende ")
    )


def test_choosing_a_circle_shows_it_alone(tab, pages):
    view = page_data(pages["mentoring"])["mentoring"]
    circle = max(view["circles"], key=lambda c: len(c["trainee_ids"]))
    page = tab.open(pages["mentoring"])
    page.select_option("#circle-select", circle["mentor_id"])
    tab.wait_ready()
    assert len(trace(page, ES["legend.mentors"])["x"]) == 1
    assert len(trace(page, ES["legend.trainees"])["x"]) == len(circle["trainee_ids"])
    lines = segments(trace(page, ES["legend.mentoring_new"])) + segments(
        trace(page, ES["legend.mentoring_kept"])
    )
    assert lines == len(circle["trainee_ids"])
    assert page.locator("#network-graph").get_attribute("data-links") == str(len(circle["trainee_ids"]))


def test_mentoring_page_in_english(tab, pages):
    view = page_data(pages["mentoring"])["mentoring"]
    page = tab.open(pages["mentoring"])
    page.click("#lang-switch button[data-lang=en]")
    tab.wait_ready()
    assert tab.text("#page-title") == EN["page.mentoring"]
    assert trace(page, EN["legend.mentors"])
    shown = page.locator("#circle-table tbody tr").first.locator("td").last.locator("li")
    circle = view["circles"][0]
    english = [shown.nth(i).inner_text() for i in range(shown.count())]
    # The product is named as the pages name it ("t-shirts"), the rest as the library says it.
    assert english[0].startswith(f"{circle['mentor_id']} mentors ") and english[0].endswith(" t-shirts.")
    assert english[1:] == circle["reasons"][1:]
    notes = page.locator("#mentoring-notes li")
    assert [notes.nth(i).inner_text() for i in range(notes.count())] == view["notes"]


def test_plan_page_ranks_the_steps_with_the_orders_each_unlocks(tab, pages):
    view = page_data(pages["plan"])["plan"]
    page = tab.open(pages["plan"])
    assert tab.text("#page-title") == EN["page.plan"]
    rows = page.locator("#step-table tbody tr")
    assert [rows.nth(i).get_attribute("data-key") for i in range(rows.count())] == [
        s["key"] for s in view["steps"]
    ]
    first, step = rows.first.locator("td, th"), view["steps"][0]
    cells = [first.nth(i).inner_text() for i in range(first.count())]
    assert cells[0] == "1" and cells[1] == step["text"]
    assert cells[5] == ", ".join(step["orders"]) == "O10" and cells[6] == f"{step['units']:,}"
    assert cells[7] == EN["plan.in_portfolio"]
    assert page.locator("#step-table tr.chosen").count() == sum(s["in_portfolio"] for s in view["steps"])
    summary = tab.text("#plan-summary")
    p = view["portfolio"]
    assert f"{p['confirmed_units']:,} units" in summary and f"{p['planned_units']:,} units" in summary
    assert f"{view['budget']:,.0f}" in summary and f"{p['remaining']:,.0f}" in summary
    assert EN["plan.synthetic_costs"] in summary
    assert page.locator("#plan-order-table tbody tr").first.get_attribute("data-id") == "O10"
    assert [tab.text("#plan-reasons li")] == view["reasons"]


def test_plan_page_in_spanish(tab, pages):
    view = page_data(pages["plan"])["plan"]
    page = tab.open(pages["plan"], query="lang=es")
    assert tab.text("#page-title") == ES["page.plan"]
    summary = tab.text("#plan-summary")
    confirmed = f"{view['portfolio']['confirmed_units']:,}".replace(",", ".")
    assert f"{confirmed} unidades" in summary
    first = page.locator("#step-table tbody tr").first.locator("th").inner_text()
    assert first != view["steps"][0]["text"] and view["steps"][0]["workshop_id"] in first
    reason = tab.text("#plan-reasons li")
    assert reason.startswith("Con ") and "pedidos que ahora se completan: O10" in reason
    page.locator("#cost-table").locator("xpath=..").locator("summary").click()  # the cost table opened
    assert tab.text("#cost-table tbody tr[data-kind=add_worker] th") == ES["intervention.add_worker"]
    assert tab.text("#cost-table tbody tr[data-kind=add_worker] td:last-child") == ES["cost_unit.operator"]


def test_plan_without_a_portfolio_says_why(tab, pages):
    view = page_data(pages["short"])["plan"]
    page = tab.open(pages["short"])
    reasons = page.locator("#plan-reasons li")
    assert reasons.count() == 2
    assert (
        reasons.first.inner_text()
        == "Ningún conjunto de intervenciones encontrado entra en el presupuesto de 3.000."
    )
    assert page.locator("#step-table tr.chosen").count() == 0
    assert page.locator("#step-table tbody tr").count() == len(view["steps"])
    assert ES["plan.no_portfolio"] in tab.text("#plan-summary")
