"""How fast the network page becomes interactive in headless Chromium, with thousands of workshops.

    python benchmarks/pages.py                     # 5,000 workshops, 3 loads of each
    python benchmarks/pages.py --workshops 20000 --repeats 1

A generated cluster (as ``matcher generate --seed 0``) is drawn two ways:

* the standalone file of ``matcher analyze PATH --html FILE`` (everything
  inlined: plotly.js, the page script, the data), opened from disk;
* the service's ``/ui/network`` page, signed in as a coordinator of every
  territory, with the view fetched from ``/views/network``: the first load after
  the start (the service builds the view of the whole cluster while it starts;
  a load that comes first waits for it) and the later ones (the view is kept
  per data version). ``build s`` is the time of the view itself (communities,
  brokers, layout), paid once per data change.

Each page is drawn as it opens (communities as single nodes above 1,000
workshops) and with every workshop drawn (``collapse_above`` raised). Time to
interactive is the wall time from asking the browser to navigate until the
page marks itself ready (``body[data-ready]``: drawn, handlers attached), in a
fresh tab with an empty cache. Target: 5,000 workshops interactive in <= 2 s.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks._table import markdown_table, text_table, write_results

CHROMIUM = os.environ.get("MATCHER_CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TARGET = 2.0
ALL = 10**9


def _open(browser, url: str, *, token: str | None = None) -> tuple[float, dict]:
    """Seconds from navigation to ready, and what the page says it drew."""
    context = browser.new_context()
    if token is not None:
        context.add_init_script(f"sessionStorage.setItem('matcher_token', {token!r});")
    page = context.new_page()
    started = time.perf_counter()
    page.goto(url, wait_until="commit")
    page.wait_for_selector("body[data-ready='1']", state="attached", timeout=60_000)
    seconds = time.perf_counter() - started
    state = page.evaluate("window.matcherState")
    context.close()
    return seconds, state


def standalone(browser, cluster, folder: Path, repeats: int) -> list[tuple]:
    from matcher.views import network_view, render_page

    rows = []
    for label, collapse in (("as opened", 1000), ("every workshop", ALL)):
        started = time.perf_counter()
        view = network_view(cluster, seed=0, collapse_above=collapse)
        html = render_page("network", data={"network": view}, lang="es", standalone=True)
        build = time.perf_counter() - started
        path = folder / f"network-{collapse}.html"
        path.write_text(html, encoding="utf-8")
        times, state = [], {}
        for _ in range(repeats):
            seconds, state = _open(browser, path.as_uri())
            times.append(seconds)
        rows.append(("standalone file", label, state, times, build, path.stat().st_size))
    return rows


def service(browser, workshops: int, repeats: int) -> list[tuple]:
    import httpx2 as httpx
    from sqlalchemy.orm import Session

    from benchmarks.service import _free_port, load, serve
    from matcher_service.db import make_engine
    from matcher_service.models import User
    from matcher_service.security import hash_password

    rows = []
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'pages.db'}"
        data = load(url, workshops, 10)
        engine = make_engine(url)
        with Session(engine) as session:
            user = session.query(User).filter_by(username="coordinator").one()
            user.password_hash = hash_password("coordinator-password")
            session.commit()
        engine.dispose()
        keys = data["keys"]
        del data
        port = _free_port()
        proc = serve(url, port, 1, Path(folder), keys)
        try:
            base = f"http://127.0.0.1:{port}"
            form = {"username": "coordinator", "password": "coordinator-password"}
            token = httpx.post(f"{base}/auth/token", data=form, timeout=30).json()["access_token"]
            for label, collapse in (("as opened", 1000), ("every workshop", ALL)):
                page = f"{base}/ui/network?collapse_above={collapse}"
                first, state = _open(browser, page, token=token)
                rows.append(("service, first load", label, state, [first], None, None))
                times = [_open(browser, page, token=token)[0] for _ in range(repeats)]
                rows.append(("service, view kept", label, state, times, None, None))
        finally:
            proc.terminate()
            proc.wait(timeout=30)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--workshops", type=int, default=5000)
    parser.add_argument("--repeats", type=int, default=3, help="loads of each page (median reported)")
    parser.add_argument("--skip-service", action="store_true", help="only the standalone file")
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright

    from matcher.synthetic import generate_cluster

    cluster, _contacts = generate_cluster(args.workshops, 10, seed=0)
    print(f"{args.workshops:,} workshops, {len(cluster.ties):,} ties", flush=True)
    with sync_playwright() as p, tempfile.TemporaryDirectory() as folder:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            rows = standalone(browser, cluster, Path(folder), args.repeats)
            if not args.skip_service:
                rows += service(browser, args.workshops, args.repeats)
        finally:
            browser.close()
    body = []
    for where, label, state, times, build, size in rows:
        median = statistics.median(times)
        body.append((
            where, label, f"{state.get('nodes', 0):,}", f"{state.get('edges', 0):,}",
            "-" if build is None else f"{build:.2f}", "-" if size is None else f"{size / 2**20:.1f}",
            f"{median:.2f}", f"{max(times):.2f}", f"{TARGET:g}", "yes" if median <= TARGET else "NO",
        ))  # fmt: skip
    what = "seconds from navigation to interactive (headless Chromium)"
    caption = f"Network page, {args.workshops:,} workshops: {what}"
    columns = ("page", "drawn", "nodes", "edges", "build s", "file MiB", "median s", "max s", "target", "met")
    print(f"\n{caption}")
    print(text_table(columns, body))
    write_results("pages", [caption, markdown_table(columns, body)])


if __name__ == "__main__":
    main()
