"""Public aggregates (small cells suppressed, none recoverable by subtraction) and the health check.

The world: W1-W4 in T1 and W5-W8 in T2, all informal tshirt makers with 2 + i % 3 workers
(3, 4, 2, 3 | 4, 2, 3, 4: 25 in all), so every workshop is micro (1-4 workers). Published counts
are rounded to a multiple of 5 (8 workshops read 10); suppression reads the exact ones.
"""

from __future__ import annotations

import pytest

from matcher_service.routes.public import ROUND_TO, THRESHOLD, suppress


def _cells(cells: list[dict]) -> dict[str, tuple]:
    return {c["key"]: (c["workshops"], c["workers"], c["suppressed"]) for c in cells}


def _add(world, workshop_id: str, territory: str, workers: int = 6, formal: bool = False) -> None:
    body = {
        "workshop_id": workshop_id,
        "territory": territory,
        "workers": workers,
        "products": ["tshirt"],
        "processes": ["sewing"],
        "formal": formal,
    }
    r = world.as_("admin", "POST", "/workshops", json=body)
    assert r.status_code == 201, r.text


def test_summary_of_the_world(world):
    r = world.as_("anyone", "GET", "/public/summary")
    assert r.status_code == 200
    body = r.json()
    assert body["threshold"] == THRESHOLD == ROUND_TO == 5
    assert body["totals"] == {"workshops": 10, "workers": 25, "suppressed": False}
    # 4 workshops in each territory: both cells are small.
    assert _cells(body["by_territory"]) == {"T1": (None, None, True), "T2": (None, None, True)}
    assert _cells(body["by_product"]) == {"tshirt": (10, 25, False)}
    assert _cells(body["by_size_band"]) == {"micro": (10, 25, False)}
    assert _cells(body["by_formality"]) == {"informal": (10, 25, False)}
    assert "rounded to a multiple of 5" in body["method"] and "every 60 min" in body["method"]
    assert "Owner" not in r.text and "W1" not in r.text


def test_one_small_cell_takes_the_next_smallest_with_it(world):
    # T3 gets 6 workshops and T1 one more: T1 5, T2 4, T3 6 (15 in all). T2 alone would be
    # 15 - 5 - 6 = 4 by subtraction, so T1 (the smallest other cell) is suppressed with it.
    for i in range(10, 16):
        _add(world, f"W{i}", "T3")
    _add(world, "W16", "T1", workers=3)
    body = world.as_("anyone", "GET", "/public/summary").json()
    # 15 workshops and 25 + 36 + 3 = 64 workers, published as 15 and 65.
    assert body["totals"] == {"workshops": 15, "workers": 65, "suppressed": False}
    assert _cells(body["by_territory"]) == {
        "T1": (None, None, True),
        "T2": (None, None, True),
        "T3": (5, 35, False),  # 6 and 36
    }
    # Size bands: micro 9 (the world's 8 and W16; 28 workers), small 6 (the new ones, 36 workers).
    assert _cells(body["by_size_band"]) == {"micro": (10, 30, False), "small": (5, 35, False)}


def test_small_cells_of_other_breakdowns(world):
    # Two formal workshops in T3: "formal" (2) is small; "informal" (8) goes with it, since
    # 10 - 8 would give it away. T3 (2) and T1 (4) and T2 (4) are all small.
    _add(world, "W10", "T3", formal=True)
    _add(world, "W11", "T3", workers=12, formal=True)
    body = world.as_("anyone", "GET", "/public/summary").json()
    assert body["totals"] == {"workshops": 10, "workers": 45, "suppressed": False}  # 43 workers
    assert _cells(body["by_formality"]) == {"formal": (None, None, True), "informal": (None, None, True)}
    assert all(c["suppressed"] for c in body["by_territory"])
    # micro 8 shown; small 1 and medium 1 are suppressed together, holding only 2 workshops, so
    # micro goes too.
    assert _cells(body["by_size_band"]) == {
        "medium": (None, None, True),
        "micro": (None, None, True),
        "small": (None, None, True),
    }


def test_no_suppressed_cell_is_recoverable(world):
    for i in range(10, 16):
        _add(world, f"W{i}", "T3")
    _add(world, "W16", "T1", workers=3)
    body = world.as_("anyone", "GET", "/public/summary").json()
    total = body["totals"]["workshops"]
    for name in ("by_territory", "by_size_band", "by_formality", "by_product"):
        hidden = [c for c in body[name] if c["suppressed"]]
        shown = sum(c["workshops"] for c in body[name] if not c["suppressed"])
        assert all(c["workshops"] is None and c["workers"] is None for c in hidden)
        assert not hidden or (len(hidden) >= 2 and total - shown >= THRESHOLD), name


@pytest.mark.parametrize(
    ("counts", "hidden"),
    [
        ({"a": (5, 9), "b": (7, 9)}, set()),
        ({"a": (4, 9), "b": (7, 9)}, {"a", "b"}),
        ({"a": (4, 9), "b": (1, 9), "c": (9, 9)}, {"a", "b"}),
        ({"a": (2, 9), "b": (2, 9), "c": (6, 9), "d": (8, 9)}, {"a", "b", "c"}),
        ({"a": (3, 9)}, {"a"}),
        ({}, set()),
    ],
)
def test_suppress_by_hand(counts, hidden):
    cells = suppress(counts)
    assert [c.key for c in cells] == sorted(counts)
    assert {c.key for c in cells if c.suppressed} == hidden
    assert all((c.workshops, c.workers) == counts[c.key] for c in cells if not c.suppressed)


def test_tiny_cluster_hides_its_totals(world):
    for workshop in ("W1", "W2", "W3", "W4"):
        assert (
            world.as_("admin", "DELETE", f"/workshops/{workshop}", headers={"If-Match": "*"}).status_code
            == 204
        )
    for workshop in ("W5", "W6"):
        assert (
            world.as_("admin", "DELETE", f"/workshops/{workshop}", headers={"If-Match": "*"}).status_code
            == 204
        )
    body = world.as_("anyone", "GET", "/public/summary").json()
    assert body["totals"] == {"workshops": None, "workers": None, "suppressed": True}
    assert all(c["suppressed"] for name in ("by_territory", "by_product") for c in body[name])


def test_two_summaries_around_a_change_show_nothing_until_the_refresh(world):
    # The summary of the hour is every reader's until the next refresh: a workshop added in
    # between is not told apart (the changes of the hour come out together).
    before = world.as_("anyone", "GET", "/public/summary").json()
    for i in range(10, 16):
        _add(world, f"W{i}", "T3")
    assert world.as_("anyone", "GET", "/public/summary").json() == before
    world.app.state.settings.public_summary_seconds = 0  # refresh at once on a change
    after = world.as_("anyone", "GET", "/public/summary").json()
    assert after["totals"] == {"workshops": 15, "workers": 60, "suppressed": False}  # 14 and 61
    # One micro workshop more (1 worker), read at once: every count it adds to stays on its side
    # of a boundary (workshops 14 to 15, workers 61 to 62, T3 6 to 7, micro 8 to 9), so the two
    # summaries are the same and say nothing of it.
    _add(world, "W16", "T3", workers=1)
    assert world.as_("anyone", "GET", "/public/summary").json() == after


def test_health(world):
    r = world.as_("anyone", "GET", "/health")
    assert r.status_code == 200
    assert r.json() == {"status": "ok", "database": "ok", "writable": True}
