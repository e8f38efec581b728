"""The browser pages as HTML: one shell template, the pages' script modules, one style sheet.

A page is a small HTML shell (:file:`templates/page.html`) around
``<main id="app" data-page="...">``; the ES modules of ``static/js`` (entry
``app.js``, see :mod:`matcher.views.bundle`) draw it from the view models of
:mod:`matcher.views.model` (network, proposal, dashboard, mentoring, plan) or the service's
shortlist answer, in Spanish or English.

Two ways to ship a page:

- **standalone** (``matcher analyze --html``, ``matcher match --html``): one
  file with plotly.js, the modules bundled into one script
  (:func:`matcher.views.bundle.bundle`), the style sheet, both language
  catalogues and the data inlined, that opens offline from disk;
- **service** (``standalone=False``): the entry module
  (``<script type="module">``), plotly.js and the style sheet linked from
  ``asset_base`` (served with :func:`asset_path`, every module under its own
  name beside ``app.js``) and the data fetched by the browser from
  ``data_urls`` with the signed-in user's token.

Examples
--------
>>> html = render_page("login", lang="en", standalone=False, asset_base="/ui/static")
>>> '<main id="app"' in html and '<script type="module" src="/ui/static/app.js">' in html
True
>>> asset_path("app.js").name
'app.js'
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from collections.abc import Mapping
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

import jinja2

from matcher.errors import InvalidOptionError, MatcherError, UnknownIdError
from matcher.views.bundle import ENTRY, MODULES, MODULES_DIR, module_order
from matcher.views.bundle import bundle as bundled_modules

__all__ = ["ASSETS", "LANGUAGES", "PAGES", "asset_path", "check_html_path", "render_page", "write_html"]

#: Pages the script can draw.
PAGES: tuple[str, ...] = (
    "home",
    "login",
    "network",
    "proposal",
    "dashboard",
    "shortlist",
    "mentoring",
    "plan",
)
#: Languages of the catalogues, the default first.
LANGUAGES: tuple[str, ...] = ("es", "en")
#: Files a service serves beside the pages (see :func:`asset_path`).
ASSETS: tuple[str, ...] = ("plotly.min.js", *MODULES, "app.css", "i18n/es.json", "i18n/en.json")

#: Pages that draw charts and so need plotly.js in service mode.
CHART_PAGES = frozenset({"network", "proposal", "dashboard", "shortlist", "mentoring"})
#: Keys of the data a standalone file carries.
BUNDLE_KEYS = ("network", "proposals", "dashboard", "shortlist", "mentoring", "plan")

#: Characters written as JSON escapes inside a script element (the HTML parser reads raw text there).
SCRIPT_ESCAPES = (
    ("<", "\\u003c"),
    (">", "\\u003e"),
    ("&", "\\u0026"),
    ("\u2028", "\\u2028"),
    ("\u2029", "\\u2029"),
)

HERE = Path(__file__).resolve().parent
STATIC = HERE / "static"
TEMPLATES = HERE / "templates"


@cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


@cache
def _catalogues() -> dict[str, dict[str, str]]:
    return {
        lang: json.loads((STATIC / "i18n" / f"{lang}.json").read_text(encoding="utf-8")) for lang in LANGUAGES
    }


@cache
def _text(name: str) -> str:
    """An asset's text, read once per process (plotly.js is 4.8 MB)."""
    return asset_path(name).read_text(encoding="utf-8")


def asset_path(name: str) -> Path:
    """The file behind a static asset name, for a service to serve.

    Parameters
    ----------
    name : str
        One of :data:`ASSETS`: ``"plotly.min.js"`` (the copy bundled with the
        installed ``plotly`` package), a script module (``"app.js"``,
        ``"i18n.js"``, ... from ``static/js``), ``"app.css"``,
        ``"i18n/es.json"`` or ``"i18n/en.json"``.

    Raises
    ------
    UnknownIdError
        For any other name (a ``KeyError`` too, so a service answers 404).

    Examples
    --------
    >>> asset_path("plotly.min.js").name
    'plotly.min.js'
    >>> asset_path("../secrets")
    Traceback (most recent call last):
    ...
    matcher.errors.UnknownIdError: unknown asset id ../secrets; known asset ids: plotly.min.js, ...
    """
    if name not in ASSETS:
        raise UnknownIdError("asset", [name], ASSETS)
    if name == "plotly.min.js":
        path = Path(str(files("plotly").joinpath("package_data", "plotly.min.js")))
        if not path.is_file():
            raise MatcherError(f"plotly.js is missing from the plotly package ({path}); reinstall plotly")
        return path
    if name in MODULES:
        return MODULES_DIR / name
    return STATIC / name


def _script_json(value: Any) -> str:
    r"""JSON safe inside ``<script type="application/json">``: no ``</script>``, ``<!--`` or ``&``.

    Examples
    --------
    >>> print(_script_json({"a": "</script><!--"}))
    {"a":"\u003c/script\u003e\u003c!--"}
    """
    try:
        text = json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    except (TypeError, ValueError) as exc:
        raise InvalidOptionError(
            f"the page data must be JSON-ready (no NaN, infinity or objects): {exc}"
        ) from None
    for raw, escaped in SCRIPT_ESCAPES:
        text = text.replace(raw, escaped)
    return text


def _inline_script(text: str) -> str:
    """Script text safe inside ``<script>``: a ``</script`` in it would end the element."""
    return re.sub(r"</(script)", r"<\\/\1", text, flags=re.IGNORECASE)


def _bundle(data: Any) -> dict[str, Any] | None:
    """The data of a page as ``{"network", "proposals", "dashboard", "shortlist", "mentoring", "plan"}``.

    A single view (``{"view": "network", ...}``), a proposal list, or a
    shortlist answer (with ``singles`` and ``groups``) is put under its key.
    """
    if data is None:
        return None
    if not isinstance(data, Mapping):
        raise InvalidOptionError(f"page data must be a dict of views, not {type(data).__name__}")
    kind = data.get("view")
    if kind in ("network", "dashboard", "mentoring", "plan"):
        return {kind: dict(data)}
    if kind == "proposal":
        return {"proposals": {data["order"]["order_id"]: dict(data)}}
    if "singles" in data and "groups" in data:
        return {"shortlist": dict(data)}
    bundle = dict(data)
    proposals = bundle.get("proposals")
    if isinstance(proposals, list | tuple):
        bundle["proposals"] = {p["order"]["order_id"]: p for p in proposals}
    return bundle


def _service_links(asset_base: str) -> dict[str, str]:
    """Where the other pages are, guessed from ``asset_base`` (``/ui/static`` -> pages under ``/ui``)."""
    base = asset_base.rstrip("/")
    root = base[: -len("/static")] if base.endswith("/static") else ""
    return {
        "home": root or "/",
        "login": f"{root}/login",
        "network": f"{root}/network",
        "dashboard": f"{root}/dashboard",
        "proposal": f"{root}/orders/{{order_id}}/proposal",
        "shortlist": f"{root}/orders/{{order_id}}/shortlist",
        "mentoring": f"{root}/mentoring",
        "plan": f"{root}/plan",
    }


def _check(page: str, lang: str) -> None:
    problems = []
    if page not in PAGES:
        problems.append(f"unknown page {page!r}; pages: {', '.join(PAGES)}")
    if lang not in LANGUAGES:
        problems.append(f"unknown language {lang!r}; use one of {', '.join(LANGUAGES)}")
    if problems:
        raise InvalidOptionError("; ".join(problems))


def render_page(
    page: str,
    *,
    data: Any = None,
    lang: str = "es",
    standalone: bool = True,
    data_urls: Mapping[str, str] | None = None,
    asset_base: str = "static",
    title: str | None = None,
    links: Mapping[str, str] | None = None,
) -> str:
    """One browser page as HTML.

    Parameters
    ----------
    page : str
        ``"home"``, ``"login"``, ``"network"``, ``"proposal"``, ``"dashboard"``, ``"shortlist"``,
        ``"mentoring"`` or ``"plan"``.
    data : dict, optional
        Inlined as ``<script type="application/json" id="matcher-data">``:
        ``{"network": view, "proposals": {order_id: view}, "dashboard": view,
        "shortlist": answer, "mentoring": view, "plan": view}`` (any subset),
        or one view alone. A standalone file with several views has a menu to
        move between them.
    lang : str
        Default language (``"es"`` or ``"en"``); the reader's choice (``?lang=``,
        then the one remembered by the browser) wins.
    standalone : bool
        Inline plotly.js, the modules (bundled into one script) and the style
        sheet (a file that works offline); otherwise link them from ``asset_base``.
    data_urls : dict, optional
        Service mode: where the script fetches data, by key (``network``,
        ``proposal``, ``dashboard``, ``shortlists``/``shortlist``, ``me``,
        ``token``, ``run``, ``jobs``, ``orders``, ``logout``).
    asset_base : str
        URL prefix of the assets in service mode (``{asset_base}/app.js``).
    title : str, optional
        Shown before the page's name in the window title (e.g. an order id).
    links : dict, optional
        Service mode: URL of each page (``{order_id}`` stands for the order);
        by default the pages are beside ``asset_base`` (``/ui/static`` ->
        ``/ui/login``, ``/ui/orders/{order_id}/proposal``, ...).

    Returns
    -------
    str
        The HTML document.

    Raises
    ------
    InvalidOptionError
        For an unknown page or language, or data that is not JSON-ready.

    Examples
    --------
    >>> html = render_page("network", data={"view": "network", "nodes": {"id": []}}, lang="en")
    >>> 'id="matcher-data"' in html and '"network":{"view":"network"' in html
    True
    >>> "<script src=" in html  # everything inlined
    False
    """
    _check(page, lang)
    catalogue = _catalogues()[lang]
    bundle = _bundle(data)
    page_title = catalogue[f"page.{page}"]
    heading = f"{title} · {page_title}" if title else page_title
    context = {
        "page": page,
        "lang": lang,
        "standalone": standalone,
        "window_title": f"{heading} · {catalogue['app.name']}",
        "extra_title": title or "",
        "t": lambda key: catalogue.get(key, key),
        "asset_base": asset_base.rstrip("/"),
        "urls_json": json.dumps(dict(data_urls or {}), ensure_ascii=False, separators=(",", ":")),
        "links_json": json.dumps(
            dict(links) if links is not None else ({} if standalone else _service_links(asset_base)),
            ensure_ascii=False,
            separators=(",", ":"),
        ),
        "i18n_json": _script_json(_catalogues()),
        "data_json": None if bundle is None else _script_json(bundle),
        # A standalone file may move to any page it holds, so it always carries plotly.js.
        "with_plotly": (bundle is not None or page in CHART_PAGES) if standalone else page in CHART_PAGES,
        "css": _text("app.css") if standalone else "",
        "app_js": _inline_script(bundled_modules()) if standalone else "",
        "entry": ENTRY,
        # Service mode: every module fetched at once, not one import level after another.
        "modules": () if standalone else module_order(),
        "plotly_js": "",
    }
    if standalone and context["with_plotly"]:
        context["plotly_js"] = _inline_script(_text("plotly.min.js"))
    return _environment().get_template("page.html").render(context)


def check_html_path(path: str | Path, *, lang: str = "es", overwrite: bool = False) -> Path:
    """Refuse, before any work, a page file :func:`write_html` would refuse.

    Every problem (name, folder, existing file, language) is named in one error.

    Raises
    ------
    InvalidOptionError
        When ``path`` is a folder, does not end in ``.html``, exists (without
        ``overwrite``) or lies under a file, or ``lang`` is not ``"es"`` or ``"en"``.

    Examples
    --------
    >>> check_html_path("views.html").name
    'views.html'
    >>> check_html_path("views.pdf", lang="fr")
    Traceback (most recent call last):
    ...
    matcher.errors.InvalidOptionError: cannot write a page to views.pdf: ...; unknown language 'fr'; ...
    """
    path = Path(path)
    problems = []
    if path.is_dir():
        problems.append(f"{path} is a folder; give a file name such as {path / 'matcher.html'}")
    elif path.suffix.lower() not in (".html", ".htm"):
        problems.append(f"cannot write a page to {path.name}: the file name must end in .html")
    elif path.exists() and not overwrite:
        problems.append(f"{path} already exists; choose another path or overwrite it")
    else:
        folder = next((p for p in path.absolute().parents if p.exists()), None)
        if folder is not None and not folder.is_dir():
            problems.append(f"cannot write {path}: {folder} is a file, not a folder")
    if lang not in LANGUAGES:
        problems.append(f"unknown language {lang!r}; use one of {', '.join(LANGUAGES)}")
    if problems:
        raise InvalidOptionError("; ".join(problems))
    return path


def write_html(path: str | Path, data: Any, *, page: str, lang: str = "es", overwrite: bool = False) -> Path:
    """Write a standalone page (everything inlined) that opens offline.

    Parameters
    ----------
    path : str or Path
        An ``.html`` file; its folder is created if missing.
    data : dict
        The views, as :func:`render_page` takes them.
    page : str
        The page shown first.
    lang : str
        Default language, ``"es"`` or ``"en"``.
    overwrite : bool
        Replace an existing file instead of refusing.

    Returns
    -------
    Path
        The file written (written to a temporary file first, then moved in place).

    Raises
    ------
    InvalidOptionError
        For a path that is not an ``.html`` file, exists (without ``overwrite``)
        or is a folder, and for an unknown page or language.

    Examples
    --------
    >>> import tempfile
    >>> path = write_html(tempfile.mkdtemp() + "/login.html", None, page="login")
    >>> path.read_text(encoding="utf-8").startswith("<!doctype html>")
    True
    >>> write_html(path, None, page="login")
    Traceback (most recent call last):
    ...
    matcher.errors.InvalidOptionError: ... already exists; choose another path or overwrite it
    """
    _check(page, lang)
    path = check_html_path(path, lang=lang, overwrite=overwrite)
    html = render_page(page, data=data, lang=lang, standalone=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(html)
        os.chmod(temporary, 0o644)  # mkstemp makes it private; a page is meant to be opened and shared
        os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
    return path
