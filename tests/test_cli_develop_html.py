"""``matcher mentor --html`` and ``matcher plan --html``: one standalone page; nothing on bad input."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from matcher.cli import app
from matcher.sample import SAMPLE_DIR
from tests.test_cli_html import one_error_line, page_data, page_of

runner = CliRunner()
FAST_MENTOR = ("--time-limit", "5", "--demand-seconds", "2")


def invoke(*args: object):
    return runner.invoke(app, [str(a) for a in args])


def test_mentor_writes_the_circles_with_the_network(tmp_path):
    target = tmp_path / "mentoring.html"
    result = invoke("mentor", SAMPLE_DIR, *FAST_MENTOR, "--html", target, "--lang", "en")
    assert result.exit_code == 0, result.output
    assert f"Page written to {target}" in " ".join(result.stdout.split())
    data = page_data(target)
    assert set(data) == {"network", "mentoring"}
    assert page_of(target) == "mentoring"
    view = data["mentoring"]
    assert view["view"] == "mentoring" and view["summary"]["circles"] == len(view["circles"]) > 0
    nodes = set(data["network"]["nodes"]["id"])
    assert set(view["mentors"]) | set(view["trainees"]) <= nodes  # every circle can be drawn
    assert '<html lang="en">' in target.read_text(encoding="utf-8")


def test_mentor_json_and_html_prints_the_result_and_writes_the_page(tmp_path):
    target = tmp_path / "m.html"
    result = invoke("mentor", SAMPLE_DIR, *FAST_MENTOR, "--html", target, "--json")
    assert result.exit_code == 0, result.output
    printed = json.loads(result.stdout)
    assert page_data(target)["mentoring"]["summary"] == printed["summary"]


def test_plan_writes_the_ranked_plan(tmp_path):
    target = tmp_path / "plan.html"
    result = invoke("plan", SAMPLE_DIR, "--budget", "25000", "--html", target)
    assert result.exit_code == 0, result.output
    data = page_data(target)
    assert set(data) == {"plan"} and page_of(target) == "plan"
    assert data["plan"]["portfolio"]["unlocked_orders"] == ["O10"]
    assert '<html lang="es">' in target.read_text(encoding="utf-8")


def test_bad_page_target_is_refused_before_any_work(tmp_path):
    for command in (("mentor", SAMPLE_DIR, *FAST_MENTOR), ("plan", SAMPLE_DIR, "--budget", "25000")):
        target = tmp_path / "page.pdf"
        line = one_error_line(invoke(*command, "--html", target, "--lang", "fr"))
        assert "must end in .html" in line and "unknown language 'fr'" in line
        assert list(tmp_path.iterdir()) == []


def test_existing_page_is_kept_without_overwrite(tmp_path):
    target = tmp_path / "plan.html"
    target.write_text("mine", encoding="utf-8")
    line = one_error_line(invoke("plan", SAMPLE_DIR, "--budget", "25000", "--html", target))
    assert "already exists" in line and target.read_text(encoding="utf-8") == "mine"


def test_bad_input_writes_nothing(tmp_path):
    plan_page, mentor_page = tmp_path / "plan.html", tmp_path / "mentor.html"
    line = one_error_line(invoke("plan", SAMPLE_DIR, "--budget", "10", "--html", plan_page))
    assert "budget" in line
    line = one_error_line(
        invoke("mentor", SAMPLE_DIR, *FAST_MENTOR, "--pin", "NOPE:MRA-007", "--html", mentor_page)
    )
    assert "NOPE" in line
    assert list(tmp_path.iterdir()) == []
