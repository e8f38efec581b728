"""The pages' ES modules as one script, for a standalone page that opens from disk.

The service serves the modules of ``static/js`` as they are (``<script
type="module" src=".../app.js">``, the browser follows the imports). A page
opened from a file cannot load modules (browsers refuse ``file://`` module
requests), so a standalone page carries them inlined as one classic script:
each module's ``import`` lines removed and its ``export`` keywords dropped, the
modules in dependency order (each after those it imports), all inside one
function scope. No Node is needed at run time; the text is made once per
process.

The modules keep to a few rules so that this stays a text operation (each is
checked, and an error names the module and the line):

- imports are ``import { a, b } from "./name.js";``, of the modules of
  :data:`MODULES` only, without renaming (``as``) or default imports;
- exports are ``export`` before a top-level ``function``, ``async function``,
  ``const``, ``let`` or ``class``; no ``export { ... }`` lists, no default;
- top-level names are unique across the modules (they share one scope in the
  bundle);
- no import cycles (a module that must call back into one that imports it
  takes a hook, as ``state.js`` takes the router's ``render``).

Examples
--------
>>> order = module_order()
>>> order[0], order[-1]
('i18n.js', 'app.js')
>>> text = bundle()
>>> text.startswith('"use strict";') and "\\nimport " not in text and "\\nexport " not in text
True
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from matcher.errors import MatcherError

__all__ = ["ENTRY", "MODULES", "bundle", "module_order"]

#: Where the modules are.
MODULES_DIR = Path(__file__).resolve().parent / "static" / "js"
#: The module a page loads; it imports the others.
ENTRY = "app.js"
#: Every module of the pages (the service serves these names beside the pages).
MODULES: tuple[str, ...] = (
    "api.js",
    "app.js",
    "develop-run.js",
    "dom.js",
    "forms.js",
    "i18n.js",
    "nav.js",
    "network.js",
    "order-form.js",
    "page-dashboard.js",
    "page-home.js",
    "page-login.js",
    "page-mentoring.js",
    "page-network.js",
    "page-plan.js",
    "page-proposal.js",
    "page-shortlist.js",
    "plot.js",
    "router.js",
    "state.js",
)

_IMPORT = re.compile(r'^import \{([^}]*)\} from "\./([\w-]+\.js)";[ \t]*\n', re.MULTILINE)
_EXPORT = re.compile(r"^export (?=(?:async function|function|const|let|class)\s)", re.MULTILINE)
_TOP_LEVEL = re.compile(
    r"^(?:export )?(?:async function\*?|function\*?|const|let|var|class) (\w+)", re.MULTILINE
)
_FORBIDDEN = re.compile(r"^(?:import\b|export\b).*$", re.MULTILINE)


def _source(name: str) -> str:
    if name not in MODULES:
        raise MatcherError(f"unknown page module {name!r}; modules: {', '.join(MODULES)}")
    return (MODULES_DIR / name).read_text(encoding="utf-8")


def _imports(name: str, text: str) -> list[str]:
    """The modules a module imports, checking that every import is of the one allowed form."""
    found = []
    for names, target in _IMPORT.findall(text):
        if " as " in names or target not in MODULES:
            raise MatcherError(
                f"{name}: import {{{names.strip()}}} from ./{target}: import names as they are "
                f"(no 'as') from a module of matcher.views.bundle.MODULES"
            )
        found.append(target)
    return found


def _strip(name: str, text: str) -> str:
    """A module's text without its imports and ``export`` keywords; any other import or export refused."""
    text = _EXPORT.sub("", _IMPORT.sub("", text))
    leftover = _FORBIDDEN.search(text)
    if leftover:
        line = text[: leftover.start()].count("\n") + 1
        raise MatcherError(
            f"{name} line {line}: {leftover.group(0)!r} cannot be bundled; write "
            "'import { a } from \"./x.js\";' or 'export function/const/let/class' (see matcher.views.bundle)"
        )
    return re.sub(r"^// @ts-check\n", "", text)


@cache
def module_order(entry: str = ENTRY) -> tuple[str, ...]:
    """The modules ``entry`` needs, each after those it imports (imports in the order written).

    Raises
    ------
    MatcherError
        For an import cycle, an unknown module or an import of another form.
    """
    order: list[str] = []
    visiting: list[str] = []

    def visit(name: str) -> None:
        if name in order:
            return
        if name in visiting:
            cycle = " -> ".join([*visiting[visiting.index(name) :], name])
            raise MatcherError(
                f"the page modules import each other in a cycle: {cycle}; break it with a hook"
            )
        visiting.append(name)
        for target in _imports(name, _source(name)):
            visit(target)
        visiting.pop()
        order.append(name)

    visit(entry)
    return tuple(order)


@cache
def bundle(entry: str = ENTRY) -> str:
    """The modules ``entry`` needs as one classic script (one function scope), for a standalone page.

    Raises
    ------
    MatcherError
        When a module breaks a rule of this module (see above), or two define the same top-level name.
    """
    owner: dict[str, str] = {}
    parts = []
    for name in module_order(entry):
        text = _source(name)
        for top in _TOP_LEVEL.findall(text):
            if top in owner:
                raise MatcherError(
                    f"{name} and {owner[top]} both define {top!r} at top level; rename one "
                    "(the modules share one scope in a standalone page)"
                )
            owner[top] = name
        parts.append(f"// ---- {name}\n{_strip(name, text).strip()}\n")
    return '"use strict";\n(function () {\n' + "\n".join(parts) + "})();\n"
