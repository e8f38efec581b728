"""Standalone pages in a real browser, offline: what is drawn matches the views.

Pages are written from the bundled sample (one matching run per module) and
from small views written by hand, whose drawn counts are known.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from matcher.io import load_contacts
from matcher.messages import Message, sentence
from matcher.optimize import MatchOptions, solve_orders
from matcher.sample import SAMPLE_DIR, load_sample
from matcher.views import dashboard_view, network_view, proposal_view
from matcher.views.render import asset_path, write_html
from tests.test_messages import EXAMPLES

CATALOGUES = {
    lang: json.loads(asset_path(f"i18n/{lang}.json").read_text(encoding="utf-8")) for lang in ("es", "en")
}
ES, EN = CATALOGUES["es"], CATALOGUES["en"]

#: Two communities of three, collapsed, and G in none (an isolate): ties A-B, B-C, E-F (conflict)
#: inside the communities; C-D and A-D (conflict) across them.
COLLAPSED = {
    "view": "network",
    "version": 1,
    "scope": {"territory": None, "organization": None, "workshops": 7},
    "summary": {"workshops": 7, "ties": 5, "collaboration_edges": 3, "density": 0.238, "components": 2},
    "kinds": ["friendship", "conflict"],
    "waves": [],
    "categories": {"territory": ["North", "South"], "product": ["tshirt"], "organization": ["Coop"]},
    "nodes": {
        "id": ["A", "B", "C", "D", "E", "F", "G"],
        "x": [0.1, 0.2, 0.15, 0.8, 0.9, 0.85, 0.5],
        "y": [0.2, 0.2, 0.35, 0.7, 0.7, 0.85, 0.05],
        "community": [0, 0, 0, 1, 1, 1, -1],
        "territory": [0, 0, 0, 1, 1, 1, 1],
        "product": [0, 0, 0, 0, 0, 0, 0],
        "organizations": [[0], [], [], [], [0], [], []],
        "degree": [2, 2, 2, 2, 1, 1, 0],
        "betweenness": [0.1, 0.0, 0.4, 0.4, 0.0, 0.0, 0.0],
        "capacity": [1000.0, 2000.0, 1500.0, 500.0, 800.0, 1200.0, 900.0],
        "workers": [2, 3, 4, 2, 1, 5, 2],
        "quality": [3, 3, 4, 2, 3, 5, 3],
        "formal": [True, False, True, False, False, True, False],
        "can_lead": [True, False, False, False, True, False, False],
        "processes": [["sewing"], ["cutting", "sewing"], ["sewing"], ["packing"], ["sewing"], ["sewing"], []],
        "broker": [False, False, True, True, False, False, False],
        "isolate": [False] * 6 + [True],
        "articulation": [False, False, True, True, False, False, False],
    },
    "edges": {
        "source": [0, 1, 2, 4, 0],
        "target": [1, 2, 3, 5, 3],
        "kind": [0, 0, 0, 1, 1],
        "wave": [-1, -1, -1, -1, -1],
        "strength": [3, 3, 2, 1, 1],
    },
    "communities": [
        {"id": 0, "size": 3, "x": 0.15, "y": 0.25, "label": "C1", "territory": "North", "product": "tshirt"},
        {"id": 1, "size": 3, "x": 0.85, "y": 0.75, "label": "C2", "territory": "South", "product": "tshirt"},
    ],
    "community_edges": {"source": [0], "target": [1], "ties": [2], "conflicts": [1]},
    "collapsed": True,
}

#: Why G1 of the shortlist below fits, and its notes, as the library writes them.
G1_WHY = [
    Message("shortlist.group", {"size": 2, "week": 2.0}),
    Message("shortlist.group_process", {"process": "cutting", "refs": ["G1-b"]}),
    Message("shortlist.group_process", {"process": "sewing", "refs": ["G1-a"]}),
    Message("shortlist.group_parts", {"tied": 0, "pairs": 1, "parts": 2}),
    Message("shortlist.group_leader", {"ref": "G1-a"}),
    Message("shortlist.group_free", {"free": 26300.8, "needed": 2550.0}),
]
NOTES = [Message("shortlist.reliability_unknown")]

SHORTLIST = {
    "top": 2,
    "order": {
        "order_id": "O7",
        "described": False,
        "product": "tshirt",
        "quantity": 300,
        "due_weeks": 2.0,
        "min_quality": 1,
        "max_group_size": None,
        "territories": [],
        "require_formal": False,
    },
    "score_weights": {
        "capability": 1.0,
        "capacity": 1.0,
        "quality_margin": 1.0,
        "reliability": 1.0,
        "cohesion": 1.0,
    },
    "anonymity": {"k": 5},
    "singles": [
        {
            "ref": "S1",
            "kind": "single",
            "size": 1,
            "score": {"capability": 1.0, "capacity": 0.88, "quality_margin": 0.75, "total": 0.8767},
            "free_minutes": 21956.8,
            "needed_minutes": 2550.0,
            "members": [
                {
                    "ref": "S1",
                    "territory": "North",
                    "size_band": "small",
                    "quality": {"low": 3, "high": 4},
                    "formal": True,
                    "processes": ["sewing", "cutting"],
                    "main_product": True,
                    "leader": False,
                    "withheld": [],
                    "allocations": [],
                },
            ],
            "why": ["Does every process."],
        },
        {
            "ref": "S2",
            "kind": "single",
            "size": 1,
            "score": {"capability": 1.0, "capacity": 0.83, "quality_margin": 0.75, "total": 0.86},
            "free_minutes": 15072.0,
            "needed_minutes": 2550.0,
            "members": [
                {
                    "ref": "S2",
                    "territory": None,
                    "size_band": "medium",
                    "quality": {"low": 4, "high": 4},
                    "formal": False,
                    "processes": ["sewing"],
                    "main_product": None,
                    "leader": False,
                    "withheld": ["territory", "main_product"],
                    "allocations": [],
                },
            ],
            "why": [],
        },
    ],
    "groups": [
        {
            "ref": "G1",
            "kind": "group",
            "size": 2,
            "score": {
                "capability": 0.875,
                "capacity": 0.903,
                "quality_margin": 0.5,
                "cohesion": 0.0,
                "total": 0.5695,
            },
            "free_minutes": 26300.8,
            "needed_minutes": 2550.0,
            "members": [
                {
                    "ref": "G1-a",
                    "territory": "South",
                    "size_band": "micro",
                    "quality": {"low": 3, "high": 3},
                    "formal": False,
                    "processes": ["sewing"],
                    "main_product": True,
                    "leader": True,
                    "withheld": [],
                    "allocations": [{"process": "sewing", "units": 300, "minutes": 1800.0}],
                },
                {
                    "ref": "G1-b",
                    "territory": "North",
                    "size_band": "small",
                    "quality": None,
                    "formal": True,
                    "processes": ["cutting"],
                    "main_product": False,
                    "leader": False,
                    "withheld": ["quality"],
                    "allocations": [{"process": "cutting", "units": 300, "minutes": 300.0}],
                },
            ],
            "why": [m.text for m in G1_WHY],
            "why_messages": [m.to_dict() for m in G1_WHY],
        },
    ],
    "search": {"solver": "highs", "stopped": "top"},
    "notes": [m.text for m in NOTES],
    "note_messages": [m.to_dict() for m in NOTES],
    "shortlist_id": "sl-1",
    "data_version": 3,
    "current": True,
    "created_at": None,
}


# ---------------------------------------------------------------- the files


@pytest.fixture(scope="module")
def sample_views() -> dict[str, Any]:
    cluster, _ = load_sample()
    run = solve_orders(cluster, options=MatchOptions(time_limit=3, explain_seconds=2)).to_dict()
    return {
        "network": network_view(cluster),
        "dashboard": dashboard_view(cluster, run, contacts=load_contacts(SAMPLE_DIR)),
        "proposals": {o["order_id"]: proposal_view(cluster, run, o["order_id"]) for o in run["orders"]},
    }


@pytest.fixture(scope="module")
def files(sample_views, tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("pages")
    both = {"network": sample_views["network"], "dashboard": sample_views["dashboard"]}
    return {
        "network": write_html(folder / "network.html", both, page="network"),
        "match": write_html(folder / "match.html", sample_views, page="proposal"),
        "collapsed": write_html(folder / "collapsed.html", COLLAPSED, page="network", lang="en"),
        "shortlist": write_html(folder / "shortlist.html", SHORTLIST, page="shortlist", lang="en"),
        "empty": write_html(folder / "empty.html", None, page="network"),
    }


def plot_data(page, selector: str) -> list[dict[str, Any]]:
    """The traces plotly drew in an element (only what the tests read)."""
    return page.evaluate(
        """sel => document.querySelector(sel).data.map(tr => ({
            name: tr.name, x: tr.x || [], y: tr.y || [], customdata: tr.customdata || [],
            color: (tr.marker || {}).color, size: (tr.marker || {}).size}))""",
        selector,
    )


def screen_point(page, selector: str, x: float, y: float) -> tuple[float, float]:
    """Where a point of the plot's data coordinates is on the screen."""
    return page.evaluate(
        """([sel, x, y]) => {
            const gd = document.querySelector(sel), L = gd._fullLayout, box = gd.getBoundingClientRect();
            return [box.left + L._size.l + L.xaxis.l2p(x), box.top + L._size.t + L.yaxis.l2p(y)];
        }""",
        [selector, x, y],
    )


# ---------------------------------------------------------------- network page


def lines(view: dict[str, Any], kinds: set[str] | None = None, wave: int | None = None) -> int:
    """The lines the network page draws: one per pair and sign among the ties shown
    (a pair tied in two waves, or by two kinds, is one line)."""
    edges, names = view["edges"], view["kinds"]
    drawn = set()
    for s, d, k, w in zip(edges["source"], edges["target"], edges["kind"], edges["wave"], strict=True):
        if (kinds is None or names[k] in kinds) and (wave is None or w == wave):
            drawn.add((min(s, d), max(s, d), names[k] == "conflict"))
    return len(drawn)


def test_network_draws_every_workshop_and_tie_of_the_view(tab, files, sample_views):
    view = sample_views["network"]
    page = tab.open(files["network"])
    summary = view["summary"]
    drawn = lines(view)  # a pair tied in both waves, or by two kinds, is one line
    assert drawn == summary["collaboration_edges"] + summary["conflict_pairs"] < len(view["edges"]["source"])
    assert tab.state() == {"nodes": len(view["nodes"]["id"]), "edges": drawn, "page": "network", "lang": "es"}
    markers = plot_data(page, "#network-graph")[2]
    assert len(markers["x"]) == len(view["nodes"]["id"])
    assert page.locator("#network-graph .scatterlayer .point").count() >= len(view["nodes"]["id"])
    assert page.locator("#workshop-table tbody tr").count() == len(view["nodes"]["id"])
    assert tab.text("#summary-title") == ES["sum.title"]
    assert str(view["summary"]["communities"]) in tab.text("#summary")


def test_kind_filter_and_wave_selector_change_the_ties_drawn(tab, files, sample_views):
    view = sample_views["network"]
    kinds, edges = view["kinds"], view["edges"]
    page = tab.open(files["network"])
    kind = max(kinds, key=lambda k: edges["kind"].count(kinds.index(k)))
    page.locator(f"input[name=kind][value={kind}]").uncheck()
    tab.wait_ready()
    kept = lines(view, kinds=set(kinds) - {kind})
    assert tab.state()["edges"] == kept < lines(view)
    page.locator(f"input[name=kind][value={kind}]").check()
    tab.wait_ready()
    assert tab.state()["edges"] == lines(view)
    assert view["waves"], "the sample has survey waves"
    page.select_option("#wave", view["waves"][0])
    tab.wait_ready()
    assert tab.state()["edges"] == lines(view, wave=0) < lines(view)
    page.select_option("#wave", "all")
    tab.wait_ready()
    assert tab.state()["edges"] == lines(view)


def test_counts_say_what_they_count(tab, files, sample_views):
    view = sample_views["network"]
    nodes, edges = view["nodes"], view["edges"]
    page = tab.open(files["network"])
    text = tab.text("#summary")
    # Brokers: every workshop with betweenness above zero, and the top list says "N of M".
    brokers = sum(nodes["broker"])
    assert brokers == sum(1 for b in nodes["betweenness"] if b > 0) and 10 < brokers < len(nodes["id"])
    assert f"{brokers} de {len(nodes['id'])}" in text
    assert f"Los 10 con mayor intermediación (de {brokers} intermediarios)" in text
    assert ES["sum.counts_help"] in text
    # A workshop in conflict with one other in both waves: one conflict partner, not two.
    conflict = view["kinds"].index("conflict")
    rows = Counter(
        (min(s, d), max(s, d))
        for s, d, k in zip(edges["source"], edges["target"], edges["kind"], strict=True)
        if k == conflict
    )
    partners = Counter(i for pair in rows for i in pair)
    twice = next(nodes["id"][a] for (a, _), n in sorted(rows.items()) if n == 2 and partners[a] == 1)
    page.locator("#workshop-search").fill(twice.lower())
    page.locator(f"#workshop-table tr[data-id='{twice}']").click()
    tab.wait_ready()
    assert "Conflicto 1" in tab.text("#profile") and "Conflicto 2" not in tab.text("#profile")


def test_colour_and_size_follow_the_choice(tab, files, sample_views):
    nodes = sample_views["network"]["nodes"]
    page = tab.open(files["network"])
    before = plot_data(page, "#network-graph")[2]
    page.select_option("#color-by", "territory")
    tab.wait_ready()
    page.select_option("#size-by", "capacity")
    tab.wait_ready()
    after = plot_data(page, "#network-graph")[2]
    assert after["color"] != before["color"]
    assert len(set(after["color"])) == len({nodes["territory"][i] for i in range(len(nodes["id"]))})
    biggest = max(range(len(nodes["id"])), key=lambda i: nodes["capacity"][i])
    assert after["size"][biggest] == max(after["size"]) and after["size"] != before["size"]
    assert tab.text("#legend .legend-title") == ES["legend.color_territory"]


def test_territory_filter_narrows_nodes_and_the_table(tab, files, sample_views):
    view = sample_views["network"]
    territory = view["categories"]["territory"][0]
    members = [i for i, t in enumerate(view["nodes"]["territory"]) if t == 0]
    page = tab.open(files["network"])
    page.select_option("#territory-filter", territory)
    tab.wait_ready()
    assert tab.state()["nodes"] == len(members)
    assert page.locator("#workshop-table tbody tr").count() == len(members)


def test_language_switch_translates_and_is_remembered(tab, files):
    page = tab.open(files["network"])
    assert page.evaluate("document.documentElement.lang") == "es"
    assert tab.text("label[for=kind-friendship]") == ES["kind.friendship"]
    page.click("#lang-switch button[data-lang=en]")
    tab.wait_ready()
    assert tab.text("#summary-title") == EN["sum.title"] != ES["sum.title"]
    assert tab.text("label[for=kind-friendship]") == EN["kind.friendship"]
    assert page.evaluate("document.documentElement.lang") == "en"
    assert tab.state()["lang"] == "en"
    assert page.get_attribute("#lang-switch button[data-lang=en]", "aria-pressed") == "true"
    page.reload()
    tab.wait_ready()
    assert tab.text("#summary-title") == EN["sum.title"]  # remembered
    tab.open(files["network"], query="lang=es")
    assert tab.text("#summary-title") == ES["sum.title"]  # ?lang= wins


def test_keyboard_reaches_the_workshop_table_and_enter_picks_a_workshop(tab, files):
    page = tab.open(files["network"])
    page.locator("body").focus()
    for _ in range(80):
        page.keyboard.press("Tab")
        if page.evaluate("!!document.activeElement.closest('#workshop-table')"):
            break
    else:
        pytest.fail("Tab never reached the workshop table")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    chosen = page.evaluate("document.activeElement.dataset.id")
    page.keyboard.press("Enter")
    tab.wait_ready()
    assert chosen in tab.text("#profile h2")
    assert page.get_attribute(f"#workshop-table tr[data-id='{chosen}']", "aria-selected") == "true"
    ring = plot_data(page, "#network-graph")[-1]
    assert len(ring["x"]) == 1  # the chosen workshop is circled on the network


def test_collapsed_network_opens_communities(tab, files):
    page = tab.open(files["collapsed"])
    # C1, C2 and G (in no community, so never folded); C1-C2 once as a tie and once as a conflict.
    assert tab.state() == {"nodes": 3, "edges": 2, "page": "network", "lang": "en"}
    page.click("#expand-all")
    tab.wait_ready()
    assert (tab.state()["nodes"], tab.state()["edges"]) == (7, 5)
    page.click("#collapse-all")
    tab.wait_ready()
    assert (tab.state()["nodes"], tab.state()["edges"]) == (3, 2)
    # A click on community C1 opens it: A, B, C, C2 and G; A-B, B-C, C-C2 and the A-C2 conflict.
    page.mouse.click(*screen_point(page, "#network-graph", 0.15, 0.25))
    tab.wait_ready()
    assert (tab.state()["nodes"], tab.state()["edges"]) == (5, 4)
    # Picking E in the table opens its community too.
    page.locator("#workshop-table tr[data-id=E]").click()
    tab.wait_ready()
    assert (tab.state()["nodes"], tab.state()["edges"]) == (7, 5)
    assert "E" in tab.text("#profile h2")
    conflicts = plot_data(page, "#network-graph")[1]
    assert len([x for x in conflicts["x"] if x is not None]) == 4  # two conflict ties, two ends each
    page.locator("#workshop-table tr[data-id=G]").click()
    assert tab.text("#profile h2").endswith("G")


def test_page_without_its_data_says_so(tab, files):
    page = tab.open(files["empty"])
    assert tab.text("#app .notice") == ES["error.no_view"]
    assert tab.state()["nodes"] == 0
    assert page.locator("#network-graph").count() == 0


# ---------------------------------------------------------------- proposal and dashboard


def test_proposal_shows_allocation_members_and_the_group_on_the_network(tab, files, sample_views):
    proposals = sample_views["proposals"]
    order_id = max(sorted(proposals), key=lambda o: len(proposals[o]["members"]))
    view = proposals[order_id]
    page = tab.open(files["match"])
    page.select_option("#order-select", order_id)
    tab.wait_ready()
    assert tab.text("#order-title").startswith(ES["proposal.order_title"].format(order=order_id))
    members = [m["workshop_id"] for m in view["members"]]
    rows = page.locator("#member-table tbody tr")
    assert [rows.nth(i).get_attribute("data-id") for i in range(rows.count())] == members
    traces = plot_data(page, "#allocation-chart")
    assert len(traces) == len(view["processes"])
    for trace, process in zip(traces, view["processes"], strict=True):
        expected = [
            sum(a["minutes"] for a in m["allocations"] if a["process"] == process) for m in view["members"]
        ]
        assert trace["x"] == members and trace["y"] == pytest.approx(expected)
    assert page.locator("#allocation-chart .bars path").count() > 0
    assert len(plot_data(page, "#capacity-chart")) == 3
    ring = plot_data(page, "#network-graph")[-1]
    assert len(ring["x"]) == len(members)
    assert tab.state()["nodes"] == len(sample_views["network"]["nodes"]["id"])
    # The optimizer's reasons and "why" lines follow the language, from their messages.
    reasons = page.locator("#reasons li")
    assert reasons.count() == len(view["reasons"])
    processes = view["processes"]
    first = view["reason_messages"][0]
    assert first["key"] == "reason.can_deliver" and view["reasons"][0].startswith(f"{len(members)} workshops")
    assert (
        reasons.first.inner_text()
        == f"{len(members)} talleres pueden entregar para la semana {due_es(view)}."
    )
    spanish = [reasons.nth(i).inner_text() for i in range(reasons.count())]
    assert not set(spanish) & set(view["reasons"])
    assert spanish[-1].startswith("Usa ") and " min que sus miembros tienen libres " in spanish[-1]
    assert all(
        ": todo a cargo de " in r or ": se reparte entre " in r for r in spanish[1 : 1 + len(processes)]
    )
    why = page.locator("#member-table tbody tr").first.locator("li")
    assert why.first.inner_text().startswith("Hace (en unidades) ")
    page.click("#lang-switch button[data-lang=en]")
    tab.wait_ready()
    english = [reasons.nth(i).inner_text() for i in range(reasons.count())]
    assert english == [r[0].upper() + r[1:] for r in view["reasons"]]
    assert why.first.inner_text() == view["members"][0]["why"][0]


def due_es(view: dict[str, Any]) -> str:
    """The due week as the Spanish page writes it."""
    return f"{view['order']['due_weeks']:g}".replace(".", ",")


def test_every_message_reads_in_both_languages(tab, sample_views, tmp_path):
    # One message per key the optimizer writes whole (parts are said inside them), with every
    # cause and every kind of change; codes whose English words are the codes themselves.
    # Data problems (problem.*, validate.*) name files such as workshops.csv; the reader's
    # tests read them in Spanish.
    parts = ("cause.", "change.", "part.", "problem.", "validate.")
    whole = [Message(key, args) for key, args, _ in EXAMPLES if not key.startswith(parts)]
    causes = ["quality", "formality", "territory", "capacity", "process", "specialisation"]
    changes = [
        ("due_weeks", 3),
        ("max_group_size", 4),
        ("territory", "Pilar"),
        ("min_quality", 2),
        ("require_formal", False),
        ("conflict", ["A", "B"]),
        ("rule", "cohesion"),
        ("rule", "min_group_size"),
    ]
    ineligible = {
        "makers": 21,
        "product": "jeans",
        "causes": [{"cause": c, "workshops": n} for n, c in enumerate(causes, start=1)],
        "min_quality": 4,
        "territories": ["Pilar"],
    }
    whole += [
        Message("diagnose.none_eligible", ineligible),
        Message("reason.feasible_with", {"changes": [{"kind": k, "value": v} for k, v in changes]}),
    ]
    order_id = next(iter(sample_views["proposals"]))
    view = dict(
        sample_views["proposals"][order_id],
        reasons=[m.text for m in whole],
        reason_messages=[m.to_dict() for m in whole],
    )
    page = tab.open(write_html(tmp_path / "messages.html", {"proposals": {order_id: view}}, page="proposal"))
    items = page.locator("#reasons li")
    spanish = [items.nth(i).inner_text() for i in range(items.count())]
    assert len(spanish) == len(whole)
    for message, text in zip(whole, spanish, strict=True):
        assert text != message.text and "{" not in text and "workshop" not in text, (message.key, text)
    assert spanish[-2] == (
        "21 talleres hacen jeans, pero ninguno puede tomar el pedido: 1 con calidad menor a 4; "
        "2 sin registro tributario (RUC), que el pedido exige; 3 fuera de Pilar; 4 sin minutos libres; "
        "5 que no hacen ninguno de sus procesos; 6 que hacen principalmente otro producto (se exige "
        "especialización)."
    )
    assert spanish[-1].startswith(
        "Se podría cubrir con entrega en la semana 3, o con grupos de hasta 4 talleres"
    )
    page.click("#lang-switch button[data-lang=en]")
    tab.wait_ready()
    english = [items.nth(i).inner_text() for i in range(items.count())]
    # a sentence capitalised, unless it begins with a value (``seed must be…``: an option's name)
    assert english == [sentence(m.template("en"), m.text) for m in whole]


def test_unfilled_order_shows_its_suggested_changes(tab, files, sample_views):
    unfilled = [o for o, v in sorted(sample_views["proposals"].items()) if v["status"] == "unfilled"]
    assert unfilled, "the sample has an order no group can fill"
    view = sample_views["proposals"][unfilled[0]]
    page = tab.open(files["match"], fragment=f"proposal={unfilled[0]}")
    assert page.locator("#changes li").count() == len(view["changes"])
    assert ES["proposal.unfilled_text"] in tab.text("#changes")
    assert page.locator("#allocation-chart").count() == 0


def test_dashboard_draws_its_charts_and_orders(tab, files, sample_views):
    view = sample_views["dashboard"]
    page = tab.open(files["network"], fragment="dashboard")
    assert tab.state()["page"] == "dashboard"
    page.locator("body").focus()
    page.keyboard.press("Tab")  # the skip link comes first and keeps the page
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "app"
    assert page.get_attribute("#app", "data-page") == "dashboard"
    for chart in (
        "capacity-product-chart",
        "capacity-process-chart",
        "capacity-territory-chart",
        "utilisation-chart",
    ):
        assert page.locator(f"#{chart} .main-svg").count() > 0, chart
        assert page.get_attribute(f"#{chart}", "aria-label")
    products = plot_data(page, "#capacity-product-chart")[0]
    assert products["x"] == [r["minutes"] for r in view["capacity"]["by_product"]]
    assert page.locator("#orders-table tbody tr").count() == len(view["orders"])
    assert (page.locator("#territory-map .main-svg").count() > 0) == bool(view["territories"])
    page.click("#nav a[href='#network']")
    tab.wait_ready()
    assert tab.state()["page"] == "network"


# ---------------------------------------------------------------- shortlist


def test_shortlist_ranks_entries_with_their_score_parts(tab, files):
    page = tab.open(files["shortlist"])
    rows = page.locator("#shortlist-table tbody tr")
    assert [rows.nth(i).get_attribute("data-ref") for i in range(rows.count())] == ["S1", "S2", "G1"]
    traces = plot_data(page, "#score-chart")
    assert {t["name"] for t in traces} == {
        EN[f"score.{p}"] for p in ("capability", "capacity", "quality_margin", "cohesion")
    }
    totals = [sum(t["y"][i] for t in traces) for i in range(3)]
    assert totals == pytest.approx([0.8767, 0.86, 0.5695], abs=1e-3)  # parts add up to the total
    assert tab.text("#score-help").startswith("Quality margin: how far the quality shown")
    # Profiles as the lead firm sees them: S1's quality is a band; S2's territory and main
    # product are withheld, each a dash that says why.
    cells = page.locator("#members-table tbody td")
    assert [cells.nth(i).inner_text() for i in (1, 3, 5)] == ["North", "3–4", "T-shirts"]
    assert page.locator("#withheld-help").count() == 0
    rows.nth(1).click()
    withheld = page.locator("#members-table abbr.withheld")
    assert withheld.count() == 2
    assert withheld.first.get_attribute("title") == "Withheld so that the profile fits at least 5 workshops"
    assert tab.text("#withheld-help").startswith("—: withheld, so that every profile fits at least 5")
    rows.first.focus()
    page.keyboard.press("End")
    page.keyboard.press("Enter")
    assert "G1" in tab.text("#entry-detail h2")
    assert page.locator("#entry-detail tbody tr").count() == 2
    # Why G1 fits and the notes, in English, then in Spanish; S1's hand-written line has no
    # message and stays as written.
    why = page.locator("#entry-detail li")
    assert [why.nth(i).inner_text() for i in range(why.count())] == [
        "2 workshops make the whole order together by week 2.",
        "Cutting: G1-b.",
        "Sewing: G1-a.",
        "0 of 1 member pair tied; in 2 parts not linked by ties.",
        "G1-a can lead the group.",
        "Members have 26,301 min free by then for the 2,550 needed.",
    ]
    assert tab.text("#shortlist-notes li") == NOTES[0].text
    page.click("#lang-switch button[data-lang=es]")
    tab.wait_ready()
    assert tab.text("#entry-detail li") == "Does every process."
    assert tab.text("#shortlist-notes li").startswith("La confiabilidad es desconocida: ")
    rows.last.click()
    headers = page.locator("#members-table th")
    assert "Procesos del pedido" in [headers.nth(i).inner_text() for i in range(headers.count())]
    assert [cells.nth(i).inner_text() for i in (11, 13)] == ["—", "otro"]  # G1-b: quality withheld
    assert [why.nth(i).inner_text() for i in range(why.count())] == [
        "2 talleres hacen juntos todo el pedido para la semana 2.",
        "Corte: G1-b.",
        "Costura: G1-a.",
        "0 de 1 par de miembros tienen un lazo; forman 2 partes no unidas por lazos.",
        "G1-a puede liderar el grupo.",
        "Los miembros tienen 26.301 min libres hasta entonces para los 2.550 min necesarios.",
    ]


def test_ids_are_shown_as_text_never_as_markup(tab, tmp_path):
    evil = '</script><img src="x" onerror="window.pwned=1">'
    nodes = dict(COLLAPSED["nodes"], id=[evil, "B", "C", "D", "E", "F", "G"])
    view = dict(COLLAPSED, nodes=nodes, collapsed=False)
    page = tab.open(write_html(tmp_path / "evil.html", view, page="network"))
    assert page.locator("#workshop-table tbody tr").first.get_attribute("data-id") == evil
    assert page.evaluate("window.pwned") is None
    assert page.locator("img[src=x]").count() == 0


@pytest.mark.parametrize(
    ("alternative", "shown"),
    [
        ({"size": 6, "smallest": True}, "6 talleres"),
        ({"size": 7, "smallest": False}, "7 talleres (no se descartó uno más pequeño)"),
        (None, "ninguno: ningún grupo unido por lazos puede cubrirlo"),
        ("absent", "no se llegó a saber en el tiempo disponible"),
        ("linked", None),
    ],
)
def test_group_page_states_the_tied_alternative(tab, sample_views, tmp_path, alternative, shown):
    order_id, proposal = next(
        (o, v) for o, v in sorted(sample_views["proposals"].items())
        if v["status"] == "filled" and len(v["members"]) > 1
    )  # fmt: skip
    linked = alternative == "linked"
    cohesion = {"positive_pairs": 1 if linked else 0, "density": 0.0, "connected": linked, "components": 2}
    if alternative not in ("absent", "linked"):
        cohesion["connected_alternative"] = alternative
    view = dict(proposal, cohesion=cohesion)
    page = tab.open(write_html(tmp_path / "group.html", {"proposals": {order_id: view}}, page="proposal"))
    text = tab.text("#cohesion")
    if shown is None:
        assert ES["cohesion.connected_alternative"] not in text
    else:
        assert f"{ES['cohesion.connected_alternative']}\n{shown}" in text
    assert page.locator("#cohesion").count() == 1


def test_a_file_shows_the_lot_and_offers_no_action_that_needs_the_service(tab, files, sample_views, tmp_path):
    # Proposals: the lot of every order, no run form, and no group box for an order with no group.
    for order_id, view in sorted(sample_views["proposals"].items()):
        page = tab.open(files["match"], fragment=f"proposal={order_id}")
        assert page.locator("#run-form, #run-match").count() == 0
        lot = view["order"]["lot"]
        said = f"{lot:,} unidades".replace(",", ".") if lot > 1 else "sin lotes: cualquier cantidad"
        assert f"Lote mínimo por taller y proceso\n{said}" in tab.text("#order-summary")
        if not view["members"]:
            assert page.locator("#cohesion, #member-table").count() == 0
    # An outdated shortlist says so, with no button: a file has no service to ask.
    path = write_html(tmp_path / "old.html", {**SHORTLIST, "current": False}, page="shortlist", lang="en")
    page = tab.open(path)
    assert "The data changed" in tab.text("#shortlist-outdated")
    assert page.locator("#refresh-shortlist").count() == 0
