"""The API docs (``/docs``, ``/redoc``) in a real browser: drawn under their policy, offline.

Every script, style and icon comes from the server; the policy (CSP) is
enforced, not bypassed, so a script it refused would leave the page empty.
ReDoc's own "API docs by Redocly" logo points at its vendor's site: the policy
refuses it (no request leaves) and ReDoc hides it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from matcher_service.app import create_app
from matcher_service.settings import Settings
from tests.browser.conftest import SCREENSHOTS
from tests.service.conftest import live_server


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("docs")
    settings = Settings(database_url=f"sqlite:///{folder / 'docs.db'}", secret_key="docs-test")
    with live_server(create_app(settings)) as url:
        yield url


def _open(browser: Any, base: str, path: str, drawn: str, shot: str) -> tuple[Any, dict[str, list[str]]]:
    context = browser.new_context(viewport={"width": 1300, "height": 900})
    page = context.new_page()
    seen: dict[str, list[str]] = {"loaded_outside": [], "errors": [], "refused": []}
    local = (base, "data:", "blob:", "about:")
    page.on(
        "requestfinished",
        lambda r: None if r.url.startswith(local) else seen["loaded_outside"].append(r.url),
    )
    page.on("pageerror", lambda exc: seen["errors"].append(str(exc)))
    page.on(
        "console",
        lambda m: (
            seen["refused" if "Content Security Policy" in m.text else "errors"].append(m.text)
            if m.type == "error"
            else None
        ),
    )
    page.goto(base + path)
    page.wait_for_selector(drawn, timeout=30_000)
    page.wait_for_timeout(500)  # late requests and errors
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"service_{shot}.png"))
    context.close()
    return page, seen


def test_swagger_ui_draws_every_operation_from_local_files(browser, base):
    _page, seen = _open(browser, base, "/docs", ".opblock-summary-path", "docs_swagger")
    assert seen == {"loaded_outside": [], "errors": [], "refused": []}


def test_redoc_draws_from_local_files(browser, base):
    _page, seen = _open(browser, base, "/redoc", "h2 >> text=workshops", "docs_redoc")
    assert seen["loaded_outside"] == [] and seen["errors"] == []
    assert all("cdn.redoc.ly" in text for text in seen["refused"]), seen["refused"]
