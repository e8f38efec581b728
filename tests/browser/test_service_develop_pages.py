"""The development programmes' pages of ``matcher serve --demo`` (``/ui/plan``, ``/ui/mentoring``) in a
real browser: a coordinator starts a plan and a mentoring run with small limits, follows the job and sees
the ranked table and the circles on the network, as the standalone pages draw them from the view
endpoints (``/views/jobs/{job_id}/plan``, ``.../mentoring``); lead firms and municipalities are told
they have no access. Screenshots go to ``tests/artifacts/screenshots/service_develop_*.png``.
"""

from __future__ import annotations

import re

import pytest

from tests.browser import test_service_pages
from tests.browser.conftest import SCREENSHOTS

# The demo server (one for this module) and the tabs as one role, as the other service pages' tests have them.
server = test_service_pages.server
as_role = test_service_pages.as_role

RUN = 120_000  # ms a run may take on a busy machine


def _job(page) -> str:
    match = re.search(r"[?&]job=([^&]+)", page.url)
    assert match, page.url
    return match.group(1)


def test_coordinator_makes_a_plan(as_role):
    tab = as_role("coordinator", "develop_plan_coordinator")
    page = tab.open("/ui/plan")
    assert page.locator("#run-form").count() == 1 and page.locator("#step-table").count() == 0
    # the menu offers the development pages beside the network and the dashboard
    nav = set(page.eval_on_selector_all("#nav a[href]", "els => els.map(e => e.getAttribute('href'))"))
    assert {"/ui/mentoring", "/ui/plan"} <= nav
    page.fill("#run-budget", "abc")
    page.click("#run-start")
    assert page.locator("#run-budget[aria-invalid=true]").count() == 1
    page.fill("#run-budget", "20.000")  # a grouped whole number, as people write it
    page.fill("#run-time-limit", "20")
    page.click("#run-start")
    page.wait_for_selector("#step-table", timeout=RUN)
    page.wait_for_function("document.body.dataset.ready === '1'")
    view = tab.api(f"/views/jobs/{_job(page)}/plan")
    assert view["budget"] == 20000
    assert page.locator("#step-table tbody tr").count() == len(view["steps"]) > 0
    assert page.locator("#plan-summary").count() == 1 and page.locator("#cost-table").count() == 1
    assert tab.state()["nodes"] == len(view["steps"])
    # the address names the run: opened again, the page draws it with the form to run again
    page = tab.open(f"/ui/plan?job={_job(page)}")
    assert page.locator("#step-table tbody tr").count() == len(view["steps"])
    assert page.locator("#run-start").inner_text() == "Calcular de nuevo"
    assert page.input_value("#run-budget") == "20000"  # the form holds the run's options


def test_coordinator_forms_mentoring_circles(as_role):
    tab = as_role("coordinator", "develop_mentoring_coordinator")
    page = tab.open("/ui/mentoring?lang=en")
    page.fill("#run-max-trainees", "2")
    page.fill("#run-circle-max", "3")
    page.fill("#run-time-limit", "5")
    page.click("#run-start")
    page.wait_for_selector("#mentoring-summary", timeout=RUN)
    page.wait_for_function("document.body.dataset.ready === '1'")
    view = tab.api(f"/views/jobs/{_job(page)}/mentoring")
    assert view["options"]["max_trainees"] == 2
    assert all(len(c["trainee_ids"]) <= 2 for c in view["circles"])
    if view["circles"]:
        page.wait_for_selector("#network-graph .main-svg")
        assert page.locator("#circle-table tbody tr").count() >= len(view["circles"])
        assert tab.state()["nodes"] > 0
    network = tab.api("/views/network")
    scope = set(network["nodes"]["id"])
    assert {c["mentor_id"] for c in view["circles"]} <= scope
    assert "Mentoring circles" in page.inner_text("main")
    assert page.input_value("#run-max-trainees") == "2" and page.input_value("#run-circle-max") == "3"


@pytest.mark.parametrize("role", ["firm", "municipality"])
@pytest.mark.parametrize("path", ["/ui/mentoring", "/ui/plan"])
def test_lead_firms_and_municipalities_are_told_they_have_no_access(as_role, role, path):
    tab = as_role(role, f"develop_{role}_{path.rsplit('/', 1)[1]}")
    page = tab.open(path)
    assert page.locator("main [role=alert]").count() >= 1
    assert page.locator("#run-form").count() == 0
    nav = set(page.eval_on_selector_all("#nav a[href]", "els => els.map(e => e.getAttribute('href'))"))
    assert not nav & {"/ui/mentoring", "/ui/plan", "/ui/network", "/ui/dashboard"}, nav
    page.screenshot(path=str(SCREENSHOTS / f"service_{tab.name}_no_access.png"), full_page=True)
    home = tab.open("/ui")
    links = set(home.eval_on_selector_all("main a[href]", "els => els.map(e => e.getAttribute('href'))"))
    assert "/ui/mentoring" not in links and "/ui/plan" not in links


@pytest.mark.parametrize("role", ["admin", "coordinator", "leader"])
def test_home_offers_the_development_pages(as_role, role):
    tab = as_role(role, f"develop_home_{role}")
    page = tab.open("/ui")
    links = set(page.eval_on_selector_all("main a[href]", "els => els.map(e => e.getAttribute('href'))"))
    assert {"/ui/mentoring", "/ui/plan"} <= links
    page = tab.open("/ui/plan")
    assert page.locator("#run-form").count() == 1 and page.locator("main [role=alert]").count() == 0
