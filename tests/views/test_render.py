"""Pages as HTML: both modes, inlined assets, safe JSON, catalogues that match the script."""

from __future__ import annotations

import json
import os
import re
import stat
from pathlib import Path

import pytest

from matcher.errors import InvalidOptionError, UnknownIdError
from matcher.model import TIE_KINDS
from matcher.routing import EXTRA_PROCESSES, default_routings
from matcher.views.bundle import MODULES, MODULES_DIR, module_order
from matcher.views.render import (
    ASSETS,
    LANGUAGES,
    PAGES,
    asset_path,
    check_html_path,
    render_page,
    write_html,
)

STATIC = Path(asset_path("app.css")).parent
#: Every module of the pages' script, as one text.
APP_JS = "\n".join((MODULES_DIR / name).read_text(encoding="utf-8") for name in MODULES)
TEMPLATES = STATIC.parent / "templates"
CATALOGUES = {
    lang: json.loads((STATIC / "i18n" / f"{lang}.json").read_text(encoding="utf-8")) for lang in LANGUAGES
}

#: A network view as small as the schema allows, written by hand.
TINY_NETWORK = {
    "view": "network",
    "version": 1,
    "scope": {"territory": None, "organization": None, "workshops": 2},
    "summary": {"workshops": 2, "ties": 1},
    "kinds": ["friendship"],
    "waves": [],
    "categories": {"territory": ["T"], "product": ["tshirt"], "organization": []},
    "nodes": {"id": ["A", "B"], "x": [0.1, 0.9], "y": [0.5, 0.5]},
    "edges": {"source": [0], "target": [1], "kind": [0], "wave": [-1], "strength": [3]},
    "communities": [],
    "community_edges": {"source": [], "target": [], "ties": [], "conflicts": []},
    "collapsed": False,
}


def script_json(html: str, element_id: str) -> object:
    match = re.search(rf'<script type="application/json" id="{element_id}">(.*?)</script>', html, re.DOTALL)
    assert match, f"no #{element_id} in the page"
    return json.loads(match.group(1))


def main_tag(html: str) -> str:
    match = re.search(r'<main id="app"[^>]*>', html)
    assert match
    return match.group(0)


# ---------------------------------------------------------------- both modes, every page


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("lang", LANGUAGES)
def test_standalone_page_inlines_everything(page, lang):
    html = render_page(page, data={"network": TINY_NETWORK}, lang=lang)
    assert html.startswith("<!doctype html>")
    assert f'<html lang="{lang}">' in html
    assert f'data-page="{page}"' in main_tag(html) and 'data-mode="standalone"' in main_tag(html)
    assert "<script src=" not in html and "<link " not in html  # nothing to fetch: works offline
    assert "plotly.js v" in html  # the bundled plotly.js, from the plotly package
    assert "window.matcherState" in html  # app.js
    assert ":focus-visible" in html  # app.css
    assert script_json(html, "matcher-i18n") == CATALOGUES  # both languages, for the switch
    assert script_json(html, "matcher-data") == {"network": TINY_NETWORK}
    assert f"<title>{CATALOGUES[lang]['page.' + page]} · matcher</title>" in html


@pytest.mark.parametrize("page", PAGES)
def test_service_page_links_its_assets(page):
    html = render_page(
        page, standalone=False, data_urls={"network": "/views/network"}, asset_base="/ui/static/"
    )
    assert '<script type="module" src="/ui/static/app.js"></script>' in html
    for name in module_order():  # fetched at once, not one import level after another
        assert f'<link rel="modulepreload" href="/ui/static/{name}">' in html
    assert '<link rel="stylesheet" href="/ui/static/app.css">' in html
    charts = page in ("network", "proposal", "dashboard", "shortlist", "mentoring")
    assert ('<script src="/ui/static/plotly.min.js"></script>' in html) is charts
    assert "plotly.js v" not in html and len(html) < 200_000  # nothing big inlined
    assert 'id="matcher-data"' not in html
    assert 'data-mode="service"' in main_tag(html)
    urls = re.search(r'data-urls="([^"]*)"', main_tag(html)).group(1)
    assert json.loads(urls.replace("&#34;", '"')) == {"network": "/views/network"}
    assert script_json(html, "matcher-i18n") == CATALOGUES  # small; saves a request per language


def test_service_links_default_to_pages_beside_the_assets():
    html = render_page("home", standalone=False, asset_base="/ui/static")
    links = json.loads(re.search(r'data-links="([^"]*)"', html).group(1).replace("&#34;", '"'))
    assert links["login"] == "/ui/login" and links["home"] == "/ui"
    assert links["proposal"] == "/ui/orders/{order_id}/proposal"
    chosen = render_page("home", standalone=False, links={"login": "/signin"})
    assert "/signin" in chosen and "/ui/login" not in chosen


def test_login_and_home_need_no_plotly_in_service_mode_but_a_standalone_file_with_data_does():
    assert "plotly.js v" not in render_page("login")
    assert "plotly.js v" in render_page("home", data={"dashboard": {"view": "dashboard"}})


def test_title_names_the_object_then_the_page():
    html = render_page("proposal", lang="en", title="O7 <b>", standalone=False)
    assert "<title>O7 &lt;b&gt; · Group proposal · matcher</title>" in html
    assert 'data-title="O7 &lt;b&gt;"' in html  # autoescaped


# ---------------------------------------------------------------- data inlined safely


def test_data_cannot_close_the_script_element():
    evil = "</script><script>alert(1)</script><!-- & \u2028"
    view = dict(TINY_NETWORK, nodes=dict(TINY_NETWORK["nodes"], id=[evil, "B"]))
    html = render_page("network", data=view)
    block = html.split('id="matcher-data">', 1)[1].split("</script>", 1)[0]
    assert "<" not in block and ">" not in block and "&" not in block
    assert "alert(1)" in block  # still there, as inert text
    assert script_json(html, "matcher-data")["network"]["nodes"]["id"][0] == evil


def test_data_that_is_not_json_ready_is_refused_with_a_reason():
    with pytest.raises(InvalidOptionError, match="JSON-ready"):
        render_page("network", data={"network": {"density": float("nan")}})
    with pytest.raises(InvalidOptionError, match="dict of views"):
        render_page("network", data=["not", "a", "dict"])


def test_single_views_and_proposal_lists_are_filed_under_their_key():
    proposal = {"view": "proposal", "order": {"order_id": "O1"}, "members": []}
    cases = [
        (TINY_NETWORK, {"network": TINY_NETWORK}),
        ({"view": "dashboard", "workshops": 0}, {"dashboard": {"view": "dashboard", "workshops": 0}}),
        (proposal, {"proposals": {"O1": proposal}}),
        ({"proposals": [proposal]}, {"proposals": {"O1": proposal}}),
        (
            {"singles": [], "groups": [], "order": {}},
            {"shortlist": {"singles": [], "groups": [], "order": {}}},
        ),
    ]
    for data, bundle in cases:
        assert script_json(render_page("home", data=data), "matcher-data") == bundle


def test_a_page_without_data_has_no_data_block_and_the_message_for_it_exists():
    html = render_page("network")
    assert 'id="matcher-data"' not in html
    # The script shows error.no_view when a standalone page holds no data for itself.
    assert 't("error.no_view")' in APP_JS
    assert all(CATALOGUES[lang]["error.no_view"] for lang in LANGUAGES)


def test_unknown_page_or_language_is_named():
    with pytest.raises(InvalidOptionError, match="unknown page 'map'; pages: home, login"):
        render_page("map")
    with pytest.raises(InvalidOptionError, match="unknown language 'fr'; use one of es, en"):
        render_page("home", lang="fr")


# ---------------------------------------------------------------- catalogues


def test_catalogues_have_the_same_keys_and_placeholders():
    es, en = CATALOGUES["es"], CATALOGUES["en"]
    assert set(es) == set(en)
    placeholders = re.compile(r"\{(\w+)\}")
    for key in es:
        assert es[key].strip() and en[key].strip(), key
        assert set(placeholders.findall(es[key])) == set(placeholders.findall(en[key])), key


def test_every_key_the_script_and_template_use_is_in_the_catalogues():
    keys = set(CATALOGUES["es"])
    used = set(re.findall(r"\bt\(\s*[\"']([^\"']+)[\"']\s*[,)]", APP_JS))
    prefixes = {key.split(".")[0] for key in keys}
    # Keys passed around as strings (add("sum.size", ...), column lists, the plotly strings).
    quoted = {
        s for s in re.findall(r"\"([a-z_]+\.[a-z0-9_]*[a-z0-9])\"", APP_JS) if s.split(".")[0] in prefixes
    }
    template = (TEMPLATES / "page.html").read_text(encoding="utf-8")
    in_template = set(re.findall(r"t\([\"']([\w.]+)[\"']\)", template))
    in_template |= set(re.findall(r'data-i18n(?:-aria-label)?="([\w.]+)"', template))
    assert len(used) > 150
    assert used - keys == set()
    assert quoted - keys == set()
    assert in_template - keys == set()


def test_keys_built_at_run_time_exist():
    keys = set(CATALOGUES["es"])
    needed = {f"page.{p}" for p in PAGES}
    needed |= {f"nav.{p}" for p in PAGES if p != "login"}
    needed |= {f"home.about_{p}" for p in PAGES if p not in ("home", "login")}
    needed |= {f"legend.color_{c}" for c in ("community", "territory", "product")}
    needed |= {f"highlight.{r}" for r in ("broker", "isolate", "articulation")}
    needed |= {f"dash.{k}" for k in ("by_product", "by_process", "by_territory")}
    needed |= {f"dash.col_{k}" for k in ("product", "process", "territory")}
    needed |= {
        f"score.{p}" for p in ("capability", "capacity", "quality_margin", "reliability", "cohesion", "total")
    }
    needed |= {f"kind.{k}" for k in TIE_KINDS}
    needed |= {f"process.{p}" for p in EXTRA_PROCESSES}
    needed |= {f"product.{p}" for p in default_routings()}
    needed |= {f"status.{s}" for s in ("filled", "partial", "unfilled", "not_matched")}
    needed |= {
        f"role.{r}" for r in ("admin", "coordinator", "association_leader", "lead_firm", "municipality")
    }
    assert needed - keys == set()


def test_numbers_go_through_intl_and_strings_through_the_catalogue():
    assert "Intl.NumberFormat" in APP_JS
    assert "toFixed(" not in APP_JS and "toLocaleString(" not in APP_JS


# ---------------------------------------------------------------- files


def test_write_html_writes_atomically_and_refuses_to_overwrite(tmp_path):
    target = tmp_path / "out" / "net.html"
    written = write_html(target, {"network": TINY_NETWORK}, page="network", lang="en")
    assert written == target
    html = target.read_text(encoding="utf-8")
    assert '<html lang="en">' in html and script_json(html, "matcher-data") == {"network": TINY_NETWORK}
    assert stat.S_IMODE(target.stat().st_mode) == 0o644
    assert sorted(os.listdir(target.parent)) == ["net.html"]  # no temporary file left
    with pytest.raises(InvalidOptionError, match=rf"{re.escape(str(target))} already exists"):
        write_html(target, None, page="login")
    assert target.read_text(encoding="utf-8") == html
    write_html(target, None, page="login", overwrite=True)
    assert 'data-page="login"' in target.read_text(encoding="utf-8")


def test_write_html_names_bad_targets(tmp_path):
    (tmp_path / "file").write_text("x")
    cases = [
        (tmp_path / "page.pdf", "the file name must end in .html"),
        (tmp_path, "is a folder; give a file name such as"),
        (tmp_path / "file" / "page.html", "is a file, not a folder"),
    ]
    for path, message in cases:
        with pytest.raises(InvalidOptionError, match=message):
            write_html(path, None, page="home")
    with pytest.raises(InvalidOptionError, match="unknown language 'de'"):
        check_html_path(tmp_path / "ok.html", lang="de")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file"]


def test_assets_are_files_and_plotly_comes_from_its_package():
    for name in ASSETS:
        assert asset_path(name).is_file(), name
    plotly_js = asset_path("plotly.min.js")
    assert "site-packages" in plotly_js.parts or "plotly" in plotly_js.parts
    assert STATIC not in plotly_js.parents  # never copied into the project
    for bad in ("../render.py", "app.py", "i18n/fr.json", "/etc/passwd"):
        with pytest.raises(UnknownIdError, match="unknown asset id"):
            asset_path(bad)
        with pytest.raises(KeyError):  # a service answers 404 on KeyError
            asset_path(bad)
