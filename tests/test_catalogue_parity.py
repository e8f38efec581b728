"""One catalogue, two formatters: both languages hold the same keys and fields, and the pages'
formatter (JavaScript, run with node) says every template as :func:`matcher.catalogue.fill` does."""

from __future__ import annotations

import json
import shutil
import subprocess
from typing import Any

import pytest

from matcher.catalogue import FIELD, FORMATS, LANGUAGES, catalogue, fill
from matcher.views.bundle import MODULES_DIR
from tests._needs import unavailable
from tests.test_messages import EXAMPLES

#: Runs the pages' formatter on the cases read from stdin, one answer per case (null: not said).
NODE_SCRIPT = """
import { locale, sayTemplate } from %(module)s;
let input = "";
for await (const chunk of process.stdin) input += chunk;
const { catalogues, cases } = JSON.parse(input);
locale.catalogues = catalogues;
const out = cases.map(([lang, template, args]) => {
  locale.lang = lang;
  return sayTemplate(template, args);
});
process.stdout.write(JSON.stringify(out));
"""

#: Fields in every format, with values at the edges that matter (thousands, fractions, a plural of 1,
#: codes of two words, lists long enough to be cut).
CASES: list[tuple[str, dict[str, Any]]] = [
    ("{n} and {x} and {s} and {items}", {"n": 1200, "x": 1.5, "s": "T-1", "items": ["A", "B"]}),
    ("{x} / {y} / {z}", {"x": 2.0, "y": 0.3333, "z": -3}),
    ("{counts}", {"counts": [1200, 2.5, "T-1"]}),
    ("{n} {n|workshop|workshops}", {"n": 1}),
    ("{n} {n|workshop|workshops}", {"n": 0}),
    ("{n} {n|workshop|workshops}", {"n": 2500}),
    ("{n} {n|workshop|workshops}", {"n": 1.5}),
    ("{n:n} units, {m:min} min, {m:n} min", {"n": 30000, "m": 2550.4}),
    ("{s:pct} and {t:pct}", {"s": 0.3772, "t": 1.0}),
    ("{p:process}, {q:process}, {r:product}, {t:product}", {"p": "sewing", "q": "pattern_making",
                                                            "r": "tshirt", "t": "polo_shirt"}),
    ("{r:rule}", {"r": "cohesion"}),
    ("{ids:list}", {"ids": ["PIL-001", "MRA-042"]}),
    ("{ps:processes} / {ks:kinds} / {prs:products}", {"ps": ["cutting", "screen_printing"],
                                                      "ks": ["kinship", "machine_lending"],
                                                      "prs": ["jeans", "work_uniform"]}),
    ("{orders:names}", {"orders": ["O1", "O2", "O3"]}),
    ("{orders:names}", {"orders": [f"O{i}" for i in range(1, 10)]}),
    ("{split:workshop_units}", {"split": [{"workshop_id": "A", "units": 1200},
                                          {"workshop_id": "B", "units": 3}]}),
    ("{work:process_units}", {"work": [{"process": "quality_control", "units": 4500}]}),
    ("{tied:ties}", {"tied": [{"workshop_id": "A", "kinds": ["friendship", "joint_purchase"]}]}),
    ("{required:required}", {"required": ["min_group_size", "cohesion"], "min_group_size": 3}),
    ("{changes:changes}", {"changes": [{"kind": "min_lot", "value": 1200}, {"kind": "min_lot", "value": 1},
                                       {"kind": "rule", "value": "leader"}]}),
    ("{m:message}", {"m": {"key": "reason.can_deliver", "args": {"workshops": 1, "week": 2.5}}}),
    ("{r:role} / {s:status}", {"r": "lead_firm", "s": "failed"}),
    ("{d:date} / {e:date}", {"d": "2025-09-30", "e": "next week"}),
    ("{a:exact} / {b:exact} / {c:exact}", {"a": 11520, "b": 11.52, "c": 3.0}),
]  # fmt: skip


def fields(text: str) -> tuple[set[tuple[str, str]], set[str]]:
    """A text's fields shown as (name, format), and the names its plural choices count."""
    found = FIELD.findall(text)
    return {(n, form) for n, form, one, _ in found if not one}, {n for n, _, one, _ in found if one}


def test_both_languages_have_the_same_keys_and_fields():
    es, en = (catalogue(lang) for lang in LANGUAGES)
    assert set(es) == set(en)
    for key in es:
        (shown_es, counted_es), (shown_en, counted_en) = fields(es[key]), fields(en[key])
        assert shown_es == shown_en, key
        # A plural choice counts a field of the message (Spanish may choose where English needs not).
        named = {n for n, _ in shown_en} | counted_en | {n for n, _ in shown_es}
        assert counted_es <= named and counted_en <= named | counted_es, key
        assert {form for _, form in shown_es} <= set(FORMATS) | {""}, key


def pages_say(cases: list[tuple[str, str, dict[str, Any]]]) -> list[str | None]:
    """What the pages' formatter (static/js/i18n.js) says for each (lang, template, args)."""
    node = shutil.which("node")
    if node is None:
        unavailable("node is not installed", "apt-get install nodejs (Node 18 or later)")
    module = json.dumps((MODULES_DIR / "i18n.js").as_uri())
    stdin = json.dumps({"catalogues": {lang: dict(catalogue(lang)) for lang in LANGUAGES}, "cases": cases})
    run = subprocess.run(
        [node, "--input-type=module", "-e", NODE_SCRIPT % {"module": module}],
        input=stdin, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)


def test_python_and_the_pages_fill_templates_alike():
    cases = [(lang, template, args) for lang in LANGUAGES for template, args in CASES]
    # Every message of the library in both languages, with the arguments of its example.
    cases += [(lang, catalogue(lang)[f"msg.{key}"], args) for lang in LANGUAGES for key, args, _ in EXAMPLES]
    said = pages_say(cases)
    assert len(said) == len(cases)
    differ = [
        (lang, template, python, js)
        for (lang, template, args), js in zip(cases, said, strict=True)
        if js != (python := fill(template, args, lang, words=True))
    ]
    assert differ == []


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_pages_refuse_what_they_cannot_say(lang):
    # A missing argument or an unknown format: null, and the page shows the English text instead.
    assert pages_say([(lang, "{a} {b}", {"a": 1}), (lang, "{a:nope}", {"a": 1})]) == [None, None]
