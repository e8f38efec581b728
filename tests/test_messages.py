"""Messages: English rendered from one template per key, and a page template per key in each language."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from matcher.messages import ENGLISH, Message, change_message, paired_texts
from matcher.model import Order, Workshop
from matcher.optimize import OrderResult
from matcher.optimize._problem import ineligibility
from matcher.optimize.rules import RULES

MATCHER = Path(__file__).resolve().parents[1] / "matcher"
CATALOGUES = {
    lang: json.loads((MATCHER / "views" / "static" / "i18n" / f"{lang}.json").read_text(encoding="utf-8"))
    for lang in ("es", "en")
}
FIELD = re.compile(r"\{(\w+)(?::(\w+)|\|([^{}|]*)\|([^{}|]*))?\}")

#: One case per key: its arguments and the English the optimizer wrote for them before
#: messages existed (the same f-strings, worked out by hand).
EXAMPLES: list[tuple[str, dict, str]] = [
    (
        "why.makes",
        {"work": [{"process": "cutting", "units": 300}, {"process": "sewing", "units": 1200}],
         "used": 2550.0, "free": 6760.0, "week": 2.0, "share": 2550.0 / 6760.0},
        "Makes cutting 300, sewing 1,200 units: 2,550 min of its 6,760 min free by week 2 (38%).",
    ),
    (
        "why.makes_no_free_minutes",
        {"work": [{"process": "sewing", "units": 5}], "used": 10.0, "free": 0.0, "week": 1.5},
        "Makes sewing 5 units: 10 min of its 0 min free by week 1.5.",
    ),
    ("why.backup", {}, "Backup: kept free to step in if a member drops out."),
    (
        "why.tied",
        {"tied": [{"workshop_id": "A", "kinds": ["friendship", "kinship"]},
                  {"workshop_id": "C", "kinds": ["kinship"]}]},
        "Tied to A (friendship, kinship); C (kinship).",
    ),
    ("why.no_tie", {}, "No tie to another member."),
    ("why.leader", {}, "Leads the group: said it can lead, with the strongest ties inside."),
    ("why.mainly_makes", {"product": "jeans"}, "Mainly makes jeans."),
    ("reason.can_deliver", {"workshops": 1, "week": 2.0}, "1 workshop can deliver by week 2."),
    ("reason.process_alone", {"process": "cutting", "workshop_id": "MRA-042"}, "cutting: all by MRA-042."),
    (
        "reason.process_split",
        {"process": "packing", "workshops": 2,
         "split": [{"workshop_id": "PIL-053", "units": 5987}, {"workshop_id": "PIL-049", "units": 13}]},
        "packing: split among 2 workshops (PIL-053 5,987, PIL-049 13).",
    ),
    (
        "reason.all_linked",
        {"pairs": 1},
        "Every member is linked to the others through existing ties (1 tied pair).",
    ),
    (
        "reason.all_tied_parts",
        {"pairs": 2, "parts": 2},
        "Every member is tied to another member (2 tied pairs), but the ties form 2 separate parts.",
    ),
    (
        "reason.some_tied",
        {"tied": 2, "members": 7, "pairs": 1},
        "2 of 7 members are tied to another member (1 tied pair); the others are needed for capacity.",
    ),
    ("reason.none_tied", {}, "No two members are tied to each other."),
    (
        "reason.leads_alone",
        {"leader": "PIL-024"},
        "PIL-024 takes the order alone and has said it can lead a group.",
    ),
    (
        "reason.leads",
        {"leader": "YAG-048"},
        "YAG-048 leads: willing to lead, with the strongest ties inside the group.",
    ),
    (
        "reason.no_leader",
        {},
        "No member has said it can lead; the group still needs someone to head it.",
    ),
    (
        "reason.uses",
        {"used": 129600.0, "free": 129747.4, "week": 4.0},
        "Uses 129,600 min of the 129,747 min its members have free by week 4.",
    ),
    (
        "reason.feasible_with",
        {"changes": [{"kind": "due_weeks", "value": 3}, {"kind": "territory", "value": "Pilar"},
                     {"kind": "conflict", "value": ["A", "B"]}, {"kind": "rule", "value": "min_group_size"}]},
        "Feasible with due date week 3, or with Pilar allowed, or with the conflict between A and B "
        "resolved, or with no minimum group size (each checked by solving).",
    ),
    ("diagnose.only", {"filled": 2000, "quantity": 3000}, "Only 2,000 of 3,000 units can be made."),
    ("diagnose.no_maker", {"product": "tee"}, "No workshop in the cluster makes tee."),
    (
        "diagnose.none_eligible",
        {"makers": 1, "product": "tee", "causes": [{"cause": "territory", "workshops": 1}],
         "min_quality": 1, "territories": ["Pilar", "Yaguarón"]},
        "Of the 1 workshop that makes tee, none can take it: 1 outside Pilar, Yaguarón.",
    ),
    ("diagnose.no_process", {"process": "washing"}, "No eligible workshop does washing."),
    (
        "diagnose.short",
        {"process": "sewing", "need": 120000.0, "week": 1.0, "workshops": 28, "have": 76053.20000000001},
        "sewing needs 120,000 min by week 1; the 28 eligible workshops that do it have 76,053 min free by "
        "then.",
    ),
    (
        "diagnose.cap",
        {"cap": 1, "units": 1500, "process": "sewing", "week": 2.5},
        "With at most 1 workshop, at most 1,500 units of sewing can be made by week 2.5; a larger group "
        "cap would help.",
    ),
    (
        "diagnose.other_orders",
        {"orders": ["O1", "O2", "O3", "O4", "O5", "O6", "O7", "O8"]},
        "Alone it could be filled, but its workshops' minutes go to other orders (O1, O2, O3, O4, O5, O6 and "
        "2 more), which fill more units in all.",
    ),
    (
        "diagnose.conflicts",
        {"pairs": 3},
        "Conflicts between eligible workshops (3 pairs) and the other rules leave no valid group.",
    ),
    (
        "diagnose.required",
        {"required": ["leader", "cohesion", "min_group_size"], "min_group_size": 3},
        "No group of the eligible workshops covers every process and keeps what is required: leader, "
        "cohesion, at least 3 members.",
    ),
    (
        "diagnose.no_cover",
        {},
        "The eligible workshops cannot cover every process together within the rules.",
    ),
    ("cause.quality", {"workshops": 2, "min_quality": 5}, "2 below quality 5"),
    ("cause.formality", {"workshops": 1}, "1 without tax registration (the order requires it)"),
    ("cause.territory", {"workshops": 4, "territories": ["Pilar"]}, "4 outside Pilar"),
    ("cause.capacity", {"workshops": 3}, "3 with no free minutes"),
    ("cause.process", {"workshops": 1}, "1 doing none of its processes"),
    (
        "cause.specialisation",
        {"workshops": 2},
        "2 mainly making something else (specialisation is required)",
    ),
    ("change.due_weeks", {"value": 3}, "due date week 3"),
    ("change.max_group_size", {"value": 4}, "a group of up to 4 workshops"),
    ("change.territory", {"value": "Pilar"}, "Pilar allowed"),
    ("change.min_quality", {"value": 2}, "minimum quality 2"),
    ("change.require_formal", {"value": False}, "informal workshops allowed"),
    ("change.conflict", {"value": ["A", "B"], "a": "A", "b": "B"}, "the conflict between A and B resolved"),
    ("change.rule", {"value": "cohesion"}, "cohesion preferred instead of required"),
    ("change.no_min_group_size", {"value": "min_group_size"}, "no minimum group size"),
    (
        "shortlist.single",
        {"processes": ["cutting", "sewing"], "free": 21956.8, "week": 2.0, "needed": 2550.0},
        "Does every process (cutting, sewing) and has 21,957 min free by week 2 for the 2,550 needed.",
    ),
    ("shortlist.makes_mainly", {"product": "tee", "main": "polo"}, "Makes tee; mainly polo."),
    (
        "shortlist.group",
        {"size": 5, "week": 4.0},
        "5 workshops make the whole order together by week 4.",
    ),
    ("shortlist.group_process", {"process": "cutting", "refs": ["G1-a", "G1-c"]}, "cutting: G1-a, G1-c."),
    (
        "shortlist.group_linked",
        {"tied": 1, "pairs": 1},
        "1 of 1 member pairs tied; all linked through existing ties.",
    ),
    (
        "shortlist.group_parts",
        {"tied": 2, "pairs": 10, "parts": 3},
        "2 of 10 member pairs tied; in 3 parts not linked by ties.",
    ),
    ("shortlist.group_leader", {"ref": "G1-c"}, "G1-c can lead the group."),
    ("shortlist.group_no_leader", {}, "No member has said it can lead."),
    (
        "shortlist.group_free",
        {"free": 145517.0, "needed": 129600.0},
        "Members have 145,517 min free by then for the 129,600 needed.",
    ),
    ("shortlist.no_single", {}, "No single workshop can take the whole order alone."),
    (
        "shortlist.pool",
        {"candidates": 30, "eligible": 1200},
        "Groups were searched among the 30 best placed of the 1,200 workshops that could join one; a "
        "longer time limit searches more.",
    ),
    (
        "shortlist.time_limit",
        {"seconds": 30.0, "groups": 5},
        "The time limit (30 s) ended the search for groups after 5; more may exist.",
    ),
    (
        "shortlist.reliability_unknown",
        {},
        "Reliability is unknown: the dataset records no delivery history; it is left out of the totals.",
    ),
    (
        "shortlist.reliability_unknown_for",
        {"refs": ["S2", "G1"]},
        "Reliability is unknown for S2, G1 (no delivery history recorded); it is left out of their totals.",
    ),
    ("part.names_more", {"names": "O1, O2", "count": 3}, "O1, O2 and 3 more"),
    ("part.or_with", {}, ", or with "),
    ("part.min_group_size", {"min_group_size": 2}, "at least 2 members"),
]  # fmt: skip


def fields(template: str) -> set[tuple[str, str]]:
    """The fields of a template: (name, format), the format ``|`` for a plural choice."""
    return {(name, "|" if one is not None else form or "") for name, form, one, _ in FIELD.findall(template)}


@pytest.mark.parametrize(("key", "args", "english"), EXAMPLES, ids=[e[0] for e in EXAMPLES])
def test_english_is_the_text_the_optimizer_always_wrote(key, args, english):
    message = Message(key, args)
    assert message.text == english
    assert json.loads(json.dumps(message.to_dict())) == {"key": key, "args": json.loads(json.dumps(args))}


def test_every_key_has_an_example():
    assert sorted({key for key, _, _ in EXAMPLES}) == sorted(ENGLISH)


def test_every_key_the_library_writes_is_registered():
    written = set()
    for path in MATCHER.rglob("*.py"):
        if path.name == "messages.py":  # its examples show an unknown key refused
            continue
        written |= set(re.findall(r"Message\(\s*\"([\w.]+)\"", path.read_text(encoding="utf-8")))
    assert len(written) > 40
    assert written - set(ENGLISH) == set()
    # Keys made at run time: the causes an eligible-less order is explained by, and the changes.
    shop = Workshop("W", "T", 1, ("tee",), ("sewing",))
    causes = {
        ineligibility(shop, Order("O", "tee", 1, 1.0, **change), ())
        for change in ({"min_quality": 5}, {"require_formal": True}, {"territories": ("X",)})
    }
    assert causes == {"quality", "formality", "territory"}
    for cause in (*causes, "capacity", "process", "specialisation"):
        assert f"cause.{cause}" in ENGLISH
    kinds = ["due_weeks", "max_group_size", "territory", "min_quality", "require_formal"]
    for kind in kinds:
        assert change_message(kind, 1).key == f"change.{kind}"
    assert change_message("conflict", ["A", "B"]).args == {"value": ["A", "B"], "a": "A", "b": "B"}
    for rule in RULES:
        assert change_message("rule", rule).text == f"{rule} preferred instead of required"


def test_unknown_keys_and_disagreeing_texts_are_refused():
    with pytest.raises(ValueError, match=r"unknown message key 'why\.nope'"):
        Message("why.nope")
    with pytest.raises(ValueError, match="the texts and the messages differ"):
        OrderResult(
            "O1", "unfilled", 1, 0, reasons=("Other words.",), reason_messages=(Message("why.no_tie"),)
        )
    derived = OrderResult("O1", "unfilled", 1, 0, reason_messages=(Message("diagnose.no_cover"),))
    assert derived.reasons == (
        "The eligible workshops cannot cover every process together within the rules.",
    )
    assert paired_texts(("Written by hand.",), ()) == ("Written by hand.",)


def test_pages_have_a_template_for_every_key_in_both_languages():
    for lang, catalogue in CATALOGUES.items():
        keys = {key.removeprefix("msg.") for key in catalogue if key.startswith("msg.")}
        assert keys == set(ENGLISH), lang
    # The pages' English is the library's; Spanish has the same fields, each in the same format.
    assert {key: CATALOGUES["en"][f"msg.{key}"] for key in ENGLISH} == ENGLISH
    for key, english in ENGLISH.items():
        spanish = CATALOGUES["es"][f"msg.{key}"]
        names = {name for name, form in fields(english) if form != "|"}
        formats = {(name, form) for name, form in fields(english) if form != "|"}
        assert {(n, f) for n, f in fields(spanish) if f != "|"} == formats, key
        assert {n for n, f in fields(spanish) if f == "|"} <= names | {n for n, f in fields(english)}, key
        if key not in ("shortlist.group_process",):  # only ids and words the page translates
            assert spanish != english, key


def test_spanish_reads_as_spanish():
    es = CATALOGUES["es"]
    assert es["msg.reason.can_deliver"] == (
        "{workshops} {workshops|taller puede|talleres pueden} entregar para la semana {week}."
    )
    for key in ENGLISH:
        words = FIELD.sub("", es[f"msg.{key}"])
        assert not {"workshop", "member", "order", "week"} & set(re.findall(r"[a-z]+", words)), key
