"""``matcher shortlist`` end to end on the bundled sample."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from matcher.cli import app
from matcher.sample import SAMPLE_DIR

runner = CliRunner()


def invoke(*args: object):
    return runner.invoke(app, [str(a) for a in args])


def test_json_is_anonymized_and_ranked():
    from matcher.io import load_cluster

    result = invoke("shortlist", SAMPLE_DIR, "--order", "O08", "--top", "2", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["order"]["order_id"] == "O08" and data["order"]["described"] is False
    assert 1 <= len(data["singles"]) <= 2 and 1 <= len(data["groups"]) <= 2
    for kind in ("singles", "groups"):
        totals = [e["score"]["total"] for e in data[kind]]
        assert totals == sorted(totals, reverse=True)
    assert all(e["score"]["cohesion"] is not None for e in data["groups"])
    assert "workshop_id" not in result.stdout
    assert not [w.workshop_id for w in load_cluster(SAMPLE_DIR).workshops if w.workshop_id in result.stdout]


def test_profiles_fit_k_workshops_and_k_is_an_option():
    # O02 (jeans in Yaguarón, quality 1 or better): a single does every process, washing included,
    # which few workshops there do; with k = 5 its size and quality are withheld.
    args = ("shortlist", SAMPLE_DIR, "--order", "O02", "--top", "1", "--time-limit", "0.2")
    result = invoke(*args, "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["anonymity"] == {"k": 5}
    (member,) = data["singles"][0]["members"]
    assert member["territory"] == "Yaguarón" and member["quality"] is None
    assert {"size_band", "quality"} <= set(member["withheld"])
    assert data["singles"][0]["score"]["quality_margin"] == 0.0  # a withheld quality counts as the minimum
    (member,) = json.loads(invoke(*args, "--json", "--k-anonymity", "1").stdout)["singles"][0]["members"]
    assert member["withheld"] == [] and member["quality"] == {"low": 5, "high": 5}
    table = invoke(*args).output
    assert "— withheld, so that no profile points to one workshop." in table
    refused = invoke("shortlist", SAMPLE_DIR, "--order", "O02", "--k-anonymity", "0")
    assert refused.exit_code == 2 and "Traceback" not in refused.output


def test_reveal_ids_for_a_coordinator():
    result = invoke("shortlist", SAMPLE_DIR, "--order", "O08", "--top", "1", "--json", "--reveal-ids")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["singles"][0]["members"][0]["workshop_id"].startswith("MRA-")


def test_prints_tables():
    result = invoke("shortlist", SAMPLE_DIR, "--order", "O08", "--top", "2")
    assert result.exit_code == 0, result.output
    assert "Shortlist for order O08" in result.output
    assert "S1" in result.output and "G1-a" in result.output
    assert "MRA-" not in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--order", "NOPE"), "unknown order id NOPE; known order ids: O01, O02"),
        (("--order", "O08", "--top", "0"), "top must be a whole number >= 1, got 0"),
        (("--order", "O08", "--solver", "gurobi"), "solver must be one of"),
    ],
)
def test_bad_options_are_one_clear_line(args, message):
    result = invoke("shortlist", SAMPLE_DIR, *args)
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output


def test_help_documents_the_command():
    result = invoke("shortlist", "--help")
    assert result.exit_code == 0
    assert "--order" in result.output and "--top" in result.output and "anonymized" in result.output
