"""The pages' ES modules: every one listed and type-checked, bundled in dependency order."""

from __future__ import annotations

import re

import pytest

from matcher.errors import MatcherError
from matcher.views import bundle as bundling
from matcher.views.bundle import ENTRY, MODULES, MODULES_DIR, bundle, module_order
from matcher.views.render import ASSETS, asset_path


def test_every_module_is_listed_served_and_type_checked():
    assert sorted(p.name for p in MODULES_DIR.glob("*.js")) == sorted(MODULES)
    assert set(module_order()) == set(MODULES)  # the entry needs every module: none is dead
    for name in MODULES:
        assert name in ASSETS and asset_path(name) == MODULES_DIR / name
        assert (MODULES_DIR / name).read_text(encoding="utf-8").startswith("// @ts-check\n"), name


def test_modules_come_after_those_they_import():
    order = module_order()
    assert order[-1] == ENTRY
    for position, name in enumerate(order):
        text = (MODULES_DIR / name).read_text(encoding="utf-8")
        for target in re.findall(r'^import \{[^}]*\} from "\./([\w-]+\.js)";', text, re.MULTILINE):
            assert order.index(target) < position, (name, target)


def test_the_bundle_is_one_classic_script_without_imports_or_exports():
    text = bundle()
    assert text.startswith('"use strict";\n(function () {\n') and text.endswith("})();\n")
    assert not re.search(r"^\s*(import|export)\b", text, re.MULTILINE)
    assert re.findall(r"^// ---- (\S+)$", text, re.MULTILINE) == list(module_order())


@pytest.fixture
def modules(tmp_path, monkeypatch):
    """A folder of made-up modules in place of the pages' (the caches cleared around the test)."""
    monkeypatch.setattr(bundling, "MODULES_DIR", tmp_path)
    monkeypatch.setattr(bundling, "MODULES", ("app.js", "a.js", "b.js"))
    bundling.module_order.cache_clear()
    bundling.bundle.cache_clear()
    yield tmp_path
    bundling.module_order.cache_clear()
    bundling.bundle.cache_clear()


def write(folder, **texts):
    for name, text in texts.items():
        (folder / f"{name}.js").write_text(text, encoding="utf-8")


def test_a_cycle_is_refused_and_named(modules):
    write(
        modules,
        app='import { a } from "./a.js";\na();\n',
        a='import { b } from "./b.js";\nexport function a() { b(); }\n',
        b='import { a } from "./a.js";\nexport function b() { a(); }\n',
    )
    with pytest.raises(MatcherError, match=r"cycle: a\.js -> b\.js -> a\.js"):
        bundling.bundle()


def test_two_modules_with_one_top_level_name_are_refused(modules):
    write(
        modules,
        app='import { a } from "./a.js";\nimport { b } from "./b.js";\na(); b();\n',
        a="const LIMIT = 1;\nexport function a() { return LIMIT; }\n",
        b="const LIMIT = 2;\nexport function b() { return LIMIT; }\n",
    )
    with pytest.raises(MatcherError, match=r"b\.js and a\.js both define 'LIMIT'"):
        bundling.bundle()


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ('import { a as c } from "./a.js";\n', "no 'as'"),
        ('import { a } from "./nope.js";\n', "no 'as'"),
        ('import a from "./a.js";\n', "cannot be bundled"),
        ("export default 1;\n", "cannot be bundled"),
        ("const a = 1;\nexport { a };\n", "cannot be bundled"),
    ],
)
def test_imports_and_exports_of_other_forms_are_refused(modules, text, problem):
    write(modules, app=text, a="export function a() {}\n", b="")
    with pytest.raises(MatcherError, match=problem):
        bundling.bundle()
