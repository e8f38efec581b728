"""The pages' script modules served beside the shells: every one a page imports, as JavaScript, under
the pages' Content-Security-Policy (scripts from this origin only)."""

from __future__ import annotations

import re

from matcher.views.bundle import ENTRY, module_order


def test_every_module_a_page_loads_is_served_as_javascript(world):
    page = world.as_("anyone", "GET", "/ui/network")
    assert "script-src 'self';" in page.headers["content-security-policy"]  # no inline script runs
    assert f'<script type="module" src="/ui/static/{ENTRY}"></script>' in page.text
    linked = re.findall(r'<link rel="modulepreload" href="(/ui/static/[\w.-]+)">', page.text)
    assert sorted(linked) == sorted(f"/ui/static/{name}" for name in module_order())
    for url in linked:
        r = world.as_("anyone", "GET", url)
        assert r.status_code == 200, url
        assert "javascript" in r.headers["content-type"], url  # browsers refuse modules of other types
        # Every import is of a sibling module this route serves.
        for target in re.findall(rb'^import \{[^}]*\} from "\./([\w-]+\.js)";', r.content, re.MULTILINE):
            assert f"/ui/static/{target.decode()}" in linked, (url, target)
    assert world.as_("anyone", "GET", "/ui/static/globals.d.ts").status_code == 404  # types only
