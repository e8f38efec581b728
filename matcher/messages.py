"""Explanations as a key and raw arguments, rendered in English here and in other languages by the pages.

The optimizer explains its answers (why a workshop is in a group, why an order
is not filled, what a shortlist entry offers) as :class:`Message` objects. Their
English text is rendered from :data:`ENGLISH`, the one place that holds its
wording; the browser pages hold a template per key (``msg.<key>``) in each
language catalogue and render the same arguments with the language's number
format and words for processes and products.

A template is text with fields:

- ``{name}``: the argument as is (a whole number plainly, a fraction as ``%g``,
  a list joined with commas);
- ``{name:format}``: the argument in one of :data:`FORMATS`;
- ``{name|one|other}``: ``one`` when the argument is 1, else ``other`` (the pages
  follow the plural rules of their language).

Some keys are parts of others (``cause.*``, ``change.*``, ``part.*``): they
render the items of a ``causes``, ``changes``, ``required`` or ``names`` field.

Examples
--------
>>> m = Message("reason.can_deliver", {"workshops": 1, "week": 2.0})
>>> m.text
'1 workshop can deliver by week 2.'
>>> m.to_dict()
{'key': 'reason.can_deliver', 'args': {'workshops': 1, 'week': 2.0}}
>>> Message("reason.process_split", {"process": "sewing", "workshops": 2,
...     "split": [{"workshop_id": "A", "units": 1200}, {"workshop_id": "B", "units": 300}]}).text
'sewing: split among 2 workshops (A 1,200, B 300).'
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = ["ENGLISH", "FORMATS", "Message", "change_message", "paired_texts"]

#: The English template of every message key.
ENGLISH: dict[str, str] = {
    # Why a workshop is in a group (per member).
    "why.makes": (
        "Makes {work:process_units} units: {used:min} min of its {free:min} min free by week {week} "
        "({share:pct})."
    ),
    "why.makes_no_free_minutes": (
        "Makes {work:process_units} units: {used:min} min of its {free:min} min free by week {week}."
    ),
    "why.backup": "Backup: kept free to step in if a member drops out.",
    "why.tied": "Tied to {tied:ties}.",
    "why.no_tie": "No tie to another member.",
    "why.leader": "Leads the group: said it can lead, with the strongest ties inside.",
    "why.mainly_makes": "Mainly makes {product:product}.",
    # Why a group was chosen (per filled order).
    "reason.can_deliver": "{workshops} {workshops|workshop|workshops} can deliver by week {week}.",
    "reason.process_alone": "{process:process}: all by {workshop_id}.",
    "reason.process_split": "{process:process}: split among {workshops} workshops ({split:workshop_units}).",
    "reason.all_linked": (
        "Every member is linked to the others through existing ties ({pairs} tied {pairs|pair|pairs})."
    ),
    "reason.all_tied_parts": (
        "Every member is tied to another member ({pairs} tied {pairs|pair|pairs}), "
        "but the ties form {parts} separate parts."
    ),
    "reason.some_tied": (
        "{tied} of {members} members are tied to another member ({pairs} tied {pairs|pair|pairs}); "
        "the others are needed for capacity."
    ),
    "reason.none_tied": "No two members are tied to each other.",
    "reason.leads_alone": "{leader} takes the order alone and has said it can lead a group.",
    "reason.leads": "{leader} leads: willing to lead, with the strongest ties inside the group.",
    "reason.no_leader": "No member has said it can lead; the group still needs someone to head it.",
    "reason.uses": "Uses {used:min} min of the {free:min} min its members have free by week {week}.",
    "reason.feasible_with": "Feasible with {changes:changes} (each checked by solving).",
    # Why an order is not (fully) filled.
    "diagnose.only": "Only {filled:n} of {quantity:n} units can be made.",
    "diagnose.no_maker": "No workshop in the cluster makes {product:product}.",
    "diagnose.none_eligible": (
        "Of the {makers} {makers|workshop|workshops} that {makers|makes|make} {product:product}, "
        "none can take it: {causes:causes}."
    ),
    "diagnose.no_process": "No eligible workshop does {process:process}.",
    "diagnose.short": (
        "{process:process} needs {need:min} min by week {week}; the {workshops} eligible workshops "
        "that do it have {have:min} min free by then."
    ),
    "diagnose.cap": (
        "With at most {cap} {cap|workshop|workshops}, at most {units:n} units of {process:process} "
        "can be made by week {week}; a larger group cap would help."
    ),
    "diagnose.other_orders": (
        "Alone it could be filled, but its workshops' minutes go to other orders ({orders:names}), "
        "which fill more units in all."
    ),
    "diagnose.conflicts": (
        "Conflicts between eligible workshops ({pairs} pairs) and the other rules leave no valid group."
    ),
    "diagnose.required": (
        "No group of the eligible workshops covers every process and keeps what is required: "
        "{required:required}."
    ),
    "diagnose.no_cover": "The eligible workshops cannot cover every process together within the rules.",
    # Why eligible workshops cannot take an order (items of diagnose.none_eligible).
    "cause.quality": "{workshops} below quality {min_quality}",
    "cause.formality": "{workshops} without tax registration (the order requires it)",
    "cause.territory": "{workshops} outside {territories:list}",
    "cause.capacity": "{workshops} with no free minutes",
    "cause.process": "{workshops} doing none of its processes",
    "cause.specialisation": "{workshops} mainly making something else (specialisation is required)",
    # One change that would let an order be filled (items of reason.feasible_with).
    "change.due_weeks": "due date week {value}",
    "change.max_group_size": "a group of up to {value} workshops",
    "change.territory": "{value} allowed",
    "change.min_quality": "minimum quality {value}",
    "change.require_formal": "informal workshops allowed",
    "change.conflict": "the conflict between {a} and {b} resolved",
    "change.rule": "{value:rule} preferred instead of required",
    "change.no_min_group_size": "no minimum group size",
    # Shortlist entries and notes.
    "shortlist.single": (
        "Does every process ({processes:processes}) and has {free:min} min free by week {week} "
        "for the {needed:min} needed."
    ),
    "shortlist.makes_mainly": "Makes {product:product}; mainly {main:product}.",
    "shortlist.group": "{size} workshops make the whole order together by week {week}.",
    "shortlist.group_process": "{process:process}: {refs:list}.",
    "shortlist.group_linked": "{tied} of {pairs} member pairs tied; all linked through existing ties.",
    "shortlist.group_parts": "{tied} of {pairs} member pairs tied; in {parts} parts not linked by ties.",
    "shortlist.group_leader": "{ref} can lead the group.",
    "shortlist.group_no_leader": "No member has said it can lead.",
    "shortlist.group_free": "Members have {free:min} min free by then for the {needed:min} needed.",
    "shortlist.no_single": "No single workshop can take the whole order alone.",
    "shortlist.pool": (
        "Groups were searched among the {candidates:n} best placed of the {eligible:n} workshops "
        "that could join one; a longer time limit searches more."
    ),
    "shortlist.time_limit": (
        "The time limit ({seconds} s) ended the search for groups after {groups}; more may exist."
    ),
    "shortlist.reliability_unknown": (
        "Reliability is unknown: the dataset records no delivery history; it is left out of the totals."
    ),
    "shortlist.reliability_unknown_for": (
        "Reliability is unknown for {refs:list} (no delivery history recorded); "
        "it is left out of their totals."
    ),
    # Parts of lists.
    "part.names_more": "{names} and {count} more",
    "part.or_with": ", or with ",
    "part.min_group_size": "at least {min_group_size} members",
}

#: Most ids a ``names`` field shows before "and N more".
NAMES_SHOWN = 6

_FIELD = re.compile(r"\{(\w+)(?::(\w+)|\|([^{}|]*)\|([^{}|]*))?\}")


def _plain(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, list | tuple):
        return ", ".join(_plain(v) for v in value)
    return str(value)


def _names(ids: list[str], args: Mapping[str, Any]) -> str:
    shown = ", ".join(ids[:NAMES_SHOWN])
    if len(ids) <= NAMES_SHOWN:
        return shown
    return _render("part.names_more", {"names": shown, "count": len(ids) - NAMES_SHOWN})


def _changes(changes: list[Mapping[str, Any]], args: Mapping[str, Any]) -> str:
    return _render("part.or_with", {}).join(change_message(c["kind"], c["value"]).text for c in changes)


def _causes(causes: list[Mapping[str, Any]], args: Mapping[str, Any]) -> str:
    return "; ".join(_render(f"cause.{c['cause']}", {**args, "workshops": c["workshops"]}) for c in causes)


def _required(codes: list[str], args: Mapping[str, Any]) -> str:
    return ", ".join(_render("part.min_group_size", args) if c == "min_group_size" else c for c in codes)


#: How a ``{name:format}`` field shows its argument in English. Codes (processes,
#: products, rules, tie kinds) stay codes here; the pages show them in words.
FORMATS: dict[str, Callable[[Any, Mapping[str, Any]], str]] = {
    "n": lambda v, a: f"{v:,}",  # a whole number, grouped
    "min": lambda v, a: f"{v:,.0f}",  # minutes, rounded and grouped
    "pct": lambda v, a: f"{v:.0%}",  # a share as a percentage
    "process": lambda v, a: str(v),
    "product": lambda v, a: str(v),
    "rule": lambda v, a: str(v),
    "list": lambda v, a: ", ".join(v),  # ids, references or territories
    "processes": lambda v, a: ", ".join(v),
    "kinds": lambda v, a: ", ".join(v),  # tie kinds
    "names": _names,  # ids, the first NAMES_SHOWN then part.names_more
    "workshop_units": lambda v, a: ", ".join(f"{i['workshop_id']} {i['units']:,}" for i in v),
    "process_units": lambda v, a: ", ".join(f"{i['process']} {i['units']:,}" for i in v),
    "ties": lambda v, a: "; ".join(f"{i['workshop_id']} ({', '.join(i['kinds'])})" for i in v),
    "causes": _causes,  # cause.* items, each with the message's arguments and its count
    "changes": _changes,  # change.* items joined by part.or_with
    "required": _required,  # rule codes, and part.min_group_size
}


def _render(key: str, args: Mapping[str, Any]) -> str:
    def fill(match: re.Match[str]) -> str:
        name, form, one, other = match.groups()
        value = args[name]
        if one is not None:
            return one if value == 1 else other
        return _plain(value) if form is None else FORMATS[form](value, args)

    return _FIELD.sub(fill, ENGLISH[key])


def _json_ready(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(k): _json_ready(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json_ready(v) for v in value]
    return value


@dataclass(frozen=True)
class Message:
    """One explanation: a key of :data:`ENGLISH` and the raw values it speaks of.

    ``args`` holds numbers as numbers, ids, codes and lists (JSON-ready), so a
    page can format them for its language.

    Examples
    --------
    >>> Message("reason.uses", {"used": 2550.0, "free": 6760.0, "week": 2.0}).text
    'Uses 2,550 min of the 6,760 min its members have free by week 2.'
    >>> Message("reason.nope")
    Traceback (most recent call last):
    ...
    ValueError: unknown message key 'reason.nope'; keys are listed in matcher.messages.ENGLISH
    """

    key: str
    args: Mapping[str, Any] = field(default_factory=dict, hash=False)

    def __post_init__(self) -> None:
        if self.key not in ENGLISH:
            raise ValueError(f"unknown message key {self.key!r}; keys are listed in matcher.messages.ENGLISH")
        object.__setattr__(self, "args", _json_ready(self.args))

    @property
    def text(self) -> str:
        """The message in English."""
        return _render(self.key, self.args)

    def to_dict(self) -> dict[str, Any]:
        return {"key": self.key, "args": _json_ready(self.args)}


def change_message(kind: str, value: Any) -> Message:
    """The words for one change that would let an order be filled (:class:`matcher.optimize.whatif.Change`).

    Examples
    --------
    >>> change_message("due_weeks", 3).text, change_message("conflict", ["A", "B"]).text
    ('due date week 3', 'the conflict between A and B resolved')
    >>> change_message("rule", "min_group_size").text
    'no minimum group size'
    """
    if kind == "rule" and value == "min_group_size":
        return Message("change.no_min_group_size", {"value": value})
    if kind == "conflict":
        return Message("change.conflict", {"value": value, "a": value[0], "b": value[1]})
    return Message(f"change.{kind}", {"value": value})


def paired_texts(texts: Iterable[str], messages: Iterable[Message]) -> tuple[str, ...]:
    """The English texts of ``messages``, or ``texts`` when there are no messages.

    Results keep both (the texts for the command line and older readers, the
    messages for the pages): given both, they must say the same.

    Examples
    --------
    >>> paired_texts((), (Message("why.no_tie"),))
    ('No tie to another member.',)
    >>> paired_texts(("Hand written.",), ())
    ('Hand written.',)
    >>> paired_texts(("Other words.",), (Message("why.no_tie"),))
    Traceback (most recent call last):
    ...
    ValueError: the texts and the messages differ: give the messages alone and the texts follow from them
    """
    texts, rendered = tuple(texts), tuple(m.text for m in messages)
    if not rendered:
        return texts
    if texts and texts != rendered:
        raise ValueError(
            "the texts and the messages differ: give the messages alone and the texts follow from them"
        )
    return rendered
