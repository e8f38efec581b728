"""Browser tests: one headless Chromium per session; pages opened from files, offline.

The browser is Debian's ``/usr/bin/chromium`` (or ``MATCHER_CHROMIUM``), driven
by Playwright; no browser is ever downloaded. Without one the tests are skipped
with the command that installs it (they fail under ``CI=true``, see
:mod:`tests._needs`); ``MATCHER_SKIP_BROWSER=1`` skips them anyway.
Every test leaves a screenshot in ``tests/artifacts/screenshots/<test>.png``,
and fails if its page asked for anything but a local file or raised a script
error.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests._needs import unavailable

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = Path(__file__).resolve().parents[1] / "artifacts" / "screenshots"
#: Schemes that never leave the machine.
LOCAL = ("file:", "data:", "blob:", "about:")


def _unavailable(reason: str) -> None:
    if os.environ.get("MATCHER_SKIP_BROWSER") == "1":
        pytest.skip(f"browser tests skipped (MATCHER_SKIP_BROWSER=1): {reason}")
    unavailable(reason, "apt-get install chromium (or MATCHER_CHROMIUM=/path/to/chromium)")


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One headless Chromium for the whole session."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("playwright is not installed (pip install -e '.[test]')")
    executable = os.environ.get("MATCHER_CHROMIUM") or "/usr/bin/chromium"
    if not Path(executable).is_file():
        _unavailable(f"no Chromium at {executable}")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class Tab:
    """A browser page, with the requests it tried beyond local files and the script errors it raised."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.drawn = 0.0
        self.requests: list[str] = []
        self.errors: list[str] = []

    def open(self, path: Path, *, fragment: str = "", query: str = "") -> Any:
        """Open a file and wait until its page says it is drawn."""
        url = path.as_uri() + (f"?{query}" if query else "") + (f"#{fragment}" if fragment else "")
        self.page.goto(url)
        self.wait_ready()
        return self.page

    def wait_ready(self) -> None:
        """Wait for a drawing newer than the last one seen (an action's redraw, not the page before it)."""
        handle = self.page.wait_for_function(
            """seen => document.body.dataset.ready === '1'
                && Number(document.body.dataset.drawn) > seen
                && Number(document.body.dataset.drawn)""",
            arg=self.drawn,
            timeout=20_000,
        )
        self.drawn = handle.json_value()

    def state(self) -> dict[str, Any]:
        return self.page.evaluate("window.matcherState")

    def text(self, selector: str) -> str:
        return self.page.locator(selector).first.inner_text()


@pytest.fixture
def tab(browser: Any, request: pytest.FixtureRequest) -> Iterator[Tab]:
    """A fresh page (own storage) that may load local files only; screenshot kept after the test."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, service_workers="block")

    def only_local(route: Any) -> None:
        if route.request.url.startswith(LOCAL):
            route.continue_()
        else:
            route.abort()

    context.route("**/*", only_local)
    page = context.new_page()
    opened = Tab(page)
    page.on("request", lambda r: None if r.url.startswith(LOCAL) else opened.requests.append(r.url))
    page.on("pageerror", lambda exc: opened.errors.append(str(exc)))
    page.on("console", lambda m: opened.errors.append(m.text) if m.type == "error" else None)
    try:
        yield opened
    finally:
        try:
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            name = re.sub(r"[^\w.-]+", "_", request.node.name)
            page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
        finally:
            context.close()
    assert opened.requests == [], f"the page tried to reach the network: {opened.requests}"
    assert opened.errors == [], f"script errors: {opened.errors}"
